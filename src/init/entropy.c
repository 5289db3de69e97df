/* entropy.c: the boot's services wait for the random pool (entropy.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "entropy.h"
#include "proto.h"
#include "say.h"
#include "shutdown.h"
#include "svc.h"

/* <linux/random.h>, which musl's headers do not carry: RNDADDENTROPY is
 * _IOW('R', 0x03, int[2]), and its argument struct rand_pool_info. */
#ifndef RNDADDENTROPY
#define RNDADDENTROPY _IOW('R', 0x03, int[2])
#endif
struct pool_add {
	int entropy_count; /* bits credited */
	int buf_size;      /* bytes that follow */
	unsigned char buf[512];
};

#define ENTROPY_POLL_MS 100
#define HWRNG_CURRENT "/sys/class/misc/hw_random/rng_current"
#define HWRNG_DEV "/dev/hwrng"
#define HWRNG_CREDIT_MAX (int)sizeof(((struct pool_add *)0)->buf) /* entropy.credit_hwrng_bytes' cap */

static unsigned state;       /* enum proto_entropy */
static int64_t since, until; /* the wait: when it began, when it gives up */
static uint32_t waited, credited;
static char hwrng[PROTO_NAME_SIZE];

/* rng_current, first line; "" when the kernel has no hw_random class. */
static void read_hwrng(void)
{
	int fd = open(HWRNG_CURRENT, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, hwrng, sizeof hwrng - 1);

	if (fd >= 0)
		close(fd);
	hwrng[n > 0 ? n : 0] = 0;
	hwrng[strcspn(hwrng, "\n")] = 0;
}

static int pool_ready(void)
{
	char b;

	return getrandom(&b, 1, GRND_NONBLOCK) == 1;
}

/* Credit up to credit_hwrng_bytes of the hardware RNG to the pool: read
 * without blocking (the device may have less now), then RNDADDENTROPY,
 * which counts them as full entropy: the image's builder chose to trust
 * this device by setting the key. */
static void credit_hwrng(void)
{
	struct pool_add add;
	unsigned want = cfg_init.entropy_credit_hwrng_bytes;
	int fd, rnd;
	ssize_t n;

	if (want > (unsigned)HWRNG_CREDIT_MAX)
		want = HWRNG_CREDIT_MAX;
	fd = open(HWRNG_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say_warn("entropy: %s: %s; nothing credited", HWRNG_DEV, strerror(errno));
		return;
	}
	n = read(fd, add.buf, want);
	close(fd);
	if (n <= 0) {
		say_warn("entropy: %s: %s; nothing credited", HWRNG_DEV, n < 0 ? strerror(errno) : "no bytes");
		return;
	}
	add.entropy_count = (int)n * 8;
	add.buf_size = (int)n;
	rnd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
	if (rnd < 0 || ioctl(rnd, RNDADDENTROPY, &add) < 0)
		say_warn("entropy: RNDADDENTROPY: %s", strerror(errno));
	else
		credited = (uint32_t)n;
	if (rnd >= 0)
		close(rnd);
	explicit_bzero(add.buf, sizeof add.buf);
	if (credited)
		say("entropy: credited %u bytes of %s (%s) to the pool", credited, HWRNG_DEV,
		    hwrng[0] ? hwrng : "?");
}

/* The wait is over, one way or the other: the boot's services start. */
static void start_services(unsigned how)
{
	state = how;
	waited = (uint32_t)(clock_ms() - since);
	if (how == PROTO_ENTROPY_READY)
		say("entropy: random pool ready after %u ms; starting services", waited);
	else
		say_warn("entropy: random pool still not ready after %u s (entropy.wait_sec); starting services "
			 "anyway",
			 cfg_init.entropy_wait_sec);
	svc_boot();
}

void entropy_boot(void)
{
	since = clock_ms();
	read_hwrng();
	if (cfg_init.entropy_require_hwrng && strcmp(hwrng, cfg_init.entropy_require_hwrng)) {
		state = PROTO_ENTROPY_REFUSED;
		say_error("entropy: the hardware RNG is '%s', not '%s' (entropy.require_hwrng): no service starts",
			  hwrng[0] ? hwrng : "none", cfg_init.entropy_require_hwrng);
		if (shutdown_mode() == SYS_VM)
			shutdown_request(SYS_POWEROFF, "entropy.require_hwrng not met");
		return;
	}
	if (cfg_init.entropy_credit_hwrng_bytes)
		credit_hwrng();
	if (pool_ready()) {
		state = PROTO_ENTROPY_READY;
		svc_boot();
		return;
	}
	if (!cfg_init.entropy_wait_sec) {
		start_services(PROTO_ENTROPY_GAVE_UP);
		return;
	}
	state = PROTO_ENTROPY_WAITING;
	until = since + (int64_t)cfg_init.entropy_wait_sec * 1000;
	say("entropy: random pool not ready; services wait for it (at most %u s)", cfg_init.entropy_wait_sec);
}

void entropy_adopted(void)
{
	read_hwrng();
	state = pool_ready() ? PROTO_ENTROPY_READY : PROTO_ENTROPY_UNKNOWN;
}

int64_t entropy_next_deadline(void)
{
	return state == PROTO_ENTROPY_WAITING ? clock_ms() + ENTROPY_POLL_MS : 0;
}

void entropy_tick(int64_t now)
{
	if (state != PROTO_ENTROPY_WAITING)
		return;
	if (pool_ready())
		start_services(PROTO_ENTROPY_READY);
	else if (now >= until)
		start_services(PROTO_ENTROPY_GAVE_UP);
}

unsigned entropy_state(void)
{
	return state;
}

uint32_t entropy_waited_ms(void)
{
	return waited;
}

const char *entropy_hwrng(void)
{
	return hwrng;
}

uint32_t entropy_credited(void)
{
	return credited;
}
