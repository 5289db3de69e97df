/* procfs.h: what init reads from /proc. */
#ifndef PROCFS_H
#define PROCFS_H

/* Number of processes visible in /proc, or 0 when /proc is not mounted. */
unsigned procfs_count(void);

/* Call fn for every process in /proc (none when /proc cannot be read). */
void procfs_each_pid(void (*fn)(int pid, void *ctx), void *ctx);

#endif
