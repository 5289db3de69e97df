/* loop.c: the event loop, all of it.
 *
 * One poll(2) over every descriptor init owns; its timeout is the nearest
 * deadline in the tables (restart delays, stop timeouts, client deadlines,
 * shutdown grace, log streams). Nothing else in init waits. Each wake-up
 * runs the same fixed passes, in the order of the tables below, so the
 * order of effects is always the same.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "adhoc.h"
#include "attest.h"
#include "cfg.h"
#include "clock.h"
#include "ctl.h"
#include "entropy.h"
#include "health.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "reap.h"
#include "reload.h"
#include "say.h"
#include "shutdown.h"
#include "sigs.h"
#include "stream.h"
#include "svc.h"
#include "timesync.h"

/* signalfd + two listeners + the notify socket + clients + an exec pipe,
 * a log pipe and a health check's pipe per service + log streams + exec
 * pipes of ad-hoc processes + the pipes of attestation requests + the
 * clock's source. */
#define LOOP_MAX_FDS (5 + CFG_MAX_CLIENTS + 3 * SVC_SLOTS + CFG_MAX_LOG_STREAMS + CFG_MAX_ADHOC + ATTEST_SLOTS)

/* Without a signalfd (it could not be created) nothing announces a dead
 * child: then the loop wakes every second and reaps anyway. */
#define NO_SIGNALFD_POLL_MS 1000

static void svc_done(const struct pollfd *p, int n, int64_t now)
{
	(void)now;
	svc_poll_done(p, n);
}
static void adhoc_done(const struct pollfd *p, int n, int64_t now)
{
	(void)now;
	adhoc_poll_done(p, n);
}
/* The end of a shutdown waits for the clients that wait for it. */
static void shutdown_step(int64_t now)
{
	shutdown_tick(now, ctl_holding());
}
static void log_done(const struct pollfd *p, int n, int64_t now)
{
	(void)now;
	log_poll_done(p, n);
}

/* Every owner of descriptors: what it wants polled, what to do after. */
static const struct source {
	int (*add)(struct pollfd *p, int max);
	void (*done)(const struct pollfd *p, int n, int64_t now);
} sources[] = {
	{ svc_poll_add, svc_done },                /* 2. exec outcomes of services */
	{ adhoc_poll_add, adhoc_done },            /*    and of ad-hoc processes */
	{ notify_poll_add, notify_poll_done },     /*    readiness (sd_notify) */
	{ log_poll_add, log_done },                /* 3. service output */
	{ health_poll_add, health_poll_done },     /*    and health checks' */
	{ attest_poll_add, attest_poll_done },     /*    and attestation requests' answers */
	{ ctl_poll_add, ctl_poll_done },           /* 4. requests, acted on at once */
	{ stream_poll_add, stream_poll_done },     /* 5. log streams */
	{ timesync_poll_add, timesync_poll_done }, /*    the clock's source */
};
#define NSOURCES (int)(sizeof sources / sizeof sources[0])

/* 6. deadlines and stopping groups; shutdown progress, which may follow
 * from any of the above; clients and streams past their deadline. */
static int64_t (*const deadlines[])(void) = {
	svc_next_deadline,     ctl_next_deadline,    shutdown_deadline,
	reload_deadline,       stream_next_deadline, health_next_deadline,
	entropy_next_deadline, attest_next_deadline, timesync_next_deadline,
};
static void (*const ticks[])(int64_t now) = { entropy_tick, health_tick, attest_tick, svc_tick,     shutdown_step,
					      reload_tick,  ctl_tick,    stream_tick, timesync_tick };

static int timeout_ms(int signal_fd)
{
	int64_t deadline = 0, now = clock_ms();
	size_t k;

	for (k = 0; k < sizeof deadlines / sizeof deadlines[0]; k++) {
		int64_t d = deadlines[k]();
		if (d && (!deadline || d < deadline))
			deadline = d;
	}
	if (!deadline)
		return signal_fd < 0 ? NO_SIGNALFD_POLL_MS : -1;
	if (deadline <= now)
		return 0;
	if (signal_fd < 0 && deadline - now > NO_SIGNALFD_POLL_MS)
		return NO_SIGNALFD_POLL_MS;
	return deadline - now > 60000 ? 60000 : (int)(deadline - now);
}

/* 1. signals: reap first, so every pass after sees who is gone. */
static void take_signals(unsigned sig)
{
	char msg[128];

	if (sig & SIGS_CHLD)
		(void)reap_all();
	if (sig & SIGS_TERM)
		shutdown_request(SYS_POWEROFF, "SIGTERM/SIGINT");
	if (sig & SIGS_HUP)
		(void)reload_request("SIGHUP", msg, sizeof msg);
}

void loop_run(int signal_fd)
{
	struct pollfd p[LOOP_MAX_FDS];
	int count[NSOURCES];
	int first = 1; /* the first pass does not wait, and reaps: see below */

	for (;;) {
		int n = 0, k, at;
		unsigned sig;
		int64_t now;

		p[n].fd = signal_fd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
		for (k = 0; k < NSOURCES; k++) {
			count[k] = sources[k].add(p + n, LOOP_MAX_FDS - n);
			n += count[k];
		}
		if (poll(p, (nfds_t)n, first ? 0 : timeout_ms(signal_fd)) < 0 && errno != EINTR)
			say_error("poll: %s", strerror(errno));

		/* The first pass reaps anyway and runs every tick: after a reload a
		 * child may have died during the exec, and an adopted service may
		 * be waiting for something that is already settled. */
		sig = signal_fd < 0 || first ? SIGS_CHLD : 0;
		if (signal_fd >= 0 && p[0].revents)
			sig |= sigs_read(signal_fd);
		first = 0;
		take_signals(sig);
		now = clock_ms();
		for (k = 0, at = 1; k < NSOURCES; at += count[k++])
			sources[k].done(p + at, count[k], now);
		for (k = 0; k < (int)(sizeof ticks / sizeof ticks[0]); k++)
			ticks[k](now);
		/* what log.c noted on the way (log.c itself never says) */
		say_log_warnings();
		/* 7. a reload asked for above, now that its answer has been sent */
		reload_run_pending();
	}
}
