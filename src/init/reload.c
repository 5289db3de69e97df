/* reload.c: re-exec with the running state handed over (see reload.h).
 *
 * The state file is written and read by this same source, so a record is
 * the service's struct svc as it is; HANDOVER_VERSION changes whenever that
 * struct does (the size check below makes a forgotten bump a build error).
 * A reader that finds another version, a bad magic, a short file or a bad
 * checksum trusts none of it. After the records come the unfinished lines
 * of their services' output, in record order (partial_len bytes each), so
 * that a line a service is halfway through is not cut by the reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attest.h"
#include "cfg.h"
#include "clock.h"
#include "entropy.h"
#include "events.h"
#include "fmt.h"
#include "log.h"
#include "notify.h"
#include "procfs.h"
#include "proto.h"
#include "reload.h"
#include "say.h"
#include "shutdown.h"
#include "svc.h"
#include "sys.h"

#ifndef HANDOVER_VERSION
#define HANDOVER_VERSION 3
#endif
#define HANDOVER_MAGIC "EIHANDOV"
#define HANDOVER_MAX (SVC_SLOTS + 256) /* records a new init can take */
#define GONE_GRACE_MS 5000             /* removed services: SIGTERM, then SIGKILL */

_Static_assert(sizeof(struct svc) == 312, "struct svc changed: bump HANDOVER_VERSION, then this size");

struct handover_hdr {
	char magic[8];
	uint32_t version, count;
	uint64_t old_hash, checksum; /* checksum: FNV-1a of the records */
	int64_t started_ms;          /* init's start (monotonic: survives exec) */
	int32_t notify_fd;           /* the sd_notify socket, kept open across exec, or -1 */
	uint64_t events_seq;         /* the next event's number */
};

struct handover_rec {
	char name[PROTO_NAME_SIZE];
	uint64_t exec_hash;
	uint64_t log_dropped;
	int32_t rfd, wfd;                  /* the service's log pipe, kept open across exec */
	uint32_t partial_len, partial_off; /* its unfinished line (offset: the reader's) */
	struct svc s;
};

extern char **environ;

static int requested;
static int state_fd = -1; /* read: open until reload_adopt has the lines */
static char partial[LOG_PARTIAL_MAX];
static struct handover_hdr hdr;
static struct handover_rec recs[HANDOVER_MAX];
static struct {
	pid_t pgid;
	int64_t kill_at;
} gone[64];

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

int reload_request(const char *who, char *msg, size_t cap)
{
	if (shutdown_active()) {
		fmt_fmt(msg, cap, "init is shutting down");
		return -1;
	}
	say("reload requested (%s)", who);
	requested = 1;
	fmt_fmt(msg, cap, "Reload initiated: init re-executes itself, services keep running");
	return 0;
}

/* Our own binary: what /proc/self/exe names, even if it was replaced
 * (then the kernel appends " (deleted)" and the path holds the new one). */
static const char *argv0;

void reload_set_argv0(const char *path)
{
	argv0 = path;
}

/* What to execute: the path init runs from when it names this very binary,
 * or a new build installed there (the old file then reads as "(deleted)");
 * otherwise /proc/self/exe itself. After a switch root the path names a
 * file of the application's root, or nothing: executing it would make
 * whatever the image has there PID 1. /proc/self/exe reaches the running
 * binary across the chroot. */
static int self_path(char *buf, size_t cap)
{
	static const char deleted[] = " (deleted)";
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	size_t d = sizeof deleted - 1;
	struct stat self, there;

	if (n <= 0 && argv0 && argv0[0] == '/') {
		/* No /proc (early in a VM): the path init was started by. */
		fmt_fmt(buf, cap, "%s", argv0);
		return 0;
	}
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if ((size_t)n > d && !strcmp(buf + n - d, deleted)) {
		buf[n - d] = 0;
		if (buf[0] == '/' && sys_stat(buf, &there, 0) == 0 && S_ISREG(there.st_mode))
			return 0; /* replaced by a new build */
	} else if (sys_stat("/proc/self/exe", &self, 0) == 0 && sys_stat(buf, &there, 0) == 0 &&
		   self.st_dev == there.st_dev && self.st_ino == there.st_ino) {
		return 0;
	}
	fmt_fmt(buf, cap, "/proc/self/exe");
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void keep_across_exec(int keep)
{
	int i, r, w;

	for (i = 0; i < SVC_N; i++) {
		if (!svc_present(i))
			continue; /* not handed over (an app that never came): not kept either */
		log_pipe(i, &r, &w);
		if (r >= 0)
			(void)fcntl(r, F_SETFD, keep ? 0 : FD_CLOEXEC);
		if (w >= 0)
			(void)fcntl(w, F_SETFD, keep ? 0 : FD_CLOEXEC);
	}
	/* A READY=1 sent during the exec waits in the socket for the new init. */
	if (notify_fd() >= 0)
		(void)fcntl(notify_fd(), F_SETFD, keep ? 0 : FD_CLOEXEC);
}

static int write_state(int fd)
{
	struct handover_rec rec;
	uint64_t sum = 0xcbf29ce484222325ULL;
	int i;

	memset(&hdr, 0, sizeof hdr);
	memcpy(hdr.magic, HANDOVER_MAGIC, sizeof hdr.magic);
	hdr.version = HANDOVER_VERSION;
	for (i = 0; i < SVC_N; i++)
		hdr.count += (uint32_t)svc_present(i); /* an app that never came is not handed over */
	hdr.old_hash = CFG_HASH;
	hdr.started_ms = clock_started();
	hdr.notify_fd = notify_fd();
	hdr.events_seq = events_next_seq();
	if (write_all(fd, &hdr, sizeof hdr) < 0)
		return -1;
	for (i = 0; i < SVC_N; i++) {
		if (!svc_present(i))
			continue;
		memset(&rec, 0, sizeof rec);
		fmt_fmt(rec.name, sizeof rec.name, "%s", svc_cfg(i)->name);
		rec.exec_hash = svc_cfg(i)->exec_hash;
		rec.log_dropped = log_dropped(i);
		log_pipe(i, &rec.rfd, &rec.wfd);
		rec.partial_len = (uint32_t)log_partial(i, partial);
		rec.s = *svc_get(i);
		sum = fnv(sum, &rec, sizeof rec);
		if (write_all(fd, &rec, sizeof rec) < 0)
			return -1;
	}
	for (i = 0; i < SVC_N; i++) {
		size_t n = svc_present(i) ? log_partial(i, partial) : 0;
		sum = fnv(sum, partial, n);
		if (write_all(fd, partial, n) < 0)
			return -1;
	}
	hdr.checksum = sum;
	return pwrite(fd, &hdr, sizeof hdr, 0) == (ssize_t)sizeof hdr ? 0 : -1;
}

void reload_run_pending(void)
{
	char self[256], fdarg[16];
	char *argv[] = { self, "--handover", fdarg, 0 };
	int fd, i;

	if (!requested)
		return;
	requested = 0;
	if (shutdown_active()) {
		say("reload called off: init is shutting down");
		return;
	}
	if (self_path(self, sizeof self) < 0) {
		say_error("reload: cannot find init's own binary (/proc/self/exe): %s; not reloading",
			  strerror(errno));
		return;
	}
	for (i = 0; i < SVC_N; i++)
		log_read(i); /* what is in the pipes now goes to the logs of this init */
	fd = memfd_create("enclave-init-state", 0);
	if (fd < 0 || write_state(fd) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		say_error("reload: cannot write the state to hand over: %s; not reloading", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fmt_fmt(fdarg, sizeof fdarg, "%d", fd);
	/* Not handed over: their clients' connections end with the exec, and
	 * a request's child would only keep the NSM busy for nobody (the new
	 * init reaps it as an orphan). */
	attest_cancel_all();
	entropy_cancel();
	say("reloading: executing %s", self);
	keep_across_exec(1);
	if (!strcmp(self, "/proc/self/exe") && argv0)
		argv[0] = (char *)argv0; /* what ps shows: the name init was started by */
	execve(self, argv, environ);
	keep_across_exec(0);
	close(fd);
	say_error("reload: cannot execute %s: %s; carrying on as before", self, strerror(errno));
}

static int read_all(int fd, void *p, size_t n, off_t off)
{
	ssize_t r = pread(fd, p, n, off);
	return r == (ssize_t)n ? 0 : -1;
}

static int fd_ok(int fd, uint32_t upto)
{
	struct stat st;
	uint32_t k;

	if (fd == -1)
		return 1;
	if (fd < 3 || sys_fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return 0;
	for (k = 0; k < upto; k++) /* each descriptor belongs to one record */
		if (recs[k].rfd == fd || recs[k].wfd == fd)
			return 0;
	return 1;
}

/* The checksum catches damage, not nonsense: every value is checked before
 * any is used (indices into tables, process groups to signal, fds). */
static const char *rec_problem(uint32_t k)
{
	const struct handover_rec *r = &recs[k];
	uint32_t j;

	if (!memchr(r->name, 0, sizeof r->name) || !memchr(r->s.reason, 0, sizeof r->s.reason))
		return "unterminated string";
	if (r->s.state >= SVC_NSTATES || r->s.pending > SVC_NEVENTS || r->s.exit_kind > SVC_EXIT_SIGNAL)
		return "value out of range";
	if (r->s.pid < 0 || r->s.pid == 1 || r->s.pgid < 0 || r->s.pgid == 1)
		return "bad process id";
	if (r->rfd == r->wfd && r->rfd != -1)
		return "bad descriptor";
	if (r->partial_len > sizeof partial)
		return "unfinished line too long";
	if (!fd_ok(r->rfd, k) || !fd_ok(r->wfd, k))
		return "bad descriptor";
	for (j = 0; j < k; j++)
		if (!strcmp(recs[j].name, r->name))
			return "a service named twice";
	return 0;
}

/* Checksum the unfinished lines and note where each is; they are read
 * again when their service is adopted. */
static const char *read_partials(int fd, uint64_t *sum)
{
	uint64_t off = sizeof hdr + (uint64_t)hdr.count * sizeof recs[0];
	uint32_t k;

	for (k = 0; k < hdr.count; k++) {
		recs[k].partial_off = (uint32_t)off;
		if (read_all(fd, partial, recs[k].partial_len, (off_t)off) < 0)
			return "truncated";
		*sum = fnv(*sum, partial, recs[k].partial_len);
		off += recs[k].partial_len;
	}
	return 0;
}

int reload_read(int fd)
{
	const char *why = 0;
	uint64_t sum = 0xcbf29ce484222325ULL;
	uint32_t i;

	if (read_all(fd, &hdr, sizeof hdr, 0) < 0)
		why = "too short";
	else if (memcmp(hdr.magic, HANDOVER_MAGIC, sizeof hdr.magic) != 0)
		why = "bad magic";
	else if (hdr.version != HANDOVER_VERSION)
		why = "another format version";
	else if (hdr.count > HANDOVER_MAX)
		why = "more services than this init can take";
	for (i = 0; !why && i < hdr.count; i++) {
		if (read_all(fd, &recs[i], sizeof recs[i], (off_t)(sizeof hdr + i * sizeof recs[i])) < 0)
			why = "truncated";
		else
			sum = fnv(sum, &recs[i], sizeof recs[i]);
	}
	for (i = 0; !why && i < hdr.count; i++)
		why = rec_problem(i);
	if (!why)
		why = read_partials(fd, &sum);
	if (!why && sum != hdr.checksum)
		why = "checksum mismatch";
	if (!why) {
		clock_set_started(hdr.started_ms);
		events_resume(hdr.events_seq);
		if (hdr.notify_fd >= 0 && fcntl(hdr.notify_fd, F_SETFD, FD_CLOEXEC) == 0)
			notify_adopt(hdr.notify_fd);
		state_fd = fd;
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC); /* no service gets it */
		return 0;
	}
	close(fd);
	say_error("reload: the handed-over state cannot be used (%s, format %u, this init reads %u); "
		  "adopting running children by command line",
		  why, hdr.version, HANDOVER_VERSION);
	/* Whatever the old init left open (its log pipes) is unknown now. */
	if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
		for (i = 3; i < 1024; i++)
			(void)close((int)i); /* kernels before 5.9 */
	hdr.count = 0;
	return -1;
}

static int find_rec(const char *name)
{
	uint32_t k;

	for (k = 0; k < hdr.count; k++)
		if (!strncmp(recs[k].name, name, sizeof recs[k].name))
			return (int)k;
	return -1;
}

static void stop_removed(const struct handover_rec *r)
{
	size_t k;

	if (r->rfd >= 0)
		close(r->rfd);
	if (r->wfd >= 0)
		close(r->wfd);
	if (!svc_is_active(r->s.state) || r->s.pgid <= 0)
		return;
	say("reload: service %s is no longer configured: stopping it (SIGTERM to process group %d)", r->name,
	    (int)r->s.pgid);
	(void)kill(-r->s.pgid, SIGTERM);
	(void)kill(-r->s.pgid, SIGCONT);
	for (k = 0; k < sizeof gone / sizeof gone[0]; k++)
		if (!gone[k].pgid) {
			gone[k].pgid = r->s.pgid;
			gone[k].kill_at = clock_ms() + GONE_GRACE_MS;
			break;
		}
}

static long atol_simple(const char *p)
{
	long v = 0;

	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

/* Fallback: a child of ours that leads its own session and runs exactly a
 * service's command line is that service. */
static void adopt_by_cmdline(int pid, void *ctx)
{
	unsigned char *adopted = ctx;
	char path[40], buf[4096];
	int fd, i, k;
	ssize_t n;

	if (getpgid(pid) != pid || getsid(pid) != pid)
		return;
	fmt_fmt(path, sizeof path, "/proc/%d/stat", pid);
	if (procfs_read(path, buf, sizeof buf) <= 0)
		return;
	{
		const char *p = strrchr(buf, ')'); /* after the command name: " S ppid" */
		if (!p || p[1] != ' ' || !p[2] || p[3] != ' ' || (pid_t)atol_simple(p + 4) != getpid())
			return;
	}
	fmt_fmt(path, sizeof path, "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof buf);
	close(fd);
	for (i = 0; n > 0 && i < SVC_N; i++) {
		ssize_t off = 0;
		if (adopted[i] || svc_get(i)->pid || !svc_present(i))
			continue;
		for (k = 0; svc_cfg(i)->argv[k]; k++) {
			size_t len = strlen(svc_cfg(i)->argv[k]) + 1;
			if (off + (ssize_t)len > n || memcmp(buf + off, svc_cfg(i)->argv[k], len) != 0)
				break;
			off += (ssize_t)len;
		}
		if (!svc_cfg(i)->argv[k] && off == n) {
			say("reload: adopting PID %d as service %s (found by its command line)", pid,
			    svc_cfg(i)->name);
			svc_adopt_pid(i, pid);
			adopted[i] = 1;
			return;
		}
	}
}

void reload_adopt(int readable)
{
	static unsigned char adopted[SVC_SLOTS];
	uint32_t k;
	int i;

	if (!readable) {
		procfs_each_pid(adopt_by_cmdline, adopted);
		svc_boot_except(adopted);
		return;
	}
	for (i = 0; i < SVC_N; i++) {
		int r = svc_present(i) ? find_rec(svc_cfg(i)->name) : -1;
		if (r < 0)
			continue; /* new: started below if enabled */
		svc_adopt(i, &recs[r].s);
		log_adopt_pipe(i, recs[r].rfd, recs[r].wfd);
		if (read_all(state_fd, partial, recs[r].partial_len, (off_t)recs[r].partial_off) == 0)
			log_adopt_partial(i, partial, recs[r].partial_len);
		log_set_dropped(i, recs[r].log_dropped);
		recs[r].rfd = recs[r].wfd = -1; /* taken */
		adopted[i] = 1;
	}
	/* Once all are adopted, so that a restart takes its dependants along;
	 * a service being stopped for good stays stopped. */
	for (i = 0; i < SVC_N; i++) {
		int r = svc_present(i) ? find_rec(svc_cfg(i)->name) : -1;
		const struct svc *s = svc_get(i);
		if (r < 0 || recs[r].exec_hash == svc_cfg(i)->exec_hash || !svc_is_active(s->state) ||
		    (s->state == SVC_STOPPING && !s->want_start))
			continue;
		say("reload: the configuration of service %s changed: restarting it", svc_cfg(i)->name);
		(void)svc_request(i, SVC_EV_RESTART);
	}
	close(state_fd);
	state_fd = -1;
	for (k = 0; k < hdr.count; k++)
		if (svc_find(recs[k].name) < 0)
			stop_removed(&recs[k]);
	say("reload: done (from configuration %016llx to %016llx)", (unsigned long long)hdr.old_hash,
	    (unsigned long long)CFG_HASH);
	svc_boot_except(adopted);
}

void reload_tick(int64_t now)
{
	size_t k;

	for (k = 0; k < sizeof gone / sizeof gone[0]; k++)
		if (gone[k].pgid && now >= gone[k].kill_at) {
			if (kill(-gone[k].pgid, SIGKILL) == 0)
				say_warn("reload: removed service's process group %d outlived SIGTERM: SIGKILL",
					 (int)gone[k].pgid);
			gone[k].pgid = 0;
		}
}

int64_t reload_deadline(void)
{
	int64_t next = 0;
	size_t k;

	for (k = 0; k < sizeof gone / sizeof gone[0]; k++)
		if (gone[k].pgid && (!next || gone[k].kill_at < next))
			next = gone[k].kill_at;
	return next;
}
