/* pslist.h: one process as `initctl ps` shows it, read from /proc.
 *
 * Fixed buffers, no allocation. A process that vanishes while it is being
 * read is reported as gone (the caller skips it), never as an error.
 */
#ifndef PSLIST_H
#define PSLIST_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

struct psinfo {
	int pid, ppid;
	char state; /* the /proc letter */
	int kthread;
	char comm[16];
	uint32_t cpu_x100; /* CPU% x 100 over its lifetime */
	uint64_t rss_kb;
	uint64_t start_epoch; /* seconds since 1970 */
};

/* Read the clock tick, uptime and boot time once per listing, so every
 * process of one answer is measured against the same instant. */
void ps_snapshot(void);
/* Fill pi for pid, and its command line (NULs as spaces, "[comm]" for a
 * kernel thread or a zombie) into cmd, cut at cap - 1 bytes. Returns 0, or
 * -1 when the process is not (or no longer) there. */
int ps_read(int pid, struct psinfo *pi, char *cmd, size_t cap);

#endif
