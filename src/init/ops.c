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
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "ops_handlers.h"
#include "svc.h"

/* What a request's name argument names. */
enum { NAMES_NOTHING, NAMES_SERVICE, NAMES_LOG /* a service, or "init" for init's own log */ };

/* Packed: 27 rows of 25 bytes rather than 32; init's size is measured. */
struct op {
	const char *name;                                           /* in messages */
	void (*begin)(struct reply *r, const struct proto_req *rq); /* 0: nothing to do */
	const struct ops_reply *reply; /* how its reply goes on; 0: the message is all */
	unsigned char group : 4;       /* PROTO_GROUP_* */
	unsigned char changes : 1;     /* changes state: root or init's own user only */
	unsigned char names : 2;       /* NAMES_* */
} __attribute__((packed));

#define READ PROTO_GROUP_READ
#define SERVICES PROTO_GROUP_SERVICES
#define PROCESSES PROTO_GROUP_PROCESSES
#define SYSTEM PROTO_GROUP_SYSTEM

/* Row 0 is no operation: a reply that failed before its handler ran. */
static const struct op ops[PROTO_OP_MAX + 1] = {
	[PROTO_OP_PING] = { "ping", ops_svc_ping, 0, READ, 0, NAMES_NOTHING },
	[PROTO_OP_LIST] = { "list", 0, &ops_svc_list_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_STATUS] = { "status", ops_svc_status, &ops_svc_status_reply, READ, 0, NAMES_SERVICE },
	[PROTO_OP_START] = { "start", ops_svc_start, &ops_svc_wait_reply, SERVICES, 1, NAMES_SERVICE },
	[PROTO_OP_STOP] = { "stop", ops_svc_stop, &ops_svc_wait_reply, SERVICES, 1, NAMES_SERVICE },
	[PROTO_OP_RESTART] = { "restart", ops_svc_restart, &ops_svc_wait_reply, SERVICES, 1, NAMES_SERVICE },
	[PROTO_OP_SYSTEM_STATUS] = { "system-status", 0, &ops_svc_system_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_SHUTDOWN] = { "shutdown", ops_svc_shutdown, &ops_svc_shutdown_reply, SYSTEM, 1, NAMES_NOTHING },
	[PROTO_OP_REBOOT] = { "reboot", ops_svc_reboot, &ops_svc_shutdown_reply, SYSTEM, 1, NAMES_NOTHING },
	[PROTO_OP_LOGS] = { "logs", ops_logs_begin, &ops_logs_reply, READ, 0, NAMES_LOG },
	[PROTO_OP_LOGS_CLEAR] = { "logs-clear", ops_logs_clear, 0, SERVICES, 1, NAMES_LOG },
	[PROTO_OP_ENABLE] = { "enable", ops_svc_enable, 0, SERVICES, 1, NAMES_SERVICE },
	[PROTO_OP_DISABLE] = { "disable", ops_svc_disable, 0, SERVICES, 1, NAMES_SERVICE },
	[PROTO_OP_RELOAD] = { "reload", ops_svc_reload, 0, SERVICES, 1, NAMES_NOTHING },
	[PROTO_OP_LOGS_STREAM] = { "logs-stream", ops_logs_stream, &ops_logs_stream_reply, READ, 0, NAMES_LOG },
	[PROTO_OP_LOGS_STREAM_STOP] = { "logs-stream-stop", ops_logs_stream_stop, 0, READ, 0, NAMES_LOG },
	[PROTO_OP_PS_LIST] = { "ps list", ops_ps_list, &ops_ps_list_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_PS_STATUS] = { "ps status", ops_ps_status, &ops_ps_status_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_PS_START] = { "ps start", ops_ps_start, &ops_ps_start_reply, PROCESSES, 1, NAMES_NOTHING },
	[PROTO_OP_PS_STOP] = { "ps stop", ops_ps_stop, 0, PROCESSES, 1, NAMES_NOTHING },
	[PROTO_OP_PS_KILL] = { "ps kill", ops_ps_kill, 0, PROCESSES, 1, NAMES_NOTHING },
	[PROTO_OP_PS_RESTART] = { "ps restart", ops_ps_restart, 0, PROCESSES, 1, NAMES_NOTHING },
	[PROTO_OP_HEALTH] = { "health", ops_obs_health, &ops_obs_health_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_EVENTS] = { "events", ops_obs_events, &ops_obs_events_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_METRICS] = { "metrics", ops_obs_metrics, &ops_obs_metrics_reply, READ, 0, NAMES_NOTHING },
	[PROTO_OP_ATTEST] = { "attest", ops_attest_begin, &ops_attest_reply, READ, 0, NAMES_NOTHING },
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
	ops_say(r, st, "%s", msg);
}

void ops_begin(struct reply *r, const struct proto_req *rq, int may_change, const struct transport *t)
{
	const struct op *o = &ops[rq->op];

	reply_init(r);
	if (!(t->allow & o->group)) {
		/* The policy is compiled in: part of the image's measurement. */
		ops_say(r, PROTO_E_PERM,
			"'%s' is not allowed over %s by this image's control "
			"policy (%s: %s)",
			o->name, t->name, t->allow_key, t->allow_text[0] ? t->allow_text : "nothing");
		return;
	}
	if (o->changes && !may_change) {
		ops_say(r, PROTO_E_PERM,
			"permission denied: '%s' changes state and needs root "
			"or init's own user",
			o->name);
		return;
	}
	if (o->names != NAMES_NOTHING) {
		r->svc = o->names == NAMES_LOG ? log_find(rq->name) : svc_find(rq->name);
		if (r->svc < 0) {
			ops_say(r, PROTO_E_NOT_FOUND, "Service '%s' not found", rq->name);
			return;
		}
	}
	r->op = rq->op;
	if (o->begin)
		o->begin(r, rq);
}

int ops_ready(struct reply *r)
{
	const struct ops_reply *k = ops[r->op].reply;

	return k && k->ready ? k->ready(r) : 1;
}

int64_t ops_wake(const struct reply *r)
{
	if (r->wake == OPS_WAKE_NOW)
		return clock_ms();
	return r->wake == OPS_WAKE_SOON ? clock_ms() + 100 : r->wake;
}

void ops_release(struct reply *r)
{
	const struct ops_reply *k = ops[r->op].reply;

	if (k && k->release)
		k->release(r);
}

int ops_next(struct reply *r, unsigned char *f)
{
	const struct ops_reply *k = ops[r->op].reply;

	if (r->status == PROTO_OK && k && k->next && k->next(r, f))
		return 0;
	ops_release(r);
	if (r->status != PROTO_OK)
		r->done.cid = r->done.port = 0; /* what an operation adds, it adds on success */
	r->done.status = (uint16_t)r->status;
	r->done.msg = r->msg;
	proto_pack_done(f, CFG_HASH, &r->done);
	return 1;
}
