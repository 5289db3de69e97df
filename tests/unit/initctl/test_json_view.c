/* initctl's JSON of init's records (json_view.c), logs --json (logjson.c)
 * and the health verdict (words.c), from records packed and unpacked as
 * init would send them. */
#include <stdlib.h>

#include "harness.h"
#include "json_view.h"
#include "logjson.h"
#include "memout.h"
#include "words.h"

static struct json j;

static void begin(void)
{
	json_begin(&j, memout_begin());
}

static const char *end(void)
{
	return memout_end();
}

/* Whether the text has "key":value (value as JSON). */
static int has(const char *text, const char *member)
{
	if (strstr(text, member))
		return 1;
	fprintf(stderr, "    missing %s in %s\n", member, text);
	return 0;
}

/* Whether got is want; if not, both go to stderr (the harness's message
 * holds only so much). */
static int same(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	fprintf(stderr, "    got:  %s\n    want: %s\n", got, want);
	return 0;
}

/* An event through the wire and back, as initctl reads it. */
static struct proto_event wire_event(const struct proto_event *e)
{
	unsigned char f[PROTO_FRAME_SIZE];
	struct proto_event got;

	memset(&got, 0, sizeof got);
	proto_pack_event(f, 0, e);
	CHECK(proto_unpack_event(f, &got) == 0);
	return got;
}

TEST(state_event)
{
	struct proto_event e = { .seq = 41,
				 .time_ms = 1796510400125ull,
				 .kind = PROTO_EVENT_STATE,
				 .from = PROTO_STATE_STARTING,
				 .to = PROTO_STATE_RUNNING };

	strcpy(e.name, "web");
	e = wire_event(&e);
	begin();
	json_view_event(&j, &e);
	json_end(&j);
	CHECK_STR(end(), "{\"seq\":41,\"time\":\"2026-12-05T22:40:00.125Z\",\"time_epoch_ms\":1796510400125,"
			 "\"kind\":\"state\",\"service\":\"web\",\"from\":\"starting\",\"to\":\"running\","
			 "\"code\":null,\"missed\":null}\n");
}

TEST(other_events)
{
	struct proto_event e = { .seq = 7, .time_ms = 1000, .kind = PROTO_EVENT_MISSED, .missed = 120 };
	const char *t;

	begin();
	json_view_event(&j, &e);
	t = end();
	CHECK(has(t,
		  "\"kind\":\"missed\",\"service\":null,\"from\":null,\"to\":null,\"code\":null,\"missed\":120"));
	e = (struct proto_event){ .seq = 8,
				  .time_ms = 1000,
				  .kind = PROTO_EVENT_SYSTEM,
				  .from = PROTO_SYS_STARTING,
				  .to = PROTO_SYS_HEALTHY };
	begin();
	json_view_event(&j, &e);
	CHECK(has(end(), "\"kind\":\"system\",\"service\":null,\"from\":\"starting\",\"to\":\"healthy\""));
	e = (struct proto_event){ .seq = 9,
				  .time_ms = 1000,
				  .kind = PROTO_EVENT_HEALTH,
				  .from = PROTO_HEALTH_HEALTHY,
				  .to = PROTO_HEALTH_UNHEALTHY,
				  .code = 1 };
	strcpy(e.name, "web");
	begin();
	json_view_event(&j, &e);
	CHECK(has(end(), "\"kind\":\"health\",\"service\":\"web\",\"from\":\"healthy\",\"to\":\"unhealthy\","
			 "\"code\":1,"));
	e = (struct proto_event){ .seq = 10, .time_ms = 1000, .kind = PROTO_EVENT_EXIT, .code = 137 };
	strcpy(e.name, "web");
	begin();
	json_view_event(&j, &e);
	CHECK(has(end(), "\"kind\":\"exit\",\"service\":\"web\",\"from\":null,\"to\":null,\"code\":137,"));
	e.kind = 200; /* a newer init's kind */
	begin();
	json_view_event(&j, &e);
	CHECK(has(end(), "\"kind\":\"unknown\""));
}

static struct proto_svc wire_svc(const struct proto_svc *v)
{
	unsigned char f[PROTO_FRAME_SIZE];
	struct proto_svc got;

	memset(&got, 0, sizeof got);
	proto_pack_svc(f, 0, v);
	CHECK(proto_unpack_svc(f, &got) == 0);
	return got;
}

TEST(service_of_list)
{
	struct proto_svc v = { .state = PROTO_STATE_RUNNING,
			       .enabled = 1,
			       .restart = 2,
			       .pid = 42,
			       .restarts = 1,
			       .type = PROTO_TYPE_NOTIFY,
			       .ready = 1,
			       .health = PROTO_HEALTH_HEALTHY,
			       .health_interval = 10,
			       .start_time = 1796510400,
			       .log_bytes = 10,
			       .exit_kind = PROTO_EXIT_SIGNAL,
			       .exit_code = 143,
			       .exit_signal = 15 };
	const char *t;

	strcpy(v.name, "web");
	v = wire_svc(&v);
	begin();
	json_view_svc(&j, &v, 0);
	t = end();
	CHECK(has(t, "{\"name\":\"web\",\"enabled\":true,\"active\":\"active\",\"state\":\"running\","
		     "\"state_code\":2,"));
	CHECK(has(t, "\"type\":\"notify\",\"ready\":true,\"pid\":42,"));
	CHECK(has(t, "\"start_time\":\"2026-12-05T22:40:00Z\",\"start_time_epoch\":1796510400,"));
	CHECK(has(t, "\"restart\":\"on-failure\","));
	CHECK(has(t, "\"exit_code\":143,\"exit_signal\":15,\"exit_signal_name\":\"SIGTERM\","));
	CHECK(has(t, "\"health\":\"healthy\",\"health_code\":2,\"health_check\":true,"));
	CHECK(!strstr(t, "\"command\""));
	CHECK(t[strlen(t) - 1] == '}');
}

TEST(service_of_status)
{
	static char text[PROTO_KEY_MAX + 1][64];
	const char *p[PROTO_KEY_MAX + 1];
	struct proto_svc v = { .state = PROTO_STATE_STOPPED, .enabled = 0 };
	const char *t;
	int k;

	for (k = 0; k <= PROTO_KEY_MAX; k++)
		p[k] = text[k];
	strcpy(v.name, "db");
	strcpy(text[PROTO_KEY_COMMAND], "/bin/db --port 5");
	strcpy(text[PROTO_KEY_AFTER], "a, b-c");
	strcpy(text[PROTO_KEY_REQUIRES], "a");
	strcpy(text[PROTO_KEY_NOTIFY_STATUS], "Loading \"x\"");
	begin();
	json_view_svc(&j, &v, p);
	t = end();
	CHECK(has(t, "\"active\":\"inactive\",\"state\":\"disabled\",\"state_code\":0,"));
	CHECK(has(t, "\"pid\":null,\"start_time\":null,\"start_time_epoch\":null,"));
	CHECK(has(t, "\"exit_code\":null,\"exit_signal\":null,\"exit_signal_name\":null,"));
	CHECK(has(t, "\"command\":\"/bin/db --port 5\",\"working_directory\":null,\"after\":[\"a\",\"b-c\"],"
		     "\"requires\":[\"a\"],\"before\":[],\"required_by\":[],\"last_error\":null,"));
	CHECK(has(t, "\"status_text\":\"Loading \\\"x\\\"\",\"health_cmd\":null}"));
}

TEST(system_numbers)
{
	struct proto_system s = { .uptime = 5,
				  .services = 3,
				  .health = PROTO_SYS_HEALTHY,
				  .rss_kb = 560,
				  .boot_time = 1796510400,
				  .events = 2 };
	unsigned char f[PROTO_FRAME_SIZE];
	const char *t;

	proto_pack_system(f, 0, &s);
	memset(&s, 0, sizeof s);
	CHECK(proto_unpack_system(f, &s) == 0);
	begin();
	json_view_system(&j, &s, 0);
	t = end();
	CHECK(has(t, "{\"health\":\"healthy\",\"health_code\":2,\"uptime_sec\":5,"
		     "\"boot_time\":\"2026-12-05T22:40:00Z\",\"boot_time_epoch\":1796510400,\"services\":3,"));
	CHECK(has(t, "\"rss_kb\":560,"));
	CHECK(has(t, "\"next_event_seq\":2,"));
}

TEST(process)
{
	struct proto_ps p = { .pid = 5,
			      .ppid = 1,
			      .state = 'S',
			      .managed = 1,
			      .cpu_x100 = 253,
			      .rss_kb = 1400,
			      .start = 1796510400 };
	struct proto_ps ended = { .pid = 9, .exit_kind = PROTO_EXIT_SIGNAL, .exit_code = 9, .adhoc = 1 };
	const char *t;

	strcpy(p.name, "web");
	strcpy(p.comm, "sleep");
	strcpy(p.cmd, "/bin/sleep 100");
	begin();
	json_view_ps(&j, &p, 0);
	t = end();
	CHECK(has(t, "{\"pid\":5,\"ppid\":1,\"state\":\"Sleeping\",\"state_code\":\"S\",\"name\":\"sleep\","
		     "\"cpu_percent\":2.53,\"rss_kb\":1400,"));
	CHECK(has(t, "\"command\":\"/bin/sleep 100\",\"managed\":true,\"service\":\"web\",\"adhoc\":false,"));
	begin();
	json_view_ps(&j, &ended, "/bin/x a b");
	t = end();
	CHECK(has(t, "{\"pid\":9,\"state\":\"Ended\",\"state_code\":null,\"exit_code\":137,\"exit_signal\":9,"
		     "\"exit_signal_name\":\"SIGKILL\",\"command\":\"/bin/x a b\",\"managed\":false,"
		     "\"service\":null,\"adhoc\":true,"));
}

TEST(health_check_result)
{
	struct proto_health_rec h = {
		.time_ms = 1796510400000ull, .duration_ms = 12, .exit_code = 7, .passed = 0
	};
	unsigned char f[PROTO_FRAME_SIZE];

	strcpy(h.name, "web");
	strcpy(h.output, "curl: (7) Failed\tto connect");
	proto_pack_health(f, 0, &h);
	memset(&h, 0, sizeof h);
	CHECK(proto_unpack_health(f, &h) == 0);
	begin();
	json_view_check(&j, &h);
	CHECK_STR(end(), "{\"time\":\"2026-12-05T22:40:00.000Z\",\"time_epoch_ms\":1796510400000,"
			 "\"duration_ms\":12,\"exit_code\":7,\"timed_out\":false,\"passed\":false,"
			 "\"output\":\"curl: (7) Failed\\u0009to connect\"}");
}

TEST(health_verdict)
{
	struct proto_svc v = { .state = PROTO_STATE_RUNNING, .ready = 1 };

	CHECK(words_healthy(&v)); /* no check: running and ready */
	v.ready = 0;
	CHECK(!words_healthy(&v));
	v.ready = 1;
	v.health_interval = 5;
	v.health = PROTO_HEALTH_STARTING;
	CHECK(!words_healthy(&v));
	v.health = PROTO_HEALTH_HEALTHY;
	CHECK(words_healthy(&v));
	v.state = PROTO_STATE_RESTART_WAIT;
	CHECK(!words_healthy(&v));
	v = (struct proto_svc){ .state = PROTO_STATE_EXITED,
				.ready = 1,
				.remain = 1 }; /* oneshot, RemainAfterExit */
	CHECK(words_healthy(&v));
	CHECK_STR(words_active(&v), "active");
	v.remain = 0; /* without: inactive, its job done, which is healthy */
	CHECK_STR(words_active(&v), "inactive");
	CHECK(words_healthy(&v));
}

static struct logjson lj;

static const char *logs(int follow, const char *bytes, size_t cut)
{
	begin();
	logjson_begin(&lj, out, "web", follow);
	logjson_feed(&lj, bytes, cut);
	logjson_feed(&lj, bytes + cut, strlen(bytes) - cut);
	logjson_end(&lj);
	return end();
}

TEST(log_lines)
{
	const char *in = "[2026-12-05 22:40:00] Listening on 8080\n"
			 "[init: 10 bytes of log skipped here: the reader fell behind]\n"
			 "[2026-12-05 22:40:01] bad \xff byte\r\n"
			 "[2026-12-05 22:40:02] unfinished";
	const char *want =
		"{\"service\":\"web\",\"lines\":["
		"{\"time\":\"2026-12-05T22:40:00Z\",\"time_epoch\":1796510400,\"text\":\"Listening on 8080\"},"
		"{\"time\":null,\"time_epoch\":null,"
		"\"text\":\"[init: 10 bytes of log skipped here: the reader fell behind]\"},"
		"{\"time\":\"2026-12-05T22:40:01Z\",\"time_epoch\":1796510401,\"text\":\"bad \\ufffd byte\"},"
		"{\"time\":\"2026-12-05T22:40:02Z\",\"time_epoch\":1796510402,\"text\":\"unfinished\"}]}\n";
	size_t cut;

	/* Whatever the records' boundaries, the same lines. */
	for (cut = 0; cut <= strlen(in); cut += 7)
		CHECK(same(logs(0, in, cut), want));
	CHECK_STR(logs(0, "", 0), "{\"service\":\"web\",\"lines\":[]}\n");
}

TEST(log_lines_followed)
{
	const char *in = "[2026-12-05 22:40:00] a\n[2026-12-05 22:40:01] b\n";
	const char *want = "{\"time\":\"2026-12-05T22:40:00Z\",\"time_epoch\":1796510400,\"text\":\"a\"}\n"
			   "{\"time\":\"2026-12-05T22:40:01Z\",\"time_epoch\":1796510401,\"text\":\"b\"}\n";

	CHECK(same(logs(1, in, 30), want));
	/* Not init's prefix: no time. */
	CHECK_STR(logs(1, "[2026-13-05 22:40:00] a\n", 0),
		  "{\"time\":null,\"time_epoch\":null,\"text\":\"[2026-13-05 22:40:00] a\"}\n");
}

RUN_TESTS("json_view", T(state_event), T(other_events), T(service_of_list), T(service_of_status),
	  T(system_numbers), T(process), T(health_check_result), T(health_verdict), T(log_lines),
	  T(log_lines_followed))
