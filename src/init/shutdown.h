/* shutdown.h: what init is (VM, container, plain process) and how it ends.
 *
 * Shutdown is a sequence of phases stepped by the event loop: an optional
 * drain (health stopping, services still running), stop the services in
 * reverse start order, SIGTERM whatever else is left, SIGKILL it after a
 * grace period, let the log streams take the last lines, answer the
 * clients that wait for the end (`shutdown --wait`), sync, then power off
 * or reboot (PID 1 of a VM, which must never exit) or exit 0 (PID 1 of a
 * container, or not PID 1).
 */
#ifndef SHUTDOWN_H
#define SHUTDOWN_H

#include <stdint.h>

enum sys_mode {
	SYS_VM = 0,        /* PID 1 of the initial PID namespace: exiting panics the kernel */
	SYS_CONTAINER = 1, /* PID 1 of a child PID namespace */
	SYS_PROCESS = 2,   /* not PID 1: a child subreaper */
};

enum sys_halt { SYS_POWEROFF = 0, SYS_REBOOT = 1 };

/* Grace period between SIGTERM and SIGKILL for processes left at the end. */
#define SHUTDOWN_GRACE_MS 5000
/* At the end: how long the log streams may take to catch up, and how long
 * the waiting clients may take to close their end after their answer. A
 * stalled reader delays the power-off by at most their sum. */
#define SHUTDOWN_FLUSH_MS 3000
#define SHUTDOWN_CONFIRM_MS 2000

/* What a shutdown request did. */
enum shutdown_answer {
	SHUTDOWN_STARTED,   /* a shutdown begins (with its drain, if any) */
	SHUTDOWN_SHORTENED, /* a drain was under way and now ends sooner */
	SHUTDOWN_UNDER_WAY, /* one was under way already: nothing changed */
};

/* Decide what init is; call once, early. */
void shutdown_detect_mode(void);
enum sys_mode shutdown_mode(void);
const char *shutdown_mode_name(void);
/* Begin shutting down after drain_sec seconds of drain (0: at once).
 * During a drain, a request whose drain would end sooner cuts it short
 * (the kind, power off or reboot, stays the first's); anything else
 * while a shutdown runs is ignored. */
enum shutdown_answer shutdown_drain(enum sys_halt how, const char *why, uint32_t drain_sec);
/* The same without a drain. */
void shutdown_request(enum sys_halt how, const char *why);
/* Whether the end has come (every process gone, the streams caught up or
 * given up on): a waiting client is answered with shutdown_outcome(). */
int shutdown_confirmed(void);
const char *shutdown_outcome(void);
/* Whether a shutdown is under way. */
int shutdown_active(void);
/* Advance the shutdown; never returns as PID 1 of a VM once finished.
 * holding: clients that wait for the end and have not closed yet
 * (ctl_holding; passed in by the loop, since ctl sits above this). */
void shutdown_tick(int64_t now, int holding);
/* The shutdown's next deadline (monotonic ms), or 0. */
int64_t shutdown_deadline(void);

#endif
