/* clock.h: the two clocks init uses. */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock: deadlines and durations. */
int64_t clock_ms(void);
/* Seconds since the epoch on the wall clock: timestamps only. */
int64_t clock_wall(void);
/* Milliseconds since the epoch on the wall clock: timestamps only. */
int64_t clock_wall_ms(void);
/* When init started (monotonic ms): the first init of a chain of reloads,
 * since a reload hands its start time on. Uptime counts from it. */
int64_t clock_started(void);
/* Set that start: now at boot, or the old init's after a reload. */
void clock_set_started(int64_t ms);

#endif
