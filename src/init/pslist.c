/* pslist.c: /proc/PID/{stat,statm,cmdline} into a struct psinfo.
 *
 * CPU% is manual 002's formula, (utime + stime) / HZ over the seconds since
 * the process started, with the kernel's own tick (AT_CLKTCK from the
 * auxiliary vector: what sysconf(_SC_CLK_TCK) reports on glibc; musl's
 * sysconf returns a constant 100) and the uptime from /proc/uptime. The
 * resident size is statm's second field, the counter VmRSS shows.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "clock.h"
#include "fmt.h"
#include "pslist.h"

#define PF_KTHREAD 0x00200000u

static uint64_t hz = 100, page_kb = 4;
static uint64_t uptime_cs; /* centiseconds since boot */
static uint64_t boot_epoch;

static uint64_t number(const char **p)
{
	uint64_t v = 0;

	while (**p == ' ')
		++*p;
	while (**p >= '0' && **p <= '9')
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	return v;
}

/* When the machine booted, in seconds since the epoch: the kernel's own
 * btime (/proc/stat), a constant, so that a process's start time does not
 * flip between two seconds from one call to the next as the wall clock
 * minus the uptime would; that difference only when btime is not there. */
static uint64_t boot_time(uint64_t uptime_sec)
{
	char buf[4096];
	const char *p;

	/* A line at a time (strstr would bring 1.4 KiB of musl's search). */
	if (procfs_read("/proc/stat", buf, sizeof buf) > 0)
		for (p = buf; *p; p++)
			if ((p == buf || p[-1] == '\n') && !strncmp(p, "btime ", 6)) {
				p += 6;
				return number(&p);
			}
	return (uint64_t)clock_wall() - uptime_sec;
}

void ps_snapshot(void)
{
	char buf[64];
	const char *p = buf;
	uint64_t sec, cs = 0;

	if (getauxval(AT_CLKTCK))
		hz = getauxval(AT_CLKTCK);
	if (getauxval(AT_PAGESZ))
		page_kb = getauxval(AT_PAGESZ) / 1024;
	if (procfs_read("/proc/uptime", buf, sizeof buf) < 0)
		return;
	sec = number(&p);
	if (*p == '.') {
		p++;
		cs = number(&p); /* two digits: centiseconds */
	}
	uptime_cs = sec * 100 + cs;
	boot_epoch = boot_time(sec);
}

/* Fields of /proc/PID/stat after the name, counted from 0 = state. */
enum { F_STATE = 0, F_PPID = 1, F_FLAGS = 6, F_UTIME = 11, F_STIME = 12, F_START = 19 };

static int read_stat(int pid, struct psinfo *pi)
{
	char path[32], buf[1024];
	const char *p, *open_paren, *close_paren;
	uint64_t f[F_START + 1] = { 0 };
	uint64_t cpu_cs, start_cs, cpu;
	int k;
	ssize_t n;
	size_t len;

	fmt_fmt(path, sizeof path, "/proc/%d/stat", pid);
	if ((n = procfs_read(path, buf, sizeof buf)) <= 0)
		return -1;
	/* The name may hold spaces and parentheses: it ends at the last ')'. */
	open_paren = strchr(buf, '(');
	close_paren = memrchr(buf, ')', (size_t)n);
	if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ')
		return -1;
	len = (size_t)(close_paren - open_paren - 1);
	if (len >= sizeof pi->comm)
		len = sizeof pi->comm - 1;
	memcpy(pi->comm, open_paren + 1, len);
	pi->comm[len] = 0;
	p = close_paren + 2;
	if (!*p)
		return -1; /* nothing after the name: stepping over the state would leave buf */
	pi->state = *p;
	for (k = 1, p++; k <= F_START && *p; k++) {
		if (*p == ' ')
			p++;
		f[k] = number(&p);
		while (*p && *p != ' ')
			p++; /* negative or odd fields: skipped */
	}
	if (k <= F_START)
		return -1;
	pi->ppid = (int)f[F_PPID];
	pi->kthread = !!(f[F_FLAGS] & PF_KTHREAD);
	cpu_cs = (f[F_UTIME] + f[F_STIME]) * 100 / hz;
	start_cs = f[F_START] * 100 / hz;
	/* (a process that started after the snapshot, or nearly with it,
	 * would divide by next to nothing: 0 then, and a ceiling) */
	cpu = uptime_cs > start_cs ? cpu_cs * 10000 / (uptime_cs - start_cs) : 0;
	pi->cpu_x100 = cpu > 0xffffffffu ? 0xffffffffu : (uint32_t)cpu;
	pi->start_epoch = boot_epoch + start_cs / 100;
	return 0;
}

static void read_rss(int pid, struct psinfo *pi)
{
	char path[32], buf[128];
	const char *p = buf;

	fmt_fmt(path, sizeof path, "/proc/%d/statm", pid);
	pi->rss_kb = 0;
	if (procfs_read(path, buf, sizeof buf) <= 0)
		return;
	(void)number(&p); /* size */
	pi->rss_kb = number(&p) * page_kb;
}

static void read_cmdline(int pid, const struct psinfo *pi, char *cmd, size_t cap)
{
	char path[32];
	ssize_t n, i;
	int fd;

	fmt_fmt(path, sizeof path, "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, cmd, cap - 1);
	if (fd >= 0)
		close(fd);
	while (n > 0 && !cmd[n - 1])
		n--;
	if (n <= 0) {
		fmt_fmt(cmd, cap, "[%s]", pi->comm);
		return;
	}
	for (i = 0; i < n; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	cmd[n] = 0;
}

int ps_read(int pid, struct psinfo *pi, char *cmd, size_t cap)
{
	memset(pi, 0, sizeof *pi);
	pi->pid = pid;
	if (read_stat(pid, pi) < 0)
		return -1;
	read_rss(pid, pi);
	if (cmd && cap)
		read_cmdline(pid, pi, cmd, cap);
	return 0;
}
