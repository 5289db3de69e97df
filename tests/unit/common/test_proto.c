/* Frame codec: byte order, string fields, and every validation rule. */
#include "harness.h"
#include "proto_layout.h"

#define HASH 0x0123456789abcdefULL

static unsigned char f[PROTO_FRAME_SIZE];

static enum proto_status check(void)
{
	const char *why = 0;
	struct proto_req rq;
	enum proto_status st = proto_unpack_request(f, HASH, &rq, &why);
	CHECK(st == PROTO_OK || why);
	return st;
}

TEST(byte_order_is_big_endian)
{
	proto_init(f, 0x0102, 0x1112131415161718ULL);
	CHECK(f[0] == 0x45 && f[1] == 0x4e && f[2] == 0x49 && f[3] == 0x54); /* "ENIT" */
	CHECK(f[6] == 0x01 && f[7] == 0x02);
	CHECK(f[8] == 0x11 && f[15] == 0x18);
	proto_put32(f, PROTO_OFF_ARG0, 0xa1b2c3d4u);
	CHECK(f[20] == 0xa1 && f[23] == 0xd4);
	CHECK(proto_get32(f, PROTO_OFF_ARG0) == 0xa1b2c3d4u);
	CHECK(proto_get64(f, PROTO_OFF_HASH) == 0x1112131415161718ULL);
}

TEST(string_fields_are_cut_and_terminated)
{
	char longname[200];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	proto_init(f, PROTO_OP_STATUS, HASH);
	CHECK(proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, longname) == PROTO_NAME_SIZE - 1);
	CHECK(f[PROTO_OFF_NAME + PROTO_NAME_SIZE - 1] == 0);
	CHECK(f[PROTO_OFF_TEXT] == 0); /* did not spill into the next field */
	memset(f + PROTO_OFF_NAME, 'x', PROTO_NAME_SIZE);
	CHECK(proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE) == 0);
}

TEST(valid_requests_pass)
{
	proto_init(f, PROTO_OP_PING, HASH);
	CHECK(check() == PROTO_OK);
	proto_init(f, PROTO_OP_STATUS, HASH);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web-1.api@x_y");
	CHECK(check() == PROTO_OK);
}

TEST(each_bad_field_is_refused)
{
	proto_init(f, PROTO_OP_PING, HASH);
	f[0] ^= 1;
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_VERSION, 2);
	CHECK(check() == PROTO_E_VERSION);
	proto_init(f, PROTO_OP_MAX + 1, HASH);
	CHECK(check() == PROTO_E_OP);
	proto_init(f, 0, HASH);
	CHECK(check() == PROTO_E_OP);
	proto_init(f, PROTO_OP_PING, HASH + 1);
	CHECK(check() == PROTO_E_CONFIG);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_STATUS, 1);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, 0x8000);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	f[PROTO_FRAME_SIZE - 1] = 1;
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put32(f, PROTO_OFF_ARG2, 1);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web");
	CHECK(check() == PROTO_E_FRAME); /* ping takes no name */
	proto_init(f, PROTO_OP_START, HASH);
	CHECK(check() == PROTO_E_FRAME); /* start needs one */
}

TEST(service_names)
{
	CHECK(proto_name_ok("web"));
	CHECK(proto_name_ok("a.b-c_d@e"));
	CHECK(!proto_name_ok(""));
	CHECK(!proto_name_ok(".hidden"));
	CHECK(!proto_name_ok("-flag"));
	CHECK(!proto_name_ok("a/b"));
	CHECK(!proto_name_ok("a b"));
	CHECK(!proto_name_ok("a\nb"));
	CHECK(!proto_name_ok(".."));
	CHECK(proto_name_ok("012345678901234567890123456789012345678901234567890123456789012"));
	CHECK(!proto_name_ok("0123456789012345678901234567890123456789012345678901234567890123"));
}

TEST(replies_checked_too)
{
	const char *why;
	proto_init(f, PROTO_REC_DONE, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	CHECK(proto_check_reply(f, &why) == PROTO_OK);
	proto_put16(f, PROTO_OFF_FLAGS, 0);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* DONE must be final */
	proto_init(f, PROTO_REC_SVC, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* only DONE is final */
	proto_init(f, PROTO_REC_TEXT, HASH);
	memset(f + PROTO_OFF_TEXT, 'x', PROTO_TEXT_SIZE);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* a request is not a reply */
}

TEST(health_records_round_trip)
{
	struct proto_health_rec h = { .time_ms = 0x0102030405060708ULL,
				      .duration_ms = 1500,
				      .exit_code = 137,
				      .timed_out = 1,
				      .passed = 0 };
	struct proto_health_rec out;
	const char *why;
	char longline[300];

	strcpy(h.name, "web-1");
	memset(longline, 'o', sizeof longline - 1);
	longline[sizeof longline - 1] = 0;
	memcpy(h.output, longline, sizeof h.output - 1); /* full: 127 bytes and the NUL */
	proto_pack_health(f, HASH, &h);
	CHECK(proto_get16(f, PROTO_OFF_OP) == PROTO_REC_HEALTH);
	CHECK(proto_check_reply(f, &why) == PROTO_OK);
	CHECK(f[PROTO_HEALTH_TIME] == 0x01 && f[PROTO_HEALTH_TIME + 7] == 0x08); /* big-endian */
	CHECK(proto_get32(f, PROTO_HEALTH_EXIT_CODE) == 137 && f[PROTO_HEALTH_TIMED_OUT] == 1);
	CHECK(f[PROTO_HEALTH_OUTPUT + PROTO_HEALTH_OUT_SIZE - 1] == 0);
	CHECK(proto_unpack_health(f, &out) == 0);
	CHECK_STR(out.name, "web-1");
	CHECK(out.time_ms == h.time_ms && out.duration_ms == 1500 && out.exit_code == 137);
	CHECK(out.timed_out == 1 && out.passed == 0);
	CHECK(strlen(out.output) == PROTO_HEALTH_OUT_SIZE - 1 && !memcmp(out.output, longline, 127));
	/* A frame of another type is not taken for one; nor the other way. */
	CHECK(proto_unpack_event(f, &(struct proto_event){ 0 }) == -1);
	proto_init(f, PROTO_REC_SVC, HASH);
	CHECK(proto_unpack_health(f, &out) == -1);
	/* Unterminated output in a frame from the wire: cut, terminated. */
	proto_pack_health(f, HASH, &h);
	memset(f + PROTO_HEALTH_OUTPUT, 'x', PROTO_HEALTH_OUT_SIZE);
	CHECK(proto_unpack_health(f, &out) == 0 && strlen(out.output) == PROTO_HEALTH_OUT_SIZE - 1);
}

TEST(event_records_round_trip)
{
	struct proto_event e = { .seq = 0x1122334455667788ULL,
				 .time_ms = 1700000000123ULL,
				 .kind = PROTO_EVENT_HEALTH,
				 .from = PROTO_HEALTH_HEALTHY,
				 .to = PROTO_HEALTH_UNHEALTHY,
				 .code = 0xdeadbeefu,
				 .missed = 0x0102030405060708ULL };
	struct proto_event out;
	const char *why;

	strcpy(e.name, "db");
	proto_pack_event(f, HASH, &e);
	CHECK(proto_get16(f, PROTO_OFF_OP) == PROTO_REC_EVENT);
	CHECK(proto_check_reply(f, &why) == PROTO_OK);
	CHECK(f[PROTO_EVENT_SEQ] == 0x11 && f[PROTO_EVENT_SEQ + 7] == 0x88);
	CHECK(f[PROTO_EVENT_KIND] == PROTO_EVENT_HEALTH && f[PROTO_EVENT_FROM] == 2 && f[PROTO_EVENT_TO] == 3);
	CHECK(proto_get32(f, PROTO_EVENT_CODE) == 0xdeadbeefu);
	CHECK(proto_get64(f, PROTO_EVENT_MISSED) == 0x0102030405060708ULL);
	CHECK(proto_unpack_event(f, &out) == 0);
	CHECK_STR(out.name, "db");
	CHECK(out.seq == e.seq && out.time_ms == e.time_ms && out.kind == e.kind);
	CHECK(out.from == e.from && out.to == e.to && out.code == e.code && out.missed == e.missed);
	CHECK(proto_unpack_health(f, &(struct proto_health_rec){ 0 }) == -1);
	/* The enclave's own: no name. */
	memset(&e, 0, sizeof e);
	e.kind = PROTO_EVENT_MISSED;
	e.seq = 7;
	e.missed = 3;
	proto_pack_event(f, HASH, &e);
	CHECK(proto_unpack_event(f, &out) == 0 && out.name[0] == 0 && out.missed == 3 && out.seq == 7);
}

/* The fields appended to SVC and SYSTEM records: at their offsets, past
 * the old ones (which they leave alone), and zero from an older init. */
TEST(appended_svc_and_system_fields)
{
	struct proto_svc s = { .state = PROTO_STATE_EXITED,
			       .pid = 1234,
			       .exec_hash = 0xa1a2a3a4a5a6a7a8ULL,
			       .type = PROTO_TYPE_NOTIFY,
			       .ready = 1,
			       .health = PROTO_HEALTH_UNHEALTHY,
			       .health_action = 1,
			       .start_time = 1700000001ULL,
			       .log_bytes = 1ULL << 40,
			       .health_failures = 4,
			       .watchdog_sec = 30,
			       .timeout_start = 90,
			       .health_interval = 10,
			       .log_lines = 0x0102030405060708ULL,
			       .cgroup = PROTO_CG_CONTAINED | PROTO_CG_CPU | PROTO_CG_NO_TASKS_MAX,
			       .memory_bytes = 0x1112131415161718ULL,
			       .cpu_usec = 35000,
			       .tasks = 3 };
	struct proto_system y = { .uptime = 3600,
				  .processes = 9,
				  .health = PROTO_SYS_DEGRADED,
				  .fds = 12,
				  .clients = 2,
				  .rss_kb = 1024,
				  .boot_time = 1700000000ULL,
				  .requests = 5,
				  .notify_accepted = 6,
				  .notify_rejected = 7,
				  .health_checks = 8,
				  .events = 1ULL << 33,
				  .restarts = 11 };
	struct proto_svc so;
	struct proto_system yo;

	strcpy(s.name, "a");
	proto_pack_svc(f, HASH, &s);
	CHECK(f[PROTO_SVC_TYPE] == 1 && f[PROTO_SVC_READY] == 1 && f[PROTO_SVC_HEALTH] == 3);
	CHECK(proto_get64(f, PROTO_SVC_EXEC_HASH) == 0xa1a2a3a4a5a6a7a8ULL); /* the old field before them */
	CHECK(proto_get64(f, PROTO_SVC_LOG_LINES) == 0x0102030405060708ULL);
	CHECK(proto_unpack_svc(f, &so) == 0);
	CHECK(so.state == PROTO_STATE_EXITED && so.pid == 1234 && so.exec_hash == s.exec_hash);
	CHECK(so.type == 1 && so.ready == 1 && so.health == 3 && so.health_action == 1);
	CHECK(so.start_time == s.start_time && so.log_bytes == s.log_bytes && so.health_failures == 4);
	CHECK(so.watchdog_sec == 30 && so.timeout_start == 90 && so.health_interval == 10);
	CHECK(so.log_lines == s.log_lines);
	CHECK(f[PROTO_SVC_CGROUP] == (PROTO_CG_CONTAINED | PROTO_CG_CPU | PROTO_CG_NO_TASKS_MAX));
	CHECK(proto_get64(f, PROTO_SVC_MEMORY) == 0x1112131415161718ULL);
	CHECK(proto_get64(f, PROTO_SVC_CPU_USEC) == 35000 && proto_get32(f, PROTO_SVC_TASKS) == 3);
	CHECK(so.cgroup == s.cgroup && so.memory_bytes == s.memory_bytes && so.cpu_usec == 35000 && so.tasks == 3);
	/* From an older init: nothing past the exec hash. */
	memset(f + PROTO_SVC_TYPE, 0, PROTO_FRAME_SIZE - PROTO_SVC_TYPE);
	CHECK(proto_unpack_svc(f, &so) == 0 && so.exec_hash == s.exec_hash);
	CHECK(!so.type && !so.ready && !so.health && !so.start_time && !so.log_lines && !so.watchdog_sec);
	CHECK(!so.cgroup && !so.tasks && !so.cpu_usec); /* no cgroup: nothing shown */

	proto_pack_system(f, HASH, &y);
	CHECK(proto_get32(f, PROTO_SYS_PROCESSES) == 9 && f[PROTO_SYS_HEALTH] == PROTO_SYS_DEGRADED);
	CHECK(proto_get64(f, PROTO_SYS_RESTARTS) == 11);
	CHECK(proto_unpack_system(f, &yo) == 0);
	CHECK(yo.uptime == 3600 && yo.processes == 9 && yo.health == PROTO_SYS_DEGRADED && yo.fds == 12);
	CHECK(yo.clients == 2 && yo.rss_kb == 1024 && yo.boot_time == y.boot_time && yo.requests == 5);
	CHECK(yo.notify_accepted == 6 && yo.notify_rejected == 7 && yo.health_checks == 8);
	CHECK(yo.events == y.events && yo.restarts == 11);
	memset(f + PROTO_SYS_HEALTH, 0, PROTO_FRAME_SIZE - PROTO_SYS_HEALTH);
	CHECK(proto_unpack_system(f, &yo) == 0 && yo.processes == 9);
	CHECK(!yo.health && !yo.fds && !yo.events && !yo.restarts);
}

/* health: a name, or "" for the aggregate. */
TEST(opt_name_requests)
{
	struct proto_req rq;
	const char *why;

	proto_init(f, PROTO_OP_HEALTH, HASH);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.name && !rq.name[0]);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web");
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK_STR(rq.name, "web");
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "a/b");
	CHECK(check() == PROTO_E_FRAME);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "-x");
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_HEALTH, HASH);
	proto_put32(f, PROTO_OFF_ARG0, 1);
	CHECK(check() == PROTO_E_FRAME); /* no arguments */
	proto_init(f, PROTO_OP_HEALTH, HASH);
	f[PROTO_OFF_TEXT] = 'x';
	CHECK(check() == PROTO_E_FRAME);
	/* metrics: nothing at all, not even a name. */
	proto_init(f, PROTO_OP_METRICS, HASH);
	CHECK(check() == PROTO_OK);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web");
	CHECK(check() == PROTO_E_FRAME);
	/* Packed by initctl, as it is read by init. */
	rq = (struct proto_req){ .op = PROTO_OP_HEALTH, .name = "db" };
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.op == PROTO_OP_HEALTH);
	CHECK_STR(rq.name, "db");
}

/* ps start: the name field carries the user ("" for root, as before it
 * could); a malformed one is a bad frame, never root. */
TEST(ps_start_user)
{
	struct proto_req rq = { .op = PROTO_OP_PS_START, .argc = 1, .len = 8, .text = "/bin/id" };
	const char *why = "";

	proto_pack_request(f, HASH, &rq);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.name && !rq.name[0]);
	rq = (struct proto_req){
		.op = PROTO_OP_PS_START, .name = "nobody", .argc = 1, .len = 8, .text = "/bin/id"
	};
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK_STR(rq.name, "nobody");
	CHECK(rq.argc == 1 && rq.len == 8 && !memcmp(rq.text, "/bin/id", 8));
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "65534");
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK_STR(rq.name, "65534");
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "a/b");
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_E_FRAME);
	CHECK_STR(why, "malformed user name");
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "-root");
	CHECK(check() == PROTO_E_FRAME);
}

static void events_frame(uint32_t a0, uint32_t a1, uint32_t a2)
{
	proto_init(f, PROTO_OP_EVENTS, HASH);
	proto_put32(f, PROTO_OFF_ARG0, a0);
	proto_put32(f, PROTO_OFF_ARG1, a1);
	proto_put32(f, PROTO_OFF_ARG2, a2);
}

TEST(events_requests)
{
	struct proto_req rq;
	const char *why;

	events_frame(0, 0, 0); /* what comes from now on */
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK(!rq.since_set && !rq.follow && rq.since == 0);
	events_frame(0, 0, PROTO_EVENTS_FOLLOW);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.follow && !rq.since_set);
	events_frame(1, 2, PROTO_EVENTS_SINCE | PROTO_EVENTS_FOLLOW); /* since 2^32 + 2 */
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK(rq.since_set && rq.follow && rq.since == 0x100000002ULL);
	events_frame(0, 0, PROTO_EVENTS_SINCE); /* since 0: everything held */
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.since_set && rq.since == 0);
	/* Unknown option bits. */
	events_frame(0, 0, 0x4);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_E_FRAME);
	CHECK(strstr(why, "option bits") != 0);
	events_frame(0, 5, 0x80000000u | PROTO_EVENTS_SINCE);
	CHECK(check() == PROTO_E_FRAME);
	/* A sequence number without the flag that says it is one. */
	events_frame(0, 5, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_E_FRAME);
	CHECK(strstr(why, "PROTO_EVENTS_SINCE") != 0);
	events_frame(1, 0, PROTO_EVENTS_FOLLOW);
	CHECK(check() == PROTO_E_FRAME);
	/* No name. */
	events_frame(0, 0, 0);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "a");
	CHECK(check() == PROTO_E_FRAME);
	/* Packed by initctl: the sequence number only with since_set. */
	rq = (struct proto_req){ .op = PROTO_OP_EVENTS, .since = 0x300000004ULL, .since_set = 1, .follow = 1 };
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_get32(f, PROTO_OFF_ARG0) == 3 && proto_get32(f, PROTO_OFF_ARG1) == 4);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK);
	CHECK(rq.since == 0x300000004ULL && rq.since_set && rq.follow);
	rq = (struct proto_req){ .op = PROTO_OP_EVENTS, .since = 99 };
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && !rq.since_set && rq.since == 0);
}

static void shutdown_frame(unsigned op, uint32_t a0, uint32_t a1, uint32_t a2)
{
	proto_init(f, (uint16_t)op, HASH);
	proto_put32(f, PROTO_OFF_ARG0, a0);
	proto_put32(f, PROTO_OFF_ARG1, a1);
	proto_put32(f, PROTO_OFF_ARG2, a2);
}

TEST(shutdown_requests)
{
	struct proto_req rq;
	const char *why;

	/* All zero: the shutdown an older initctl sends, at once, no wait. */
	shutdown_frame(PROTO_OP_SHUTDOWN, 0, 0, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && !rq.drain_sec && !rq.wait);
	shutdown_frame(PROTO_OP_REBOOT, 10, PROTO_WAIT, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.drain_sec == 10 && rq.wait);
	shutdown_frame(PROTO_OP_SHUTDOWN, PROTO_WAIT_MAX_SEC, 0, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.drain_sec == PROTO_WAIT_MAX_SEC);
	/* A drain too long, unknown wait bits, arg2, a name: refused. */
	shutdown_frame(PROTO_OP_SHUTDOWN, PROTO_WAIT_MAX_SEC + 1, 0, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_E_FRAME);
	CHECK(strstr(why, "bad shutdown") != 0);
	shutdown_frame(PROTO_OP_SHUTDOWN, 0xffffffffu, PROTO_WAIT, 0);
	CHECK(check() == PROTO_E_FRAME);
	shutdown_frame(PROTO_OP_REBOOT, 1, 2, 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_E_FRAME);
	CHECK(strstr(why, "bad shutdown") != 0);
	shutdown_frame(PROTO_OP_SHUTDOWN, 1, PROTO_WAIT, 1);
	CHECK(check() == PROTO_E_FRAME);
	shutdown_frame(PROTO_OP_SHUTDOWN, 0, 0, 0);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "a");
	CHECK(check() == PROTO_E_FRAME);
	/* Packed by initctl and decoded the same. */
	rq = (struct proto_req){ .op = PROTO_OP_SHUTDOWN, .drain_sec = 7, .wait = 1 };
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_get32(f, PROTO_OFF_ARG0) == 7 && proto_get32(f, PROTO_OFF_ARG1) == PROTO_WAIT);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && rq.drain_sec == 7 && rq.wait);
	rq = (struct proto_req){ .op = PROTO_OP_REBOOT };
	proto_pack_request(f, HASH, &rq);
	CHECK(proto_get32(f, PROTO_OFF_ARG0) == 0 && proto_get32(f, PROTO_OFF_ARG1) == 0);
	CHECK(proto_unpack_request(f, HASH, &rq, &why) == PROTO_OK && !rq.drain_sec && !rq.wait);
}

RUN_TESTS("proto", T(byte_order_is_big_endian), T(string_fields_are_cut_and_terminated), T(valid_requests_pass),
	  T(each_bad_field_is_refused), T(service_names), T(replies_checked_too), T(health_records_round_trip),
	  T(event_records_round_trip), T(appended_svc_and_system_fields), T(opt_name_requests), T(ps_start_user),
	  T(events_requests), T(shutdown_requests))
