/* say.h: init's own log lines.
 *
 * Each line is "[YYYY-MM-DD HH:MM:SS] init: message" (UTC), built in a fixed
 * buffer and written to stderr (the console) with one write(2), so lines
 * from init never interleave mid-line with each other.
 */
#ifndef SAY_H
#define SAY_H

/* An informational line. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "init: warning: ..." */
void say_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "init: error: ..." */
void say_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Say what log.c noted about its files and pipes (log.c says nothing
 * itself: it is below say.c). A pass of the loop, and once after log_open. */
void say_log_warnings(void);

#endif
