/* timesync.c: the wall clock kept near a time source's (timesync.h).
 *
 * One attempt at a time, never more: IDLE until the next sample is due,
 * then CONNECTING (a non-blocking connect, CONNECT_MS at most), then
 * ANSWER (the request sent; the reply due within clock.max_rtt_ms). A
 * failure of any kind ends the attempt with one log line and the state
 * that says why; the next attempt comes clock.interval_sec after this one
 * began. The offset's arithmetic and bounds are clockplan.c's; here are
 * the descriptors, the clocks and the log. Never blocks, never allocates.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timex.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "clockplan.h"
#include "fmt.h"
#include "say.h"
#include "timeproto.h"
#include "timesync.h"
#include "vsock.h"

#define CONNECT_MS 1000 /* a connection to the source, at most */
/* A dynamic PTP clock's id from its descriptor (the kernel's
 * FD_TO_CLOCKID, which musl's headers do not carry). */
#define FD_TO_CLOCKID(fd) ((clockid_t)((~(unsigned)(fd) << 3) | 3))

enum phase { IDLE, CONNECTING, ANSWER };

static enum phase phase;
static int fd = -1, ptp_fd = -1;
static int64_t next_at, deadline;    /* monotonic ms; deadline: of the attempt's phase */
static int64_t sent_real, sent_mono; /* ns, when the request left */
static uint64_t nonce;
static unsigned char reply[TIMEPROTO_SIZE];
static size_t got;

/* What system-status shows. */
static unsigned state; /* enum proto_clock */
static int64_t last_offset_ns, last_rtt_ns;
static uint32_t adjustments, refused;
static uint64_t adjusted_us, last_sync;

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "+3600.012 s" or "-1.234 ms": signed, three decimals. */
static const char *show(char *buf, size_t n, int64_t ns)
{
	uint64_t mag = ns < 0 ? (uint64_t)-ns : (uint64_t)ns;
	char sign = ns < 0 ? '-' : '+';

	if (mag >= 1000000000)
		fmt_fmt(buf, n, "%c%llu.%03llu s", sign, (unsigned long long)(mag / 1000000000),
			(unsigned long long)(mag / 1000000 % 1000));
	else
		fmt_fmt(buf, n, "%c%llu.%03llu ms", sign, (unsigned long long)(mag / 1000000),
			(unsigned long long)(mag / 1000 % 1000));
	return buf;
}

static void end_attempt(void)
{
	if (fd >= 0)
		(void)close(fd);
	fd = -1;
	phase = IDLE;
	got = 0;
}

/* The attempt failed: say why, once per attempt. */
static void give_up(unsigned why, const char *what, const char *detail)
{
	end_attempt();
	state = why;
	if (why == PROTO_CLOCK_REJECTED)
		refused++;
	say_warn("clock: %s %s: %s; clock left as it is", what, cfg_init.clock_source, detail);
}

static struct clockplan_bounds bounds(void)
{
	struct clockplan_bounds b = {
		(int64_t)cfg_init.clock_max_step_ms * CLOCKPLAN_MS,
		(int64_t)cfg_init.clock_max_backward_ms * CLOCKPLAN_MS,
		(int64_t)cfg_init.clock_slew_below_ms * CLOCKPLAN_MS,
	};
	return b;
}

static int step(int64_t by)
{
	int64_t t = now_ns(CLOCK_REALTIME) + by;
	struct timespec ts = { (time_t)(t / 1000000000), (long)(t % 1000000000) };

	return clock_settime(CLOCK_REALTIME, &ts);
}

static int slew(int64_t by)
{
	struct timex tx = { 0 };

	tx.modes = ADJ_OFFSET_SINGLESHOT; /* adjtime(3): the kernel slews at 0.5 ms/s */
	tx.offset = (long)(by / 1000);
	return adjtimex(&tx) < 0 ? -1 : 0;
}

/* Act on a plan, and log it with its size. */
static void apply(const struct clockplan *p)
{
	static const char *const verb[] = { "", "slewing", "stepped" };
	char amount[32], off[32], rtt[32];
	int rc;

	(void)show(off, sizeof off, last_offset_ns);
	(void)show(rtt, sizeof rtt, last_rtt_ns);
	state = p->bounded ? PROTO_CLOCK_BOUNDED : PROTO_CLOCK_SYNCED;
	if (p->kind == CLOCKPLAN_NONE) {
		if (p->bounded)
			say_warn("clock: offset %s (rtt %s) not corrected: bounded by %s", off, rtt + 1, p->bound);
		return;
	}
	(void)show(amount, sizeof amount, p->amount_ns);
	rc = p->kind == CLOCKPLAN_STEP ? step(p->amount_ns) : slew(p->amount_ns);
	if (rc < 0) {
		state = PROTO_CLOCK_FAILED;
		say_warn("clock: unable to %s the clock by %s (offset %s, rtt %s): %s",
			 p->kind == CLOCKPLAN_STEP ? "step" : "slew", amount, off, rtt + 1, strerror(errno));
		return;
	}
	adjustments++;
	adjusted_us += (uint64_t)(p->amount_ns < 0 ? -p->amount_ns : p->amount_ns) / 1000;
	say("clock: %s %s (offset %s, rtt %s%s%s)", verb[p->kind], amount, off, rtt + 1,
	    p->bounded ? ", bounded by " : "", p->bound);
}

/* A sample: the source's time, our wall clock when the request left, and
 * the round trip. */
static void sample(int64_t server_ns, int64_t send_real, int64_t rtt_ns)
{
	struct clockplan_bounds b = bounds();
	struct clockplan p;

	last_rtt_ns = rtt_ns;
	if (rtt_ns > (int64_t)cfg_init.clock_max_rtt_ms * CLOCKPLAN_MS) {
		char rtt[32], why[96];
		(void)show(rtt, sizeof rtt, rtt_ns);
		fmt_fmt(why, sizeof why, "the round trip took %s, more than clock.max_rtt_ms (%u)", rtt + 1,
			cfg_init.clock_max_rtt_ms);
		give_up(PROTO_CLOCK_REJECTED, "discarded a sample of", why);
		return;
	}
	last_offset_ns = clockplan_offset(server_ns, send_real, rtt_ns);
	last_sync = (uint64_t)clock_wall();
	p = clockplan_make(last_offset_ns, rtt_ns, &b);
	apply(&p);
}

/* --- PTP: a clock device, read without a round trip over any wire ------ */

static void sample_ptp(void)
{
	int64_t before, ptp, after;

	if (ptp_fd < 0)
		ptp_fd = open(cfg_init.clock_path, O_RDONLY | O_CLOEXEC);
	if (ptp_fd < 0) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot open", strerror(errno));
		return;
	}
	before = now_ns(CLOCK_REALTIME);
	ptp = now_ns(FD_TO_CLOCKID(ptp_fd));
	after = now_ns(CLOCK_REALTIME);
	if (ptp <= 0 || ptp >= (int64_t)1 << 62 || after < before) {
		give_up(PROTO_CLOCK_REJECTED, "cannot read", ptp <= 0 ? strerror(errno) : "a time out of range");
		return;
	}
	sample(ptp, before, after - before);
}

/* --- a socket: VSOCK (the parent) or Unix ------------------------------- */

static void send_request(void)
{
	unsigned char f[TIMEPROTO_SIZE];
	struct timeproto_msg m = { TIMEPROTO_REQUEST, 0, 0 };

	/* Not a secret, only a match: a nonce from the pool, or if that is not
	 * ready, one that differs from the last. */
	if (getrandom(&nonce, sizeof nonce, GRND_NONBLOCK) != (ssize_t)sizeof nonce)
		nonce = nonce * 6364136223846793005ULL + (uint64_t)now_ns(CLOCK_MONOTONIC);
	m.nonce = nonce;
	timeproto_pack(f, &m);
	sent_real = now_ns(CLOCK_REALTIME);
	sent_mono = now_ns(CLOCK_MONOTONIC);
	if (write(fd, f, sizeof f) != (ssize_t)sizeof f) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot send to", errno ? strerror(errno) : "a short write");
		return;
	}
	phase = ANSWER;
	got = 0;
	deadline = clock_ms() + cfg_init.clock_max_rtt_ms + 1;
}

static void take_reply(void)
{
	struct timeproto_msg m;
	ssize_t n = read(fd, reply + got, sizeof reply - got);
	int64_t rtt = now_ns(CLOCK_MONOTONIC) - sent_mono;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot read from", strerror(errno));
		return;
	}
	if (n == 0) {
		char why[64];
		fmt_fmt(why, sizeof why, "closed after %zu of %d bytes", got, TIMEPROTO_SIZE);
		give_up(PROTO_CLOCK_REJECTED, "no answer from", why);
		return;
	}
	got += (size_t)n;
	if (got < sizeof reply)
		return; /* a frame may come in pieces */
	if (timeproto_unpack(reply, got, &m) < 0 || m.kind != TIMEPROTO_REPLY) {
		give_up(PROTO_CLOCK_REJECTED, "refused the answer of", "not a valid reply frame");
		return;
	}
	if (m.nonce != nonce) {
		give_up(PROTO_CLOCK_REJECTED, "refused the answer of", "it does not carry our nonce");
		return;
	}
	end_attempt();
	sample((int64_t)m.time_ns, sent_real, rtt);
}

static int source_addr(struct sockaddr_storage *a, socklen_t *len)
{
	memset(a, 0, sizeof *a);
	if (cfg_init.clock_source_kind == CFG_CLOCK_VSOCK) {
		struct vsock_addr *v = (struct vsock_addr *)a;
		v->svm_family = AF_VSOCK;
		v->svm_cid = cfg_init.clock_vsock_cid;
		v->svm_port = cfg_init.clock_vsock_port;
		*len = sizeof *v;
		return AF_VSOCK;
	}
	struct sockaddr_un *u = (struct sockaddr_un *)a;
	u->sun_family = AF_UNIX;
	fmt_fmt(u->sun_path, sizeof u->sun_path, "%s", cfg_init.clock_path);
	*len = sizeof *u;
	return AF_UNIX;
}

static void connect_source(void)
{
	struct sockaddr_storage a;
	socklen_t len;
	int family = source_addr(&a, &len);

	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot reach", strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&a, len) == 0) {
		send_request();
		return;
	}
	if (errno != EINPROGRESS && errno != EAGAIN) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot reach", strerror(errno));
		return;
	}
	phase = CONNECTING;
	deadline = clock_ms() + CONNECT_MS;
}

static void connected(void)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		give_up(PROTO_CLOCK_UNREACHABLE, "cannot reach", strerror(err));
		return;
	}
	send_request();
}

/* --- the loop's hooks ----------------------------------------------------- */

int timesync_poll_add(struct pollfd *p, int max)
{
	if (fd < 0 || max < 1)
		return 0;
	p->fd = fd;
	p->events = phase == CONNECTING ? POLLOUT : POLLIN;
	p->revents = 0;
	return 1;
}

void timesync_poll_done(const struct pollfd *p, int n, int64_t now)
{
	(void)now;
	if (n < 1 || !p->revents || p->fd != fd)
		return;
	if (phase == CONNECTING)
		connected();
	else if (phase == ANSWER)
		take_reply();
}

int64_t timesync_next_deadline(void)
{
	if (cfg_init.clock_source_kind == CFG_CLOCK_OFF)
		return 0;
	if (!state)
		return clock_ms(); /* the first sample: now */
	return phase == IDLE ? next_at : deadline;
}

void timesync_tick(int64_t now)
{
	if (cfg_init.clock_source_kind == CFG_CLOCK_OFF)
		return;
	if (!state) {
		state = PROTO_CLOCK_WAITING;
		next_at = now;
	}
	if (phase != IDLE && now >= deadline) {
		char why[64];
		fmt_fmt(why, sizeof why, "no %s within %d ms", phase == CONNECTING ? "connection" : "answer",
			phase == CONNECTING ? CONNECT_MS : (int)cfg_init.clock_max_rtt_ms);
		give_up(phase == CONNECTING ? PROTO_CLOCK_UNREACHABLE : PROTO_CLOCK_REJECTED,
			phase == CONNECTING ? "cannot reach" : "no answer from", why);
	}
	if (phase != IDLE || now < next_at)
		return;
	next_at = now + (int64_t)cfg_init.clock_interval_sec * 1000;
	if (cfg_init.clock_source_kind == CFG_CLOCK_PTP)
		sample_ptp();
	else
		connect_source();
}

void timesync_report(struct proto_system *v)
{
	v->clock = (uint8_t)(cfg_init.clock_source_kind == CFG_CLOCK_OFF ? PROTO_CLOCK_OFF
			     : state                                     ? state
									 : PROTO_CLOCK_WAITING);
	v->clock_offset_us = last_offset_ns / 1000;
	v->clock_rtt_us = (uint32_t)(last_rtt_ns / 1000);
	v->clock_adjustments = adjustments;
	v->clock_adjusted_us = adjusted_us;
	v->clock_last_sync = last_sync;
	v->clock_refused = refused;
	fmt_fmt(v->clock_source, sizeof v->clock_source, "%s", cfg_init.clock_source ? cfg_init.clock_source : "");
}
