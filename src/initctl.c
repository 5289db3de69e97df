/* initctl.c: the command-line tool that drives init.
 *
 * Parses the command line, sends one request, prints the reply the way
 * manual 002 prints it (so its scripts work as written): tables and
 * "Service: X" blocks on stdout, "✓ message" on success, "✗ Error: message"
 * on stderr with exit status 1. Colour only on a terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "client.h"
#include "ictlconf.h"
#include "initctl_ps.h"
#include "signames.h"
#include "stream_client.h"
#include "svc.h"

#define INITCTL_VERSION "0.1.0"

static int colour_out, colour_err;

static void usage(FILE *f)
{
	fputs("usage: initctl [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Options (each: command line, else environment, else initctl.yaml, else built in):\n"
	      "  -c, --config PATH   initctl.yaml to read (default $INITCTL_CONFIG, else\n"
	      "                      " ICTLCONF_DEFAULT_PATH ", which may be missing)\n"
	      "  -p, --protocol unix|vsock\n"
	      "                      how to reach init (default unix)\n"
	      "  -s, --socket PATH   Unix socket (default $INIT_SOCKET, else initctl.yaml, else\n"
	      "                      " CFG_UNIX_SOCKET_PATH ")\n", f);
	if (CFG_VSOCK_CID == CLIENT_VMADDR_CID_ANY)
		fputs("      --vsock-cid CID the enclave's CID (no default: see nitro-cli describe-enclaves)\n", f);
	else
		fprintf(f, "      --vsock-cid CID the enclave's CID (default %u)\n", (unsigned)CFG_VSOCK_CID);
	fprintf(f, "      --vsock-port PORT  init's VSOCK control port (default %u)\n", (unsigned)CFG_VSOCK_PORT);
	fputs("  -h, --help          print this help\n"
	      "  -V, --version       print the version\n"
	      "\n"
	      "Commands:\n"
	      "  list                list all services\n"
	      "  status SERVICE      show a service in detail\n"
	      "  start SERVICE       start a stopped service\n"
	      "  stop SERVICE        stop a service (SIGTERM, then SIGKILL after its timeout)\n"
	      "  restart SERVICE     stop if running, then start\n"
	      "      --wait [--timeout SECONDS]  return when it is running (stopped); default 90 s\n"
	      "  logs SERVICE [-n|--lines N] [-f|--follow]\n"
	      "                      the last N lines (default 50) of a service's log; -f goes on\n"
	      "                      printing new lines until interrupted (\"init\": init's own log)\n"
	      "  logs-stream SERVICE [-n N] [-f] [-o|--output FILE] [--listen-cid CID] [--listen-port PORT]\n"
	      "                      stream the last N lines (default 10) and, with -f, new ones\n"
	      "                      until interrupted, to stdout or appended to FILE; over vsock\n"
	      "                      init connects back to CID (default 3: the parent instance) on\n"
	      "                      PORT (default 9100, else the next free one up to 9199)\n"
	      "  logs-clear SERVICE  remove a service's log files and start an empty one\n"
	      "  enable [--now] SERVICE  start it at boot (and now); in memory, kept across reload\n"
	      "  disable SERVICE     do not start it at boot; stops it if it runs\n"
	      "  reload [--dry-run]  re-execute init (perhaps a new build); unchanged services keep\n"
	      "                      running; --dry-run prints what a reload would do\n"
	      "  system-status       uptime, service and process counts\n", f);
	ps_usage(f);
	fputs("  ping                check that init answers\n"
	      "  shutdown            stop everything and power off\n"
	      "  reboot              stop everything and reboot\n", f);
}

void initctl_ok(const char *msg)
{
	printf(colour_out ? "\033[32m✓\033[0m %s\n" : "✓ %s\n", msg);
}

int initctl_error(const char *msg)
{
	fprintf(stderr, colour_err ? "\033[31m✗ Error:\033[0m %s\n" : "✗ Error: %s\n", msg);
	return 1;
}

/* The fields of a PROTO_REC_SVC record and the texts that follow it. */
struct svc_view {
	char name[PROTO_NAME_SIZE];
	unsigned state, enabled, restart, exit_kind;
	unsigned pid, restarts, exit_code, exit_signal, restart_sec;
	unsigned long long log_dropped;
	char text[PROTO_KEY_MAX + 1][8192];
};

static const char *restart_name(unsigned r)
{
	static const char *const n[] = { "no", "always", "on-failure", "on-success" };
	return r < 4 ? n[r] : "?";
}

static void read_svc(const unsigned char *f, struct svc_view *v)
{
	memcpy(v->name, f + PROTO_OFF_NAME, PROTO_NAME_SIZE);
	v->state = f[PROTO_SVC_STATE];
	v->enabled = f[PROTO_SVC_ENABLED];
	v->restart = f[PROTO_SVC_RESTART];
	v->exit_kind = f[PROTO_SVC_EXIT_KIND];
	v->pid = proto_get32(f, PROTO_SVC_PID);
	v->restarts = proto_get32(f, PROTO_SVC_RESTARTS);
	v->exit_code = proto_get32(f, PROTO_SVC_EXIT_CODE);
	v->exit_signal = proto_get32(f, PROTO_SVC_EXIT_SIGNAL);
	v->restart_sec = proto_get32(f, PROTO_SVC_RESTART_SEC);
	v->log_dropped = proto_get64(f, PROTO_SVC_LOG_DROPPED);
}

/* Text records of one key arrive in order and are joined. */
static void read_text(const unsigned char *f, struct svc_view *v)
{
	unsigned key = proto_get32(f, PROTO_OFF_ARG0);
	size_t have;

	if (key > PROTO_KEY_MAX)
		return;  /* a newer init's key: nothing to show for it */
	have = strlen(v->text[key]);
	snprintf(v->text[key] + have, sizeof v->text[key] - have, "%s", (const char *)f + PROTO_OFF_TEXT);
}

/* The state in words, as the issue of dependencies asks for. */
static const char *state_words(const struct svc_view *v)
{
	switch (v->state) {
	case SVC_STARTING: return "starting";
	case SVC_RUNNING: return "running";
	case SVC_STOPPING: return "stopping";
	case SVC_RESTART_WAIT: return "waiting to restart";
	case SVC_FAILED: return "failed";
	case SVC_WAITING: return "waiting for dependencies";
	}
	return v->enabled ? "stopped" : "disabled";
}

static const char *active_word(unsigned state)
{
	switch (state) {
	case SVC_WAITING: return "activating";
	case SVC_RUNNING: return "active";
	case SVC_STARTING:
	case SVC_RESTART_WAIT: return "activating";
	case SVC_STOPPING: return "deactivating";
	case SVC_FAILED: return "failed";
	}
	return "inactive";
}

/* Printed with the first row (or at the end of an empty list), so that a
 * failed connection prints only the error. */
static void list_header(int *printed)
{
	if (*printed)
		return;
	*printed = 1;
	printf("%-25s %-10s %-10s %-15s %s\n", "NAME", "ENABLED", "ACTIVE", "RESTART", "RESTARTS");
	printf("%.75s\n", "----------------------------------------------------------------------------------");
}

static int list_row(const unsigned char *f, void *ctx)
{
	struct svc_view v;

	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_SVC)
		return 0;
	list_header(ctx);
	read_svc(f, &v);
	printf("%-25s %-10s %-10s %-15s %u\n", v.name, v.enabled ? "enabled" : "disabled",
	       active_word(v.state), restart_name(v.restart), v.restarts);
	return 0;
}

static int status_record(const unsigned char *f, void *ctx)
{
	unsigned op = proto_get16(f, PROTO_OFF_OP);

	if (op == PROTO_REC_SVC)
		read_svc(f, ctx);
	else if (op == PROTO_REC_TEXT || op == PROTO_REC_SYSTEM)
		read_text(f, ctx);
	return 0;
}

static void exit_text(const struct svc_view *v, char *buf, size_t n)
{
	const char *sn = signame((int)v->exit_signal);

	if (v->exit_kind == PROTO_EXIT_SIGNAL && sn)
		snprintf(buf, n, "killed by SIG%s", sn);
	else if (v->exit_kind == PROTO_EXIT_SIGNAL)
		snprintf(buf, n, "killed by signal %u", v->exit_signal);
	else
		snprintf(buf, n, "exit code %u", v->exit_code);
}

/* Why it failed, in a word or two (systemd's results where they fit). */
static const char *failure_word(const struct svc_view *v, const char *how)
{
	const char *r = v->text[PROTO_KEY_REASON];

	if (!r[0])
		return how;
	if (!strncmp(r, "restart limit", 13))
		return "start-limit-hit";
	if (!strncmp(r, "dependency ", 11))
		return "dependency";
	return "start failed";
}

static void print_status(const struct svc_view *v)
{
	static const struct { int key; const char *label; } deps[] = {
		{ PROTO_KEY_AFTER, "After" }, { PROTO_KEY_REQUIRES, "Requires" },
		{ PROTO_KEY_BEFORE, "Before" }, { PROTO_KEY_REQUIRED_BY, "Required By" },
	};
	char how[64];
	size_t i;

	exit_text(v, how, sizeof how);
	printf("Service: %s\n", v->name);
	printf("  Enabled: %s\n", v->enabled ? "yes" : "no");
	switch (v->state) {
	case SVC_RUNNING: printf("  Status: active (running)\n"); break;
	case SVC_STARTING: printf("  Status: activating (start)\n"); break;
	case SVC_STOPPING: printf("  Status: deactivating (stop-sigterm)\n"); break;
	case SVC_RESTART_WAIT: printf("  Status: activating (auto-restart)\n"); break;
	case SVC_FAILED:
		printf("  Status: failed (%s)\n", failure_word(v, how));
		break;
	case SVC_WAITING: printf("  Status: activating (waiting for dependencies)\n"); break;
	default: printf("  Status: inactive (dead)\n"); break;
	}
	printf("  State: %s\n", state_words(v));
	if (v->pid)
		printf("  PID: %u\n", v->pid);
	printf("  Command: %s\n", v->text[PROTO_KEY_COMMAND]);
	if (v->text[PROTO_KEY_WORKDIR][0])
		printf("  Working Directory: %s\n", v->text[PROTO_KEY_WORKDIR]);
	printf("  Restart Policy: %s\n", restart_name(v->restart));
	printf("  Restart Delay: %us\n", v->restart_sec);
	printf("  Restart Count: %u\n", v->restarts);
	if (v->exit_kind == PROTO_EXIT_SIGNAL)
		printf("  Last Exit Code: %u (%s)\n", v->exit_code, how);
	else if (v->exit_kind == PROTO_EXIT_CODE)
		printf("  Last Exit Code: %u\n", v->exit_code);
	if (v->text[PROTO_KEY_REASON][0])
		printf("  Last Error: %s\n", v->text[PROTO_KEY_REASON]);
	if (v->log_dropped)
		printf("  Log lines dropped: %llu\n", v->log_dropped);
	for (i = 0; i < sizeof deps / sizeof deps[0]; i++)
		if (v->text[deps[i].key][0])
			printf("  %s: %s\n", deps[i].label, v->text[deps[i].key]);
}

struct sys_view {
	unsigned long long uptime;
	unsigned services, enabled, active, processes;
	struct svc_view texts;
};

static int system_record(const unsigned char *f, void *ctx)
{
	struct sys_view *s = ctx;

	if (proto_get16(f, PROTO_OFF_OP) == PROTO_REC_SYSTEM) {
		s->uptime = proto_get64(f, PROTO_SYS_UPTIME);
		s->services = proto_get32(f, PROTO_SYS_SERVICES);
		s->enabled = proto_get32(f, PROTO_SYS_ENABLED);
		s->active = proto_get32(f, PROTO_SYS_ACTIVE);
		s->processes = proto_get32(f, PROTO_SYS_PROCESSES);
	} else if (proto_get16(f, PROTO_OFF_OP) == PROTO_REC_TEXT) {
		read_text(f, &s->texts);
	}
	return 0;
}

static void print_uptime(unsigned long long t)
{
	unsigned long long d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, s = t % 60;

	if (d)
		printf("%llud %lluh %llum %llus\n", d, h, m, s);
	else if (h)
		printf("%lluh %llum %llus\n", h, m, s);
	else if (m)
		printf("%llum %llus\n", m, s);
	else
		printf("%llus\n", s);
}

/* Options a command takes. */
#define OPT_WAIT 1      /* --wait [--timeout SECONDS] */
#define OPT_NOW 2       /* --now */
#define OPT_DRY_RUN 4   /* --dry-run */

struct command {
	const char *name;
	unsigned op;
	int takes_name;
	int opts;
};

static const struct command commands[] = {
	{ "list", PROTO_OP_LIST, 0, 0 }, { "status", PROTO_OP_STATUS, 1, 0 },
	{ "start", PROTO_OP_START, 1, OPT_WAIT }, { "stop", PROTO_OP_STOP, 1, OPT_WAIT },
	{ "restart", PROTO_OP_RESTART, 1, OPT_WAIT }, { "system-status", PROTO_OP_SYSTEM_STATUS, 0, 0 },
	{ "ping", PROTO_OP_PING, 0, 0 }, { "shutdown", PROTO_OP_SHUTDOWN, 0, 0 },
	{ "reboot", PROTO_OP_REBOOT, 0, 0 }, { "logs-clear", PROTO_OP_LOGS_CLEAR, 1, 0 },
	{ "enable", PROTO_OP_ENABLE, 1, OPT_NOW }, { "disable", PROTO_OP_DISABLE, 1, 0 },
	{ "reload", PROTO_OP_RELOAD, 0, OPT_DRY_RUN },
};

#define DEFAULT_WAIT_SEC 90   /* systemd's default start timeout */

/* reload --dry-run: what init runs now, against the tables this initctl
 * was built with (built with init, from the same configuration). */
struct running {
	char name[PROTO_NAME_SIZE];
	unsigned state, enabled;
	unsigned long long exec_hash;
};
static struct running running[4096];
static int nrunning;

static int collect_running(const unsigned char *f, void *ctx)
{
	struct running *r = &running[nrunning];

	(void)ctx;
	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_SVC || nrunning == (int)(sizeof running / sizeof running[0]))
		return 0;
	memcpy(r->name, f + PROTO_OFF_NAME, PROTO_NAME_SIZE);
	r->name[PROTO_NAME_SIZE - 1] = 0;
	r->state = f[PROTO_SVC_STATE];
	r->enabled = f[PROTO_SVC_ENABLED];
	r->exec_hash = proto_get64(f, PROTO_SVC_EXEC_HASH);
	nrunning++;
	return 0;
}

static int is_up(unsigned state)
{
	return state != SVC_STOPPED && state != SVC_FAILED;
}

static int reload_plan(const struct client_target *t)
{
	struct client_req rq = { PROTO_OP_LIST, 0, 0, 0, 0 };
	struct client_result res;
	int i, k;

	if (client_call(t, &rq, collect_running, 0, &res) < 0 || res.status != PROTO_OK)
		return initctl_error(res.msg);
	printf("%-8s %-25s %s\n", "ACTION", "SERVICE", "WHY");
	for (i = 0; i < nrunning; i++) {
		const struct running *r = &running[i];
		for (k = 0; k < CFG_NSVC && strcmp(cfg_svc[k].name, r->name); k++)
			;
		if (k == CFG_NSVC)
			printf("%-8s %-25s %s\n", is_up(r->state) ? "stop" : "remove", r->name,
			       is_up(r->state) ? "no longer configured" : "no longer configured (not running)");
		else if (cfg_svc[k].exec_hash != r->exec_hash && is_up(r->state))
			printf("%-8s %-25s %s\n", "restart", r->name, "configuration changed");
		else
			printf("%-8s %-25s %s\n", "keep", r->name, cfg_svc[k].exec_hash != r->exec_hash
			       ? "configuration changed; not running, the new one applies at its next start"
			       : is_up(r->state) ? "unchanged, keeps running" : "unchanged");
	}
	for (k = 0; k < CFG_NSVC; k++) {
		for (i = 0; i < nrunning && strcmp(cfg_svc[k].name, running[i].name); i++)
			;
		if (i == nrunning)
			printf("%-8s %-25s %s\n", cfg_svc[k].enabled ? "start" : "add", cfg_svc[k].name,
			       cfg_svc[k].enabled ? "new, enabled" : "new, disabled: not started");
	}
	return 0;
}

/* The options after the command word; returns 0, or 2 after a usage error. */
static int parse_opts(const struct command *c, int argc, char **argv, struct client_req *rq, int *dry)
{
	int i, timeout = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *num = 0;

		if ((c->opts & OPT_WAIT) && !strcmp(a, "--wait")) {
			rq->arg1 = PROTO_WAIT;
		} else if ((c->opts & OPT_WAIT) && (!strcmp(a, "--timeout") || !strncmp(a, "--timeout=", 10))) {
			num = a[9] == '=' ? a + 10 : ++i < argc ? argv[i] : "";
			char *end;
			long v = strtol(num, &end, 10);
			if (!*num || *end || v < 1 || v > PROTO_WAIT_MAX_SEC) {
				fprintf(stderr, "initctl: --timeout takes 1 to %d seconds, not '%s'\n",
					PROTO_WAIT_MAX_SEC, num);
				return 2;
			}
			timeout = (int)v;
		} else if ((c->opts & OPT_NOW) && !strcmp(a, "--now")) {
			rq->arg0 = PROTO_ENABLE_NOW;
		} else if ((c->opts & OPT_DRY_RUN) && !strcmp(a, "--dry-run")) {
			*dry = 1;
		} else if (a[0] == '-') {
			fprintf(stderr, "initctl: %s: unknown option: %s\n", c->name, a);
			return 2;
		} else if (c->takes_name && !rq->name) {
			rq->name = a;
		} else {
			fprintf(stderr, "initctl: %s %s\n", c->name,
				c->takes_name ? "takes one SERVICE name" : "takes no arguments");
			return 2;
		}
	}
	if (c->takes_name && !rq->name) {
		fprintf(stderr, "initctl: %s takes one SERVICE name\n", c->name);
		return 2;
	}
	if (timeout && !rq->arg1) {
		fprintf(stderr, "initctl: --timeout goes with --wait\n");
		return 2;
	}
	if (rq->arg1) {
		rq->arg2 = timeout ? (uint32_t)timeout : DEFAULT_WAIT_SEC;
		rq->forever = 1;  /* init answers when the time is up */
	}
	return 0;
}

/* LOG records: the log's bytes, as they are. */
static int log_record(const unsigned char *f, void *ctx)
{
	int follow = *(int *)ctx;

	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_LOG)
		return 0;
	fwrite(f + PROTO_OFF_TEXT, 1, proto_get32(f, PROTO_OFF_ARG0), stdout);
	if (follow)
		fflush(stdout);
	return 0;
}

/* Ctrl+C ends a follow: what was received has been printed already. */
static void end_follow(int sig)
{
	(void)sig;
	_exit(0);
}

#define DEFAULT_LOG_LINES 50

/* The value of a global or command option at argv[*i], as "OPT VALUE" or
 * "--long=VALUE": returns 1 with *val set (0 when the value is missing),
 * or 0 when argv[*i] is not this option. */
static int option(int argc, char **argv, int *i, const char *shrt, const char *lng, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if ((shrt && !strcmp(a, shrt)) || !strcmp(a, lng)) {
		*val = *i + 1 < argc ? argv[++*i] : 0;
		return 1;
	}
	if (!strncmp(a, lng, n) && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	return 0;
}

struct log_args {
	const char *name;
	uint32_t lines;
	int follow;
	const char *output;           /* logs-stream -o */
	uint32_t listen_cid, listen_port;
	int port_given;
};

/* logs and logs-stream: SERVICE and options in any order (stream: the
 * logs-stream options too). Returns 0, or 2 after a usage error. */
static int parse_log_args(const char *cmd, int stream, int argc, char **argv, struct log_args *la)
{
	uint32_t max_lines = stream ? PROTO_STREAM_LINES : UINT32_MAX;
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = 0, *why;
		char *end;
		unsigned long long n;

		if (!strcmp(a, "-f") || !strcmp(a, "--follow")) {
			la->follow = 1;
		} else if (option(argc, argv, &i, "-n", "--lines", &v) || (!strncmp(a, "-n", 2) && (v = a + 2))) {
			if (!v) {
				fprintf(stderr, "initctl: %s: %s needs a number of lines\n", cmd, a);
				return 2;
			}
			errno = 0;
			n = strtoull(v, &end, 10);
			if (!*v || *end || v[0] == '-' || errno || n > max_lines) {
				fprintf(stderr, "initctl: %s: the number of lines must be 0 to %u, not '%s'\n",
					cmd, max_lines, v);
				return 2;
			}
			la->lines = (uint32_t)n;
		} else if (stream && option(argc, argv, &i, "-o", "--output", &v)) {
			if (!v || !*v) {
				fprintf(stderr, "initctl: %s: %s needs a file\n", cmd, a);
				return 2;
			}
			la->output = v;
		} else if (stream && (option(argc, argv, &i, 0, "--listen-cid", &v) ||
				      option(argc, argv, &i, 0, "--listen-port", &v))) {
			int port = !strncmp(a, "--listen-port", 13);
			uint32_t x = 0;
			why = v ? ictlconf_u32(v, &x) : "missing";
			if (why) {
				fprintf(stderr, "initctl: %s: %s takes a number 0 to 4294967295, not '%s' (%s)\n",
					cmd, port ? "--listen-port" : "--listen-cid", v ? v : "", why);
				return 2;
			}
			if (port)
				la->listen_port = x, la->port_given = 1;
			else
				la->listen_cid = x;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "initctl: %s: unknown option: %s\n", cmd, a);
			return 2;
		} else if (!la->name) {
			la->name = a;
		} else {
			fprintf(stderr, "initctl: %s takes one SERVICE name\n", cmd);
			return 2;
		}
	}
	if (!la->name) {
		fprintf(stderr, "initctl: %s takes one SERVICE name\n", cmd);
		return 2;
	}
	return 0;
}

static int bad_name(const char *name)
{
	char msg[PROTO_TEXT_SIZE];

	snprintf(msg, sizeof msg, "'%s' is not a valid service name", name);
	return initctl_error(msg);
}

/* logs SERVICE [-n|--lines N] [-f|--follow], options before or after the name. */
static int logs(const struct client_target *t, int argc, char **argv)
{
	struct log_args la = { 0, DEFAULT_LOG_LINES };
	struct client_req rq = { PROTO_OP_LOGS, 0, 0, 0, 0 };
	struct client_result res;
	int rc = parse_log_args("logs", 0, argc, argv, &la);

	if (rc)
		return rc;
	if (!proto_name_ok(la.name))
		return bad_name(la.name);
	rq.name = la.name;
	rq.arg0 = la.lines;
	if (la.follow) {
		rq.arg1 = PROTO_LOGS_FOLLOW;
		rq.forever = 1;
		signal(SIGINT, end_follow);
		signal(SIGTERM, end_follow);
	}
	if (client_call(t, &rq, log_record, &la.follow, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return initctl_error(res.msg);
	}
	return 0;
}

/* logs-stream SERVICE [-n N] [-f] [-o FILE] [--listen-cid CID] [--listen-port PORT] */
static int logs_stream(const struct client_target *t, int argc, char **argv)
{
	struct log_args la = { 0, STREAM_DEFAULT_LINES, 0, 0, STREAM_DEFAULT_LISTEN_CID, STREAM_DEFAULT_PORT, 0 };
	struct stream_req r;
	struct client_result res;
	enum stream_end end;
	int rc = parse_log_args("logs-stream", 1, argc, argv, &la);

	if (rc)
		return rc;
	if (!proto_name_ok(la.name))
		return bad_name(la.name);
	r = (struct stream_req){ la.name, la.lines, la.follow, la.listen_cid, la.listen_port, la.port_given,
				 1, "stdout" };
	if (la.output) {
		/* Opened before anything is asked of init: a bad path costs nothing. */
		r.out_fd = open(la.output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
		if (r.out_fd < 0) {
			char msg[PROTO_TEXT_SIZE];
			snprintf(msg, sizeof msg, "cannot open %s for writing: %s", la.output, strerror(errno));
			return initctl_error(msg);
		}
		r.out_name = la.output;
	}
	end = t->transport == CLIENT_VSOCK ? stream_over_vsock(t, &r, &res) : stream_over_unix(t, &r, &res);
	if (end == STREAM_FAILED || (end == STREAM_STOPPED && res.status != PROTO_OK))
		return initctl_error(res.msg);
	if (end == STREAM_STOPPED)  /* stdout may be the stream: the answer goes to stderr */
		fprintf(stderr, colour_err ? "\033[32m✓\033[0m %s\n" : "✓ %s\n", res.msg);
	return 0;
}

static int run(const struct client_target *t, const struct command *c, struct client_req rq)
{
	static struct svc_view view;
	static struct sys_view sys;
	static int header;
	struct client_result res;
	client_record_fn *fn = 0;
	void *ctx = 0;

	if (c->op == PROTO_OP_LIST) {
		fn = list_row;
		ctx = &header;
	} else if (c->op == PROTO_OP_STATUS) {
		fn = status_record;
		ctx = &view;
	} else if (c->op == PROTO_OP_SYSTEM_STATUS) {
		fn = system_record;
		ctx = &sys;
	}
	if (client_call(t, &rq, fn, ctx, &res) < 0 || res.status != PROTO_OK)
		return initctl_error(res.msg);
	if (c->op == PROTO_OP_LIST) {
		list_header(&header);
	} else if (c->op == PROTO_OP_STATUS) {
		print_status(&view);
	} else if (c->op == PROTO_OP_SYSTEM_STATUS) {
		printf("System Status\n  Uptime: ");
		print_uptime(sys.uptime);
		printf("  Services: %u total, %u enabled, %u active\n", sys.services, sys.enabled, sys.active);
		printf("  Processes: %u total\n", sys.processes);
		printf("  Service Directory: %s\n", sys.texts.text[PROTO_KEY_SERVICE_DIR]);
		printf("  Log Directory: %s\n", sys.texts.text[PROTO_KEY_LOG_DIR]);
	} else if (c->op != PROTO_OP_LIST) {
		initctl_ok(res.msg);
	}
	return 0;
}

/* The global options, as given (0 / UNSET / has_* = 0: not given). */
struct global_opts {
	const char *config;
	enum ictl_protocol protocol;
	const char *socket;
	int has_cid, has_port;
	uint32_t cid, port;
};

/* Returns 0 and *next (the command's index), or 1 + the exit status
 * (help and version print and end here). */
static int parse_global(int argc, char **argv, struct global_opts *o, int *next)
{
	static const struct { const char *shrt, *lng, *what; } opts[] = {
		{ "-c", "--config", "a path" }, { "-p", "--protocol", "unix or vsock" },
		{ "-s", "--socket", "a path" }, { 0, "--vsock-cid", "a CID" }, { 0, "--vsock-port", "a port" },
	};
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = 0, *why;
		size_t k;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("initctl " INITCTL_VERSION " (configuration " CFG_HASH_HEX ")\n");
			return 1;
		}
		for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (option(argc, argv, &i, opts[k].shrt, opts[k].lng, &v))
				break;
		if (k == sizeof opts / sizeof opts[0]) {
			fprintf(stderr, "initctl: unknown option: %s\n", a);
			usage(stderr);
			return 3;
		}
		if (!v) {
			fprintf(stderr, "initctl: %s needs %s\n", a, opts[k].what);
			return 3;
		}
		switch (k) {
		case 0: o->config = v; break;
		case 1:
			o->protocol = ictlconf_protocol(v);
			if (o->protocol == ICTL_PROTO_UNSET) {
				fprintf(stderr, "initctl: --protocol must be unix or vsock, not '%s'\n", v);
				return 3;
			}
			break;
		case 2: o->socket = v; break;
		default:
			why = ictlconf_u32(v, k == 3 ? &o->cid : &o->port);
			if (why) {
				fprintf(stderr, "initctl: %s takes a number 0 to 4294967295, not '%s' (%s)\n",
					opts[k].lng, v, why);
				return 3;
			}
			if (k == 3)
				o->has_cid = 1;
			else
				o->has_port = 1;
		}
	}
	*next = i;
	return 0;
}

/* How to reach init, each setting on its own: command line, else the
 * environment (INIT_SOCKET), else initctl.yaml, else the build's defaults
 * (the init.yaml init was built from). Returns 0, or 2 after an error. */
static int resolve_target(const struct global_opts *o, struct client_target *t)
{
	static struct ictlconf conf;
	const char *path = o->config, *env_sock = getenv("INIT_SOCKET");
	enum ictl_protocol proto;
	char msg[512];
	int named = 1;

	if (!path) {
		path = getenv("INITCTL_CONFIG");
		if (!path || !*path)
			path = ICTLCONF_DEFAULT_PATH, named = 0;
	}
	if (ictlconf_load(path, named, &conf, msg, sizeof msg) < 0) {
		fprintf(stderr, "initctl: %s\n", msg);
		return 2;
	}
	proto = o->protocol != ICTL_PROTO_UNSET ? o->protocol : conf.protocol;
	t->transport = proto == ICTL_PROTO_VSOCK ? CLIENT_VSOCK : CLIENT_UNIX;
	t->unix_path = o->socket ? o->socket
		     : env_sock && *env_sock ? env_sock
		     : conf.unix_socket_path[0] ? conf.unix_socket_path : CFG_UNIX_SOCKET_PATH;
	t->vsock_port = o->has_port ? o->port : conf.has_vsock_port ? conf.vsock_port : CFG_VSOCK_PORT;
	/* init binds VMADDR_CID_ANY by default, which names no peer to connect to. */
	if (o->has_cid || conf.has_vsock_cid || CFG_VSOCK_CID != CLIENT_VMADDR_CID_ANY)
		t->vsock_cid = o->has_cid ? o->cid : conf.has_vsock_cid ? conf.vsock_cid : CFG_VSOCK_CID;
	else if (t->transport == CLIENT_VSOCK) {
		fprintf(stderr, "initctl: no VSOCK CID: give --vsock-cid or vsock_cid in initctl.yaml "
			"(the enclave's CID, e.g. from nitro-cli describe-enclaves)\n");
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *no_colour = getenv("NO_COLOR");
	struct global_opts o = { 0 };
	struct client_target t;
	size_t k;
	int i, rc;

	colour_out = isatty(1) && !(no_colour && *no_colour);
	colour_err = isatty(2) && !(no_colour && *no_colour);
	rc = parse_global(argc, argv, &o, &i);
	if (rc)
		return rc - 1;
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	rc = resolve_target(&o, &t);
	if (rc)
		return rc;
	if (!strcmp(argv[i], "logs"))
		return logs(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "logs-stream"))
		return logs_stream(&t, argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "ps"))
		return ps_command(&t, argc - i - 1, argv + i + 1);
	for (k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		const struct command *c = &commands[k];
		if (strcmp(argv[i], c->name))
			continue;
		struct client_req rq = { c->op, 0, 0, 0, 0 };
		int dry = 0;

		if (parse_opts(c, argc - i - 1, argv + i + 1, &rq, &dry))
			return 2;
		if (rq.name && !proto_name_ok(rq.name))
			return bad_name(rq.name);
		return dry ? reload_plan(&t) : run(&t, c, rq);
	}
	fprintf(stderr, "initctl: unknown command: %s\n", argv[i]);
	usage(stderr);
	return 2;
}
