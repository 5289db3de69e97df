/* ops.c: the table of control operations, and the dispatcher over it.
 *
 * One row per operation says everything init needs to know of it: its
 * name in messages, the policy group it belongs to, whether it changes
 * state, what its name argument names, and its handlers (ops_handlers.h).
 * The checks every request passes are here, once, before its handler
 * runs; the final DONE frame is produced here too. Never blocks: a
 * handler acts at once and a slow answer waits in its ready handler.
 * Messages are worded in init, so every initctl, whatever its version or
 * transport, prints the same thing.
 */
#include <string.h>

#include "cfg.h"
#include "fmt.h"
#include "log.h"
#include "ops_handlers.h"
#include "svc.h"

/* What a request's name argument names. */
enum { NAMES_NOTHING, NAMES_SERVICE, NAMES_LOG /* a service, or "init" for init's own log */ };

struct op {
	const char *name;            /* in messages */
	unsigned char group;         /* PROTO_GROUP_* */
	unsigned char changes;       /* changes state: root or init's own user only */
	unsigned char names;         /* NAMES_* */
	void (*begin)(struct reply *r, const struct proto_req *rq);
	int (*ready)(struct reply *r);
	int64_t (*wake)(const struct reply *r);
	int (*next)(struct reply *r, unsigned char *f);
	void (*release)(struct reply *r);
};

#define READ PROTO_GROUP_READ
#define SERVICES PROTO_GROUP_SERVICES
#define PROCESSES PROTO_GROUP_PROCESSES
#define SYSTEM PROTO_GROUP_SYSTEM

/* Row 0 is no operation: a reply that failed before its handler ran. */
static const struct op ops[PROTO_OP_MAX + 1] = {
	[PROTO_OP_PING] = { "ping", READ, 0, NAMES_NOTHING, ops_svc_ping },
	[PROTO_OP_LIST] = { "list", READ, 0, NAMES_NOTHING, 0, .next = ops_svc_list_next },
	[PROTO_OP_STATUS] = { "status", READ, 0, NAMES_SERVICE, ops_svc_status, .next = ops_svc_status_next },
	[PROTO_OP_START] = { "start", SERVICES, 1, NAMES_SERVICE, ops_svc_start, ops_svc_wait_ready,
			     ops_svc_wait_wake },
	[PROTO_OP_STOP] = { "stop", SERVICES, 1, NAMES_SERVICE, ops_svc_stop, ops_svc_wait_ready,
			    ops_svc_wait_wake },
	[PROTO_OP_RESTART] = { "restart", SERVICES, 1, NAMES_SERVICE, ops_svc_restart, ops_svc_wait_ready,
			       ops_svc_wait_wake },
	[PROTO_OP_SYSTEM_STATUS] = { "system-status", READ, 0, NAMES_NOTHING, 0, .next = ops_svc_system_next },
	[PROTO_OP_SHUTDOWN] = { "shutdown", SYSTEM, 1, NAMES_NOTHING, ops_svc_shutdown },
	[PROTO_OP_REBOOT] = { "reboot", SYSTEM, 1, NAMES_NOTHING, ops_svc_reboot },
	[PROTO_OP_LOGS] = { "logs", READ, 0, NAMES_LOG, ops_logs_begin, ops_logs_ready, 0, ops_logs_next,
			    ops_logs_release },
	[PROTO_OP_LOGS_CLEAR] = { "logs-clear", SERVICES, 1, NAMES_LOG, ops_logs_clear },
	[PROTO_OP_ENABLE] = { "enable", SERVICES, 1, NAMES_SERVICE, ops_svc_enable },
	[PROTO_OP_DISABLE] = { "disable", SERVICES, 1, NAMES_SERVICE, ops_svc_disable },
	[PROTO_OP_RELOAD] = { "reload", SERVICES, 1, NAMES_NOTHING, ops_svc_reload },
	[PROTO_OP_LOGS_STREAM] = { "logs-stream", READ, 0, NAMES_LOG, ops_logs_stream, ops_logs_stream_ready,
				   ops_logs_stream_wake },
	[PROTO_OP_LOGS_STREAM_STOP] = { "logs-stream-stop", READ, 0, NAMES_LOG, ops_logs_stream_stop },
	[PROTO_OP_PS_LIST] = { "ps list", READ, 0, NAMES_NOTHING, ops_ps_list, .next = ops_ps_list_next,
			       .release = ops_ps_list_release },
	[PROTO_OP_PS_STATUS] = { "ps status", READ, 0, NAMES_NOTHING, ops_ps_status, .next = ops_ps_status_next },
	[PROTO_OP_PS_START] = { "ps start", PROCESSES, 1, NAMES_NOTHING, ops_ps_start, ops_ps_start_ready },
	[PROTO_OP_PS_STOP] = { "ps stop", PROCESSES, 1, NAMES_NOTHING, ops_ps_stop },
	[PROTO_OP_PS_KILL] = { "ps kill", PROCESSES, 1, NAMES_NOTHING, ops_ps_kill },
	[PROTO_OP_PS_RESTART] = { "ps restart", PROCESSES, 1, NAMES_NOTHING, ops_ps_restart },
};

/* What every reply starts from: nothing held yet. */
static void reply_init(struct reply *r)
{
	memset(r, 0, sizeof *r);
	r->svc = -1;
}

void ops_fail(struct reply *r, enum proto_status st, const char *msg)
{
	reply_init(r);
	r->status = st;
	fmt_fmt(r->msg, sizeof r->msg, "%s", msg);
}

void ops_begin(struct reply *r, const struct proto_req *rq, int may_change, const struct transport *t)
{
	const struct op *o = &ops[rq->op];

	reply_init(r);
	if (!(t->allow & o->group)) {
		/* The policy is compiled in: part of the image's measurement. */
		r->status = PROTO_E_PERM;
		fmt_fmt(r->msg, sizeof r->msg, "'%s' is not allowed over %s by this image's control "
			"policy (%s: %s)", o->name, t->name, t->allow_key,
			t->allow_text[0] ? t->allow_text : "nothing");
		return;
	}
	if (o->changes && !may_change) {
		r->status = PROTO_E_PERM;
		fmt_fmt(r->msg, sizeof r->msg, "permission denied: '%s' changes state and needs root "
			"or init's own user", o->name);
		return;
	}
	if (o->names != NAMES_NOTHING) {
		r->svc = o->names == NAMES_LOG ? log_find(rq->name) : svc_find(rq->name);
		if (r->svc < 0) {
			r->status = PROTO_E_NOT_FOUND;
			fmt_fmt(r->msg, sizeof r->msg, "Service '%s' not found", rq->name);
			return;
		}
	}
	r->op = rq->op;
	if (o->begin)
		o->begin(r, rq);
}

int ops_ready(struct reply *r)
{
	return ops[r->op].ready ? ops[r->op].ready(r) : 1;
}

int64_t ops_wake(const struct reply *r)
{
	return ops[r->op].wake ? ops[r->op].wake(r) : 0;
}

void ops_release(struct reply *r)
{
	if (ops[r->op].release)
		ops[r->op].release(r);
}

int ops_text(struct reply *r, unsigned char *f, int key, const char *text)
{
	size_t len = text ? strlen(text) : 0;

	if (r->off >= len) {
		r->off = 0;
		return 0;
	}
	r->off += proto_pack_text(f, CFG_HASH, &(struct proto_text){ (uint32_t)key, text + r->off, len - r->off });
	return 1;
}

int ops_next(struct reply *r, unsigned char *f)
{
	struct proto_done d = { 0 };

	if (r->status == PROTO_OK && ops[r->op].next && ops[r->op].next(r, f))
		return 0;
	ops_release(r);
	if (r->status == PROTO_OK)
		d = r->done;
	d.status = (uint16_t)r->status;
	d.msg = r->msg;
	proto_pack_done(f, CFG_HASH, &d);
	return 1;
}
