/* spawn.h: fork and exec a service without waiting for it. */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

#include "cfg.h"

/* Setup steps a child can fail at, reported through the exec-status pipe.
 * From SPAWN_PASSWD on, the steps of least privilege (privs.c). */
enum spawn_stage {
	SPAWN_SETSID = 1,
	SPAWN_STDIN = 2,
	SPAWN_CHDIR = 3,
	SPAWN_EXEC = 4,
	SPAWN_OUTPUT = 5,
	SPAWN_LIMITS = 6,       /* init's own open-files limit given back */
	SPAWN_PASSWD = 7,       /* /etc/passwd could not be read (err) */
	SPAWN_GROUP_FILE = 8,   /* /etc/group could not be read (err) */
	SPAWN_NO_USER = 9,      /* User= is not in /etc/passwd */
	SPAWN_NO_GID = 10,      /* a numeric User= without an entry, and no Group= */
	SPAWN_NO_GROUP = 11,    /* index -1: Group=, else SupplementaryGroups[index], not in /etc/group */
	SPAWN_MANY_GROUPS = 12, /* the user is in more groups than PRIVS_GROUPS_MAX */
	SPAWN_RLIMIT = 13,      /* setrlimit of Limit*= (index: enum cfg_limit_kind) */
	SPAWN_SETGROUPS = 14,
	SPAWN_SETGID = 15,
	SPAWN_SETUID = 16,
	SPAWN_NO_NEW_PRIVS = 17, /* prctl(PR_SET_NO_NEW_PRIVS) */
	SPAWN_CAPS = 18,         /* capset: the capabilities a non-root uid kept */
};

/* The record a failing child writes before it exits with SPAWN_EXIT_CODE.
 * Never handed across a reload (the pipe is close-on-exec), so its size
 * may change between versions. */
struct spawn_report {
	int stage; /* enum spawn_stage */
	int err;   /* errno, or 0 */
	int index; /* which limit or group, for the stages that say */
};

#define SPAWN_EXIT_CODE 127

/* Raise init's own open-files limit to the hard limit; services are
 * started with the limit init had before. */
void spawn_raise_nofile(void);
/* Fork a child that runs c in its own session and process group, with
 * signals unblocked, stdin on /dev/null, stdout and stderr on log_fd (when
 * not -1), c's environment and working directory. Returns the pid and sets *exec_fd to a non-blocking pipe that
 * reaches EOF when exec succeeds, or carries a struct spawn_report when a
 * step fails. Returns -1 with errno when the fork itself fails. With
 * cgroup_fd (not -1: an open cgroup.procs, cgroup.c) the child moves into
 * that cgroup first, before anything of the service runs. */
pid_t spawn_service(const struct cfg_svc *c, int *exec_fd, int log_fd, int cgroup_fd);
/* Fork a health check: c's HealthCmd (health_argv), set up like a service
 * (own session and process group, stdin /dev/null, c's environment and
 * working directory), with stdout and stderr on a pipe whose non-blocking,
 * close-on-exec read end goes to *out_fd. A step that fails before exec
 * (exec itself included) is written into that pipe as a line, "exec: No
 * such file or directory", and the child exits with SPAWN_EXIT_CODE.
 * Returns the pid (also the group), or -1 with errno when fork fails. */
pid_t spawn_check(const struct cfg_svc *c, int *out_fd);
/* Fork a worker: a child of init that runs work(SPAWN_WORKER_FD, ctx),
 * init's own code rather than a program, for what would block init (a
 * device's ioctl), then exits 0. It has its own session, signals at their
 * defaults and unblocked, and no descriptor of init's but 0, 1, 2 and fd
 * SPAWN_WORKER_FD, the write end of a pipe whose non-blocking,
 * close-on-exec read end goes to *read_fd. Returns the pid, or -1 with
 * errno when fork fails. The fork is a raw clone (sys.h): musl's idea of
 * the thread id stays init's in the child, so work must not use what
 * reads it (raise, abort, anything of pthread's): raise() there would
 * signal init. */
#define SPAWN_WORKER_FD 3
pid_t spawn_worker(void (*work)(int fd, const void *ctx), const void *ctx, int *read_fd);
/* Send sig to every process of group pgid. 0, or -1 with errno. */
int spawn_kill_group(pid_t pgid, int sig);
/* Whether any process (zombies included) is left in group pgid. */
int spawn_group_alive(pid_t pgid);
/* What a report says, in words, into buf: "exec: No such file or
 * directory", "User 'web' not found in /etc/passwd". c is the
 * configuration the child was started with (the names it looked up).
 * Returns the length. */
size_t spawn_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap);

#endif
