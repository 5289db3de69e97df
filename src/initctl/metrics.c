/* metrics.c: the Prometheus text format of init's numbers (see
 * metrics.h). Tables of metrics, one row each: the name, its type and
 * help, and how to read it from a record. */
#include <string.h>

#include "metrics.h"
#include "words.h"

#define PREFIX "enclave_init_"

enum kind { GAUGE, COUNTER };

static void family(FILE *out, const char *name, enum kind k, const char *help)
{
	fprintf(out, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name, help, name,
		k == COUNTER ? "counter" : "gauge");
}

void metrics_escape(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	if (!n)
		return;
	for (; *s && o + 2 < n; s++) {
		if (*s == '\\' || *s == '"' || *s == '\n') {
			buf[o++] = '\\';
			buf[o++] = *s == '\n' ? 'n' : *s;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = 0;
}

/* --- init's own -------------------------------------------------------- */

struct sys_metric {
	const char *name;
	enum kind kind;
	const char *help;
	uint64_t (*get)(const struct proto_system *s);
};

static uint64_t uptime(const struct proto_system *s)
{
	return s->uptime;
}
static uint64_t boot_time(const struct proto_system *s)
{
	return s->boot_time;
}
static uint64_t rss_bytes(const struct proto_system *s)
{
	return s->rss_kb * 1024;
}
static uint64_t fds(const struct proto_system *s)
{
	return s->fds;
}
static uint64_t clients(const struct proto_system *s)
{
	return s->clients;
}
static uint64_t processes(const struct proto_system *s)
{
	return s->processes;
}
static uint64_t services(const struct proto_system *s)
{
	return s->services;
}
static uint64_t requests(const struct proto_system *s)
{
	return s->requests;
}
static uint64_t notify_accepted(const struct proto_system *s)
{
	return s->notify_accepted;
}
static uint64_t notify_rejected(const struct proto_system *s)
{
	return s->notify_rejected;
}
static uint64_t health_checks(const struct proto_system *s)
{
	return s->health_checks;
}
/* The record holds the next sequence number; they start at 1. */
static uint64_t events(const struct proto_system *s)
{
	return s->events ? s->events - 1 : 0;
}
static uint64_t restarts(const struct proto_system *s)
{
	return s->restarts;
}
static uint64_t enclave_health(const struct proto_system *s)
{
	return s->health;
}

static const struct sys_metric sys_metrics[] = {
	{ "uptime_seconds", GAUGE, "Seconds since init started.", uptime },
	{ "boot_time_seconds", GAUGE, "When init started, in seconds since the epoch.", boot_time },
	{ "resident_memory_bytes", GAUGE, "init's resident memory (VmRSS) in bytes.", rss_bytes },
	{ "open_fds", GAUGE, "init's open file descriptors.", fds },
	{ "control_clients", GAUGE, "Control connections open now.", clients },
	{ "processes", GAUGE, "Processes in the enclave.", processes },
	{ "services", GAUGE, "Services configured.", services },
	{ "requests_total", COUNTER, "Control requests answered since init started.", requests },
	{ "notify_accepted_total", COUNTER, "sd_notify datagrams taken.", notify_accepted },
	{ "notify_rejected_total", COUNTER, "sd_notify datagrams ignored (a stranger's, or malformed).",
	  notify_rejected },
	{ "health_checks_total", COUNTER, "Health checks run.", health_checks },
	{ "events_total", COUNTER, "Events recorded (initctl events).", events },
	{ "restarts_total", COUNTER, "Automatic restarts of all services.", restarts },
	{ "enclave_health", GAUGE,
	  "The enclave's health: 1 starting, 2 healthy, 3 degraded, 4 unhealthy, 5 stopping (0 unknown).",
	  enclave_health },
};

/* --- per service ------------------------------------------------------- */

struct svc_metric {
	const char *name;
	enum kind kind;
	const char *help;
	/* The value; returns 0 when the service has none (never exited,
	 * never started): no sample then. */
	int (*get)(const struct proto_svc *v, uint64_t *x);
};

static int up(const struct proto_svc *v, uint64_t *x)
{
	*x = !strcmp(words_active(v), "active");
	return 1;
}
static int enabled(const struct proto_svc *v, uint64_t *x)
{
	*x = v->enabled;
	return 1;
}
static int ready(const struct proto_svc *v, uint64_t *x)
{
	*x = v->ready;
	return 1;
}
static int health(const struct proto_svc *v, uint64_t *x)
{
	*x = v->health;
	return 1;
}
static int health_failures(const struct proto_svc *v, uint64_t *x)
{
	*x = v->health_failures;
	return 1;
}
static int svc_restarts(const struct proto_svc *v, uint64_t *x)
{
	*x = v->restarts;
	return 1;
}
static int last_exit_code(const struct proto_svc *v, uint64_t *x)
{
	*x = v->exit_code;
	return v->exit_kind != PROTO_EXIT_NONE;
}
static int start_time(const struct proto_svc *v, uint64_t *x)
{
	*x = v->start_time;
	return v->start_time != 0;
}
static int log_bytes(const struct proto_svc *v, uint64_t *x)
{
	*x = v->log_bytes;
	return 1;
}
static int log_lines(const struct proto_svc *v, uint64_t *x)
{
	*x = v->log_lines;
	return 1;
}
static int log_dropped(const struct proto_svc *v, uint64_t *x)
{
	*x = v->log_dropped;
	return 1;
}

static const struct svc_metric svc_metrics[] = {
	{ "service_up", GAUGE, "1 when the service is active.", up },
	{ "service_enabled", GAUGE, "1 when the service starts at boot.", enabled },
	{ "service_ready", GAUGE, "1 when the service is running and ready (READY=1, a passing check, or exec).",
	  ready },
	{ "service_health", GAUGE, "The service's health check: 0 none, 1 starting, 2 healthy, 3 unhealthy.",
	  health },
	{ "service_health_failures", GAUGE, "Failed health checks in a row.", health_failures },
	{ "service_restarts_total", COUNTER, "Automatic restarts of the service.", svc_restarts },
	{ "service_last_exit_code", GAUGE, "Exit status of the service's last run (128 + signal when killed).",
	  last_exit_code },
	{ "service_start_time_seconds", GAUGE, "When the service last started, in seconds since the epoch.",
	  start_time },
	{ "service_log_bytes_total", COUNTER, "Bytes the service wrote to its log since init started.",
	  log_bytes },
	{ "service_log_lines_total", COUNTER, "Lines the service wrote to its log since init started.",
	  log_lines },
	{ "service_log_dropped_lines_total", COUNTER, "Log lines that did not reach the log file.", log_dropped },
};

/* service_state: one sample per state, 1 for the service's own. */
static void state_family(FILE *out, const struct proto_svc *v, size_t n)
{
	char name[2 * PROTO_NAME_SIZE];
	size_t i;
	unsigned st;

	family(out, "service_state", GAUGE, "1 for the state the service is in, 0 for the others.");
	for (i = 0; i < n; i++) {
		metrics_escape(v[i].name, name, sizeof name);
		for (st = 0; st < PROTO_NSTATES; st++)
			fprintf(out, PREFIX "service_state{service=\"%s\",state=\"%s\"} %d\n", name,
				words_state(st, 1), st == v[i].state);
	}
}

void metrics_print(FILE *out, const struct proto_system *s, const struct proto_svc *v, size_t n)
{
	char name[2 * PROTO_NAME_SIZE];
	size_t k, i;
	uint64_t x;

	for (k = 0; k < sizeof sys_metrics / sizeof sys_metrics[0]; k++) {
		family(out, sys_metrics[k].name, sys_metrics[k].kind, sys_metrics[k].help);
		fprintf(out, PREFIX "%s %llu\n", sys_metrics[k].name, (unsigned long long)sys_metrics[k].get(s));
	}
	for (k = 0; k < sizeof svc_metrics / sizeof svc_metrics[0]; k++) {
		family(out, svc_metrics[k].name, svc_metrics[k].kind, svc_metrics[k].help);
		for (i = 0; i < n; i++) {
			if (!svc_metrics[k].get(&v[i], &x))
				continue;
			metrics_escape(v[i].name, name, sizeof name);
			fprintf(out, PREFIX "%s{service=\"%s\"} %llu\n", svc_metrics[k].name, name,
				(unsigned long long)x);
		}
	}
	state_family(out, v, n);
}
