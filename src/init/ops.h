/* ops.h: what each control request does, and the frames that answer it.
 *
 * Transport-free: ctl.c moves bytes, this file decides. A reply is produced
 * one frame at a time, on demand, so a long answer never needs more memory
 * than one frame.
 */
#ifndef OPS_H
#define OPS_H

#include <stddef.h>
#include <stdint.h>

#include "logread.h"
#include "pslist.h"
#include "proto.h"

struct reply {
	unsigned op;                 /* the request being answered */
	enum proto_status status;    /* of the final frame */
	int svc;                     /* service the request named, or -1 */
	int step;                    /* next record to produce */
	size_t off;                  /* bytes of the current text already sent */
	char msg[192];               /* message of the final frame */
	char reason[96];             /* snapshot of the service's failure reason */
	struct logread lr;           /* logs: what is being sent */
	int wait;                    /* --wait: the final frame waits for the state */
	unsigned wait_ev;            /* the request waited on (enum svc_event) */
	unsigned wait_ups;           /* the service's `ups` when asked */
	int64_t wait_deadline;       /* monotonic ms: give up then */
	int stream;                  /* logs-stream: its slot (stream.c), -1 when none */
	unsigned stream_gen;
	uint32_t stream_cid, stream_port;
	int ps_pid;                  /* ps status/start: the process */
	int adhoc;                   /* ps start: its slot (adhoc.c), -1 when none */
	unsigned adhoc_gen;
	struct pswalk walk;          /* ps list: where in /proc */
};

/* A transport: its name and the operation groups its policy allows. */
struct transport {
	const char *name;            /* "the unix socket", "vsock" */
	unsigned allow;              /* PROTO_GROUP_* */
	const char *allow_key;       /* "control.unix_allow" */
	const char *allow_text;      /* "read, services" */
};

/* Carry out a validated request and set up its reply. may_change says
 * whether the peer may change state (root or init's own user); t is the
 * transport it came over, whose policy is checked first. */
void ops_begin(struct reply *r, const unsigned char *req, int may_change, const struct transport *t);
/* Set up a reply that is only an error. */
void ops_fail(struct reply *r, enum proto_status st, const char *msg);
/* Whether ops_next has a frame to give now (a log follower may have to
 * wait for the next line). */
int ops_ready(struct reply *r);
/* When a waiting reply must be looked at again (its timeout), or 0. */
int64_t ops_wake(const struct reply *r);
/* Whether the reply is a log follower: it never ends by itself. */
int ops_following(const struct reply *r);
/* Produce the reply's next frame into f; returns 1 when it is the last. */
int ops_next(struct reply *r, unsigned char *f);
/* Let go of what an unfinished reply holds (its peer has gone). */
void ops_release(struct reply *r);

#endif
