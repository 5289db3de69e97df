/* The service state machine, driven event by event with a fake clock and a
 * fake spawn (tests/unit/config: a always/3s/stop 2s, b on-failure/0s after
 * a, c on-success requires b, d disabled). */
#include <signal.h>
#include <sys/wait.h>

#include "cfg.h"
#include "fake_sys.h"
#include "harness.h"
#include "svc.h"

enum { A, B, C, D };
#define EXITED(n) ((n) << 8)
#define KILLED(s) (s)

static void reset(void)
{
	fake_now = 1000000;
	fake_fork_fails = fake_report_stage = fake_group_alive = 0;
	fake_nspawned = fake_nkills = 0;
	svc_init();
}

static void exec_ok(int i)
{
	svc_event(i, SVC_EV_EXEC_OK);
}

TEST(table_is_in_start_order)
{
	CHECK(CFG_NSVC == 4);
	CHECK_STR(cfg_svc[A].name, "a");
	CHECK_STR(cfg_svc[D].name, "d");
	CHECK(cfg_svc[B].npred == 1 && cfg_svc[B].pred[0] == A);
	CHECK(cfg_svc[A].nsucc == 1 && cfg_svc[A].succ[0] == B);
	CHECK(!cfg_svc[D].enabled);
}

TEST(boot_starts_enabled_services_in_order)
{
	reset();
	svc_boot();
	CHECK(fake_nspawned == 3);
	CHECK_STR(fake_spawned[0], "a");
	CHECK_STR(fake_spawned[1], "b");
	CHECK_STR(fake_spawned[2], "c");
	CHECK(svc_get(D)->state == SVC_STOPPED);
	CHECK(svc_get(A)->state == SVC_STARTING);
	exec_ok(A);
	CHECK(svc_get(A)->state == SVC_RUNNING);
	CHECK(svc_get(A)->exec_fd == -1);
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
	fake_now += 1;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_STARTING);
	CHECK(svc_get(A)->restarts == 1);
	CHECK(svc_next_deadline() == 0);
}

TEST(policies_decide_on_exit_status)
{
	reset();
	svc_boot();
	CHECK(svc_reaped(svc_get(B)->pid, EXITED(0)));     /* on-failure, success */
	CHECK(svc_get(B)->state == SVC_STOPPED);
	CHECK(svc_reaped(svc_get(C)->pid, EXITED(2)));     /* on-success, failure */
	CHECK(svc_get(C)->state == SVC_FAILED);
	CHECK(svc_get(C)->exit_code == 2 && svc_get(C)->exit_kind == SVC_EXIT_CODE);
	svc_request(B, SVC_EV_START);
	CHECK(svc_reaped(svc_get(B)->pid, KILLED(SIGSEGV))); /* on-failure, signal */
	CHECK(svc_get(B)->state == SVC_RESTART_WAIT);
	CHECK(svc_get(B)->exit_code == 128 + SIGSEGV && svc_get(B)->exit_signal == SIGSEGV);
	svc_tick(fake_now);                                /* RestartSec = 0 */
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
	CHECK(svc_get(A)->state == SVC_STOPPING);          /* group still there */
	fake_group_alive = 0;
	svc_tick(fake_now);
	CHECK(svc_get(A)->state == SVC_STOPPED);           /* not restarted: stopped */
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
	svc_tick(fake_now);                                /* SIGKILL */
	fake_now += 2000;
	svc_tick(fake_now);                                /* still alive: give up */
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
	CHECK(svc_get(A)->restarts == 0);                  /* operator, not policy */
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
	fake_report_stage = 4;  /* SPAWN_EXEC, ENOENT */
	svc_request(D, SVC_EV_START);
	svc_reaped(svc_get(D)->pid, EXITED(127));
	CHECK(svc_get(D)->state == SVC_FAILED);
	CHECK_STR(svc_get(D)->reason, "exec: No such file or directory");
	CHECK(svc_get(D)->exec_fd == -1);
	fake_report_stage = 0;
	svc_request(D, SVC_EV_START);
	CHECK(svc_get(D)->reason[0] == 0);                 /* a new start clears it */
}

TEST(fork_failure_follows_the_policy)
{
	reset();
	fake_fork_fails = 1;
	svc_boot();
	CHECK(svc_get(A)->state == SVC_RESTART_WAIT);      /* always: try again later */
	CHECK(svc_get(C)->state == SVC_FAILED);            /* on-success: give up */
	CHECK(!strncmp(svc_get(C)->reason, "fork: ", 6));
}

TEST(shutdown_stops_in_reverse_dependency_order)
{
	int i;
	reset();
	svc_boot();
	for (i = A; i <= C; i++)
		exec_ok(i);
	CHECK(!svc_shutdown_step());
	/* c has no dependants: stopped first; b and a wait. */
	CHECK(svc_get(C)->state == SVC_STOPPING);
	CHECK(svc_get(B)->state == SVC_RUNNING);
	CHECK(svc_get(A)->state == SVC_RUNNING);
	svc_reaped(svc_get(C)->pid, KILLED(SIGTERM));
	CHECK(svc_get(C)->state == SVC_STOPPED);
	CHECK(!svc_shutdown_step());
	CHECK(svc_get(B)->state == SVC_STOPPING && svc_get(A)->state == SVC_RUNNING);
	svc_reaped(svc_get(B)->pid, KILLED(SIGTERM));
	CHECK(svc_get(B)->state == SVC_STOPPED);            /* on-failure: no restart while shutting down */
	CHECK(!svc_shutdown_step());
	svc_reaped(svc_get(A)->pid, EXITED(0));
	CHECK(svc_shutdown_step());
	CHECK(svc_request(A, SVC_EV_START) == SVC_SHUTTING_DOWN);
}

TEST(every_event_in_every_state_is_safe)
{
	/* Walk each state, feed each event: the machine must stay in a valid
	 * state and never lose track of a process it started. */
	int st, ev;
	for (st = 0; st < SVC_NSTATES; st++)
		for (ev = 0; ev < SVC_NEVENTS; ev++) {
			const struct svc *s;
			reset();
			svc_request(D, SVC_EV_START);              /* STARTING */
			if (st == SVC_RUNNING || st == SVC_STOPPING)
				exec_ok(D);
			if (st == SVC_STOPPING)
				svc_request(D, SVC_EV_STOP);
			if (st == SVC_RESTART_WAIT || st == SVC_FAILED || st == SVC_STOPPED) {
				svc_reaped(svc_get(D)->pid, EXITED(st == SVC_STOPPED ? 0 : 1));
				if (st == SVC_STOPPED)
					CHECK(svc_get(D)->state == SVC_STOPPED);
			}
			if (st == SVC_RESTART_WAIT) {             /* d is Restart=no: force the path via a */
				svc_boot();
				svc_reaped(svc_get(A)->pid, EXITED(1));
			}
			svc_event(st == SVC_RESTART_WAIT ? A : D, ev);
			s = svc_get(st == SVC_RESTART_WAIT ? A : D);
			CHECK(s->state < SVC_NSTATES);
			CHECK((s->state == SVC_STARTING || s->state == SVC_RUNNING) ? s->pid > 0 : 1);
			CHECK((s->state == SVC_STOPPED || s->state == SVC_FAILED) ? s->pid == 0 || ev == SVC_EV_EXIT : 1);
		}
}

RUN_TESTS("svc", T(table_is_in_start_order), T(boot_starts_enabled_services_in_order),
	  T(restart_waits_restart_sec_from_the_exit), T(policies_decide_on_exit_status),
	  T(operator_requests_check_state), T(stop_terms_the_group_then_kills),
	  T(stop_gives_up_after_kill_fails), T(restart_while_running_starts_after_exit),
	  T(stop_cancels_a_pending_restart), T(exec_failure_is_recorded),
	  T(fork_failure_follows_the_policy), T(shutdown_stops_in_reverse_dependency_order),
	  T(every_event_in_every_state_is_safe))
