/* mounts.c: the filesystems of a Linux userland, mounted by PID 1.
 *
 * Flags as manual 001's "Filesystem Initialization Details": nothing
 * executable or device-bearing where it has no business to be. A mount
 * point that is already mounted (EBUSY) is fine: a kernel with
 * CONFIG_DEVTMPFS_MOUNT mounts /dev itself, and without a switch root the
 * first /dev is still there.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "fmt.h"
#include "procfs.h"
#include "say.h"

#define SAFE (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static void mount_one(const char *src, const char *dir, const char *type, unsigned long flags, const char *data)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		say_warn("mkdir %s: %s", dir, strerror(errno));
	if (mount(src, dir, type, flags, data) < 0 && errno != EBUSY)
		say_error("mount %s on %s: %s", type, dir, strerror(errno));
}

static void link_one(const char *target, const char *path)
{
	if (symlink(target, path) < 0 && errno != EEXIST)
		say_warn("symlink %s -> %s: %s", path, target, strerror(errno));
}

void mounts_early(void)
{
	int fd;

	mount_one("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, 0);
	/* Non-blocking: a console that stalls (a slow serial line) must cost
	 * init lines, not its loop (say.c drops a line it cannot write). */
	fd = open("/dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return; /* the kernel's own fds 0-2 (if any) stay */
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* One cgroup (v1) hierarchy per controller /proc/cgroups lists as enabled:
 * "#subsys_name hierarchy num_cgroups enabled", one line each. */
/* A kernel may list a controller that it offers to cgroup v2 only (Linux
 * 6.11+ without CONFIG_MEMCG_V1 or CONFIG_CPUSETS_V1: memory, cpuset):
 * its v1 mount is refused with EINVAL. That is the kernel's choice, not a
 * failure: said once, and the empty mount point removed. */
static void mount_cgroup_v1(const char *path, const char *name)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		say_warn("mkdir %s: %s", path, strerror(errno));
	if (mount("cgroup", path, "cgroup", SAFE, name) == 0 || errno == EBUSY)
		return;
	if (errno == EINVAL) {
		say("cgroup controller %s: this kernel offers it to cgroup v2 only; no v1 hierarchy", name);
		(void)rmdir(path);
	} else {
		say_error("mount cgroup on %s: %s", path, strerror(errno));
	}
}

static void mount_cgroups(void)
{
	static char buf[4096];
	char path[96], *line, *next;

	if (procfs_read("/proc/cgroups", buf, sizeof buf) < 0) {
		say_warn("/proc/cgroups: %s; no cgroup controllers mounted", strerror(errno));
		return;
	}
	for (line = buf; *line; line = next) {
		char name[32];
		int field = 0, enabled = 0;
		size_t len = strcspn(line, " \t");

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		if (line[0] == '#' || !len || len >= sizeof name)
			continue;
		memcpy(name, line, len);
		name[len] = 0;
		/* the fourth whitespace-separated field */
		for (char *p = line; *p && field < 4;) {
			p += strcspn(p, " \t");
			p += strspn(p, " \t");
			if (++field == 3)
				enabled = *p == '1';
		}
		if (!enabled)
			continue;
		fmt_fmt(path, sizeof path, "/sys/fs/cgroup/%s", name);
		mount_cgroup_v1(path, name);
	}
}

void mounts_all(void)
{
	mount_one("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, 0);
	mount_one("proc", "/proc", "proc", SAFE, 0);
	link_one("/proc/self/fd", "/dev/fd");
	link_one("/proc/self/fd/0", "/dev/stdin");
	link_one("/proc/self/fd/1", "/dev/stdout");
	link_one("/proc/self/fd/2", "/dev/stderr");
	mount_one("tmpfs", "/run", "tmpfs", SAFE, "mode=0755");
	mount_one("tmpfs", "/tmp", "tmpfs", SAFE, "mode=1777");
	mount_one("tmpfs", "/dev/shm", "tmpfs", SAFE, "mode=1777");
	mount_one("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
	mount_one("sysfs", "/sys", "sysfs", SAFE, 0);
	mount_one("tmpfs", "/sys/fs/cgroup", "tmpfs", SAFE, "mode=0755");
	mount_cgroups();
}
