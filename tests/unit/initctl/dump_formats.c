/* dump_formats: writes initctl's JSON and metrics for records built by
 * hand (odd names, an attestation document, every state and event kind, bytes that are not UTF-8)
 * into the directory given, for check_formats.py to read with Python's
 * json module, prometheus_client's parser and promtool. */
#include <stdio.h>
#include <string.h>

#include "json_view.h"
#include "logjson.h"
#include "metrics.h"

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return fopen(path, "w");
}

static struct proto_svc svc[PROTO_NSTATES * 2];

static void services(void)
{
	unsigned k;

	for (k = 0; k < sizeof svc / sizeof svc[0]; k++) {
		struct proto_svc *v = &svc[k];
		snprintf(v->name, sizeof v->name, "svc-%u.x@y_%u", k, k);
		v->state = (uint8_t)(k % PROTO_NSTATES);
		v->enabled = k % 3 != 0;
		v->ready = k % 2;
		v->type = (uint8_t)(k % 3);
		v->health = (uint8_t)(k % 4);
		v->health_interval = k % 4 ? 10 : 0;
		v->restarts = k;
		v->exit_kind = (uint8_t)(k % 3);
		v->exit_code = k % 3 == PROTO_EXIT_SIGNAL ? 137 : k;
		v->exit_signal = k % 3 == PROTO_EXIT_SIGNAL ? 9 : 0;
		v->start_time = k ? 1796510400 + k : 0;
		v->log_bytes = (uint64_t)k << 40;
		v->log_lines = UINT64_MAX - k;
		v->log_dropped = k;
		v->pid = v->state == PROTO_STATE_RUNNING ? 100 + k : 0;
		/* Some with a cgroup (CPU as a fraction of a second, memory known
		 * for some), some without: their samples come and go. */
		v->cgroup = (uint8_t)(k % 2 ? PROTO_CG_CONTAINED | PROTO_CG_CPU | PROTO_CG_TASKS |
						      (k % 4 == 1 ? PROTO_CG_MEMORY | PROTO_CG_NO_CPU_WEIGHT : 0)
					    : 0);
		v->cpu_usec = (uint64_t)k * 1234567;
		v->memory_bytes = (uint64_t)k << 20;
		v->tasks = k;
	}
}

static const struct proto_system sys = {
	.uptime = 86400 * 3,
	.services = 16,
	.enabled = 10,
	.active = 5,
	.processes = 40,
	.health = PROTO_SYS_DEGRADED,
	.fds = 21,
	.clients = 2,
	.rss_kb = 560,
	.boot_time = 1796510400,
	.requests = 12345,
	.notify_accepted = 6,
	.notify_rejected = 1,
	.health_checks = 999,
	.events = 77,
	.restarts = 8,
};

static void svc_documents(const char *dir)
{
	static char text[PROTO_KEY_MAX + 1][128];
	const char *p[PROTO_KEY_MAX + 1];
	struct json j;
	FILE *f = open_in(dir, "list.json");
	unsigned k;

	json_begin(&j, f);
	json_object_open(&j);
	json_key(&j, "services");
	json_array_open(&j);
	for (k = 0; k < sizeof svc / sizeof svc[0]; k++)
		json_view_svc(&j, &svc[k], 0);
	json_array_close(&j);
	json_object_close(&j);
	json_end(&j);
	fclose(f);

	for (k = 0; k <= PROTO_KEY_MAX; k++)
		p[k] = text[k];
	strcpy(text[PROTO_KEY_COMMAND], "/bin/sh -c \"echo \\\"hi\\\"\tthere\"");
	strcpy(text[PROTO_KEY_AFTER], "a, b, c");
	strcpy(text[PROTO_KEY_REASON], "exec: No such file \x01 or \xff directory");
	strcpy(text[PROTO_KEY_NOTIFY_STATUS], "caf\xc3\xa9 \xe2\x82\xac \xed\xa0\x80");
	f = open_in(dir, "status.json");
	json_begin(&j, f);
	json_view_svc(&j, &svc[2], p);
	json_end(&j);
	fclose(f);

	f = open_in(dir, "system.json");
	json_begin(&j, f);
	json_view_system(&j, &sys, p);
	json_end(&j);
	fclose(f);
}

static void events(const char *dir)
{
	FILE *f = open_in(dir, "events.jsonl");
	struct json j;
	unsigned k;

	for (k = 0; k <= PROTO_EVENT_EXIT + 1; k++) {
		struct proto_event e = { .seq = k + 1,
					 .time_ms = 1796510400000ull + k,
					 .kind = (uint8_t)k,
					 .from = (uint8_t)(k % 4),
					 .to = (uint8_t)((k + 1) % 4),
					 .code = k,
					 .missed = k * 10 };
		if (k != PROTO_EVENT_SYSTEM && k != PROTO_EVENT_MISSED)
			snprintf(e.name, sizeof e.name, "svc-%u", k);
		json_begin(&j, f);
		json_view_event(&j, &e);
		json_end(&j);
	}
	fclose(f);
}

static void logs(const char *dir)
{
	static struct logjson lj;
	static const char in[] = "[2026-12-05 22:40:00] hello \"world\"\n"
				 "[2026-12-05 22:40:01] tab\there \xc3\xa9 \xff\xfe \x1b[31mred\x1b[0m\n"
				 "no prefix line\n"
				 "[2026-12-05 22:40:02] nul \0 inside\n";
	FILE *f = open_in(dir, "logs.json");

	logjson_begin(&lj, f, "web", 0);
	logjson_feed(&lj, in, sizeof in - 1);
	logjson_end(&lj);
	fclose(f);
	f = open_in(dir, "logs-follow.jsonl");
	logjson_begin(&lj, f, "web", 1);
	logjson_feed(&lj, in, sizeof in - 1);
	logjson_end(&lj);
	fclose(f);
}

static void health(const char *dir)
{
	struct proto_health_rec h = {
		.time_ms = 1796510400123ull, .duration_ms = 5000, .exit_code = 137, .timed_out = 1
	};
	struct proto_ps p = {
		.pid = 7, .ppid = 1, .state = 'D', .cpu_x100 = 12345, .rss_kb = 1 << 20, .start = 1796510400
	};
	FILE *f = open_in(dir, "check.json");
	struct json j;

	strcpy(h.output, "timed out \xe2\x80\xa8 \x7f");
	json_begin(&j, f);
	json_view_check(&j, &h);
	json_end(&j);
	fclose(f);
	strcpy(p.comm, "x\ny");
	strcpy(p.cmd, "/bin/x \xc3");
	f = open_in(dir, "ps.json");
	json_begin(&j, f);
	json_view_ps(&j, &p, 0);
	json_end(&j);
	fclose(f);
}

/* An attestation document's fields by hand: a module id that is not
 * UTF-8, every PCR, an empty nonce, absent user data. */
static void attest(const char *dir)
{
	static const unsigned char module[] = "i-\"quoted\"\xff-enc", pcr[64] = { 0xab, [63] = 0x01 },
				   key[3] = { 1, 2, 3 };
	struct attest_doc d = {
		.doc_len = 4467, .signature_len = 96, .timestamp_ms = 1796511517180ull, .cabundle = 4
	};
	FILE *f = open_in(dir, "attest.json");
	struct json j;
	unsigned i;

	d.module_id = (struct attest_bytes){ module, sizeof module - 1 };
	d.digest = (struct attest_bytes){ (const unsigned char *)"SHA384", 6 };
	for (i = 0; i < ATTEST_PCRS; i++)
		d.pcr[i] = (struct attest_bytes){ pcr, i % 2 ? 48 : 64 };
	d.nonce = (struct attest_bytes){ key, 0 };
	d.public_key = (struct attest_bytes){ key, sizeof key };
	json_begin(&j, f);
	json_view_attest(&j, &d);
	json_end(&j);
	fclose(f);
}

int main(int argc, char **argv)
{
	FILE *f;

	if (argc != 2)
		return 2;
	services();
	svc_documents(argv[1]);
	events(argv[1]);
	logs(argv[1]);
	health(argv[1]);
	attest(argv[1]);
	f = open_in(argv[1], "metrics.prom");
	metrics_print(f, &sys, svc, sizeof svc / sizeof svc[0]);
	fclose(f);
	f = open_in(argv[1], "metrics-empty.prom");
	metrics_print(f, &sys, svc, 0);
	fclose(f);
	return 0;
}
