/* metrics.c: the Prometheus text format of init's numbers (see
 * metrics.h). Tables of metrics, one row each (the name, its type and
 * help), and beside each a function that reads their values from a record
 * in the same order. */
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
			buf[o++] = (char)(*s == '\n' ? 'n' : *s);
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = 0;
}

/* --- init's own -------------------------------------------------------- */

struct metric {
	const char *name;
	enum kind kind;
	const char *help;
};

/* In the order of sys_values() below. */
static const struct metric sys_metrics[] = {
	{ "uptime_seconds", GAUGE, "Seconds since init started." },
	{ "boot_time_seconds", GAUGE, "When init started, in seconds since the epoch." },
	{ "resident_memory_bytes", GAUGE, "init's resident memory (VmRSS) in bytes." },
	{ "open_fds", GAUGE, "init's open file descriptors." },
	{ "control_clients", GAUGE, "Control connections open now." },
	{ "processes", GAUGE, "Processes in the enclave." },
	{ "services", GAUGE, "Services configured." },
	{ "requests_total", COUNTER, "Control requests answered since init started." },
	{ "notify_accepted_total", COUNTER, "sd_notify datagrams taken." },
	{ "notify_rejected_total", COUNTER, "sd_notify datagrams ignored (a stranger's, or malformed)." },
	{ "health_checks_total", COUNTER, "Health checks run." },
	{ "events_total", COUNTER, "Events recorded (initctl events)." },
	{ "restarts_total", COUNTER, "Automatic restarts of all services." },
	{ "enclave_health", GAUGE,
	  "The enclave's health: 1 starting, 2 healthy, 3 degraded, 4 unhealthy, 5 stopping (0 unknown)." },
	{ "entropy_state", GAUGE,
	  "Whether the boot's services waited for the random pool: 1 waiting, 2 ready, 3 gave up, 4 refused "
	  "(entropy.require_hwrng), 0 unknown." },
	{ "clock_state", GAUGE,
	  "The clock's source, its last attempt: 1 off, 2 waiting, 3 synced, 4 bounded, 5 unreachable, 6 "
	  "rejected, "
	  "7 failed (0 unknown)." },
	{ "clock_adjustments_total", COUNTER, "Steps and slews of the wall clock made from the clock's source." },
	{ "clock_refused_total", COUNTER,
	  "Answers of the clock's source refused (malformed, late, wrong nonce)." },
	{ "clock_last_sync_seconds", GAUGE,
	  "When the last sample was taken, in seconds since the epoch (0 never)." },
};
#define NSYS (sizeof sys_metrics / sizeof sys_metrics[0])

static void sys_values(const struct proto_system *s, uint64_t v[NSYS])
{
	const uint64_t x[] = {
		s->uptime,
		s->boot_time,
		s->rss_kb * 1024,
		s->fds,
		s->clients,
		s->processes,
		s->services,
		s->requests,
		s->notify_accepted,
		s->notify_rejected,
		s->health_checks,
		s->events ? s->events - 1 : 0, /* the record holds the next sequence number; they start at 1 */
		s->restarts,
		s->health,
		s->entropy,
		s->clock,
		s->clock_adjustments,
		s->clock_refused,
		s->clock_last_sync,
	};

	_Static_assert(sizeof x / sizeof x[0] == NSYS, "a value for each of sys_metrics");
	memcpy(v, x, sizeof x);
}

/* --- per service ------------------------------------------------------- */

/* In the order of svc_values() below. */
static const struct metric svc_metrics[] = {
	{ "service_up", GAUGE, "1 when the service is active." },
	{ "service_enabled", GAUGE, "1 when the service starts at boot." },
	{ "service_ready", GAUGE, "1 when the service is running and ready (READY=1, a passing check, or exec)." },
	{ "service_health", GAUGE, "The service's health check: 0 none, 1 starting, 2 healthy, 3 unhealthy." },
	{ "service_health_failures", GAUGE, "Failed health checks in a row." },
	{ "service_restarts_total", COUNTER, "Automatic restarts of the service." },
	{ "service_last_exit_code", GAUGE, "Exit status of the service's last run (128 + signal when killed)." },
	{ "service_start_time_seconds", GAUGE, "When the service last started, in seconds since the epoch." },
	{ "service_log_bytes_total", COUNTER, "Bytes the service wrote to its log since init started." },
	{ "service_log_lines_total", COUNTER, "Lines the service wrote to its log since init started." },
	{ "service_log_dropped_lines_total", COUNTER, "Log lines that did not reach the log file." },
	{ "service_memory_bytes", GAUGE, "Memory the service's cgroup uses (memory.current)." },
	{ "service_tasks", GAUGE, "Tasks (threads) in the service's cgroup." },
};
#define NSVC (sizeof svc_metrics / sizeof svc_metrics[0])

/* A service's values, and whether it has each: no sample for an exit
 * code before the first exit, nor for a start time before the first
 * start. */
static void svc_values(const struct proto_svc *s, uint64_t v[NSVC], int has[NSVC])
{
	const uint64_t x[] = {
		!strcmp(words_active(s), "active"),
		s->enabled,
		s->ready,
		s->health,
		s->health_failures,
		s->restarts,
		s->exit_code,
		s->start_time,
		s->log_bytes,
		s->log_lines,
		s->log_dropped,
		s->memory_bytes,
		s->tasks,
	};
	/* The cgroup's samples only where it has one and the counter is known. */
	const int h[] = { 1,
			  1,
			  1,
			  1,
			  1,
			  1,
			  s->exit_kind != PROTO_EXIT_NONE,
			  s->start_time != 0,
			  1,
			  1,
			  1,
			  (s->cgroup & PROTO_CG_MEMORY) != 0,
			  (s->cgroup & PROTO_CG_TASKS) != 0 };

	_Static_assert(sizeof x / sizeof x[0] == NSVC, "a value for each of svc_metrics");
	_Static_assert(sizeof h / sizeof h[0] == NSVC, "a yes or no for each of svc_metrics");
	memcpy(v, x, sizeof x);
	memcpy(has, h, sizeof h);
}

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

/* A number of microseconds as seconds with six decimals. */
static void micro(FILE *out, const char *name, int64_t us)
{
	unsigned long long mag = (unsigned long long)(us < 0 ? -us : us);

	fprintf(out, PREFIX "%s %s%llu.%06llu\n", name, us < 0 ? "-" : "", mag / 1000000, mag % 1000000);
}

/* The clock's numbers in seconds with fractions: the last sample's offset
 * and round trip (no sample before the first), and the adjustments' sizes. */
static void clock_seconds(FILE *out, const struct proto_system *s)
{
	family(out, "clock_offset_seconds", GAUGE,
	       "The last sample's offset: the clock's source less the wall clock (+ the source is ahead).");
	if (s->clock_last_sync)
		micro(out, "clock_offset_seconds", s->clock_offset_us);
	family(out, "clock_rtt_seconds", GAUGE, "The round trip of the last sample of the clock's source.");
	if (s->clock_last_sync)
		micro(out, "clock_rtt_seconds", s->clock_rtt_us);
	family(out, "clock_adjusted_seconds_total", COUNTER,
	       "The sizes of the wall clock's adjustments from the clock's source, added up (absolute).");
	micro(out, "clock_adjusted_seconds_total", (int64_t)s->clock_adjusted_us);
}

/* service_cpu_seconds_total: microseconds as seconds, the one family
 * that is not a whole number. */
static void cpu_family(FILE *out, const struct proto_svc *v, size_t n)
{
	char name[2 * PROTO_NAME_SIZE];
	size_t i;

	family(out, "service_cpu_seconds_total", COUNTER,
	       "CPU time the service's cgroup used (cpu.stat usage_usec).");
	for (i = 0; i < n; i++) {
		if (!(v[i].cgroup & PROTO_CG_CPU))
			continue;
		metrics_escape(v[i].name, name, sizeof name);
		fprintf(out, PREFIX "service_cpu_seconds_total{service=\"%s\"} %llu.%06llu\n", name,
			(unsigned long long)(v[i].cpu_usec / 1000000),
			(unsigned long long)(v[i].cpu_usec % 1000000));
	}
}

void metrics_print(FILE *out, const struct proto_system *s, const struct proto_svc *v, size_t n)
{
	char name[2 * PROTO_NAME_SIZE];
	uint64_t x[NSYS > NSVC ? NSYS : NSVC];
	int has[NSVC];
	size_t k, i;

	sys_values(s, x);
	for (k = 0; k < NSYS; k++) {
		family(out, sys_metrics[k].name, sys_metrics[k].kind, sys_metrics[k].help);
		fprintf(out, PREFIX "%s %llu\n", sys_metrics[k].name, (unsigned long long)x[k]);
	}
	clock_seconds(out, s);
	for (k = 0; k < NSVC; k++) {
		family(out, svc_metrics[k].name, svc_metrics[k].kind, svc_metrics[k].help);
		for (i = 0; i < n; i++) {
			svc_values(&v[i], x, has);
			if (!has[k])
				continue;
			metrics_escape(v[i].name, name, sizeof name);
			fprintf(out, PREFIX "%s{service=\"%s\"} %llu\n", svc_metrics[k].name, name,
				(unsigned long long)x[k]);
		}
	}
	state_family(out, v, n);
	cpu_family(out, v, n);
}
