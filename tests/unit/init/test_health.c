/* Health checks with real child processes, through health.c and spawn.c,
 * driven by a small loop of the test's own (poll on the output pipes,
 * waitpid, health_tick) the way init's loop drives them. The test brings
 * its own service table (the generated one has no HealthCmd): a slot per
 * case below, the app slot for flapping. Waits have a generous bound for
 * progress only; no assertion depends on how long anything took. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "harness.h"
#include "health.h"

enum { PASS, FAIL, TOGGLE, PERIOD, SLOW, LINES, CUT, HUGE, NOEXEC, NOPATH, STOP, NONE };
_Static_assert(NONE < CFG_NSVC, "the unit configuration has a slot per case");

/* The checks run in dir (a fresh temporary directory, the services'
 * WorkingDirectory): a file there makes the checks that test for it pass. */
static char dir[64];
static const char *const env[] = { "PATH=/usr/bin:/bin", 0 };
static const char *const env_nopath[] = { "PATH=/nonexistent-health13:/usr/bin:/bin", 0 };

#define SH(cmd) ((const char *const[]){ "/bin/sh", "-c", cmd, 0 })
/* A service checked every HealthStartIntervalSec 0 (right away again)
 * until a pass, then every interval seconds. */
#define CHECK_SVC(n, check, retries, interval, timeout, period, e)                                      \
	{                                                                                               \
		.name = (n), .argv = SH("exit 0"), .envp = (e), .workdir = dir, .health_text = (n),     \
		.health_argv = (check), .health_retries = (retries), .health_interval_sec = (interval), \
		.health_timeout_sec = (timeout), .health_start_period_sec = (period)                    \
	}

const struct cfg_svc cfg_svc[CFG_NSVC_SLOTS] = {
	[PASS] = CHECK_SVC("pass", SH("echo ok"), 3, 3600, 3600, 0, env),
	[FAIL] = CHECK_SVC("fail", SH("echo bad; exit 1"), 3, 0, 3600, 0, env),
	[TOGGLE] = CHECK_SVC("toggle", SH("test -e toggle"), 2, 0, 3600, 0, env),
	[PERIOD] = CHECK_SVC("period", SH("test -e period"), 1, 0, 3600, 3600, env),
	[SLOW] = CHECK_SVC("slow", SH("sleep 100"), 3, 0, 1, 0, env),
	[LINES] = CHECK_SVC("lines", SH("printf 'hello\\r\\nsecond\\n'"), 3, 0, 3600, 0, env),
	[CUT] = CHECK_SVC("cut", SH("printf 'a\\tb\\001c\\303\\251'; printf '%0300d\\n' 0"), 3, 0, 3600, 0, env),
	[HUGE] = CHECK_SVC("huge", SH("yes"), 3, 0, 3600, 0, env),
	[NOEXEC] = CHECK_SVC("noexec", ((const char *const[]){ "/nonexistent-health13/check", 0 }), 3, 0, 3600, 0,
			     env),
	[NOPATH] = CHECK_SVC("nopath", ((const char *const[]){ "no-such-check-health13", 0 }), 3, 0, 3600, 0,
			     env_nopath),
	[STOP] = CHECK_SVC("stop", SH("sleep 100"), 3, 0, 3600, 0, env),
	[NONE] = { .name = "none", .argv = SH("exit 0"), .envp = env },
};
struct cfg_svc app_cfg;
const struct cfg_init cfg_init; /* no notify socket: spawn.c reads it */

/* What health_changed reported. */
struct change {
	int i, from, to;
	uint64_t after; /* health_checks_run() then */
};
static struct change changes[16];
static int nchanges;

static void changed(int i, int from, int to)
{
	if (nchanges < 16)
		changes[nchanges++] = (struct change){ i, from, to, health_checks_run() };
}

/* Checks reaped by the loop, and the status of the last one. */
static int reaped;
static int reaped_status;

static void reap(int block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0)
		if (health_reaped(pid, status)) {
			reaped++;
			reaped_status = status;
		}
}

/* One pass of init's loop, as far as health checks go. */
static void pass(void)
{
	struct pollfd p[SVC_SLOTS];
	int n = health_poll_add(p, SVC_SLOTS);
	int64_t next = health_next_deadline(), ms = 50;

	if (next && next - clock_ms() < ms)
		ms = next > clock_ms() ? next - clock_ms() : 0;
	if (poll(p, (nfds_t)n, (int)ms) > 0)
		health_poll_done(p, n, clock_ms());
	reap(0);
	health_tick(clock_ms());
}

/* Run the loop until cond(arg) holds; 0 when it did not within a bound
 * meant only to stop a broken test. */
static int until(int (*cond)(int), int arg)
{
	int64_t give_up = clock_ms() + 30000;

	while (!cond(arg)) {
		if (clock_ms() > give_up)
			return 0;
		pass();
	}
	return 1;
}

static int healthy(int i)
{
	return health_state(i) == PROTO_HEALTH_HEALTHY;
}
static int unhealthy(int i)
{
	return health_state(i) == PROTO_HEALTH_UNHEALTHY;
}
static int has_result(int i)
{
	return health_result(i, 0) != 0;
}
static int checks_done(int n)
{
	return health_checks_run() >= (uint64_t)n;
}
static int reaped_at_least(int n)
{
	return reaped >= n;
}
static int running(int i)
{
	struct pollfd p[SVC_SLOTS];

	(void)i;
	return health_poll_add(p, SVC_SLOTS) > 0;
}

static void path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static void touch(const char *name)
{
	char p[128];
	FILE *f;

	path(p, sizeof p, name);
	f = fopen(p, "w");
	if (f)
		fclose(f);
}

static void rm(const char *name)
{
	char p[128];

	path(p, sizeof p, name);
	(void)unlink(p);
}

/* Before each test: a clean table (nothing is running: each test ends
 * with done()). */
static void setup(void)
{
	health_init();
	health_changed = changed;
	nchanges = 0;
	reaped = 0;
}

/* After each test: every slot stopped, every check reaped. */
static void done(void)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		health_stop(i);
	reap(1);
	CHECK(health_next_deadline() == 0);
}

TEST(pass_makes_healthy)
{
	const struct health_result *r;
	int64_t before = clock_wall_ms();

	setup();
	CHECK(health_state(PASS) == PROTO_HEALTH_NONE);
	health_start(PASS);
	CHECK(health_state(PASS) == PROTO_HEALTH_STARTING);
	CHECK(until(healthy, PASS));
	r = health_result(PASS, 0);
	CHECK(r && r->passed && r->exit_code == 0 && !r->timed_out);
	CHECK(r && r->time_ms >= before && r->time_ms <= clock_wall_ms());
	CHECK_STR(r ? r->output : "", "ok");
	CHECK(health_result(PASS, 1) == 0);
	CHECK(health_failures(PASS) == 0);
	CHECK(health_checks_run() == 1);
	CHECK(nchanges == 1 && changes[0].i == PASS && changes[0].from == PROTO_HEALTH_STARTING &&
	      changes[0].to == PROTO_HEALTH_HEALTHY);
	/* Once passed, the next check comes HealthIntervalSec (an hour) later. */
	CHECK(health_next_deadline() > clock_ms() + 3500 * 1000);
	done();
	CHECK(health_state(PASS) == PROTO_HEALTH_NONE);
}

TEST(no_health_cmd_no_checks)
{
	setup();
	health_start(NONE);
	CHECK(health_state(NONE) == PROTO_HEALTH_NONE);
	CHECK(health_next_deadline() == 0);
	CHECK(!running(0));
	done();
}

TEST(retries_failures_make_unhealthy)
{
	int k;

	setup();
	health_start(FAIL);
	CHECK(until(unhealthy, FAIL));
	CHECK(health_failures(FAIL) == 3);
	for (k = 0; k < 3; k++) {
		const struct health_result *r = health_result(FAIL, k);

		CHECK(r && !r->passed && r->exit_code == 1 && !r->timed_out);
		CHECK_STR(r ? r->output : "", "bad");
	}
	/* Starting through two failures; the third made it unhealthy. */
	CHECK(nchanges == 1 && changes[0].from == PROTO_HEALTH_STARTING &&
	      changes[0].to == PROTO_HEALTH_UNHEALTHY && changes[0].after == 3);
	/* It goes on failing (every HealthStartIntervalSec, none passed):
	 * the ring keeps the last HEALTH_KEEP, no more transitions. */
	CHECK(until(checks_done, 8));
	CHECK(health_result(FAIL, HEALTH_KEEP - 1) != 0 && health_result(FAIL, HEALTH_KEEP) == 0);
	CHECK(health_failures(FAIL) >= 8 && nchanges == 1);
	done();
}

TEST(flapping)
{
	setup();
	rm("toggle");
	touch("toggle");
	health_start(TOGGLE);
	CHECK(until(healthy, TOGGLE));
	rm("toggle");
	CHECK(until(unhealthy, TOGGLE));
	CHECK(health_failures(TOGGLE) == 2);
	touch("toggle");
	CHECK(until(healthy, TOGGLE));
	CHECK(health_failures(TOGGLE) == 0);
	CHECK(nchanges == 3);
	CHECK(changes[0].from == PROTO_HEALTH_STARTING && changes[0].to == PROTO_HEALTH_HEALTHY);
	CHECK(changes[1].from == PROTO_HEALTH_HEALTHY && changes[1].to == PROTO_HEALTH_UNHEALTHY);
	CHECK(changes[2].from == PROTO_HEALTH_UNHEALTHY && changes[2].to == PROTO_HEALTH_HEALTHY);
	CHECK(changes[0].i == TOGGLE && changes[1].i == TOGGLE && changes[2].i == TOGGLE);
	done();
	rm("toggle");
}

TEST(start_period_failures_do_not_count)
{
	setup();
	rm("period");
	health_start(PERIOD);
	CHECK(until(checks_done, 3));
	CHECK(health_state(PERIOD) == PROTO_HEALTH_STARTING && health_failures(PERIOD) == 0);
	CHECK(health_result(PERIOD, 0) && !health_result(PERIOD, 0)->passed);
	/* A pass within the start period makes it healthy at once. */
	touch("period");
	CHECK(until(healthy, PERIOD));
	rm("period");
	CHECK(until(checks_done, (int)health_checks_run() + 3));
	CHECK(health_state(PERIOD) == PROTO_HEALTH_HEALTHY && health_failures(PERIOD) == 0);
	CHECK(nchanges == 1);
	done();
}

/* Start service i's checks and wait for the first result (an empty one
 * when none came, which fails the test's checks on it). */
static const struct health_result *first_result(int i)
{
	static const struct health_result none;

	health_start(i);
	CHECK(until(has_result, i));
	return health_result(i, 0) ? health_result(i, 0) : &none;
}

TEST(timeout_kills_and_fails)
{
	const struct health_result *r;

	setup();
	r = first_result(SLOW);
	CHECK(r->timed_out && !r->passed && r->exit_code == 128 + SIGKILL);
	CHECK(health_failures(SLOW) == 1 && health_state(SLOW) == PROTO_HEALTH_STARTING);
	done();
}

TEST(first_line_kept)
{
	setup();
	CHECK_STR(first_result(LINES)->output, "hello");
	done();
}

TEST(line_cut_and_cleaned)
{
	const char *out;

	setup();
	out = first_result(CUT)->output;
	CHECK(strlen(out) == PROTO_HEALTH_OUT_SIZE - 1);
	CHECK(!strncmp(out, "a?b?c??000", 10));
	CHECK(out[PROTO_HEALTH_OUT_SIZE - 2] == '0');
	done();
}

TEST(huge_output_bounded)
{
	const struct health_result *r;

	setup();
	/* `yes` never ends by itself, and its timeout is an hour: it ends
	 * because init stops reading and closes the pipe (SIGPIPE). */
	r = first_result(HUGE);
	CHECK(!r->timed_out && r->exit_code == 128 + SIGPIPE);
	CHECK_STR(r->output, "y");
	done();
}

TEST(exec_failure)
{
	const struct health_result *r;

	setup();
	r = first_result(NOEXEC);
	CHECK(r->exit_code == 127 && !r->passed);
	CHECK_STR(r->output, "exec: No such file or directory");
	r = first_result(NOPATH); /* searched along its own PATH */
	CHECK(r->exit_code == 127 && !r->passed);
	CHECK_STR(r->output, "exec: No such file or directory");
	done();
}

TEST(stop_kills_running_check)
{
	setup();
	health_start(STOP);
	CHECK(until(running, 0));
	health_stop(STOP);
	CHECK(health_state(STOP) == PROTO_HEALTH_NONE);
	CHECK(until(reaped_at_least, 1));
	CHECK(WIFSIGNALED(reaped_status) && WTERMSIG(reaped_status) == SIGKILL);
	/* Its result is discarded: no result, no failure, no change. */
	CHECK(health_result(STOP, 0) == 0 && health_checks_run() == 0 && health_failures(STOP) == 0);
	CHECK(nchanges == 0);
	CHECK(health_next_deadline() == 0 && !running(0));

	/* Stopped and started again before the killed check is reaped (a
	 * restart): the killed one counts for nothing, a new one runs. */
	health_start(STOP);
	CHECK(until(running, 0));
	health_stop(STOP);
	health_start(STOP);
	CHECK(health_state(STOP) == PROTO_HEALTH_STARTING);
	CHECK(until(reaped_at_least, 2));
	CHECK(until(running, 0));
	CHECK(health_result(STOP, 0) == 0 && health_checks_run() == 0);
	done();
	CHECK(reaped == 3 && health_result(STOP, 0) == 0 && nchanges == 0);
}

static void make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/ei-health13.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
}

static void remove_dir(void)
{
	(void)rmdir(dir);
}

TEST(begin)
{
	make_dir();
	atexit(remove_dir);
}

RUN_TESTS("test_health.c", T(begin), T(pass_makes_healthy), T(no_health_cmd_no_checks),
	  T(retries_failures_make_unhealthy), T(flapping), T(start_period_failures_do_not_count),
	  T(timeout_kills_and_fails), T(first_line_kept), T(line_cut_and_cleaned), T(huge_output_bounded),
	  T(exec_failure), T(stop_kills_running_check))
