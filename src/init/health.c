/* health.c: health checks, one slot per service (see health.h).
 *
 * A slot is armed by health_start and disarmed by health_stop; while armed
 * it runs its check whenever next_ms comes (health_tick), one at a time.
 * A running check is a child of init in its own process group, its stdout
 * and stderr on a pipe that the loop polls: the first line is kept, the
 * rest read and dropped, HEALTH_READ_PASS bytes a pass and HEALTH_READ_MAX
 * in all, after which the pipe is closed (a check that goes on writing then
 * dies of SIGPIPE, or blocks until its timeout). The result is judged when
 * reap.c hands the check's exit status to health_reaped. Never blocks,
 * never allocates.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "health.h"
#include "spawn.h"

#define HEALTH_READ_PASS 4096      /* bytes read per check per pass of the loop */
#define HEALTH_READ_MAX (64 << 10) /* bytes read per check in all */

struct check {
	unsigned char armed;                       /* between health_start and health_stop */
	unsigned char state;                       /* enum proto_health */
	unsigned char passed;                      /* a check passed since the service started */
	unsigned failures;                         /* failed checks in a row (outside the start period) */
	int64_t started_ms;                        /* the service's start (monotonic): the start period */
	int64_t next_ms;                           /* the next check is due (monotonic), when armed */
	struct health_result results[HEALTH_KEEP]; /* a ring: newest at newest */
	unsigned newest, nresults;
	/* The running check, when pid is not 0. */
	pid_t pid; /* also its process group */
	int fd;    /* its output pipe, -1 once closed */
	int64_t run_ms, run_wall_ms, deadline_ms;
	unsigned char timed_out; /* killed at its timeout */
	unsigned char discard;   /* killed by health_stop: its result means nothing */
	unsigned char line_done; /* the first line is complete (or cut) */
	unsigned out_len, read_total;
	char out[PROTO_HEALTH_OUT_SIZE];
};

static struct check checks[SVC_SLOTS];
static uint64_t checks_run;

void (*health_changed)(int i, int from, int to);

void health_init(void)
{
	int i;

	memset(checks, 0, sizeof checks);
	for (i = 0; i < SVC_SLOTS; i++)
		checks[i].fd = -1;
	checks_run = 0;
}

static int has_check(int i)
{
	const struct cfg_svc *c = svc_cfg(i);

	return c->health_argv && c->health_argv[0];
}

void health_start(int i)
{
	struct check *k = &checks[i];
	const struct cfg_svc *c = svc_cfg(i);

	if (!has_check(i))
		return;
	k->armed = 1;
	k->state = PROTO_HEALTH_STARTING;
	k->passed = 0;
	k->failures = 0;
	k->started_ms = clock_ms();
	/* A check still running (killed by a health_stop just before) is
	 * reaped first: health_tick runs one check per slot at a time. */
	k->next_ms = k->started_ms + (int64_t)c->health_start_interval_sec * 1000;
}

/* Kill a running check: its group, and the check itself in case it has not
 * reached its setsid() yet (then there is no group; the pid is still ours,
 * unreaped, so it names no other process). */
static void kill_check(const struct check *k)
{
	(void)spawn_kill_group(k->pid, SIGKILL);
	(void)kill(k->pid, SIGKILL);
}

static void close_output(struct check *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

void health_stop(int i)
{
	struct check *k = &checks[i];

	if (k->pid && !k->discard) {
		kill_check(k);
		k->discard = 1;
		close_output(k);
	}
	k->armed = 0;
	k->state = PROTO_HEALTH_NONE;
	k->failures = 0;
}

int health_state(int i)
{
	return checks[i].state;
}

unsigned health_failures(int i)
{
	return checks[i].failures;
}

const struct health_result *health_result(int i, int n)
{
	const struct check *k = &checks[i];

	if (n < 0 || (unsigned)n >= k->nresults)
		return 0;
	return &k->results[(k->newest + HEALTH_KEEP - (unsigned)n) % HEALTH_KEEP];
}

uint64_t health_checks_run(void)
{
	return checks_run;
}

/* Keep the first line's bytes: printable ASCII as is, anything else '?'
 * (the output goes into JSON and onto terminals); '\r' is kept for now,
 * since a line may end in "\r\n" (finish_line). */
static void take(struct check *k, const char *b, size_t n)
{
	size_t j;

	for (j = 0; j < n && !k->line_done; j++) {
		unsigned char ch = (unsigned char)b[j];

		if (ch == '\n' || k->out_len == sizeof k->out - 1) {
			k->line_done = 1;
			break;
		}
		if (ch != '\r' && (ch < 0x20 || ch >= 0x7f))
			ch = '?';
		k->out[k->out_len++] = (char)ch;
	}
}

/* Read what the pipe holds, up to budget bytes; at EOF, on an error, or
 * past HEALTH_READ_MAX the pipe is closed. */
static void read_output(struct check *k, unsigned budget)
{
	char buf[HEALTH_READ_PASS];

	while (k->fd >= 0 && budget) {
		size_t want = sizeof buf;
		ssize_t n;

		if (want > budget)
			want = budget;
		if (want > HEALTH_READ_MAX - k->read_total)
			want = HEALTH_READ_MAX - k->read_total;
		n = read(k->fd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_output(k);
			return;
		}
		take(k, buf, (size_t)n);
		k->read_total += (unsigned)n;
		budget -= (unsigned)n;
		if (k->read_total >= HEALTH_READ_MAX)
			close_output(k);
	}
}

static void run_check(int i, int64_t now)
{
	struct check *k = &checks[i];
	const struct cfg_svc *c = svc_cfg(i);
	int fd;
	pid_t pid = spawn_check(c, &fd);

	if (pid < 0) {
		/* init's own trouble (no processes or descriptors left), not the
		 * service's: no result, try again a second later. */
		k->next_ms = now + 1000;
		return;
	}
	k->pid = pid;
	k->fd = fd;
	k->run_ms = now;
	k->run_wall_ms = clock_wall_ms();
	k->deadline_ms = now + (int64_t)c->health_timeout_sec * 1000;
	k->timed_out = 0;
	k->discard = 0;
	k->line_done = 0;
	k->out_len = 0;
	k->read_total = 0;
}

void health_tick(int64_t now)
{
	int i;

	for (i = 0; i < SVC_N; i++) {
		struct check *k = &checks[i];

		if (k->pid && !k->timed_out && !k->discard && now >= k->deadline_ms) {
			kill_check(k);
			k->timed_out = 1;
		}
		if (k->armed && !k->pid && now >= k->next_ms)
			run_check(i, now);
	}
}

int64_t health_next_deadline(void)
{
	int64_t next = 0;
	int i;

	for (i = 0; i < SVC_N; i++) {
		const struct check *k = &checks[i];
		int64_t t;

		if (k->pid)
			t = k->timed_out || k->discard ? 0 : k->deadline_ms;
		else
			t = k->armed ? k->next_ms : 0;
		if (t && (!next || t < next))
			next = t;
	}
	return next;
}

int health_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < SVC_N && n < max; i++)
		if (checks[i].pid && checks[i].fd >= 0) {
			p[n].fd = checks[i].fd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	return n;
}

void health_poll_done(const struct pollfd *p, int n, int64_t now)
{
	int j, i;

	(void)now;
	for (j = 0; j < n; j++)
		for (i = 0; i < SVC_N; i++)
			if (p[j].revents && checks[i].pid && checks[i].fd == p[j].fd) {
				read_output(&checks[i], HEALTH_READ_PASS);
				break;
			}
}

/* Record the finished check's result in the ring. */
static struct health_result *record(struct check *k, int status, int64_t now)
{
	struct health_result *r;

	k->newest = (k->newest + 1) % HEALTH_KEEP;
	if (k->nresults < HEALTH_KEEP)
		k->nresults++;
	r = &k->results[k->newest];
	memset(r, 0, sizeof *r);
	r->time_ms = k->run_wall_ms;
	r->duration_ms = (uint32_t)(now - k->run_ms);
	r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->timed_out = k->timed_out;
	r->passed = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !k->timed_out;
	/* The line without its "\r\n" ending; a '\r' inside it is not text. */
	while (k->out_len && k->out[k->out_len - 1] == '\r')
		k->out_len--;
	memcpy(r->output, k->out, k->out_len);
	for (char *c = r->output; (c = strchr(c, '\r')); c++)
		*c = '?';
	return r;
}

/* Docker's rules: a pass makes it healthy at once; a failure counts only
 * after the start period, and HealthRetries of them in a row make it
 * unhealthy. */
static void judge(struct check *k, const struct cfg_svc *c, const struct health_result *r, int64_t now)
{
	if (r->passed) {
		k->failures = 0;
		k->passed = 1;
		k->state = PROTO_HEALTH_HEALTHY;
	} else if (now - k->started_ms >= (int64_t)c->health_start_period_sec * 1000) {
		k->failures++;
		if (k->failures >= c->health_retries)
			k->state = PROTO_HEALTH_UNHEALTHY;
	}
	/* From the end of this check, as Docker measures it. */
	k->next_ms = now + (int64_t)(k->passed ? c->health_interval_sec : c->health_start_interval_sec) * 1000;
}

int health_reaped(pid_t pid, int status)
{
	struct check *k = 0;
	const struct health_result *r;
	int i, from;
	int64_t now;

	for (i = 0; i < SVC_N; i++)
		if (checks[i].pid == pid) {
			k = &checks[i];
			break;
		}
	if (!k)
		return 0;
	now = clock_ms();
	/* What the check wrote before it ended, then its group's leftovers
	 * (a background process of the check's own) go with it. */
	read_output(k, HEALTH_READ_MAX);
	close_output(k);
	(void)spawn_kill_group(pid, SIGKILL);
	k->pid = 0;
	if (k->discard || !k->armed)
		return 1;
	r = record(k, status, now);
	checks_run++;
	from = k->state;
	judge(k, svc_cfg(i), r, now);
	if (k->state != from && health_changed)
		health_changed(i, from, k->state);
	return 1;
}
