/* sys.h: a few system calls made directly.
 *
 * musl's wrappers for these bring machinery a single-threaded PID 1 does
 * not use: fork() takes the thread-library locks (rwlocks, timed waits),
 * clock_gettime() looks the vDSO up, the stat family goes through
 * fstatat's fallbacks. Together about 3 KiB of the binary; the direct calls
 * are a line each. (struct stat is the kernel's on x86_64 and arm64.)
 */
#ifndef SYS_H
#define SYS_H

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* fork(2) as clone(SIGCHLD): the child only sets up and calls execve. */
static inline pid_t sys_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static inline int sys_clock(clockid_t clk, struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, clk, ts);
}

/* stat, or lstat with nofollow. */
static inline int sys_stat(const char *path, struct stat *st, int nofollow)
{
	return (int)syscall(SYS_newfstatat, AT_FDCWD, path, st, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
}

static inline int sys_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

#endif
