/* initctl's health, events, metrics, attest and the plain read commands,
 * end to end but for the socket: a fake client_call hands them reply
 * records packed as init packs them, and the tests check what they print
 * and the exit status (0/1 for health, 3 for status of a service that is
 * not active, 4 for an unknown one, 69 when init cannot be reached, 2 for
 * a command line refused before anything is sent). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest_fixture.h"
#include "harness.h"
#include "initctl_attest.h"
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
	/* As client.c: a record the reader refuses ends the exchange. */
	for (i = 0; i < nrecs; i++)
		if (fn && fn(recs[i], ctx)) {
			res->status = -1;
			snprintf(res->msg, sizeof res->msg, "reply abandoned");
			return -1;
		}
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
static size_t out_len; /* stdout may be binary (attest -o -) */

static size_t slurp(FILE *f, char *buf, size_t n)
{
	size_t got;

	rewind(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = 0;
	fclose(f);
	return got;
}

/* Runs one command (its words after the command word) with stdout and
 * stderr captured; returns its exit status. */
static int run(int (*cmd)(const struct client_target *, int, char **), const char *words)
{
	static char copy[4096];
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
	out_len = slurp(o, out_buf, sizeof out_buf);
	(void)slurp(e, err_buf, sizeof err_buf);
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

/* --- attest --- */

static unsigned char adoc[16384];
static size_t adoc_len;
static char tmpdir[64];

/* A file in this test's directory. */
static const char *tmp_path(const char *name)
{
	static char path[128];

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/attest-test.XXXXXX");
		CHECK(mkdtemp(tmpdir) != 0);
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

static const char *tmp_file(const char *name, const void *b, size_t n)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "w");

	CHECK(f && fwrite(b, 1, n, f) == n);
	if (f)
		fclose(f);
	return path;
}

/* One DOC record: len bytes of the document from off, total announced. */
static void add_doc(uint32_t off, uint32_t len, uint32_t total)
{
	struct proto_doc d = { adoc + off, len, total, off };

	CHECK(proto_pack_doc(recs[nrecs++], 0, &d) == len);
}

/* The document as init sends it: whole records of 927 bytes, in order. */
static void add_whole_doc(void)
{
	uint32_t off;

	for (off = 0; off < adoc_len; off += PROTO_TEXT_SIZE - 1) {
		uint32_t n = (uint32_t)adoc_len - off;
		add_doc(off, n < PROTO_TEXT_SIZE - 1 ? n : PROTO_TEXT_SIZE - 1, (uint32_t)adoc_len);
	}
}

/* A reply carrying fx's document. */
static void attest_reply(const struct fixture *fx)
{
	reset();
	adoc_len = fixture_doc(adoc, sizeof adoc, fx);
	CHECK(adoc_len > PROTO_TEXT_SIZE * 3);
	add_whole_doc();
}

static const unsigned char deadbeef[] = { 0xde, 0xad, 0xbe, 0xef };

TEST(attest_summary_and_request)
{
	attest_reply(&(struct fixture){ .nonce = deadbeef, .nonce_len = 4 });
	CHECK(run(attest_command, "--nonce DEADbeef") == 0);
	CHECK(last.op == PROTO_OP_ATTEST && last.nonce_len == 4 && !memcmp(last.nonce, deadbeef, 4) &&
	      !last.user_data_len);
	CHECK(has(out_buf, "Attestation Document: 3926 bytes (COSE_Sign1, signature 96 bytes)\n"
			   "  Module ID: " FIX_MODULE_ID "\n  Time: 2026-12-05T22:58:37.180Z\n"));
	CHECK(has(out_buf, "\n  PCR8: 9999") && !strstr(out_buf, "PCR3") && has(out_buf, "  Nonce: deadbeef\n"));
	CHECK(!err_buf[0]);
	/* Without a nonce the request has none. */
	attest_reply(&(struct fixture){ 0 });
	CHECK(run(attest_command, "") == 0 && last.op == PROTO_OP_ATTEST && !last.nonce_len);
	CHECK(has(out_buf, "  Nonce: none\n  User Data: none\n"));
}

TEST(attest_json_and_user_data)
{
	const char *ud = tmp_file("ud", "hello", 5);
	char words[256];

	attest_reply(&(struct fixture){ .nonce = deadbeef,
					.nonce_len = 4,
					.user_data = (const unsigned char *)"hello",
					.user_data_len = 5 });
	snprintf(words, sizeof words, "--json --user-data %s --nonce=deadbeef", ud);
	CHECK(run(attest_command, words) == 0);
	CHECK(last.user_data_len == 5 && !memcmp(last.user_data, "hello", 5) && last.nonce_len == 4);
	CHECK(has(out_buf, "{\"module_id\":\"" FIX_MODULE_ID "\",\"digest\":\"SHA384\",\"time\":"));
	CHECK(has(out_buf, "\"nonce\":\"deadbeef\",\"user_data\":\"68656c6c6f\",\"public_key\":null,"));
	CHECK(has(out_buf, "\"document_bytes\":3931}\n") && strchr(out_buf, '\n')[1] == 0);
	/* --user-data=FILE, and 512 bytes (the most) is taken. */
	static unsigned char big[512];
	memset(big, 'u', sizeof big);
	attest_reply(&(struct fixture){ .user_data = big, .user_data_len = 512 });
	snprintf(words, sizeof words, "--user-data=%s", tmp_file("512", big, 512));
	CHECK(run(attest_command, words) == 0 && last.user_data_len == 512);
}

/* Standard input as the user data. */
TEST(attest_user_data_from_stdin)
{
	int in = dup(0), fd = open(tmp_file("stdin", "hello", 5), O_RDONLY);

	attest_reply(&(struct fixture){ .user_data = (const unsigned char *)"hello", .user_data_len = 5 });
	dup2(fd, 0);
	close(fd);
	CHECK(run(attest_command, "--user-data -") == 0 && last.user_data_len == 5);
	dup2(in, 0);
	close(in);
}

/* The document must carry what was asked for. */
TEST(attest_document_without_the_nonce_sent)
{
	attest_reply(&(struct fixture){ 0 });
	CHECK(run(attest_command, "--nonce 00") == 1 && !out_buf[0]);
	CHECK(has(err_buf, "✗ Error: init sent an attestation document without the nonce or user data asked for"));
	attest_reply(&(struct fixture){ .nonce = deadbeef, .nonce_len = 3 });
	CHECK(run(attest_command, "--nonce deadbeef") == 1);
}

/* -o writes the document's exact bytes; -o - to a pipe. */
TEST(attest_output_file)
{
	static char words[256], got[sizeof adoc];
	const char *path = tmp_path("doc.cbor");
	FILE *f;
	size_t n = 0;

	tmp_file("doc.cbor", "old contents, longer than nothing", 33);
	attest_reply(&(struct fixture){ .tagged = 1, .public_key = 1 });
	snprintf(words, sizeof words, "-o %s", path);
	CHECK(run(attest_command, words) == 0);
	f = fopen(path, "rb");
	CHECK(f != 0);
	if (f) {
		n = fread(got, 1, sizeof got, f);
		fclose(f);
	}
	CHECK(n == adoc_len && !memcmp(got, adoc, n));
	CHECK(has(out_buf, "Attestation Document: ") && has(out_buf, "✓ Attestation document written to "));
	/* With --json: the JSON alone on stdout. */
	snprintf(words, sizeof words, "--output=%s --json", path);
	CHECK(run(attest_command, words) == 0 && out_buf[0] == '{' && !strstr(out_buf, "✓"));
	/* -o -: the bytes on stdout, and nothing else. */
	CHECK(run(attest_command, "-o -") == 0 && out_len == adoc_len && !memcmp(out_buf, adoc, adoc_len));
	/* A file that cannot be written. */
	CHECK(run(attest_command, "-o /nonexistent/dir/doc") == 1 && !out_buf[0]);
	CHECK(has(err_buf,
		  "✗ Error: cannot write the attestation document to /nonexistent/dir/doc: No such file"));
	/* A malformed document is not written. */
	unlink(path);
	attest_reply(&(struct fixture){ .leave_out = FK_PCRS + 1 });
	snprintf(words, sizeof words, "-o %s", path);
	CHECK(run(attest_command, words) == 1 && access(path, F_OK) != 0);
}

/* Each refused before anything is sent (last.op stays 0), exit 2. */
TEST(attest_command_line_errors)
{
	static char words[2048];
	static const struct {
		const char *words, *msg;
	} cases[] = {
		{ "--nonce abc", "--nonce takes whole bytes, two hex digits each, not 3 digits" },
		{ "--nonce 0x12", "--nonce takes hex digits, and 'x' is not one" },
		{ "--nonce 12:34", "and ':' is not one" },
		{ "--nonce", "--nonce needs hex digits (1 to 512 bytes)" },
		{ "--nonce=", "--nonce needs hex digits" },
		{ "--user-data", "--user-data needs a file (-: standard input)" },
		{ "--user-data /nonexistent/ud", "cannot read /nonexistent/ud: No such file or directory" },
		{ "--user-data /", "cannot read /: Is a directory" },
		{ "-o", "-o needs a file (-: standard output)" },
		{ "-o - --json", "-o - and --json would both write to standard output" },
		{ "--bogus", "unknown argument: --bogus" },
		{ "extra", "unknown argument: extra" },
	};
	size_t k, n;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		reset();
		CHECK(run(attest_command, cases[k].words) == 2 && !last.op && !out_buf[0]);
		CHECK(has(err_buf, "initctl: attest: ") && has(err_buf, cases[k].msg));
	}
	/* 513 bytes of nonce, of user data; 512 of each (together more than a request holds). */
	reset();
	n = (size_t)snprintf(words, sizeof words, "--nonce ");
	for (k = 0; k < 513; k++)
		n += (size_t)snprintf(words + n, sizeof words - n, "a5");
	CHECK(run(attest_command, words) == 2 &&
	      has(err_buf, "--nonce is 513 bytes, more than the NSM takes (512)"));
	static unsigned char big[513];
	snprintf(words, sizeof words, "--user-data %s", tmp_file("513", big, 513));
	CHECK(run(attest_command, words) == 2 && has(err_buf, "holds more than the NSM takes (512 bytes)"));
	n = (size_t)snprintf(words, sizeof words, "--user-data %s --nonce ", tmp_file("512", big, 512));
	for (k = 0; k < 512; k++)
		n += (size_t)snprintf(words + n, sizeof words - n, "00");
	CHECK(run(attest_command, words) == 2 && !last.op &&
	      has(err_buf, "the nonce and the user data are 1024 bytes together, more than one request carries "
			   "(928)"));
}

/* A stream of DOC records that is not one whole document, in order. */
TEST(attest_malformed_streams)
{
	static const char *const why[] = {
		"bytes at 1000 after 927 (a gap)",
		"bytes at 900 after 927 (an overlap)",
		"its size changed from 3922 to 3923 bytes",
		"20000 bytes, more than 16384",
		"it ended after 1854 of 3922 bytes",
		"an empty record",
		"no document came",
		"a record that is not a piece of it, or ends past its size",
		"a record that is not a piece of it, or ends past its size",
	};
	size_t k;

	for (k = 0; k < sizeof why / sizeof why[0]; k++) {
		attest_reply(&(struct fixture){ 0 });
		CHECK(adoc_len == 3922);
		nrecs = 1;
		switch (k) {
		case 0: add_doc(1000, 100, 3922); break;
		case 1: add_doc(900, 100, 3922); break;
		case 2: add_doc(927, 100, 3923); break;
		case 3: nrecs = 0, add_doc(0, 100, 20000); break;
		case 4: add_doc(927, 927, 3922); break;
		case 5: add_doc(927, 0, 3922); break;
		case 6: nrecs = 0; break;
		case 7: add_system(PROTO_SYS_HEALTHY); break;
		case 8: add_doc(927, 927, 3922), add_doc(1854, 927, 1860); break;
		}
		CHECK(run(attest_command, "--json") == 1 && !out_buf[0]);
		if (!has(err_buf, "✗ Error: init sent a malformed attestation document: ") ||
		    !has(err_buf, why[k]))
			CHECK(!"its message");
	}
	/* Whole, but not a document. */
	attest_reply(&(struct fixture){ .pcr_len = 20 });
	CHECK(run(attest_command, "") == 1 &&
	      has(err_buf,
		  "✗ Error: init sent a malformed attestation document: PCR0 is 20 bytes, not 32, 48 or 64"));
}

TEST(attest_exit_statuses)
{
	reset();
	reply_status = PROTO_E_FAILED;
	reply_msg = "no NSM device (/dev/nsm: No such file or directory)";
	CHECK(run(attest_command, "") == 1 && !out_buf[0] && has(err_buf, "✗ Error: no NSM device"));
	reply_status = PROTO_E_OP;
	CHECK(run(attest_command, "--json") == 1 && !out_buf[0]);
	reply_status = PROTO_E_PERM;
	reply_msg = "'attest' is not allowed over vsock by this image's control policy";
	CHECK(run(attest_command, "") == 4);
	reply_status = CLIENT_UNREACHABLE;
	reply_msg = "cannot connect to init at vsock 16:9001: Connection refused (...)";
	CHECK(run(attest_command, "") == 69 && has(err_buf, "cannot connect to init at vsock 16:9001"));
	unlink(tmp_path("ud")), unlink(tmp_path("512")), unlink(tmp_path("513")), unlink(tmp_path("stdin"));
	unlink(tmp_path("doc.cbor"));
	CHECK(rmdir(tmpdir) == 0);
}

RUN_TESTS("commands", T(health_text_and_exit_status), T(health_of_one_service), T(health_json),
	  T(events_lines_and_arguments), T(metrics_reply), T(status_exit_statuses),
	  T(status_shows_readiness_only_when_there_is_some), T(attest_summary_and_request),
	  T(attest_json_and_user_data), T(attest_user_data_from_stdin), T(attest_document_without_the_nonce_sent),
	  T(attest_output_file), T(attest_command_line_errors), T(attest_malformed_streams),
	  T(attest_exit_statuses))
