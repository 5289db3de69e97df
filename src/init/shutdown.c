/* shutdown.c: the end of init's life, in phases the loop steps through.
 *
 * Never blocks: each phase waits for a condition (services down, no child
 * left) or a deadline. As PID 1 of a VM it ends in reboot(2) and, should
 * that fail, stays alive reaping: exiting would panic the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "clock.h"
#include "reap.h"
#include "say.h"
#include "shutdown.h"
#include "svc.h"
#include "sys.h"

/* The inode of the initial PID namespace (PROC_PID_INIT_INO in the kernel). */
#define INIT_PID_NS_INO 0xEFFFFFFCu

enum phase { RUNNING, STOP_SERVICES, TERM_REST, KILL_REST, HOSED };

static enum sys_mode mode;
static enum phase phase = RUNNING;
static enum sys_halt halt;
static int64_t deadline;

void shutdown_detect_mode(void)
{
	struct stat st;

	if (getpid() != 1)
		mode = SYS_PROCESS;
	else if (sys_stat("/proc/self/ns/pid", &st, 0) == 0 && st.st_ino != INIT_PID_NS_INO)
		mode = SYS_CONTAINER;
	else
		mode = SYS_VM; /* when unsure, the mode that never exits */
}

enum sys_mode shutdown_mode(void)
{
	return mode;
}

const char *shutdown_mode_name(void)
{
	static const char *const names[] = { "PID 1 of a VM", "PID 1 of a container", "supervisor (not PID 1)" };
	return names[mode];
}

void shutdown_request(enum sys_halt how, const char *why)
{
	if (phase != RUNNING) {
		say("shutdown already under way; ignoring %s", why);
		return;
	}
	say("%s: shutting down (%s)", why, how == SYS_REBOOT ? "reboot" : "power off");
	halt = how;
	phase = STOP_SERVICES;
}

int shutdown_active(void)
{
	return phase != RUNNING;
}

int64_t shutdown_deadline(void)
{
	return phase == TERM_REST || phase == KILL_REST ? deadline : 0;
}

static void finish(void)
{
	sync();
	if (mode != SYS_VM) {
		cgroup_teardown(); /* the hierarchy outlives a container's init */
		say("exiting");
		_exit(0);
	}
	say(halt == SYS_REBOOT ? "rebooting" : "powering off");
	reboot(halt == SYS_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
	/* We are seriously hosed: stay PID 1 and keep reaping. */
	say_error("reboot(2) failed: %s; init stays up", strerror(errno));
	phase = HOSED;
}

static void signal_rest(int sig)
{
	/* kill(-1) reaches every process but init itself: only right when init
	 * owns the whole PID namespace. */
	if (mode != SYS_PROCESS) {
		(void)kill(-1, sig);
		(void)kill(-1, SIGCONT);
	}
}

void shutdown_tick(int64_t now)
{
	switch (phase) {
	case STOP_SERVICES:
		if (!svc_shutdown_step())
			return;
		say("all services stopped");
		if (mode == SYS_PROCESS) {
			finish();
			return;
		}
		signal_rest(SIGTERM);
		deadline = now + SHUTDOWN_GRACE_MS;
		phase = TERM_REST;
		/* There may be nothing left to wait for: check at once. */
		/* fall through */
	case TERM_REST:
		if (reap_all()) {
			finish();
		} else if (now >= deadline) {
			say_warn("processes left after %ds: sending SIGKILL", SHUTDOWN_GRACE_MS / 1000);
			signal_rest(SIGKILL);
			deadline = now + SHUTDOWN_GRACE_MS;
			phase = KILL_REST;
		}
		return;
	case KILL_REST:
		if (reap_all() || now >= deadline)
			finish();
		return;
	case RUNNING:
	case HOSED: return;
	}
}
