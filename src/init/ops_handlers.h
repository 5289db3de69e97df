/* ops_handlers.h: the handlers of the operations table (ops.c), by file.
 *
 * Each operation is one row of ops.c's table; its handlers live with the
 * others of their concern: services (ops_svc.c), logs (ops_logs.c),
 * processes (ops_ps.c). A begin handler runs once the policy has allowed
 * the request and its name was found (r->svc); it acts at once and sets
 * up the reply. The others are optional: ready (the next frame can be
 * produced now; default yes), wake (when to look again, or 0), next (the
 * next record into f, 0 when there are no more: DONE follows) and release
 * (let go of what the reply holds; called again after it, so idempotent).
 */
#ifndef OPS_HANDLERS_H
#define OPS_HANDLERS_H

#include "ops.h"

/* Emit the next piece of text under key into f; returns 0 when it has
 * nothing (more) to send, so the caller moves on to the next key. */
int ops_text(struct reply *r, unsigned char *f, int key, const char *text);

/* ops_svc.c */
void ops_svc_ping(struct reply *r, const struct proto_req *rq);
int ops_svc_list_next(struct reply *r, unsigned char *f);
void ops_svc_status(struct reply *r, const struct proto_req *rq);
int ops_svc_status_next(struct reply *r, unsigned char *f);
void ops_svc_start(struct reply *r, const struct proto_req *rq);
void ops_svc_stop(struct reply *r, const struct proto_req *rq);
void ops_svc_restart(struct reply *r, const struct proto_req *rq);
int ops_svc_wait_ready(struct reply *r);
int64_t ops_svc_wait_wake(const struct reply *r);
void ops_svc_enable(struct reply *r, const struct proto_req *rq);
void ops_svc_disable(struct reply *r, const struct proto_req *rq);
int ops_svc_system_next(struct reply *r, unsigned char *f);
void ops_svc_reload(struct reply *r, const struct proto_req *rq);
void ops_svc_shutdown(struct reply *r, const struct proto_req *rq);
void ops_svc_reboot(struct reply *r, const struct proto_req *rq);

/* ops_logs.c */
void ops_logs_begin(struct reply *r, const struct proto_req *rq);
int ops_logs_ready(struct reply *r);
int ops_logs_next(struct reply *r, unsigned char *f);
void ops_logs_release(struct reply *r);
void ops_logs_clear(struct reply *r, const struct proto_req *rq);
void ops_logs_stream(struct reply *r, const struct proto_req *rq);
int ops_logs_stream_ready(struct reply *r);
int64_t ops_logs_stream_wake(const struct reply *r);
void ops_logs_stream_stop(struct reply *r, const struct proto_req *rq);

/* ops_ps.c */
void ops_ps_list(struct reply *r, const struct proto_req *rq);
int ops_ps_list_next(struct reply *r, unsigned char *f);
void ops_ps_list_release(struct reply *r);
void ops_ps_status(struct reply *r, const struct proto_req *rq);
int ops_ps_status_next(struct reply *r, unsigned char *f);
void ops_ps_start(struct reply *r, const struct proto_req *rq);
int ops_ps_start_ready(struct reply *r);
void ops_ps_stop(struct reply *r, const struct proto_req *rq);
void ops_ps_kill(struct reply *r, const struct proto_req *rq);
void ops_ps_restart(struct reply *r, const struct proto_req *rq);

#endif
