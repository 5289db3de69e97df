/* initctl_show.c: the plain commands' replies, printed.
 *
 * list, status and system-status print manual 002's table and blocks so
 * that its scripts work as written (`grep "Status: active"`,
 * `grep "PID:" | awk '{print $2}'`); every other plain command prints
 * init's message after "✓". Nothing is printed before the reply has come:
 * a failed connection prints only the error (list_table.c keeps the rows
 * until the reply is complete).
 */
#include <stdio.h>
#include <string.h>

#include "initctl_show.h"
#include "json_view.h"
#include "list_table.h"
#include "out.h"
#include "signames.h"
#include "words.h"

/* A status reply: its SVC record and the texts that follow it. */
struct svc_view {
	struct proto_svc svc;
	char text[PROTO_KEY_MAX + 1][8192];
};

/* Text records of one key arrive in order and are joined. */
static void read_text(const struct proto_text *t, struct svc_view *v)
{
	size_t have;

	if (t->key > PROTO_KEY_MAX)
		return; /* a newer init's key: nothing to show for it */
	have = strlen(v->text[t->key]);
	snprintf(v->text[t->key] + have, sizeof v->text[t->key] - have, "%s", t->text);
}

/* Rows are kept by list_table.c and printed once the reply is complete:
 * a failed connection prints only the error. */
static int list_row(const unsigned char *f, void *ctx)
{
	struct proto_svc v;

	(void)ctx;
	if (proto_unpack_svc(f, &v) < 0)
		return 0;
	list_table_row(v.name, v.enabled ? "enabled" : "disabled", words_active(&v), words_restart(v.restart),
		       v.restarts);
	return 0;
}

static int status_record(const unsigned char *f, void *ctx)
{
	struct svc_view *v = ctx;
	struct proto_text t;

	if (proto_unpack_svc(f, &v->svc) < 0 && proto_unpack_text(f, &t) == 0)
		read_text(&t, v);
	return 0;
}

static void exit_text(const struct proto_svc *v, char *buf, size_t n)
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

/* The Status: line, systemd's words ("active (running)"). */
static void print_status_line(const struct svc_view *view, const char *how)
{
	const struct proto_svc *v = &view->svc;

	switch (v->state) {
	case PROTO_STATE_RUNNING: printf("  Status: active (running)\n"); break;
	case PROTO_STATE_STARTING: printf("  Status: activating (start)\n"); break;
	case PROTO_STATE_STOPPING: printf("  Status: deactivating (stop-sigterm)\n"); break;
	case PROTO_STATE_RESTART_WAIT: printf("  Status: activating (auto-restart)\n"); break;
	case PROTO_STATE_FAILED: printf("  Status: failed (%s)\n", failure_word(view, how)); break;
	case PROTO_STATE_WAITING: printf("  Status: activating (waiting for dependencies)\n"); break;
	case PROTO_STATE_EXITED:
		printf("  Status: %s\n", v->remain ? "active (exited)" : "inactive (dead)");
		break;
	default: printf("  Status: inactive (dead)\n"); break;
	}
}

/* Readiness and health, only for the services that have them: a simple
 * service without a check prints the manual's block unchanged. */
static void print_readiness(const struct svc_view *view)
{
	const struct proto_svc *v = &view->svc;

	if (v->type != PROTO_TYPE_SIMPLE)
		printf("  Type: %s\n", words_type(v->type));
	if (view->text[PROTO_KEY_NOTIFY_STATUS][0])
		printf("  Notify Status: %s\n", view->text[PROTO_KEY_NOTIFY_STATUS]);
	if (!words_has_check(v))
		return;
	printf("  Health: %s", words_health(v->health));
	if (v->health_failures)
		printf(" (%u failed check%s in a row)", v->health_failures, v->health_failures == 1 ? "" : "s");
	printf("\n");
	if (view->text[PROTO_KEY_HEALTH_CMD][0])
		printf("  Health Check: %s\n", view->text[PROTO_KEY_HEALTH_CMD]);
}

/* Its cgroup's use, as systemd shows it, and the limits that could not be
 * applied; nothing for a service without a cgroup (no cgroup v2, an
 * older init, or not running). */
static void print_cgroup(const struct proto_svc *v)
{
	char text[64];

	if (!(v->cgroup & PROTO_CG_CONTAINED))
		return;
	if (v->cgroup & PROTO_CG_TASKS)
		printf("  Tasks: %u\n", v->tasks);
	if (v->cgroup & PROTO_CG_MEMORY) {
		words_bytes(v->memory_bytes, text, sizeof text);
		printf("  Memory: %s\n", text);
	}
	if (v->cgroup & PROTO_CG_CPU) {
		words_cpu(v->cpu_usec, text, sizeof text);
		printf("  CPU: %s\n", text);
	}
	words_unapplied(v->cgroup, text, sizeof text);
	if (text[0])
		printf("  Limits Not Applied: %s\n", text);
}

static void print_status(const struct svc_view *view)
{
	const struct proto_svc *v = &view->svc;
	static const struct {
		int key;
		const char *label;
	} deps[] = {
		{ PROTO_KEY_AFTER, "After" },
		{ PROTO_KEY_REQUIRES, "Requires" },
		{ PROTO_KEY_BEFORE, "Before" },
		{ PROTO_KEY_REQUIRED_BY, "Required By" },
	};
	char how[64];
	size_t i;

	exit_text(v, how, sizeof how);
	printf("Service: %s\n", v->name);
	printf("  Enabled: %s\n", v->enabled ? "yes" : "no");
	print_status_line(view, how);
	printf("  State: %s\n", words_state(v->state, v->enabled));
	if (v->pid)
		printf("  PID: %u\n", v->pid);
	print_cgroup(v);
	print_readiness(view);
	printf("  Command: %s\n", view->text[PROTO_KEY_COMMAND]);
	if (view->text[PROTO_KEY_WORKDIR][0])
		printf("  Working Directory: %s\n", view->text[PROTO_KEY_WORKDIR]);
	printf("  Restart Policy: %s\n", words_restart(v->restart));
	printf("  Restart Delay: %us\n", v->restart_sec);
	printf("  Restart Count: %u\n", v->restarts);
	if (view->text[PROTO_KEY_THROTTLE][0])
		printf("  Restart Throttle: %s\n", view->text[PROTO_KEY_THROTTLE]);
	if (v->exit_kind == PROTO_EXIT_SIGNAL)
		printf("  Last Exit Code: %u (%s)\n", v->exit_code, how);
	else if (v->exit_kind == PROTO_EXIT_CODE)
		printf("  Last Exit Code: %u\n", v->exit_code);
	if (view->text[PROTO_KEY_REASON][0])
		printf("  Last Error: %s\n", view->text[PROTO_KEY_REASON]);
	if (v->log_dropped)
		printf("  Log lines dropped: %llu\n", (unsigned long long)v->log_dropped);
	for (i = 0; i < sizeof deps / sizeof deps[0]; i++)
		if (view->text[deps[i].key][0])
			printf("  %s: %s\n", deps[i].label, view->text[deps[i].key]);
}

/* The PROTO_REC_SYSTEM counts; the directories come as text records,
 * kept in a svc_view's texts by the same joining code. */
struct sys_view {
	struct proto_system sys;
	struct svc_view texts;
};

/* Static: a view holds PROTO_KEY_MAX + 1 texts of 8 KiB, too much for the stack. */
static struct svc_view view;
static struct sys_view sys;

static int system_record(const unsigned char *f, void *ctx)
{
	struct sys_view *s = ctx;
	struct proto_text t;

	if (proto_unpack_system(f, &s->sys) < 0 && proto_unpack_text(f, &t) == 0)
		read_text(&t, &s->texts);
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

/* "  Clock: synced from vsock:3:7300 (offset +0.312 ms, rtt 1.104 ms, 12
 * adjustments, 0 refused)": how the last attempt went, and its sample. */
static void print_clock(const struct proto_system *s)
{
	unsigned long long mag =
		(unsigned long long)(s->clock_offset_us < 0 ? -s->clock_offset_us : s->clock_offset_us);

	if (s->clock == PROTO_CLOCK_OFF) {
		printf("  Clock: off\n");
		return;
	}
	printf("  Clock: %s from %s", words_clock(s->clock), s->clock_source);
	if (!s->clock_last_sync) {
		printf(" (no sample yet, %u refused)\n", s->clock_refused);
		return;
	}
	printf(" (offset %c%llu.%03llu ms, rtt %u.%03u ms, %u adjustments, %u refused)\n",
	       s->clock_offset_us < 0 ? '-' : '+', mag / 1000, mag % 1000, s->clock_rtt_us / 1000,
	       s->clock_rtt_us % 1000, s->clock_adjustments, s->clock_refused);
}

static void print_system(const struct sys_view *s)
{
	printf("System Status\n  Uptime: ");
	print_uptime(s->sys.uptime);
	printf("  Services: %u total, %u enabled, %u active\n", s->sys.services, s->sys.enabled, s->sys.active);
	printf("  Processes: %u total\n", s->sys.processes);
	printf("  Service Directory: %s\n", s->texts.text[PROTO_KEY_SERVICE_DIR]);
	printf("  Log Directory: %s\n", s->texts.text[PROTO_KEY_LOG_DIR]);
	if (s->sys.entropy) /* an older init does not say */
		printf("  Entropy: %s (services waited %u ms), hardware RNG %s\n", words_entropy(s->sys.entropy),
		       s->sys.entropy_wait_ms, s->sys.hwrng[0] ? s->sys.hwrng : "none");
	if (s->sys.clock) /* an older init does not say */
		print_clock(&s->sys);
}

/* The texts of a view as json_view.h takes them. */
static const char *const *texts(const struct svc_view *v)
{
	static const char *p[PROTO_KEY_MAX + 1];
	int k;

	for (k = 0; k <= PROTO_KEY_MAX; k++)
		p[k] = v->text[k];
	return p;
}

/* list --json: {"services": [...]}, opened with the first row (or at the
 * end), so a failed connection prints only the error. */
struct list_json {
	struct json j;
	int open;
};

static void list_json_open(struct list_json *l)
{
	if (l->open)
		return;
	json_begin(&l->j, stdout);
	json_object_open(&l->j);
	json_key(&l->j, "services");
	json_array_open(&l->j);
	l->open = 1;
}

static int list_json_row(const unsigned char *f, void *ctx)
{
	struct list_json *l = ctx;
	struct proto_svc v;

	if (proto_unpack_svc(f, &v) < 0)
		return 0;
	list_json_open(l);
	json_view_svc(&l->j, &v, 0);
	return 0;
}

/* What status exits with: 0 while the service is active, 3 (systemctl's
 * "program is not running") otherwise. */
static int status_exit(const struct proto_svc *v)
{
	return strcmp(words_active(v), "active") ? OUT_EXIT_NOT_RUNNING : 0;
}

/* The reply of a read command, as one JSON document. */
static int print_json(const struct proto_req *rq, struct list_json *l, const struct client_result *res)
{
	struct json j;

	json_begin(&j, stdout);
	switch (rq->op) {
	case PROTO_OP_LIST:
		list_json_open(l);
		json_array_close(&l->j);
		json_object_close(&l->j);
		json_end(&l->j);
		return 0;
	case PROTO_OP_STATUS:
		json_view_svc(&j, &view.svc, texts(&view));
		json_end(&j);
		return status_exit(&view.svc);
	case PROTO_OP_SYSTEM_STATUS:
		json_view_system(&j, &sys.sys, texts(&sys.texts));
		json_end(&j);
		return 0;
	}
	json_object_open(&j);
	json_kbool(&j, "ok", 1);
	json_kstring(&j, "message", res->msg);
	json_object_close(&j);
	json_end(&j);
	return 0;
}

int show_command(const struct client_target *t, struct proto_req rq, int json)
{
	static struct list_json list;
	struct client_result res;
	client_record_fn *fn = 0;
	void *ctx = 0;

	memset(&view, 0, sizeof view);
	memset(&sys, 0, sizeof sys);
	memset(&list, 0, sizeof list);
	if (rq.op == PROTO_OP_LIST && json) {
		fn = list_json_row;
		ctx = &list;
	} else if (rq.op == PROTO_OP_LIST) {
		fn = list_row;
		list_table_begin(stdout);
	} else if (rq.op == PROTO_OP_STATUS) {
		fn = status_record;
		ctx = &view;
	} else if (rq.op == PROTO_OP_SYSTEM_STATUS) {
		fn = system_record;
		ctx = &sys;
	}
	if (client_call(t, &rq, fn, ctx, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return out_failed(res.status, res.msg);
	}
	if (json)
		return print_json(&rq, &list, &res);
	if (rq.op == PROTO_OP_LIST) {
		list_table_end();
	} else if (rq.op == PROTO_OP_STATUS) {
		print_status(&view);
		return status_exit(&view.svc);
	} else if (rq.op == PROTO_OP_SYSTEM_STATUS) {
		print_system(&sys);
	} else {
		out_ok(res.msg);
	}
	return 0;
}
