/* procfs.h: what init reads from /proc. */
#ifndef PROCFS_H
#define PROCFS_H

/* Number of processes visible in /proc, or 0 when /proc is not mounted. */
unsigned procfs_count(void);

#endif
