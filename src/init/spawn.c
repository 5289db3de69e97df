/* spawn.c: fork/exec of services.
 *
 * The parent never waits for the child: success or failure of exec comes
 * back through a close-on-exec pipe that the event loop polls (the pattern
 * of musl's posix_spawn, without its blocking read). Between fork and exec
 * the child calls only async-signal-safe system calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fmt.h"
#include "privs.h"
#include "spawn.h"
#include "sys.h"

#define DEFAULT_PATH "/sbin:/usr/sbin:/bin:/usr/bin"

/* The open-files limit init was started with (init raises its own: it
 * holds two pipes and a file per service); services get the original.
 * prlimit64 directly: musl's setrlimit() brings its thread-synchronising
 * machinery along, which a single-threaded init does not need. */
static struct rlimit spawn_nofile;

static int nofile_limit(const struct rlimit *set, struct rlimit *get)
{
	return (int)syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, set, get);
}

void spawn_raise_nofile(void)
{
	struct rlimit r;

	if (nofile_limit(0, &r) < 0 || r.rlim_cur >= r.rlim_max)
		return;
	spawn_nofile = r;
	r.rlim_cur = r.rlim_max;
	(void)nofile_limit(&r, 0);
}

/* A service's child reports a failed step to the parent as a struct
 * spawn_report on the exec-status pipe; a health check's child (as_text)
 * says it as a line of its output instead ("exec: No such file or
 * directory"), which is where the check's result comes from. */
static __attribute__((noreturn)) void send_report(int fd, const struct cfg_svc *c, const struct spawn_report *r,
						  int as_text)
{
	if (as_text) {
		char line[200];
		size_t n = spawn_describe(c, r, line, sizeof line - 1);

		line[n++] = '\n';
		(void)!write(fd, line, n);
	} else {
		(void)!write(fd, r, sizeof *r);
	}
	_exit(SPAWN_EXIT_CODE);
}

/* Step stage failed with errno. */
static __attribute__((noreturn)) void report(int fd, const struct cfg_svc *c, int stage, int as_text)
{
	struct spawn_report r = { stage, errno, 0 };

	send_report(fd, c, &r, as_text);
}

static const char *env_path(const char *const *envp)
{
	for (; *envp; envp++)
		if (!strncmp(*envp, "PATH=", 5))
			return *envp + 5;
	return DEFAULT_PATH;
}

/* execve, searching PATH from the service's own environment when the
 * command has no slash (like execvpe, but with the child's PATH, not
 * init's). Returns only on failure, with the most telling errno. */
static void exec_search(const char *const *argv, const char *const *envp)
{
	char buf[4096];
	const char *file = argv[0], *p = env_path(envp);
	size_t flen = strlen(file);
	int seen_eacces = 0;

	if (strchr(file, '/')) {
		execve(file, (char *const *)argv, (char *const *)envp);
		return;
	}
	for (;;) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);

		if (dlen + 1 + flen < sizeof buf) {
			/* Not a string yet: the '/' and the file name's own NUL follow. */
			memcpy(buf, p, dlen); /* NOLINT(bugprone-not-null-terminated-result) */
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			/* An empty PATH entry means the current directory. */
			execve(dlen ? buf : file, (char *const *)argv, (char *const *)envp);
			if (errno == EACCES)
				seen_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return;
		}
		if (!end)
			break;
		p = end + 1;
	}
	errno = seen_eacces ? EACCES : ENOENT;
}

/* An ignored signal stays ignored across exec: whatever init was started
 * with (a parent may ignore anything, even the real-time signals libc
 * reserves) and init's own SIG_IGN for SIGPIPE must not reach a service.
 * musl's sigaction() refuses its reserved signals, so this asks the kernel
 * directly; the layout is the kernel's struct sigaction (x86_64, arm64). */
static void reset_signal_dispositions(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} dfl = { SIG_DFL, 0, 0, 0 };
	int sig;

	for (sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)syscall(SYS_rt_sigaction, sig, &dfl, 0, sizeof dfl.mask);
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* Nothing of init's but stdin, stdout and stderr reaches a service: what
 * init itself inherited (a container runtime's descriptors, a test
 * harness's) is closed at exec, as is anything init opened without
 * close-on-exec. Close-on-exec, not closed: the exec report pipe must stay
 * open until the exec. Kernels before 5.11: one fcntl per descriptor. */
static void cloexec_above_stdio(void)
{
	int fd;

	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (fd = 3; fd < 1024; fd++)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Type=notify: the service's environment and systemd's NOTIFY_SOCKET,
 * with WatchdogSec also WATCHDOG_USEC and WATCHDOG_PID (what
 * sd_watchdog_enabled(3) reads), replacing any it has; built on the
 * child's stack. Returns only on failure; an environment too long to
 * copy goes without them. */
#define NOTIFY_ENV_MAX 1024
static int is_notify_var(const char *e)
{
	return !strncmp(e, "NOTIFY_SOCKET=", 14) || !strncmp(e, "WATCHDOG_USEC=", 14) ||
	       !strncmp(e, "WATCHDOG_PID=", 13);
}

static void exec_notify(const struct cfg_svc *c, const char *const *argv)
{
	const char *env[NOTIFY_ENV_MAX + 4];
	char sock[sizeof "NOTIFY_SOCKET=" + 108], usec[40], pid[32];
	size_t n = 0, k;

	for (k = 0; c->envp[k]; k++) {
		if (n >= NOTIFY_ENV_MAX) {
			exec_search(argv, c->envp);
			return;
		}
		if (!is_notify_var(c->envp[k]))
			env[n++] = c->envp[k];
	}
	fmt_fmt(sock, sizeof sock, "NOTIFY_SOCKET=%s", cfg_init.notify_socket_path);
	env[n++] = sock;
	if (c->watchdog_sec) {
		fmt_fmt(usec, sizeof usec, "WATCHDOG_USEC=%u000000", c->watchdog_sec);
		fmt_fmt(pid, sizeof pid, "WATCHDOG_PID=%d", (int)getpid());
		env[n++] = usec;
		env[n++] = pid;
	}
	env[n] = 0;
	exec_search(argv, env);
}

/* The child's side of both spawns: runs argv (c's ExecStart or HealthCmd)
 * with c's environment and working directory; a failed step goes to fd. */
static void child(const struct cfg_svc *c, const char *const *argv, int fd, int log_fd, int as_text, int cg_fd)
{
	struct spawn_report r;
	sigset_t none;
	int null;

	/* Into the service's cgroup ("0": the writer itself) before anything
	 * of it runs, so that all it forks is there too. A refusal is no
	 * reason to fail the start: it is then contained as without cgroups
	 * (its process group), and status shows no cgroup use for it. */
	if (cg_fd >= 0) {
		(void)!write(cg_fd, "0", 1);
		close(cg_fd);
	}

	/* init blocks the signals it takes through signalfd; a service starts
	 * with nothing blocked and every disposition at its default. */
	reset_signal_dispositions();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	if (setsid() < 0)
		report(fd, c, SPAWN_SETSID, as_text);
	null = open("/dev/null", O_RDONLY);
	if (null < 0)
		report(fd, c, SPAWN_STDIN, as_text);
	if (null != 0) {
		if (dup2(null, 0) < 0)
			report(fd, c, SPAWN_STDIN, as_text);
		close(null);
	}
	/* stdout and stderr into init's log pipe, or the check's output pipe
	 * (dup2 drops close-on-exec). */
	if (log_fd >= 0 && (dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0))
		report(fd, c, SPAWN_OUTPUT, as_text);
	cloexec_above_stdio();
	if (spawn_nofile.rlim_cur && nofile_limit(&spawn_nofile, 0) < 0)
		report(fd, c, SPAWN_LIMITS, as_text);
	/* User=, Limit*=, ...: a step that fails ends the child here. */
	if (privs_drop(c, &r) < 0)
		send_report(fd, c, &r, as_text);
	/* As the user, as systemd does: a directory only it may enter. */
	if (c->workdir && chdir(c->workdir) < 0)
		report(fd, c, SPAWN_CHDIR, as_text);
	if (argv == c->argv && c->type == CFG_TYPE_NOTIFY && cfg_init.notify_socket_path)
		exec_notify(c, argv);
	else
		exec_search(argv, c->envp);
	report(fd, c, SPAWN_EXEC, as_text);
}

/* Fork a child with a pipe to the parent: returns 0 in the child with
 * *write_fd the pipe's write end; in the parent the pid, with *read_fd its
 * read end, non-blocking (the child's writes must not fail, only the
 * parent must never wait); -1 with errno when there is no child. */
static pid_t fork_piped(int *read_fd, int *write_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = sys_fork();
	if (pid == 0) {
		*write_fd = p[1];
		return 0;
	}
	close(p[1]);
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		errno = e;
		return -1;
	}
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	*read_fd = p[0];
	return pid;
}

/* Fork a child running c's ExecStart (or, check, its HealthCmd, whose
 * output and failures go into the pipe itself). */
static pid_t fork_child(const struct cfg_svc *c, int check, int log_fd, int *read_fd, int cg_fd)
{
	int w;
	pid_t pid = fork_piped(read_fd, &w);

	if (pid == 0)
		child(c, check ? c->health_argv : c->argv, w, check ? w : log_fd, check, cg_fd);
	return pid;
}

pid_t spawn_service(const struct cfg_svc *c, int *exec_fd, int log_fd, int cgroup_fd)
{
	return fork_child(c, 0, log_fd, exec_fd, cgroup_fd);
}

pid_t spawn_check(const struct cfg_svc *c, int *out_fd)
{
	return fork_child(c, 1, -1, out_fd, -1);
}

/* The worker's side: set up like a service (its own session, signals at
 * their defaults and unblocked), but nothing of init's is left open
 * except stdin, stdout, stderr and the pipe, which becomes fd 3: a client
 * socket or listener held by a worker would outlive init's close of it. */
static void worker(void (*work)(int fd, const void *ctx), const void *ctx, int fd)
{
	sigset_t none;
	int k;

	reset_signal_dispositions();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	(void)setsid();
	if (fd != SPAWN_WORKER_FD && dup2(fd, SPAWN_WORKER_FD) < 0)
		_exit(SPAWN_EXIT_CODE);
	if (syscall(SYS_close_range, SPAWN_WORKER_FD + 1, ~0U, 0) < 0)
		for (k = SPAWN_WORKER_FD + 1; k < 1024; k++)
			(void)close(k); /* kernels before 5.9 */
	work(SPAWN_WORKER_FD, ctx);
	_exit(0);
}

pid_t spawn_worker(void (*work)(int fd, const void *ctx), const void *ctx, int *read_fd)
{
	int w;
	pid_t pid = fork_piped(read_fd, &w);

	if (pid == 0)
		worker(work, ctx, w);
	return pid;
}

int spawn_kill_group(pid_t pgid, int sig)
{
	return kill(-pgid, sig);
}

int spawn_group_alive(pid_t pgid)
{
	return kill(-pgid, 0) == 0 || errno == EPERM;
}

static const char *stage_name(int stage)
{
	switch (stage) {
	case SPAWN_SETSID: return "setsid";
	case SPAWN_STDIN: return "stdin";
	case SPAWN_CHDIR: return "chdir";
	case SPAWN_OUTPUT: return "output";
	case SPAWN_LIMITS: return "setrlimit";
	case SPAWN_EXEC: return "exec";
	}
	return "start";
}

size_t spawn_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap)
{
	if (r->stage >= SPAWN_PASSWD)
		return privs_describe(c, r, buf, cap);
	return fmt_fmt(buf, cap, "%s: %s", stage_name(r->stage), strerror(r->err));
}
