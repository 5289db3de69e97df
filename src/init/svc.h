/* svc.h: the service state machine.
 *
 * Every service is one slot of a static table, indexed like cfg_svc[] (start
 * order). A service moves between the states below only through
 * svc_event(), which looks up the action in a [state][event] table; the
 * action changes state only through one function that records the time and
 * logs the change.
 *
 *   STOPPED --start--> [WAITING --deps ready-->] STARTING --ready--> RUNNING
 *   (ready: the exec succeeded (simple), READY=1 (notify), a first passing
 *   health check (simple with HealthCmd); oneshot: STARTING --exit 0--> EXITED)
 *      ^                  |  \                 |  \
 *      |               exit   stop            exit  stop
 *      |                  v     \              v     v
 *   (stopped) <-- FAILED / RESTART_WAIT      STOPPING --exit, group gone--> STOPPED
 *                        |  deadline: start          --deadline--> SIGKILL, then give up
 */
#ifndef SVC_H
#define SVC_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

enum svc_state {
	SVC_STOPPED = PROTO_STATE_STOPPED,           /* not running; starts only when asked */
	SVC_STARTING = PROTO_STATE_STARTING,         /* forked; exec not yet confirmed */
	SVC_RUNNING = PROTO_STATE_RUNNING,           /* exec succeeded */
	SVC_STOPPING = PROTO_STATE_STOPPING,         /* SIGTERM sent to the group; SIGKILL at the deadline */
	SVC_RESTART_WAIT = PROTO_STATE_RESTART_WAIT, /* exited; starts again at the deadline (RestartSec) */
	SVC_FAILED = PROTO_STATE_FAILED,             /* exited unsuccessfully and will not restart */
	SVC_WAITING = PROTO_STATE_WAITING,           /* asked to start; waits for the services it comes after */
	SVC_EXITED = PROTO_STATE_EXITED,             /* oneshot: exited 0, its job done */
	SVC_NSTATES = PROTO_NSTATES,
};

enum svc_event {
	SVC_EV_START = 0,       /* boot or operator: run it */
	SVC_EV_STOP = 1,        /* operator or shutdown: stop it, do not restart */
	SVC_EV_RESTART = 2,     /* operator: stop if running, then start */
	SVC_EV_EXEC_OK = 3,     /* the exec-status pipe closed without a report */
	SVC_EV_EXIT = 4,        /* the main process was reaped */
	SVC_EV_DEADLINE = 5,    /* restart delay over, or stop timeout reached */
	SVC_EV_GROUP_GONE = 6,  /* stopping, and nothing is left of the process group */
	SVC_EV_DEPS_READY = 7,  /* waiting, and every dependency allows the start */
	SVC_EV_DEPS_FAILED = 8, /* waiting, and a required service failed or stopped */
	SVC_EV_READY = 9,       /* READY=1, or its first passing health check */
	SVC_EV_UNHEALTHY = 10,  /* its health check failed HealthRetries times (HealthAction=restart) */
	SVC_NEVENTS = 11,
};

/* What an operator request came to. */
enum svc_result {
	SVC_OK = 0,
	SVC_ALREADY_RUNNING = 1,
	SVC_NOT_RUNNING = 2,
	SVC_SHUTTING_DOWN = 3,
};

enum svc_exit_kind {
	SVC_EXIT_NONE = PROTO_EXIT_NONE,
	SVC_EXIT_CODE = PROTO_EXIT_CODE,
	SVC_EXIT_SIGNAL = PROTO_EXIT_SIGNAL,
};

struct svc {
	enum svc_state state;
	pid_t pid;         /* main process, 0 when none */
	pid_t pgid;        /* its process group (= pid: each service has its own session) */
	int exec_fd;       /* exec-status pipe while starting, else -1 */
	int64_t deadline;  /* monotonic ms; 0 when none */
	int64_t since;     /* monotonic ms when the state was entered */
	unsigned restarts; /* automatic restarts (policy), not operator ones */
	enum svc_exit_kind exit_kind;
	int exit_code; /* exit status, or 128 + signal */
	int exit_signal;
	unsigned char enabled;
	unsigned char want_start;  /* start again once the stop completes (restart) */
	unsigned char killed;      /* SIGKILL already sent during this stop */
	unsigned char dep_stopped; /* stopped because a service it requires was: starts with it */
	unsigned char pending;     /* an operator stop/restart waiting for dependants: SVC_EV_* + 1 */
	unsigned ups;              /* times it reached running (a waiter compares) */
	int64_t limit_start;       /* restart rate limit: start of the current window */
	unsigned limit_count;      /* automatic restarts in it */
	char reason[96];           /* why the last start failed, e.g. "exec: No such file or directory" */
	unsigned char exec_ok;     /* starting: the exec succeeded, readiness is awaited */
	unsigned char ready;       /* running and ready (READY=1, a passing check, or exec) */
	unsigned char failing;     /* stopping for a failure (start timeout, watchdog: 1, Restart=
				    * decides what next; unhealthy with HealthAction=restart: 2) */
	int64_t start_wall;        /* epoch ms of the last start (metrics), 0: never */
	char status[128];          /* the last STATUS= it sent (sd_notify), "" */
};

/* Called once the app (slot SVC_APP) has ended for good: a clean exit that
 * is not restarted, or a failure (exit, exec, fork, restart limit). init.c
 * installs app_exited: svc.c is below app.c and never calls it by name. */
extern void (*svc_app_ended)(void);

/* Set every slot to its compiled-in initial state. */
void svc_init(void);
/* Start every enabled service, in the generated order. */
void svc_boot(void);
/* The same, but not those marked in adopted (reload). */
void svc_boot_except(const unsigned char *adopted);
/* Reload: take over service i as the old init left it. */
void svc_adopt(int i, const struct svc *old);
/* Reload without a readable state: service i's process found by its command line. */
void svc_adopt_pid(int i, pid_t pid);
/* Index of the service called name, or -1. */
int svc_find(const char *name);
/* Read-only view of service i. */
const struct svc *svc_get(int i);
/* Feed an event to service i's state machine. */
void svc_event(int i, enum svc_event ev);
/* An operator's start/stop/restart, checked against the current state. */
enum svc_result svc_request(int i, enum svc_event ev);
/* A reaped child: returns 1 when it was a service's main process. */
int svc_reaped(pid_t pid, int status);
/* Fire deadlines that are due and settle stopping process groups. */
void svc_tick(int64_t now);
/* Milliseconds (at least 1) until service i's restart when the crash-loop
 * throttle holds it back beyond RestartSec, else 0. */
int64_t svc_throttled(int i, int64_t now);
/* Earliest pending deadline (monotonic ms), or 0 for none. */
int64_t svc_next_deadline(void);
/* Poll entries for the exec-status pipes; returns how many were added. */
int svc_poll_add(struct pollfd *p, int max);
/* Handle those entries after poll. */
void svc_poll_done(const struct pollfd *p, int n);
/* Shutdown: stop, in reverse start order, every service whose dependants
 * are already down. Returns 1 once no service is left running. */
int svc_shutdown_step(void);
/* Whether the state counts as active for list and system-status. */
int svc_is_active(enum svc_state s);
/* Mark service i enabled or disabled (boot, reload); disabling stops it. */
enum svc_result svc_enable(int i, int enable, int start_now);
/* The service a process belongs to (its main process or one of its
 * session), or -1: who may notify for it. */
int svc_of_pid(pid_t pid);
/* sd_notify from service i: READY=1, WATCHDOG=1, STATUS=, already checked
 * to come from it. */
void svc_notify_ready(int i);
void svc_notify_watchdog(int i, int trigger);
void svc_notify_status(int i, const char *text);
/* health.c's hook (health_changed): readiness, HealthAction=restart. */
void svc_health_changed(int i, int from, int to);
/* Automatic restarts of every service since init started. */
uint64_t svc_restarts_total(void);
/* The enclave's health (enum proto_sys_health) from every enabled
 * service's state and health. */
int svc_aggregate(void);
/* A drain has begun (shutdown --drain): the aggregate is stopping from
 * now on, while the services go on as they were. */
void svc_set_draining(void);
/* Words for a state ("waiting for dependencies"). */
const char *svc_state_name(enum svc_state s);

#endif
