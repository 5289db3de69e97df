/* initctl's health, events, metrics and the plain read commands, end to
 * end but for the socket: a fake client_call hands them reply records
 * packed as init packs them, and the tests check what they print and the
 * exit status (0/1 for health, 3 for status of a service that is not
 * active, 4 for an unknown one, 69 when init cannot be reached). */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "initctl_events.h"
#include "initctl_health.h"
#include "initctl_metrics.h"
#include "initctl_show.h"

/* --- a fake client.c: the reply is recs[], then status and message --- */

static struct proto_req last;
static unsigned char recs[16][PROTO_FRAME_SIZE];
static int nrecs, reply_status;
static const char *reply_msg = "ok";

int client_call(const struct client_target *t, const struct proto_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res)
{
	/* Static: the decoded request's name points into it, and the tests
	 * read `last` after this returns. */
	static unsigned char frame[PROTO_FRAME_SIZE];
	const char *why = "";
	int i;

	(void)t;
	proto_pack_request(frame, 0, rq);
	CHECK(proto_unpack_request(frame, 0, &last, &why) == PROTO_OK);
	res->status = reply_status;
	snprintf(res->msg, sizeof res->msg, "%s", reply_msg);
	if (reply_status == CLIENT_UNREACHABLE)
		return -1;
	for (i = 0; i < nrecs; i++)
		if (fn)
			fn(recs[i], ctx);
	return 0;
}

static void reset(void)
{
	memset(&last, 0, sizeof last);
	nrecs = reply_status = 0;
	reply_msg = "ok";
}

static void add_system(unsigned health)
{
	struct proto_system s = { .uptime = 5, .services = 2, .health = (uint8_t)health, .boot_time = 1796510400 };

	proto_pack_system(recs[nrecs++], 0, &s);
}

static void add_svc(const char *name, unsigned state, int ready, unsigned health, unsigned interval)
{
	struct proto_svc v = { .state = (uint8_t)state,
			       .enabled = 1,
			       .ready = (uint8_t)ready,
			       .health = (uint8_t)health,
			       .health_interval = interval,
			       .health_failures = 2 };

	/* An exited oneshot is active with RemainAfterExit: "ready" stands for it here. */
	v.remain = (uint8_t)(state == PROTO_STATE_EXITED && ready);

	snprintf(v.name, sizeof v.name, "%s", name);
	proto_pack_svc(recs[nrecs++], 0, &v);
}

static void add_check(const char *name, int passed, unsigned code, const char *output)
{
	struct proto_health_rec h = {
		.time_ms = 1796510400000ull, .duration_ms = 12, .exit_code = code, .passed = (uint8_t)passed
	};

	snprintf(h.name, sizeof h.name, "%s", name);
	snprintf(h.output, sizeof h.output, "%s", output);
	proto_pack_health(recs[nrecs++], 0, &h);
}

/* --- capturing stdout and stderr --- */

static char out_buf[1 << 16], err_buf[4096];

static void slurp(FILE *f, char *buf, size_t n)
{
	size_t got;

	rewind(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = 0;
	fclose(f);
}

/* Runs one command (its words after the command word) with stdout and
 * stderr captured; returns its exit status. */
static int run(int (*cmd)(const struct client_target *, int, char **), const char *words)
{
	static char copy[256];
	char *argv[16], *w;
	int argc = 0, rc, so, se;
	FILE *o = tmpfile(), *e = tmpfile();
	struct client_target t = { CLIENT_UNIX, "/nonexistent/test.sock", 0, 0 };

	snprintf(copy, sizeof copy, "%s", words);
	for (w = strtok(copy, " "); w && argc < 15; w = strtok(0, " "))
		argv[argc++] = w;
	argv[argc] = 0;
	fflush(stdout);
	fflush(stderr);
	so = dup(1), se = dup(2);
	dup2(fileno(o), 1), dup2(fileno(e), 2);
	rc = cmd(&t, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1), dup2(se, 2);
	close(so), close(se);
	slurp(o, out_buf, sizeof out_buf);
	slurp(e, err_buf, sizeof err_buf);
	return rc;
}

static int show(const struct client_target *t, int argc, char **argv)
{
	struct proto_req rq = { PROTO_OP_STATUS };
	int json = argc > 1;

	rq.name = argv[0];
	return show_command(t, rq, json);
}

static int has(const char *text, const char *part)
{
	if (strstr(text, part))
		return 1;
	fprintf(stderr, "    missing '%s' in:\n%s\n", part, text);
	return 0;
}

/* --- the tests --- */

TEST(health_text_and_exit_status)
{
	reset();
	add_system(PROTO_SYS_DEGRADED);
	add_svc("web", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_UNHEALTHY, 10);
	add_check("web", 0, 7, "curl: (7) Failed\x1b[0m");
	add_check("web", 1, 0, "");
	add_svc("worker", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_NONE, 0);
	CHECK(run(health_command, "") == 1 && last.op == PROTO_OP_HEALTH && !last.name[0]);
	const char *want = "Health: degraded\n"
			   "  web: unhealthy (2 failed checks in a row)\n"
			   "    2026-12-05T22:40:00Z  failed  exit 7  12 ms  curl: (7) Failed?[0m\n"
			   "    2026-12-05T22:40:00Z  passed  exit 0  12 ms\n"
			   "  worker: no health check; running, ready\n";

	CHECK(has(out_buf, want));
	CHECK(!err_buf[0]);
	nrecs = 0; /* now healthy */
	add_system(PROTO_SYS_HEALTHY);
	CHECK(run(health_command, "") == 0);
}

TEST(health_of_one_service)
{
	reset();
	add_system(PROTO_SYS_DEGRADED);
	add_svc("worker", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_NONE, 0);
	CHECK(run(health_command, "worker") == 0 && !strcmp(last.name, "worker"));
	nrecs = 0;
	add_system(PROTO_SYS_HEALTHY);
	add_svc("web", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_STARTING, 10);
	CHECK(run(health_command, "web") == 1);
	nrecs = 0;
	add_system(PROTO_SYS_HEALTHY);
	add_svc("web", PROTO_STATE_RUNNING, 0, PROTO_HEALTH_NONE, 0); /* not ready */
	CHECK(run(health_command, "web") == 1);
	reply_status = PROTO_E_NOT_FOUND;
	reply_msg = "Service 'nosuch' not found";
	nrecs = 0;
	CHECK(run(health_command, "nosuch") == 4 && !strcmp(err_buf, "✗ Error: Service 'nosuch' not found\n"));
	CHECK(run(health_command, "a b") == 2 && run(health_command, "--bogus") == 2);
	CHECK(run(health_command, "bad/name") == 1);
}

TEST(health_json)
{
	reset();
	add_system(PROTO_SYS_HEALTHY);
	add_svc("web", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_HEALTHY, 10);
	add_check("web", 1, 0, "ok");
	add_svc("db", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_NONE, 0);
	CHECK(run(health_command, "--json") == 0);
	CHECK(has(out_buf, "{\"health\":\"healthy\",\"health_code\":2,\"service\":null,\"system\":{"));
	CHECK(has(out_buf, "\"healthy\":true,\"checks\":[{\"time\":\"2026-12-05T22:40:00.000Z\","));
	CHECK(has(out_buf, "\"output\":\"ok\"}]},{\"name\":\"db\","));
	CHECK(has(out_buf, "\"checks\":[]}],\"healthy\":true}\n"));
	CHECK(strchr(out_buf, '\n')[1] == 0);
}

TEST(events_lines_and_arguments)
{
	struct proto_event e = { .seq = 5, .time_ms = 1000, .kind = PROTO_EVENT_READY };

	reset();
	strcpy(e.name, "web");
	proto_pack_event(recs[nrecs++], 0, &e);
	e.seq = 6, e.kind = PROTO_EVENT_RESTART, e.code = 3;
	proto_pack_event(recs[nrecs++], 0, &e);
	CHECK(run(events_command, "--since 5 --no-follow") == 0);
	CHECK(last.op == PROTO_OP_EVENTS && last.since_set && last.since == 5 && !last.follow);
	CHECK(has(out_buf, "{\"seq\":5,") && has(out_buf, "\"kind\":\"ready\"") &&
	      has(out_buf, "}\n{\"seq\":6,") && has(out_buf, "\"kind\":\"restart\",\"service\":\"web\""));
	CHECK(run(events_command, "--since=18446744073709551615") == 0 && last.since == UINT64_MAX && last.follow);
	CHECK(run(events_command, "") == 0 && !last.since_set && last.follow);
	CHECK(run(events_command, "--since") == 2 && run(events_command, "--since x") == 2 &&
	      run(events_command, "--since -1") == 2 && run(events_command, "nope") == 2);
}

TEST(metrics_reply)
{
	reset();
	add_system(PROTO_SYS_HEALTHY);
	add_svc("web", PROTO_STATE_RUNNING, 1, PROTO_HEALTH_HEALTHY, 10);
	CHECK(run(metrics_command, "") == 0 && last.op == PROTO_OP_METRICS);
	CHECK(has(out_buf, "\nenclave_init_enclave_health 2\n") &&
	      has(out_buf, "\nenclave_init_service_up{service=\"web\"} 1\n"));
	CHECK(run(metrics_command, "extra") == 2);
	nrecs = 0; /* no SYSTEM record */
	CHECK(run(metrics_command, "") == 1 && has(err_buf, "init sent no metrics"));
}

TEST(status_exit_statuses)
{
	static const struct {
		unsigned state;
		int ready, rc;
	} cases[] = {
		{ PROTO_STATE_RUNNING, 1, 0 },  { PROTO_STATE_STOPPED, 0, 3 },      { PROTO_STATE_FAILED, 0, 3 },
		{ PROTO_STATE_STARTING, 0, 3 }, { PROTO_STATE_RESTART_WAIT, 0, 3 }, { PROTO_STATE_STOPPING, 0, 3 },
		{ PROTO_STATE_EXITED, 1, 0 },   { PROTO_STATE_EXITED, 0, 3 },       { PROTO_STATE_WAITING, 0, 3 },
	};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		reset();
		add_svc("web", cases[k].state, cases[k].ready, 0, 0);
		CHECK(run(show, "web") == cases[k].rc);
		CHECK(run(show, "web --json") == cases[k].rc);
	}
	reset();
	add_svc("web", PROTO_STATE_EXITED, 1, 0, 0);
	CHECK(run(show, "web") == 0 && has(out_buf, "  Status: active (exited)\n  State: exited\n"));
	reply_status = PROTO_E_NOT_FOUND;
	reply_msg = "Service 'web' not found";
	CHECK(run(show, "web") == 4 && !out_buf[0]);
	reply_status = PROTO_E_PERM;
	CHECK(run(show, "web --json") == 4 && !out_buf[0]);
	reply_status = PROTO_E_STATE;
	CHECK(run(show, "web") == 1);
	reply_status = CLIENT_UNREACHABLE;
	reply_msg = "cannot connect to init at /x: No such file or directory (...)";
	CHECK(run(show, "web") == 69 && has(err_buf, "cannot connect to init at /x"));
	CHECK(run(health_command, "") == 69 && run(events_command, "") == 69 && run(metrics_command, "") == 69);
}

TEST(status_shows_readiness_only_when_there_is_some)
{
	struct proto_svc v = { .state = PROTO_STATE_RUNNING,
			       .enabled = 1,
			       .ready = 1,
			       .type = PROTO_TYPE_NOTIFY,
			       .health = PROTO_HEALTH_UNHEALTHY,
			       .health_interval = 5,
			       .health_failures = 3 };

	reset();
	add_svc("web", PROTO_STATE_RUNNING, 1, 0, 0);
	CHECK(run(show, "web") == 0 && !strstr(out_buf, "Type:") && !strstr(out_buf, "Health"));
	reset();
	strcpy(v.name, "web");
	proto_pack_svc(recs[nrecs++], 0, &v);
	proto_pack_text(recs[nrecs++], 0, &(struct proto_text){ PROTO_KEY_NOTIFY_STATUS, "Serving", 7 });
	proto_pack_text(recs[nrecs++], 0, &(struct proto_text){ PROTO_KEY_HEALTH_CMD, "/bin/check -q", 13 });
	CHECK(run(show, "web") == 0);
	CHECK(has(out_buf, "  State: running\n  Type: notify\n  Notify Status: Serving\n"
			   "  Health: unhealthy (3 failed checks in a row)\n  Health Check: /bin/check -q\n"));
}

RUN_TESTS("commands", T(health_text_and_exit_status), T(health_of_one_service), T(health_json),
	  T(events_lines_and_arguments), T(metrics_reply), T(status_exit_statuses),
	  T(status_shows_readiness_only_when_there_is_some))
