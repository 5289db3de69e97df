/* clock.c: monotonic milliseconds for deadlines, wall seconds for stamps,
 * and when init started (for uptime). */
#include <time.h>

#include "clock.h"
#include "sys.h"

static int64_t started_ms;

int64_t clock_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer. */
	(void)sys_clock(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_wall(void)
{
	return clock_wall_ms() / 1000;
}

int64_t clock_wall_ms(void)
{
	struct timespec ts;

	(void)sys_clock(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_started(void)
{
	return started_ms;
}

void clock_set_started(int64_t ms)
{
	started_ms = ms;
}
