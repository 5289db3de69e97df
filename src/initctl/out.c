/* out.c: the ✓ and ✗ lines of every initctl command (manual 002's format,
 * so its scripts can grep them). Colour only on a terminal. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "out.h"
#include "proto.h"

static int colour_out, colour_err;

void out_colour(int allowed)
{
	colour_out = allowed && isatty(1);
	colour_err = allowed && isatty(2);
}

static void ok_line(FILE *f, int colour, const char *msg)
{
	fprintf(f, colour ? "\033[32m✓\033[0m %s\n" : "✓ %s\n", msg);
}

void out_ok(const char *msg)
{
	ok_line(stdout, colour_out, msg);
}

void out_ok_stderr(const char *msg)
{
	ok_line(stderr, colour_err, msg);
}

int out_error(const char *msg)
{
	fprintf(stderr, colour_err ? "\033[31m✗ Error:\033[0m %s\n" : "✗ Error: %s\n", msg);
	return 1;
}

int out_failed(int status, const char *msg)
{
	(void)out_error(msg);
	switch (status) {
	case PROTO_E_NOT_FOUND:
	case PROTO_E_PERM: return OUT_EXIT_NO_SUCH;
	case CLIENT_UNREACHABLE: return OUT_EXIT_UNREACHABLE;
	}
	return OUT_EXIT_FAILED;
}

int out_bad_name(const char *name)
{
	char msg[PROTO_TEXT_SIZE];

	snprintf(msg, sizeof msg, "'%s' is not a valid service name", name);
	return out_error(msg);
}

int out_flushed(int rc)
{
	/* A failed write, now or before, leaves the error flag set. */
	(void)fflush(stdout);
	if (!ferror(stdout))
		return rc;
	fprintf(stderr, "initctl: error writing standard output: %s\n", strerror(errno));
	return rc ? rc : 1;
}
