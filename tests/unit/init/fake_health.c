/* fake_health.c: health.h for tests of what sits above it (svc.c, the
 * ops): no checks run; a test sets a service's health with
 * fake_health_set(), which calls the hook as health.c would. */
#include "health.h"

#include "cfg.h"
#include "fake_health.h"

void (*health_changed)(int i, int from, int to);
static int state[SVC_SLOTS];
static unsigned failures[SVC_SLOTS];
static int started[SVC_SLOTS];

void fake_health_set(int i, int to, unsigned fails)
{
	int from = state[i];

	state[i] = to;
	failures[i] = fails;
	if (from != to && health_changed)
		health_changed(i, from, to);
}

int fake_health_started(int i)
{
	return started[i];
}

void health_init(void)
{
	int i;

	for (i = 0; i < SVC_SLOTS; i++)
		state[i] = started[i] = 0, failures[i] = 0;
}

void health_start(int i)
{
	if (svc_cfg(i)->health_argv) {
		state[i] = PROTO_HEALTH_STARTING;
		started[i]++;
	}
}

void health_stop(int i)
{
	state[i] = PROTO_HEALTH_NONE;
}

int health_state(int i)
{
	return state[i];
}

unsigned health_failures(int i)
{
	return failures[i];
}

const struct health_result *health_result(int i, int k)
{
	(void)i;
	(void)k;
	return 0;
}

uint64_t health_checks_run(void)
{
	return 0;
}

int health_reaped(pid_t pid, int status)
{
	(void)pid;
	(void)status;
	return 0;
}

int health_poll_add(struct pollfd *p, int max)
{
	(void)p;
	(void)max;
	return 0;
}

void health_poll_done(const struct pollfd *p, int n, int64_t now)
{
	(void)p;
	(void)n;
	(void)now;
}

void health_tick(int64_t now)
{
	(void)now;
}

int64_t health_next_deadline(void)
{
	return 0;
}
