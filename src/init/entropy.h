/* entropy.h: services start once the kernel's random pool is ready.
 *
 * A fresh VM's pool may not be initialised when the first service starts,
 * and a program that reads /dev/urandom early, or calls getrandom(2)
 * without GRND_NONBLOCK, then stalls or gets "uninitialized urandom read".
 * So the boot's services wait (init.yaml entropy.wait_sec) for
 * getrandom(GRND_NONBLOCK) to succeed, polled from the loop: init itself
 * never blocks. Before that, bytes of the hardware RNG may be credited to
 * the pool (entropy.credit_hwrng_bytes), and an image may insist on one
 * hardware RNG (entropy.require_hwrng: nsm-hwrng): without it no service
 * starts and, in a VM, the enclave powers off.
 */
#ifndef ENTROPY_H
#define ENTROPY_H

#include <stdint.h>

/* Instead of svc_boot() at a fresh start (not after a reload, whose
 * services are running): start the boot's services now or once the pool
 * is ready. */
void entropy_boot(void);
/* After a reload: the services ran before; only what is true now is known
 * (the wait's figures are not handed over). */
void entropy_adopted(void);
/* Before a reload's exec: the worker crediting the hardware RNG is killed
 * (its pipe closes with the exec, and a worker blocked on /dev/hwrng
 * would be nobody's to time out). */
void entropy_cancel(void);
/* Loop hooks: look at the pool again every ENTROPY_POLL_MS while waiting. */
int64_t entropy_next_deadline(void);
void entropy_tick(int64_t now);

/* For system-status (enum proto_entropy), the ms the services waited, the
 * hardware RNG in use ("" when none), and bytes credited from it. */
unsigned entropy_state(void);
uint32_t entropy_waited_ms(void);
const char *entropy_hwrng(void);
uint32_t entropy_credited(void);

#endif
