/* procfs.c: reading /proc with fixed buffers. Never allocates; a /proc
 * that is missing or unreadable reads as empty, never as an error that
 * could stop init. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"

struct dirent64_hdr {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};
#define NAME_AT ((long)offsetof(struct dirent64_hdr, name))

void pswalk_begin_at(struct pswalk *w, const char *dir)
{
	w->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	w->n = w->off = 0;
}

void pswalk_begin(struct pswalk *w)
{
	pswalk_begin_at(w, "/proc");
}

int pswalk_next(struct pswalk *w)
{
	while (w->fd >= 0) {
		if (w->off >= w->n) {
			w->n = syscall(SYS_getdents64, w->fd, w->buf, sizeof w->buf);
			w->off = 0;
			if (w->n <= 0) {
				pswalk_end(w);
				return 0;
			}
		}
		const struct dirent64_hdr *d = (const struct dirent64_hdr *)(w->buf + w->off);
		const char *c = d->name, *end;
		int pid = 0;

		/* A record must lie within what was read and move the walk on
		 * (the kernel's do): anything else ends the walk rather than
		 * spin on it or read past it. */
		if (w->n - w->off <= NAME_AT || d->reclen <= NAME_AT || d->reclen % 8 ||
		    d->reclen > w->n - w->off) {
			pswalk_end(w);
			return 0;
		}
		end = w->buf + w->off + d->reclen;
		w->off += d->reclen;
		while (c < end && *c >= '0' && *c <= '9' && pid < 100000000)
			pid = pid * 10 + (*c++ - '0');
		if (c < end && !*c && pid > 0)
			return pid;
	}
	return 0;
}

void pswalk_end(struct pswalk *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

void procfs_each_pid(void (*fn)(int pid, void *ctx), void *ctx)
{
	static struct pswalk w;
	int pid;

	pswalk_begin(&w);
	while ((pid = pswalk_next(&w)))
		fn(pid, ctx);
}

long procfs_read(const char *path, char *buf, unsigned long cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

static void count_one(int pid, void *ctx)
{
	(void)pid;
	++*(unsigned *)ctx;
}

unsigned procfs_count(void)
{
	unsigned count = 0;

	procfs_each_pid(count_one, &count);
	return count;
}

unsigned procfs_count_fds(void)
{
	struct pswalk w;
	unsigned n = 0;

	/* pswalk reads numeric names: /proc/self/fd holds nothing else. */
	pswalk_begin_at(&w, "/proc/self/fd");
	while (pswalk_next(&w) > 0)
		n++;
	/* The walk's own descriptor is not init's; fd 0 the walk skips. */
	return (n ? n - 1 : 0) + (fcntl(0, F_GETFD) >= 0);
}

uint64_t procfs_self_rss_kb(void)
{
	char buf[128];
	const char *p = buf;
	uint64_t pages = 0;

	if (procfs_read("/proc/self/statm", buf, sizeof buf) <= 0)
		return 0;
	while (*p && *p != ' ')
		p++; /* size, then resident */
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		pages = pages * 10 + (uint64_t)(*p++ - '0');
	return pages * (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
}
