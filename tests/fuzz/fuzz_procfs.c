/* fuzz_procfs: init's /proc readers (src/init/procfs.c, pslist.c) fed
 * arbitrary contents. open, read and close of paths under /proc and the
 * getdents64 system call are wrapped at link time
 * (-Wl,--wrap=open,--wrap=read,--wrap=close,--wrap=syscall): the files
 * come from the input, every other path and descriptor goes through.
 * Checked besides the sanitizers: a process read has a NUL-terminated
 * name and command line within their buffers, and a walk of /proc ends
 * (at most one pid per byte of the directory).
 *
 * The input: the pid (1 byte, + 1), the command line's buffer size (1
 * byte, + 1), then /proc/uptime, /proc/stat, /proc/PID/stat,
 * /proc/PID/statm, /proc/PID/cmdline and the /proc directory's getdents64
 * records, each a 2-byte length (0xffff: the file is missing) then bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "fmt.h"
#include "input.h"
#include "procfs.h"
#include "pslist.h"

enum { F_UPTIME, F_STAT, F_PID_STAT, F_STATM, F_CMDLINE, F_DIR, NFILES };
#define FAKE_FD 900 /* fake descriptors: FAKE_FD + file, never real ones */

static struct file {
	char path[32];
	const uint8_t *b;
	size_t len, off;
	int present;
} files[NFILES];

int64_t clock_wall(void)
{
	return 1700000000;
}

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	int k;

	if (strncmp(path, "/proc", 5) != 0)
		return __real_open(path, flags, 0);
	for (k = 0; k < NFILES; k++)
		if (!strcmp(path, files[k].path) && files[k].present) {
			files[k].off = 0;
			return FAKE_FD + k;
		}
	errno = ENOENT;
	return -1;
}

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	struct file *f;

	if (fd < FAKE_FD || fd >= FAKE_FD + NFILES)
		return __real_read(fd, buf, n);
	f = &files[fd - FAKE_FD];
	if (n > f->len - f->off)
		n = f->len - f->off;
	memcpy(buf, f->b + f->off, n);
	f->off += n;
	return (ssize_t)n;
}

int __real_close(int fd);
int __wrap_close(int fd)
{
	return fd >= FAKE_FD && fd < FAKE_FD + NFILES ? 0 : __real_close(fd);
}

/* getdents64 on the /proc directory: the input's records, all at once. */
long __wrap_syscall(long nr, ...)
{
	va_list ap;
	long fd;
	void *buf;
	unsigned long cap;

	va_start(ap, nr);
	fd = va_arg(ap, long);
	buf = va_arg(ap, void *);
	cap = va_arg(ap, unsigned long);
	va_end(ap);
	if (nr != SYS_getdents64 || fd != FAKE_FD + F_DIR)
		abort(); /* procfs.c makes no other system call this way */
	return __wrap_read((int)fd, buf, cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static const char *const names[NFILES] = { "/proc/uptime",   "/proc/stat",       "/proc/%d/stat",
						   "/proc/%d/statm", "/proc/%d/cmdline", "/proc" };
	int pid = (int)in_byte(&in) + 1, k, n = 0;
	size_t cap = in_byte(&in) + 1;
	char cmd[257];
	struct psinfo pi;
	struct pswalk w;

	for (k = 0; k < NFILES; k++) {
		struct file *f = &files[k];
		size_t len = in_u16(&in);

		f->present = len != 0xffff;
		f->len = f->present && len < in.left ? len : f->present ? in.left : 0;
		f->b = in.p;
		in.p += f->len;
		in.left -= f->len;
		fmt_fmt(f->path, sizeof f->path, names[k], pid);
	}
	ps_snapshot();
	memset(cmd, 0x5a, sizeof cmd);
	if (ps_read(pid, &pi, cmd, cap) == 0) {
		if (!memchr(pi.comm, 0, sizeof pi.comm) || !memchr(cmd, 0, cap))
			abort();
		if (pi.pid != pid)
			abort();
	}
	pswalk_begin(&w);
	while (pswalk_next(&w))
		if (++n > (int)files[F_DIR].len)
			abort(); /* a walk that does not end */
	pswalk_end(&w);
	return 0;
}
