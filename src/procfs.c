/* procfs.c: reading /proc with fixed buffers. Never allocates; a /proc
 * that is missing or unreadable reads as empty, never as an error that
 * could stop init. */
#include <fcntl.h>
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

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

unsigned procfs_count(void)
{
	static char buf[4096] __attribute__((aligned(8)));
	unsigned count = 0;
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		long off = 0;
		while (off < n) {
			struct dirent64_hdr *d = (struct dirent64_hdr *)(buf + off);
			count += all_digits(d->name);
			off += d->reclen;
		}
	}
	close(fd);
	return count;
}
