/* logread.h: the reading side of the logs, for `initctl logs [-n N] [-f]`.
 *
 * A reader is set up once with the last N lines of a channel and then
 * produces the bytes in order, a frame's worth at a time, as its client
 * drains them. The lines come from the ring when it holds all N of them,
 * otherwise from the files (<name>.log.K ... .1, <name>.log), which are
 * opened at the start and read through those descriptors, so a rotation
 * while a reply is being sent neither repeats nor skips a line. A follower
 * then goes on with the ring, from where the tail ended.
 *
 * Finding where the N-th last line starts means scanning the files
 * backwards, up to every byte kept (a gigabyte, with a generous rotation).
 * That is done a slice per pass of the event loop (logread_scan), so other
 * clients are served while it goes on; the reader has no bytes to give
 * until it is done.
 */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

struct logread {
	int chan;
	int active;     /* set up and not yet released */
	int follow;     /* goes on with new lines */
	int counted;    /* holds one of the CFG_MAX_LOG_FOLLOWERS slots */
	int nfile, cur; /* files to send, oldest first; the one being sent */
	int fd[CFG_MAX_LOG_FILES + 1];
	uint64_t off[CFG_MAX_LOG_FILES + 1], end[CFG_MAX_LOG_FILES + 1];
	uint64_t pos, stop; /* ring: next byte; end of the tail (follow: none) */
	/* The backward scan while it goes on: the files are held newest
	 * first; file k is scanned below byte at, for want more lines. */
	int scanning, scan_k;
	uint64_t scan_at, want;
};

enum logread_result { LOGREAD_OK = 0, LOGREAD_NO_FOLLOWERS = 1 };

/* Set up the last n lines of chan; follow keeps reading new lines. */
enum logread_result logread_begin(struct logread *lr, int chan, uint64_t n, int follow);
/* The same for a log stream (stream.c), which has slots of its own. */
void logread_begin_stream(struct logread *lr, int chan, uint64_t n, int follow);
/* Scan a bounded slice of the files for the tail's start; 1 while there
 * is more to scan (call again on a later pass), 0 once done. */
int logread_scan(struct logread *lr);
/* Whether logread_next has bytes to give now (never while scanning). */
int logread_ready(const struct logread *lr);
/* Whether it will never have more (a tail that has been sent). */
int logread_done(const struct logread *lr);
/* Up to cap bytes of log; returns how many (0 when none right now). */
size_t logread_next(struct logread *lr, char *dst, size_t cap);
/* Close what it holds; safe to call twice. */
void logread_end(struct logread *lr);
/* Log followers (logs -f) now: with event followers they leave a slot. */
int logread_followers(void);

#endif
