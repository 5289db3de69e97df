/* procfs.h: what init reads from /proc. */
#ifndef PROCFS_H
#define PROCFS_H

#include <stdint.h>

/* Walks /proc one process at a time, resumable between frames. */
struct pswalk {
	int fd;      /* the /proc directory, -1 when done */
	long n, off; /* of buf: bytes read, next entry */
	char buf[2048] __attribute__((aligned(8)));
};

void pswalk_begin(struct pswalk *w);
/* The same over another directory of numeric names (/proc/self/fd). */
void pswalk_begin_at(struct pswalk *w, const char *dir);
/* The next pid, or 0 at the end. */
int pswalk_next(struct pswalk *w);
void pswalk_end(struct pswalk *w);

/* Read a small file (a /proc file, one read is all it takes) into buf,
 * NUL-terminated. Returns its length, or -1 when it cannot be read. */
long procfs_read(const char *path, char *buf, unsigned long cap);

/* Number of processes visible in /proc, or 0 when /proc is not mounted. */
unsigned procfs_count(void);
/* init's own open descriptors, and its resident memory in KiB. */
unsigned procfs_count_fds(void);
uint64_t procfs_self_rss_kb(void);

/* Call fn for every process in /proc (none when /proc cannot be read). */
void procfs_each_pid(void (*fn)(int pid, void *ctx), void *ctx);

#endif
