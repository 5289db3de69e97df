/* ops_ps.c: ps list, status, start, stop, kill, restart (see ops_ps.h). */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "adhoc.h"
#include "cfg.h"
#include "fmt.h"
#include "ops_ps.h"
#include "pslist.h"
#include "svc.h"

/* ps status's command line: what /proc/PID/cmdline holds (one page). */
static char status_cmd[4096];

int ops_ps_op(unsigned op)
{
	return op >= PROTO_OP_PS_LIST && op <= PROTO_OP_PS_RESTART;
}

int ops_ps_service_of(int pid)
{
	int i;

	for (i = 0; pid > 0 && i < SVC_N; i++)
		if (svc_present(i) && svc_get(i)->pid == pid)
			return i;
	return -1;
}

/* Refuse what is not one process: 0 and negatives name groups to kill(2),
 * 1 is init. Returns 1 when the pid may be used. */
static int pid_ok(struct reply *r, uint32_t raw, const char *what)
{
	int32_t pid = (int32_t)raw;

	if (pid == 1 && r->op != PROTO_OP_PS_STATUS)
		fmt_fmt(r->msg, sizeof r->msg, "refusing to %s PID 1: it is init itself", what);
	else if (pid == 0)
		fmt_fmt(r->msg, sizeof r->msg, "refusing to %s PID 0: not a process (kill(2) would "
			"take it for the caller's process group)", what);
	else if (pid < 0)
		fmt_fmt(r->msg, sizeof r->msg, "refusing to %s PID %d: not a process (a negative PID "
			"names a process group)", what, (int)pid);
	else
		return 1;
	r->status = PROTO_E_STATE;
	return 0;
}

static void no_such(struct reply *r, int pid)
{
	r->status = PROTO_E_NOT_FOUND;
	fmt_fmt(r->msg, sizeof r->msg, "Process %d: no such process", pid);
}

static void send_signal(struct reply *r, int pid, int sig)
{
	if (kill(pid, sig) < 0) {
		if (errno == ESRCH) {
			no_such(r, pid);
			return;
		}
		r->status = PROTO_E_FAILED;
		fmt_fmt(r->msg, sizeof r->msg, "cannot signal process %d: %s", pid, strerror(errno));
		return;
	}
	if (sig == SIGTERM && r->op == PROTO_OP_PS_STOP)
		fmt_fmt(r->msg, sizeof r->msg, "SIGTERM sent to process %d", pid);
	else
		fmt_fmt(r->msg, sizeof r->msg, "Signal %d sent to process %d", sig, pid);
}

static void restart(struct reply *r, int pid)
{
	int i = ops_ps_service_of(pid);
	struct psinfo pi;

	if (i < 0) {
		if (ps_read(pid, &pi, 0, 0) < 0)
			no_such(r, pid);
		else {
			r->status = PROTO_E_STATE;
			fmt_fmt(r->msg, sizeof r->msg, "Process %d is not managed by init, cannot restart", pid);
		}
		return;
	}
	r->svc = i;
	switch (svc_request(i, SVC_EV_RESTART)) {
	case SVC_OK:
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' restarted", svc_cfg(i)->name);
		break;
	case SVC_SHUTTING_DOWN:
		r->status = PROTO_E_BUSY;
		fmt_fmt(r->msg, sizeof r->msg, "init is shutting down");
		break;
	default:
		r->status = PROTO_E_STATE;
		fmt_fmt(r->msg, sizeof r->msg, "Service '%s' cannot be restarted now", svc_cfg(i)->name);
	}
}

void ops_ps_begin(struct reply *r, const unsigned char *req)
{
	uint32_t a0 = proto_get32(req, PROTO_OFF_ARG0), a1 = proto_get32(req, PROTO_OFF_ARG1);
	struct psinfo pi;
	struct adhoc_view v;

	r->ps_pid = (int)a0;
	switch (r->op) {
	case PROTO_OP_PS_LIST:
		ps_snapshot();
		pswalk_begin(&r->walk);
		if (r->walk.fd < 0) {
			r->status = PROTO_E_FAILED;
			fmt_fmt(r->msg, sizeof r->msg, "cannot read /proc: %s", strerror(errno));
		}
		break;
	case PROTO_OP_PS_STATUS:
		if (!pid_ok(r, a0, "show"))
			break;
		ps_snapshot();
		if (ps_read(r->ps_pid, &pi, 0, 0) < 0 && !adhoc_find(r->ps_pid, &v, status_cmd, 1))
			no_such(r, r->ps_pid);
		break;
	case PROTO_OP_PS_START:
		r->adhoc = adhoc_start((const char *)req + PROTO_OFF_TEXT, proto_get32(req, PROTO_OFF_ARG2),
				       (int)a0, (int)a1, &r->adhoc_gen, r->msg, sizeof r->msg);
		if (r->adhoc < 0)
			r->status = PROTO_E_FAILED;
		break;
	case PROTO_OP_PS_STOP:
		if (pid_ok(r, a0, "stop"))
			send_signal(r, r->ps_pid, SIGTERM);
		break;
	case PROTO_OP_PS_KILL:
		if (pid_ok(r, a0, "signal"))
			send_signal(r, r->ps_pid, (int)a1);
		break;
	case PROTO_OP_PS_RESTART:
		if (pid_ok(r, a0, "restart"))
			restart(r, r->ps_pid);
		break;
	}
}

int ops_ps_ready(struct reply *r)
{
	pid_t pid;

	if (r->adhoc < 0)
		return 1;
	switch (adhoc_state(r->adhoc, r->adhoc_gen, &pid, r->msg, sizeof r->msg)) {
	case ADHOC_STARTING:
		return 0;
	case ADHOC_FAILED:
		r->status = PROTO_E_FAILED;
		break;
	default:
		r->ps_pid = (int)pid;
		fmt_fmt(r->msg, sizeof r->msg, "Process started with PID %d (PID: %d)", (int)pid, (int)pid);
	}
	r->adhoc = -1;
	return 1;
}

/* One PS record: a live process (pi), or an ad-hoc one that has ended. */
static void fill(unsigned char *f, const struct psinfo *pi, const struct adhoc_view *ended,
		 const char *cmd)
{
	struct adhoc_view v;
	char dummy[1];
	int svc = ops_ps_service_of(pi->pid);

	proto_init(f, PROTO_REC_PS, CFG_HASH);
	if (svc >= 0)
		proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, svc_cfg(svc)->name);
	proto_put32(f, PROTO_PS_PID, (uint32_t)pi->pid);
	proto_put32(f, PROTO_PS_PPID, (uint32_t)pi->ppid);
	f[PROTO_PS_STATE] = (unsigned char)pi->state;
	f[PROTO_PS_MANAGED] = svc >= 0;
	f[PROTO_PS_KTHREAD] = (unsigned char)pi->kthread;
	proto_put32(f, PROTO_PS_CPU, pi->cpu_x100);
	proto_put64(f, PROTO_PS_RSS_KB, pi->rss_kb);
	proto_put64(f, PROTO_PS_START, pi->start_epoch);
	if (!ended && adhoc_find(pi->pid, &v, dummy, sizeof dummy))
		f[PROTO_PS_ADHOC] = 1;
	if (ended) {
		f[PROTO_PS_ADHOC] = 1;
		f[PROTO_PS_STATE] = 0;
		f[PROTO_PS_EXIT_KIND] = (unsigned char)ended->exit_kind;
		proto_put32(f, PROTO_PS_EXIT_CODE, (uint32_t)ended->exit_code);
	}
	proto_put_str(f, PROTO_PS_COMM, 16, pi->comm);
	proto_put_str(f, PROTO_PS_CMD, PROTO_PS_CMD_SIZE, cmd);
}

static int text_record(struct reply *r, unsigned char *f, const char *text)
{
	size_t len = strlen(text), n;

	if (r->off >= len)
		return 0;
	proto_init(f, PROTO_REC_TEXT, CFG_HASH);
	proto_put32(f, PROTO_OFF_ARG0, PROTO_KEY_CMDLINE);
	n = len - r->off < PROTO_TEXT_SIZE - 1 ? len - r->off : PROTO_TEXT_SIZE - 1;
	memcpy(f + PROTO_OFF_TEXT, text + r->off, n);
	r->off += n;
	return 1;
}

int ops_ps_next(struct reply *r, unsigned char *f)
{
	static char cmd[PROTO_PS_CMD_SIZE];
	struct psinfo pi;
	struct adhoc_view v;
	int pid;

	switch (r->op) {
	case PROTO_OP_PS_LIST:
		while ((pid = pswalk_next(&r->walk)))
			if (ps_read(pid, &pi, cmd, sizeof cmd) == 0) {
				fill(f, &pi, 0, cmd);
				return 1;
			}
		return 0;
	case PROTO_OP_PS_STATUS:
		if (r->step == 0) {
			r->step = 1;
			if (ps_read(r->ps_pid, &pi, status_cmd, sizeof status_cmd) == 0) {
				fill(f, &pi, 0, status_cmd);
				return 1;
			}
			if (adhoc_find(r->ps_pid, &v, status_cmd, sizeof status_cmd)) {
				memset(&pi, 0, sizeof pi);
				pi.pid = r->ps_pid;
				fill(f, &pi, &v, status_cmd);
				return 1;
			}
			no_such(r, r->ps_pid);  /* gone since the request */
			return 0;
		}
		/* The buffer is shared by every client: fill it again for this
		 * reply's process before each chunk. */
		if (ps_read(r->ps_pid, &pi, status_cmd, sizeof status_cmd) < 0 &&
		    !adhoc_find(r->ps_pid, &v, status_cmd, sizeof status_cmd))
			return 0;
		return text_record(r, f, status_cmd);
	}
	return 0;
}

void ops_ps_release(struct reply *r)
{
	if (r->op == PROTO_OP_PS_LIST)
		pswalk_end(&r->walk);
}
