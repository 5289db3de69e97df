/* ops_logs.c: the log operations: logs, logs-clear, logs-stream and
 * logs-stream-stop (handlers of ops.c's table; see ops_handlers.h).
 *
 * `logs` is the one reply of unbounded length: it is read from the log
 * (logread.c) a frame at a time as the client drains it, and a follower's
 * reply waits in its ready handler for the next line, never in a loop. A
 * logs-stream is answered once stream.c's connection is made or has
 * failed. Each names a service's log, or "init" for init's own.
 */
#include "cfg.h"
#include "fmt.h"
#include "log.h"
#include "ops_handlers.h"
#include "stream.h"
#include "svc.h"

void ops_logs_begin(struct reply *r, const struct proto_req *rq)
{
	if (rq->follow && ops_obs_no_follower_room(r))
		return;
	if (logread_begin(&r->lr, r->svc, rq->lines, rq->follow) == LOGREAD_NO_FOLLOWERS) {
		r->status = PROTO_E_BUSY;
		if (CFG_MAX_LOG_FOLLOWERS)
			ops_say(r, PROTO_OK,
				"too many log followers (at most %d at once); "
				"try again later",
				CFG_MAX_LOG_FOLLOWERS);
		else
			ops_say(r, PROTO_OK,
				"following logs is switched off in this build "
				"(max_log_followers: 0)");
		return;
	}
	ops_say(r, PROTO_OK, "End of log of '%s'", rq->name);
}

/* Called on every pass while the reply waits: a slice of the scan for the
 * tail's start is done here, and the loop comes back at once for the next. */
static int logs_ready(struct reply *r)
{
	if (r->status == PROTO_OK && logread_scan(&r->lr)) {
		r->wake = OPS_WAKE_NOW;
		return 0;
	}
	r->wake = 0;
	return r->status != PROTO_OK || logread_ready(&r->lr) || logread_done(&r->lr);
}

static int logs_next(struct reply *r, unsigned char *f)
{
	/* One frame's worth, read straight from the log; the record is built
	 * around it. */
	static char bytes[PROTO_TEXT_SIZE - 1];

	if (logread_done(&r->lr))
		return 0;
	proto_pack_log(f, CFG_HASH, &(struct proto_log){ bytes, logread_next(&r->lr, bytes, sizeof bytes) });
	return 1;
}

static void logs_release(struct reply *r)
{
	logread_end(&r->lr);
}

const struct ops_reply ops_logs_reply = { logs_ready, logs_next, logs_release };

void ops_logs_clear(struct reply *r, const struct proto_req *rq)
{
	if (log_clear(r->svc, r->msg, sizeof r->msg) < 0)
		r->status = PROTO_E_FAILED;
	else
		ops_say(r, PROTO_OK, "Logs cleared for service '%s'", rq->name);
}

void ops_logs_stream(struct reply *r, const struct proto_req *rq)
{
	r->done.cid = rq->cid;
	r->done.port = rq->port;
	r->stream.slot = stream_open(r->svc, rq->cid, rq->port, rq->lines, rq->follow, &r->stream.gen, r->msg,
				     sizeof r->msg);
	if (r->stream.slot < 0)
		r->status = PROTO_E_FAILED;
	else
		r->wake = OPS_WAKE_SOON; /* the connect settles in stream.c: look again soon */
}

static int stream_ready(struct reply *r)
{
	if (r->stream.slot < 0)
		return 1;
	switch (stream_state(r->stream.slot, r->stream.gen, r->msg, sizeof r->msg)) {
	case STREAM_CONNECTING: return 0;
	case STREAM_UP:
		ops_say(r, PROTO_OK, "Streaming logs of '%s' to vsock %u:%u",
			r->svc == LOG_INIT ? "init" : svc_cfg(r->svc)->name, r->done.cid, r->done.port);
		break;
	case STREAM_FAILED: r->status = PROTO_E_FAILED; break;
	}
	r->stream.slot = -1;
	r->wake = 0;
	return 1;
}

const struct ops_reply ops_logs_stream_reply = { .ready = stream_ready };

void ops_logs_stream_stop(struct reply *r, const struct proto_req *rq)
{
	if (!stream_stop(r->svc, rq->port)) {
		ops_say(r, PROTO_E_STATE, "No active log stream for '%s'", rq->name);
	} else {
		ops_say(r, PROTO_OK, "Log stream of '%s' stopped", rq->name);
	}
}
