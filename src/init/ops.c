/* ops.c: control requests, carried out and answered.
 *
 * The request is acted on at once (a start is a fork, a stop is a signal:
 * neither waits), then the answer is produced frame by frame from live
 * state. Messages are worded here, in init, so every initctl, whatever its
 * version or transport, prints the same thing.
 */
#include <string.h>

#include "cfg.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "ops.h"
#include "ops_ps.h"
#include "procfs.h"
#include "reload.h"
#include "shutdown.h"
#include "stream.h"
#include "svc.h"

static const char *const op_names[PROTO_OP_MAX + 1] = {
	[PROTO_OP_PING] = "ping", [PROTO_OP_LIST] = "list", [PROTO_OP_STATUS] = "status",
	[PROTO_OP_START] = "start", [PROTO_OP_STOP] = "stop", [PROTO_OP_RESTART] = "restart",
	[PROTO_OP_SYSTEM_STATUS] = "system-status", [PROTO_OP_SHUTDOWN] = "shutdown",
	[PROTO_OP_REBOOT] = "reboot", [PROTO_OP_LOGS] = "logs", [PROTO_OP_LOGS_CLEAR] = "logs-clear",
	[PROTO_OP_ENABLE] = "enable", [PROTO_OP_DISABLE] = "disable", [PROTO_OP_RELOAD] = "reload",
	[PROTO_OP_LOGS_STREAM] = "logs-stream", [PROTO_OP_LOGS_STREAM_STOP] = "logs-stream-stop",
	[PROTO_OP_PS_LIST] = "ps list", [PROTO_OP_PS_STATUS] = "ps status", [PROTO_OP_PS_START] = "ps start",
	[PROTO_OP_PS_STOP] = "ps stop", [PROTO_OP_PS_KILL] = "ps kill", [PROTO_OP_PS_RESTART] = "ps restart",
};

static int changes_state(unsigned op)
{
	return op == PROTO_OP_START || op == PROTO_OP_STOP || op == PROTO_OP_RESTART ||
	       op == PROTO_OP_SHUTDOWN || op == PROTO_OP_REBOOT || op == PROTO_OP_LOGS_CLEAR ||
	       op == PROTO_OP_ENABLE || op == PROTO_OP_DISABLE || op == PROTO_OP_RELOAD ||
	       (ops_ps_op(op) && op != PROTO_OP_PS_LIST && op != PROTO_OP_PS_STATUS);
}

/* What every reply starts from: nothing held yet. */
static void reply_init(struct reply *r, unsigned op)
{
	memset(r, 0, sizeof *r);
	r->op = op;
	r->svc = -1;
	r->stream = -1;
	r->adhoc = -1;
	r->walk.fd = -1;
}

void ops_fail(struct reply *r, enum proto_status st, const char *msg)
{
	reply_init(r, 0);
	r->status = st;
	fmt_fmt(r->msg, sizeof r->msg, "%s", msg);
}

/* Word a service request's outcome; returns 1 when it was carried out. */
static int service_result(struct reply *r, enum svc_event ev, enum svc_state before, enum svc_result res)
{
	const char *name = svc_cfg(r->svc)->name;

	switch (res) {
	case SVC_OK:
		if (ev == SVC_EV_START && before == SVC_STOPPING)
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' will start once it has stopped", name);
		else if (ev == SVC_EV_START)
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' started", name);
		else if (ev == SVC_EV_RESTART)
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' restarted", name);
		else if (before == SVC_RESTART_WAIT)
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' stopped (pending restart cancelled)", name);
		else
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' stop signal sent", name);
		return 1;
	case SVC_ALREADY_RUNNING:
		r->status = PROTO_E_STATE;
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' is already running", name);
		return 0;
	case SVC_NOT_RUNNING:
		r->status = PROTO_E_STATE;
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' is not running", name);
		return 0;
	case SVC_SHUTTING_DOWN:
		r->status = PROTO_E_BUSY;
		fmt_fmt(r->msg, sizeof r->msg, "init is shutting down");
		return 0;
	}
	return 0;
}

static void service_request(struct reply *r, enum svc_event ev, const unsigned char *req)
{
	const struct svc *s = svc_get(r->svc);
	enum svc_state before = s->state;
	unsigned ups = s->ups, held = s->pending;

	if (!service_result(r, ev, before, svc_request(r->svc, ev)))
		return;
	if (ev == SVC_EV_START && held) {
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' keeps running: its pending stop is called off",
			svc_cfg(r->svc)->name);
		return;  /* nothing to wait for */
	}
	if (proto_get32(req, PROTO_OFF_ARG1) & PROTO_WAIT) {
		r->wait = 1;
		r->wait_ev = ev;
		r->wait_ups = ups;
		r->wait_deadline = clock_ms() + (int64_t)proto_get32(req, PROTO_OFF_ARG2) * 1000;
	}
}

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
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' enabled and started", name);
	else if (enable)
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' enabled", name);
	else if (before != svc_get(r->svc)->state)
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' disabled and stopping", name);
	else
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' disabled", name);
}

/* A waiting request is settled once the service has reached the state
 * asked for, or cannot, or the time is up; then the message is set. */
static int wait_settled(struct reply *r)
{
	const struct svc *s = svc_get(r->svc);
	const char *name = svc_cfg(r->svc)->name;
	int starting = r->wait_ev != SVC_EV_STOP;

	if (!starting && (s->state == SVC_STOPPED || s->state == SVC_FAILED)) {
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' stopped", name);
	} else if (starting && s->ups > r->wait_ups && s->state == SVC_RUNNING) {
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' is running (PID %d)", name, (int)s->pid);
	} else if (starting && s->ups > r->wait_ups && s->state != SVC_FAILED) {
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' started, and has exited already", name);
	} else if (starting && s->state == SVC_FAILED) {
		r->status = PROTO_E_FAILED;
		if (s->reason[0])
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' failed: %s", name, s->reason);
		else
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' failed (exit status %d)", name, s->exit_code);
	} else if (starting && s->state == SVC_STOPPED && !s->pending && !s->want_start) {
		r->status = PROTO_E_FAILED;
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' was stopped before it was running", name);
	} else if (clock_ms() >= r->wait_deadline) {
		r->status = PROTO_E_FAILED;
		fmt_fmt(r->msg, sizeof r->msg, "timed out waiting for service '%s' to be %s (it is %s)", name,
			starting ? "running" : "stopped", svc_state_name(s->state));
	} else {
		return 0;
	}
	r->wait = 0;
	return 1;
}

static void begin_logs(struct reply *r, const char *name, uint32_t lines, int follow)
{
	if (logread_begin(&r->lr, r->svc, lines, follow) == LOGREAD_NO_FOLLOWERS) {
		r->status = PROTO_E_BUSY;
		if (CFG_MAX_LOG_FOLLOWERS)
			fmt_fmt(r->msg, sizeof r->msg, "too many log followers (at most %d at once); "
				"try again later", CFG_MAX_LOG_FOLLOWERS);
		else
			fmt_fmt(r->msg, sizeof r->msg, "following logs is switched off in this build "
				"(max_log_followers: 0)");
		return;
	}
	fmt_fmt(r->msg, sizeof r->msg, "End of log of '%s'", name);
}

static void begin_stream(struct reply *r, const unsigned char *req)
{
	uint32_t a2 = proto_get32(req, PROTO_OFF_ARG2);

	r->stream_cid = proto_get32(req, PROTO_OFF_ARG0);
	r->stream_port = proto_get32(req, PROTO_OFF_ARG1);
	r->stream = stream_open(r->svc, r->stream_cid, r->stream_port, a2 & PROTO_STREAM_LINES,
				!!(a2 & PROTO_STREAM_FOLLOW), &r->stream_gen, r->msg, sizeof r->msg);
	if (r->stream < 0)
		r->status = PROTO_E_FAILED;
}

/* A logs-stream is answered once init's connection is made or has failed. */
static int stream_settled(struct reply *r)
{
	switch (stream_state(r->stream, r->stream_gen, r->msg, sizeof r->msg)) {
	case STREAM_CONNECTING:
		return 0;
	case STREAM_UP:
		fmt_fmt(r->msg, sizeof r->msg, "Streaming logs of '%s' to vsock %u:%u",
			r->svc == LOG_INIT ? "init" : svc_cfg(r->svc)->name, r->stream_cid, r->stream_port);
		break;
	case STREAM_FAILED:
		r->status = PROTO_E_FAILED;
		break;
	}
	r->stream = -1;
	return 1;
}

static unsigned op_group(unsigned op)
{
	switch (op) {
	case PROTO_OP_SHUTDOWN:
	case PROTO_OP_REBOOT:
		return PROTO_GROUP_SYSTEM;
	case PROTO_OP_PING:
	case PROTO_OP_LIST:
	case PROTO_OP_STATUS:
	case PROTO_OP_SYSTEM_STATUS:
	case PROTO_OP_LOGS:
	case PROTO_OP_LOGS_STREAM:
	case PROTO_OP_LOGS_STREAM_STOP:
	case PROTO_OP_PS_LIST:
	case PROTO_OP_PS_STATUS:
		return PROTO_GROUP_READ;
	case PROTO_OP_PS_START:
	case PROTO_OP_PS_STOP:
	case PROTO_OP_PS_KILL:
	case PROTO_OP_PS_RESTART:
		return PROTO_GROUP_PROCESSES;
	}
	return PROTO_GROUP_SERVICES;
}

void ops_begin(struct reply *r, const unsigned char *req, int may_change, const struct transport *t)
{
	unsigned op = proto_get16(req, PROTO_OFF_OP);
	const char *name = proto_get_str(req, PROTO_OFF_NAME, PROTO_NAME_SIZE);

	reply_init(r, op);
	if (!(t->allow & op_group(op))) {
		/* The policy is compiled in: part of the image's measurement. */
		r->status = PROTO_E_PERM;
		fmt_fmt(r->msg, sizeof r->msg, "'%s' is not allowed over %s by this image's control "
			"policy (%s: %s)", op_names[op], t->name, t->allow_key,
			t->allow_text[0] ? t->allow_text : "nothing");
		return;
	}
	if (changes_state(op) && !may_change) {
		r->status = PROTO_E_PERM;
		fmt_fmt(r->msg, sizeof r->msg, "permission denied: '%s' changes state and needs root "
			"or init's own user", op_names[op]);
		return;
	}
	if (op == PROTO_OP_LOGS || op == PROTO_OP_LOGS_CLEAR || op == PROTO_OP_LOGS_STREAM ||
	    op == PROTO_OP_LOGS_STREAM_STOP) {
		r->svc = log_find(name);  /* a service, or "init" for init's own log */
		if (r->svc < 0) {
			r->status = PROTO_E_NOT_FOUND;
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' not found", name);
			return;
		}
	} else if (proto_op_has_name(op)) {
		r->svc = svc_find(name);
		if (r->svc < 0) {
			r->status = PROTO_E_NOT_FOUND;
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' not found", name);
			return;
		}
	}
	if (ops_ps_op(op)) {
		ops_ps_begin(r, req);
		return;
	}
	switch (op) {
	case PROTO_OP_PING:
		fmt_fmt(r->msg, sizeof r->msg, "Pong - init system is responsive");
		break;
	case PROTO_OP_STATUS:
		fmt_fmt(r->reason, sizeof r->reason, "%s", svc_get(r->svc)->reason);
		break;
	case PROTO_OP_START:
		service_request(r, SVC_EV_START, req);
		break;
	case PROTO_OP_STOP:
		service_request(r, SVC_EV_STOP, req);
		break;
	case PROTO_OP_RESTART:
		service_request(r, SVC_EV_RESTART, req);
		break;
	case PROTO_OP_ENABLE:
	case PROTO_OP_DISABLE:
		enable_request(r, op == PROTO_OP_ENABLE, proto_get32(req, PROTO_OFF_ARG0) & PROTO_ENABLE_NOW);
		break;
	case PROTO_OP_RELOAD:
		if (reload_request("initctl", r->msg, sizeof r->msg) < 0)
			r->status = PROTO_E_BUSY;
		break;
	case PROTO_OP_LOGS:
		begin_logs(r, name, proto_get32(req, PROTO_OFF_ARG0),
			   proto_get32(req, PROTO_OFF_ARG1) & PROTO_LOGS_FOLLOW);
		break;
	case PROTO_OP_LOGS_STREAM:
		begin_stream(r, req);
		break;
	case PROTO_OP_LOGS_STREAM_STOP:
		if (!stream_stop(r->svc, proto_get32(req, PROTO_OFF_ARG1))) {
			r->status = PROTO_E_STATE;
			fmt_fmt(r->msg, sizeof r->msg, "No active log stream for '%s'", name);
		} else {
			fmt_fmt(r->msg, sizeof r->msg, "Log stream of '%s' stopped", name);
		}
		break;
	case PROTO_OP_LOGS_CLEAR:
		if (log_clear(r->svc, r->msg, sizeof r->msg) < 0)
			r->status = PROTO_E_FAILED;
		else
			fmt_fmt(r->msg, sizeof r->msg, "Logs cleared for service '%s'", name);
		break;
	case PROTO_OP_SHUTDOWN:
	case PROTO_OP_REBOOT:
		if (shutdown_active()) {
			r->status = PROTO_E_BUSY;
			fmt_fmt(r->msg, sizeof r->msg, "init is already shutting down");
			break;
		}
		shutdown_request(op == PROTO_OP_REBOOT ? SYS_REBOOT : SYS_POWEROFF, "initctl");
		fmt_fmt(r->msg, sizeof r->msg, "System %s initiated", op == PROTO_OP_REBOOT ? "reboot" : "shutdown");
		break;
	}
}

static void fill_svc(unsigned char *f, int i)
{
	const struct svc *s = svc_get(i);
	const struct cfg_svc *c = svc_cfg(i);

	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, c->name);
	f[PROTO_SVC_STATE] = (unsigned char)s->state;
	f[PROTO_SVC_ENABLED] = s->enabled;
	f[PROTO_SVC_RESTART] = c->restart;
	f[PROTO_SVC_EXIT_KIND] = (unsigned char)s->exit_kind;
	proto_put32(f, PROTO_SVC_PID, (uint32_t)s->pid);
	proto_put32(f, PROTO_SVC_RESTARTS, s->restarts);
	proto_put32(f, PROTO_SVC_EXIT_CODE, (uint32_t)s->exit_code);
	proto_put32(f, PROTO_SVC_EXIT_SIGNAL, (uint32_t)s->exit_signal);
	proto_put32(f, PROTO_SVC_RESTART_SEC, c->restart_sec);
	proto_put32(f, PROTO_SVC_STOP_TIMEOUT, c->stop_timeout_sec);
	proto_put32(f, PROTO_SVC_SINCE, (uint32_t)((clock_ms() - s->since) / 1000));
	proto_put64(f, PROTO_SVC_LOG_DROPPED, log_dropped(i));
	proto_put64(f, PROTO_SVC_EXEC_HASH, c->exec_hash);
}

/* The text records of a status reply, in order; 0 or "" are skipped. */
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
	case PROTO_KEY_REASON: return r->reason;
	}
	return 0;
}

static const char *system_text(int key)
{
	switch (key) {
	case PROTO_KEY_SERVICE_DIR: return cfg_init.service_dir;
	case PROTO_KEY_LOG_DIR: return cfg_init.log_dir;
	}
	return 0;
}

/* Emit the next chunk of text for key; returns 0 when it has nothing
 * (more) to send, so the caller moves on to the next key. */
static int text_chunk(struct reply *r, unsigned char *f, int key, const char *text)
{
	size_t len = text ? strlen(text) : 0, n;

	if (r->off >= len) {
		r->off = 0;
		return 0;
	}
	proto_init(f, PROTO_REC_TEXT, CFG_HASH);
	proto_put32(f, PROTO_OFF_ARG0, (uint32_t)key);
	n = len - r->off < PROTO_TEXT_SIZE - 1 ? len - r->off : PROTO_TEXT_SIZE - 1;
	memcpy(f + PROTO_OFF_TEXT, text + r->off, n);
	r->off += n;
	return 1;
}

static void fill_system(unsigned char *f)
{
	unsigned enabled = 0, active = 0, present = 0;
	int i;

	for (i = 0; i < SVC_N; i++) {
		if (!svc_present(i))
			continue;
		present++;
		enabled += svc_get(i)->enabled;
		active += svc_get(i)->state == SVC_RUNNING;
	}
	proto_put64(f, PROTO_SYS_UPTIME, (uint64_t)((clock_ms() - clock_started()) / 1000));
	proto_put32(f, PROTO_SYS_SERVICES, present);
	proto_put32(f, PROTO_SYS_ENABLED, enabled);
	proto_put32(f, PROTO_SYS_ACTIVE, active);
	proto_put32(f, PROTO_SYS_PROCESSES, procfs_count());
}

int ops_ready(struct reply *r)
{
	if (r->wait)
		return wait_settled(r);
	if (r->stream >= 0)
		return stream_settled(r);
	if (ops_ps_op(r->op))
		return ops_ps_ready(r);
	if (r->status != PROTO_OK || r->op != PROTO_OP_LOGS)
		return 1;
	return logread_ready(&r->lr) || logread_done(&r->lr);
}

int64_t ops_wake(const struct reply *r)
{
	if (r->stream >= 0)
		return clock_ms() + 100;  /* look again soon: the connect settles in stream.c */
	return r->wait ? r->wait_deadline : 0;
}

int ops_following(const struct reply *r)
{
	return r->status == PROTO_OK && r->op == PROTO_OP_LOGS && r->lr.active && r->lr.follow;
}

void ops_release(struct reply *r)
{
	if (r->op == PROTO_OP_LOGS)
		logread_end(&r->lr);
	ops_ps_release(r);
}

int ops_next(struct reply *r, unsigned char *f)
{
	if (r->status == PROTO_OK) {
		size_t n;  /* bytes of a LOG record */

		if (ops_ps_op(r->op) && ops_ps_next(r, f))
			return 0;
		switch (r->op) {
		case PROTO_OP_LOGS:
			if (logread_done(&r->lr))
				break;
			proto_init(f, PROTO_REC_LOG, CFG_HASH);
			n = logread_next(&r->lr, (char *)f + PROTO_OFF_TEXT, PROTO_TEXT_SIZE - 1);
			proto_put32(f, PROTO_OFF_ARG0, (uint32_t)n);
			return 0;
		case PROTO_OP_LIST:
			while (r->step < SVC_N && !svc_present(r->step))
				r->step++;
			if (r->step < SVC_N) {
				proto_init(f, PROTO_REC_SVC, CFG_HASH);
				fill_svc(f, r->step++);
				return 0;
			}
			break;
		case PROTO_OP_STATUS:
			if (r->step == 0) {
				proto_init(f, PROTO_REC_SVC, CFG_HASH);
				fill_svc(f, r->svc);
				r->step = PROTO_KEY_COMMAND;
				return 0;
			}
			for (; r->step <= PROTO_KEY_REASON; r->step++)
				if (text_chunk(r, f, r->step, status_text(r, r->step)))
					return 0;
			break;
		case PROTO_OP_SYSTEM_STATUS:
			if (r->step == 0) {
				proto_init(f, PROTO_REC_SYSTEM, CFG_HASH);
				fill_system(f);
				r->step = PROTO_KEY_SERVICE_DIR;
				return 0;
			}
			for (; r->step <= PROTO_KEY_LOG_DIR; r->step++)
				if (text_chunk(r, f, r->step, system_text(r->step)))
					return 0;
			break;
		}
	}
	ops_release(r);
	proto_init(f, PROTO_REC_DONE, CFG_HASH);
	proto_put16(f, PROTO_OFF_STATUS, (uint16_t)r->status);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	if (r->op == PROTO_OP_LOGS_STREAM && r->status == PROTO_OK) {
		proto_put32(f, PROTO_OFF_ARG0, r->stream_cid);
		proto_put32(f, PROTO_OFF_ARG1, r->stream_port);
	}
	if (r->op == PROTO_OP_PS_START && r->status == PROTO_OK)
		proto_put32(f, PROTO_OFF_ARG0, (uint32_t)r->ps_pid);
	proto_put_str(f, PROTO_OFF_TEXT, PROTO_TEXT_SIZE, r->msg);
	return 1;
}
