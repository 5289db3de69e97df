/* shutdown.h: what init is (VM, container, plain process) and how it ends.
 *
 * Shutdown is a sequence of phases stepped by the event loop: stop the
 * services in reverse start order, SIGTERM whatever else is left, SIGKILL
 * it after a grace period, sync, then power off or reboot (PID 1 of a VM,
 * which must never exit) or exit 0 (PID 1 of a container, or not PID 1).
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

/* Decide what init is; call once, early. */
void shutdown_detect_mode(void);
enum sys_mode shutdown_mode(void);
const char *shutdown_mode_name(void);
/* Begin shutting down (a second request while one runs is ignored). */
void shutdown_request(enum sys_halt how, const char *why);
/* Whether a shutdown is under way. */
int shutdown_active(void);
/* Advance the shutdown; never returns as PID 1 of a VM once finished. */
void shutdown_tick(int64_t now);
/* The shutdown's next deadline (monotonic ms), or 0. */
int64_t shutdown_deadline(void);

#endif
