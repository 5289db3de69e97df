/* initctl_ps.c: the `initctl ps` commands (see initctl_ps.h).
 *
 * Output is manual 002's, byte for byte where it prints a sample, so that
 * its scripts (`initctl ps list | tail -n +3 | awk '{print $4}'`,
 * `grep "CPU:" | awk '{print $2}'`) work as written. Every row is printed
 * as its frame arrives: a listing of thousands of processes needs one
 * frame of memory here, as in init.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "initctl_ps.h"
#include "json_view.h"
#include "out.h"
#include "signames.h"
#include "words.h"

/* --- formatting ------------------------------------------------------- */

void ps_fmt_cpu(uint32_t x100, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u", x100 / 100, x100 / 10 % 10);
}

/* v tenths of a unit: "12.5", or "256" when the tenth is 0. */
static void tenths(uint64_t v, const char *unit, char *buf, size_t n)
{
	if (v % 10)
		snprintf(buf, n, "%llu.%llu%s", (unsigned long long)(v / 10), (unsigned long long)(v % 10), unit);
	else
		snprintf(buf, n, "%llu%s", (unsigned long long)(v / 10), unit);
}

void ps_fmt_mem(uint64_t kb, char *buf, size_t n)
{
	/* Truncated, never rounded up: 1048575 KiB is 1023.9M, not 1024.0M. */
	if (kb < 1024)
		snprintf(buf, n, "%lluK", (unsigned long long)kb);
	else if (kb < (uint64_t)1024 * 1024)
		tenths(kb * 10 / 1024, "M", buf, n);
	else
		tenths(kb / 1024 * 10 / 1024, "G", buf, n);
}

/* Bytes of the character at p: 1 to 4; an invalid byte is a character of
 * its own; 0 when a sequence is cut off by the end of the string. */
static size_t char_len(const unsigned char *p)
{
	size_t need, k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3;
	else
		return 1;
	for (k = 1; k <= need; k++) {
		if (!p[k])
			return 0;
		if ((p[k] & 0xc0) != 0x80)
			return 1; /* a lead byte without its continuation: invalid */
	}
	return need + 1;
}

/* Control characters, C0 and C1 (U+0080..U+009F, 0xC2 0x80..0x9F). */
static int is_control(const unsigned char *p, size_t len)
{
	return (len == 1 && (p[0] < 0x20 || p[0] == 0x7f)) || (len == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

void ps_clean(const char *s, size_t max_chars, size_t keep, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, out = 0, len, i;
	int cut = 0;

	if (!n)
		return;
	if (max_chars) {
		for (i = 0; p[i] && (len = char_len(p + i)); i += len)
			chars++;
		cut = chars > max_chars;
	}
	for (chars = 0; *p && (len = char_len(p)) && !(cut && chars == keep); p += len, chars++) {
		if (out + len + (cut ? 3 : 0) >= n)
			break; /* the buffer is full: still on a character boundary */
		if (is_control(p, len))
			buf[out++] = '?';
		else
			memcpy(buf + out, p, len), out += len;
	}
	if (cut && out + 3 < n)
		memcpy(buf + out, "...", 3), out += 3;
	buf[out] = 0;
}

/* --- parsing ---------------------------------------------------------- */

int ps_parse_pid(const char *s, int32_t *pid)
{
	const char *d = s[0] == '-' ? s + 1 : s;
	char *end;
	long long v;

	if (*d < '0' || *d > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*pid = (int32_t)v;
	return 0;
}

/* One -e value: KEY=VALUE with a non-empty KEY. */
static int env_ok(const char *v, char *err, size_t n)
{
	const char *eq = strchr(v, '=');

	if (!eq)
		snprintf(err, n, "-e takes KEY=VALUE, not '%s' (after --, every word is the command's own)", v);
	else if (eq == v)
		snprintf(err, n, "-e '%s': the variable name is empty", v);
	else
		return 1;
	return 0;
}

/* ps start's strings of each kind in order, read before the text is packed. */
static const char *start_args[PROTO_PS_MAX_ARGS + 1], *start_envs[PROTO_PS_MAX_ARGS + 1];

enum start_word { WORD_CMD, WORD_ENV, WORD_USER, WORD_END_OPTS, WORD_BAD };

/* What argv[*i] is while options are still read: the "--" that ends them,
 * an -e or --user value (in *value, *i past it when it is the next word),
 * a word of the command, or an error (in err). have_cmd: a command word
 * came. */
static enum start_word start_option(int argc, char **argv, int *i, int have_cmd, const char **value, char *err,
				    size_t n)
{
	const char *a = argv[*i];
	int user = !strcmp(a, "--user");

	if (!strcmp(a, "--"))
		return WORD_END_OPTS;
	if (user || !strcmp(a, "-e") || !strcmp(a, "--env")) {
		if (*i + 1 == argc) {
			snprintf(err, n, "%s needs %s", a, user ? "NAME or UID" : "KEY=VALUE");
			return WORD_BAD;
		}
		*value = argv[++*i];
		return user ? WORD_USER : WORD_ENV;
	}
	if (!strncmp(a, "--env=", 6) || !strncmp(a, "--user=", 7)) {
		*value = strchr(a, '=') + 1;
		return a[2] == 'u' ? WORD_USER : WORD_ENV;
	}
	if (!have_cmd && a[0] == '-' && a[1]) {
		snprintf(err, n,
			 "unknown option before the command: %s (use -- before a command "
			 "that starts with -)",
			 a);
		return WORD_BAD;
	}
	return WORD_CMD;
}

/* The -e value env, or else the command word a, kept in order; *bytes
 * adds its size with the NUL. Returns 0, or 2 with err. */
static int keep_start_word(struct ps_start_req *r, const char *a, const char *env, size_t *bytes, char *err,
			   size_t n)
{
	if (env && !env_ok(env, err, n))
		return 2;
	if ((env ? r->envc : r->argc) == PROTO_PS_MAX_ARGS) {
		snprintf(err, n, "too many %s (at most %d)", env ? "-e variables" : "arguments",
			 PROTO_PS_MAX_ARGS);
		return 2;
	}
	if (env)
		start_envs[r->envc++] = env;
	else
		start_args[r->argc++] = a;
	*bytes += strlen(env ? env : a) + 1;
	return 0;
}

/* A request init can take: a non-empty command, and text that fits.
 * Returns 0, or 2 with err. */
static int check_start(const struct ps_start_req *r, size_t bytes, char *err, size_t n)
{
	if (!r->argc) {
		snprintf(err, n, "needs a COMMAND");
		return 2;
	}
	if (!start_args[0][0]) {
		snprintf(err, n, "the command must not be empty");
		return 2;
	}
	if (bytes > PROTO_TEXT_SIZE) {
		snprintf(err, n, "command line and environment too long: %zu bytes, at most %d", bytes,
			 PROTO_TEXT_SIZE);
		return 2;
	}
	return 0;
}

/* The arguments, then the variables, each with its NUL, into r->text. */
static void pack_start_text(struct ps_start_req *r)
{
	size_t len, off = 0;
	uint32_t k;

	for (k = 0; k < r->argc + r->envc; k++) {
		const char *s = k < r->argc ? start_args[k] : start_envs[k - r->argc];
		len = strlen(s) + 1;
		memcpy(r->text + off, s, len);
		off += len;
	}
	r->len = (uint32_t)off;
}

int ps_pack_start(int argc, char **argv, struct ps_start_req *r, char *err, size_t n)
{
	size_t bytes = 0;
	int options = 1, i;

	memset(r, 0, sizeof *r);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *env = 0;
		enum start_word w = options ? start_option(argc, argv, &i, r->argc != 0, &env, err, n) : WORD_CMD;

		if (w == WORD_BAD)
			return 2;
		if (w == WORD_END_OPTS) {
			options = 0;
			continue;
		}
		if (w == WORD_USER) {
			/* What the name field carries (proto.h): init looks it up. */
			if (!proto_name_ok(env)) {
				snprintf(err, n, "--user '%s' is not a user name or numeric id", env);
				return 2;
			}
			snprintf(r->user, sizeof r->user, "%s", env);
			continue;
		}
		if (keep_start_word(r, a, env, &bytes, err, n))
			return 2;
	}
	if (check_start(r, bytes, err, n))
		return 2;
	pack_start_text(r);
	return 0;
}

/* --- printing --------------------------------------------------------- */

/* The manual's columns: PID 8, PPID 8, STATE 12, CPU% 6, MEM 8, MANAGED 10,
 * SERVICE 10, one space after each, then COMMAND. */
#define ROW_FMT "%-8s %-8s %-12s %-6s %-8s %-10s %-10s %s\n"

void ps_print_header(FILE *out)
{
	fprintf(out, ROW_FMT, "PID", "PPID", "STATE", "CPU%", "MEM", "MANAGED", "SERVICE", "COMMAND");
	fprintf(out, "%.100s\n",
		"----------------------------------------------------------------------"
		"------------------------------");
}

void ps_print_row(FILE *out, const struct proto_ps *p)
{
	char pid[16], ppid[16], cpu[16], mem[32];
	char shown[4 * PS_CMD_COLUMN + 4];

	snprintf(pid, sizeof pid, "%u", p->pid);
	snprintf(ppid, sizeof ppid, "%u", p->ppid);
	ps_fmt_cpu(p->cpu_x100, cpu, sizeof cpu);
	ps_fmt_mem(p->rss_kb, mem, sizeof mem);
	ps_clean(p->cmd, PS_CMD_COLUMN, PS_CMD_KEEP, shown, sizeof shown);
	fprintf(out, ROW_FMT, pid, ppid, words_ps_state(p->state, 1), cpu, mem, p->managed ? "yes" : "no",
		p->name[0] ? p->name : "-", shown);
}

/* How an ad-hoc process that init has reaped ended. */
static void ended_state(const struct proto_ps *p, char *buf, size_t n)
{
	const char *name = signame((int)p->exit_code);

	if (p->exit_kind == PROTO_EXIT_SIGNAL && name)
		snprintf(buf, n, "Killed (signal %u: SIG%s)", p->exit_code, name);
	else if (p->exit_kind == PROTO_EXIT_SIGNAL)
		snprintf(buf, n, "Killed (signal %u)", p->exit_code);
	else if (p->exit_kind == PROTO_EXIT_CODE)
		snprintf(buf, n, "Exited (code %u)", p->exit_code);
	else
		snprintf(buf, n, "Ended");
}

void ps_print_status(FILE *out, const struct proto_ps *p, const char *cmdline)
{
	static char cmd[16384];
	char num[32], state[64];
	int ended = !p->state;

	fprintf(out, "Process: %u\n", p->pid);
	if (ended) {
		/* Reaped: init remembers how it ended and its command, nothing of
		 * what /proc said (name, parent, CPU, memory, start time). */
		ended_state(p, state, sizeof state);
		fprintf(out, "  State: %s\n", state);
	} else {
		ps_clean(p->comm, 0, 0, num, sizeof num);
		fprintf(out, "  Name: %s\n", num);
		fprintf(out, "  Parent PID: %u\n", p->ppid);
		fprintf(out, "  State: %s\n", words_ps_state(p->state, 0));
	}
	ps_clean(cmdline, 0, 0, cmd, sizeof cmd);
	fprintf(out, "  Command: %s\n", cmd);
	if (!ended) {
		ps_fmt_cpu(p->cpu_x100, num, sizeof num);
		fprintf(out, "  CPU: %s%%\n", num);
		ps_fmt_mem(p->rss_kb, num, sizeof num);
		fprintf(out, "  Memory: %s\n", num);
		fprintf(out, "  Start Time: %llu\n", (unsigned long long)p->start);
	}
	fprintf(out, "  Managed by Init: %s\n", p->managed ? "yes" : "no");
	if (p->managed)
		fprintf(out, "  Service: %s\n", p->name);
}

/* --- the commands ----------------------------------------------------- */

void ps_usage(FILE *f)
{
	fprintf(f,
		"  ps list [--json]    every process: PID, PPID, STATE, CPU%%, MEM, MANAGED, SERVICE,\n"
		"                      COMMAND (cut to 33 characters)\n"
		"  ps status PID [--json]  one process in detail, with its whole command line\n"
		"  ps start|run COMMAND [ARGS...] [-e|--env KEY=VALUE]... [--user NAME|UID] [--]\n"
		"                      start an ad-hoc process (not a service: never restarted; at\n"
		"                      most %d at once), its output in adhoc-PID.log in init's log\n"
		"                      directory; as root unless --user says (its groups from the\n"
		"                      image's /etc/group); -e and --user anywhere are options,\n"
		"                      after -- every word is the command's\n",
		CFG_MAX_ADHOC);
	fputs("  ps stop PID         send SIGTERM to a process\n"
	      "  ps kill PID [-s|--signal N|NAME]\n"
	      "                      send a signal (default 15; 1 to 64, KILL, SIGHUP, ...)\n"
	      "  ps restart PID      restart the service whose main process PID is\n",
	      f);
}

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "initctl: ps%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "", msg);
	return 2;
}

/* ps list: the header comes with the first row (or after an empty, but
 * successful, reply), so a failed connection prints only the error; with
 * --json, the document {"processes": [...]} is opened the same way. */
struct list_view {
	int header;
	int json;
	struct json j;
};

static void list_begin(struct list_view *l)
{
	if (l->header)
		return;
	l->header = 1;
	if (!l->json) {
		ps_print_header(stdout);
		return;
	}
	json_begin(&l->j, stdout);
	json_object_open(&l->j);
	json_key(&l->j, "processes");
	json_array_open(&l->j);
}

static int list_record(const unsigned char *f, void *ctx)
{
	struct list_view *l = ctx;
	struct proto_ps p;

	if (proto_unpack_ps(f, &p) < 0)
		return 0;
	list_begin(l);
	if (l->json)
		json_view_ps(&l->j, &p, 0);
	else
		ps_print_row(stdout, &p);
	return 0;
}

static int ps_list(const struct client_target *t, int argc, int json)
{
	static struct list_view l;
	struct proto_req rq = { PROTO_OP_PS_LIST };
	struct client_result res;

	if (argc > 1)
		return usage_error("list", "takes no arguments");
	memset(&l, 0, sizeof l);
	l.json = json;
	if (client_call(t, &rq, list_record, &l, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return out_failed(res.status, res.msg);
	}
	list_begin(&l);
	if (json) {
		json_array_close(&l.j);
		json_object_close(&l.j);
		json_end(&l.j);
	}
	return 0;
}

/* Takes the word --json out of argv[1..] (list and status only: after ps
 * start, every word is the command's); returns whether it was there. */
static int take_json(int *argc, char **argv)
{
	int i, k, found = 0;

	for (i = k = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--json"))
			found = 1;
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	return found;
}

struct status_view {
	int have;
	struct proto_ps rec;
	char cmdline[16384];
	size_t len;
};

static int status_record(const unsigned char *f, void *ctx)
{
	struct status_view *v = ctx;
	struct proto_text t;
	size_t n;

	if (proto_unpack_ps(f, &v->rec) == 0) {
		v->have = 1;
	} else if (proto_unpack_text(f, &t) == 0 && t.key == PROTO_KEY_CMDLINE) {
		n = t.len;
		if (n > sizeof v->cmdline - 1 - v->len)
			n = sizeof v->cmdline - 1 - v->len;
		memcpy(v->cmdline + v->len, t.text, n);
		v->len += n;
		v->cmdline[v->len] = 0;
	}
	return 0;
}

/* The one PID of stop, restart, status, kill: returns 0 or 2. */
static int take_pid(const char *cmd, const char *a, int *have, int32_t *pid)
{
	char msg[160];

	if (*have) {
		snprintf(msg, sizeof msg, "takes one PID, not '%s' as well%s", a,
			 !strcmp(cmd, "kill") ? " (a signal goes with -s, e.g. -s 9)" : "");
		return usage_error(cmd, msg);
	}
	if (ps_parse_pid(a, pid) < 0) {
		snprintf(msg, sizeof msg, "'%.100s' is not a PID (a decimal number)", a);
		return usage_error(cmd, msg);
	}
	*have = 1;
	return 0;
}

/* PID [-s|--signal N|NAME] in any order (kill only). A word that is a
 * number, negative or not, is the PID: `ps kill -1` reaches init, which
 * says why it refuses. Returns 0 or 2. */
static int parse_pid_args(const char *cmd, int argc, char **argv, struct proto_req *rq)
{
	int kill = !strcmp(cmd, "kill"), have = 0, i, sig;
	int32_t pid = 0;
	char msg[160];

	rq->signal = kill ? 15 : 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = 0;

		if (kill && (!strcmp(a, "-s") || !strcmp(a, "--signal")))
			v = i + 1 < argc ? argv[++i] : "";
		else if (kill && !strncmp(a, "--signal=", 9))
			v = a + 9;
		if (v) {
			if (!*v)
				return usage_error(cmd, "-s needs a signal: 1 to 64, or a name such as KILL");
			if (!(sig = signum(v))) {
				snprintf(msg, sizeof msg,
					 "'%.60s' is not a signal: 1 to 64, or a name such as "
					 "KILL, SIGHUP, term",
					 v);
				return usage_error(cmd, msg);
			}
			rq->signal = (uint32_t)sig;
		} else if (a[0] == '-' && (a[1] < '0' || a[1] > '9')) {
			snprintf(msg, sizeof msg, "unknown option: %.60s", a);
			return usage_error(cmd, msg);
		} else if (take_pid(cmd, a, &have, &pid)) {
			return 2;
		}
	}
	if (!have)
		return usage_error(cmd, "needs a PID");
	rq->pid = pid;
	return 0;
}

static int ps_start(const struct client_target *t, const char *cmd, int argc, char **argv);

static const struct {
	const char *name;
	unsigned op;
} pid_commands[] = {
	{ "status", PROTO_OP_PS_STATUS },
	{ "stop", PROTO_OP_PS_STOP },
	{ "kill", PROTO_OP_PS_KILL },
	{ "restart", PROTO_OP_PS_RESTART },
};

int ps_command(const struct client_target *t, int argc, char **argv)
{
	static struct status_view view;
	struct client_result res;
	struct proto_req rq = { 0 };
	int json = 0;
	size_t k;

	if (!argc)
		return usage_error(0, "needs a command: list, status, start, run, stop, kill, restart");
	if (!strcmp(argv[0], "start") || !strcmp(argv[0], "run"))
		return ps_start(t, argv[0], argc - 1, argv + 1);
	if (!strcmp(argv[0], "list") || !strcmp(argv[0], "status"))
		json = take_json(&argc, argv);
	if (!strcmp(argv[0], "list"))
		return ps_list(t, argc, json);
	for (k = 0; k < sizeof pid_commands / sizeof pid_commands[0]; k++)
		if (!strcmp(argv[0], pid_commands[k].name))
			break;
	if (k == sizeof pid_commands / sizeof pid_commands[0]) {
		char msg[128];
		snprintf(msg, sizeof msg,
			 "unknown command '%.40s' (list, status, start, run, stop, kill, "
			 "restart)",
			 argv[0]);
		return usage_error(0, msg);
	}
	rq.op = pid_commands[k].op;
	memset(&view, 0, sizeof view);
	if (parse_pid_args(argv[0], argc - 1, argv + 1, &rq))
		return 2;
	if (client_call(t, &rq, rq.op == PROTO_OP_PS_STATUS ? status_record : 0, &view, &res) < 0 ||
	    res.status != PROTO_OK)
		return out_failed(res.status, res.msg);
	if (rq.op != PROTO_OP_PS_STATUS) {
		out_ok(res.msg);
		return 0;
	}
	if (!view.have)
		return out_error("init sent no process record");
	if (json) {
		struct json j;
		json_begin(&j, stdout);
		json_view_ps(&j, &view.rec, view.cmdline);
		json_end(&j);
		return 0;
	}
	ps_print_status(stdout, &view.rec, view.cmdline);
	return 0;
}

static int ps_start(const struct client_target *t, const char *cmd, int argc, char **argv)
{
	static struct ps_start_req r;
	struct proto_req rq = { PROTO_OP_PS_START };
	struct client_result res;
	char err[256];

	if (ps_pack_start(argc, argv, &r, err, sizeof err))
		return usage_error(cmd, err);
	rq.name = r.user; /* "": root */
	rq.argc = r.argc;
	rq.envc = r.envc;
	rq.len = r.len;
	rq.text = r.text;
	if (client_call(t, &rq, 0, 0, &res) < 0 || res.status != PROTO_OK)
		return out_failed(res.status, res.msg);
	out_ok(res.msg);
	return 0;
}
