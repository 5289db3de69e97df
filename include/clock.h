/* clock.h: the two clocks init uses. */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock: deadlines and durations. */
int64_t clock_ms(void);
/* Seconds since the epoch on the wall clock: timestamps only. */
int64_t clock_wall(void);

#endif
