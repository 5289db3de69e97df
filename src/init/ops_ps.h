/* ops_ps.h: the `initctl ps` operations, for ops.c.
 *
 * ps list walks /proc as its client drains the reply, one PS record per
 * frame, so thousands of processes need one frame of memory; a process
 * that vanishes mid-walk is skipped. ps start answers once the exec is
 * settled. Signals go to one process, never to PID 1, 0 or a group.
 */
#ifndef OPS_PS_H
#define OPS_PS_H

#include "ops.h"

/* Whether op is one of these. */
int ops_ps_op(unsigned op);
/* Carry the request out; set up the reply. */
void ops_ps_begin(struct reply *r, const unsigned char *req);
/* Whether the next frame can be produced (ps start waits for its exec). */
int ops_ps_ready(struct reply *r);
/* The next record into f; returns 0 when there are no more records (the
 * caller then sends DONE). */
int ops_ps_next(struct reply *r, unsigned char *f);
/* The reply is dropped. */
void ops_ps_release(struct reply *r);
/* A service's main process (its index), or -1. */
int ops_ps_service_of(int pid);

#endif
