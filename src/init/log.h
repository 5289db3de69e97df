/* log.h: where service output and init's own messages go.
 *
 * One log channel per service, plus one for init itself (LOG_INIT). A
 * service's stdout and stderr are one pipe that init creates at boot and
 * keeps for good, across restarts of the service, and drains without
 * blocking from the event loop. Every line, with a "[YYYY-MM-DD HH:MM:SS] "
 * UTC prefix, goes to the channel's ring in memory and to
 * <log_dir>/<name>.log, which is rotated by size to <name>.log.1 .. .N.
 *
 * Nothing here waits on a reader or retries a failed write: a line that
 * cannot be written to its file is counted as dropped (it is still in the
 * ring), and the file is tried again a second later.
 */
#ifndef LOG_H
#define LOG_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "logring.h"

#define LOG_INIT SVC_N /* the channel of init's own messages */
#define LOG_NCHAN (SVC_N + 1)
#define LOG_PREFIX 22                          /* "[YYYY-MM-DD HH:MM:SS] " */
#define LOG_PATH_MAX 288                       /* log_dir (<= 192) + "/" + name (<= 63) + ".log.NN" */
#define LOG_PARTIAL_MAX (CFG_MAX_LOG_LINE + 1) /* an unfinished line and a held '\r' */

/* Create the service pipes. Files are opened when the first line comes. */
void log_open(void);
/* The write end a service's stdout and stderr go to, or -1 (then they go
 * where init's own go). */
int log_service_fd(int svc);
/* Reload: the service's pipe, to hand over; take over the old init's. */
void log_pipe(int svc, int *rfd, int *wfd);
void log_adopt_pipe(int svc, int rfd, int wfd);
/* The unfinished line a service is writing, for a reload to hand over: its
 * bytes as held (escaped), a held '\r' last. Returns the length (at most
 * LOG_PARTIAL_MAX). */
size_t log_partial(int svc, char *dst);
/* Take a handed-over unfinished line: the service's next bytes finish it. */
void log_adopt_partial(int svc, const char *bytes, size_t n);
void log_set_dropped(int chan, uint64_t n);
/* What log_warning found to say. */
enum log_warn { LOG_WARN_NONE = 0, LOG_WARN_INFO = 1, LOG_WARN_WARNING = 2, LOG_WARN_ERROR = 3 };
/* Take the warning noted about channel chan (its file failing or working
 * again, its pipe missing), built into msg; LOG_WARN_NONE when there is
 * none. Said by say_log_warnings: log.c is below say.c and says nothing. */
int log_warning(int chan, char *msg, unsigned cap);
/* One whole line from init about channel chan (a service, or LOG_INIT). */
void log_note(int chan, const char *msg);
/* Poll entries for the service pipes; returns how many. */
int log_poll_add(struct pollfd *p, int max);
/* Read whatever the services wrote. */
void log_poll_done(const struct pollfd *p, int n);
/* Take what is in the service's pipe now (its unfinished line stays held). */
void log_read(int svc);
/* The service's process has exited: take what it wrote, and end its
 * unfinished line, before init logs the exit. */
void log_drain(int svc);

/* Channel of a name: a service, "init", or -1. */
int log_find(const char *name);
/* Lines that did not reach the channel's file. */
uint64_t log_dropped(int chan);
/* Bytes and lines written to channel chan's files since init started. */
void log_written(int chan, uint64_t *bytes, uint64_t *lines);
/* The channel's ring, for readers. */
const struct ring *log_ring(int chan);
/* Path of the channel's file: generation 0 is <name>.log, k is <name>.log.k. */
void log_path(int chan, int gen, char *dst);
/* Remove the files, start an empty one, empty the ring. Returns 0, or -1
 * with why set (the ring is emptied anyway). */
int log_clear(int chan, char *why, unsigned cap);

#endif
