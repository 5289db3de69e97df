/* out.h: how every initctl command reports its outcome, so all answer alike.
 * A leaf: it calls nothing else of initctl's. */
#ifndef OUT_H
#define OUT_H

/* Colour the marks, on the streams that are terminals, when allowed
 * (NO_COLOR unset or empty). */
void out_colour(int allowed);
/* "✓ msg" on stdout (green on a terminal). */
void out_ok(const char *msg);
/* "✓ msg" on stderr, for a command whose stdout carries data (logs-stream). */
void out_ok_stderr(const char *msg);
/* "✗ Error: msg" on stderr; returns 1, the exit status of a refused request. */
int out_error(const char *msg);
/* "✗ Error: 'name' is not a valid service name"; returns 1. Checked before
 * anything is sent, so init never sees a name it cannot hold. */
int out_bad_name(const char *name);
/* At exit: whether all that was printed reached stdout (a full disk, say,
 * is an error, as it is for any tool). Returns rc, or 1 after saying on
 * stderr why it did not. */
int out_flushed(int rc);

#endif
