/* cgroup.c: a cgroup (v2) per service (see cgroup.h).
 *
 * Owns the one path prefix, "<cgroup_v2><init's cgroup>/enclave-init",
 * and which controllers were enabled under it; nothing per service but a
 * few bits (limits that failed, directories still to remove). Every
 * directory is found again by its path, so a reload (a new init, the same
 * PID and cgroup) takes over the services' cgroups with nothing handed
 * over. Never allocates, never waits: cgroupfs reads and writes complete
 * at once; a directory the kernel still finds busy is retried at the next
 * tick.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cfg.h"
#include "cgroup.h"
#include "fmt.h"
#include "procfs.h"
#include "proto.h"
#include "say.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define DIR_NAME "enclave-init"
#define PATH_CAP 512
#define PIDS_PER_PASS 1024 /* processes signalled in one pass (cgroup.kill has no bound) */
#define NO_DIR 0x80        /* failed[]: its directory could not be made (said once) */
#define NESTED_PER_PASS 64 /* cgroups a service made inside its own, removed in one pass */

/* Controllers, as bits of `enabled` and in the limits' order. */
enum { CTL_MEMORY = 1, CTL_CPU = 2, CTL_PIDS = 4 };
static const char *const ctl_names[] = { "memory", "cpu", "pids" };

static char base[PATH_CAP];             /* <cgroup_v2><own>/enclave-init; "" when off */
static unsigned enabled;                /* CTL_* enabled in base's cgroup.subtree_control */
static int has_kill;                    /* cgroup.kill exists (Linux 5.14+) */
static unsigned char failed[SVC_SLOTS]; /* PROTO_CG_NO_*: a limit the kernel refused */
static unsigned char tidy[SVC_SLOTS];   /* its directory is to be removed */
static char buf[4096];                  /* reads; init is single-threaded */
static int lock_fd = -1;                /* base, flock'ed: this init's */

int cgroup_on(void)
{
	return base[0] != 0;
}

/* path = base/<service i>[/file]; 0, or -1 when it does not fit. */
/* A service's directory, not a file of the interface that a service
 * named like one (cgroup.procs, cpu.stat) would find in its place. */
static int service_dir_there(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	errno = ENOTDIR;
	return S_ISDIR(st.st_mode);
}

static int svc_path(char *path, int i, const char *file)
{
	size_t n = fmt_fmt(path, PATH_CAP, "%s/%s%s%s", base, svc_cfg(i)->name, file ? "/" : "", file ? file : "");

	return n + 1 < PATH_CAP ? 0 : -1;
}

static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e;
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, text, strlen(text));
	e = errno;
	close(fd);
	errno = e;
	return w < 0 ? -1 : 0;
}

static int put_in(int i, const char *file, const char *text)
{
	char path[PATH_CAP];

	if (svc_path(path, i, file) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return put(path, text);
}

static long get_in(int i, const char *file)
{
	char path[PATH_CAP];

	if (svc_path(path, i, file) < 0)
		return -1;
	return procfs_read(path, buf, sizeof buf);
}

/* Where word starts a word of text (at its start, or after a space or a
 * newline), or 0. Not strstr, nor strtoull below: musl's bring some 4 KiB
 * of init along for what these few lines do. */
static const char *find(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p; p++)
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') && !strncmp(p, word, n))
			return p;
	return 0;
}

/* The decimal number at p; *end (when end is not 0) after its digits. */
static unsigned long long dec(const char *p, const char **end)
{
	unsigned long long n = 0;

	while (*p >= '0' && *p <= '9')
		n = n * 10 + (unsigned)(*p++ - '0');
	if (end)
		*end = p;
	return n;
}

/* Which of ctl_names the space-separated list names. */
static unsigned ctl_mask(const char *list)
{
	unsigned m = 0, k;

	for (k = 0; k < 3; k++) {
		size_t n = strlen(ctl_names[k]);
		const char *p = find(list, ctl_names[k]);

		if (p && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			m |= 1u << k;
	}
	return m;
}

/* The controllers some service needs: memory and pids for every one (its
 * use in status, and MemoryMax, TasksMax), cpu only for CPUWeight (it
 * costs the scheduler; cpu.stat's usage_usec is there without it). */
static unsigned wanted(void)
{
	unsigned m = CTL_MEMORY | CTL_PIDS;
	int i;

	for (i = 0; i < SVC_N; i++)
		if (svc_cfg(i)->cpu_weight)
			m |= CTL_CPU;
	return m;
}

/* Enable in dir's cgroup.subtree_control what is offered there and wanted,
 * one at a time (one refused does not stop the others). */
static void enable_in(const char *dir, unsigned want)
{
	char path[PATH_CAP], word[16];
	unsigned offered, k;

	fmt_fmt(path, sizeof path, "%s/cgroup.controllers", dir);
	if (procfs_read(path, buf, sizeof buf) < 0)
		return;
	offered = ctl_mask(buf);
	fmt_fmt(path, sizeof path, "%s/cgroup.subtree_control", dir);
	for (k = 0; k < 3; k++)
		if (want & offered & (1u << k)) {
			fmt_fmt(word, sizeof word, "+%s", ctl_names[k]);
			(void)put(path, word);
		}
}

/* The limits service i sets whose controller is not enabled: PROTO_CG_NO_*. */
static unsigned missing(int i)
{
	const struct cfg_svc *c = svc_cfg(i);
	unsigned m = 0;

	if (c->memory_max && !(enabled & CTL_MEMORY))
		m |= PROTO_CG_NO_MEMORY_MAX;
	if (c->cpu_weight && !(enabled & CTL_CPU))
		m |= PROTO_CG_NO_CPU_WEIGHT;
	if (c->tasks_max && !(enabled & CTL_PIDS))
		m |= PROTO_CG_NO_TASKS_MAX;
	return m;
}

static void number(char *out, size_t cap, unsigned long long n)
{
	if (n == CFG_LIMIT_INFINITY)
		fmt_fmt(out, cap, "max");
	else
		fmt_fmt(out, cap, "%llu", n);
}

/* One limit: a refusal is said once per service and limit. */
static void limit(int i, const char *file, unsigned long long n, unsigned bit)
{
	char text[32];

	number(text, sizeof text, n);
	if (put_in(i, file, text) == 0 || (failed[i] & bit))
		return;
	failed[i] |= (unsigned char)bit;
	say_warn("service %s: cannot write %s %s: %s; not applied", svc_cfg(i)->name, file, text, strerror(errno));
}

/* Write service i's limits into its directory (those it sets, where the
 * controller is enabled). */
static void apply_limits(int i)
{
	const struct cfg_svc *c = svc_cfg(i);

	if (c->memory_max && (enabled & CTL_MEMORY))
		limit(i, "memory.max", c->memory_max, PROTO_CG_NO_MEMORY_MAX);
	if (c->tasks_max && (enabled & CTL_PIDS))
		limit(i, "pids.max", c->tasks_max, PROTO_CG_NO_TASKS_MAX);
	if (c->cpu_weight && (enabled & CTL_CPU))
		limit(i, "cpu.weight", c->cpu_weight, PROTO_CG_NO_CPU_WEIGHT);
}

/* The cgroup2 hierarchy at dir: mounted by init in a VM when it is not
 * there yet. Returns 0 when dir is a cgroup2 mount. */
static int find_hierarchy(const char *dir, int vm)
{
	struct statfs fs;

	if (statfs(dir, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return 0;
	if (!vm) {
		say("cgroup_v2: %s is not a cgroup2 mount; services are contained by their process group only",
		    dir);
		return -1;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		say_warn("mkdir %s: %s", dir, strerror(errno));
	if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0) < 0) {
		say_error("mount cgroup2 on %s: %s; services are contained by their process group only", dir,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* init's own cgroup in the v2 hierarchy ("0::/path" in /proc/self/cgroup),
 * "" for the root. */
static const char *own_cgroup(void)
{
	char *p;

	if (procfs_read("/proc/self/cgroup", buf, sizeof buf) < 0)
		return "";
	p = (char *)find(buf, "0::/");
	if (!p)
		return "";
	p += 3;
	p[strcspn(p, "\n")] = 0;
	return strcmp(p, "/") ? p : "";
}

/* Said once: the limits no service gets, and why. */
static void say_missing(void)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < SVC_N; i++)
		m |= missing(i);
	if (m & PROTO_CG_NO_MEMORY_MAX)
		say("cgroup v2: no memory controller here (a v1 hierarchy holds it, or the kernel lacks it); "
		    "MemoryMax is not applied");
	if (m & PROTO_CG_NO_CPU_WEIGHT)
		say("cgroup v2: no cpu controller here; CPUWeight is not applied");
	if (m & PROTO_CG_NO_TASKS_MAX)
		say("cgroup v2: no pids controller here; TasksMax is not applied");
}

/* One init per directory: a second one in the same cgroup (a supervisor
 * started twice, test runs side by side) would take the first one's
 * services' cgroups for leftovers of its own and kill them. The lock lives
 * with the descriptor, which a reload's exec closes (close-on-exec): the
 * new image takes it again. Returns 0 when base is this init's. */
static int lock_base(const char *path)
{
	if (lock_fd < 0)
		lock_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock_fd >= 0 && flock(lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	say_warn("cgroup_v2: %s: %s; services are contained by their process group only", path,
		 lock_fd < 0 ? strerror(errno) : "another init's (locked)");
	if (lock_fd >= 0)
		close(lock_fd);
	lock_fd = -1;
	return -1;
}

void cgroup_setup(int vm)
{
	char top[PATH_CAP], path[PATH_CAP];
	const char *root = cfg_init.cgroup_v2;
	size_t n;
	int i;

	base[0] = 0;
	if (!root || find_hierarchy(root, vm) < 0)
		return;
	n = fmt_fmt(top, sizeof top, "%s%s", root, own_cgroup());
	/* Room for "/enclave-init/<name>/<file>" after it. */
	if (n + sizeof "/" DIR_NAME + PROTO_NAME_SIZE + 24 >= sizeof top) {
		say_warn("cgroup_v2: %s is too long a path; services are contained by their process group only",
			 top);
		return;
	}
	fmt_fmt(path, sizeof path, "%s/" DIR_NAME, top);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		say_warn("mkdir %s: %s; services are contained by their process group only", path,
			 strerror(errno));
		return;
	}
	if (lock_base(path) < 0)
		return;
	memcpy(base, path, strlen(path) + 1);
	/* Controllers pass down a level at a time: init's cgroup (refused
	 * there when init is not at the root, which may hold processes),
	 * then its own directory. */
	enable_in(top, wanted());
	enable_in(base, wanted());
	fmt_fmt(path, sizeof path, "%s/cgroup.subtree_control", base);
	enabled = procfs_read(path, buf, sizeof buf) < 0 ? 0 : ctl_mask(buf);
	fmt_fmt(path, sizeof path, "%s/cgroup.kill", top);
	has_kill = access(path, F_OK) == 0;
	say("cgroup v2 at %s: a cgroup per service in %s (controllers:%s%s%s%s)", root, base,
	    enabled & CTL_MEMORY ? " memory" : "", enabled & CTL_CPU ? " cpu" : "",
	    enabled & CTL_PIDS ? " pids" : "", enabled ? "" : " none");
	say_missing();
	/* Reload: the running services' directories are there; a changed
	 * limit takes effect now. */
	for (i = 0; i < SVC_N; i++)
		if (svc_path(path, i, 0) == 0 && service_dir_there(path))
			apply_limits(i);
}

/* Each pid listed in service i's cgroup.procs: sig. Returns how many. */
static int signal_each(int i, int sig)
{
	int n = 0;
	const char *p, *end;

	if (get_in(i, "cgroup.procs") <= 0)
		return 0;
	for (p = buf; *p && n < PIDS_PER_PASS; p = end) {
		unsigned long long pid = dec(p, &end);

		if (end == p)
			break;
		if (pid > 0 && pid < 1u << 22 && kill((pid_t)pid, sig) == 0)
			n++;
		end += strspn(end, "\n");
	}
	return n;
}

int cgroup_signal(int i, int sig)
{
	if (!cgroup_on())
		return 0;
	if (sig == SIGKILL && has_kill && cgroup_populated(i) && put_in(i, "cgroup.kill", "1") == 0)
		return 1;
	return signal_each(i, sig);
}

int cgroup_populated(int i)
{
	return cgroup_on() && get_in(i, "cgroup.events") > 0 && find(buf, "populated 1") != 0;
}

int cgroup_prepare(int i)
{
	char path[PATH_CAP];

	if (!cgroup_on() || svc_path(path, i, 0) < 0)
		return -1;
	tidy[i] = 0;
	if ((mkdir(path, 0755) < 0 && errno != EEXIST) || !service_dir_there(path)) {
		if (!(failed[i] & NO_DIR))
			say_warn("service %s: mkdir %s: %s; contained by its process group only", svc_cfg(i)->name,
				 path, strerror(errno));
		failed[i] |= NO_DIR;
		return -1;
	}
	/* What a run before this one left (a reload without cgroups, a kill
	 * that had not finished): not this run's. */
	if (cgroup_populated(i))
		(void)cgroup_signal(i, SIGKILL);
	apply_limits(i);
	(void)svc_path(path, i, "cgroup.procs");
	return open(path, O_WRONLY | O_CLOEXEC);
}

/* Append "/<a subdirectory>" of path to it: 1, or 0 when it has none (or
 * the name would not fit). getdents64, not opendir: no allocation. */
static int descend(char *path)
{
	size_t n = strlen(path);
	long got, off;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), found = 0;

	if (fd < 0)
		return 0;
	got = syscall(SYS_getdents64, fd, buf, sizeof buf);
	close(fd);
	for (off = 0; !found && off + 19 < got;) {
		unsigned short reclen;
		const char *name = buf + off + 19; /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */

		memcpy(&reclen, buf + off + 16, sizeof reclen);
		if (reclen <= 19 || off + reclen > got)
			break;
		if (buf[off + 18] == 4 /* DT_DIR */ && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    n + 1 + strnlen(name, (size_t)reclen - 19) + 1 < PATH_CAP) {
			fmt_fmt(path + n, PATH_CAP - n, "/%s", name);
			found = 1;
		}
		off += reclen;
	}
	return found;
}

/* The cgroups a service made inside its own (a root service may): empty
 * once it is down, but its directory cannot go before them. Deepest
 * first, without recursion: down to a leaf, remove it, again from the
 * top; at most NESTED_PER_PASS a pass. */
static void remove_nested(char *path)
{
	size_t top = strlen(path);
	int k;

	for (k = 0; k < NESTED_PER_PASS; k++) {
		path[top] = 0;
		while (descend(path))
			;
		if (strlen(path) == top || rmdir(path) < 0)
			break;
	}
	path[top] = 0;
}

void cgroup_release(int i)
{
	char path[PATH_CAP];

	if (!cgroup_on() || svc_path(path, i, 0) < 0)
		return;
	if (rmdir(path) < 0 && errno == EBUSY && !cgroup_populated(i))
		remove_nested(path);
	tidy[i] = rmdir(path) < 0 && errno == EBUSY;
}

void cgroup_tidy(void)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (tidy[i])
			cgroup_release(i);
}

void cgroup_teardown(void)
{
	char path[PATH_CAP];
	int i;

	if (!cgroup_on())
		return;
	for (i = 0; i < SVC_N; i++)
		if (svc_path(path, i, 0) == 0)
			(void)rmdir(path);
	(void)rmdir(base);
}

/* The number after key (a line "key N") in buf, or -1. */
static long long field(const char *key)
{
	const char *p = find(buf, key);

	return p ? (long long)dec(p + strlen(key), 0) : -1;
}

static unsigned count_lines(void)
{
	unsigned n = 0;
	const char *p;

	for (p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

void cgroup_use(int i, struct cgroup_use *u)
{
	char path[PATH_CAP];
	long long v;

	memset(u, 0, sizeof *u);
	if (!cgroup_on() || svc_path(path, i, 0) < 0 || !service_dir_there(path))
		return;
	u->flags = PROTO_CG_CONTAINED | (uint8_t)(missing(i) | (failed[i] & ~NO_DIR));
	if ((enabled & CTL_MEMORY) && get_in(i, "memory.current") > 0) {
		u->memory = dec(buf, 0);
		u->flags |= PROTO_CG_MEMORY;
	}
	if (get_in(i, "cpu.stat") > 0 && (v = field("usage_usec ")) >= 0) {
		u->cpu_usec = (uint64_t)v;
		u->flags |= PROTO_CG_CPU;
	}
	if ((enabled & CTL_PIDS) && get_in(i, "pids.current") > 0) {
		u->tasks = (uint32_t)dec(buf, 0);
		u->flags |= PROTO_CG_TASKS;
	} else if (get_in(i, "cgroup.threads") >= 0) {
		/* At most what one buffer holds (some 500 threads). */
		u->tasks = count_lines();
		u->flags |= PROTO_CG_TASKS;
	}
}
