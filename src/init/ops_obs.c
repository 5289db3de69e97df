/* ops_obs.c: the parent's view: health, events and metrics (handlers of
 * ops.c's table; see ops_handlers.h). All three only read: they are in
 * the read group, so they work over VSOCK by default.
 *
 * An events reader keeps its own cursor into the ring (events.h): init
 * never waits for it. One that falls behind the ring is sent a MISSED
 * event and goes on from the oldest event still held; one that stops
 * reading altogether is dropped by ctl.c at its deadline.
 */
#include <string.h>

#include "cfg.h"
#include "events.h"
#include "fmt.h"
#include "health.h"
#include "logread.h"
#include "ops_handlers.h"
#include "svc.h"

static const char *const aggregate_word[] = {
	[PROTO_SYS_STARTING] = "starting",   [PROTO_SYS_HEALTHY] = "healthy",   [PROTO_SYS_DEGRADED] = "degraded",
	[PROTO_SYS_UNHEALTHY] = "unhealthy", [PROTO_SYS_STOPPING] = "stopping",
};
static const char *const health_word[] = {
	[PROTO_HEALTH_NONE] = "none",
	[PROTO_HEALTH_STARTING] = "starting",
	[PROTO_HEALTH_HEALTHY] = "healthy",
	[PROTO_HEALTH_UNHEALTHY] = "unhealthy",
};

/* health [NAME]: the aggregate, or one service's health, in the message;
 * the records say the rest. */
void ops_obs_health(struct reply *r, const struct proto_req *rq)
{
	r->health.at = -1;
	if (rq->name && rq->name[0]) {
		r->svc = svc_find(rq->name);
		if (r->svc < 0) {
			ops_say(r, PROTO_E_NOT_FOUND, "Service '%s' not found", rq->name);
			return;
		}
		ops_say(r, PROTO_OK, "Service '%s' is %s", rq->name, health_word[health_state(r->svc)]);
		return;
	}
	ops_say(r, PROTO_OK, "Health: %s", aggregate_word[svc_aggregate()]);
}

static void health_record(unsigned char *f, int i, const struct health_result *h)
{
	struct proto_health_rec v = {
		.time_ms = (uint64_t)h->time_ms,
		.duration_ms = h->duration_ms,
		.exit_code = (uint32_t)h->exit_code,
		.timed_out = h->timed_out,
		.passed = h->passed,
	};

	fmt_fmt(v.name, sizeof v.name, "%s", svc_cfg(i)->name);
	fmt_fmt(v.output, sizeof v.output, "%s", h->output);
	proto_pack_health(f, CFG_HASH, &v);
}

/* The SYSTEM record; then, per service (or the one named), its SVC
 * record and its results, newest first. */
static int health_next(struct reply *r, unsigned char *f)
{
	if (r->step == 0) {
		ops_system_record(f);
		r->step = 1;
		r->health.at = r->svc >= 0 ? r->svc : 0;
		r->health.result = -1;
		return 1;
	}
	for (;;) {
		int i = r->health.at;
		const struct health_result *h;

		if (i >= SVC_N || (r->svc >= 0 && i != r->svc))
			return 0;
		if (!svc_present(i)) {
			r->health.at++;
			continue;
		}
		if (r->health.result < 0) {
			ops_svc_record(f, i);
			r->health.result = 0;
			return 1;
		}
		h = r->health.result < HEALTH_KEEP ? health_result(i, r->health.result) : 0;
		if (h) {
			health_record(f, i, h);
			r->health.result++;
			return 1;
		}
		r->health.at++;
		r->health.result = -1;
	}
}

const struct ops_reply ops_obs_health_reply = { .next = health_next };

/* Event followers hold a slot with no deadline while nothing waits for
 * them, as log followers and shutdown --wait clients do: all of them
 * together must leave one, for commands (ping, health, a plain shutdown
 * that ends a day's drain). */
static int event_followers;
static int others_held; /* shutdown --wait clients (ops_svc.c) */

void ops_obs_held(int n)
{
	others_held += n;
}

int ops_obs_slots_held(void)
{
	return event_followers + logread_followers() + others_held;
}

int ops_obs_no_follower_room(struct reply *r)
{
	if (ops_obs_slots_held() < CFG_MAX_CLIENTS - 1)
		return 0;
	r->status = PROTO_E_BUSY;
	ops_say(r, PROTO_OK, "too many followers (events and logs -f: at most %d at once); try again later",
		CFG_MAX_CLIENTS - 1);
	return 1;
}

void ops_obs_events(struct reply *r, const struct proto_req *rq)
{
	if (rq->follow && ops_obs_no_follower_room(r))
		return;
	r->ev.counted = rq->follow;
	event_followers += rq->follow;
	r->ev.cursor = rq->since_set ? rq->since : events_next_seq();
	if (r->ev.cursor < 1)
		r->ev.cursor = 1;
	r->ev.follow = rq->follow;
	ops_say(r, PROTO_OK, "events up to %llu", (unsigned long long)events_next_seq() - 1);
}

static int events_ready(struct reply *r)
{
	return r->status != PROTO_OK || r->ev.cursor < events_next_seq() || !r->ev.follow;
}

static int events_next(struct reply *r, unsigned char *f)
{
	uint64_t first = events_first_seq();
	const struct event *e;
	struct proto_event v;

	memset(&v, 0, sizeof v);
	if (r->ev.cursor >= events_next_seq())
		return 0; /* caught up (not following): DONE */
	if (r->ev.cursor < first) {
		/* The ring went on without this reader: say how much it lost. */
		v.kind = PROTO_EVENT_MISSED;
		v.seq = r->ev.cursor;
		v.missed = first - r->ev.cursor;
		v.time_ms = (uint64_t)events_get(first)->time_ms;
		r->ev.cursor = first;
		proto_pack_event(f, CFG_HASH, &v);
		return 1;
	}
	e = events_get(r->ev.cursor++);
	v.seq = e->seq;
	v.time_ms = (uint64_t)e->time_ms;
	v.kind = e->kind;
	v.from = e->from;
	v.to = e->to;
	v.code = e->code;
	if (e->svc >= 0 && e->svc < SVC_N)
		fmt_fmt(v.name, sizeof v.name, "%s", svc_cfg(e->svc)->name);
	proto_pack_event(f, CFG_HASH, &v);
	return 1;
}

static void events_release(struct reply *r)
{
	event_followers -= r->ev.counted;
	r->ev.counted = 0;
}

const struct ops_reply ops_obs_events_reply = { .ready = events_ready,
						.next = events_next,
						.release = events_release };

void ops_obs_metrics(struct reply *r, const struct proto_req *rq)
{
	(void)rq;
	ops_say(r, PROTO_OK, "metrics");
}

/* The SYSTEM record, then every service's SVC record. */
static int metrics_next(struct reply *r, unsigned char *f)
{
	if (r->step == 0) {
		ops_system_record(f);
		r->step = 1;
		return 1;
	}
	while (r->step - 1 < SVC_N && !svc_present(r->step - 1))
		r->step++;
	if (r->step - 1 >= SVC_N)
		return 0;
	ops_svc_record(f, r->step - 1);
	r->step++;
	return 1;
}

const struct ops_reply ops_obs_metrics_reply = { .next = metrics_next };
