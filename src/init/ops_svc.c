/* ops_svc.c: the service operations: ping, list, status, start, stop,
 * restart (and their --wait), enable, disable, system-status, reload,
 * shutdown and reboot (handlers of ops.c's table; see ops_handlers.h).
 *
 * A start is a fork and a stop a signal: neither waits. A --wait answers
 * once svc.c's machine has reached the state asked for, or cannot, or the
 * time is up; until then the reply only waits in its ready handler.
 */
#include <string.h>

#include "cfg.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "ops_handlers.h"
#include "procfs.h"
#include "reload.h"
#include "shutdown.h"
#include "svc.h"

void ops_svc_ping(struct reply *r, const struct proto_req *rq)
{
	(void)rq;
	ops_say(r, PROTO_OK, "Pong - init system is responsive");
}

/* Word a service request's outcome; returns 1 when it was carried out. */
static int service_result(struct reply *r, enum svc_event ev, enum svc_state before, enum svc_result res)
{
	const char *name = svc_cfg(r->svc)->name;

	switch (res) {
	case SVC_OK:
		if (ev == SVC_EV_START && before == SVC_STOPPING)
			ops_say(r, PROTO_OK, "Service '%s' will start once it has stopped", name);
		else if (ev == SVC_EV_START)
			ops_say(r, PROTO_OK, "Service '%s' started", name);
		else if (ev == SVC_EV_RESTART)
			ops_say(r, PROTO_OK, "Service '%s' restarted", name);
		else if (before == SVC_RESTART_WAIT)
			ops_say(r, PROTO_OK, "Service '%s' stopped (pending restart cancelled)", name);
		else
			ops_say(r, PROTO_OK, "Service '%s' stop signal sent", name);
		return 1;
	case SVC_ALREADY_RUNNING: ops_say(r, PROTO_E_STATE, "Service '%s' is already running", name); return 0;
	case SVC_NOT_RUNNING: ops_say(r, PROTO_E_STATE, "Service '%s' is not running", name); return 0;
	case SVC_SHUTTING_DOWN: ops_say(r, PROTO_E_BUSY, "init is shutting down"); return 0;
	}
	return 0;
}

static void service_request(struct reply *r, enum svc_event ev, const struct proto_req *rq)
{
	const struct svc *s = svc_get(r->svc);
	enum svc_state before = s->state;
	unsigned ups = s->ups, held = s->pending;

	if (!service_result(r, ev, before, svc_request(r->svc, ev)))
		return;
	if (ev == SVC_EV_START && held) {
		ops_say(r, PROTO_OK, "Service '%s' keeps running: its pending stop is called off",
			svc_cfg(r->svc)->name);
		return; /* nothing to wait for */
	}
	if (rq->wait) {
		r->wait.ev = ev;
		r->wait.ups = ups;
		r->wake = clock_ms() + (int64_t)rq->wait_sec * 1000; /* give up then */
	}
}

void ops_svc_start(struct reply *r, const struct proto_req *rq)
{
	service_request(r, SVC_EV_START, rq);
}

void ops_svc_stop(struct reply *r, const struct proto_req *rq)
{
	service_request(r, SVC_EV_STOP, rq);
}

void ops_svc_restart(struct reply *r, const struct proto_req *rq)
{
	service_request(r, SVC_EV_RESTART, rq);
}

/* A waiting request is settled once the service has reached the state
 * asked for, or cannot, or the time is up; then the message is set. */
static int wait_ready(struct reply *r)
{
	const struct svc *s = svc_get(r->svc);
	const char *name = svc_cfg(r->svc)->name;
	int starting = r->wait.ev != SVC_EV_STOP;

	if (!r->wake)
		return 1; /* answered at once */
	if (!starting && (s->state == SVC_STOPPED || s->state == SVC_FAILED)) {
		ops_say(r, PROTO_OK, "Service '%s' stopped", name);
	} else if (starting && s->ups > r->wait.ups && s->state == SVC_RUNNING) {
		ops_say(r, PROTO_OK, "Service '%s' is running (PID %d)", name, (int)s->pid);
	} else if (starting && s->ups > r->wait.ups && s->state == SVC_EXITED) {
		ops_say(r, PROTO_OK, "Service '%s' has run to completion", name);
	} else if (starting && s->ups > r->wait.ups && s->state != SVC_FAILED) {
		ops_say(r, PROTO_OK, "Service '%s' started, and has exited already", name);
	} else if (starting && s->state == SVC_RESTART_WAIT && s->reason[0] && s->ups == r->wait.ups) {
		/* Its start failed (exec, fork) and its policy tries again: as
		 * systemd's start job, this one has failed (with no restart
		 * limit, the service may never give up). */
		ops_say(r, PROTO_E_FAILED, "Service '%s' failed to start: %s (it will be started again)", name,
			s->reason);
	} else if (starting && s->state == SVC_FAILED) {
		r->status = PROTO_E_FAILED;
		if (s->reason[0])
			ops_say(r, PROTO_OK, "Service '%s' failed: %s", name, s->reason);
		else
			ops_say(r, PROTO_OK, "Service '%s' failed (exit status %d)", name, s->exit_code);
	} else if (starting && s->state == SVC_STOPPED && !s->pending && !s->want_start) {
		ops_say(r, PROTO_E_FAILED, "Service '%s' was stopped before it was running", name);
	} else if (clock_ms() >= r->wake) {
		ops_say(r, PROTO_E_FAILED, "timed out waiting for service '%s' to be %s (it is %s)", name,
			starting ? "running" : "stopped", svc_state_name(s->state));
	} else {
		return 0;
	}
	r->wake = 0;
	return 1;
}

const struct ops_reply ops_svc_wait_reply = { .ready = wait_ready };

static void enable_request(struct reply *r, int enable, int now)
{
	const char *name = svc_cfg(r->svc)->name;
	enum svc_state before = svc_get(r->svc)->state;
	enum svc_result res = svc_enable(r->svc, enable, now);

	if (res == SVC_SHUTTING_DOWN) {
		service_result(r, SVC_EV_START, before, res);
		return;
	}
	if (enable && now && res == SVC_OK && before != svc_get(r->svc)->state)
		ops_say(r, PROTO_OK, "Service '%s' enabled and started", name);
	else if (enable)
		ops_say(r, PROTO_OK, "Service '%s' enabled", name);
	else if (before != svc_get(r->svc)->state)
		ops_say(r, PROTO_OK, "Service '%s' disabled and stopping", name);
	else
		ops_say(r, PROTO_OK, "Service '%s' disabled", name);
}

void ops_svc_enable(struct reply *r, const struct proto_req *rq)
{
	enable_request(r, 1, rq->now);
}

void ops_svc_disable(struct reply *r, const struct proto_req *rq)
{
	(void)rq;
	enable_request(r, 0, 0);
}

void ops_svc_reload(struct reply *r, const struct proto_req *rq)
{
	(void)rq;
	if (reload_request("initctl", r->msg, sizeof r->msg) < 0)
		r->status = PROTO_E_BUSY;
}

/* shutdown, reboot, with a drain and --wait or without (shutdown.h says
 * what a second request does while one runs). A --wait is answered at the
 * very end; without it the answer comes at once, as it always did. A
 * --wait that would take the last free slot is refused, nothing done:
 * waiters and followers together leave one for commands. */
static void shutdown_op(struct reply *r, const struct proto_req *rq, int reboot)
{
	const char *what = reboot ? "reboot" : "shutdown";

	if (rq->wait && ops_obs_slots_held() >= CFG_MAX_CLIENTS - 1) {
		r->status = PROTO_E_BUSY;
		ops_say(r, PROTO_OK,
			"too many clients held open (followers and %s --wait: at most %d at once); "
			"try again later, or without --wait",
			what, CFG_MAX_CLIENTS - 1);
		return;
	}
	switch (shutdown_drain(reboot ? SYS_REBOOT : SYS_POWEROFF, "initctl", rq->drain_sec)) {
	case SHUTDOWN_STARTED:
		if (rq->drain_sec)
			ops_say(r, PROTO_OK, "System %s initiated: draining for %u s (health: stopping)", what,
				rq->drain_sec);
		else
			ops_say(r, PROTO_OK, "System %s initiated", what);
		break;
	case SHUTDOWN_SHORTENED:
		ops_say(r, PROTO_OK, "System %s: the drain under way ends %s", what,
			rq->drain_sec ? "sooner" : "now");
		break;
	case SHUTDOWN_UNDER_WAY:
		if (!rq->wait) {
			ops_say(r, PROTO_E_BUSY, "init is already shutting down");
			return;
		}
		break; /* waits for the end of the one under way */
	}
	r->hold = rq->wait;
	r->hold_counted = rq->wait;
	/* It holds its slot until the end, which a drain puts up to a day away. */
	ops_obs_held(rq->wait);
}

/* A --wait is answered once shutdown.c says the end has come. */
static int shutdown_ready(struct reply *r)
{
	if (!r->hold)
		return 1;
	if (!shutdown_confirmed())
		return 0;
	ops_say(r, PROTO_OK, "%s", shutdown_outcome());
	return 1;
}

static void shutdown_release(struct reply *r)
{
	ops_obs_held(-r->hold_counted);
	r->hold_counted = 0;
}

const struct ops_reply ops_svc_shutdown_reply = { .ready = shutdown_ready, .release = shutdown_release };

void ops_svc_shutdown(struct reply *r, const struct proto_req *rq)
{
	shutdown_op(r, rq, 0);
}

void ops_svc_reboot(struct reply *r, const struct proto_req *rq)
{
	shutdown_op(r, rq, 1);
}

static int list_next(struct reply *r, unsigned char *f)
{
	while (r->step < SVC_N && !svc_present(r->step))
		r->step++;
	if (r->step == SVC_N)
		return 0;
	ops_svc_record(f, r->step++);
	return 1;
}

const struct ops_reply ops_svc_list_reply = { .next = list_next };

/* What changes while the reply goes out is taken once, when asked. */
void ops_svc_status(struct reply *r, const struct proto_req *rq)
{
	int64_t left = svc_throttled(r->svc, clock_ms());

	(void)rq;
	fmt_fmt(r->st.reason, sizeof r->st.reason, "%s", svc_get(r->svc)->reason);
	fmt_fmt(r->st.status, sizeof r->st.status, "%s", svc_get(r->svc)->status);
	r->st.throttle[0] = 0;
	if (left)
		fmt_fmt(r->st.throttle, sizeof r->st.throttle,
			"next start in %ds (it ended within 1s of its start)", (int)((left + 999) / 1000));
}

/* The text records of a status reply, in this order; 0 or "" are skipped. */
static const unsigned char status_keys[] = {
	PROTO_KEY_COMMAND,       PROTO_KEY_WORKDIR,     PROTO_KEY_AFTER,  PROTO_KEY_REQUIRES,
	PROTO_KEY_BEFORE,        PROTO_KEY_REQUIRED_BY, PROTO_KEY_REASON, PROTO_KEY_THROTTLE,
	PROTO_KEY_NOTIFY_STATUS, PROTO_KEY_HEALTH_CMD,
};

static const char *status_text(const struct reply *r, int key)
{
	const struct cfg_svc *c = svc_cfg(r->svc);

	switch (key) {
	case PROTO_KEY_COMMAND: return c->exec_text;
	case PROTO_KEY_WORKDIR: return c->workdir;
	case PROTO_KEY_AFTER: return c->after_text;
	case PROTO_KEY_REQUIRES: return c->requires_text;
	case PROTO_KEY_BEFORE: return c->before_text;
	case PROTO_KEY_REQUIRED_BY: return c->required_by_text;
	case PROTO_KEY_REASON: return r->st.reason;
	case PROTO_KEY_THROTTLE: return r->st.throttle;
	case PROTO_KEY_NOTIFY_STATUS: return r->st.status;
	case PROTO_KEY_HEALTH_CMD: return c->health_text;
	}
	return 0;
}

/* Step 0 is the SVC record, step k the text of status_keys[k - 1]. */
static int status_next(struct reply *r, unsigned char *f)
{
	if (r->step == 0) {
		ops_svc_record(f, r->svc);
		r->step = 1;
		return 1;
	}
	for (; r->step <= (int)sizeof status_keys; r->step++) {
		int key = status_keys[r->step - 1];
		if (ops_text(r, f, key, status_text(r, key)))
			return 1;
	}
	return 0;
}

const struct ops_reply ops_svc_status_reply = { .next = status_next };

static int system_next(struct reply *r, unsigned char *f)
{
	if (r->step == 0) {
		ops_system_record(f);
		r->step = PROTO_KEY_SERVICE_DIR;
		return 1;
	}
	for (; r->step <= PROTO_KEY_LOG_DIR; r->step++)
		if (ops_text(r, f, r->step,
			     r->step == PROTO_KEY_SERVICE_DIR ? cfg_init.service_dir : cfg_init.log_dir))
			return 1;
	return 0;
}

const struct ops_reply ops_svc_system_reply = { .next = system_next };
