/* out.h: how every initctl command reports its outcome, so all answer alike.
 * A leaf: it calls nothing else of initctl's. */
#ifndef OUT_H
#define OUT_H

/* Exit statuses. The manual gives none but 0 and 1 (and usage errors
 * exit 2, as with any tool); the others are systemctl's (its LSB status
 * codes), and EX_UNAVAILABLE from sysexits.h when init cannot be reached,
 * so a script can tell "init said no" from "init is not there". */
#define OUT_EXIT_FAILED 1       /* init refused or the operation failed */
#define OUT_EXIT_USAGE 2        /* a bad command line, before anything is sent */
#define OUT_EXIT_NOT_RUNNING 3  /* status: the service is not active */
#define OUT_EXIT_NO_SUCH 4      /* an unknown service or process, or an operation refused */
#define OUT_EXIT_UNREACHABLE 69 /* no connection to init (EX_UNAVAILABLE) */

/* Colour the marks, on the streams that are terminals, when allowed
 * (NO_COLOR unset or empty). */
void out_colour(int allowed);
/* "✓ msg" on stdout (green on a terminal). */
void out_ok(const char *msg);
/* "✓ msg" on stderr, for a command whose stdout carries data (logs-stream). */
void out_ok_stderr(const char *msg);
/* "✗ Error: msg" on stderr; returns 1, the exit status of a refused request. */
int out_error(const char *msg);
/* "✗ Error: msg" on stderr for a reply of status (enum proto_status, -1
 * when the exchange failed, or CLIENT_UNREACHABLE); returns
 * the exit status that goes with it (OUT_EXIT_*). */
int out_failed(int status, const char *msg);
/* "✗ Error: 'name' is not a valid service name"; returns 1. Checked before
 * anything is sent, so init never sees a name it cannot hold. */
int out_bad_name(const char *name);
/* At exit: whether all that was printed reached stdout (a full disk, say,
 * is an error, as it is for any tool). Returns rc, or 1 after saying on
 * stderr why it did not. */
int out_flushed(int rc);

#endif
