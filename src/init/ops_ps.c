/* ops_ps.c: the process operations: ps list, status, start, stop, kill and
 * restart (handlers of ops.c's table; see ops_handlers.h).
 *
 * ps list walks /proc as its client drains the reply, one PS record per
 * frame, so thousands of processes need one frame of memory; a process
 * that vanishes mid-walk is skipped. ps start answers once the exec is
 * settled. Signals go to one process, never to PID 1, 0 or a group.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "adhoc.h"
#include "cfg.h"
#include "fmt.h"
#include "ops_handlers.h"
#include "pslist.h"
#include "svc.h"

/* ps status's command line: what /proc/PID/cmdline holds (one page). */
static char status_cmd[4096];
/* The record being built: its command line is read straight into it. */
static struct proto_ps rec;

/* A service's main process (its index), or -1. */
static int service_of(int pid)
{
	int i;

	for (i = 0; pid > 0 && i < SVC_N; i++)
		if (svc_present(i) && svc_get(i)->pid == pid)
			return i;
	return -1;
}

/* Refuse what is not one process: 0 and negatives name groups to kill(2),
 * 1 is init. Returns 1 when the pid may be used. */
static int pid_ok(struct reply *r, int32_t pid, const char *what)
{
	if (pid == 1 && r->op != PROTO_OP_PS_STATUS)
		ops_say(r, PROTO_OK, "refusing to %s PID 1: it is init itself", what);
	else if (pid == 0)
		ops_say(r, PROTO_OK,
			"refusing to %s PID 0: not a process (kill(2) would "
			"take it for the caller's process group)",
			what);
	else if (pid < 0)
		ops_say(r, PROTO_OK,
			"refusing to %s PID %d: not a process (a negative PID "
			"names a process group)",
			what, (int)pid);
	else
		return 1;
	r->status = PROTO_E_STATE;
	return 0;
}

static void no_such(struct reply *r, int pid)
{
	ops_say(r, PROTO_E_NOT_FOUND, "Process %d: no such process", pid);
}

static void send_signal(struct reply *r, int pid, int sig)
{
	if (kill(pid, sig) < 0) {
		if (errno == ESRCH) {
			no_such(r, pid);
			return;
		}
		ops_say(r, PROTO_E_FAILED, "cannot signal process %d: %s", pid, strerror(errno));
		return;
	}
	if (sig == SIGTERM && r->op == PROTO_OP_PS_STOP)
		ops_say(r, PROTO_OK, "SIGTERM sent to process %d", pid);
	else
		ops_say(r, PROTO_OK, "Signal %d sent to process %d", sig, pid);
}

void ops_ps_stop(struct reply *r, const struct proto_req *rq)
{
	if (pid_ok(r, rq->pid, "stop"))
		send_signal(r, rq->pid, SIGTERM);
}

void ops_ps_kill(struct reply *r, const struct proto_req *rq)
{
	if (pid_ok(r, rq->pid, "signal"))
		send_signal(r, rq->pid, (int)rq->signal);
}

void ops_ps_restart(struct reply *r, const struct proto_req *rq)
{
	int pid = rq->pid, i;
	struct psinfo pi;

	if (!pid_ok(r, pid, "restart"))
		return;
	i = service_of(pid);
	if (i < 0) {
		if (ps_read(pid, &pi, 0, 0) < 0)
			no_such(r, pid);
		else {
			ops_say(r, PROTO_E_STATE, "Process %d is not managed by init, cannot restart", pid);
		}
		return;
	}
	switch (svc_request(i, SVC_EV_RESTART)) {
	case SVC_OK: ops_say(r, PROTO_OK, "Service '%s' restarted", svc_cfg(i)->name); break;
	case SVC_SHUTTING_DOWN: ops_say(r, PROTO_E_BUSY, "init is shutting down"); break;
	default: ops_say(r, PROTO_E_STATE, "Service '%s' cannot be restarted now", svc_cfg(i)->name);
	}
}

void ops_ps_start(struct reply *r, const struct proto_req *rq)
{
	r->adhoc.slot = adhoc_start(rq->text, rq->len, (int)rq->argc, (int)rq->envc, rq->name, &r->adhoc.gen,
				    r->msg, sizeof r->msg);
	if (r->adhoc.slot < 0)
		r->status = PROTO_E_FAILED;
}

static int start_ready(struct reply *r)
{
	pid_t pid;

	if (r->adhoc.slot < 0)
		return 1;
	switch (adhoc_state(r->adhoc.slot, r->adhoc.gen, &pid, r->msg, sizeof r->msg)) {
	case ADHOC_STARTING: return 0;
	case ADHOC_FAILED: r->status = PROTO_E_FAILED; break;
	default:
		r->done.pid = (uint32_t)pid;
		ops_say(r, PROTO_OK, "Process started with PID %d (PID: %d)", (int)pid, (int)pid);
	}
	r->adhoc.slot = -1;
	return 1;
}

const struct ops_reply ops_ps_start_reply = { .ready = start_ready };

/* One PS record into f from rec, whose command line the caller has set:
 * a live process (pi), or an ad-hoc one that has ended. */
static void ps_record(unsigned char *f, const struct psinfo *pi, const struct adhoc_view *ended)
{
	struct adhoc_view v;
	char dummy[1];
	int svc = service_of(pi->pid);

	rec.name[0] = 0;
	if (svc >= 0)
		fmt_fmt(rec.name, sizeof rec.name, "%s", svc_cfg(svc)->name);
	rec.pid = (uint32_t)pi->pid;
	rec.ppid = (uint32_t)pi->ppid;
	rec.state = ended ? 0 : (uint8_t)pi->state;
	rec.managed = svc >= 0;
	rec.kthread = (uint8_t)pi->kthread;
	rec.cpu_x100 = pi->cpu_x100;
	rec.rss_kb = pi->rss_kb;
	rec.start = pi->start_epoch;
	rec.adhoc = ended || adhoc_find(pi->pid, &v, dummy, sizeof dummy);
	rec.exit_kind = ended ? (uint8_t)ended->exit_kind : 0;
	rec.exit_code = ended ? (uint32_t)ended->exit_code : 0;
	memcpy(rec.comm, pi->comm, sizeof rec.comm);
	proto_pack_ps(f, CFG_HASH, &rec);
}

void ops_ps_list(struct reply *r, const struct proto_req *rq)
{
	(void)rq;
	ps_snapshot();
	pswalk_begin(&r->walk);
	if (r->walk.fd < 0) {
		ops_say(r, PROTO_E_FAILED, "cannot read /proc: %s", strerror(errno));
	}
}

static int list_next(struct reply *r, unsigned char *f)
{
	struct psinfo pi;
	int pid;

	while ((pid = pswalk_next(&r->walk)))
		if (ps_read(pid, &pi, rec.cmd, sizeof rec.cmd) == 0) {
			ps_record(f, &pi, 0);
			return 1;
		}
	return 0;
}

static void list_release(struct reply *r)
{
	pswalk_end(&r->walk);
}

const struct ops_reply ops_ps_list_reply = { .next = list_next, .release = list_release };

/* ps status's process and its whole command line, into status_cmd: 0 for
 * a live process, 1 for an ad-hoc one that has ended (*ended), -1 for
 * none. The buffer is shared by every client, so it is read again for
 * each frame. */
static int status_read(int pid, struct psinfo *pi, struct adhoc_view *ended)
{
	if (ps_read(pid, pi, status_cmd, sizeof status_cmd) == 0)
		return 0;
	if (!adhoc_find(pid, ended, status_cmd, sizeof status_cmd))
		return -1;
	memset(pi, 0, sizeof *pi);
	pi->pid = pid;
	return 1;
}

void ops_ps_status(struct reply *r, const struct proto_req *rq)
{
	struct psinfo pi;
	struct adhoc_view v;

	r->pid = rq->pid;
	if (!pid_ok(r, rq->pid, "show"))
		return;
	ps_snapshot();
	if (status_read(r->pid, &pi, &v) < 0)
		no_such(r, r->pid);
}

static int status_next(struct reply *r, unsigned char *f)
{
	struct psinfo pi;
	struct adhoc_view v;
	int got = status_read(r->pid, &pi, &v);

	if (r->step == 0) {
		r->step = 1;
		if (got < 0) {
			no_such(r, r->pid); /* gone since the request */
			return 0;
		}
		/* The record's field holds what fits; TEXT records carry it all. */
		memcpy(rec.cmd, status_cmd, sizeof rec.cmd - 1);
		rec.cmd[sizeof rec.cmd - 1] = 0;
		ps_record(f, &pi, got ? &v : 0);
		return 1;
	}
	return got >= 0 && ops_text(r, f, PROTO_KEY_CMDLINE, status_cmd);
}

const struct ops_reply ops_ps_status_reply = { .next = status_next };
