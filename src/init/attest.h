/* attest.h: attestation documents from the NSM, fetched without blocking.
 *
 * Each request runs in a short-lived child of init (spawn_worker), which
 * makes the blocking ioctl (nsm.c) and writes the document, or a message,
 * to a pipe; init reads the pipe from its loop into a fixed slot, kills a
 * child that has not answered within ATTEST_TIMEOUT_MS, and reaps it. A
 * fixed pool of ATTEST_SLOTS slots: past it, a request is refused at once
 * (busy), never queued. A slot is held by its reply until released, and
 * stays taken until its child has been reaped. Never blocks, never
 * allocates.
 */
#ifndef ATTEST_H
#define ATTEST_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsm.h"

#define ATTEST_SLOTS 4
#ifndef ATTEST_TIMEOUT_MS
#define ATTEST_TIMEOUT_MS 10000
#endif
/* attest_start's answer when every slot is taken. */
#define ATTEST_BUSY (-2)

enum attest_result { ATTEST_PENDING, ATTEST_DOC, ATTEST_FAILED };

/* Ask the NSM for a document (a's bytes are copied before this returns).
 * Returns the slot, with *gen naming this request in it; -1 with msg
 * saying why (no NSM device, no child); ATTEST_BUSY with msg when every
 * slot is taken. */
int attest_start(const struct nsm_ask *a, unsigned *gen, char *msg, size_t cap);
/* How request (slot, gen) is doing: PENDING; DOC with *doc, *len (valid
 * until it is released); FAILED with msg saying why. */
enum attest_result attest_result(int slot, unsigned gen, const unsigned char **doc, size_t *len, char *msg,
				 size_t cap);
/* The reply is done with (slot, gen): a child still running is killed. */
void attest_release(int slot, unsigned gen);
/* A reaped child: returns 1 when it was a request's. */
int attest_reaped(pid_t pid, int status);
/* Poll entries for the pipes of running requests; how many. */
int attest_poll_add(struct pollfd *p, int max);
void attest_poll_done(const struct pollfd *p, int n, int64_t now);
/* Kill the requests past ATTEST_TIMEOUT_MS. */
void attest_tick(int64_t now);
/* The earliest of those timeouts (monotonic ms), or 0. */
int64_t attest_next_deadline(void);
/* init is about to re-execute itself: every running request is killed
 * (its client goes with the exec; the new init reaps the child). */
void attest_cancel_all(void);

#endif
