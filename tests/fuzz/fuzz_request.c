/* fuzz_request: init's control requests, from the bytes of a frame to the
 * frames of the reply: proto_unpack_request (src/common/proto.c), then, as
 * ctl.c does, ops_begin (src/init/ops.c) and the handlers behind it
 * (ops_svc.c, ops_logs.c, ops_ps.c, ops_obs.c, ops_attest.c), with svc.c's
 * state machine, adhoc.c, attest.c and nsm.c, the logs (log.c, logread.c,
 * logring.c) and stream.c linked as they are. Processes, signals, files,
 * sockets and the NSM are fake_world.c's.
 *
 * The input is a session: records of
 *   ctl (1 byte)   bit 0 the peer may change state, 1 it came over vsock,
 *                  2 magic, version and hash are set right (so that most
 *                  inputs get past the header), 3 spawned processes fail
 *                  their exec, 4 afterwards every process exits, 5 forks
 *                  fail, 6 the clock jumps 100 s, 7 the peer hangs up
 *                  after the first frame of the reply
 *   arg (1 byte)   wait status of those exits; bit 0: SIGTERM is ignored,
 *                  bit 1: attestation requests never answer (killed at
 *                  their timeout, which a clock jump reaches)
 *   len (2 bytes)  then len bytes: the start of the frame (the rest zero)
 * Checked on every reply frame: init only ever sends a frame that passes
 * initctl's checks (proto_check_reply), and DONE comes last, exactly once.
 */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "adhoc.h"
#include "cfg.h"
#include "fake_world.h"
#include "frame.h"
#include "input.h"
#include "log.h"
#include "ops.h"
#include "proto.h"
#include "stream.h"
#include "svc.h"

/* adhoc.c and attest.c, in this file so that their tables can be emptied
 * between inputs (each input must run alone, whatever ran before it). */
#include "adhoc.c"
#define slots attest_slots /* names both files use for their own */
#define slot attest_slot
#include "attest.c"
#undef slots
#undef slot

#define MAX_FRAMES 600 /* of one reply: a long log, a long ps list, then we hang up */
#define MAX_WAITS 8    /* passes of the fake world a waiting reply is given */

static const struct transport transports[2] = {
	{ "the unix socket", CFG_UNIX_ALLOW, "control.unix_allow", CFG_UNIX_ALLOW_TEXT },
	{ "vsock", CFG_VSOCK_ALLOW, "control.vsock_allow", CFG_VSOCK_ALLOW_TEXT },
};

static void reset(void)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (svc_get(i)->exec_fd >= 0)
			close(svc_get(i)->exec_fd);
	for (i = 0; i < CFG_MAX_ADHOC; i++)
		if (slots[i].exec_fd >= 0 && slots[i].pid)
			close(slots[i].exec_fd);
	memset(slots, 0, sizeof slots);
	ended = 0;
	for (i = 0; i < ATTEST_SLOTS; i++)
		if (attest_slots[i].reading)
			close(attest_slots[i].fd);
	memset(attest_slots, 0, sizeof attest_slots);
	for (i = 0; i < LOG_NCHAN; i++) {
		char why[128];
		(void)stream_stop(i, 0);
		(void)log_clear(i, why, sizeof why);
	}
	fake_reset();
	svc_init();
}

static int reaped(int pid, int status)
{
	return svc_reaped(pid, status) || adhoc_reaped(pid, status) || attest_reaped(pid, status);
}

/* One pass of the world: execs settle, pipes are read, processes exit,
 * time goes by. */
static void world(int everyone_exits, int status, int64_t ms)
{
	struct pollfd p[SVC_SLOTS + CFG_MAX_ADHOC + ATTEST_SLOTS];
	int n, k, a;

	fake_settle();
	n = svc_poll_add(p, SVC_SLOTS);
	k = adhoc_poll_add(p + n, CFG_MAX_ADHOC);
	a = attest_poll_add(p + n + k, ATTEST_SLOTS);
	(void)poll(p, (nfds_t)(n + k + a), 0);
	svc_poll_done(p, n);
	adhoc_poll_done(p + n, k);
	attest_poll_done(p + n + k, a, fake_now);
	fake_exits(everyone_exits, status, reaped);
	fake_now += ms;
	svc_tick(fake_now);
	stream_tick(fake_now);
	attest_tick(fake_now);
}

static void check_frame(const unsigned char *f, int last)
{
	const char *why = "";

	if (proto_check_reply(f, &why) != PROTO_OK)
		abort(); /* init sent a frame initctl must refuse */
	if ((frame_op(f) == PROTO_REC_DONE) != last)
		abort(); /* DONE must be the last frame, and the last frame DONE */
}

static void serve(const unsigned char *req, unsigned ctl)
{
	static struct reply r;
	static unsigned char f[PROTO_FRAME_SIZE];
	const char *why = "";
	struct proto_req rq;
	enum proto_status st = proto_unpack_request(req, CFG_HASH, &rq, &why);
	int frames = 0, waits = 0;

	if (st != PROTO_OK)
		ops_fail(&r, st, why);
	else
		ops_begin(&r, &rq, ctl & 1, &transports[ctl >> 1 & 1]);
	for (;;) {
		if (!ops_ready(&r)) {
			if (waits++ == MAX_WAITS)
				break;
			world(0, 0, 1000);
			continue;
		}
		if (ops_next(&r, f)) {
			check_frame(f, 1);
			return;
		}
		check_frame(f, 0);
		if (++frames == MAX_FRAMES || (ctl & 0x80))
			break;
	}
	ops_release(&r); /* the peer went away mid-reply */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	log_open();
	svc_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static unsigned char req[PROTO_FRAME_SIZE];

	reset();
	svc_boot();
	while (in.left) {
		unsigned ctl = in_byte(&in), arg = in_byte(&in);
		size_t len;
		const uint8_t *b = in_chunk(&in, sizeof req, &len);

		memset(req, 0, sizeof req);
		memcpy(req, b, len);
		if (ctl & 4)
			frame_fix_header(req, CFG_HASH);
		fake_exec_fails = !!(ctl & 8);
		fake_fork_fails = !!(ctl & 0x20);
		fake_ignore_term = arg & 1;
		fake_worker_hangs = !!(arg & 2);
		serve(req, ctl);
		world(!!(ctl & 0x10), (int)(arg & 0xfe) << 7, ctl & 0x40 ? 100000 : 10);
	}
	return 0;
}
