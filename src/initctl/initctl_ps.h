/* initctl_ps.h: initctl's `ps` commands (manual 002, "Process Management").
 *
 *   ps list                      one row per process, streamed as init sends them
 *   ps status PID                the "Process: PID" block
 *   ps start|run COMMAND [ARGS...] [-e|--env KEY=VALUE ...] [--]
 *   ps stop PID                  SIGTERM
 *   ps kill PID [-s|--signal N|NAME]
 *   ps restart PID               a service's main process only
 *
 * The formatting and parsing helpers are here too so that the unit tests
 * can check them without init (tests/unit/test_initctl_ps.c).
 */
#ifndef INITCTL_PS_H
#define INITCTL_PS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client.h"
#include "proto.h"

/* `initctl ps ARGS...` (ARGS after the word "ps"): the exit status, 2 for a
 * usage error. */
int ps_command(const struct client_target *t, int argc, char **argv);
/* The ps lines of `initctl --help`. */
void ps_usage(FILE *f);

/* The longest COMMAND cell of `ps list`, in characters, and how much of a
 * longer command is kept before "..." (manual 002's `ps list` sample:
 * "/usr/bin/postgres -D /var/lib/..." is 30 characters and the dots). */
#define PS_CMD_COLUMN 33
#define PS_CMD_KEEP 30

/* CPU% x 100 as "2.5" (one decimal, truncated as procps does). */
void ps_fmt_cpu(uint32_t x100, char *buf, size_t n);
/* KiB as "512K", "12.5M", "256M", "1.5G" (one decimal, truncated; a
 * decimal of 0 is left out, as in the manual's "256M"). */
void ps_fmt_mem(uint64_t kb, char *buf, size_t n);
/* Copy s into buf for a terminal or a line-based script: control bytes
 * become '?' (a newline in an argument would split a row) and an
 * unfinished UTF-8 sequence at the end is dropped. With max_chars > 0, a
 * string of more than max_chars characters (code points) is cut after
 * keep characters, on a character boundary, and "..." is added. */
void ps_clean(const char *s, size_t max_chars, size_t keep, char *buf, size_t n);

/* A PID as typed: decimal, optionally negative (init refuses 0 and
 * negatives itself, with a message saying why). Returns 0, or -1 when s is
 * not a number that fits. */
int ps_parse_pid(const char *s, int32_t *pid);

/* The request text of `ps start`, packed as proto.h says: the command and
 * its arguments, then the KEY=VALUE strings, each NUL-terminated. */
struct ps_start_req {
	unsigned char text[PROTO_TEXT_SIZE];
	uint32_t argc, envc, len;
	char user[PROTO_NAME_SIZE]; /* --user, or "": root */
};
/* Parse `ps start`'s words (after "start"). Returns 0, or 2 with err set
 * (a usage error: no command, a bad -e or --user, too many bytes or
 * strings). */
int ps_pack_start(int argc, char **argv, struct ps_start_req *r, char *err, size_t n);

/* The two lines before the first row of `ps list`. */
void ps_print_header(FILE *out);
/* One row of `ps list` from a PS record. */
void ps_print_row(FILE *out, const struct proto_ps *p);
/* The `ps status` block from a PS record and the whole command line
 * (joined PROTO_KEY_CMDLINE texts; "" when none came). */
void ps_print_status(FILE *out, const struct proto_ps *p, const char *cmdline);

#endif
