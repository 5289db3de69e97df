/* svc.c: the service state machine (see svc.h for the picture).
 *
 * Owns the service table. Never blocks: starting is a fork whose outcome
 * arrives later through the exec-status pipe, stopping is a signal whose
 * outcome arrives later as a reaped child or a deadline. Never allocates.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfg.h"
#include "cgroup.h"
#include "check.h"
#include "clock.h"
#include "deps.h"
#include "events.h"
#include "fmt.h"
#include "health.h"
#include "log.h"
#include "say.h"
#include "spawn.h"
#include "svc.h"

static struct svc tab[SVC_SLOTS];
static int shutting_down;
static int draining; /* shutdown --drain: health stopping, services as they were */
static uint64_t restarts_total;
static int aggregate; /* the enclave's health as last reported (an event when it changes) */
void (*svc_app_ended)(void);

static const char *const state_name[SVC_NSTATES] = {
	[SVC_STOPPED] = "stopped",
	[SVC_STARTING] = "starting",
	[SVC_RUNNING] = "running",
	[SVC_STOPPING] = "stopping",
	[SVC_RESTART_WAIT] = "waiting to restart",
	[SVC_FAILED] = "failed",
	[SVC_WAITING] = "waiting for dependencies",
	[SVC_EXITED] = "exited",
};

const char *svc_state_name(enum svc_state st)
{
	return st < SVC_NSTATES ? state_name[st] : "?";
}

/* Whether state to means that nothing of service i runs any more: its
 * main process is gone and it is not kept up (an exited oneshot with
 * RemainAfterExit is, until it is stopped). */
static int is_down_state(int i, enum svc_state to)
{
	return to == SVC_STOPPED || to == SVC_FAILED || to == SVC_RESTART_WAIT ||
	       (to == SVC_EXITED && !svc_cfg(i)->remain_after_exit);
}

/* Down: what its main process left behind in its cgroup is killed at
 * once (systemd's KillMode=control-group, without the grace period: init
 * would need a state to wait in), and the cgroup removed. After a stop
 * nothing is left by then (the stop waits for the cgroup to empty). */
static void end_cgroup(int i)
{
	if (cgroup_populated(i) && cgroup_signal(i, SIGKILL) > 0)
		say("service %s: processes left in its cgroup killed", svc_cfg(i)->name);
	cgroup_release(i);
}

/* The one place a service changes state. */
static void set_state(int i, enum svc_state to)
{
	struct svc *s = &tab[i];
	int app_ends = i == SVC_APP && to == SVC_FAILED && s->state != SVC_FAILED;

	if (s->state != to && to != SVC_STARTING && to != SVC_STOPPING)
		say("service %s: %s -> %s", svc_cfg(i)->name, state_name[s->state], state_name[to]);
	if (s->state != to)
		events_add(i, PROTO_EVENT_STATE, s->state, to, 0);
	s->state = to;
	s->since = clock_ms();
	s->ready = to == SVC_RUNNING || to == SVC_EXITED;
	if (to != SVC_STOPPING && to != SVC_RESTART_WAIT)
		s->deadline = 0;
	if (to != SVC_STARTING && to != SVC_RUNNING)
		health_stop(i); /* checks run only while its process does */
	if (is_down_state(i, to))
		end_cgroup(i);
#if CFG_APP_SLOT
	/* As AWS's init: the enclave ends with its program, however it failed
	 * (exit, exec, fork, restart limit). A clean exit: act_exit. */
	if (app_ends && svc_app_ended)
		svc_app_ended();
#else
	(void)app_ends;
#endif
}

/* A lifecycle event of service i: on the console, in init.log, and in the
 * service's own log, where it reads like the manual's examples. */
static void __attribute__((format(printf, 3, 4))) note(int i, int warn, const char *f, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, f);
	fmt_vfmt(msg, sizeof msg, f, ap);
	va_end(ap);
	if (warn)
		say_warn("%s", msg);
	else
		say("%s", msg);
	log_note(i, msg);
}

static void close_exec_fd(struct svc *s)
{
	if (s->exec_fd >= 0)
		close(s->exec_fd);
	s->exec_fd = -1;
}

/* Read the child's setup report, if any. Returns 1 when the pipe is done
 * (EOF or a report), 0 when nothing has arrived yet. */
static int read_exec_report(int i)
{
	struct svc *s = &tab[i];
	struct spawn_report r;
	ssize_t n = read(s->exec_fd, &r, sizeof r);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == (ssize_t)sizeof r) {
		(void)spawn_describe(svc_cfg(i), &r, s->reason, sizeof s->reason);
		note(i, 1, "Service %s failed to start: %s", svc_cfg(i)->name, s->reason);
	}
	close_exec_fd(s);
	return 1;
}

/* Without StartLimitBurst and StartLimitIntervalSec (both 0 in the table)
 * a service is restarted for ever, but a crash loop is paced as s6 and
 * runit pace it: a start that failed, or a process that ended unsuccessfully
 * within THROTTLE_MS of its start, is started again no sooner than
 * THROTTLE_MS after that start. A clean exit (code 0) is not a crash: a
 * periodic job is restarted after RestartSec, however short its run. With
 * either key set, systemd's rate limit (over_limit) and no throttle. */
#define THROTTLE_MS 1000

static int throttles(const struct cfg_svc *c)
{
	return c->start_limit_burst == 0;
}

/* Enter RESTART_WAIT: service i started at started and has just ended
 * (crashed: unsuccessfully). Returns the seconds until its next start, for
 * the log. */
static unsigned wait_to_restart(int i, int64_t started, int crashed)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];
	int64_t at;

	set_state(i, SVC_RESTART_WAIT);
	at = s->since + (int64_t)c->restart_sec * 1000;
	if (crashed && throttles(c) && at < started + THROTTLE_MS)
		at = started + THROTTLE_MS;
	s->deadline = at;
	return (unsigned)((at - s->since + 999) / 1000);
}

int64_t svc_throttled(int i, int64_t now)
{
	const struct svc *s = &tab[i];
	const struct cfg_svc *c = svc_cfg(i);

	/* A wait longer than RestartSec can only be the throttle's. */
	if (s->state != SVC_RESTART_WAIT || !throttles(c) ||
	    s->deadline - s->since <= (int64_t)c->restart_sec * 1000)
		return 0;
	return s->deadline > now ? s->deadline - now : 1;
}

static void spawn(int i)
{
	struct svc *s = &tab[i];
	const struct cfg_svc *c = svc_cfg(i);
	pid_t pid;
	int cg;

	note(i, 0, "Starting service %s", c->name);
	s->want_start = 0;
	s->killed = 0;
	s->failing = 0;
	s->exec_ok = 0;
	s->reason[0] = 0;
	s->status[0] = 0;
	s->start_wall = clock_wall_ms();
	cg = cgroup_prepare(i);
	pid = spawn_service(c, &s->exec_fd, log_service_fd(i), cg);
	if (cg >= 0)
		close(cg);
	if (pid < 0) {
		fmt_fmt(s->reason, sizeof s->reason, "fork: %s", strerror(errno));
		note(i, 1, "Service %s failed to start: %s", c->name, s->reason);
		s->exec_fd = -1;
		s->exit_kind = SVC_EXIT_NONE;
		/* Treated like a failed run, so Restart= decides what comes next. */
		if (c->restart != CFG_RESTART_ALWAYS && c->restart != CFG_RESTART_ON_FAILURE) {
			set_state(i, SVC_FAILED);
			return;
		}
		(void)wait_to_restart(i, clock_ms(), 1);
		/* At least 100 ms: a fork that keeps failing must not spin init. */
		if (s->deadline < s->since + 100)
			s->deadline = s->since + 100;
		return;
	}
	s->pid = s->pgid = pid;
	set_state(i, SVC_STARTING);
	if (c->timeout_start_sec)
		s->deadline = s->since + (int64_t)c->timeout_start_sec * 1000; /* ready by then */
	note(i, 0, "Service %s started with PID %d", c->name, (int)pid);
}

static void signal_group(int i, int sig)
{
	struct svc *s = &tab[i];

	/* Its cgroup, where it has one: everything it started, its own
	 * session or not. The process group as well when that reached
	 * nobody (the child could not move in), and for SIGKILL (sure, and
	 * a second SIGKILL changes nothing). */
	if (cgroup_signal(i, sig) > 0 && sig != SIGKILL)
		return;
	/* The group is the service's own session: its helpers go down with it. */
	if (s->pgid > 0 && spawn_kill_group(s->pgid, sig) < 0 && errno != ESRCH)
		say_warn("service %s: cannot signal process group %d: %s", svc_cfg(i)->name, (int)s->pgid,
			 strerror(errno));
}

/* Down: nothing of it runs, and (a oneshot) nothing of it is kept: one
 * that exited 0 with RemainAfterExit stays up until it is stopped. */
static int is_down(int i)
{
	enum svc_state st = tab[i].state;

	return st == SVC_STOPPED || st == SVC_FAILED || (st == SVC_EXITED && !svc_cfg(i)->remain_after_exit);
}

/* Start i once its dependencies allow: services it requires are pulled
 * in (started too, as systemd's Requires= does), and dependants that were
 * stopped because i was stopped come back with it, once i is on its way
 * (so that they do not pull it in a second time). Both walk the
 * dependency graph, depth first: see walk() below. */
static void walk(int i, int dependants);

static void begin_start(int i)
{
	walk(i, 0);
}

/* What begin_start does once what i requires has been pulled in. */
static void start_self(int i)
{
	int culprit;

	tab[i].reason[0] = 0;
	if (deps_check(tab, i, &culprit) == DEPS_READY) {
		spawn(i);
	} else {
		set_state(i, SVC_WAITING);
		note(i, 0, "Service %s waits for %s", svc_cfg(i)->name, svc_cfg(culprit)->name);
	}
}

static void act_start(int i)
{
	begin_start(i);
}

static void act_spawn(int i)
{
	spawn(i);
	walk(i, 1);
}

static void act_deps_failed(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];
	int culprit = i;

	(void)deps_check(tab, i, &culprit);
	fmt_fmt(s->reason, sizeof s->reason, "dependency %s %s", svc_cfg(culprit)->name,
		tab[culprit].state == SVC_FAILED ? "failed" : "is not running");
	note(i, 1, "Service %s not started: %s", c->name, s->reason);
	set_state(i, SVC_FAILED);
}

static void act_term(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	note(i, 0, "Stopping service %s (SIGTERM to process group %d)", c->name, (int)s->pgid);
	signal_group(i, SIGTERM);
	signal_group(i, SIGCONT); /* a stopped process cannot act on SIGTERM */
	set_state(i, SVC_STOPPING);
	s->deadline = clock_ms() + (int64_t)c->stop_timeout_sec * 1000;
}

static void act_restart_running(int i)
{
	act_term(i);
	tab[i].want_start = 1;
}

static void act_want_start(int i)
{
	tab[i].want_start = 1;
}

static void act_cancel(int i)
{
	set_state(i, SVC_STOPPED);
}

/* Whether the exec alone makes service i ready (Type=simple without a
 * health check); else READY=1, a passing check or (oneshot) exit 0 does. */
static int ready_at_exec(int i)
{
	return svc_cfg(i)->type == CFG_TYPE_SIMPLE && !svc_cfg(i)->health_argv;
}

/* Starting -> running: dependants, --wait and the app may go on. The
 * watchdog, if any, runs from here. */
static void act_ready(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	close_exec_fd(s); /* it can only have notified after its exec */
	if (!s->exec_ok)
		health_start(i); /* READY=1 came before the exec's report: act_exec_ok will not */
	s->exec_ok = 1;
	s->ups++;
	set_state(i, SVC_RUNNING);
	events_add(i, PROTO_EVENT_READY, 0, 0, 0);
	if (!ready_at_exec(i))
		note(i, 0, "Service %s is ready", c->name);
	if (c->watchdog_sec)
		s->deadline = s->since + (int64_t)c->watchdog_sec * 1000;
}

static void act_exec_ok(int i)
{
	struct svc *s = &tab[i];

	close_exec_fd(s);
	if (s->state != SVC_STARTING || s->exec_ok)
		return;
	s->exec_ok = 1;
	health_start(i);
	if (ready_at_exec(i))
		act_ready(i);
}

/* Stop service i because it failed while up (start timeout, watchdog,
 * unhealthy): sig to its group, SIGKILL at TimeoutStopSec as any stop;
 * once it is down, stop_done hands it to Restart= (how 1) or restarts it
 * regardless (how 2: HealthAction=restart). */
static void fail_stop(int i, int sig, int how)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	note(i, 1, "Service %s failed: %s", c->name, s->reason);
	signal_group(i, sig);
	signal_group(i, SIGCONT);
	set_state(i, SVC_STOPPING);
	s->failing = (unsigned char)how;
	s->deadline = s->since + (int64_t)c->stop_timeout_sec * 1000;
}

static void act_start_timeout(int i)
{
	fmt_fmt(tab[i].reason, sizeof tab[i].reason, "not ready within %us (TimeoutStartSec)",
		svc_cfg(i)->timeout_start_sec);
	fail_stop(i, SIGTERM, 1);
}

/* Running with a deadline: the watchdog's (WatchdogSec) has passed. */
static void act_watchdog(int i)
{
	fmt_fmt(tab[i].reason, sizeof tab[i].reason, "watchdog timeout (no WATCHDOG=1 within %us)",
		svc_cfg(i)->watchdog_sec);
	events_add(i, PROTO_EVENT_WATCHDOG, 0, 0, 0);
	fail_stop(i, SIGABRT, 1); /* systemd's WatchdogSignal: a core, if it dumps one */
}

static void act_unhealthy(int i)
{
	fmt_fmt(tab[i].reason, sizeof tab[i].reason,
		"unhealthy after %u failed checks in a row (HealthAction=restart)", health_failures(i));
	fail_stop(i, SIGTERM, 2);
}

static void record_exit(int i, int status)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	log_drain(i); /* its last words come before the news of its exit */
	if (WIFSIGNALED(status)) {
		s->exit_kind = SVC_EXIT_SIGNAL;
		s->exit_signal = WTERMSIG(status);
		s->exit_code = 128 + s->exit_signal;
		note(i, 0, "Service %s killed by signal %d", c->name, s->exit_signal);
	} else {
		s->exit_kind = SVC_EXIT_CODE;
		s->exit_signal = 0;
		s->exit_code = WEXITSTATUS(status);
		note(i, 0, "Service %s exited with code %d", c->name, s->exit_code);
	}
	events_add(i, PROTO_EVENT_EXIT, 0, 0, (uint32_t)s->exit_code);
	s->pid = 0;
}

static int wants_restart(int i)
{
	const struct svc *s = &tab[i];
	int ok = s->exit_kind == SVC_EXIT_CODE && s->exit_code == 0 && !s->reason[0];

	switch (svc_cfg(i)->restart) {
	case CFG_RESTART_ALWAYS: return 1;
	case CFG_RESTART_ON_FAILURE: return !ok;
	case CFG_RESTART_ON_SUCCESS: return ok;
	}
	return 0;
}

static int last_status; /* the wait status being handled by act_exit */

/* Automatic restarts within StartLimitIntervalSec, a window that opens at
 * the first of them (systemd's rate limit); past StartLimitBurst: no more. */
static int over_limit(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];
	int64_t now = clock_ms();

	if (!c->start_limit_interval_sec)
		return 0;
	if (!s->limit_start || now - s->limit_start >= (int64_t)c->start_limit_interval_sec * 1000) {
		s->limit_start = now;
		s->limit_count = 0;
	}
	return ++s->limit_count > c->start_limit_burst;
}

static void act_exit(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];
	int64_t started = s->since; /* entered starting, or running at the exec: its start */
	int clean;

	if (s->exec_fd >= 0 && read_exec_report(i) && !s->reason[0] && s->state == SVC_STARTING &&
	    ready_at_exec(i))
		s->ups++; /* exec succeeded; the exit came in the same pass */
	record_exit(i, last_status);
	clean = s->exit_kind == SVC_EXIT_CODE && s->exit_code == 0 && !s->reason[0];
	if (c->type == CFG_TYPE_ONESHOT && clean && s->state == SVC_STARTING) {
		/* Its job is done: what comes after it may start. */
		s->ups++;
		set_state(i, SVC_EXITED);
		events_add(i, PROTO_EVENT_READY, 0, 0, 0);
	} else if (!shutting_down && wants_restart(i)) {
		unsigned sec = wait_to_restart(i, started, !clean);

		if (svc_throttled(i, s->since))
			note(i, 0, "Service %s will restart in %us (throttled: it ended within %ds of its start)",
			     c->name, sec, THROTTLE_MS / 1000);
		else
			note(i, 0, "Service %s will restart in %us", c->name, sec);
	} else if (clean) {
		set_state(i, SVC_STOPPED);
	} else {
		set_state(i, SVC_FAILED);
	}
#if CFG_APP_SLOT
	if (i == SVC_APP && (s->state == SVC_STOPPED || s->state == SVC_EXITED) && svc_app_ended)
		svc_app_ended(); /* a clean exit with no restart; failures: set_state */
#endif
}

static void stop_done(int i)
{
	struct svc *s = &tab[i];

	note(i, 0, "Service %s stopped", svc_cfg(i)->name);
	close_exec_fd(s);
	if (s->failing && !shutting_down && !s->want_start) {
		/* Down after a failure (start timeout, watchdog, health): as a
		 * crash, Restart= decides; HealthAction=restart restarts. */
		if (s->failing == 2 || wants_restart(i)) {
			note(i, 0, "Service %s will restart in %us", svc_cfg(i)->name,
			     wait_to_restart(i, s->since, 1));
			return;
		}
		set_state(i, SVC_FAILED);
		return;
	}
	set_state(i, s->failing && !s->want_start ? SVC_FAILED : SVC_STOPPED);
	if (s->want_start && !shutting_down)
		begin_start(i);
}

/* Whether anything of service i runs: its process group, or (contained)
 * anything in its cgroup, such as a child that left the group. */
static int group_alive(int i)
{
	return spawn_group_alive(tab[i].pgid) || cgroup_populated(i);
}

static void act_exit_stopping(int i)
{
	record_exit(i, last_status);
	/* Wait for the rest of the group, if any, before calling it stopped. */
	if (!group_alive(i))
		stop_done(i);
}

static void act_stop_timeout(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	if (!s->killed) {
		note(i, 1, "Service %s did not stop within %us: sending SIGKILL", c->name, c->stop_timeout_sec);
		signal_group(i, SIGKILL);
		s->killed = 1;
		s->deadline = clock_ms() + (int64_t)c->stop_timeout_sec * 1000;
	} else {
		say_error("service %s: process group %d survives SIGKILL; giving up on it", c->name, (int)s->pgid);
		s->pid = 0;
		stop_done(i);
	}
}

static void act_restart_due(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	if (over_limit(i)) {
		fmt_fmt(s->reason, sizeof s->reason, "restart limit reached: %u restarts within %us",
			c->start_limit_burst, c->start_limit_interval_sec);
		note(i, 1, "Service %s not restarted: %s", c->name, s->reason);
		set_state(i, SVC_FAILED);
		return;
	}
	s->restarts++;
	restarts_total++;
	events_add(i, PROTO_EVENT_RESTART, 0, 0, s->restarts);
	note(i, 0, "Restarting service %s (restart %u)", c->name, s->restarts);
	begin_start(i);
}

/* What each event does in each state; a missing entry means "ignore". */
typedef void action(int i);
static action *const machine[SVC_NSTATES][SVC_NEVENTS] = {
	[SVC_STOPPED] = { [SVC_EV_START] = act_start, [SVC_EV_RESTART] = act_start },
	[SVC_FAILED] = { [SVC_EV_START] = act_start, [SVC_EV_RESTART] = act_start },
	[SVC_WAITING] = { [SVC_EV_STOP] = act_cancel,
			  [SVC_EV_DEPS_READY] = act_spawn,
			  [SVC_EV_DEPS_FAILED] = act_deps_failed },
	[SVC_STARTING] = { [SVC_EV_STOP] = act_term,
			   [SVC_EV_RESTART] = act_restart_running,
			   [SVC_EV_EXEC_OK] = act_exec_ok,
			   [SVC_EV_EXIT] = act_exit,
			   [SVC_EV_READY] = act_ready,
			   [SVC_EV_DEADLINE] = act_start_timeout,
			   [SVC_EV_UNHEALTHY] = act_unhealthy },
	[SVC_RUNNING] = { [SVC_EV_STOP] = act_term,
			  [SVC_EV_RESTART] = act_restart_running,
			  [SVC_EV_EXIT] = act_exit,
			  [SVC_EV_DEADLINE] = act_watchdog,
			  [SVC_EV_UNHEALTHY] = act_unhealthy },
	[SVC_EXITED] = { [SVC_EV_START] = act_start, [SVC_EV_RESTART] = act_start, [SVC_EV_STOP] = act_cancel },
	[SVC_STOPPING] = { [SVC_EV_START] = act_want_start,
			   [SVC_EV_RESTART] = act_want_start,
			   [SVC_EV_EXEC_OK] = act_exec_ok,
			   [SVC_EV_EXIT] = act_exit_stopping,
			   [SVC_EV_DEADLINE] = act_stop_timeout,
			   [SVC_EV_GROUP_GONE] = stop_done },
	[SVC_RESTART_WAIT] = { [SVC_EV_START] = act_start,
			       [SVC_EV_RESTART] = act_start,
			       [SVC_EV_STOP] = act_cancel,
			       [SVC_EV_DEADLINE] = act_restart_due },
};

void svc_event(int i, enum svc_event ev)
{
	action *act;

	if (NEVER(i < 0 || i >= SVC_N || ev >= SVC_NEVENTS))
		return;
	act = machine[tab[i].state][ev];
	if (act)
		act(i);
}

/* A depth-first walk of the dependency graph without recursion (dinit
 * uses queues "to avoid recursion"): a stack of the services on the way,
 * each with the next of its dependencies to look at. A service is on the
 * stack at most once, so it holds at most SVC_SLOTS of them. */
struct frame {
	int i, k; /* service i, the next of its steps (dependencies) to take */
};
struct walk {
	struct frame f[SVC_SLOTS];
	int n;
};

/* i's START event; when it begins a start, i is pushed on the walk rather
 * than begun here. One already on the walk is not begun again from deeper
 * in it: its start is under way. */
static void walk_start(struct walk *w, int i)
{
	int j;

	if (machine[tab[i].state][SVC_EV_START] != act_start) {
		svc_event(i, SVC_EV_START);
		return;
	}
	for (j = 0; j < w->n; j++)
		if (w->f[j].i == i)
			return;
	if (NEVER(w->n >= SVC_SLOTS))
		return;
	w->f[w->n].i = i;
	w->f[w->n].k = 0;
	w->n++;
}

/* begin_start(i), depth first: pull in, in order, each service i requires
 * that is down (each with what it requires in turn), then start i, then
 * bring back its dependants (each with its own). A service's steps are
 * numbered: first its nrequires requirements, then its start, then its
 * nsucc successors. With dependants set, i's walk begins at those. */
static void walk(int i, int dependants)
{
	struct walk w;

	w.n = 1;
	w.f[0].i = i;
	w.f[0].k = dependants ? svc_cfg(i)->nrequires + 1 : 0;
	while (w.n > 0) {
		struct frame *f = &w.f[w.n - 1];
		const struct cfg_svc *c = svc_cfg(f->i);
		int k = f->k++, d = k - c->nrequires - 1;

		if (k < c->nrequires) {
			if (is_down(c->requires[k]))
				walk_start(&w, c->requires[k]);
		} else if (k == c->nrequires) {
			start_self(f->i);
		} else if (d < c->nsucc) {
			if (tab[c->succ[d]].dep_stopped && deps_requires(c->succ[d], f->i)) {
				tab[c->succ[d]].dep_stopped = 0;
				walk_start(&w, c->succ[d]);
			}
		} else {
			w.n--;
		}
	}
}

/* Whether a service that requires i is still up (or about to stop). */
static int dependants_up(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	int k;

	for (k = 0; k < c->nsucc; k++) {
		int d = c->succ[k];
		if (deps_requires(d, i) && (svc_is_active(tab[d].state) || tab[d].pending))
			return 1;
	}
	return 0;
}

/* Stop what requires i, theirs first (systemd: a service is stopped when
 * a service it requires is stopped or restarted by an operator); they are
 * marked to start again with i. Depth first, as walk(): a service is
 * stopped (or held back, while its own dependants are still up) once every
 * dependant of it was. Returns 1 while any dependant of i is still up. */
static int stop_dependants(int i)
{
	struct frame f[SVC_SLOTS];
	int n = 1;

	f[0].i = i;
	f[0].k = 0;
	while (n > 0) {
		int at = f[n - 1].i;
		const struct cfg_svc *c = svc_cfg(at);

		if (f[n - 1].k < c->nsucc) {
			int d = c->succ[f[n - 1].k++];
			/* Dependants come later in start order: the stack holds
			 * each service at most once. */
			if (!deps_requires(d, at) || is_down(d) || tab[d].pending || NEVER(n >= SVC_SLOTS))
				continue;
			tab[d].dep_stopped = 1;
			tab[d].want_start = 0;
			f[n].i = d;
			f[n].k = 0;
			n++;
		} else if (--n > 0) {
			if (dependants_up(at))
				tab[at].pending = SVC_EV_STOP + 1;
			else
				svc_event(at, SVC_EV_STOP);
		}
	}
	return dependants_up(i);
}

enum svc_result svc_request(int i, enum svc_event ev)
{
	enum svc_state st = tab[i].state;

	if (shutting_down)
		return SVC_SHUTTING_DOWN;
	if (ev == SVC_EV_START && tab[i].pending) {
		/* A stop waiting for dependants is called off; they come back. */
		tab[i].pending = 0;
		walk(i, 1);
		return SVC_OK;
	}
	if (ev == SVC_EV_START && (st == SVC_STARTING || st == SVC_RUNNING || (st == SVC_EXITED && !is_down(i))))
		return SVC_ALREADY_RUNNING;
	if (ev == SVC_EV_STOP && is_down(i)) {
		tab[i].dep_stopped = 0; /* stays down, even when what it requires comes back */
		return SVC_NOT_RUNNING;
	}
	tab[i].dep_stopped = 0; /* the operator's word replaces the dependency's */
	tab[i].pending = 0;
	if (ev == SVC_EV_STOP) {
		tab[i].want_start = 0; /* an operator's stop overrides a pending restart, */
		tab[i].failing = 0;    /* and the one a failure stop would end in */
	} else {
		tab[i].limit_start = 0; /* an operator's start clears the restart limit */
		tab[i].limit_count = 0;
	}
	if (ev != SVC_EV_START && !is_down(i) && stop_dependants(i)) {
		tab[i].pending = (unsigned char)(ev + 1); /* once they are down */
		return SVC_OK;
	}
	svc_event(i, ev);
	return SVC_OK;
}

enum svc_result svc_enable(int i, int enable, int start_now)
{
	if (shutting_down)
		return SVC_SHUTTING_DOWN;
	tab[i].enabled = (unsigned char)enable;
	if (enable && start_now && (is_down(i) || tab[i].state == SVC_RESTART_WAIT))
		return svc_request(i, SVC_EV_START);
	if (!enable && !is_down(i))
		return svc_request(i, SVC_EV_STOP);
	return SVC_OK;
}

void svc_init(void)
{
	int i;

	for (i = 0; i < SVC_N; i++) {
		memset(&tab[i], 0, sizeof tab[i]);
		tab[i].exec_fd = -1;
		tab[i].enabled = svc_cfg(i)->enabled;
		tab[i].since = clock_ms();
	}
}

void svc_boot_except(const unsigned char *adopted)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (tab[i].enabled && !(adopted && adopted[i]))
			svc_event(i, SVC_EV_START);
}

void svc_boot(void)
{
	svc_boot_except(0);
}

void svc_adopt(int i, const struct svc *old)
{
	struct svc *s = &tab[i];

	*s = *old;
	s->exec_fd = -1; /* closed by the exec: a start under way counts as done */
	if (s->state == SVC_STARTING && !s->exec_ok) {
		s->exec_ok = 1;
		if (ready_at_exec(i)) {
			s->state = SVC_RUNNING;
			s->ready = 1;
			s->ups++;
		}
	}
	/* Checks start over; the state they left is not handed over. */
	if (s->state == SVC_STARTING || s->state == SVC_RUNNING)
		health_start(i);
}

void svc_adopt_pid(int i, pid_t pid)
{
	tab[i].pid = tab[i].pgid = pid;
	tab[i].ups = 1;
	set_state(i, SVC_RUNNING);
}

int svc_find(const char *name)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (svc_present(i) && !strcmp(svc_cfg(i)->name, name))
			return i;
	return -1;
}

const struct svc *svc_get(int i)
{
	return &tab[i];
}

int svc_is_active(enum svc_state s)
{
	return s == SVC_RUNNING || s == SVC_STARTING || s == SVC_STOPPING;
}

int svc_reaped(pid_t pid, int status)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (tab[i].pid == pid) {
			last_status = status;
			svc_event(i, SVC_EV_EXIT);
			return 1;
		}
	return 0;
}

/* One scan: waiting services, stopping groups, deadlines. */
static void scan(int64_t now)
{
	int i, culprit;

	for (i = 0; i < SVC_N; i++) {
		struct svc *s = &tab[i];

		if (s->state == SVC_WAITING) {
			enum deps_verdict v = deps_check(tab, i, &culprit);
			if (v != DEPS_WAIT)
				svc_event(i, v == DEPS_READY ? SVC_EV_DEPS_READY : SVC_EV_DEPS_FAILED);
		}
		if (s->state == SVC_STOPPING && s->pid == 0 && !group_alive(i))
			svc_event(i, SVC_EV_GROUP_GONE);
		else if (s->deadline && now >= s->deadline)
			svc_event(i, SVC_EV_DEADLINE);
	}
}

static void note_aggregate(void)
{
	int health = svc_aggregate();

	if (health != aggregate) {
		events_add(-1, PROTO_EVENT_SYSTEM, (unsigned)aggregate, (unsigned)health, 0);
		aggregate = health;
	}
}

void svc_tick(int64_t now)
{
	int round, i, fired = 1;

	/* A held-back stop goes ahead once a dependant went down in the scan
	 * (at any index); what it changes may free a waiting service, so the
	 * scan runs again until nothing fires (each round settles at least
	 * one service, so this ends). */
	for (round = 0; fired && round <= SVC_N; round++) {
		scan(now);
		fired = 0;
		for (i = SVC_N - 1; i >= 0; i--)
			if (tab[i].pending && !dependants_up(i)) {
				enum svc_event ev = (enum svc_event)(tab[i].pending - 1);
				tab[i].pending = 0;
				svc_event(i, ev);
				fired = 1;
			}
	}
	cgroup_tidy();
	note_aggregate();
}

int64_t svc_next_deadline(void)
{
	int64_t next = 0;
	int i;

	for (i = 0; i < SVC_N; i++)
		if (tab[i].deadline && (!next || tab[i].deadline < next))
			next = tab[i].deadline;
	return next;
}

int svc_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < SVC_N && n < max; i++)
		if (tab[i].exec_fd >= 0) {
			p[n].fd = tab[i].exec_fd;
			p[n].events = POLLIN;
			p[n].revents = 0;
			n++;
		}
	return n;
}

void svc_poll_done(const struct pollfd *p, int n)
{
	int i, k;

	for (k = 0; k < n; k++) {
		if (!p[k].revents)
			continue;
		for (i = 0; i < SVC_N; i++)
			if (tab[i].exec_fd == p[k].fd) {
				if (read_exec_report(i) && !tab[i].reason[0])
					svc_event(i, SVC_EV_EXEC_OK);
				break;
			}
	}
}

int svc_shutdown_step(void)
{
	int i, k, left = 0;

	shutting_down = 1;
	for (i = SVC_N - 1; i >= 0; i--) {
		struct svc *s = &tab[i];
		int later_up = 0;

		s->want_start = 0;
		s->pending = 0;
		if (s->state == SVC_RESTART_WAIT || s->state == SVC_WAITING)
			svc_event(i, SVC_EV_STOP);
		if (s->state == SVC_STOPPED || s->state == SVC_FAILED || s->state == SVC_EXITED)
			continue;
		left++;
		if (s->state == SVC_STOPPING)
			continue;
		/* Reverse order: wait until everything started after it is down,
		 * the app (which comes after every configured service) included. */
		for (k = 0; k < svc_cfg(i)->nsucc; k++)
			later_up |= svc_is_active(tab[svc_cfg(i)->succ[k]].state);
#if CFG_APP_SLOT
		if (i != SVC_APP && svc_present(SVC_APP))
			later_up |= svc_is_active(tab[SVC_APP].state);
#endif
		if (!later_up)
			svc_event(i, SVC_EV_STOP);
	}
	return left == 0;
}

int svc_of_pid(pid_t pid)
{
	pid_t sid;
	int i;

	if (pid <= 0)
		return -1; /* no credentials: from outside init's PID namespace, say */
	for (i = 0; i < SVC_N; i++)
		if (tab[i].pid == pid && pid > 0)
			return i;
	/* A helper of the service (systemd-notify from its script): each
	 * service is its own session, so the session says whose it is. */
	sid = getsid(pid);
	for (i = 0; sid > 0 && i < SVC_N; i++)
		if (tab[i].pgid == sid && (tab[i].state == SVC_STARTING || tab[i].state == SVC_RUNNING))
			return i;
	return -1;
}

void svc_notify_ready(int i)
{
	if (svc_cfg(i)->type == CFG_TYPE_NOTIFY)
		svc_event(i, SVC_EV_READY);
}

void svc_notify_watchdog(int i, int trigger)
{
	struct svc *s = &tab[i];
	unsigned sec = svc_cfg(i)->watchdog_sec;

	if (s->state != SVC_RUNNING || !sec)
		return;
	if (trigger)
		s->deadline = clock_ms(); /* fires on this pass's tick */
	else
		s->deadline = clock_ms() + (int64_t)sec * 1000;
}

void svc_notify_status(int i, const char *text)
{
	fmt_fmt(tab[i].status, sizeof tab[i].status, "%s", text);
}

void svc_health_changed(int i, int from, int to)
{
	const struct cfg_svc *c = svc_cfg(i);
	struct svc *s = &tab[i];

	events_add(i, PROTO_EVENT_HEALTH, (unsigned)from, (unsigned)to,
		   health_result(i, 0) ? (uint32_t)health_result(i, 0)->exit_code : 0);
	note(i, to == PROTO_HEALTH_UNHEALTHY, "Service %s is %s", c->name,
	     to == PROTO_HEALTH_HEALTHY     ? "healthy"
	     : to == PROTO_HEALTH_UNHEALTHY ? "unhealthy"
					    : "starting");
	/* No sd_notify: its first passing check is its readiness. */
	if (to == PROTO_HEALTH_HEALTHY && s->state == SVC_STARTING && s->exec_ok && c->type == CFG_TYPE_SIMPLE)
		svc_event(i, SVC_EV_READY);
	if (to == PROTO_HEALTH_UNHEALTHY && c->health_action == CFG_HEALTH_RESTART && !shutting_down)
		svc_event(i, SVC_EV_UNHEALTHY);
}

uint64_t svc_restarts_total(void)
{
	return restarts_total;
}

/* One service's part in the enclave's health: 0 fine, 1 on its way, 2 bad. */
static int verdict(int i)
{
	const struct svc *s = &tab[i];

	switch (s->state) {
	case SVC_RUNNING: return health_state(i) == PROTO_HEALTH_UNHEALTHY ? 2 : 0;
	case SVC_EXITED: return 0;
	case SVC_STARTING:
	case SVC_WAITING: return 1;
	case SVC_STOPPING: return s->want_start || s->pending ? 1 : 2;
	default: return 2; /* failed, waiting to restart, or stopped while enabled */
	}
}

void svc_set_draining(void)
{
	draining = 1;
	note_aggregate(); /* the event comes now, not at the next state change */
}

int svc_aggregate(void)
{
	int i, n = 0, bad = 0, starting = 0, app_bad = 0;

	if (shutting_down || draining)
		return PROTO_SYS_STOPPING;
	for (i = 0; i < SVC_N; i++) {
		int v;
		if (!svc_present(i) || !tab[i].enabled)
			continue;
		v = verdict(i);
		n++;
		bad += v == 2;
		starting += v == 1;
		app_bad |= i == SVC_APP && v == 2;
	}
	if (app_bad || (n && bad == n))
		return PROTO_SYS_UNHEALTHY;
	if (bad)
		return PROTO_SYS_DEGRADED;
	return starting ? PROTO_SYS_STARTING : PROTO_SYS_HEALTHY;
}
