/* timeserve.h: `initctl time-serve`, the time server of init's clock
 * (README "Clock"): run on the parent instance, it answers each request
 * frame (include/timeproto.h) with its wall clock, forever. */
#ifndef TIMESERVE_H
#define TIMESERVE_H

/* The words after "time-serve". Returns the exit status (only on a usage
 * or set-up error: it serves until killed). */
int timeserve_command(int argc, char **argv);

#endif
