/* health.h: health checks (HealthCmd; Docker's HEALTHCHECK semantics).
 *
 * Each service with a HealthCmd has one check slot. While the service runs,
 * health.c runs its check as a child of init (its own session, the
 * service's environment and working directory, stdin /dev/null, stdout and
 * stderr into a pipe of which the first line is kept), every
 * health_start_interval_sec until a check has passed since the service's
 * start, then every health_interval_sec. A check that runs longer than
 * health_timeout_sec is killed (its process group, SIGKILL) and failed.
 * health_retries failures in a row make the service unhealthy; failures
 * within health_start_period_sec of its start do not count, and a pass
 * makes it healthy at once. Never blocks, never allocates: a check's
 * output is read a bounded amount per pass and the rest is discarded.
 *
 * What health.c tells the rest of init goes through the hooks below, so
 * that it calls nothing of svc.c's by name (svc.c is above it).
 */
#ifndef HEALTH_H
#define HEALTH_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

#define HEALTH_KEEP 5 /* results kept per service, newest first */

struct health_result {
	int64_t time_ms;      /* epoch ms when the check started */
	uint32_t duration_ms; /* how long it ran */
	int exit_code;        /* exit status, or 128 + signal; 127: exec failed */
	unsigned char timed_out;
	unsigned char passed;
	char output[PROTO_HEALTH_OUT_SIZE]; /* first line of its output, NUL-terminated */
};

/* Called when service i's health changes (from, to: enum proto_health),
 * after the result that changed it was recorded. init.c installs svc.c's
 * handler (readiness at the first pass, HealthAction=restart). */
extern void (*health_changed)(int i, int from, int to);

/* Every slot empty, no check running. */
void health_init(void);
/* Service i's main process started (or was adopted): health "starting",
 * first check after health_start_interval_sec. No-op without a HealthCmd. */
void health_start(int i);
/* Service i is down or stopping: no more checks; a running check is
 * killed (and reaped later through health_reaped). Health "none". */
void health_stop(int i);
/* enum proto_health of service i. */
int health_state(int i);
/* Failed checks in a row. */
unsigned health_failures(int i);
/* The k-th newest result (k from 0), or 0 when there is none. */
const struct health_result *health_result(int i, int k);
/* Checks run since init started, all services. */
uint64_t health_checks_run(void);
/* A reaped child: returns 1 when it was a check (its result is recorded). */
int health_reaped(pid_t pid, int status);
/* Poll entries for the output pipes of running checks; how many. */
int health_poll_add(struct pollfd *p, int max);
void health_poll_done(const struct pollfd *p, int n, int64_t now);
/* Start checks that are due, kill those past their timeout. */
void health_tick(int64_t now);
/* The earliest of those moments (monotonic ms), or 0. */
int64_t health_next_deadline(void);

#endif
