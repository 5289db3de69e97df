/* initctl.h: what initctl.c (main and command dispatch) lends the command
 * modules (initctl_*.c): the usage text and the way every outcome is printed,
 * so that all commands answer alike. */
#ifndef INITCTL_H
#define INITCTL_H

#include <stdio.h>

/* `initctl --help`, on f: stdout when asked for, stderr after a usage error. */
void initctl_usage(FILE *f);
/* "✓ msg" on stdout (green on a terminal). */
void initctl_ok(const char *msg);
/* "✓ msg" on stderr, for a command whose stdout carries data (logs-stream). */
void initctl_ok_stderr(const char *msg);
/* "✗ Error: msg" on stderr; returns 1, the exit status of a refused request. */
int initctl_error(const char *msg);
/* "✗ Error: 'name' is not a valid service name"; returns 1. Checked here,
 * before anything is sent, so init never sees a name it cannot hold. */
int initctl_bad_name(const char *name);

#endif
