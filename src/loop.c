/* loop.c: the event loop, all of it.
 *
 * One poll(2) over every descriptor init owns; its timeout is the nearest
 * deadline in the tables (restart delays, stop timeouts, client deadlines,
 * shutdown grace). Nothing else in init waits. Each wake-up runs the same
 * fixed passes, so the order of effects is always the same.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "adhoc.h"
#include "cfg.h"
#include "clock.h"
#include "ctl.h"
#include "log.h"
#include "loop.h"
#include "reload.h"
#include "reap.h"
#include "say.h"
#include "shutdown.h"
#include "sigs.h"
#include "stream.h"
#include "svc.h"

/* signalfd + two listeners + clients + an exec pipe and a log pipe per
 * service + log streams + exec pipes of ad-hoc processes. */
#define LOOP_MAX_FDS (3 + CFG_MAX_CLIENTS + 2 * SVC_SLOTS + CFG_MAX_LOG_STREAMS + CFG_MAX_ADHOC)

static int64_t earliest(int64_t a, int64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* Without a signalfd (it could not be created) nothing announces a dead
 * child: then the loop wakes every second and reaps anyway. */
#define NO_SIGNALFD_POLL_MS 1000

static int timeout_ms(int64_t deadline, int signal_fd)
{
	int64_t now = clock_ms();

	if (!deadline)
		return signal_fd < 0 ? NO_SIGNALFD_POLL_MS : -1;
	if (deadline <= now)
		return 0;
	if (signal_fd < 0 && deadline - now > NO_SIGNALFD_POLL_MS)
		return NO_SIGNALFD_POLL_MS;
	return deadline - now > 60000 ? 60000 : (int)(deadline - now);
}

void loop_run(int signal_fd)
{
	struct pollfd p[LOOP_MAX_FDS];
	int first = 1;  /* the first pass does not wait, and reaps: see below */

	for (;;) {
		int64_t next = earliest(earliest(svc_next_deadline(), ctl_next_deadline()),
					earliest(earliest(shutdown_deadline(), reload_deadline()),
						 stream_next_deadline()));
		int nsvc, nlog, nctl, nstr, nadh, n = 0;
		unsigned sig;
		int64_t now;

		p[n].fd = signal_fd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
		nsvc = svc_poll_add(p + n, LOOP_MAX_FDS - n);
		n += nsvc;
		nlog = log_poll_add(p + n, LOOP_MAX_FDS - n);
		n += nlog;
		nctl = ctl_poll_add(p + n, LOOP_MAX_FDS - n);
		n += nctl;
		nstr = stream_poll_add(p + n, LOOP_MAX_FDS - n);
		n += nstr;
		nadh = adhoc_poll_add(p + n, LOOP_MAX_FDS - n);
		n += nadh;
		if (poll(p, (nfds_t)n, first ? 0 : timeout_ms(next, signal_fd)) < 0 && errno != EINTR)
			say_error("poll: %s", strerror(errno));

		/* 1. signals: reap first, so every pass below sees who is gone.
		 * The first pass reaps anyway and runs every tick: after a reload
		 * a child may have died during the exec, and an adopted service
		 * may be waiting for something that is already settled. */
		sig = signal_fd < 0 || first ? SIGS_CHLD : p[0].revents ? sigs_read(signal_fd) : 0;
		if (first && signal_fd >= 0 && p[0].revents)
			sig |= sigs_read(signal_fd);
		first = 0;
		if (sig & SIGS_CHLD)
			(void)reap_all();
		if (sig & SIGS_TERM)
			shutdown_request(SYS_POWEROFF, "SIGTERM/SIGINT");
		if (sig & SIGS_HUP) {
			char msg[128];
			(void)reload_request("SIGHUP", msg, sizeof msg);
		}
		/* 2. exec outcomes; 3. service output; 4. requests, acted on at
		 * once; 5. deadlines and stopping groups; 6. shutdown progress,
		 * which may follow from any of the above; 7. clients past their
		 * deadline. */
		svc_poll_done(p + 1, nsvc);
		adhoc_poll_done(p + 1 + nsvc + nlog + nctl + nstr, nadh);
		log_poll_done(p + 1 + nsvc, nlog);
		now = clock_ms();
		ctl_poll_done(p + 1 + nsvc + nlog, nctl, now);
		stream_poll_done(p + 1 + nsvc + nlog + nctl, nstr, now);
		svc_tick(now);
		shutdown_tick(now);
		reload_tick(now);
		ctl_tick(now);
		stream_tick(now);
		/* 8. a reload asked for above, now that its answer has been sent */
		reload_run_pending();
	}
}
