/* adhoc.h: processes started by `initctl ps start`.
 *
 * Not services: no restart, no dependencies. init starts one the way it
 * starts a service (its own session, signals unblocked, stdin on /dev/null,
 * PATH searched, umask 0022), as root or the --user given (its groups as a
 * service's User= gets them), with init's environment: plus the -e variables, its
 * output in <log_dir>/adhoc-<pid>.log, and reaps it. A fixed table of
 * max_adhoc slots remembers each one, running or ended, so that
 * `ps status` can say how it ended; a new one takes a free slot, else the
 * slot of the one that ended longest ago. All slots running: refused.
 */
#ifndef ADHOC_H
#define ADHOC_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum adhoc_state { ADHOC_STARTING, ADHOC_RUNNING, ADHOC_FAILED, ADHOC_ENDED };

struct adhoc_view {
	pid_t pid;
	enum adhoc_state state;
	int exit_kind; /* enum proto_exit */
	int exit_code; /* status, or the signal */
};

/* Start argc arguments then envc KEY=VALUE strings, packed NUL-terminated
 * in text (len bytes), as user (a name or a uid in digits; 0 or "": root).
 * Returns the slot, or -1 with msg saying why. */
int adhoc_start(const char *text, size_t len, int argc, int envc, const char *user, unsigned *gen, char *msg,
		size_t cap);
/* How the start of (slot, gen) went: STARTING until the exec is settled;
 * on FAILED msg says why. *pid gets its pid. */
enum adhoc_state adhoc_state(int slot, unsigned gen, pid_t *pid, char *msg, size_t cap);
/* A reaped child: returns 1 when it was an ad-hoc process. */
int adhoc_reaped(pid_t pid, int status);
/* What init remembers of pid, or 0 when it was not started by ps start;
 * cmd gets its command line (arguments joined by spaces). */
int adhoc_find(pid_t pid, struct adhoc_view *v, char *cmd, size_t cap);

int adhoc_poll_add(struct pollfd *p, int max);
void adhoc_poll_done(const struct pollfd *p, int n);

#endif
