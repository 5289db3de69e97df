/* initctl.c: the command-line tool that drives init: main and command
 * dispatch.
 *
 * Reads the global options, finds init (initctl_opts.c), then hands the
 * command to the module that owns it: logs and logs-stream
 * (initctl_logs.c), ps (initctl_ps.c), reload --dry-run (initctl_dryrun.c),
 * health, events and metrics (initctl_health.c, initctl_events.c,
 * initctl_metrics.c), attest (initctl_attest.c), and every other command, one request and its reply,
 * to initctl_show.c. The output is manual 002's, so its scripts work as
 * written: "✓ message" on success, "✗ Error: message" on stderr with exit
 * status 1 (out.h has the others: 3 for the status of a service that is
 * not active, 4 for an unknown service or a refused operation, 69 when
 * init cannot be reached), usage errors with exit status 2; --json makes
 * the read commands print one JSON document instead (json_view.c). Colour
 * only on a terminal; every command prints its outcome through out.c, so
 * that all answer alike.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "client.h"
#include "ictlconf.h"
#include "initctl_attest.h"
#include "initctl_dryrun.h"
#include "initctl_events.h"
#include "initctl_health.h"
#include "initctl_logs.h"
#include "initctl_metrics.h"
#include "initctl_opts.h"
#include "initctl_ps.h"
#include "initctl_show.h"
#include "out.h"
#include "timeserve.h"
#include "usage.h"

/* Options a command takes. */
#define OPT_WAIT 1    /* --wait [--timeout SECONDS] */
#define OPT_NOW 2     /* --now */
#define OPT_DRY_RUN 4 /* --dry-run */
#define OPT_JSON 8    /* --json: the read commands */
#define OPT_DRAIN 16  /* --drain SECONDS, --wait (no --timeout): shutdown, reboot */

/* The plain commands: one request each, its words checked here before
 * anything is sent (logs, logs-stream and ps parse their own). */
struct command {
	char name[16];    /* in place (no pointers to relocate); 15 characters at most */
	unsigned char op; /* PROTO_OP_* */
	unsigned char takes_name;
	unsigned char opts; /* OPT_* */
};

_Static_assert(PROTO_OP_MAX <= 255, "struct command holds an operation in a byte");
static const struct command commands[] = {
	{ "list", PROTO_OP_LIST, 0, OPT_JSON },        { "status", PROTO_OP_STATUS, 1, OPT_JSON },
	{ "start", PROTO_OP_START, 1, OPT_WAIT },      { "stop", PROTO_OP_STOP, 1, OPT_WAIT },
	{ "restart", PROTO_OP_RESTART, 1, OPT_WAIT },  { "system-status", PROTO_OP_SYSTEM_STATUS, 0, OPT_JSON },
	{ "ping", PROTO_OP_PING, 0, OPT_JSON },        { "shutdown", PROTO_OP_SHUTDOWN, 0, OPT_DRAIN },
	{ "reboot", PROTO_OP_REBOOT, 0, OPT_DRAIN },   { "logs-clear", PROTO_OP_LOGS_CLEAR, 1, 0 },
	{ "enable", PROTO_OP_ENABLE, 1, OPT_NOW },     { "disable", PROTO_OP_DISABLE, 1, 0 },
	{ "reload", PROTO_OP_RELOAD, 0, OPT_DRY_RUN },
};

#define DEFAULT_WAIT_SEC 90 /* systemd's default start timeout */

enum { ARG_WORD, ARG_WAIT, ARG_TIMEOUT, ARG_NOW, ARG_DRY_RUN, ARG_JSON, ARG_DRAIN };

/* Which of c's options a is; ARG_WORD when it is none of them. */
static int option(const struct command *c, const char *a)
{
	if ((c->opts & (OPT_WAIT | OPT_DRAIN)) && !strcmp(a, "--wait"))
		return ARG_WAIT;
	if ((c->opts & OPT_DRAIN) && (!strcmp(a, "--drain") || !strncmp(a, "--drain=", 8)))
		return ARG_DRAIN;
	if ((c->opts & OPT_WAIT) && (!strcmp(a, "--timeout") || !strncmp(a, "--timeout=", 10)))
		return ARG_TIMEOUT;
	if ((c->opts & OPT_NOW) && !strcmp(a, "--now"))
		return ARG_NOW;
	if ((c->opts & OPT_DRY_RUN) && !strcmp(a, "--dry-run"))
		return ARG_DRY_RUN;
	if ((c->opts & OPT_JSON) && !strcmp(a, "--json"))
		return ARG_JSON;
	return ARG_WORD;
}

/* --timeout's value in seconds, or 0 after a usage error. */
static int timeout_sec(const char *num)
{
	char *end;
	long v = strtol(num, &end, 10);

	if (!*num || *end || v < 1 || v > PROTO_WAIT_MAX_SEC) {
		fprintf(stderr, "initctl: --timeout takes 1 to %d seconds, not '%s'\n", PROTO_WAIT_MAX_SEC, num);
		return 0;
	}
	return (int)v;
}

/* --drain's value into rq; returns 0, or 2 after a usage error. */
static int drain_sec(const char *num, struct proto_req *rq)
{
	char *end;
	long v = strtol(num, &end, 10);

	if (!*num || *end || *num == '-' || *num == '+' || v < 0 || v > PROTO_WAIT_MAX_SEC) {
		fprintf(stderr, "initctl: --drain takes 0 to %d seconds, not '%s'\n", PROTO_WAIT_MAX_SEC, num);
		return 2;
	}
	rq->drain_sec = (uint32_t)v;
	return 0;
}

/* Too many words after c, or too few: a usage error (returns 2). */
static int wrong_words(const struct command *c)
{
	fprintf(stderr, "initctl: %s %s\n", c->name,
		c->takes_name ? "takes one SERVICE name" : "takes no arguments");
	return 2;
}

/* A word that is none of c's options: its SERVICE name (returns 0), or a
 * usage error (returns 2). */
static int word(const struct command *c, const char *a, struct proto_req *rq)
{
	if (a[0] == '-') {
		fprintf(stderr, "initctl: %s: unknown option: %s\n", c->name, a);
		return 2;
	}
	if (!c->takes_name || rq->name)
		return wrong_words(c);
	rq->name = a;
	return 0;
}

/* What the options besides the request's own ask for. */
struct flags {
	int dry; /* --dry-run */
	int json;
};

/* One option after the command word, argv[*i] (an option with a value
 * takes the next word too); returns 0, or 2 after a usage error. */
static int one_opt(const struct command *c, int argc, char **argv, int *i, struct proto_req *rq, struct flags *fl,
		   int *timeout)
{
	const char *a = argv[*i];

	switch (option(c, a)) {
	case ARG_WAIT: rq->wait = 1; return 0;
	case ARG_TIMEOUT:
		*timeout = timeout_sec(a[9] == '=' ? a + 10 : ++*i < argc ? argv[*i] : "");
		return *timeout ? 0 : 2;
	case ARG_DRAIN: return drain_sec(a[7] == '=' ? a + 8 : ++*i < argc ? argv[*i] : "", rq);
	case ARG_NOW: rq->now = 1; return 0;
	case ARG_DRY_RUN: fl->dry = 1; return 0;
	case ARG_JSON: fl->json = 1; return 0;
	default: return word(c, a, rq) ? 2 : 0;
	}
}

/* The options after the command word; returns 0, or 2 after a usage error. */
static int parse_opts(const struct command *c, int argc, char **argv, struct proto_req *rq, struct flags *fl)
{
	int i, timeout = 0;

	for (i = 0; i < argc; i++)
		if (one_opt(c, argc, argv, &i, rq, fl, &timeout))
			return 2;
	if (c->takes_name && !rq->name)
		return wrong_words(c);
	if (timeout && !rq->wait) {
		fprintf(stderr, "initctl: --timeout goes with --wait\n");
		return 2;
	}
	if (rq->wait && (c->opts & OPT_WAIT))
		rq->wait_sec = timeout ? (uint32_t)timeout : DEFAULT_WAIT_SEC;
	return 0;
}

static int run(int argc, char **argv)
{
	const char *no_colour = getenv("NO_COLOR");
	struct opts_global o = { 0 };
	struct client_target t;
	size_t k;
	int i, rc;

	out_colour(!(no_colour && *no_colour));
	rc = opts_parse_global(argc, argv, &o, &i);
	if (rc)
		return rc - 1;
	if (i == argc) {
		usage_print(stderr);
		return 2;
	}
	if (!strcmp(argv[i], "time-serve")) /* the parent's server: no init to reach */
		return timeserve_command(argc - i - 1, argv + i + 1);
	rc = opts_resolve_target(&o, &t);
	if (rc)
		return rc;
	if (!strcmp(argv[i], "logs"))
		return logs_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "logs-stream"))
		return logs_stream_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "ps"))
		return ps_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "health"))
		return health_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "events"))
		return events_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "metrics"))
		return metrics_command(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "attest"))
		return attest_command(&t, argc - i - 1, argv + i + 1);
	for (k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		const struct command *c = &commands[k];
		if (strcmp(argv[i], c->name) != 0)
			continue;
		struct proto_req rq = { c->op };
		struct flags fl = { 0 };

		if (parse_opts(c, argc - i - 1, argv + i + 1, &rq, &fl))
			return 2;
		if (rq.name && !proto_name_ok(rq.name))
			return out_bad_name(rq.name);
		return fl.dry ? dryrun_reload(&t) : show_command(&t, rq, fl.json);
	}
	fprintf(stderr, "initctl: unknown command: %s\n", argv[i]);
	usage_print(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	return out_flushed(run(argc, argv));
}
