/* initctl_ps: the `initctl ps` commands without init.
 *
 * The formatting helpers against manual 002's own samples (byte for byte),
 * the parsing of every command, and the requests they make: client_call is
 * a fake here that records the request and replays canned records.
 */
#include <stdlib.h>
#include <unistd.h>

/* CHECK_STR cuts long strings into its message on purpose (a warning of
 * gcc's; clang, in the sanitize flavour, has none such). */
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include "cfg.h"
#include "harness.h"
#include "initctl_ps.h"
#include "words.h"

/* --- fakes of initctl.c and client.c --- */

static struct proto_req last; /* the last request client_call got */
static unsigned char last_text[PROTO_TEXT_SIZE];
static int calls;
static int nrecs; /* records the fake replies with */
static unsigned char recs[4][PROTO_FRAME_SIZE];
static int rec_repeat = 1; /* each record this many times (big listings) */
static int reply_status;
static const char *reply_msg = "ok";

/* The request goes through the wire and back, as init would decode it. */
int client_call(const struct client_target *t, const struct proto_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res)
{
	static unsigned char frame[PROTO_FRAME_SIZE];
	const char *why = "";
	int i, k;

	(void)t;
	proto_pack_request(frame, 0, rq);
	CHECK(proto_unpack_request(frame, 0, &last, &why) == PROTO_OK);
	memset(last_text, 0, sizeof last_text);
	if (last.text)
		memcpy(last_text, last.text, last.len);
	calls++;
	for (i = 0; i < nrecs; i++)
		for (k = 0; k < rec_repeat; k++)
			if (fn)
				fn(recs[i], ctx);
	res->status = reply_status;
	snprintf(res->msg, sizeof res->msg, "%s", reply_msg);
	return 0;
}

static void reset(void)
{
	memset(&last, 0, sizeof last);
	calls = nrecs = reply_status = 0;
	rec_repeat = 1;
	reply_msg = "ok";
}

/* --- capturing stdout and stderr --- */

static char out_buf[1 << 20], err_buf[8192];
static int saved_out = -1, saved_err = -1;
static FILE *out_tmp, *err_tmp;

static void capture(void)
{
	fflush(stdout);
	fflush(stderr);
	out_tmp = tmpfile();
	err_tmp = tmpfile();
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fileno(out_tmp), 1);
	dup2(fileno(err_tmp), 2);
}

static void release(void)
{
	size_t n;

	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	rewind(out_tmp);
	n = fread(out_buf, 1, sizeof out_buf - 1, out_tmp);
	out_buf[n] = 0;
	rewind(err_tmp);
	n = fread(err_buf, 1, sizeof err_buf - 1, err_tmp);
	err_buf[n] = 0;
	fclose(out_tmp);
	fclose(err_tmp);
}

/* ps_command on a word list; output in out_buf and err_buf. */
static int run_ps(const char *words)
{
	static char copy[4096];
	char *argv[64], *w;
	int argc = 0, rc;
	struct client_target t = { CLIENT_UNIX, "/nonexistent/test.sock", 0, 0 };

	snprintf(copy, sizeof copy, "%s", words);
	for (w = strtok(copy, " "); w && argc < 63; w = strtok(0, " "))
		argv[argc++] = w;
	argv[argc] = 0;
	capture();
	rc = ps_command(&t, argc, argv);
	release();
	return rc;
}

/* A PS record as init sends one. */
static void ps_rec(unsigned char *f, unsigned pid, unsigned ppid, char state, unsigned cpu_x100,
		   unsigned long long rss_kb, const char *svc, const char *comm, const char *cmd)
{
	struct proto_ps p = { .pid = pid,
			      .ppid = ppid,
			      .state = (uint8_t)state,
			      .managed = svc != 0,
			      .cpu_x100 = cpu_x100,
			      .rss_kb = rss_kb,
			      .start = 1234567890 };

	snprintf(p.name, sizeof p.name, "%s", svc ? svc : "");
	snprintf(p.comm, sizeof p.comm, "%s", comm);
	snprintf(p.cmd, sizeof p.cmd, "%s", cmd);
	proto_pack_ps(f, 0, &p);
}

/* A record's fields, decoded, to change some and pack it again. */
static struct proto_ps *fields(const unsigned char *f)
{
	static struct proto_ps p;

	CHECK(proto_unpack_ps(f, &p) == 0);
	return &p;
}

static char *memout(void (*fn)(FILE *, const unsigned char *), const unsigned char *rec)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof buf, "w");

	fn(f, rec);
	fclose(f);
	return buf;
}

static void header_fn(FILE *f, const unsigned char *rec)
{
	(void)rec;
	ps_print_header(f);
}

static void row_fn(FILE *f, const unsigned char *rec)
{
	ps_print_row(f, fields(rec));
}

static const char *status_cmdline;
static void status_fn(FILE *f, const unsigned char *rec)
{
	ps_print_status(f, fields(rec), status_cmdline);
}

/* --- formatting --- */

TEST(state_words)
{
	static const char *const want[][2] = {
		{ "R", "Running" }, { "S", "Sleeping" }, { "Z", "Zombie" }, { "T", "Stopped" },
		{ "t", "Tracing" }, { "X", "Dead" },     { "x", "Dead" },   { "K", "Wakekill" },
		{ "W", "Waking" },  { "P", "Parked" },   { "I", "Idle" },
	};
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		CHECK_STR(words_ps_state(want[i][0][0], 0), want[i][1]);
		CHECK_STR(words_ps_state(want[i][0][0], 1), want[i][1]);
	}
	/* The manual's name in ps status; no space in the list's column. */
	CHECK_STR(words_ps_state('D', 0), "Disk sleep");
	CHECK_STR(words_ps_state('D', 1), "Disk-sleep");
	CHECK_STR(words_ps_state('?', 1), "Unknown");
	CHECK_STR(words_ps_state(0, 1), "Unknown");
}

static const char *cpu(uint32_t x100)
{
	static char b[32];
	ps_fmt_cpu(x100, b, sizeof b);
	return b;
}

static const char *mem(uint64_t kb)
{
	static char b[32];
	ps_fmt_mem(kb, b, sizeof b);
	return b;
}

TEST(cpu_one_decimal_truncated)
{
	CHECK_STR(cpu(0), "0.0");
	CHECK_STR(cpu(9), "0.0");
	CHECK_STR(cpu(10), "0.1");
	CHECK_STR(cpu(250), "2.5");
	CHECK_STR(cpu(259), "2.5");
	CHECK_STR(cpu(9999), "99.9");
	CHECK_STR(cpu(10000), "100.0");
	CHECK_STR(cpu(39876), "398.7"); /* threads on 4 CPUs */
	CHECK_STR(cpu(UINT32_MAX), "42949672.9");
}

TEST(memory_units)
{
	CHECK_STR(mem(0), "0K");
	CHECK_STR(mem(152), "152K");
	CHECK_STR(mem(1023), "1023K");
	CHECK_STR(mem(1024), "1M");
	CHECK_STR(mem(1126), "1M"); /* 1.09: truncated */
	CHECK_STR(mem(1127), "1.1M");
	CHECK_STR(mem(12800), "12.5M"); /* the manual's init */
	CHECK_STR(mem(8397), "8.2M");   /* its bash */
	CHECK_STR(mem(65536), "64M");   /* its python script */
	CHECK_STR(mem(262144), "256M"); /* its webapp */
	CHECK_STR(mem(1048575), "1023.9M");
	CHECK_STR(mem(1048576), "1G");
	CHECK_STR(mem(1572864), "1.5G");
	CHECK_STR(mem(1024ULL * 1024 * 1024), "1024G");
}

TEST(command_cut_at_33_characters)
{
	char b[256];

	ps_clean("/usr/bin/python3 /app/server.py", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "/usr/bin/python3 /app/server.py");
	ps_clean("/usr/bin/postgres -D /var/lib/postgresql/data", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "/usr/bin/postgres -D /var/lib/...");
	ps_clean("123456789012345678901234567890123", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "123456789012345678901234567890123"); /* 33: whole */
	ps_clean("1234567890123456789012345678901234", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "123456789012345678901234567890..."); /* 34: cut */
	ps_clean("", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "");
}

TEST(command_cut_on_character_boundaries)
{
	char in[256], b[256], want[256];
	int i;

	/* 40 two-byte characters: 30 of them (60 bytes) and the dots. */
	in[0] = want[0] = 0;
	for (i = 0; i < 40; i++)
		strcat(in, "é");
	for (i = 0; i < 30; i++)
		strcat(want, "é");
	strcat(want, "...");
	ps_clean(in, PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, want);
	/* 33 characters of 1 to 4 bytes: counted as characters, kept whole. */
	ps_clean("echo 日本語 € 🙂 ééé aaaaaaaaaaaaaaa", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "echo 日本語 € 🙂 ééé aaaaaaaaaaaaaaa");
	/* The cut falls right after a four-byte character. */
	ps_clean("12345678901234567890123456789🙂🙂🙂🙂🙂", PS_CMD_COLUMN, PS_CMD_KEEP, b, sizeof b);
	CHECK_STR(b, "12345678901234567890123456789🙂...");
	/* A small buffer ends on a boundary too: "日" is 3 bytes. */
	ps_clean("日本語", 0, 0, b, 6);
	CHECK_STR(b, "日");
}

TEST(command_control_bytes_and_bad_utf8)
{
	char b[256];

	ps_clean("sh -c a\nb\tc\033[31m", 0, 0, b, sizeof b);
	CHECK_STR(b, "sh -c a?b?c?[31m");
	ps_clean("x\xc2\x85y\xc2\xa0z", 0, 0, b, sizeof b); /* C1 NEL; NBSP stays */
	CHECK_STR(b, "x?y\xc2\xa0z");
	ps_clean("a\xff\x80z", 0, 0, b, sizeof b); /* invalid bytes pass, one each */
	CHECK_STR(b, "a\xff\x80z");
	ps_clean("abc\xe6\x97", 0, 0, b, sizeof b); /* cut off by the sender */
	CHECK_STR(b, "abc");
	ps_clean("\xe6\x97z", 0, 0, b, sizeof b); /* a lead byte alone */
	CHECK_STR(b, "\xe6\x97z");
}

/* The manual's `ps list` sample, line by line. */
TEST(list_rows_as_in_the_manual)
{
	unsigned char f[PROTO_FRAME_SIZE];

	CHECK_STR(memout(header_fn, 0),
		  "PID      PPID     STATE        CPU%   MEM      MANAGED    SERVICE    COMMAND\n"
		  "-----------------------------------------------------------------------------------------------"
		  "-----\n");
	ps_rec(f, 1, 0, 'S', 10, 12800, 0, "init", "/sbin/init");
	CHECK_STR(memout(row_fn, f),
		  "1        0        Sleeping     0.1    12.5M    no         -          /sbin/init\n");
	ps_rec(f, 123, 1, 'R', 250, 262144, "webapp", "python3", "/usr/bin/python3 /app/server.py");
	CHECK_STR(memout(row_fn, f), "123      1        Running      2.5    256M     yes        webapp     "
				     "/usr/bin/python3 /app/server.py\n");
	ps_rec(f, 124, 1, 'S', 120, 524288, "database", "postgres",
	       "/usr/bin/postgres -D /var/lib/postgresql/data");
	CHECK_STR(memout(row_fn, f), "124      1        Sleeping     1.2    512M     yes        database   "
				     "/usr/bin/postgres -D /var/lib/...\n");
	ps_rec(f, 200, 1, 'S', 0, 8397, 0, "bash", "bash");
	CHECK_STR(memout(row_fn, f),
		  "200      1        Sleeping     0.0    8.2M     no         -          bash\n");
	ps_rec(f, 201, 200, 'R', 520, 65536, 0, "python", "python script.py");
	CHECK_STR(memout(row_fn, f),
		  "201      200      Running      5.2    64M      no         -          python script.py\n");
	/* Disk sleep keeps the fields after STATE where awk expects them. */
	ps_rec(f, 7, 1, 'D', 0, 100, 0, "dd", "dd if=/dev/sda");
	CHECK_STR(memout(row_fn, f),
		  "7        1        Disk-sleep   0.0    100K     no         -          dd if=/dev/sda\n");
	/* A long service name widens its cell; a space still separates. */
	ps_rec(f, 8, 1, 'S', 0, 100, "a-very-long-service-name", "x", "x");
	CHECK_STR(memout(row_fn, f),
		  "8        1        Sleeping     0.0    100K     yes        a-very-long-service-name x\n");
}

/* The manual's `ps status 123` sample. */
TEST(status_block_as_in_the_manual)
{
	unsigned char f[PROTO_FRAME_SIZE];

	ps_rec(f, 123, 1, 'R', 250, 262144, "webapp", "python3", "/usr/bin/python3 /app/serv");
	status_cmdline = "/usr/bin/python3 /app/server.py";
	CHECK_STR(memout(status_fn, f), "Process: 123\n"
					"  Name: python3\n"
					"  Parent PID: 1\n"
					"  State: Running\n"
					"  Command: /usr/bin/python3 /app/server.py\n"
					"  CPU: 2.5%\n"
					"  Memory: 256M\n"
					"  Start Time: 1234567890\n"
					"  Managed by Init: yes\n"
					"  Service: webapp\n");
	ps_rec(f, 9, 1, 'D', 0, 2048, 0, "dd", "dd");
	status_cmdline = "dd if=/dev/zero\nof=x";
	CHECK_STR(memout(status_fn, f), "Process: 9\n"
					"  Name: dd\n"
					"  Parent PID: 1\n"
					"  State: Disk sleep\n"
					"  Command: dd if=/dev/zero?of=x\n"
					"  CPU: 0.0%\n"
					"  Memory: 2M\n"
					"  Start Time: 1234567890\n"
					"  Managed by Init: no\n");
}

TEST(status_of_an_ended_adhoc_process)
{
	unsigned char f[PROTO_FRAME_SIZE];

	struct proto_ps *p;

	ps_rec(f, 789, 0, 0, 0, 0, 0, "", "");
	p = fields(f);
	p->adhoc = 1;
	p->exit_kind = PROTO_EXIT_CODE;
	p->exit_code = 3;
	proto_pack_ps(f, 0, p);
	status_cmdline = "/bin/sh -c exit 3";
	CHECK_STR(memout(status_fn, f), "Process: 789\n"
					"  State: Exited (code 3)\n"
					"  Command: /bin/sh -c exit 3\n"
					"  Managed by Init: no\n");
	p = fields(f);
	p->exit_kind = PROTO_EXIT_SIGNAL;
	p->exit_code = 9;
	proto_pack_ps(f, 0, p);
	CHECK(strstr(memout(status_fn, f), "  State: Killed (signal 9: SIGKILL)\n"));
	p = fields(f);
	p->exit_code = 40;
	proto_pack_ps(f, 0, p);
	CHECK(strstr(memout(status_fn, f), "  State: Killed (signal 40)\n"));
}

/* --- parsing and requests --- */

TEST(pids)
{
	int32_t p = 7;

	CHECK(ps_parse_pid("123", &p) == 0 && p == 123);
	CHECK(ps_parse_pid("-1", &p) == 0 && p == -1);
	CHECK(ps_parse_pid("0", &p) == 0 && p == 0);
	CHECK(ps_parse_pid("2147483647", &p) == 0 && p == 2147483647);
	CHECK(ps_parse_pid("-2147483648", &p) == 0 && p == INT32_MIN);
	CHECK(ps_parse_pid("2147483648", &p) < 0);
	CHECK(ps_parse_pid("99999999999999999999", &p) < 0);
	CHECK(ps_parse_pid("abc", &p) < 0 && ps_parse_pid("", &p) < 0 && ps_parse_pid("-", &p) < 0);
	CHECK(ps_parse_pid("12a", &p) < 0 && ps_parse_pid("+5", &p) < 0 && ps_parse_pid(" 5", &p) < 0);
	CHECK(ps_parse_pid("--5", &p) < 0 && ps_parse_pid("0x10", &p) < 0);
}

/* ps_pack_start on a word list: 0 or 2, the request in *r. */
static int pack(const char *words, struct ps_start_req *r, char *err)
{
	static char copy[4096];
	char *argv[300], *w;
	int argc = 0;

	snprintf(copy, sizeof copy, "%s", words);
	for (w = strtok(copy, " "); w && argc < 299; w = strtok(0, " "))
		argv[argc++] = w;
	return ps_pack_start(argc, argv, r, err, 256);
}

static int text_is(const struct ps_start_req *r, const char *want, size_t len)
{
	return r->len == len && !memcmp(r->text, want, len);
}

TEST(start_packing)
{
	static struct ps_start_req r;
	char err[256];

	CHECK(pack("/usr/bin/python3 script.py", &r, err) == 0);
	CHECK(r.argc == 2 && r.envc == 0 && text_is(&r, "/usr/bin/python3\0script.py", 27));
	CHECK(pack("/usr/bin/myapp -e LOG_LEVEL=debug -e PORT=8080", &r, err) == 0);
	CHECK(r.argc == 1 && r.envc == 2 && text_is(&r, "/usr/bin/myapp\0LOG_LEVEL=debug\0PORT=8080", 41));
	/* -e anywhere, --env, --env=, options before the command. */
	CHECK(pack("--env=A=1 /bin/x --config /etc/x.conf -e B= --env C=a=b -v", &r, err) == 0);
	CHECK(r.argc == 4 && r.envc == 3 && text_is(&r, "/bin/x\0--config\0/etc/x.conf\0-v\0A=1\0B=\0C=a=b", 44));
	/* After --, -e is the command's own. */
	CHECK(pack("-e K=V -- grep -e pattern", &r, err) == 0);
	CHECK(r.argc == 3 && r.envc == 1 && text_is(&r, "grep\0-e\0pattern\0K=V", 20));
	CHECK(pack("grep -- -e --", &r, err) == 0);
	CHECK(r.argc == 3 && r.envc == 0 && text_is(&r, "grep\0-e\0--", 11));
	CHECK(pack("-- -dash-command", &r, err) == 0 && r.argc == 1);
	CHECK(r.user[0] == 0); /* no --user: root */
	/* --user NAME|UID, anywhere before --, like -e. */
	CHECK(pack("--user nobody /usr/bin/id -u", &r, err) == 0);
	CHECK(!strcmp(r.user, "nobody") && r.argc == 2 && text_is(&r, "/usr/bin/id\0-u", 15));
	CHECK(pack("/usr/bin/id --user=65534 -e A=1", &r, err) == 0);
	CHECK(!strcmp(r.user, "65534") && r.argc == 1 && r.envc == 1);
	CHECK(pack("-- /usr/bin/id --user x", &r, err) == 0);
	CHECK(r.user[0] == 0 && r.argc == 3);
}

TEST(start_usage_errors)
{
	static struct ps_start_req r;
	static char big[2048];
	char err[256];
	int i;

	CHECK(pack("", &r, err) == 2 && !strcmp(err, "needs a COMMAND"));
	CHECK(pack("-e A=1", &r, err) == 2 && !strcmp(err, "needs a COMMAND"));
	CHECK(pack("/bin/x -e NOEQUALS", &r, err) == 2 && strstr(err, "-e takes KEY=VALUE, not 'NOEQUALS'"));
	CHECK(pack("/bin/x -e =v", &r, err) == 2 && strstr(err, "the variable name is empty"));
	CHECK(pack("/bin/x -e", &r, err) == 2 && !strcmp(err, "-e needs KEY=VALUE"));
	CHECK(pack("/bin/x --env", &r, err) == 2 && !strcmp(err, "--env needs KEY=VALUE"));
	CHECK(pack("-v /bin/x", &r, err) == 2 && strstr(err, "unknown option before the command: -v"));
	CHECK(pack("/bin/x --user", &r, err) == 2 && !strcmp(err, "--user needs NAME or UID"));
	CHECK(pack("--user a/b /bin/x", &r, err) == 2 &&
	      !strcmp(err, "--user 'a/b' is not a user name or numeric id"));
	CHECK(pack("--user= /bin/x", &r, err) == 2 && !strcmp(err, "--user '' is not a user name or numeric id"));
	{
		char *argv[] = { "", "a" };
		CHECK(ps_pack_start(2, argv, &r, err, sizeof err) == 2 &&
		      !strcmp(err, "the command must not be empty"));
	}
	/* 928 bytes fit exactly; 929 do not, and nothing is sent. */
	memset(big, 'a', 927);
	big[927] = 0;
	CHECK(pack(big, &r, err) == 0 && r.len == 928);
	big[927] = 'a';
	CHECK(pack(big, &r, err) == 2 &&
	      !strcmp(err, "command line and environment too long: 929 bytes, at most 928"));
	memset(big, 0, sizeof big);
	memset(big, 'a', 900);
	strcat(big, " -e K=0123456789012345678901234567890");
	CHECK(pack(big, &r, err) == 2 &&
	      !strcmp(err, "command line and environment too long: 935 bytes, at most 928"));
	/* 255 arguments are the protocol's limit. */
	big[0] = 0;
	for (i = 0; i < 256; i++)
		strcat(big, "a ");
	CHECK(pack(big, &r, err) == 2 && !strcmp(err, "too many arguments (at most 255)"));
}

TEST(kill_requests)
{
	reset();
	CHECK(run_ps("kill 789") == 0 && last.op == PROTO_OP_PS_KILL && last.pid == 789 && last.signal == 15);
	CHECK_STR(out_buf, "✓ ok\n");
	CHECK(run_ps("kill 789 --signal 9") == 0 && last.pid == 789 && last.signal == 9);
	CHECK(run_ps("kill 789 -s 1") == 0 && last.signal == 1);
	CHECK(run_ps("kill -s KILL 789") == 0 && last.pid == 789 && last.signal == 9);
	CHECK(run_ps("kill 789 --signal=sighup") == 0 && last.signal == 1);
	CHECK(run_ps("kill 789 -s SIGUSR1") == 0 && last.signal == 10);
	CHECK(run_ps("kill 789 -s 64") == 0 && last.signal == 64);
	/* Negative PIDs are PIDs, not options: init says why it refuses them. */
	CHECK(run_ps("kill -1") == 0 && last.pid == -1 && last.signal == 15);
	CHECK(run_ps("kill -1 -s 9") == 0 && last.pid == -1 && last.signal == 9);
	calls = 0;
	CHECK(run_ps("kill -9 789") == 2 && calls == 0);
	CHECK(strstr(err_buf,
		     "initctl: ps kill: takes one PID, not '789' as well (a signal goes with -s, e.g. -s 9)"));
	CHECK(run_ps("kill 789 -s 0") == 2 && strstr(err_buf, "'0' is not a signal"));
	CHECK(run_ps("kill 789 -s 65") == 2 && run_ps("kill 789 -s NOPE") == 2);
	CHECK(run_ps("kill 789 -s") == 2 && strstr(err_buf, "-s needs a signal"));
	CHECK(run_ps("kill") == 2 && strstr(err_buf, "initctl: ps kill: needs a PID"));
	CHECK(run_ps("kill abc") == 2 && strstr(err_buf, "'abc' is not a PID"));
	CHECK(run_ps("kill 789 --force") == 2 && strstr(err_buf, "unknown option: --force"));
	CHECK(calls == 0);
}

TEST(pid_requests)
{
	reset();
	CHECK(run_ps("stop 789") == 0 && last.op == PROTO_OP_PS_STOP && last.pid == 789 && last.signal == 0);
	CHECK(run_ps("restart 123") == 0 && last.op == PROTO_OP_PS_RESTART && last.pid == 123);
	CHECK(run_ps("stop -1") == 0 && last.pid == -1);
	CHECK(run_ps("stop 0") == 0 && last.pid == 0);
	calls = 0;
	CHECK(run_ps("stop") == 2 && run_ps("stop 1 2") == 2 && run_ps("stop x") == 2);
	CHECK(run_ps("restart -s 9 5") == 2 && strstr(err_buf, "unknown option: -s"));
	CHECK(run_ps("status") == 2 && run_ps("status 1.5") == 2);
	CHECK(run_ps("list extra") == 2 && strstr(err_buf, "initctl: ps list: takes no arguments"));
	CHECK(run_ps("") == 2 && strstr(err_buf, "initctl: ps: needs a command"));
	CHECK(run_ps("frob 1") == 2 && strstr(err_buf, "unknown command 'frob'"));
	CHECK(calls == 0);
	/* init's refusal is printed as an error, exit status 1. */
	reply_status = PROTO_E_STATE;
	reply_msg = "Process 789 is not managed by init, cannot restart";
	CHECK(run_ps("restart 789") == 1);
	CHECK_STR(err_buf, "✗ Error: Process 789 is not managed by init, cannot restart\n");
	CHECK_STR(out_buf, "");
}

TEST(list_streams_every_record)
{
	int lines = 0;
	char *p;

	reset();
	ps_rec(recs[0], 1, 0, 'S', 0, 152, 0, "init", "/sbin/init");
	ps_rec(recs[1], 2, 1, 'S', 0, 1400, "webapp", "sleep", "/bin/sleep 100000");
	proto_pack_text(recs[2], 0,
			&(struct proto_text){ PROTO_KEY_CMDLINE, "", 0 }); /* not a PS record: ignored */
	nrecs = 3;
	rec_repeat = 2500;
	CHECK(run_ps("list") == 0 && last.op == PROTO_OP_PS_LIST);
	for (p = out_buf; (p = strchr(p, '\n')); p++)
		lines++;
	CHECK(lines == 2 + 5000);
	CHECK(!strncmp(out_buf, "PID      PPID", 13));
	/* An empty (but successful) listing still has its header. */
	nrecs = 0;
	CHECK(run_ps("list") == 0 && !strncmp(out_buf, "PID ", 4) && strchr(out_buf, '\n')[102] == 0);
	/* A refusal prints the error only, exit status 4 (systemctl's). */
	reply_status = PROTO_E_PERM;
	reply_msg = "denied";
	CHECK(run_ps("list") == 4 && out_buf[0] == 0 && !strcmp(err_buf, "✗ Error: denied\n"));
}

/* --json: one document for list and status; the exit statuses stay. */
TEST(json_documents)
{
	reset();
	ps_rec(recs[0], 1, 0, 'S', 0, 160, 0, "init", "/sbin/init");
	ps_rec(recs[1], 2, 1, 'R', 9750, 1600, "burner", "sh", "/bin/sh -c \"while :; do :; done\"");
	nrecs = 2;
	CHECK(run_ps("list --json") == 0 && last.op == PROTO_OP_PS_LIST);
	CHECK(strstr(out_buf, "{\"processes\":[{\"pid\":1,\"ppid\":0,\"state\":\"Sleeping\",") == out_buf);
	CHECK(strstr(out_buf, "\"cpu_percent\":97.50,") &&
	      strstr(out_buf, "\"command\":\"/bin/sh -c \\\"while :; do :; done\\\"\""));
	CHECK(!strcmp(out_buf + strlen(out_buf) - 4, "}]}\n"));
	nrecs = 0;
	CHECK(run_ps("list --json") == 0 && !strcmp(out_buf, "{\"processes\":[]}\n"));
	ps_rec(recs[0], 42, 1, 'S', 0, 2048, 0, "sh", "cut");
	proto_pack_text(recs[1], 0, &(struct proto_text){ PROTO_KEY_CMDLINE, "sh -c 'x'", 9 });
	nrecs = 2;
	CHECK(run_ps("status --json 42") == 0 && last.pid == 42);
	CHECK(strstr(out_buf, "{\"pid\":42,") && strstr(out_buf, "\"command\":\"sh -c 'x'\",") &&
	      out_buf[strlen(out_buf) - 1] == '\n' && !strchr(out_buf, '\n')[1]);
	reply_status = PROTO_E_NOT_FOUND;
	reply_msg = "Process 42: no such process";
	CHECK(run_ps("status 42 --json") == 4 && out_buf[0] == 0 &&
	      !strcmp(err_buf, "✗ Error: Process 42: no such process\n"));
	/* After ps start, --json is the command's own word. */
	reply_status = 0;
	CHECK(run_ps("start /bin/echo --json") == 0 && last.argc == 2);
}

TEST(status_joins_the_command_line)
{
	char want[3000];
	int i;

	reset();
	ps_rec(recs[0], 42, 1, 'S', 0, 2048, 0, "sh", "cut");
	/* Three TEXT records of 927, 927 and 5 bytes. */
	for (i = 1; i <= 3; i++) {
		char piece[PROTO_TEXT_SIZE - 1];
		memset(piece, 'a' + i, sizeof piece);
		proto_pack_text(recs[i], 0,
				&(struct proto_text){ PROTO_KEY_CMDLINE, piece, i < 3 ? PROTO_TEXT_SIZE - 1 : 5 });
	}
	nrecs = 4;
	CHECK(run_ps("status 42") == 0 && last.op == PROTO_OP_PS_STATUS && last.pid == 42);
	memset(want, 0, sizeof want);
	memset(want, 'b', 927);
	memset(want + 927, 'c', 927);
	memset(want + 1854, 'd', 5);
	CHECK(strstr(out_buf, want) && strstr(out_buf, "  Command: bbb"));
	CHECK(!strncmp(strstr(out_buf, "  Command: ") + 11 + 1859, "\n  CPU: 0.0%\n", 13));
	/* No PS record in a successful reply: said, not printed as a block. */
	nrecs = 0;
	CHECK(run_ps("status 42") == 1 && strstr(err_buf, "init sent no process record"));
}

TEST(start_requests)
{
	reset();
	reply_msg = "Process started with PID 789 (PID: 789)";
	CHECK(run_ps("start /usr/bin/myapp --config /etc/myapp.conf -e LOG_LEVEL=debug -e PORT=8080") == 0);
	CHECK(last.op == PROTO_OP_PS_START && last.argc == 3 && last.envc == 2 && last.len == 66);
	CHECK(!memcmp(last_text, "/usr/bin/myapp\0--config\0/etc/myapp.conf\0LOG_LEVEL=debug\0PORT=8080", 66));
	CHECK_STR(out_buf, "✓ Process started with PID 789 (PID: 789)\n");
	CHECK(run_ps("run /bin/true") == 0 && last.argc == 1 && last.len == 10);
	CHECK(last.name && !last.name[0]); /* root: the name field empty, as before --user */
	CHECK(run_ps("start --user www-data /bin/true") == 0 && last.op == PROTO_OP_PS_START);
	CHECK(last.name && !strcmp(last.name, "www-data") && last.argc == 1 && last.len == 10);
	reply_status = PROTO_E_FAILED;
	reply_msg = "cannot start /x: exec: No such file or directory";
	CHECK(run_ps("start /x") == 1 &&
	      !strcmp(err_buf, "✗ Error: cannot start /x: exec: No such file or directory\n"));
	calls = 0;
	CHECK(run_ps("start") == 2 && strstr(err_buf, "initctl: ps start: needs a COMMAND"));
	CHECK(run_ps("run -e X /bin/true") == 2 && strstr(err_buf, "initctl: ps run: -e takes KEY=VALUE"));
	CHECK(calls == 0);
}

/* initctl checks every reply frame before reading it: PS records included
 * (without them, every `ps list` and `ps status` ends in "malformed reply
 * from init: unknown record type"). */
TEST(ps_records_pass_the_reply_check)
{
	unsigned char f[PROTO_FRAME_SIZE];
	const char *why = "";

	ps_rec(f, 123, 1, 'R', 250, 262144, "webapp", "python3", "/usr/bin/python3 /app/server.py");
	CHECK(proto_check_reply(f, &why) == PROTO_OK);
}

RUN_TESTS("initctl_ps", T(state_words), T(cpu_one_decimal_truncated), T(memory_units),
	  T(command_cut_at_33_characters), T(command_cut_on_character_boundaries),
	  T(command_control_bytes_and_bad_utf8), T(list_rows_as_in_the_manual), T(status_block_as_in_the_manual),
	  T(status_of_an_ended_adhoc_process), T(pids), T(start_packing), T(start_usage_errors), T(kill_requests),
	  T(pid_requests), T(list_streams_every_record), T(status_joins_the_command_line), T(start_requests),
	  T(ps_records_pass_the_reply_check), T(json_documents))
