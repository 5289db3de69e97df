/* fake_world.c: see fake_world.h. Link with
 *   -Wl,--wrap=open,--wrap=mkdir,--wrap=unlink,--wrap=rename,--wrap=kill,--wrap=socket,--wrap=connect
 *   -Wl,--wrap=access,--wrap=ioctl
 * so that init's modules, linked as they are, call these instead. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbor.h"

#include "clock.h"
#include "fake_world.h"
#include "fmt.h"
#include "nsm.h"
#include "reload.h"
#include "say.h"
#include "shutdown.h"
#include "spawn.h"

int fake_fork_fails, fake_exec_fails, fake_ignore_term, fake_worker_hangs;
int64_t fake_now = 1000000;
static int shutting_down;

#define FAKE_MAX 48
static struct fake {
	int pid;     /* 0: free */
	int wfd;     /* write end of its exec-status pipe, -1 once settled */
	int fails;   /* report a failed exec when it settles */
	int exiting; /* signalled: exits at the next fake_exits */
	int status;  /* its wait status then */
} fakes[FAKE_MAX];
static int next_pid = 1000;

void fake_reset(void)
{
	int i;

	for (i = 0; i < FAKE_MAX; i++)
		if (fakes[i].pid && fakes[i].wfd >= 0)
			close(fakes[i].wfd);
	memset(fakes, 0, sizeof fakes);
	next_pid = 1000;
	fake_now = 1000000;
	shutting_down = 0;
}

static struct fake *find(int pid)
{
	int i;

	for (i = 0; pid > 0 && i < FAKE_MAX; i++)
		if (fakes[i].pid == pid)
			return &fakes[i];
	return 0;
}

void fake_settle(void)
{
	int i;

	for (i = 0; i < FAKE_MAX; i++) {
		struct fake *f = &fakes[i];
		if (!f->pid || f->wfd < 0)
			continue;
		if (f->fails) {
			struct spawn_report r = { SPAWN_EXEC, ENOENT };
			(void)!write(f->wfd, &r, sizeof r);
			f->exiting = 1;
			f->status = SPAWN_EXIT_CODE << 8;
		}
		close(f->wfd);
		f->wfd = -1;
	}
}

void fake_exits(int everyone, int status, int (*reaped)(int pid, int status))
{
	int i;

	for (i = 0; i < FAKE_MAX; i++) {
		struct fake *f = &fakes[i];
		int pid = f->pid;
		if (!pid || !(everyone || f->exiting))
			continue;
		status = f->exiting ? f->status : status;
		if (f->wfd >= 0)
			close(f->wfd);
		memset(f, 0, sizeof *f);
		reaped(pid, status);
	}
}

/* --- spawn.c ------------------------------------------------------------ */

pid_t spawn_service(const struct cfg_svc *c, int *exec_fd, int log_fd, int cgroup_fd)
{
	struct fake *f;
	int p[2];

	(void)c;
	(void)log_fd;
	(void)cgroup_fd;
	for (f = fakes; f < fakes + FAKE_MAX && f->pid; f++)
		;
	if (fake_fork_fails || f == fakes + FAKE_MAX) {
		errno = EAGAIN;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	*exec_fd = p[0];
	f->pid = next_pid++;
	f->wfd = p[1];
	f->fails = fake_exec_fails;
	return f->pid;
}

/* A worker runs at once, here: its answer is in the pipe before this
 * returns (a pipe holds it all), and it exits at the next fake_exits. A
 * hanging one writes nothing and lives until it is killed. */
pid_t spawn_worker(void (*work)(int fd, const void *ctx), const void *ctx, int *read_fd)
{
	struct fake *f;
	int p[2];

	for (f = fakes; f < fakes + FAKE_MAX && f->pid; f++)
		;
	if (fake_fork_fails || f == fakes + FAKE_MAX) {
		errno = EAGAIN;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	*read_fd = p[0];
	f->pid = next_pid++;
	f->wfd = -1;
	if (fake_worker_hangs) {
		f->wfd = p[1]; /* closed when it is killed */
		return f->pid;
	}
	work(p[1], ctx);
	close(p[1]);
	f->exiting = 1;
	f->status = 0;
	return f->pid;
}

static int signal_fake(int pid, int sig)
{
	struct fake *f = find(pid);

	if (!f) {
		errno = ESRCH;
		return -1;
	}
	if (sig == SIGKILL || (sig == SIGTERM && !fake_ignore_term) || sig == SIGINT) {
		f->exiting = 1;
		f->status = sig;
	}
	return 0;
}

int spawn_kill_group(pid_t pgid, int sig)
{
	return signal_fake(pgid, sig);
}

int spawn_group_alive(pid_t pgid)
{
	return find(pgid) != 0;
}

size_t spawn_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap)
{
	(void)c;
	return (size_t)snprintf(buf, cap, "%s: %s", r->stage == SPAWN_EXEC ? "exec" : "setup", strerror(r->err));
}

void spawn_raise_nofile(void)
{
}

/* --- clock.c, say.c, reload.c, shutdown.c ------------------------------- */

int64_t clock_ms(void)
{
	return fake_now;
}
int64_t clock_wall(void)
{
	return 1700000000 + fake_now / 1000;
}
int64_t clock_wall_ms(void)
{
	return 1700000000000LL + fake_now;
}
int64_t clock_started(void)
{
	return 1000000;
}

void clock_set_started(int64_t ms)
{
	(void)ms;
}

/* Every message is formatted (its arguments are read), then dropped. */
static void drop(const char *f, va_list ap)
{
	char line[512];

	fmt_vfmt(line, sizeof line, f, ap);
}
void say(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	drop(f, ap);
	va_end(ap);
}
void say_warn(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	drop(f, ap);
	va_end(ap);
}
void say_error(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	drop(f, ap);
	va_end(ap);
}
void say_log_warnings(void)
{
}

int reload_request(const char *who, char *msg, size_t cap)
{
	(void)who;
	if (shutting_down) {
		fmt_fmt(msg, cap, "init is shutting down");
		return -1;
	}
	fmt_fmt(msg, cap, "Reload requested");
	return 0;
}

void shutdown_request(enum sys_halt how, const char *why)
{
	(void)how;
	(void)why;
	shutting_down = 1;
}
/* A drain ends at once here: a --wait is answered on the next pass. */
enum shutdown_answer shutdown_drain(enum sys_halt how, const char *why, uint32_t drain_sec)
{
	int was = shutting_down;

	(void)drain_sec;
	shutdown_request(how, why);
	return was ? SHUTDOWN_UNDER_WAY : SHUTDOWN_STARTED;
}
int shutdown_confirmed(void)
{
	return shutting_down;
}
const char *shutdown_outcome(void)
{
	return "Every service stopped";
}
int shutdown_active(void)
{
	return shutting_down;
}
/* PID 1 of a container, as far as entropy.c asks: never a VM's power-off. */
enum sys_mode shutdown_mode(void)
{
	return SYS_CONTAINER;
}

/* --- system calls: nothing leaves the process ---------------------------- */

int __real_open(const char *path, int flags, ...);
static int open_nsm(void);
int __wrap_open(const char *path, int flags, ...)
{
	if (!strcmp(path, NSM_DEVICE))
		return open_nsm();
	if (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) {
		errno = EROFS;
		return -1;
	}
	return __real_open(path, flags);
}
int __wrap_mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	errno = EROFS;
	return -1;
}
int __wrap_unlink(const char *path)
{
	(void)path;
	errno = EROFS;
	return -1;
}
int __wrap_rename(const char *from, const char *to)
{
	(void)from;
	(void)to;
	errno = EROFS;
	return -1;
}
/* The NSM: its device is there (/dev/null stands in) and answers the raw
 * ioctl with {"Attestation": {"document": <the request>}} when the request
 * has a nonce, else {"Error": "InvalidArgument"}. */
static int nsm_fd = -1;

int __real_access(const char *path, int mode);
int __wrap_access(const char *path, int mode)
{
	return strcmp(path, NSM_DEVICE) ? __real_access(path, mode) : 0;
}

static int open_nsm(void)
{
	nsm_fd = __real_open("/dev/null", O_RDONLY | O_CLOEXEC);
	return nsm_fd;
}

int __real_ioctl(int fd, unsigned long cmd, ...);
int __wrap_ioctl(int fd, unsigned long cmd, ...)
{
	struct nsm_raw *raw;
	struct cbor_out o;
	va_list ap;
	const unsigned char *req;

	va_start(ap, cmd);
	raw = va_arg(ap, struct nsm_raw *);
	va_end(ap);
	if (fd != nsm_fd || (unsigned)cmd != (unsigned)NSM_IOCTL_RAW)
		return __real_ioctl(fd, cmd, raw);
	req = (const unsigned char *)(uintptr_t)raw->request.addr;
	cbor_out_init(&o, (void *)(uintptr_t)raw->response.addr, raw->response.len);
	cbor_put_head(&o, CBOR_MAP, 1);
	if (memmem(req, raw->request.len, "\x65nonce\xf6", 7)) {
		cbor_put_text(&o, "Error");
		cbor_put_text(&o, "InvalidArgument");
	} else {
		cbor_put_text(&o, "Attestation");
		cbor_put_head(&o, CBOR_MAP, 1);
		cbor_put_text(&o, "document");
		cbor_put_bytes(&o, req, raw->request.len);
	}
	raw->response.len = o.len;
	return 0;
}

/* Signals reach the fake processes only: a fuzzed ps kill must not hit
 * the machine's. */
int __wrap_kill(pid_t pid, int sig)
{
	return signal_fake(pid, sig);
}
/* A log stream's socket: one end of a socketpair whose other end is gone
 * (its writes fail with EPIPE; SIGPIPE is ignored). */
int __wrap_socket(int domain, int type, int proto)
{
	int sv[2];

	(void)domain;
	(void)proto;
	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		return -1;
	close(sv[1]);
	return sv[0];
}
int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	(void)fd;
	(void)sa;
	(void)len;
	errno = EINPROGRESS;
	return -1;
}
