/* shutdown.c: the end of init's life, in phases the loop steps through.
 *
 * Never blocks: each phase waits for a condition (the drain's end,
 * services down, no child left, log streams caught up, waiting clients
 * answered) or a deadline. As PID 1 of a VM it ends in reboot(2) and,
 * should that fail, stays alive reaping: exiting would panic the kernel.
 *
 * The last two phases are what a `shutdown --wait` is answered by: FLUSH
 * takes the last words of every log pipe and gives the log streams up to
 * SHUTDOWN_FLUSH_MS to take every line (init's own last one, "powering
 * off", included); CONFIRM answers the waiting clients and gives them up
 * to SHUTDOWN_CONFIRM_MS to close their end, the sign that the answer
 * reached them, before the machine goes.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "reap.h"
#include "say.h"
#include "shutdown.h"
#include "stream.h"
#include "svc.h"
#include "sys.h"

/* The inode of the initial PID namespace (PROC_PID_INIT_INO in the kernel). */
#define INIT_PID_NS_INO 0xEFFFFFFCu

enum phase { RUNNING, DRAIN, STOP_SERVICES, TERM_REST, KILL_REST, FLUSH, CONFIRM, HOSED };

static enum sys_mode mode;
static enum phase phase = RUNNING;
static enum sys_halt halt;
static int64_t deadline;
static char outcome[128]; /* what a waiting client is told at the end */

void shutdown_detect_mode(void)
{
	struct stat st;

	if (getpid() != 1)
		mode = SYS_PROCESS;
	else if (sys_stat("/proc/self/ns/pid", &st, 0) == 0 && st.st_ino != INIT_PID_NS_INO)
		mode = SYS_CONTAINER;
	else
		mode = SYS_VM; /* when unsure, the mode that never exits */
}

enum sys_mode shutdown_mode(void)
{
	return mode;
}

const char *shutdown_mode_name(void)
{
	static const char *const names[] = { "PID 1 of a VM", "PID 1 of a container", "supervisor (not PID 1)" };
	return names[mode];
}

static const char *halt_word(void)
{
	return halt == SYS_REBOOT ? "reboot" : "power off";
}

enum shutdown_answer shutdown_drain(enum sys_halt how, const char *why, uint32_t drain_sec)
{
	int64_t end = clock_ms() + (int64_t)drain_sec * 1000;

	if (phase == DRAIN && end < deadline) {
		/* A request for less drain (none: SIGTERM, a plain shutdown)
		 * cuts it short; its kind stays the first request's. */
		say("%s: the drain ends %s", why, drain_sec ? "sooner" : "now");
		deadline = end;
		return SHUTDOWN_SHORTENED;
	}
	if (phase != RUNNING) {
		say("shutdown already under way; ignoring %s", why);
		return SHUTDOWN_UNDER_WAY;
	}
	halt = how;
	if (!drain_sec) {
		say("%s: shutting down (%s)", why, halt_word());
		phase = STOP_SERVICES;
		return SHUTDOWN_STARTED;
	}
	say("%s: draining for %u s, health stopping, then shutting down (%s)", why, drain_sec, halt_word());
	svc_set_draining();
	deadline = end;
	phase = DRAIN;
	return SHUTDOWN_STARTED;
}

void shutdown_request(enum sys_halt how, const char *why)
{
	(void)shutdown_drain(how, why, 0);
}

int shutdown_active(void)
{
	return phase != RUNNING;
}

int shutdown_confirmed(void)
{
	return phase == CONFIRM || phase == HOSED;
}

const char *shutdown_outcome(void)
{
	return outcome;
}

int64_t shutdown_deadline(void)
{
	return phase == DRAIN || phase == TERM_REST || phase == KILL_REST || phase == FLUSH || phase == CONFIRM
		     ? deadline
		     : 0;
}

static void finish(void)
{
	sync();
	if (mode != SYS_VM) {
		cgroup_teardown(); /* the hierarchy outlives a container's init */
		_exit(0);
	}
	reboot(halt == SYS_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
	/* We are seriously hosed: stay PID 1 and keep reaping. */
	say_error("reboot(2) failed: %s; init stays up", strerror(errno));
	phase = HOSED;
}

/* Every process is gone: take the pipes' last words, say init's own last
 * line, and let the log streams catch up. */
static void last_words(int64_t now)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (svc_present(i))
			log_drain(i);
	say(mode != SYS_VM ? "exiting" : halt == SYS_REBOOT ? "rebooting" : "powering off");
	deadline = now + SHUTDOWN_FLUSH_MS;
	phase = FLUSH;
}

/* The streams have taken every line, or the time is up: answer. */
static void confirm(int64_t now)
{
	int behind = stream_pending();
	const char *end = mode != SYS_VM ? "exiting" : halt == SYS_REBOOT ? "rebooting" : "powering off";

	if (behind)
		fmt_fmt(outcome, sizeof outcome,
			"Every service stopped; %d log stream(s) still behind after %d s, left behind; %s", behind,
			SHUTDOWN_FLUSH_MS / 1000, end);
	else
		fmt_fmt(outcome, sizeof outcome,
			"Every service stopped, every log line handed to the log streams; %s", end);
	deadline = now + SHUTDOWN_CONFIRM_MS;
	phase = CONFIRM;
}

static void signal_rest(int sig)
{
	/* kill(-1) reaches every process but init itself: only right when init
	 * owns the whole PID namespace. */
	if (mode != SYS_PROCESS) {
		(void)kill(-1, sig);
		(void)kill(-1, SIGCONT);
	}
}

void shutdown_tick(int64_t now, int holding)
{
	switch (phase) {
	case DRAIN:
		if (now < deadline)
			return;
		say("drain over: shutting down (%s)", halt_word());
		phase = STOP_SERVICES;
		/* fall through */
	case STOP_SERVICES:
		if (!svc_shutdown_step())
			return;
		say("all services stopped");
		if (mode == SYS_PROCESS) {
			last_words(now);
			return;
		}
		signal_rest(SIGTERM);
		deadline = now + SHUTDOWN_GRACE_MS;
		phase = TERM_REST;
		/* There may be nothing left to wait for: check at once. */
		/* fall through */
	case TERM_REST:
		if (reap_all()) {
			last_words(now);
		} else if (now >= deadline) {
			say_warn("processes left after %ds: sending SIGKILL", SHUTDOWN_GRACE_MS / 1000);
			signal_rest(SIGKILL);
			deadline = now + SHUTDOWN_GRACE_MS;
			phase = KILL_REST;
		}
		return;
	case KILL_REST:
		if (reap_all() || now >= deadline)
			last_words(now);
		return;
	case FLUSH:
		if (stream_pending() && now < deadline)
			return;
		confirm(now);
		/* fall through */
	case CONFIRM:
		if (!holding || now >= deadline)
			finish();
		return;
	case RUNNING:
	case HOSED: return;
	}
}
