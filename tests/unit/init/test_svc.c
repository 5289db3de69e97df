/* The service state machine, driven event by event with a fake clock and a
 * fake spawn (tests/unit/config, in start order:
 *   a  always, RestartSec 3, TimeoutStopSec 2
 *   b  on-failure, RestartSec 0, After a, StartLimitBurst 5, StartLimitIntervalSec 10
 *   c  on-success, Requires b
 *   d  disabled, Restart no
 *   e  always, RestartSec 1, StartLimitBurst 2, StartLimitIntervalSec 5 (independent)
 *   f  disabled, always, RestartSec 0, StartLimitIntervalSec 0 (no limit)
 *   g  disabled, Restart no
 *   h  disabled, on-success
 *   i  disabled, Requires g and h
 *   j  disabled, After g
 *   k  disabled, Requires i
 *   l  disabled, always, RestartSec 0, no StartLimit* (never gives up, throttled)
 * and, all disabled, for readiness and health:
 *   notify       Type=notify, TimeoutStartSec 5, WatchdogSec 2, on-failure, RestartSec 0
 *   notify-dep   After notify
 *   notify-once  Type=notify, TimeoutStartSec 3, HealthCmd, Restart no
 *   task         Type=oneshot, Restart no
 *   task-dep     Requires task
 *   kept         Type=oneshot, RemainAfterExit
 *   checked      HealthCmd, HealthAction=restart, Restart no
 *   checked-dep  After checked
 *   watched      HealthCmd, no HealthAction, Restart no).
 * Only b, e and f set StartLimit*: the others never give up. The start
 * order interleaves them by name (checked comes after c): tests name each
 * by its generated index, never by a number. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfg.h"
#include "events.h"
#include "fake_health.h"
#include "fake_sys.h"
#include "harness.h"
#include "health.h"
#include "svc.h"

enum {
	A = CFG_SVC_A,
	B = CFG_SVC_B,
	C = CFG_SVC_C,
	D = CFG_SVC_D,
	E = CFG_SVC_E,
	F = CFG_SVC_F,
	G = CFG_SVC_G,
	H = CFG_SVC_H,
	I = CFG_SVC_I,
	J = CFG_SVC_J,
	K = CFG_SVC_K,
	L = CFG_SVC_L,
	NOTIFY = CFG_SVC_NOTIFY,
	NOTIFY_DEP = CFG_SVC_NOTIFY_DEP,
	NOTIFY_ONCE = CFG_SVC_NOTIFY_ONCE,
	TASK = CFG_SVC_TASK,
	TASK_DEP = CFG_SVC_TASK_DEP,
	KEPT = CFG_SVC_KEPT,
	CHECKED = CFG_SVC_CHECKED,
	CHECKED_DEP = CFG_SVC_CHECKED_DEP,
	WATCHED = CFG_SVC_WATCHED,
};
#define EXITED(n) ((n) << 8)
#define KILLED(s) (s)

static void reset(void)
{
	int i;

	/* The exec pipes fake_sys.c opened and the last test left open. */
	for (i = 0; i < SVC_N; i++)
		if (svc_get(i)->exec_fd > 0)
			close(svc_get(i)->exec_fd);
	fake_now = 1000000;
	fake_fork_fails = fake_report_stage = fake_group_alive = 0;
	fake_nspawned = fake_nkills = 0;
	fake_sid_pid = fake_sid = 0;
	svc_app_ended = app_exited;          /* what init.c installs; fake_sys.c counts */
	health_changed = svc_health_changed; /* the same */
	health_init();
	svc_init();
}

static void exec_ok(int i)
{
	svc_event(i, SVC_EV_EXEC_OK);
}

static enum svc_state state(int i)
{
	return svc_get(i)->state;
}

static int reap(int i, int status)
{
	return svc_reaped(svc_get(i)->pid, status);
}

/* How many times service i was spawned since reset(). */
static int spawns(int i)
{
	int k, n = 0;

	for (k = 0; k < fake_nspawned && k < 64; k++)
		n += !strcmp(fake_spawned[k], cfg_svc[i].name);
	return n;
}

/* Boot and bring every enabled service (a, b, c, e) to running, the way the
 * loop would: exec outcomes, then a tick. */
static void boot_all(void)
{
	svc_boot();
	exec_ok(A);
	exec_ok(E);
	svc_tick(fake_now);
	exec_ok(B);
	svc_tick(fake_now);
	exec_ok(C);
	CHECK(state(A) == SVC_RUNNING && state(B) == SVC_RUNNING);
	CHECK(state(C) == SVC_RUNNING && state(E) == SVC_RUNNING);
}

/* Shutdown is for good (svc_init does not undo it): a test that shuts down
 * runs in a child process, whose first failed CHECK comes back by a pipe. */
static void in_child(void (*body)(void))
{
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd) < 0 || (pid = fork()) < 0) {
		failed_at = "fork or pipe failed";
		return;
	}
	if (pid == 0) {
		close(fd[0]);
		body();
		if (failed_at)
			(void)!write(fd[1], failed_at, strlen(failed_at));
		_exit(0);
	}
	close(fd[1]);
	n = read(fd[0], failed_buf, sizeof failed_buf - 1);
	close(fd[0]);
	if (n > 0) {
		failed_buf[n] = 0;
		failed_at = failed_buf;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		CHECK(!"test child crashed");
}
#define SHUTDOWN_TEST(n)            \
	static void n##_body(void); \
	TEST(n)                     \
	{                           \
		in_child(n##_body); \
	}                           \
	static void n##_body(void)

TEST(table_is_in_start_order)
{
	CHECK(CFG_NSVC == 21);
	CHECK_STR(cfg_svc[A].name, "a");
	CHECK_STR(cfg_svc[D].name, "d");
	CHECK_STR(cfg_svc[E].name, "e");
	CHECK_STR(cfg_svc[K].name, "k");
	CHECK(cfg_svc[B].npred == 1 && cfg_svc[B].pred[0] == A);
	CHECK(cfg_svc[A].nsucc == 1 && cfg_svc[A].succ[0] == B);
	CHECK(cfg_svc[B].nrequires == 0);
	CHECK(cfg_svc[C].nrequires == 1 && cfg_svc[C].requires[0] == B);
	CHECK(cfg_svc[I].nrequires == 2 && cfg_svc[J].nrequires == 0);
	CHECK(cfg_svc[E].npred == 0 && cfg_svc[E].nsucc == 0);
	CHECK(!cfg_svc[D].enabled && cfg_svc[E].enabled && !cfg_svc[F].enabled);
	CHECK(cfg_svc[B].start_limit_burst == 5 && cfg_svc[B].start_limit_interval_sec == 10);
	CHECK(cfg_svc[E].start_limit_burst == 2 && cfg_svc[E].start_limit_interval_sec == 5);
	CHECK(cfg_svc[F].start_limit_burst == 5 && cfg_svc[F].start_limit_interval_sec == 0);
	CHECK(cfg_svc[L].start_limit_burst == 0 && cfg_svc[L].start_limit_interval_sec == 0); /* not set */
	CHECK(cfg_svc[A].start_limit_burst == 0);
	CHECK_STR(svc_state_name(SVC_WAITING), "waiting for dependencies");
}

TEST(boot_starts_enabled_services_in_order)
{
	reset();
	svc_boot();
	/* Only those without a predecessor on its way start at once. */
	CHECK(fake_nspawned == 2);
	CHECK_STR(fake_spawned[0], "a");
	CHECK_STR(fake_spawned[1], "e");
	CHECK(state(A) == SVC_STARTING);
	CHECK(state(B) == SVC_WAITING); /* after a */
	CHECK(state(C) == SVC_WAITING); /* requires b */
	CHECK(state(D) == SVC_STOPPED);
	CHECK(svc_get(B)->pid == 0 && svc_get(C)->pid == 0);
	svc_tick(fake_now); /* a still starting */
	CHECK(fake_nspawned == 2 && state(B) == SVC_WAITING);
	exec_ok(A);
	CHECK(state(A) == SVC_RUNNING);
	CHECK(svc_get(A)->exec_fd == -1);
	svc_tick(fake_now);
	CHECK(fake_nspawned == 3);
	CHECK_STR(fake_spawned[2], "b");
	CHECK(state(B) == SVC_STARTING);
	CHECK(state(C) == SVC_WAITING); /* b not running yet */
	svc_tick(fake_now);
	CHECK(fake_nspawned == 3);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(fake_nspawned == 4);
	CHECK_STR(fake_spawned[3], "c");
	CHECK(state(C) == SVC_STARTING);
	CHECK(state(D) == SVC_STOPPED);
}

TEST(independent_services_start_at_once)
{
	reset();
	svc_boot();
	/* e comes after nothing: it does not wait for a, which starts first. */
	CHECK(state(A) == SVC_STARTING && state(E) == SVC_STARTING);
	CHECK(svc_get(E)->pid > 0 && svc_get(E)->pid != svc_get(A)->pid);
	/* Operator starts of independent services while a is still starting. */
	CHECK(svc_request(D, SVC_EV_START) == SVC_OK);
	CHECK(svc_request(G, SVC_EV_START) == SVC_OK);
	CHECK(state(D) == SVC_STARTING && state(G) == SVC_STARTING);
	CHECK(fake_nspawned == 4);
	/* After alone does not pull in: j starts at once when g is not on its way. */
	reset();
	CHECK(svc_request(J, SVC_EV_START) == SVC_OK);
	CHECK(state(J) == SVC_STARTING);
	CHECK(state(G) == SVC_STOPPED);
	CHECK(fake_nspawned == 1);
}

TEST(ups_counts_entries_into_running)
{
	reset();
	svc_boot();
	CHECK(svc_get(A)->ups == 0 && svc_get(B)->ups == 0);
	exec_ok(A);
	CHECK(svc_get(A)->ups == 1);
	exec_ok(A); /* nothing for running */
	CHECK(svc_get(A)->ups == 1);
	svc_tick(fake_now);
	CHECK(svc_get(B)->ups == 0); /* starting is not up */
	reap(A, EXITED(1));
	fake_now += 3000;
	svc_tick(fake_now);
	CHECK(state(A) == SVC_STARTING && svc_get(A)->ups == 1);
	exec_ok(A);
	CHECK(svc_get(A)->ups == 2);
}

TEST(restart_waits_restart_sec_from_the_exit)
{
	reset();
	svc_boot();
	exec_ok(A);
	fake_now += 10000;
	CHECK(svc_reaped(svc_get(A)->pid, EXITED(0)));
	CHECK(svc_get(A)->state == SVC_RESTART_WAIT);
	CHECK(svc_next_deadline() == fake_now + 3000);
	fake_now += 2999;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_RESTART_WAIT);
	CHECK(state(B) == SVC_STARTING); /* after a: its start attempt is over */
	fake_now += 1;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_STARTING);
	CHECK(svc_get(A)->restarts == 1);
	CHECK(svc_next_deadline() == 0);
	CHECK(state(B) == SVC_STARTING && spawns(B) == 1);
}

TEST(policies_decide_on_exit_status)
{
	reset();
	boot_all();
	CHECK(svc_reaped(svc_get(B)->pid, EXITED(0))); /* on-failure, success */
	CHECK(svc_get(B)->state == SVC_STOPPED);
	CHECK(svc_reaped(svc_get(C)->pid, EXITED(2))); /* on-success, failure */
	CHECK(svc_get(C)->state == SVC_FAILED);
	CHECK(svc_get(C)->exit_code == 2 && svc_get(C)->exit_kind == SVC_EXIT_CODE);
	CHECK(svc_request(B, SVC_EV_START) == SVC_OK);
	CHECK(state(B) == SVC_STARTING);
	CHECK(svc_reaped(svc_get(B)->pid, KILLED(SIGSEGV))); /* on-failure, signal */
	CHECK(svc_get(B)->state == SVC_RESTART_WAIT);
	CHECK(svc_get(B)->exit_code == 128 + SIGSEGV && svc_get(B)->exit_signal == SIGSEGV);
	svc_tick(fake_now); /* RestartSec = 0 */
	CHECK(svc_get(B)->state == SVC_STARTING);
}

TEST(operator_requests_check_state)
{
	reset();
	svc_boot();
	CHECK(svc_request(A, SVC_EV_START) == SVC_ALREADY_RUNNING);
	CHECK(svc_request(D, SVC_EV_STOP) == SVC_NOT_RUNNING);
	CHECK(svc_request(D, SVC_EV_START) == SVC_OK);
	CHECK(svc_get(D)->state == SVC_STARTING);
	CHECK(svc_find("d") == D && svc_find("nope") == -1);
}

TEST(stop_terms_the_group_then_kills)
{
	pid_t pid;
	reset();
	svc_boot();
	exec_ok(A);
	pid = svc_get(A)->pid;
	CHECK(svc_request(A, SVC_EV_STOP) == SVC_OK);
	CHECK(svc_get(A)->state == SVC_STOPPING);
	CHECK(fake_kills[0][0] == pid && fake_kills[0][1] == SIGTERM);
	CHECK(svc_next_deadline() == fake_now + 2000);
	fake_now += 2000;
	svc_tick(fake_now);
	CHECK(fake_kills[fake_nkills - 1][1] == SIGKILL);
	fake_group_alive = 1;
	CHECK(svc_reaped(pid, KILLED(SIGKILL)));
	CHECK(svc_get(A)->state == SVC_STOPPING); /* group still there */
	fake_group_alive = 0;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_STOPPED); /* not restarted: stopped */
	fake_now += 100000;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_STOPPED);
}

TEST(stop_gives_up_after_kill_fails)
{
	reset();
	svc_boot();
	exec_ok(A);
	fake_group_alive = 1;
	svc_request(A, SVC_EV_STOP);
	fake_now += 2000;
	svc_tick(fake_now); /* SIGKILL */
	fake_now += 2000;
	svc_tick(fake_now); /* still alive: give up */
	CHECK(svc_get(A)->state == SVC_STOPPED);
	CHECK(svc_get(A)->pid == 0);
}

TEST(restart_while_running_starts_after_exit)
{
	pid_t pid;
	reset();
	svc_boot();
	exec_ok(A);
	pid = svc_get(A)->pid;
	CHECK(svc_request(A, SVC_EV_RESTART) == SVC_OK);
	CHECK(svc_get(A)->state == SVC_STOPPING);
	svc_reaped(pid, KILLED(SIGTERM));
	CHECK(svc_get(A)->state == SVC_STARTING);
	CHECK(svc_get(A)->pid != pid);
	CHECK(svc_get(A)->restarts == 0); /* operator, not policy */
}

TEST(stop_cancels_a_pending_restart)
{
	reset();
	svc_boot();
	svc_reaped(svc_get(A)->pid, EXITED(1));
	CHECK(svc_get(A)->state == SVC_RESTART_WAIT);
	CHECK(svc_request(A, SVC_EV_STOP) == SVC_OK);
	CHECK(svc_get(A)->state == SVC_STOPPED);
	CHECK(svc_next_deadline() == 0);
}

TEST(exec_failure_is_recorded)
{
	reset();
	fake_report_stage = 4; /* SPAWN_EXEC, ENOENT */
	svc_request(D, SVC_EV_START);
	svc_reaped(svc_get(D)->pid, EXITED(127));
	CHECK(svc_get(D)->state == SVC_FAILED);
	CHECK_STR(svc_get(D)->reason, "exec: No such file or directory");
	CHECK(svc_get(D)->exec_fd == -1);
	fake_report_stage = 0;
	svc_request(D, SVC_EV_START);
	CHECK(svc_get(D)->reason[0] == 0); /* a new start clears it */
}

TEST(fork_failure_follows_the_policy)
{
	reset();
	fake_fork_fails = 1;
	svc_boot();
	CHECK(svc_get(A)->state == SVC_RESTART_WAIT); /* always: try again later */
	CHECK(!strncmp(svc_get(A)->reason, "fork: ", 6));
	/* b comes after a, whose attempt is over: b's own fork fails too */
	CHECK(state(B) == SVC_RESTART_WAIT); /* on-failure: try again */
	CHECK(!strncmp(svc_get(B)->reason, "fork: ", 6));
	CHECK(state(C) == SVC_WAITING); /* requires b */
	fake_fork_fails = 0;
	svc_tick(fake_now); /* RestartSec = 0, but a fork retry waits 100 ms */
	CHECK(state(B) == SVC_RESTART_WAIT);
	fake_now += 100;
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STARTING);
	exec_ok(B);
	fake_fork_fails = 1;
	svc_tick(fake_now);
	CHECK(svc_get(C)->state == SVC_FAILED); /* on-success: give up */
	CHECK(!strncmp(svc_get(C)->reason, "fork: ", 6));
	fake_fork_fails = 0;
	fake_now += 2899; /* a: RestartSec 3 s after its fork failed */
	svc_tick(fake_now);
	CHECK(state(A) == SVC_RESTART_WAIT);
	fake_now += 1;
	svc_tick(fake_now);
	CHECK(state(A) == SVC_STARTING);
}

SHUTDOWN_TEST(shutdown_stops_in_reverse_dependency_order)
{
	reset();
	boot_all();
	CHECK(!svc_shutdown_step());
	/* c and e have no dependants: stopped first; b and a wait. */
	CHECK(svc_get(C)->state == SVC_STOPPING);
	CHECK(svc_get(E)->state == SVC_STOPPING);
	CHECK(svc_get(B)->state == SVC_RUNNING);
	CHECK(svc_get(A)->state == SVC_RUNNING);
	svc_reaped(svc_get(C)->pid, KILLED(SIGTERM));
	svc_reaped(svc_get(E)->pid, KILLED(SIGTERM));
	CHECK(svc_get(C)->state == SVC_STOPPED);
	CHECK(svc_get(E)->state == SVC_STOPPED); /* always: no restart while shutting down */
	CHECK(!svc_shutdown_step());
	CHECK(svc_get(B)->state == SVC_STOPPING && svc_get(A)->state == SVC_RUNNING);
	svc_reaped(svc_get(B)->pid, KILLED(SIGTERM));
	CHECK(svc_get(B)->state == SVC_STOPPED); /* on-failure: no restart while shutting down */
	CHECK(!svc_shutdown_step());
	svc_reaped(svc_get(A)->pid, EXITED(0));
	CHECK(svc_shutdown_step());
	CHECK(svc_request(A, SVC_EV_START) == SVC_SHUTTING_DOWN);
}

SHUTDOWN_TEST(shutdown_stops_waiting_services_at_once)
{
	reset();
	svc_boot(); /* a, e starting; b, c waiting */
	CHECK(state(B) == SVC_WAITING && state(C) == SVC_WAITING);
	CHECK(!svc_shutdown_step());
	CHECK(state(B) == SVC_STOPPED && state(C) == SVC_STOPPED);
	CHECK(state(A) == SVC_STOPPING && state(E) == SVC_STOPPING);
	CHECK(fake_nspawned == 2);
	reap(A, KILLED(SIGTERM));
	reap(E, KILLED(SIGTERM));
	svc_tick(fake_now); /* nothing starts b now */
	CHECK(svc_shutdown_step());
	CHECK(state(B) == SVC_STOPPED && state(C) == SVC_STOPPED);
	CHECK(fake_nspawned == 2);
	CHECK(svc_get(B)->pid == 0 && svc_get(C)->pid == 0);
}

/* b waits for a (starting again after a crash) while c, which requires
 * b, still runs: b is stopped at once, not left waiting to be started once
 * a is down. */
SHUTDOWN_TEST(shutdown_stops_a_waiting_service_before_its_dependants)
{
	reset();
	boot_all();
	reap(A, EXITED(1)); /* always: in 3 s */
	fake_now += 3000;
	svc_tick(fake_now);
	reap(B, EXITED(1)); /* on-failure: at once, after a, which is starting */
	svc_tick(fake_now);
	CHECK(state(A) == SVC_STARTING && state(B) == SVC_WAITING);
	CHECK(state(C) == SVC_RUNNING && spawns(B) == 1);
	CHECK(!svc_shutdown_step());
	CHECK(state(A) == SVC_STOPPING && state(B) == SVC_STOPPED);
	CHECK(state(C) == SVC_STOPPING);
	svc_tick(fake_now);
	reap(A, KILLED(SIGTERM));
	reap(C, KILLED(SIGTERM));
	reap(E, KILLED(SIGTERM));
	svc_tick(fake_now);
	CHECK(svc_shutdown_step());
	svc_tick(fake_now + 100000);
	CHECK(state(B) == SVC_STOPPED && spawns(B) == 1);
	CHECK(spawns(A) == 2);
}

TEST(requires_pulls_in_a_stopped_required_service)
{
	reset();
	CHECK(svc_request(C, SVC_EV_START) == SVC_OK);
	CHECK(state(B) == SVC_STARTING); /* pulled in */
	CHECK(state(C) == SVC_WAITING);
	CHECK(state(A) == SVC_STOPPED); /* b is only after a: not pulled */
	CHECK(fake_nspawned == 1);
	CHECK_STR(fake_spawned[0], "b");
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STARTING && fake_nspawned == 2);
	CHECK(state(A) == SVC_STOPPED);

	/* A failed required service is pulled in as well; one on its way is not. */
	reset();
	svc_request(G, SVC_EV_START);
	reap(G, EXITED(1)); /* Restart=no */
	CHECK(state(G) == SVC_FAILED);
	CHECK(svc_request(H, SVC_EV_START) == SVC_OK);
	CHECK(state(H) == SVC_STARTING && spawns(H) == 1);
	CHECK(svc_request(I, SVC_EV_START) == SVC_OK);
	CHECK(state(G) == SVC_STARTING && spawns(G) == 2);
	CHECK(spawns(H) == 1); /* already starting */
	CHECK(state(I) == SVC_WAITING && spawns(I) == 0);
	exec_ok(G);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_WAITING); /* h still starting */
	exec_ok(H);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_STARTING && spawns(I) == 1);
}

TEST(required_exec_failure_fails_the_waiting_dependant)
{
	reset();
	fake_report_stage = 4; /* g's exec fails */
	svc_request(G, SVC_EV_START);
	fake_report_stage = 0;
	svc_request(I, SVC_EV_START); /* pulls in h */
	CHECK(state(I) == SVC_WAITING && state(H) == SVC_STARTING);
	exec_ok(H);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_WAITING);
	CHECK(reap(G, EXITED(127)));
	CHECK(state(G) == SVC_FAILED);
	CHECK_STR(svc_get(G)->reason, "exec: No such file or directory");
	CHECK(state(I) == SVC_WAITING); /* judged at the tick */
	svc_tick(fake_now);
	CHECK(state(I) == SVC_FAILED);
	CHECK_STR(svc_get(I)->reason, "dependency g failed");
	CHECK(spawns(I) == 0 && svc_get(I)->pid == 0);
	CHECK(state(H) == SVC_RUNNING); /* untouched */
	fake_now += 100000;
	svc_tick(fake_now);
	CHECK(state(I) == SVC_FAILED && spawns(I) == 0);
	/* Starting i again pulls g in again and clears the reason. */
	svc_request(I, SVC_EV_START);
	CHECK(state(G) == SVC_STARTING && state(I) == SVC_WAITING);
	CHECK(svc_get(I)->reason[0] == 0);
}

TEST(required_exit_fails_the_waiting_dependant)
{
	/* h (on-success) fails while g runs: the reason names h. */
	reset();
	svc_request(I, SVC_EV_START);
	CHECK(state(G) == SVC_STARTING && state(H) == SVC_STARTING);
	exec_ok(G);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_WAITING);
	reap(H, EXITED(3));
	CHECK(state(H) == SVC_FAILED);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_FAILED);
	CHECK_STR(svc_get(I)->reason, "dependency h failed");
	CHECK(spawns(I) == 0);

	/* h (on-success) exits 0: it restarts, so i keeps waiting. */
	reset();
	svc_request(I, SVC_EV_START);
	exec_ok(G);
	reap(H, EXITED(0));
	CHECK(state(H) == SVC_RESTART_WAIT);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_WAITING);

	/* g (Restart=no) fails by a signal. */
	reset();
	svc_request(I, SVC_EV_START);
	exec_ok(H);
	exec_ok(G);
	reap(G, KILLED(SIGKILL));
	CHECK(state(G) == SVC_FAILED);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_FAILED);
	CHECK_STR(svc_get(I)->reason, "dependency g failed");

	/* g (Restart=no) exits 0: stopped, not failed. */
	reset();
	svc_request(I, SVC_EV_START);
	exec_ok(H);
	reap(G, EXITED(0));
	CHECK(state(G) == SVC_STOPPED);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_FAILED);
	CHECK_STR(svc_get(I)->reason, "dependency g is not running");
	CHECK(spawns(I) == 0);
}

TEST(required_failure_goes_down_a_waiting_chain)
{
	reset();
	svc_request(K, SVC_EV_START); /* k waits for i, i for g and h */
	CHECK(state(K) == SVC_WAITING && state(I) == SVC_WAITING);
	exec_ok(H);
	reap(G, EXITED(1));
	svc_tick(fake_now); /* one pass: i first, then k */
	CHECK(state(I) == SVC_FAILED && state(K) == SVC_FAILED);
	CHECK_STR(svc_get(I)->reason, "dependency g failed");
	CHECK_STR(svc_get(K)->reason, "dependency i failed");
	CHECK(spawns(I) == 0 && spawns(K) == 0);
}

TEST(after_only_predecessor_failing_lets_the_dependant_start)
{
	reset();
	svc_request(G, SVC_EV_START);
	svc_request(J, SVC_EV_START);
	CHECK(state(J) == SVC_WAITING); /* g is on its way */
	reap(G, EXITED(1));
	CHECK(state(G) == SVC_FAILED);
	svc_tick(fake_now);
	CHECK(state(J) == SVC_STARTING && spawns(J) == 1);
	CHECK(svc_get(J)->reason[0] == 0);
	CHECK(state(G) == SVC_FAILED && spawns(G) == 1); /* not pulled in again */

	reset();
	svc_request(G, SVC_EV_START);
	svc_request(J, SVC_EV_START);
	reap(G, EXITED(0));
	CHECK(state(G) == SVC_STOPPED);
	svc_tick(fake_now);
	CHECK(state(J) == SVC_STARTING);

	/* A predecessor that is stopping is waited for; once stopped, j goes. */
	reset();
	svc_request(G, SVC_EV_START);
	exec_ok(G);
	svc_request(G, SVC_EV_STOP);
	CHECK(state(G) == SVC_STOPPING);
	svc_request(J, SVC_EV_START);
	CHECK(state(J) == SVC_WAITING);
	svc_tick(fake_now);
	CHECK(state(J) == SVC_WAITING && spawns(J) == 0);
	reap(G, KILLED(SIGTERM));
	CHECK(state(G) == SVC_STOPPED);
	svc_tick(fake_now);
	CHECK(state(J) == SVC_STARTING);

	/* b is only after a, as the seed's webapp after database: a's exec
	 * fails and a waits to restart (always, 3 s). Its start attempt is
	 * over, so b starts; a's later restarts do not hold b back. */
	reset();
	fake_report_stage = 4;
	svc_boot();
	CHECK(state(B) == SVC_WAITING); /* a's attempt is under way */
	reap(A, EXITED(127));
	CHECK(state(A) == SVC_RESTART_WAIT);
	CHECK_STR(svc_get(A)->reason, "exec: No such file or directory");
	fake_report_stage = 0;
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STARTING && spawns(B) == 1);
	exec_ok(B);
	fake_report_stage = 4;
	fake_now += 3000;
	svc_tick(fake_now); /* a's restart */
	CHECK(state(A) == SVC_STARTING && state(B) == SVC_RUNNING);
	reap(A, EXITED(127));
	fake_report_stage = 0;
	svc_tick(fake_now);
	CHECK(state(A) == SVC_RESTART_WAIT && state(B) == SVC_RUNNING && spawns(B) == 1);
	/* Started while a waits to restart, b goes at once. */
	CHECK(svc_request(B, SVC_EV_STOP) == SVC_OK);
	reap(C, KILLED(SIGTERM));
	svc_tick(fake_now);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STOPPED);
	CHECK(svc_request(B, SVC_EV_START) == SVC_OK);
	CHECK(state(B) == SVC_STARTING && spawns(B) == 2);
}

/* Requires is not softened: while a required service waits to restart,
 * its dependant waits (c requires b; b's exec fails, on-failure). */
TEST(required_predecessor_waiting_to_restart_holds_the_dependant)
{
	reset();
	fake_report_stage = 4;
	CHECK(svc_request(C, SVC_EV_START) == SVC_OK); /* pulls in b */
	CHECK(state(B) == SVC_STARTING && state(C) == SVC_WAITING);
	reap(B, EXITED(127));
	fake_report_stage = 0;
	CHECK(state(B) == SVC_RESTART_WAIT);
	CHECK(state(C) == SVC_WAITING);
	fake_now += 50;
	svc_tick(fake_now);
	CHECK(state(C) == SVC_WAITING && spawns(C) == 0);
}

TEST(operator_stop_stops_requiring_dependants_first)
{
	pid_t pb, pc;
	int kills;
	reset();
	boot_all();
	pb = svc_get(B)->pid;
	pc = svc_get(C)->pid;
	kills = fake_nkills;
	CHECK(svc_request(B, SVC_EV_STOP) == SVC_OK);
	CHECK(state(C) == SVC_STOPPING);
	CHECK(state(B) == SVC_RUNNING); /* until c is gone */
	CHECK(svc_get(B)->pending == SVC_EV_STOP + 1);
	CHECK(svc_get(C)->dep_stopped);
	CHECK(fake_nkills == kills + 2); /* SIGTERM + SIGCONT, to c only */
	CHECK(fake_kills[kills][0] == pc && fake_kills[kills][1] == SIGTERM);
	fake_group_alive = 1;
	CHECK(svc_reaped(pc, KILLED(SIGTERM)));
	CHECK(state(C) == SVC_STOPPING); /* its group is still there */
	svc_tick(fake_now);
	CHECK(state(B) == SVC_RUNNING && state(C) == SVC_STOPPING);
	fake_group_alive = 0;
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STOPPED);
	CHECK(state(B) == SVC_STOPPING);
	CHECK(svc_get(B)->pending == 0);
	CHECK(fake_kills[fake_nkills - 2][0] == pb && fake_kills[fake_nkills - 2][1] == SIGTERM);
	CHECK(svc_reaped(pb, KILLED(SIGTERM)));
	CHECK(state(B) == SVC_STOPPED); /* on-failure, but an operator stop */
	CHECK(state(C) == SVC_STOPPED);
	CHECK(state(A) == SVC_RUNNING && state(E) == SVC_RUNNING);
	fake_now += 100000;
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STOPPED && state(C) == SVC_STOPPED);

	/* Stopping the dependant leaves the required service alone. */
	reset();
	boot_all();
	CHECK(svc_request(C, SVC_EV_STOP) == SVC_OK);
	CHECK(state(C) == SVC_STOPPING && state(B) == SVC_RUNNING);
	CHECK(svc_get(B)->pending == 0);
	reap(C, KILLED(SIGTERM));
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STOPPED && state(B) == SVC_RUNNING);
	CHECK(!svc_get(C)->dep_stopped);

	/* A waiting dependant is simply cancelled: b stops at once. */
	reset();
	svc_boot();
	exec_ok(A);
	svc_tick(fake_now);
	exec_ok(B);
	CHECK(state(C) == SVC_WAITING);
	CHECK(svc_request(B, SVC_EV_STOP) == SVC_OK);
	CHECK(state(C) == SVC_STOPPED && state(B) == SVC_STOPPING);
	svc_tick(fake_now);
	CHECK(spawns(C) == 0);
}

TEST(operator_stop_goes_down_a_requires_chain)
{
	reset();
	svc_request(K, SVC_EV_START); /* pulls i, which pulls g, h */
	CHECK(state(G) == SVC_STARTING && state(H) == SVC_STARTING);
	CHECK(state(I) == SVC_WAITING && state(K) == SVC_WAITING);
	exec_ok(G);
	exec_ok(H);
	svc_tick(fake_now);
	exec_ok(I);
	svc_tick(fake_now);
	exec_ok(K);
	CHECK(state(I) == SVC_RUNNING && state(K) == SVC_RUNNING);
	CHECK(svc_request(G, SVC_EV_STOP) == SVC_OK);
	CHECK(state(K) == SVC_STOPPING); /* the last one first */
	CHECK(state(I) == SVC_RUNNING && state(G) == SVC_RUNNING);
	CHECK(svc_get(K)->dep_stopped && svc_get(I)->dep_stopped);
	reap(K, KILLED(SIGTERM));
	CHECK(state(K) == SVC_STOPPED);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_STOPPING && state(G) == SVC_RUNNING);
	reap(I, KILLED(SIGTERM));
	svc_tick(fake_now);
	CHECK(state(G) == SVC_STOPPING);
	reap(G, KILLED(SIGTERM));
	CHECK(state(G) == SVC_STOPPED && state(I) == SVC_STOPPED && state(K) == SVC_STOPPED);
	CHECK(state(H) == SVC_RUNNING); /* i requires h, not the other way */
	/* Starting g again brings i and k back. */
	CHECK(svc_request(G, SVC_EV_START) == SVC_OK);
	CHECK(state(G) == SVC_STARTING);
	CHECK(state(I) == SVC_WAITING && state(K) == SVC_WAITING);
	exec_ok(G);
	svc_tick(fake_now);
	CHECK(state(I) == SVC_STARTING);
	exec_ok(I);
	svc_tick(fake_now);
	CHECK(state(K) == SVC_STARTING);
	CHECK(!svc_get(I)->dep_stopped && !svc_get(K)->dep_stopped);
}

TEST(starting_the_required_service_again_starts_its_dependants)
{
	reset();
	boot_all();
	svc_request(B, SVC_EV_STOP);
	reap(C, KILLED(SIGTERM)); /* group gone with it */
	CHECK(state(C) == SVC_STOPPED);
	svc_tick(fake_now);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STOPPED && state(C) == SVC_STOPPED);
	CHECK(svc_get(C)->dep_stopped);
	CHECK(svc_request(B, SVC_EV_START) == SVC_OK);
	CHECK(state(B) == SVC_STARTING);
	CHECK(state(C) == SVC_WAITING);
	CHECK(!svc_get(C)->dep_stopped);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STARTING);
	CHECK(state(B) == SVC_RUNNING);

	/* An operator start of the dependant pulls b in and clears dep_stopped. */
	reset();
	boot_all();
	svc_request(B, SVC_EV_STOP);
	reap(C, KILLED(SIGTERM));
	svc_tick(fake_now);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STOPPED && svc_get(C)->dep_stopped);
	CHECK(svc_request(C, SVC_EV_START) == SVC_OK);
	CHECK(state(B) == SVC_STARTING && state(C) == SVC_WAITING);
	CHECK(!svc_get(C)->dep_stopped);
	CHECK(spawns(B) == 2 && spawns(C) == 1);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STARTING && spawns(C) == 2);

	/* An operator stop of the dependant itself: it stays down when b comes back. */
	reset();
	boot_all();
	svc_request(C, SVC_EV_STOP);
	reap(C, KILLED(SIGTERM));
	svc_request(B, SVC_EV_STOP);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STOPPED && !svc_get(C)->dep_stopped);
	svc_request(B, SVC_EV_START);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STOPPED && spawns(C) == 1);
}

TEST(operator_restart_restarts_requiring_dependants)
{
	pid_t pb;
	reset();
	boot_all();
	pb = svc_get(B)->pid;
	CHECK(svc_request(B, SVC_EV_RESTART) == SVC_OK);
	CHECK(state(C) == SVC_STOPPING && state(B) == SVC_RUNNING);
	CHECK(svc_get(B)->pending == SVC_EV_RESTART + 1);
	reap(C, KILLED(SIGTERM));
	CHECK(state(C) == SVC_STOPPED);
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STOPPING);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STARTING && svc_get(B)->pid != pb);
	CHECK(state(C) == SVC_WAITING);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STARTING);
	exec_ok(C);
	CHECK(svc_get(B)->restarts == 0 && svc_get(C)->restarts == 0); /* operator, not policy */
	CHECK(svc_get(B)->ups == 2 && svc_get(C)->ups == 2);
	CHECK(state(A) == SVC_RUNNING && svc_get(A)->ups == 1);
}

/* b: on-failure, RestartSec 0, default limit 5 in 10 s. */
static void crash_b(void)
{
	exec_ok(B);
	CHECK(reap(B, EXITED(1)));
	svc_tick(fake_now);
}

TEST(restart_limit_fails_the_sixth_automatic_restart)
{
	int k;
	reset();
	boot_all();
	for (k = 1; k <= 5; k++) {
		fake_now += 1000;
		crash_b();
		CHECK(state(B) == SVC_STARTING);
		CHECK(svc_get(B)->restarts == (unsigned)k);
	}
	fake_now += 1000; /* 5 s after the first */
	exec_ok(B);
	reap(B, EXITED(1));
	svc_tick(fake_now); /* the restart is due: over the limit */
	CHECK(state(B) == SVC_FAILED);
	CHECK_STR(svc_get(B)->reason, "restart limit reached: 5 restarts within 10s");
	CHECK(svc_get(B)->restarts == 5);
	CHECK(svc_next_deadline() == 0);
	fake_now += 100000;
	svc_tick(fake_now);
	CHECK(state(B) == SVC_FAILED && spawns(B) == 6);

	/* The configured numbers are used (e: 2 in 5 s, RestartSec 1). */
	reset();
	boot_all();
	reap(E, EXITED(0));
	fake_now += 1000;
	svc_tick(fake_now);
	exec_ok(E);
	reap(E, EXITED(0));
	fake_now += 1000;
	svc_tick(fake_now);
	CHECK(state(E) == SVC_STARTING && svc_get(E)->restarts == 2);
	exec_ok(E);
	reap(E, EXITED(0));
	CHECK(state(E) == SVC_RESTART_WAIT); /* the limit is checked when it is due */
	fake_now += 1000;
	svc_tick(fake_now);
	CHECK(state(E) == SVC_FAILED);
	CHECK_STR(svc_get(E)->reason, "restart limit reached: 2 restarts within 5s");
}

TEST(restart_limit_window_is_fixed_and_opens_again)
{
	int k;
	reset();
	boot_all();
	crash_b(); /* opens the window at t0 */
	fake_now += 9000;
	for (k = 0; k < 4; k++)
		crash_b(); /* 5 at t0 + 9 s */
	CHECK(state(B) == SVC_STARTING);
	fake_now += 1000; /* t0 + 10 s: a new window */
	crash_b();
	CHECK(state(B) == SVC_STARTING); /* a sliding window would fail */
	for (k = 0; k < 4; k++)
		crash_b();
	CHECK(state(B) == SVC_STARTING); /* 5 in the new window */
	fake_now += 9999;
	exec_ok(B);
	reap(B, EXITED(1));
	svc_tick(fake_now);            /* the restart is due: over the limit */
	CHECK(state(B) == SVC_FAILED); /* the 6th, 1 ms before its end */
	CHECK_STR(svc_get(B)->reason, "restart limit reached: 5 restarts within 10s");
	CHECK(svc_get(B)->restarts == 10);
}

TEST(operator_start_clears_the_restart_limit)
{
	int k;
	reset();
	boot_all();
	for (k = 0; k < 5; k++)
		crash_b(); /* window opened at t0 */
	fake_now += 5000;
	exec_ok(B);
	reap(B, EXITED(1));
	svc_tick(fake_now); /* the restart is due: over the limit */
	CHECK(state(B) == SVC_FAILED);
	CHECK(svc_request(B, SVC_EV_START) == SVC_OK); /* t0 + 5 s */
	CHECK(state(B) == SVC_STARTING && svc_get(B)->reason[0] == 0);
	for (k = 0; k < 5; k++)
		crash_b(); /* a new window, at t0 + 5 s */
	CHECK(state(B) == SVC_STARTING);
	fake_now += 7000; /* past t0's window, inside the new */
	exec_ok(B);
	reap(B, EXITED(1));
	svc_tick(fake_now);            /* the restart is due: over the limit */
	CHECK(state(B) == SVC_FAILED); /* a new count: 6th fails */
	CHECK_STR(svc_get(B)->reason, "restart limit reached: 5 restarts within 10s");

	/* An operator restart clears it too (e: 2 in 5 s). */
	reset();
	boot_all();
	reap(E, EXITED(0));
	fake_now += 1000;
	svc_tick(fake_now);
	exec_ok(E);
	reap(E, EXITED(0));
	fake_now += 1000;
	svc_tick(fake_now);
	exec_ok(E); /* 2 restarts: the next exit fails */
	CHECK(svc_request(E, SVC_EV_RESTART) == SVC_OK);
	reap(E, KILLED(SIGTERM));
	CHECK(state(E) == SVC_STARTING);
	exec_ok(E);
	reap(E, EXITED(0));
	CHECK(state(E) == SVC_RESTART_WAIT);
	CHECK(svc_get(E)->reason[0] == 0);
}

/* l sets no StartLimit*: it never gives up, and a crash loop is paced to
 * a start a second (b, e and f set a limit: they restart at RestartSec,
 * at once for b and f, as the tests above show). */
TEST(crash_loop_without_a_limit_is_throttled_never_failed)
{
	int64_t started;
	int k;

	reset();
	CHECK(svc_request(L, SVC_EV_START) == SVC_OK);
	for (k = 1; k <= 30; k++) {
		started = fake_now;
		exec_ok(L);
		fake_now += 200; /* dies 200 ms after its start */
		CHECK(reap(L, EXITED(1)));
		CHECK(state(L) == SVC_RESTART_WAIT);
		CHECK(svc_next_deadline() == started + 1000); /* not at once: a second after its start */
		CHECK(svc_throttled(L, fake_now) == 800);
		svc_tick(fake_now);
		fake_now = started + 999;
		svc_tick(fake_now);
		CHECK(state(L) == SVC_RESTART_WAIT && svc_throttled(L, fake_now) == 1);
		fake_now += 1;
		svc_tick(fake_now);
		CHECK(state(L) == SVC_STARTING);
	}
	CHECK(svc_get(L)->restarts == 30 && svc_get(L)->reason[0] == 0);
	/* Killed by a signal at once: a crash too. */
	started = fake_now;
	exec_ok(L);
	CHECK(reap(L, KILLED(SIGSEGV)));
	CHECK(svc_next_deadline() == started + 1000);
	fake_now += 1000;
	svc_tick(fake_now);
	/* Its exec failed: a crash too. */
	CHECK(svc_request(L, SVC_EV_STOP) == SVC_OK);
	CHECK(reap(L, KILLED(SIGTERM)));
	started = fake_now;
	fake_report_stage = 4;
	CHECK(svc_request(L, SVC_EV_START) == SVC_OK);
	fake_report_stage = 0;
	CHECK(reap(L, EXITED(127)));
	CHECK_STR(svc_get(L)->reason, "exec: No such file or directory");
	CHECK(svc_next_deadline() == started + 1000);
	fake_now += 1000;
	svc_tick(fake_now);
	CHECK(state(L) == SVC_STARTING);
	/* A run of a second or more is no crash loop: restarted at once. */
	exec_ok(L);
	fake_now += 1000;
	CHECK(reap(L, EXITED(1)));
	CHECK(svc_next_deadline() == fake_now && svc_throttled(L, fake_now) == 0);
	svc_tick(fake_now);
	CHECK(state(L) == SVC_STARTING);
	/* A fork that fails: retried a second later. */
	exec_ok(L);
	fake_fork_fails = 1;
	CHECK(reap(L, EXITED(0)));
	svc_tick(fake_now);
	CHECK(state(L) == SVC_RESTART_WAIT && !strncmp(svc_get(L)->reason, "fork: ", 6));
	CHECK(svc_next_deadline() == fake_now + 1000 && svc_throttled(L, fake_now) == 1000);
	fake_fork_fails = 0;
	CHECK(svc_get(L)->restarts == 34);
}

/* A periodic job (always or on-success) that exits 0 is never a crash
 * loop: restarted after RestartSec (l: 0), however short its run. */
TEST(clean_exits_are_not_throttled)
{
	int k;

	reset();
	CHECK(svc_request(L, SVC_EV_START) == SVC_OK);
	for (k = 1; k <= 50; k++) {
		exec_ok(L);
		fake_now += 10;
		CHECK(reap(L, EXITED(0)));
		CHECK(state(L) == SVC_RESTART_WAIT);
		CHECK(svc_next_deadline() == fake_now && svc_throttled(L, fake_now) == 0);
		svc_tick(fake_now);
		CHECK(state(L) == SVC_STARTING);
	}
	CHECK(svc_get(L)->restarts == 50);
	/* a: always, RestartSec 3, no limit: its clean exits follow RestartSec. */
	reset();
	svc_boot();
	exec_ok(A);
	CHECK(reap(A, EXITED(0)));
	CHECK(svc_next_deadline() == fake_now + 3000 && svc_throttled(A, fake_now) == 0);
	/* A crash within a second: RestartSec (3 s) is longer than the throttle. */
	fake_now += 3000;
	svc_tick(fake_now);
	exec_ok(A);
	CHECK(reap(A, EXITED(1)));
	CHECK(svc_next_deadline() == fake_now + 3000 && svc_throttled(A, fake_now) == 0);
}

TEST(restart_limit_interval_zero_never_limits)
{
	int k;
	reset();
	svc_request(F, SVC_EV_START);
	for (k = 1; k <= 40; k++) {
		exec_ok(F);
		CHECK(reap(F, EXITED(1)));
		CHECK(state(F) == SVC_RESTART_WAIT);
		svc_tick(fake_now); /* all within the same ms */
		CHECK(state(F) == SVC_STARTING);
	}
	CHECK(svc_get(F)->restarts == 40);
	CHECK(svc_get(F)->reason[0] == 0);
}

TEST(enable_and_disable)
{
	reset();
	svc_boot();
	exec_ok(A);
	/* enable alone: remembered, not started */
	CHECK(svc_enable(D, 1, 0) == SVC_OK);
	CHECK(svc_get(D)->enabled && state(D) == SVC_STOPPED && spawns(D) == 0);
	/* enable --now: started */
	CHECK(svc_enable(D, 1, 1) == SVC_OK);
	CHECK(state(D) == SVC_STARTING && spawns(D) == 1);
	exec_ok(D);
	/* enable --now of a running service: nothing more */
	CHECK(svc_enable(D, 1, 1) == SVC_OK);
	CHECK(state(D) == SVC_RUNNING && spawns(D) == 1);
	/* disable: stopped, and stays so */
	CHECK(svc_enable(D, 0, 0) == SVC_OK);
	CHECK(!svc_get(D)->enabled && state(D) == SVC_STOPPING);
	reap(D, KILLED(SIGTERM));
	CHECK(state(D) == SVC_STOPPED);
	/* disable of a waiting service cancels its start */
	CHECK(state(B) == SVC_WAITING);
	CHECK(svc_enable(B, 0, 0) == SVC_OK);
	CHECK(state(B) == SVC_STOPPED && !svc_get(B)->enabled);
	svc_tick(fake_now);
	CHECK(spawns(B) == 0);
	/* disable of a restarting service (a: always) cancels the restart */
	reap(A, EXITED(1));
	CHECK(state(A) == SVC_RESTART_WAIT);
	CHECK(svc_enable(A, 0, 0) == SVC_OK);
	CHECK(state(A) == SVC_STOPPED && svc_next_deadline() == 0);

	/* In memory: the next boot goes by it. */
	reset();
	svc_enable(D, 1, 0);
	svc_enable(A, 0, 0);
	svc_enable(E, 0, 0);
	svc_boot();
	CHECK(state(D) == SVC_STARTING && state(A) == SVC_STOPPED && state(E) == SVC_STOPPED);
	CHECK(state(B) == SVC_STARTING); /* a is not coming: b goes */
	CHECK(spawns(A) == 0 && spawns(E) == 0);

	/* enable --now of a failed service starts it; of a restarting one, at once */
	reset();
	svc_request(G, SVC_EV_START);
	reap(G, EXITED(1));
	CHECK(state(G) == SVC_FAILED);
	CHECK(svc_enable(G, 1, 1) == SVC_OK);
	CHECK(state(G) == SVC_STARTING && spawns(G) == 2);
	svc_boot();
	reap(A, EXITED(1));
	CHECK(state(A) == SVC_RESTART_WAIT);
	CHECK(svc_enable(A, 1, 1) == SVC_OK);
	CHECK(state(A) == SVC_STARTING);
	/* disable of b, required by c: c goes first */
	reset();
	boot_all();
	svc_enable(B, 0, 0);
	CHECK(state(C) == SVC_STOPPING && state(B) == SVC_RUNNING);
	CHECK(svc_get(B)->pending == SVC_EV_STOP + 1);
}

SHUTDOWN_TEST(no_enable_while_shutting_down)
{
	reset();
	svc_shutdown_step();
	CHECK(svc_enable(D, 1, 1) == SVC_SHUTTING_DOWN);
	CHECK(state(D) == SVC_STOPPED && spawns(D) == 0);
	CHECK(svc_request(D, SVC_EV_START) == SVC_SHUTTING_DOWN);
	CHECK(state(D) == SVC_STOPPED && spawns(D) == 0);
}

/* Service t brought to state st for every_event_in_every_state_is_safe:
 * d (simple, Restart=no) for most states, a (always) waiting to restart,
 * b (after a) waiting, a oneshot (task, or kept with RemainAfterExit when
 * kept is set) exited. */
static int put_in_state(int st, int kept)
{
	int t = st == SVC_RESTART_WAIT ? A : st == SVC_WAITING ? B : st == SVC_EXITED ? (kept ? KEPT : TASK) : D;

	reset();
	if (st == SVC_EXITED) {
		svc_request(t, SVC_EV_START);
		exec_ok(t);
		reap(t, EXITED(0));
		return t;
	}
	if (st == SVC_WAITING) {
		svc_boot(); /* b waits for a */
	} else {
		svc_request(D, SVC_EV_START); /* STARTING */
	}
	if (st == SVC_RUNNING || st == SVC_STOPPING)
		exec_ok(D);
	if (st == SVC_STOPPING)
		svc_request(D, SVC_EV_STOP);
	if (st == SVC_RESTART_WAIT || st == SVC_FAILED || st == SVC_STOPPED) {
		svc_reaped(svc_get(D)->pid, EXITED(st == SVC_STOPPED ? 0 : 1));
		if (st == SVC_STOPPED)
			CHECK(svc_get(D)->state == SVC_STOPPED);
	}
	if (st == SVC_RESTART_WAIT) { /* d is Restart=no: force the path via a */
		svc_boot();
		svc_reaped(svc_get(A)->pid, EXITED(1));
	}
	return t;
}

TEST(every_event_in_every_state_is_safe)
{
	/* Walk each state, feed each event: the machine must stay in a valid
	 * state and never lose track of a process it started. Exited twice:
	 * a oneshot that is down (task) and one that stays up (kept). */
	int st, ev, kept;
	for (st = 0; st < SVC_NSTATES; st++)
		for (kept = 0; kept <= (st == SVC_EXITED); kept++)
			for (ev = 0; ev < SVC_NEVENTS; ev++) {
				const struct svc *s;
				int t = put_in_state(st, kept);

				CHECK(state(t) == (enum svc_state)st);
				svc_event(t, ev);
				s = svc_get(t);
				CHECK(s->state < SVC_NSTATES);
				CHECK((s->state == SVC_STARTING || s->state == SVC_RUNNING) ? s->pid > 0 : 1);
				/* GROUP_GONE: svc_tick sends it only once the main process is reaped. */
				CHECK((s->state == SVC_STOPPED || s->state == SVC_FAILED || s->state == SVC_EXITED)
					      ? s->pid == 0 || ev == SVC_EV_EXIT || ev == SVC_EV_GROUP_GONE
					      : 1);
				CHECK(s->state == SVC_WAITING ? s->pid == 0 : 1);
				/* Ready exactly when running or (a oneshot) exited. */
				CHECK(s->ready == (s->state == SVC_RUNNING || s->state == SVC_EXITED));
			}
}

/* ---- Bugs found in src/svc.c (these fail until it is fixed) ---- */

/* Starting b again, with c stopped because b was (dep_stopped): begin_start(b)
 * starts c, c pulls in b (still STOPPED: nothing spawned it yet), which
 * spawns b; back in the outer begin_start(b), deps are READY and b is
 * spawned a second time. The first process is forgotten (pid and exec
 * pipe overwritten). */
TEST(start_of_required_service_with_dep_stopped_dependant_spawns_it_once)
{
	reset();
	boot_all();
	svc_request(B, SVC_EV_STOP);
	reap(C, KILLED(SIGTERM));
	svc_tick(fake_now);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STOPPED && svc_get(C)->dep_stopped);
	CHECK(spawns(B) == 1);
	svc_request(B, SVC_EV_START);
	CHECK(spawns(B) == 2); /* one new process, not two */
}

/* The same through an operator restart: stop_done -> begin_start(b). */
TEST(restart_of_required_service_spawns_it_once)
{
	reset();
	boot_all();
	svc_request(B, SVC_EV_RESTART);
	reap(C, KILLED(SIGTERM));
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STOPPING);
	reap(B, KILLED(SIGTERM));
	CHECK(state(B) == SVC_STARTING);
	CHECK(spawns(B) == 2); /* boot + restart */
}

/* A pending stop of b waits for c to be gone; when c's group is found gone
 * inside svc_tick (it is later in the table than b, so b's pending was
 * already looked at in that pass), nothing is left with a deadline, so the
 * loop's poll sleeps without timeout and b's stop never happens. */
TEST(pending_stop_fires_when_dependant_goes_in_the_same_tick)
{
	reset();
	boot_all();
	svc_request(B, SVC_EV_STOP);
	fake_group_alive = 1;
	reap(C, KILLED(SIGTERM));
	fake_group_alive = 0;
	svc_tick(fake_now); /* c: group gone -> stopped */
	CHECK(state(C) == SVC_STOPPED);
	/* Either b stopped in this pass, or the loop has a reason to wake. */
	CHECK(state(B) == SVC_STOPPING || svc_next_deadline() != 0);
}

/* An operator restart of a service still waiting for its dependencies
 * (b, after a, at boot): svc_request stops what requires it (c, waiting
 * too: cancelled, marked dep_stopped), then feeds RESTART to b, which
 * WAITING ignores. b later starts through act_spawn -> spawn(), not
 * begin_start(), so c is never started again: it stays stopped. */
TEST(restart_of_a_waiting_service_keeps_its_dependant)
{
	reset();
	svc_boot();
	CHECK(state(B) == SVC_WAITING && state(C) == SVC_WAITING);
	CHECK(svc_request(B, SVC_EV_RESTART) == SVC_OK);
	exec_ok(A);
	svc_tick(fake_now);
	CHECK(state(B) == SVC_STARTING);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(state(C) == SVC_STARTING); /* c is stopped for good */
}

/* A fork failure goes to RESTART_WAIT and is retried by act_restart_due,
 * which checks the restart limit: with RestartSec=0 (b) and fork failing,
 * init retries every 100 ms (never with a zero poll timeout) and fails the
 * service after StartLimitBurst restarts. */
TEST(fork_failure_restarts_count_against_the_restart_limit)
{
	int k;
	reset();
	boot_all();
	fake_fork_fails = 1;
	reap(B, EXITED(1)); /* restart 1, fork fails */
	for (k = 0; k < 10 && state(B) == SVC_RESTART_WAIT; k++) {
		CHECK(svc_next_deadline() > fake_now || k == 0);
		fake_now += 100;
		svc_tick(fake_now);
	}
	CHECK(state(B) == SVC_FAILED);
	CHECK(svc_get(B)->restarts <= 5);
}

/* The app slot (init.yaml app:, default on): what src/app.c does once /cmd
 * was read, then undone so that the other tests see no app. */
static const char *const app_argv[] = { "/bin/app", 0 };
static const char *const app_envp[] = { 0 };
static unsigned short app_after[CFG_NSVC];

static void app_load_fake(unsigned char restart)
{
	int k;

	for (k = 0; k < CFG_NSVC; k++)
		app_after[k] = (unsigned short)k;
	app_cfg.argv = app_argv;
	app_cfg.envp = app_envp;
	app_cfg.pred = app_after;
	app_cfg.npred = CFG_NSVC;
	app_cfg.enabled = 1;
	app_cfg.restart = restart;
	app_cfg.restart_sec = 0;
	fake_app_exits = 0;
	reset();
}

static void app_unload(void)
{
	app_cfg.argv = 0;
	app_cfg.enabled = 0;
	app_cfg.restart = CFG_RESTART_NO;
	reset();
}

TEST(app_starts_after_the_services_not_behind_a_crash_loop)
{
	app_load_fake(CFG_RESTART_NO);
	svc_boot();
	CHECK(state(SVC_APP) == SVC_WAITING);
	exec_ok(A);
	exec_ok(E);
	svc_tick(fake_now);
	CHECK(state(SVC_APP) == SVC_WAITING); /* b and c are still to come */
	CHECK(reap(E, EXITED(1)));            /* e crashes: waits to restart */
	CHECK(state(E) == SVC_RESTART_WAIT);
	exec_ok(B);
	svc_tick(fake_now);
	exec_ok(C);
	svc_tick(fake_now);
	CHECK(state(SVC_APP) == SVC_STARTING); /* not held up by e */
	CHECK(spawns(A) == 1);
	app_unload();
}

TEST(app_exit_powers_off_an_operator_stop_does_not)
{
	app_load_fake(CFG_RESTART_NO);
	boot_all();
	svc_tick(fake_now);
	exec_ok(SVC_APP);
	CHECK(state(SVC_APP) == SVC_RUNNING);
	CHECK(svc_request(SVC_APP, SVC_EV_STOP) == SVC_OK);
	CHECK(reap(SVC_APP, KILLED(SIGTERM)));
	svc_tick(fake_now);
	CHECK(state(SVC_APP) == SVC_STOPPED && fake_app_exits == 0);
	CHECK(svc_request(SVC_APP, SVC_EV_START) == SVC_OK);
	exec_ok(SVC_APP);
	CHECK(reap(SVC_APP, EXITED(0)));
	CHECK(state(SVC_APP) == SVC_STOPPED && fake_app_exits == 1);
	CHECK(svc_request(SVC_APP, SVC_EV_START) == SVC_OK);
	exec_ok(SVC_APP);
	CHECK(reap(SVC_APP, EXITED(3)));
	CHECK(state(SVC_APP) == SVC_FAILED && fake_app_exits == 2);
	app_unload();
}

TEST(app_reaching_its_restart_limit_powers_off)
{
	int n;

	app_load_fake(CFG_RESTART_ALWAYS);
	boot_all();
	svc_tick(fake_now);
	for (n = 0; n < 10 && state(SVC_APP) != SVC_FAILED; n++) {
		exec_ok(SVC_APP);
		CHECK(reap(SVC_APP, EXITED(1)));
		svc_tick(fake_now); /* RestartSec 0: restarts at once */
	}
	CHECK(state(SVC_APP) == SVC_FAILED);
	CHECK(fake_app_exits == 1);
	app_unload();
}

SHUTDOWN_TEST(shutdown_stops_the_app_before_every_service)
{
	app_load_fake(CFG_RESTART_NO);
	boot_all();
	svc_tick(fake_now);
	exec_ok(SVC_APP);
	fake_group_alive = 1;
	CHECK(!svc_shutdown_step());
	CHECK(state(SVC_APP) == SVC_STOPPING);
	CHECK(state(E) == SVC_RUNNING && state(C) == SVC_RUNNING); /* not before the app is down */
	CHECK(reap(SVC_APP, KILLED(SIGTERM)));
	fake_group_alive = 0;
	svc_tick(fake_now);
	CHECK(!svc_shutdown_step());
	CHECK(state(E) == SVC_STOPPING && state(C) == SVC_STOPPING);
}

/* ---- Readiness (Type=notify, oneshot, health checks) and the aggregate ---- */

/* The first event since seq of service i (-1: the enclave) of this kind
 * (and, unless to is -1, with this to), or 0. */
static const struct event *event_since(uint64_t seq, int i, unsigned kind, int to)
{
	for (; seq < events_next_seq(); seq++) {
		const struct event *e = events_get(seq);
		if (e && e->svc == i && e->kind == kind && (to < 0 || e->to == to))
			return e;
	}
	return 0;
}

/* The last signal sent to process group pgid, SIGCONT (which follows
 * every SIGTERM) aside; 0 when none. */
static int last_signal(pid_t pgid)
{
	int k;

	for (k = fake_nkills - 1; k >= 0 && k >= fake_nkills - 64; k--)
		if (fake_kills[k % 64][0] == pgid && fake_kills[k % 64][1] != SIGCONT)
			return fake_kills[k % 64][1];
	return 0;
}

/* notify (TimeoutStartSec 5, WatchdogSec 2) started, its exec done. */
static void notify_started(void)
{
	CHECK(svc_request(NOTIFY, SVC_EV_START) == SVC_OK);
	exec_ok(NOTIFY);
}

TEST(notify_service_is_running_only_after_ready)
{
	uint64_t seq;

	reset();
	seq = events_next_seq();
	CHECK(svc_request(NOTIFY, SVC_EV_START) == SVC_OK);
	CHECK(svc_request(NOTIFY_DEP, SVC_EV_START) == SVC_OK);
	CHECK(state(NOTIFY) == SVC_STARTING && state(NOTIFY_DEP) == SVC_WAITING);
	CHECK(svc_next_deadline() == fake_now + 5000); /* TimeoutStartSec */
	exec_ok(NOTIFY);
	CHECK(state(NOTIFY) == SVC_STARTING); /* the exec alone is no readiness */
	CHECK(svc_get(NOTIFY)->exec_ok && !svc_get(NOTIFY)->ready && svc_get(NOTIFY)->ups == 0);
	CHECK(svc_get(NOTIFY)->exec_fd == -1);
	CHECK(svc_next_deadline() == fake_now + 5000);
	fake_now += 4000;
	svc_tick(fake_now);
	CHECK(state(NOTIFY_DEP) == SVC_WAITING && spawns(NOTIFY_DEP) == 0);
	CHECK(!event_since(seq, NOTIFY, PROTO_EVENT_READY, -1));
	svc_notify_ready(NOTIFY);
	CHECK(state(NOTIFY) == SVC_RUNNING);
	CHECK(svc_get(NOTIFY)->ready && svc_get(NOTIFY)->ups == 1);
	CHECK(event_since(seq, NOTIFY, PROTO_EVENT_READY, -1) != 0);
	CHECK(event_since(seq, NOTIFY, PROTO_EVENT_STATE, SVC_RUNNING) != 0);
	CHECK(svc_next_deadline() == fake_now + 2000); /* the watchdog's now, not the start's */
	svc_notify_ready(NOTIFY);                      /* once more: nothing more */
	CHECK(svc_get(NOTIFY)->ups == 1 && state(NOTIFY) == SVC_RUNNING);
	svc_tick(fake_now);
	CHECK(state(NOTIFY_DEP) == SVC_STARTING && spawns(NOTIFY_DEP) == 1);
	/* READY=1 from a simple service means nothing: its exec does. */
	svc_request(D, SVC_EV_START);
	svc_notify_ready(D);
	CHECK(state(D) == SVC_STARTING && svc_get(D)->ups == 0);
	/* A notify service that exits before READY=1 was never up. */
	reset();
	notify_started();
	CHECK(reap(NOTIFY, EXITED(1)));
	CHECK(state(NOTIFY) == SVC_RESTART_WAIT && svc_get(NOTIFY)->ups == 0 && !svc_get(NOTIFY)->ready);
}

/* READY=1 handled before the exec pipe's EOF in the same poll pass: the
 * start is complete, the late report changes nothing, and the health
 * checks (which start at the exec) run all the same. */
TEST(ready_before_the_exec_report_is_handled)
{
	struct pollfd p[SVC_SLOTS];

	reset();
	CHECK(svc_request(NOTIFY_ONCE, SVC_EV_START) == SVC_OK);
	CHECK(svc_get(NOTIFY_ONCE)->exec_fd >= 0);
	svc_notify_ready(NOTIFY_ONCE);
	CHECK(state(NOTIFY_ONCE) == SVC_RUNNING && svc_get(NOTIFY_ONCE)->ups == 1);
	CHECK(svc_get(NOTIFY_ONCE)->exec_fd == -1 && svc_poll_add(p, SVC_SLOTS) == 0);
	CHECK(svc_next_deadline() == 0); /* no start deadline left, no watchdog */
	CHECK(fake_health_started(NOTIFY_ONCE) == 1);
	exec_ok(NOTIFY_ONCE); /* the report, late */
	CHECK(state(NOTIFY_ONCE) == SVC_RUNNING && svc_get(NOTIFY_ONCE)->ups == 1);
	CHECK(fake_health_started(NOTIFY_ONCE) == 1);
}

TEST(start_timeout_stops_then_restarts_per_policy)
{
	pid_t pid;
	uint64_t seq;

	/* notify: Restart=on-failure, RestartSec 0. */
	reset();
	notify_started();
	pid = svc_get(NOTIFY)->pid;
	fake_now += 4999;
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STARTING && fake_nkills == 0);
	fake_now += 1;
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STOPPING);
	CHECK(last_signal(pid) == SIGTERM);
	CHECK_STR(svc_get(NOTIFY)->reason, "not ready within 5s (TimeoutStartSec)");
	CHECK(svc_next_deadline() == fake_now + (int64_t)cfg_svc[NOTIFY].stop_timeout_sec * 1000);
	fake_group_alive = 1;
	CHECK(svc_reaped(pid, KILLED(SIGTERM)));
	CHECK(state(NOTIFY) == SVC_STOPPING); /* its group lingers */
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STOPPING);
	fake_group_alive = 0;
	seq = events_next_seq();
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_RESTART_WAIT); /* a failed start, as on-failure has it */
	CHECK(spawns(NOTIFY) == 1);
	fake_now += 1000; /* RestartSec 0, paced by the crash-loop throttle */
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STARTING && spawns(NOTIFY) == 2);
	CHECK(svc_get(NOTIFY)->restarts == 1 && svc_get(NOTIFY)->reason[0] == 0);
	CHECK(event_since(seq, NOTIFY, PROTO_EVENT_RESTART, -1) != 0);

	/* notify-once: Restart=no, and its exec never even reported. */
	reset();
	CHECK(svc_request(NOTIFY_ONCE, SVC_EV_START) == SVC_OK);
	pid = svc_get(NOTIFY_ONCE)->pid;
	fake_now += 3000;
	svc_tick(fake_now);
	CHECK(state(NOTIFY_ONCE) == SVC_STOPPING && last_signal(pid) == SIGTERM);
	CHECK(reap(NOTIFY_ONCE, EXITED(0))); /* a clean exit on SIGTERM is still a failed start */
	CHECK(state(NOTIFY_ONCE) == SVC_FAILED);
	CHECK_STR(svc_get(NOTIFY_ONCE)->reason, "not ready within 3s (TimeoutStartSec)");
	fake_now += 100000;
	svc_tick(fake_now);
	CHECK(state(NOTIFY_ONCE) == SVC_FAILED && spawns(NOTIFY_ONCE) == 1 && svc_get(NOTIFY_ONCE)->restarts == 0);
}

TEST(watchdog_petting_moves_the_deadline_silence_aborts)
{
	pid_t pid;
	int64_t d;
	uint64_t seq;

	reset();
	notify_started();
	svc_notify_ready(NOTIFY);
	pid = svc_get(NOTIFY)->pid;
	CHECK(svc_next_deadline() == fake_now + 2000);
	fake_now += 1500;
	svc_notify_watchdog(NOTIFY, 0);
	CHECK(svc_next_deadline() == fake_now + 2000);
	fake_now += 1999;
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_RUNNING && fake_nkills == 0);
	seq = events_next_seq();
	fake_now += 1;
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STOPPING);
	CHECK(last_signal(pid) == SIGABRT);
	CHECK(!strncmp(svc_get(NOTIFY)->reason, "watchdog timeout", 16));
	CHECK(event_since(seq, NOTIFY, PROTO_EVENT_WATCHDOG, -1) != 0);
	CHECK(reap(NOTIFY, KILLED(SIGABRT)));
	CHECK(state(NOTIFY) == SVC_RESTART_WAIT); /* on-failure */
	fake_now += 1000;
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STARTING && svc_get(NOTIFY)->restarts == 1);
	/* Starting: WATCHDOG=1 leaves the start's deadline alone. */
	d = svc_next_deadline();
	fake_now += 100;
	svc_notify_watchdog(NOTIFY, 0);
	svc_notify_watchdog(NOTIFY, 1);
	CHECK(svc_next_deadline() == d && state(NOTIFY) == SVC_STARTING);
	/* No WatchdogSec (notify-once): neither petting nor trigger does anything. */
	reset();
	svc_request(NOTIFY_ONCE, SVC_EV_START);
	exec_ok(NOTIFY_ONCE);
	svc_notify_ready(NOTIFY_ONCE);
	svc_notify_watchdog(NOTIFY_ONCE, 0);
	svc_notify_watchdog(NOTIFY_ONCE, 1);
	CHECK(svc_next_deadline() == 0);
	svc_tick(fake_now + 100000);
	CHECK(state(NOTIFY_ONCE) == SVC_RUNNING && fake_nkills == 0);
}

TEST(watchdog_trigger_aborts_at_once)
{
	pid_t pid;

	reset();
	notify_started();
	svc_notify_ready(NOTIFY);
	pid = svc_get(NOTIFY)->pid;
	fake_now += 10;
	svc_notify_watchdog(NOTIFY, 1);
	CHECK(svc_next_deadline() <= fake_now);
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STOPPING && last_signal(pid) == SIGABRT);
	CHECK(!strncmp(svc_get(NOTIFY)->reason, "watchdog timeout", 16));
}

TEST(oneshot_exit_0_lets_the_requiring_dependant_start)
{
	uint64_t seq;

	reset();
	seq = events_next_seq();
	CHECK(svc_request(TASK_DEP, SVC_EV_START) == SVC_OK);
	CHECK(state(TASK) == SVC_STARTING && state(TASK_DEP) == SVC_WAITING); /* pulled in */
	exec_ok(TASK);
	CHECK(state(TASK) == SVC_STARTING && !svc_get(TASK)->ready && svc_get(TASK)->ups == 0);
	svc_tick(fake_now);
	CHECK(state(TASK_DEP) == SVC_WAITING && spawns(TASK_DEP) == 0);
	CHECK(reap(TASK, EXITED(0)));
	CHECK(state(TASK) == SVC_EXITED && svc_get(TASK)->ready && svc_get(TASK)->ups == 1);
	CHECK(svc_get(TASK)->pid == 0 && svc_get(TASK)->exit_code == 0);
	CHECK(event_since(seq, TASK, PROTO_EVENT_READY, -1) != 0);
	svc_tick(fake_now);
	CHECK(state(TASK_DEP) == SVC_STARTING && spawns(TASK_DEP) == 1);
	exec_ok(TASK_DEP);
	CHECK(state(TASK_DEP) == SVC_RUNNING);
	/* Done, and (without RemainAfterExit) not up: a stop has nothing to
	 * do, a start runs it again. */
	CHECK(!svc_is_active(SVC_EXITED));
	CHECK(svc_request(TASK, SVC_EV_STOP) == SVC_NOT_RUNNING);
	CHECK(state(TASK_DEP) == SVC_RUNNING);
	CHECK(svc_request(TASK, SVC_EV_START) == SVC_OK);
	CHECK(state(TASK) == SVC_STARTING && spawns(TASK) == 2);
	CHECK(reap(TASK, EXITED(0)));
	CHECK(svc_enable(TASK, 1, 1) == SVC_OK); /* enable --now: down, so run */
	CHECK(state(TASK) == SVC_STARTING && spawns(TASK) == 3);

	/* Its exit read before its exec report: the job is done all the same. */
	reset();
	svc_request(TASK_DEP, SVC_EV_START);
	CHECK(svc_get(TASK)->exec_fd >= 0);
	CHECK(reap(TASK, EXITED(0)));
	CHECK(state(TASK) == SVC_EXITED && svc_get(TASK)->ups == 1 && svc_get(TASK)->exec_fd == -1);
	svc_tick(fake_now);
	CHECK(state(TASK_DEP) == SVC_STARTING);
}

TEST(oneshot_failure_fails_the_requiring_dependant)
{
	reset();
	svc_request(TASK_DEP, SVC_EV_START);
	exec_ok(TASK);
	CHECK(reap(TASK, EXITED(1)));
	CHECK(state(TASK) == SVC_FAILED && !svc_get(TASK)->ready && svc_get(TASK)->ups == 0);
	svc_tick(fake_now);
	CHECK(state(TASK_DEP) == SVC_FAILED);
	CHECK_STR(svc_get(TASK_DEP)->reason, "dependency task failed");
	CHECK(spawns(TASK_DEP) == 0);
	/* Killed by a signal: the same. */
	reset();
	svc_request(TASK_DEP, SVC_EV_START);
	exec_ok(TASK);
	CHECK(reap(TASK, KILLED(SIGKILL)));
	svc_tick(fake_now);
	CHECK(state(TASK) == SVC_FAILED && state(TASK_DEP) == SVC_FAILED);
	/* Its exec failed (exit 0 is then no success): the same. */
	reset();
	fake_report_stage = 4;
	svc_request(TASK_DEP, SVC_EV_START);
	fake_report_stage = 0;
	CHECK(reap(TASK, EXITED(0)));
	CHECK(state(TASK) == SVC_FAILED);
	CHECK_STR(svc_get(TASK)->reason, "exec: No such file or directory");
	svc_tick(fake_now);
	CHECK(state(TASK_DEP) == SVC_FAILED && spawns(TASK_DEP) == 0);
}

TEST(remain_after_exit_stays_up_until_stopped)
{
	reset();
	CHECK(svc_request(KEPT, SVC_EV_START) == SVC_OK);
	exec_ok(KEPT);
	CHECK(state(KEPT) == SVC_STARTING);
	CHECK(reap(KEPT, EXITED(0)));
	CHECK(state(KEPT) == SVC_EXITED && svc_get(KEPT)->ready);
	CHECK(svc_request(KEPT, SVC_EV_START) == SVC_ALREADY_RUNNING);
	CHECK(svc_enable(KEPT, 1, 1) == SVC_OK); /* enable --now: it is up */
	CHECK(state(KEPT) == SVC_EXITED && spawns(KEPT) == 1);
	CHECK(svc_request(KEPT, SVC_EV_STOP) == SVC_OK);
	CHECK(state(KEPT) == SVC_STOPPED && !svc_get(KEPT)->ready);
	CHECK(fake_nkills == 0); /* nothing of it runs: nothing to signal */
	CHECK(svc_request(KEPT, SVC_EV_STOP) == SVC_NOT_RUNNING);
	CHECK(svc_request(KEPT, SVC_EV_START) == SVC_OK);
	CHECK(state(KEPT) == SVC_STARTING && spawns(KEPT) == 2);
	exec_ok(KEPT);
	CHECK(reap(KEPT, EXITED(0)));
	/* restart: runs it again */
	CHECK(svc_request(KEPT, SVC_EV_RESTART) == SVC_OK);
	CHECK(state(KEPT) == SVC_STARTING && spawns(KEPT) == 3);
}

TEST(health_check_makes_a_simple_service_ready)
{
	uint64_t seq;

	reset();
	seq = events_next_seq();
	CHECK(svc_request(CHECKED, SVC_EV_START) == SVC_OK);
	CHECK(svc_request(CHECKED_DEP, SVC_EV_START) == SVC_OK);
	CHECK(state(CHECKED_DEP) == SVC_WAITING);
	CHECK(fake_health_started(CHECKED) == 0);       /* checks begin at the exec */
	CHECK(svc_next_deadline() == fake_now + 90000); /* TimeoutStartSec's default with a check */
	exec_ok(CHECKED);
	CHECK(state(CHECKED) == SVC_STARTING && fake_health_started(CHECKED) == 1);
	CHECK(svc_get(CHECKED)->ups == 0 && !svc_get(CHECKED)->ready);
	CHECK(health_state(CHECKED) == PROTO_HEALTH_STARTING);
	fake_now += 5000;
	svc_tick(fake_now);
	CHECK(state(CHECKED_DEP) == SVC_WAITING && spawns(CHECKED_DEP) == 0);
	fake_health_set(CHECKED, PROTO_HEALTH_HEALTHY, 0);
	CHECK(state(CHECKED) == SVC_RUNNING && svc_get(CHECKED)->ready && svc_get(CHECKED)->ups == 1);
	CHECK(event_since(seq, CHECKED, PROTO_EVENT_HEALTH, PROTO_HEALTH_HEALTHY) != 0);
	CHECK(event_since(seq, CHECKED, PROTO_EVENT_READY, -1) != 0);
	CHECK(svc_next_deadline() == 0); /* ready: the start's deadline is gone */
	svc_tick(fake_now);
	CHECK(state(CHECKED_DEP) == SVC_STARTING && spawns(CHECKED_DEP) == 1);
	/* A notify service's passing check is no readiness: READY=1 is. */
	svc_request(NOTIFY_ONCE, SVC_EV_START);
	exec_ok(NOTIFY_ONCE);
	fake_health_set(NOTIFY_ONCE, PROTO_HEALTH_HEALTHY, 0);
	CHECK(state(NOTIFY_ONCE) == SVC_STARTING && svc_get(NOTIFY_ONCE)->ups == 0);
	svc_notify_ready(NOTIFY_ONCE);
	CHECK(state(NOTIFY_ONCE) == SVC_RUNNING);
}

TEST(unhealthy_with_health_action_restart_restarts_regardless_of_restart)
{
	pid_t pid;

	reset();
	svc_request(CHECKED, SVC_EV_START);
	exec_ok(CHECKED);
	fake_health_set(CHECKED, PROTO_HEALTH_HEALTHY, 0);
	pid = svc_get(CHECKED)->pid;
	fake_now += 60000;
	fake_health_set(CHECKED, PROTO_HEALTH_UNHEALTHY, 3);
	CHECK(state(CHECKED) == SVC_STOPPING && last_signal(pid) == SIGTERM);
	CHECK_STR(svc_get(CHECKED)->reason, "unhealthy after 3 failed checks in a row (HealthAction=restart)");
	CHECK(health_state(CHECKED) == PROTO_HEALTH_NONE); /* no checks while it stops */
	CHECK(reap(CHECKED, KILLED(SIGTERM)));
	CHECK(state(CHECKED) == SVC_RESTART_WAIT); /* Restart=no, but HealthAction=restart */
	fake_now = svc_next_deadline();
	svc_tick(fake_now);
	CHECK(state(CHECKED) == SVC_STARTING && spawns(CHECKED) == 2);
	CHECK(svc_get(CHECKED)->restarts == 1 && svc_get(CHECKED)->reason[0] == 0);
	/* It exits 0 on SIGTERM: restarted all the same. Unhealthy before a
	 * first pass (still starting): the same. */
	exec_ok(CHECKED);
	CHECK(fake_health_started(CHECKED) == 2);
	fake_now += 60000;
	fake_health_set(CHECKED, PROTO_HEALTH_UNHEALTHY, 3);
	CHECK(state(CHECKED) == SVC_STOPPING);
	CHECK(reap(CHECKED, EXITED(0)));
	CHECK(state(CHECKED) == SVC_RESTART_WAIT);
}

/* An operator's stop while a failure stop is under way (health,
 * watchdog, start timeout) is the last word: no restart after it. */
TEST(operator_stop_during_a_failure_stop_is_not_overridden)
{
	reset();
	svc_request(CHECKED, SVC_EV_START);
	exec_ok(CHECKED);
	fake_health_set(CHECKED, PROTO_HEALTH_HEALTHY, 0);
	fake_health_set(CHECKED, PROTO_HEALTH_UNHEALTHY, 3);
	CHECK(state(CHECKED) == SVC_STOPPING);
	CHECK(svc_request(CHECKED, SVC_EV_STOP) == SVC_OK);
	CHECK(reap(CHECKED, KILLED(SIGTERM)));
	CHECK(state(CHECKED) == SVC_STOPPED);
	svc_tick(fake_now + 100000);
	CHECK(state(CHECKED) == SVC_STOPPED && spawns(CHECKED) == 1);
	/* notify (on-failure) stopped by the operator after its watchdog fired. */
	reset();
	notify_started();
	svc_notify_ready(NOTIFY);
	svc_notify_watchdog(NOTIFY, 1);
	svc_tick(fake_now);
	CHECK(state(NOTIFY) == SVC_STOPPING);
	CHECK(svc_enable(NOTIFY, 0, 0) == SVC_OK); /* disable: a stop too */
	CHECK(reap(NOTIFY, KILLED(SIGABRT)));
	svc_tick(fake_now + 100000);
	CHECK(state(NOTIFY) == SVC_STOPPED && spawns(NOTIFY) == 1);
}

TEST(unhealthy_without_an_action_is_only_reported)
{
	uint64_t seq;
	int kills;

	reset();
	svc_request(WATCHED, SVC_EV_START);
	exec_ok(WATCHED);
	fake_health_set(WATCHED, PROTO_HEALTH_HEALTHY, 0);
	CHECK(state(WATCHED) == SVC_RUNNING);
	kills = fake_nkills;
	seq = events_next_seq();
	fake_health_set(WATCHED, PROTO_HEALTH_UNHEALTHY, 3);
	CHECK(event_since(seq, WATCHED, PROTO_EVENT_HEALTH, PROTO_HEALTH_UNHEALTHY) != 0);
	CHECK(state(WATCHED) == SVC_RUNNING && fake_nkills == kills && svc_get(WATCHED)->reason[0] == 0);
	svc_tick(fake_now + 100000);
	CHECK(state(WATCHED) == SVC_RUNNING && fake_nkills == kills);
	fake_health_set(WATCHED, PROTO_HEALTH_HEALTHY, 0); /* healthy again: no second readiness */
	CHECK(state(WATCHED) == SVC_RUNNING && svc_get(WATCHED)->ups == 1);
}

TEST(aggregate_follows_the_enabled_services)
{
	const struct event *e;
	uint64_t seq;

	reset();
	CHECK(svc_aggregate() == PROTO_SYS_UNHEALTHY); /* every enabled service is down */
	svc_boot();
	CHECK(svc_aggregate() == PROTO_SYS_STARTING); /* a, e starting; b, c waiting */
	exec_ok(A);
	exec_ok(E);
	svc_tick(fake_now);
	exec_ok(B);
	svc_tick(fake_now);
	CHECK(svc_aggregate() == PROTO_SYS_STARTING);
	exec_ok(C);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	/* The change is an event of the enclave's, once, at the tick. */
	seq = events_next_seq();
	svc_tick(fake_now);
	svc_tick(fake_now);
	e = event_since(seq, -1, PROTO_EVENT_SYSTEM, -1);
	CHECK(e && e->to == PROTO_SYS_HEALTHY);
	CHECK(e && !event_since(e->seq + 1, -1, PROTO_EVENT_SYSTEM, -1));
	/* One waiting to restart: degraded; starting again: starting. */
	CHECK(reap(E, EXITED(1)));
	CHECK(svc_aggregate() == PROTO_SYS_DEGRADED);
	fake_now += 1000;
	svc_tick(fake_now);
	CHECK(state(E) == SVC_STARTING && svc_aggregate() == PROTO_SYS_STARTING);
	exec_ok(E);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	/* A disabled service does not count, failed or not. */
	svc_request(G, SVC_EV_START);
	CHECK(reap(G, EXITED(1)));
	CHECK(state(G) == SVC_FAILED && svc_aggregate() == PROTO_SYS_HEALTHY);
	/* Enabled with a health check: starting until it passes, degraded
	 * while unhealthy. */
	CHECK(svc_enable(WATCHED, 1, 1) == SVC_OK);
	CHECK(svc_aggregate() == PROTO_SYS_STARTING);
	exec_ok(WATCHED);
	CHECK(svc_aggregate() == PROTO_SYS_STARTING);
	fake_health_set(WATCHED, PROTO_HEALTH_HEALTHY, 0);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	fake_health_set(WATCHED, PROTO_HEALTH_UNHEALTHY, 3);
	CHECK(svc_aggregate() == PROTO_SYS_DEGRADED);
	fake_health_set(WATCHED, PROTO_HEALTH_HEALTHY, 0);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	/* An enabled oneshot: fine once exited. */
	CHECK(svc_enable(TASK, 1, 1) == SVC_OK);
	CHECK(svc_aggregate() == PROTO_SYS_STARTING);
	CHECK(reap(TASK, EXITED(0)));
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	/* An operator restart is on its way up; a stop leaves it down. */
	CHECK(svc_request(E, SVC_EV_RESTART) == SVC_OK);
	CHECK(state(E) == SVC_STOPPING && svc_aggregate() == PROTO_SYS_STARTING);
	CHECK(reap(E, KILLED(SIGTERM)));
	exec_ok(E);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	CHECK(svc_request(E, SVC_EV_STOP) == SVC_OK);
	CHECK(svc_aggregate() == PROTO_SYS_DEGRADED);
	CHECK(reap(E, KILLED(SIGTERM)));
	CHECK(state(E) == SVC_STOPPED && svc_aggregate() == PROTO_SYS_DEGRADED);
}

TEST(aggregate_is_unhealthy_when_the_app_is_down)
{
	app_load_fake(CFG_RESTART_NO);
	boot_all();
	svc_tick(fake_now);
	CHECK(svc_aggregate() == PROTO_SYS_STARTING); /* the app is on its way */
	exec_ok(SVC_APP);
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	CHECK(reap(SVC_APP, EXITED(3)));
	CHECK(state(SVC_APP) == SVC_FAILED);
	CHECK(svc_aggregate() == PROTO_SYS_UNHEALTHY); /* every service up, but not the app */
	app_unload();
}

SHUTDOWN_TEST(aggregate_is_stopping_during_shutdown)
{
	reset();
	boot_all();
	CHECK(svc_aggregate() == PROTO_SYS_HEALTHY);
	CHECK(!svc_shutdown_step());
	CHECK(svc_aggregate() == PROTO_SYS_STOPPING);
	reap(C, KILLED(SIGTERM));
	reap(E, KILLED(SIGTERM));
	CHECK(svc_aggregate() == PROTO_SYS_STOPPING);
}

TEST(svc_of_pid_finds_the_main_process_and_its_session)
{
	pid_t pid;

	reset();
	CHECK(svc_of_pid(4242) == -1);
	CHECK(svc_of_pid(0) == -1);
	notify_started();
	pid = svc_get(NOTIFY)->pid;
	CHECK(svc_of_pid(pid) == NOTIFY);
	/* systemd-notify run from its script: a process of its session. */
	fake_sid_pid = 5000;
	fake_sid = pid;
	CHECK(svc_of_pid(5000) == NOTIFY); /* starting */
	svc_notify_ready(NOTIFY);
	CHECK(svc_of_pid(5000) == NOTIFY); /* running */
	fake_sid = 4242;                   /* a stranger's session */
	CHECK(svc_of_pid(5000) == -1);
	fake_sid = pid;
	CHECK(svc_request(NOTIFY, SVC_EV_STOP) == SVC_OK);
	CHECK(svc_of_pid(5000) == -1);    /* stopping: its helpers speak for it no more */
	CHECK(svc_of_pid(pid) == NOTIFY); /* its main process still does */
	CHECK(reap(NOTIFY, KILLED(SIGTERM)));
	CHECK(svc_of_pid(pid) == -1 && svc_of_pid(5000) == -1);
}

RUN_TESTS(
	"svc", T(table_is_in_start_order), T(boot_starts_enabled_services_in_order),
	T(independent_services_start_at_once), T(ups_counts_entries_into_running),
	T(restart_waits_restart_sec_from_the_exit), T(policies_decide_on_exit_status),
	T(operator_requests_check_state), T(stop_terms_the_group_then_kills), T(stop_gives_up_after_kill_fails),
	T(restart_while_running_starts_after_exit), T(stop_cancels_a_pending_restart), T(exec_failure_is_recorded),
	T(fork_failure_follows_the_policy), T(requires_pulls_in_a_stopped_required_service),
	T(required_exec_failure_fails_the_waiting_dependant), T(required_exit_fails_the_waiting_dependant),
	T(required_failure_goes_down_a_waiting_chain), T(after_only_predecessor_failing_lets_the_dependant_start),
	T(required_predecessor_waiting_to_restart_holds_the_dependant),
	T(operator_stop_stops_requiring_dependants_first), T(operator_stop_goes_down_a_requires_chain),
	T(starting_the_required_service_again_starts_its_dependants),
	T(operator_restart_restarts_requiring_dependants), T(restart_limit_fails_the_sixth_automatic_restart),
	T(restart_limit_window_is_fixed_and_opens_again), T(operator_start_clears_the_restart_limit),
	T(restart_limit_interval_zero_never_limits), T(crash_loop_without_a_limit_is_throttled_never_failed),
	T(clean_exits_are_not_throttled), T(enable_and_disable), T(every_event_in_every_state_is_safe),
	T(start_of_required_service_with_dep_stopped_dependant_spawns_it_once),
	T(restart_of_required_service_spawns_it_once), T(pending_stop_fires_when_dependant_goes_in_the_same_tick),
	T(restart_of_a_waiting_service_keeps_its_dependant),
	T(fork_failure_restarts_count_against_the_restart_limit), T(shutdown_stops_in_reverse_dependency_order),
	T(app_starts_after_the_services_not_behind_a_crash_loop), T(app_exit_powers_off_an_operator_stop_does_not),
	T(app_reaching_its_restart_limit_powers_off), T(shutdown_stops_the_app_before_every_service),
	T(shutdown_stops_waiting_services_at_once), T(shutdown_stops_a_waiting_service_before_its_dependants),
	T(no_enable_while_shutting_down), T(notify_service_is_running_only_after_ready),
	T(ready_before_the_exec_report_is_handled), T(start_timeout_stops_then_restarts_per_policy),
	T(watchdog_petting_moves_the_deadline_silence_aborts), T(watchdog_trigger_aborts_at_once),
	T(oneshot_exit_0_lets_the_requiring_dependant_start), T(oneshot_failure_fails_the_requiring_dependant),
	T(remain_after_exit_stays_up_until_stopped), T(health_check_makes_a_simple_service_ready),
	T(unhealthy_with_health_action_restart_restarts_regardless_of_restart),
	T(operator_stop_during_a_failure_stop_is_not_overridden), T(unhealthy_without_an_action_is_only_reported),
	T(aggregate_follows_the_enabled_services), T(aggregate_is_unhealthy_when_the_app_is_down),
	T(aggregate_is_stopping_during_shutdown), T(svc_of_pid_finds_the_main_process_and_its_session))
