/* entropy.c: the boot's services wait for the random pool (entropy.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
#include "spawn.h"
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

/* Crediting runs in a worker child: a hardware RNG may refuse
 * non-blocking reads (the NSM's does: EAGAIN), and a blocking read must
 * never be init's. The worker reads up to credit_hwrng_bytes, credits them
 * with RNDADDENTROPY (counted as full entropy: the image's builder chose
 * to trust this device by setting the key) and reports how it went. */
enum { CREDIT_OPEN, CREDIT_READ, CREDIT_IOCTL };
struct credit_report {
	int bytes; /* credited; 0 on failure */
	int stage; /* where it failed */
	int err;   /* errno there; 0 for a read of no bytes */
};
#define CREDIT_TIMEOUT_MS 10000

static int credit_fd = -1;
static pid_t credit_pid;
static int64_t credit_until;

/* The worker's whole job; returns its report. */
static struct credit_report credit_do(int want)
{
	struct pool_add add;
	struct credit_report r = { 0, CREDIT_OPEN, 0 };
	int in = open(HWRNG_DEV, O_RDONLY | O_CLOEXEC), rnd;
	ssize_t n;

	if (in < 0) {
		r.err = errno;
		return r;
	}
	r.stage = CREDIT_READ;
	n = read(in, add.buf, (size_t)want);
	if (n <= 0) {
		r.err = n < 0 ? errno : 0;
		return r;
	}
	add.entropy_count = (int)n * 8;
	add.buf_size = (int)n;
	r.stage = CREDIT_IOCTL;
	rnd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
	if (rnd < 0 || ioctl(rnd, RNDADDENTROPY, &add) < 0)
		r.err = errno;
	else
		r.bytes = (int)n;
	explicit_bzero(add.buf, sizeof add.buf);
	return r;
}

static void credit_work(int fd, const void *ctx)
{
	struct credit_report r = credit_do(*(const int *)ctx);

	(void)!write(fd, &r, sizeof r);
}

static void credit_hwrng(void)
{
	static int want;

	want = (int)cfg_init.entropy_credit_hwrng_bytes;
	if (want > HWRNG_CREDIT_MAX)
		want = HWRNG_CREDIT_MAX;
	credit_pid = spawn_worker(credit_work, &want, &credit_fd);
	if (credit_pid < 0) {
		say_warn("entropy: fork: %s; nothing credited from %s", strerror(errno), HWRNG_DEV);
		credit_fd = -1;
		return;
	}
	credit_until = clock_ms() + CREDIT_TIMEOUT_MS;
}

/* The worker's report, once it is there (or the worker is given up on). */
static void credit_poll(int64_t now)
{
	static const char *const stage[] = { "open", "read", "RNDADDENTROPY" };
	struct credit_report r;
	ssize_t n;

	if (credit_fd < 0)
		return;
	n = read(credit_fd, &r, sizeof r);
	if (n < 0 && (errno == EAGAIN || errno == EINTR) && now < credit_until)
		return;
	if (n == (ssize_t)sizeof r && r.bytes > 0) {
		credited = (uint32_t)r.bytes;
		say("entropy: credited %u bytes of %s (%s) to the pool", credited, HWRNG_DEV,
		    hwrng[0] ? hwrng : "?");
	} else if (n == (ssize_t)sizeof r) {
		say_warn("entropy: %s %s: %s; nothing credited", HWRNG_DEV, stage[(unsigned)r.stage % 3],
			 r.err ? strerror(r.err) : "no bytes");
	} else if (n == 0) {
		say_warn("entropy: the worker reading %s ended without a word; nothing credited", HWRNG_DEV);
	} else {
		say_warn("entropy: %s gave nothing within %d s; nothing credited", HWRNG_DEV,
			 CREDIT_TIMEOUT_MS / 1000);
		(void)kill(credit_pid, SIGKILL); /* reaped as any child */
	}
	close(credit_fd);
	credit_fd = -1;
}

void entropy_cancel(void)
{
	if (credit_fd < 0)
		return;
	say_warn("entropy: reloading: the worker reading %s is killed; nothing credited", HWRNG_DEV);
	(void)kill(credit_pid, SIGKILL); /* the new init reaps it as an orphan */
	close(credit_fd);
	credit_fd = -1;
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
	if (cfg_init.entropy_require_hwrng && strcmp(hwrng, cfg_init.entropy_require_hwrng) != 0) {
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
	return state == PROTO_ENTROPY_WAITING || credit_fd >= 0 ? clock_ms() + ENTROPY_POLL_MS : 0;
}

void entropy_tick(int64_t now)
{
	credit_poll(now);
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
