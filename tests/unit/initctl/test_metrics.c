/* initctl metrics: the Prometheus text format of a metrics reply, from
 * records built by hand (tests/unit/initctl/check_formats.py checks the
 * same output with promtool and Python's parser). */
#include <stdlib.h>

#include "harness.h"
#include "metrics.h"
#include "words.h"

static char *buf;
static size_t len;

static const char *print(const struct proto_system *s, const struct proto_svc *v, size_t n)
{
	FILE *out;

	free(buf);
	buf = 0;
	out = open_memstream(&buf, &len);
	metrics_print(out, s, v, n);
	fclose(out);
	return buf;
}

/* Whether line (a whole line) is in text. */
static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	fprintf(stderr, "    missing line: %s\n", line);
	return 0;
}

static const struct proto_system sys = {
	.uptime = 3600,
	.services = 2,
	.processes = 7,
	.health = PROTO_SYS_DEGRADED,
	.fds = 21,
	.clients = 1,
	.rss_kb = 560,
	.boot_time = 1796510400,
	.requests = 99,
	.notify_accepted = 5,
	.notify_rejected = 2,
	.health_checks = 40,
	.events = 13,
	.restarts = 3,
};

static struct proto_svc svc[2];

static void services(void)
{
	memset(svc, 0, sizeof svc);
	strcpy(svc[0].name, "web");
	svc[0].state = PROTO_STATE_RUNNING;
	svc[0].enabled = 1;
	svc[0].ready = 1;
	svc[0].health = PROTO_HEALTH_HEALTHY;
	svc[0].restarts = 2;
	svc[0].start_time = 1796510460;
	svc[0].log_bytes = 4096;
	svc[0].log_lines = 64;
	svc[0].exit_kind = PROTO_EXIT_SIGNAL;
	svc[0].exit_code = 137;
	svc[0].exit_signal = 9;
	strcpy(svc[1].name, "db");
	svc[1].state = PROTO_STATE_FAILED;
	svc[1].enabled = 1;
	svc[1].log_dropped = 3;
	svc[0].cgroup = PROTO_CG_CONTAINED | PROTO_CG_CPU | PROTO_CG_TASKS;
	svc[0].cpu_usec = 1035000;
	svc[0].tasks = 3;
	svc[0].memory_bytes = 999; /* not known (no PROTO_CG_MEMORY): no sample */
}

TEST(inits_own_metrics)
{
	const char *t = print(&sys, 0, 0);

	CHECK(has_line(t, "# HELP enclave_init_uptime_seconds Seconds since init started."));
	CHECK(has_line(t, "# TYPE enclave_init_uptime_seconds gauge"));
	CHECK(has_line(t, "enclave_init_uptime_seconds 3600"));
	CHECK(has_line(t, "enclave_init_boot_time_seconds 1796510400"));
	CHECK(has_line(t, "enclave_init_resident_memory_bytes 573440"));
	CHECK(has_line(t, "enclave_init_open_fds 21"));
	CHECK(has_line(t, "enclave_init_control_clients 1"));
	CHECK(has_line(t, "# TYPE enclave_init_requests_total counter"));
	CHECK(has_line(t, "enclave_init_requests_total 99"));
	CHECK(has_line(t, "enclave_init_notify_accepted_total 5"));
	CHECK(has_line(t, "enclave_init_notify_rejected_total 2"));
	CHECK(has_line(t, "enclave_init_health_checks_total 40"));
	CHECK(has_line(t, "enclave_init_events_total 12")); /* the next sequence number is 13 */
	CHECK(has_line(t, "enclave_init_restarts_total 3"));
	CHECK(has_line(t, "enclave_init_enclave_health 3"));
	/* No services: each family still has its HELP and TYPE, no samples. */
	CHECK(has_line(t, "# TYPE enclave_init_service_up gauge"));
	CHECK(!strstr(t, "service=\""));
}

TEST(per_service_metrics)
{
	const char *t;

	services();
	t = print(&sys, svc, 2);
	CHECK(has_line(t, "enclave_init_service_up{service=\"web\"} 1"));
	CHECK(has_line(t, "enclave_init_service_up{service=\"db\"} 0"));
	CHECK(has_line(t, "enclave_init_service_ready{service=\"web\"} 1"));
	CHECK(has_line(t, "enclave_init_service_health{service=\"web\"} 2"));
	CHECK(has_line(t, "enclave_init_service_health{service=\"db\"} 0"));
	CHECK(has_line(t, "# TYPE enclave_init_service_restarts_total counter"));
	CHECK(has_line(t, "enclave_init_service_restarts_total{service=\"web\"} 2"));
	CHECK(has_line(t, "enclave_init_service_last_exit_code{service=\"web\"} 137"));
	CHECK(!strstr(t, "enclave_init_service_last_exit_code{service=\"db\"}")); /* never exited */
	CHECK(has_line(t, "enclave_init_service_start_time_seconds{service=\"web\"} 1796510460"));
	CHECK(!strstr(t, "enclave_init_service_start_time_seconds{service=\"db\"}")); /* never started */
	CHECK(has_line(t, "enclave_init_service_log_bytes_total{service=\"web\"} 4096"));
	CHECK(has_line(t, "enclave_init_service_log_lines_total{service=\"web\"} 64"));
	CHECK(has_line(t, "enclave_init_service_log_dropped_lines_total{service=\"db\"} 3"));
	CHECK(has_line(t, "enclave_init_service_state{service=\"web\",state=\"running\"} 1"));
	CHECK(has_line(t, "enclave_init_service_state{service=\"web\",state=\"failed\"} 0"));
	CHECK(has_line(t, "enclave_init_service_state{service=\"db\",state=\"failed\"} 1"));
	CHECK(has_line(t, "enclave_init_service_state{service=\"db\",state=\"waiting to restart\"} 0"));
	/* The cgroup's: only where it has one, only what is known. */
	CHECK(has_line(t, "# TYPE enclave_init_service_cpu_seconds_total counter"));
	CHECK(has_line(t, "enclave_init_service_cpu_seconds_total{service=\"web\"} 1.035000"));
	CHECK(has_line(t, "enclave_init_service_tasks{service=\"web\"} 3"));
	CHECK(!strstr(t, "enclave_init_service_memory_bytes{"));
	CHECK(!strstr(t, "enclave_init_service_tasks{service=\"db\"}"));
	CHECK(!strstr(t, "enclave_init_service_cpu_seconds_total{service=\"db\"}"));
	svc[0].cgroup |= PROTO_CG_MEMORY;
	t = print(&sys, svc, 2);
	CHECK(has_line(t, "enclave_init_service_memory_bytes{service=\"web\"} 999"));
}

TEST(use_in_words)
{
	char b[64];

	words_bytes(512, b, sizeof b);
	CHECK_STR(b, "512B");
	words_bytes(1024, b, sizeof b);
	CHECK_STR(b, "1.0K");
	words_bytes(1258292, b, sizeof b); /* just over 1.2 MiB */
	CHECK_STR(b, "1.2M");
	words_bytes(1048575, b, sizeof b); /* rounded down, as systemd: not "1024.0K" */
	CHECK_STR(b, "1023.9K");
	words_bytes(5ULL << 40, b, sizeof b);
	CHECK_STR(b, "5.0T");
	words_cpu(35999, b, sizeof b);
	CHECK_STR(b, "35ms");
	words_cpu(1234567, b, sizeof b);
	CHECK_STR(b, "1.234s");
	words_cpu(123456789, b, sizeof b);
	CHECK_STR(b, "2min 3.456s");
	words_unapplied(PROTO_CG_CONTAINED | PROTO_CG_NO_MEMORY_MAX | PROTO_CG_NO_TASKS_MAX, b, sizeof b);
	CHECK_STR(b, "MemoryMax, TasksMax");
	words_unapplied(PROTO_CG_CONTAINED, b, sizeof b);
	CHECK_STR(b, "");
}

/* The format wants a family's samples together: each name's lines come
 * in one run, after its one HELP and TYPE. */
TEST(families_are_contiguous)
{
	const char *t, *a, *b, *c;

	services();
	t = print(&sys, svc, 2);
	a = strstr(t, "# TYPE enclave_init_service_up gauge");
	b = strstr(t, "enclave_init_service_up{service=\"db\"}");
	c = strstr(t, "# HELP enclave_init_service_enabled");
	CHECK(a && b && c && a < b && b < c);
	CHECK(strstr(a + 1, "# TYPE enclave_init_service_up ") == 0);
}

TEST(label_values_are_escaped)
{
	char e[64];

	metrics_escape("a\\b\"c\nd", e, sizeof e);
	CHECK_STR(e, "a\\\\b\\\"c\\nd");
	metrics_escape("plain-name_1.x@y", e, sizeof e);
	CHECK_STR(e, "plain-name_1.x@y");
	metrics_escape("\"\"\"\"", e, 6); /* cut on an escape's boundary */
	CHECK_STR(e, "\\\"\\\"");
}

RUN_TESTS("metrics", T(inits_own_metrics), T(per_service_metrics), T(families_are_contiguous),
	  T(label_values_are_escaped), T(use_in_words))
