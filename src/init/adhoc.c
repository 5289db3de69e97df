/* adhoc.c: the ad-hoc process table (see adhoc.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h> /* rename(); no stream is used (make check-nomalloc) */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adhoc.h"
#include "cfg.h"
#include "fmt.h"
#include "log.h"
#include "proto.h"
#include "say.h"
#include "spawn.h"

#define ADHOC_ENV_MAX 64 /* init's environment: + the -e variables */

struct slot {
	unsigned long ended_seq; /* order of ending: the oldest is reused first */
	pid_t pid;               /* 0: never used */
	enum adhoc_state state;
	unsigned gen;
	int exec_fd;
	int exit_kind, exit_code;
	char why[160];
	char user[PROTO_NAME_SIZE]; /* --user, or "": root */
	struct cfg_privs privs;     /* its user */
	char text[PROTO_TEXT_SIZE];
	const char *argv[PROTO_PS_MAX_ARGS + 1];
	const char *envp[ADHOC_ENV_MAX + PROTO_PS_MAX_ARGS + 1];
};

static struct slot slots[CFG_MAX_ADHOC];
static unsigned long ended;

static struct slot *free_slot(void)
{
	struct slot *best = 0;
	int i;

	for (i = 0; i < CFG_MAX_ADHOC; i++) {
		struct slot *s = &slots[i];
		if (!s->pid)
			return s;
		if ((s->state == ADHOC_ENDED || s->state == ADHOC_FAILED) &&
		    (!best || s->ended_seq < best->ended_seq))
			best = s;
	}
	return best;
}

/* The environment: init's, then the request's; a later name replaces. */
static void merge_env(struct slot *s, const char *const *extra, int n)
{
	int k = 0, i, j;

	for (i = 0; cfg_base_env[i] && k < ADHOC_ENV_MAX; i++)
		s->envp[k++] = cfg_base_env[i];
	for (i = 0; i < n; i++) {
		size_t name = (size_t)(strchr(extra[i], '=') - extra[i]) + 1;
		for (j = 0; j < k && strncmp(s->envp[j], extra[i], name) != 0; j++)
			;
		s->envp[j] = extra[i];
		if (j == k)
			k++;
	}
	s->envp[k] = 0;
}

/* Output into <log_dir>/adhoc-<pid>.log: opened before the fork under a
 * temporary name, renamed once the pid is known. */
static int open_output(char *tmp, size_t cap)
{
	int fd;

	fmt_fmt(tmp, cap, "%s/.adhoc-starting.log", cfg_init.log_dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		say_warn("ps start: cannot open %s: %s; output goes to the console", tmp, strerror(errno));
	return fd;
}

/* What ps start runs with: argv, environment and user, no more; systemd's
 * umask (CFG_UMASK_DEFAULT, as a zeroed entry has it). */
static void adhoc_cfg(struct slot *s, struct cfg_svc *c)
{
	memset(c, 0, sizeof *c);
	c->name = "ps start";
	c->argv = s->argv;
	c->envp = s->envp;
	memset(&s->privs, 0, sizeof s->privs);
	s->privs.user = s->user;
	c->privs = s->user[0] ? &s->privs : 0;
}

int adhoc_start(const char *text, size_t len, int argc, int envc, const char *user, unsigned *gen, char *msg,
		size_t cap)
{
	struct slot *s = free_slot();
	const char *env[ADHOC_ENV_MAX];
	struct cfg_svc c;
	char tmp[LOG_PATH_MAX], path[LOG_PATH_MAX];
	size_t off = 0;
	int i, out;
	pid_t pid;

	if (!s) {
		fmt_fmt(msg, cap, "too many ad-hoc processes running (at most %d at once, max_adhoc)",
			CFG_MAX_ADHOC);
		return -1;
	}
	if (envc > ADHOC_ENV_MAX) {
		fmt_fmt(msg, cap, "too many environment variables (at most %d)", ADHOC_ENV_MAX);
		return -1;
	}
	if (s->pid) {
		/* The slot's old process goes out of memory, and its output file
		 * with it: at most max_adhoc files ever (log_dir is enclave RAM). */
		fmt_fmt(path, sizeof path, "%s/adhoc-%d.log", cfg_init.log_dir, (int)s->pid);
		(void)unlink(path);
		s->pid = 0;
	}
	memset(s->text, 0, sizeof s->text);
	memcpy(s->text, text, len);
	/* The command's strings become argv, the rest the -e variables. */
	for (i = 0; i < argc; i++) {
		s->argv[i] = s->text + off;
		off += strlen(s->text + off) + 1;
	}
	for (i = 0; i < envc; i++) {
		env[i] = s->text + off;
		off += strlen(s->text + off) + 1;
	}
	s->argv[argc] = 0;
	merge_env(s, env, envc);
	fmt_fmt(s->user, sizeof s->user, "%s", user ? user : "");
	adhoc_cfg(s, &c);
	out = open_output(tmp, sizeof tmp);
	pid = spawn_service(&c, &s->exec_fd, out, -1);
	if (pid < 0) {
		fmt_fmt(msg, cap, "cannot start %s: fork: %s", s->argv[0], strerror(errno));
		s->state = ADHOC_ENDED; /* pid 0: the slot is free */
		if (out >= 0) {
			close(out);
			(void)unlink(tmp);
		}
		return -1;
	}
	if (out >= 0) {
		fmt_fmt(path, sizeof path, "%s/adhoc-%d.log", cfg_init.log_dir, (int)pid);
		if (rename(tmp, path) < 0)
			say_warn("ps start: cannot name %s: %s", path, strerror(errno));
		close(out);
	}
	s->pid = pid;
	s->state = ADHOC_STARTING;
	s->exit_kind = PROTO_EXIT_NONE;
	s->exit_code = 0;
	s->why[0] = 0;
	*gen = ++s->gen;
	say("ps start: %s started with PID %d", s->argv[0], (int)pid);
	return (int)(s - slots);
}

enum adhoc_state adhoc_state(int slot, unsigned gen, pid_t *pid, char *msg, size_t cap)
{
	const struct slot *s = &slots[slot];

	*pid = s->pid;
	if (s->gen != gen) {
		fmt_fmt(msg, cap, "the process was forgotten before its start was settled");
		return ADHOC_FAILED;
	}
	if (s->state == ADHOC_FAILED)
		fmt_fmt(msg, cap, "%s", s->why);
	/* An exec that worked and a process that has ended since are both a
	 * successful start. */
	return s->state == ADHOC_ENDED ? ADHOC_RUNNING : s->state;
}

static void close_exec(struct slot *s)
{
	if (s->exec_fd >= 0)
		close(s->exec_fd);
	s->exec_fd = -1;
}

/* The exec-status pipe: EOF means exec succeeded; a report means it did not. */
static void settle(struct slot *s)
{
	struct spawn_report rep;
	ssize_t n = read(s->exec_fd, &rep, sizeof rep);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	close_exec(s);
	if (n == (ssize_t)sizeof rep) {
		struct cfg_svc c;
		char what[96];

		adhoc_cfg(s, &c);
		(void)spawn_describe(&c, &rep, what, sizeof what);
		fmt_fmt(s->why, sizeof s->why, "cannot start %s: %s", s->argv[0], what);
		if (s->state == ADHOC_STARTING)
			s->state = ADHOC_FAILED;
		say("ps start: %s", s->why);
	} else if (s->state == ADHOC_STARTING) {
		s->state = ADHOC_RUNNING;
	}
}

int adhoc_reaped(pid_t pid, int status)
{
	int i;

	for (i = 0; i < CFG_MAX_ADHOC; i++) {
		struct slot *s = &slots[i];
		if (s->pid != pid || s->state == ADHOC_ENDED || (s->state == ADHOC_FAILED && s->exec_fd < 0))
			continue;
		if (s->exec_fd >= 0)
			settle(s); /* the report is in the pipe before the exit */
		s->exit_kind = WIFSIGNALED(status) ? PROTO_EXIT_SIGNAL : PROTO_EXIT_CODE;
		s->exit_code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
		if (s->state != ADHOC_FAILED)
			s->state = ADHOC_ENDED;
		s->ended_seq = ++ended;
		say("ps start: PID %d %s %d", (int)pid,
		    s->exit_kind == PROTO_EXIT_SIGNAL ? "killed by signal" : "exited with code", s->exit_code);
		return 1;
	}
	return 0;
}

int adhoc_find(pid_t pid, struct adhoc_view *v, char *cmd, size_t cap)
{
	const struct slot *best = 0;
	size_t off = 0;
	int i, k;

	/* After PID reuse two slots may hold the same pid: the running one,
	 * else the one that ended last, is the process asked about. */
	for (i = 0; pid > 0 && i < CFG_MAX_ADHOC; i++) {
		const struct slot *s = &slots[i];
		if (s->pid != pid)
			continue;
		if (!best || s->state == ADHOC_RUNNING || s->state == ADHOC_STARTING ||
		    (best->state != ADHOC_RUNNING && s->ended_seq > best->ended_seq))
			best = s;
	}
	if (!best)
		return 0;
	for (k = 0; best->argv[k] && off + 1 < cap; k++)
		off += fmt_fmt(cmd + off, cap - off, "%s%s", k ? " " : "", best->argv[k]);
	v->pid = pid;
	v->state = best->state;
	v->exit_kind = best->exit_kind;
	v->exit_code = best->exit_code;
	return 1;
}

int adhoc_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < CFG_MAX_ADHOC && n < max; i++)
		if (slots[i].pid && slots[i].exec_fd >= 0) {
			p[n].fd = slots[i].exec_fd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	return n;
}

void adhoc_poll_done(const struct pollfd *p, int n)
{
	int k, i;

	for (k = 0; k < n; k++)
		for (i = 0; i < CFG_MAX_ADHOC; i++)
			if (p[k].revents && slots[i].exec_fd == p[k].fd && slots[i].pid) {
				settle(&slots[i]);
				break;
			}
}
