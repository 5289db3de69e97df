/* initctl_events.c: `initctl events [--since SEQ] [--no-follow]`: init's
 * event stream (state changes, readiness, health, restarts), one JSON
 * object a line (json_view.c names the fields), each line flushed as it
 * comes so that a reader on a pipe sees it at once.
 *
 * A follow ends three ways, all with exit status 0: Ctrl+C (or SIGTERM),
 * the reader going away (EPIPE on a write: `initctl events | head -3`),
 * or init closing the connection (then with an error, as any cut reply).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initctl_events.h"
#include "json_view.h"
#include "out.h"

/* Ctrl+C, SIGTERM: what came has been printed already. */
static void end_follow(int sig)
{
	(void)sig;
	_exit(0);
}

static int event_record(const unsigned char *f, void *ctx)
{
	struct proto_event e;
	struct json j;

	(void)ctx;
	if (proto_unpack_event(f, &e) < 0)
		return 0;
	json_begin(&j, stdout);
	json_view_event(&j, &e);
	json_end(&j);
	if (fflush(stdout) == EOF && errno == EPIPE)
		_exit(0); /* the reader is gone: nothing left to do */
	return 0;
}

/* --since SEQ: a decimal sequence number. Returns 0, or 2 after a usage
 * error. */
static int take_since(const char *v, struct proto_req *rq)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = v ? strtoull(v, &end, 10) : 0;
	if (!v || !*v || *end || v[0] == '-' || errno) {
		fprintf(stderr, "initctl: events: --since takes a sequence number, not '%s'\n", v ? v : "");
		return OUT_EXIT_USAGE;
	}
	rq->since = n;
	rq->since_set = 1;
	return 0;
}

int events_command(const struct client_target *t, int argc, char **argv)
{
	struct proto_req rq = { PROTO_OP_EVENTS };
	struct client_result res;
	int i;

	rq.follow = 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--no-follow")) {
			rq.follow = 0;
		} else if (!strcmp(a, "--json") || !strcmp(a, "-f") || !strcmp(a, "--follow")) {
			continue; /* what it does anyway */
		} else if (!strcmp(a, "--since") || !strncmp(a, "--since=", 8)) {
			if (take_since(a[7] == '=' ? a + 8 : ++i < argc ? argv[i] : 0, &rq))
				return OUT_EXIT_USAGE;
		} else {
			fprintf(stderr, "initctl: events: unknown argument: %s\n", a);
			return OUT_EXIT_USAGE;
		}
	}
	/* The reader going is seen as EPIPE on the next line, not as a signal. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, end_follow);
	signal(SIGTERM, end_follow);
	if (client_call(t, &rq, event_record, 0, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return out_failed(res.status, res.msg);
	}
	return 0;
}
