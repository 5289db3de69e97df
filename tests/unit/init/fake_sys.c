/* Fakes for the svc unit tests: a clock the test moves, a spawn that forks
 * nothing (but hands back a real pipe, so the exec-report path is real),
 * process groups whose liveness the test decides, sessions the test hands
 * out (getsid), and a silent say(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "clock.h"
#include "fake_sys.h"
#include "say.h"
#include "spawn.h"

int64_t fake_now = 1000000;
int fake_fork_fails, fake_report_stage, fake_group_alive;
const char *fake_spawned[64];
int fake_nspawned;
int fake_kills[64][2];
int fake_nkills;
pid_t fake_sid_pid, fake_sid;
static pid_t next_pid = 100;

int64_t clock_ms(void)
{
	return fake_now;
}
int64_t clock_wall(void)
{
	return 0;
}
int64_t clock_wall_ms(void)
{
	return fake_now;
}

void log_note(int chan, const char *msg)
{
	(void)chan;
	(void)msg;
}
void log_drain(int svc)
{
	(void)svc;
}
int log_service_fd(int svc)
{
	(void)svc;
	return -1;
}

pid_t spawn_service(const struct cfg_svc *c, int *exec_fd, int log_fd, int cgroup_fd)
{
	(void)log_fd;
	(void)cgroup_fd;
	int p[2];

	if (fake_fork_fails) {
		errno = EAGAIN;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (fake_report_stage) {
		struct spawn_report r = { fake_report_stage, ENOENT };
		(void)!write(p[1], &r, sizeof r);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*exec_fd = p[0];
	fake_spawned[fake_nspawned++ % 64] = c->name;
	return next_pid++;
}

int spawn_kill_group(pid_t pgid, int sig)
{
	fake_kills[fake_nkills % 64][0] = pgid;
	fake_kills[fake_nkills++ % 64][1] = sig;
	return 0;
}

int spawn_group_alive(pid_t pgid)
{
	(void)pgid;
	return fake_group_alive;
}

size_t spawn_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap)
{
	(void)c;
	return (size_t)snprintf(buf, cap, "%s: %s", r->stage == SPAWN_CHDIR ? "chdir" : "exec", strerror(r->err));
}

/* The app slot's end (src/app.c): counted, not acted on. */
int fake_app_exits;
void app_exited(void)
{
	fake_app_exits++;
}

/* svc_of_pid's question about a helper of a service: the session of
 * fake_sid_pid is fake_sid; any other process is gone. Spawned services
 * lead their own session, as spawn_service makes them. */
pid_t getsid(pid_t pid)
{
	if (pid == fake_sid_pid && fake_sid_pid > 0)
		return fake_sid;
	if (pid >= 100 && pid < next_pid)
		return pid;
	errno = ESRCH;
	return -1;
}

/* Containment (cgroup.c): no cgroups in the unit tests. */
int cgroup_prepare(int i)
{
	(void)i;
	return -1;
}
int cgroup_signal(int i, int sig)
{
	(void)i;
	(void)sig;
	return 0;
}
int cgroup_populated(int i)
{
	(void)i;
	return 0;
}
void cgroup_release(int i)
{
	(void)i;
}
void cgroup_tidy(void)
{
}
