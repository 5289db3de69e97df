/* ops_handlers.h: the handlers of the operations table (ops.c), by concern.
 *
 * Each operation is one row of ops.c's table; its handlers live with the
 * others of their concern: services (ops_svc.c), logs (ops_logs.c),
 * processes (ops_ps.c), the parent's view (ops_obs.c), attestation
 * (ops_attest.c). A begin handler runs once the policy has allowed
 * the request and its name was found (r->svc); it acts at once and sets up
 * the reply. What the reply does after that is its kind, a struct
 * ops_reply shared by the operations whose replies go alike (start, stop
 * and restart all may --wait); an operation without one answers with its
 * message alone.
 */
#ifndef OPS_HANDLERS_H
#define OPS_HANDLERS_H

#include "ops.h"

struct ops_reply {
	/* Whether the next frame can be produced now (0: default yes). */
	int (*ready)(struct reply *r);
	/* The next record into f; 0 when there are no more: DONE follows. */
	int (*next)(struct reply *r, unsigned char *f);
	/* Let go of what the reply holds; called again after that, so it
	 * must be idempotent (0: nothing held). */
	void (*release)(struct reply *r);
};

/* Word the reply's final message (fmt's printf, cut to fit r->msg); with
 * st other than PROTO_OK, the request failed with that status. */
void ops_say(struct reply *r, enum proto_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Emit the next piece of text under key into f; returns 0 when it has
 * nothing (more) to send, so the caller moves on to the next key. */
int ops_text(struct reply *r, unsigned char *f, int key, const char *text);

/* ops_records.c: one SVC record (service i as it is now), the SYSTEM record */
void ops_svc_record(unsigned char *f, int i);
void ops_system_record(unsigned char *f);

/* ops_obs.c */
void ops_obs_health(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_obs_health_reply;
void ops_obs_events(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_obs_events_reply;
/* Followers of either kind (events, logs -f) together leave at least one
 * of control.max_clients for commands: when a new one would not, r is
 * answered "too many followers" (PROTO_E_BUSY) and this returns 1. */
int ops_obs_no_follower_room(struct reply *r);
/* Slots held with no deadline: followers, and shutdown --wait clients. */
int ops_obs_slots_held(void);
/* Slots held otherwise with no deadline (shutdown --wait clients not yet
 * answered): n more, or fewer when negative. */
void ops_obs_held(int n);
void ops_obs_metrics(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_obs_metrics_reply;

/* ops_svc.c */
void ops_svc_ping(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_svc_list_reply;
void ops_svc_status(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_svc_status_reply;
void ops_svc_start(struct reply *r, const struct proto_req *rq);
void ops_svc_stop(struct reply *r, const struct proto_req *rq);
void ops_svc_restart(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_svc_wait_reply;
void ops_svc_enable(struct reply *r, const struct proto_req *rq);
void ops_svc_disable(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_svc_system_reply;
void ops_svc_reload(struct reply *r, const struct proto_req *rq);
void ops_svc_shutdown(struct reply *r, const struct proto_req *rq);
void ops_svc_reboot(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_svc_shutdown_reply;

/* ops_logs.c */
void ops_logs_begin(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_logs_reply;
void ops_logs_clear(struct reply *r, const struct proto_req *rq);
void ops_logs_stream(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_logs_stream_reply;
void ops_logs_stream_stop(struct reply *r, const struct proto_req *rq);

/* ops_attest.c */
void ops_attest_begin(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_attest_reply;

/* ops_ps.c */
void ops_ps_list(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_ps_list_reply;
void ops_ps_status(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_ps_status_reply;
void ops_ps_start(struct reply *r, const struct proto_req *rq);
extern const struct ops_reply ops_ps_start_reply;
void ops_ps_stop(struct reply *r, const struct proto_req *rq);
void ops_ps_kill(struct reply *r, const struct proto_req *rq);
void ops_ps_restart(struct reply *r, const struct proto_req *rq);

#endif
