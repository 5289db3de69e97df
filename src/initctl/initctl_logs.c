/* initctl_logs.c: `initctl logs` and `initctl logs-stream`.
 *
 * Parses their words (SERVICE and options in any order, as a user types
 * them after the fact: `initctl logs web -f`), checks everything that can
 * be checked before init is asked (the name, the numbers, the -o file), and
 * copies the log's bytes out as they are: a log line is the service's own
 * text, never reformatted here. logs-stream's transport (the VSOCK listener
 * init connects back to) is stream_client.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ictlconf.h"
#include "initctl_logs.h"
#include "initctl_opts.h"
#include "logjson.h"
#include "out.h"
#include "stream_client.h"

/* How logs prints what comes: the bytes as they are, or as JSON. */
struct log_out {
	int follow;
	int json;
	struct logjson lj;
};

/* LOG records: the log's bytes, as they are (or cut into JSON lines). */
static int log_record(const unsigned char *f, void *ctx)
{
	struct log_out *o = ctx;
	struct proto_log l;

	if (proto_unpack_log(f, &l) < 0)
		return 0;
	if (o->json) {
		logjson_feed(&o->lj, l.bytes, l.len);
		return 0;
	}
	fwrite(l.bytes, 1, l.len, stdout);
	if (o->follow)
		fflush(stdout);
	return 0;
}

/* Ctrl+C ends a follow: what was received has been printed already. */
static void end_follow(int sig)
{
	(void)sig;
	_exit(0);
}

#define DEFAULT_LOG_LINES 50 /* logs; logs-stream: STREAM_DEFAULT_LINES */

/* What the words of either command say; logs uses name, lines and follow. */
struct log_args {
	const char *name;
	uint32_t lines;
	int follow;
	const char *output; /* logs-stream -o */
	uint32_t listen_cid, listen_port;
	int port_given;
	int json; /* logs --json */
};

/* -n N, -nN, --lines N, --lines=N (a: the word; v: its value, 0 when
 * missing): 0 to max lines. Returns 0 or 2. */
static int take_lines(const char *cmd, const char *a, const char *v, uint32_t max, uint32_t *lines)
{
	char *end;
	unsigned long long n;

	if (!v) {
		fprintf(stderr, "initctl: %s: %s needs a number of lines\n", cmd, a);
		return 2;
	}
	errno = 0;
	n = strtoull(v, &end, 10);
	if (!*v || *end || v[0] == '-' || errno || n > max) {
		fprintf(stderr, "initctl: %s: the number of lines must be 0 to %u, not '%s'\n", cmd, max, v);
		return 2;
	}
	*lines = (uint32_t)n;
	return 0;
}

/* logs-stream -o FILE, --output FILE, --output=FILE. Returns 0 or 2. */
static int take_output(const char *cmd, const char *a, const char *v, struct log_args *la)
{
	if (!v || !*v) {
		fprintf(stderr, "initctl: %s: %s needs a file\n", cmd, a);
		return 2;
	}
	la->output = v;
	return 0;
}

/* logs-stream --listen-cid and --listen-port: a 32-bit number each. Returns 0 or 2. */
static int take_listen(const char *cmd, const char *a, const char *v, struct log_args *la)
{
	int port = !strncmp(a, "--listen-port", 13);
	uint32_t x = 0;
	const char *why = v ? ictlconf_u32(v, &x) : "missing";

	if (why) {
		fprintf(stderr, "initctl: %s: %s takes a number 0 to 4294967295, not '%s' (%s)\n", cmd,
			port ? "--listen-port" : "--listen-cid", v ? v : "", why);
		return 2;
	}
	if (port)
		la->listen_port = x, la->port_given = 1;
	else
		la->listen_cid = x;
	return 0;
}

/* The word argv[*i]: an option (*i past its value, if that is the next
 * word) or the SERVICE name. Returns 0 or 2. */
static int parse_log_arg(const char *cmd, int stream, int argc, char **argv, int *i, struct log_args *la)
{
	const char *a = argv[*i], *v = 0;

	if (!strcmp(a, "-f") || !strcmp(a, "--follow")) {
		la->follow = 1;
		return 0;
	}
	if (!stream && !strcmp(a, "--json")) {
		la->json = 1;
		return 0;
	}
	if (opts_value(argc, argv, i, "-n", "--lines", &v) || (!strncmp(a, "-n", 2) && (v = a + 2)))
		return take_lines(cmd, a, v, stream ? PROTO_STREAM_LINES : UINT32_MAX, &la->lines);
	if (stream && opts_value(argc, argv, i, "-o", "--output", &v))
		return take_output(cmd, a, v, la);
	if (stream && (opts_value(argc, argv, i, 0, "--listen-cid", &v) ||
		       opts_value(argc, argv, i, 0, "--listen-port", &v)))
		return take_listen(cmd, a, v, la);
	if (a[0] == '-' && a[1]) {
		fprintf(stderr, "initctl: %s: unknown option: %s\n", cmd, a);
		return 2;
	}
	if (la->name) {
		fprintf(stderr, "initctl: %s takes one SERVICE name\n", cmd);
		return 2;
	}
	la->name = a;
	return 0;
}

/* logs and logs-stream: SERVICE and options in any order (stream: the
 * logs-stream options too). Returns 0, 2 after a usage error, or 1 (the
 * error printed) for a name that no service can have. */
static int parse_log_args(const char *cmd, int stream, int argc, char **argv, struct log_args *la)
{
	int i;

	for (i = 0; i < argc; i++)
		if (parse_log_arg(cmd, stream, argc, argv, &i, la))
			return 2;
	if (!la->name) {
		fprintf(stderr, "initctl: %s takes one SERVICE name\n", cmd);
		return 2;
	}
	if (!proto_name_ok(la->name))
		return out_bad_name(la->name);
	return 0;
}

/* logs SERVICE [-n|--lines N] [-f|--follow] [--json], options before or after the name. */
int logs_command(const struct client_target *t, int argc, char **argv)
{
	/* Static: a JSON line of up to LOGJSON_LINE bytes is kept there. */
	static struct log_out out;
	struct log_args la = { 0, DEFAULT_LOG_LINES };
	struct proto_req rq = { PROTO_OP_LOGS };
	struct client_result res;
	int rc = parse_log_args("logs", 0, argc, argv, &la);

	if (rc)
		return rc;
	rq.name = la.name;
	rq.lines = la.lines;
	rq.follow = la.follow;
	out.follow = la.follow;
	out.json = la.json;
	logjson_begin(&out.lj, stdout, la.name, la.follow);
	if (la.follow) {
		signal(SIGINT, end_follow);
		signal(SIGTERM, end_follow);
	}
	if (client_call(t, &rq, log_record, &out, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return out_failed(res.status, res.msg);
	}
	if (la.json)
		logjson_end(&out.lj);
	return 0;
}

/* logs-stream SERVICE [-n N] [-f] [-o FILE] [--listen-cid CID] [--listen-port PORT] */
int logs_stream_command(const struct client_target *t, int argc, char **argv)
{
	struct log_args la = { 0, STREAM_DEFAULT_LINES, 0, 0, STREAM_DEFAULT_LISTEN_CID, STREAM_DEFAULT_PORT, 0 };
	struct stream_req r;
	struct client_result res;
	enum stream_end end;
	int rc = parse_log_args("logs-stream", 1, argc, argv, &la);

	if (rc)
		return rc;
	r = (struct stream_req){ la.name,        la.lines,      la.follow, la.listen_cid,
				 la.listen_port, la.port_given, 1,         "stdout" };
	if (la.output) {
		/* Opened before anything is asked of init: a bad path costs nothing. */
		r.out_fd = open(la.output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
		if (r.out_fd < 0) {
			char msg[PROTO_TEXT_SIZE];
			snprintf(msg, sizeof msg, "cannot open %s for writing: %s", la.output, strerror(errno));
			return out_error(msg);
		}
		r.out_name = la.output;
	}
	end = t->transport == CLIENT_VSOCK ? stream_over_vsock(t, &r, &res) : stream_over_unix(t, &r, &res);
	if (end == STREAM_FAILED || (end == STREAM_STOPPED && res.status != PROTO_OK))
		return out_failed(res.status, res.msg);
	if (end == STREAM_STOPPED) /* stdout may be the stream: the answer goes to stderr */
		out_ok_stderr(res.msg);
	return 0;
}
