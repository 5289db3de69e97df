/* attest.c: the attestation requests' slots, children and pipes (see
 * attest.h).
 *
 * A slot goes: free -> running (child forked, pipe read as it fills) ->
 * answered (the pipe's end: a document or a message) or failed (killed at
 * its timeout, cancelled, an answer too big, a child that ended without
 * one) -> free again once its reply has let go of it and its child has
 * been reaped. The document stays in the slot's buffer while the reply
 * streams it. Never blocks: the pipe is non-blocking, the child is killed,
 * not waited for.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest.h"
#include "clock.h"
#include "fmt.h"
#include "say.h"
#include "spawn.h"

/* Why a request failed before its answer came. */
enum { WHY_NONE, WHY_TIMED_OUT, WHY_CANCELLED, WHY_TOO_BIG };

struct slot {
	int64_t deadline;                                 /* monotonic ms: no answer by then, it is killed */
	size_t len;                                       /* bytes of buf read */
	pid_t pid;                                        /* the child, until reaped; 0: none */
	int fd;                                           /* the pipe's read end, while reading */
	unsigned gen;                                     /* bumped by every request the slot takes */
	int status;                                       /* the child's wait status, once reaped */
	unsigned char held;                               /* a reply holds the slot */
	unsigned char reading;                            /* the answer is still coming */
	unsigned char why;                                /* WHY_* */
	unsigned char buf[1 + NSM_RESPONSE_MAX_SIZE + 1]; /* tag, answer; a byte more is too big */
};

static struct slot slots[ATTEST_SLOTS];

static int taken(const struct slot *s)
{
	return s->held || s->pid || s->reading;
}

/* The answer is all there: the pipe's end came after a tag. */
static int answered(const struct slot *s)
{
	return !s->reading && s->len && (s->buf[0] == NSM_ANSWER_DOC || s->buf[0] == NSM_ANSWER_ERROR);
}

static void stop_reading(struct slot *s)
{
	if (s->reading)
		close(s->fd);
	s->reading = 0;
}

/* A child still running is killed: its pid is ours until it is reaped,
 * so the signal cannot reach another process. */
static void kill_child(const struct slot *s)
{
	if (s->pid)
		(void)kill(s->pid, SIGKILL);
}

int attest_start(const struct nsm_ask *a, unsigned *gen, char *msg, size_t cap)
{
	struct slot *s = 0;
	int i, fd;
	pid_t pid;

	/* No device, no child: answered at once (a stat does not block). */
	if (access(NSM_DEVICE, F_OK) < 0) {
		nsm_open_error(msg, cap, errno);
		return -1;
	}
	for (i = 0; i < ATTEST_SLOTS && !s; i++)
		if (!taken(&slots[i]))
			s = &slots[i];
	if (!s) {
		fmt_fmt(msg, cap,
			"attestation: %d requests to the NSM are in progress (at most %d at once); "
			"try again",
			ATTEST_SLOTS, ATTEST_SLOTS);
		return ATTEST_BUSY;
	}
	pid = spawn_worker(nsm_attest_run, a, &fd);
	if (pid < 0) {
		fmt_fmt(msg, cap, "attestation: cannot start the request process: fork: %s", strerror(errno));
		return -1;
	}
	s->pid = pid;
	s->fd = fd;
	s->reading = 1;
	s->held = 1;
	s->why = WHY_NONE;
	s->status = 0;
	s->len = 0;
	s->deadline = clock_ms() + ATTEST_TIMEOUT_MS;
	*gen = ++s->gen;
	return (int)(s - slots);
}

/* How a child that left no answer ended. */
static void no_answer(char *msg, size_t cap, int status)
{
	if (WIFSIGNALED(status))
		fmt_fmt(msg, cap, "attestation: the request process ended without an answer (killed by signal %d)",
			WTERMSIG(status));
	else
		fmt_fmt(msg, cap, "attestation: the request process ended without an answer (exit status %d)",
			WEXITSTATUS(status));
}

/* The child said why it failed: NSM_ANSWER_ERROR and a message. */
static int said_error(const struct slot *s)
{
	return answered(s) && s->buf[0] == NSM_ANSWER_ERROR;
}

/* The timeout, in words: "10 s" (a unit test's may be "300 ms"). */
static const char *timeout_words(void)
{
	static char w[24];

	if (ATTEST_TIMEOUT_MS % 1000)
		fmt_fmt(w, sizeof w, "%d ms", ATTEST_TIMEOUT_MS);
	else
		fmt_fmt(w, sizeof w, "%d s", ATTEST_TIMEOUT_MS / 1000);
	return w;
}

static enum attest_result failed(const struct slot *s, char *msg, size_t cap)
{
	size_t n;

	switch (s->why) {
	case WHY_TIMED_OUT:
		fmt_fmt(msg, cap, "attestation: the NSM did not answer within %s", timeout_words());
		break;
	case WHY_CANCELLED: fmt_fmt(msg, cap, "attestation: cancelled: init is re-executing itself"); break;
	case WHY_TOO_BIG:
		fmt_fmt(msg, cap, "attestation: the answer is larger than the NSM's %d bytes",
			NSM_RESPONSE_MAX_SIZE);
		break;
	default:
		if (!said_error(s)) {
			no_answer(msg, cap, s->status);
			break;
		}
		/* The child's own message (nsm.c words it: printable, short). */
		n = s->len - 1 < cap - 1 ? s->len - 1 : cap - 1;
		memcpy(msg, s->buf + 1, n);
		msg[n] = 0;
	}
	return ATTEST_FAILED;
}

enum attest_result attest_result(int slot, unsigned gen, const unsigned char **doc, size_t *len, char *msg,
				 size_t cap)
{
	const struct slot *s = &slots[slot];

	if (s->gen != gen || !s->held) {
		fmt_fmt(msg, cap, "attestation: the request was forgotten");
		return ATTEST_FAILED;
	}
	if (s->why != WHY_NONE)
		return failed(s, msg, cap);
	if (answered(s) && s->buf[0] == NSM_ANSWER_DOC && s->len > 1) {
		*doc = s->buf + 1;
		*len = s->len - 1;
		return ATTEST_DOC;
	}
	/* Without an answer, how the child ended says why: wait for that. */
	if (s->reading || (s->pid && !said_error(s)))
		return ATTEST_PENDING;
	return failed(s, msg, cap);
}

void attest_release(int slot, unsigned gen)
{
	struct slot *s = &slots[slot];

	if (s->gen != gen || !s->held)
		return;
	s->held = 0;
	kill_child(s); /* its client has gone: nobody wants the answer */
	stop_reading(s);
}

/* Read what the pipe holds; at its end, on an error, or past the buffer,
 * stop. */
static void read_answer(struct slot *s)
{
	while (s->reading) {
		ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - s->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			stop_reading(s);
			return;
		}
		s->len += (size_t)n;
		if (s->len == sizeof s->buf) {
			/* Cannot be from nsm.c: the answer is cut off and the
			 * child dies of SIGPIPE if it writes on. */
			if (s->why == WHY_NONE)
				s->why = WHY_TOO_BIG;
			kill_child(s);
			stop_reading(s);
		}
	}
}

int attest_reaped(pid_t pid, int status)
{
	int i;

	for (i = 0; i < ATTEST_SLOTS; i++) {
		struct slot *s = &slots[i];
		if (!s->pid || s->pid != pid)
			continue;
		s->pid = 0;
		s->status = status;
		/* What it wrote before it ended is in the pipe: take it now. */
		read_answer(s);
		return 1;
	}
	return 0;
}

int attest_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < ATTEST_SLOTS && n < max; i++)
		if (slots[i].reading) {
			p[n].fd = slots[i].fd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	return n;
}

void attest_poll_done(const struct pollfd *p, int n, int64_t now)
{
	int k, i;

	(void)now;
	for (k = 0; k < n; k++)
		for (i = 0; i < ATTEST_SLOTS; i++)
			if (p[k].revents && slots[i].reading && slots[i].fd == p[k].fd) {
				read_answer(&slots[i]);
				break;
			}
}

/* Whether s waits for an answer that ATTEST_TIMEOUT_MS bounds. */
static int waiting(const struct slot *s)
{
	return s->why == WHY_NONE && (s->reading || s->pid) && !answered(s);
}

void attest_tick(int64_t now)
{
	int i;

	for (i = 0; i < ATTEST_SLOTS; i++) {
		struct slot *s = &slots[i];
		if (!waiting(s) || now < s->deadline)
			continue;
		say_warn("attestation: the NSM did not answer within %s; request process %d killed",
			 timeout_words(), (int)s->pid);
		s->why = WHY_TIMED_OUT;
		kill_child(s);
		stop_reading(s);
	}
}

int64_t attest_next_deadline(void)
{
	int64_t next = 0;
	int i;

	for (i = 0; i < ATTEST_SLOTS; i++)
		if (waiting(&slots[i]) && (!next || slots[i].deadline < next))
			next = slots[i].deadline;
	return next;
}

void attest_cancel_all(void)
{
	int i;

	for (i = 0; i < ATTEST_SLOTS; i++) {
		struct slot *s = &slots[i];
		if (!waiting(s))
			continue;
		s->why = WHY_CANCELLED;
		kill_child(s);
		stop_reading(s);
	}
}
