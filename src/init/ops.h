/* ops.h: what each control request does, and the frames that answer it.
 *
 * Transport-free: ctl.c moves bytes, this module decides. A reply is
 * produced one frame at a time, on demand, so a long answer never needs
 * more memory than one frame.
 */
#ifndef OPS_H
#define OPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "logread.h"
#include "procfs.h"
#include "proto.h"

/* One reply in the making: what every operation has, then what its own
 * operation needs (the union: a ps list walk and a log read are never in
 * the same reply). */
struct reply {
	unsigned op;              /* the request being answered; 0 until it passed the checks */
	enum proto_status status; /* of the final frame */
	int svc;                  /* service (or log) the request named, or -1 */
	int step;                 /* next record to produce */
	size_t off;               /* bytes of the current text already sent */
	char msg[192];            /* message of the final frame */
	struct proto_done done;   /* what else the final frame carries (pid; cid, port) */
	int64_t wake;             /* a waiting reply: look at it again then (monotonic ms),
				      * OPS_WAKE_SOON: every 100 ms; OPS_WAKE_NOW: on the
				      * next pass; 0: it waits for nothing */
	int hold;                 /* a shutdown --wait: the shutdown's end waits until this
				   * peer has its answer and has closed (ctl_holding) */
	int hold_counted;         /* counted in waiters (ops_svc.c) until answered or gone */
	union {
		struct {                   /* status: snapshots, taken when asked, of */
			char reason[96];   /* the service's failure reason */
			char throttle[64]; /* a throttled restart, in words (svc_throttled) */
			char status[128];  /* its last STATUS= (sd_notify) */
		} st;
		struct { /* health: the service being sent, and its result */
			int at, result;
		} health;
		struct {                 /* events */
			uint64_t cursor; /* the next sequence number to send */
			int follow;      /* go on with new ones (else DONE once caught up) */
			int counted;     /* counted in event_followers (ops_obs.c) */
		} ev;
		struct {              /* start, stop, restart --wait (until r->wake: give up) */
			unsigned ev;  /* the request waited on (enum svc_event) */
			unsigned ups; /* the service's `ups` when asked */
		} wait;
		struct logread lr; /* logs: what is being sent */
		struct {           /* logs-stream, until its connection is settled */
			int slot;  /* stream.c's, -1 when none */
			unsigned gen;
		} stream;
		struct pswalk walk; /* ps list: where in /proc */
		int pid;            /* ps status: the process */
		struct {            /* ps start, until its exec is settled */
			int slot;   /* adhoc.c's, -1 when none */
			unsigned gen;
		} adhoc;
		struct {          /* attest */
			int slot; /* attest.c's, -1 when none */
			unsigned gen;
			const unsigned char *doc; /* the document, once in (in the slot) */
			size_t len;
		} attest;
	};
};

#define OPS_WAKE_SOON (-1)
#define OPS_WAKE_NOW (-2) /* work is left for the next pass of the loop */

/* A transport: its name and the operation groups its policy allows. */
struct transport {
	const char *name;       /* "the unix socket", "vsock" */
	unsigned allow;         /* PROTO_GROUP_* */
	const char *allow_key;  /* "control.unix_allow" */
	const char *allow_text; /* "read, services" */
};

/* Carry out a decoded request and set up its reply. may_change says
 * whether the peer may change state (root or init's own user); t is the
 * transport it came over, whose policy is checked first. */
void ops_begin(struct reply *r, const struct proto_req *rq, int may_change, const struct transport *t);
/* Set up a reply that is only an error. */
void ops_fail(struct reply *r, enum proto_status st, const char *msg);
/* Whether ops_next has a frame to give now (a log follower may have to
 * wait for the next line). */
int ops_ready(struct reply *r);
/* When a waiting reply must be looked at again (its timeout), or 0. */
int64_t ops_wake(const struct reply *r);
/* Produce the reply's next frame into f; returns 1 when it is the last. */
int ops_next(struct reply *r, unsigned char *f);
/* Let go of what an unfinished reply holds (its peer has gone). */
void ops_release(struct reply *r);

#endif
