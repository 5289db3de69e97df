/* attest.c with real child processes (spawn.c's worker) running nsm.c
 * against a fake device: access, open and ioctl are wrapped
 * (-Wl,--wrap=access,--wrap=open,--wrap=ioctl), and the fake ioctl runs
 * in the child, as the real one would. Built with -DATTEST_TIMEOUT_MS=300.
 * A small loop of the test's own (poll on the pipes, waitpid, attest_tick)
 * drives it the way init's loop does. Waits have a generous bound for
 * progress only; no assertion depends on how long anything took. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest.h"
#include "cbor.h"
#include "clock.h"
#include "harness.h"

/* What the fake NSM does, in the child (set before attest_start). */
enum { ECHO, BIG, REFUSE, HANG, EXIT3, CRASH, INSPECT };
static int device_there = 1;
static int behaviour;

int __real_access(const char *path, int mode);
int __wrap_access(const char *path, int mode)
{
	if (strcmp(path, NSM_DEVICE) != 0)
		return __real_access(path, mode);
	if (!device_there) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	if (!strcmp(path, NSM_DEVICE))
		return __real_open("/dev/null", O_RDONLY | O_CLOEXEC);
	return __real_open(path, flags, mode);
}

/* In the child: whether it was set up as a worker should be (its own
 * session, nothing blocked, nothing of the parent's open but 0-3 and the
 * device). */
static int set_up_right(int dev)
{
	sigset_t mask;
	DIR *d;
	struct dirent *e;
	int ok = getsid(0) == getpid();

	sigprocmask(SIG_SETMASK, 0, &mask);
	ok = ok && !sigismember(&mask, SIGTERM) && !sigismember(&mask, SIGCHLD);
	d = opendir("/proc/self/fd");
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd > 3 && fd != dev && fd != dirfd(d))
			ok = 0;
	}
	closedir(d);
	return ok;
}

/* A reply {"Attestation": {"document": doc}}, or {"Error": "..."}. */
static size_t reply_with(unsigned char *out, size_t cap, const void *doc, size_t n, const char *error)
{
	struct cbor_out o;

	cbor_out_init(&o, out, cap);
	cbor_put_head(&o, CBOR_MAP, 1);
	if (error) {
		cbor_put_text(&o, "Error");
		cbor_put_text(&o, error);
	} else {
		cbor_put_text(&o, "Attestation");
		cbor_put_head(&o, CBOR_MAP, 1);
		cbor_put_text(&o, "document");
		cbor_put_bytes(&o, doc, n);
	}
	return o.overflow ? 0 : o.len;
}

/* The biggest document a reply of NSM_RESPONSE_MAX_SIZE holds: the reply
 * around it takes 1 + 12 + 1 + 9 + 3 bytes. */
#define BIG_DOC (NSM_RESPONSE_MAX_SIZE - 26)

int __wrap_ioctl(int fd, int cmd, ...)
{
	static unsigned char big[BIG_DOC];
	struct nsm_raw *raw;
	unsigned char *resp;
	va_list ap;
	size_t k;

	va_start(ap, cmd);
	raw = va_arg(ap, struct nsm_raw *);
	va_end(ap);
	resp = (unsigned char *)(uintptr_t)raw->response.addr;
	switch (behaviour) {
	case HANG: pause(); break;
	case EXIT3: _exit(3);
	case CRASH: kill(getpid(), SIGSEGV); break; /* not raise(): see spawn_worker */
	case REFUSE: raw->response.len = reply_with(resp, raw->response.len, 0, 0, "InvalidArgument"); break;
	case BIG:
		for (k = 0; k < sizeof big; k++)
			big[k] = (unsigned char)(k * 7);
		raw->response.len = reply_with(resp, raw->response.len, big, sizeof big, 0);
		break;
	case INSPECT:
		raw->response.len = reply_with(resp, raw->response.len, set_up_right(fd) ? "ok" : "bad", 2, 0);
		break;
	default: /* the document is the request itself: the test sees what was asked */
		raw->response.len = reply_with(resp, raw->response.len, (const void *)(uintptr_t)raw->request.addr,
					       raw->request.len, 0);
	}
	return 0;
}

/* --- the loop ------------------------------------------------------------ */

static int reaped; /* children of attest.c reaped */

static void reap(int block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0)
		reaped += attest_reaped(pid, status);
}

static void pass(void)
{
	struct pollfd p[ATTEST_SLOTS];
	int n = attest_poll_add(p, ATTEST_SLOTS);
	int64_t next = attest_next_deadline(), ms = 50;

	if (next && next - clock_ms() < ms)
		ms = next > clock_ms() ? next - clock_ms() : 0;
	if (poll(p, (nfds_t)n, (int)ms) > 0)
		attest_poll_done(p, n, clock_ms());
	reap(0);
	attest_tick(clock_ms());
}

static char msg[192];
static const unsigned char *doc;
static size_t doc_len;

/* Run the loop until request (slot, gen) is settled; PENDING when it was
 * not within a bound meant only to stop a broken test. */
static enum attest_result settle(int slot, unsigned gen)
{
	int64_t give_up = clock_ms() + 30000;
	enum attest_result r;

	msg[0] = 0;
	doc = 0;
	while ((r = attest_result(slot, gen, &doc, &doc_len, msg, sizeof msg)) == ATTEST_PENDING &&
	       clock_ms() < give_up)
		pass();
	return r;
}

/* Loop until every child has been reaped and every pipe closed. */
static int all_quiet(void)
{
	int64_t give_up = clock_ms() + 30000;
	struct pollfd p[ATTEST_SLOTS];

	for (;;) {
		reap(0);
		if (attest_poll_add(p, ATTEST_SLOTS) == 0 && waitpid(-1, 0, WNOHANG) < 0 && errno == ECHILD)
			return attest_next_deadline() == 0;
		if (clock_ms() > give_up)
			return 0;
		pass();
	}
}

static int start(int how, const char *nonce, unsigned *gen)
{
	struct nsm_ask a = { nonce, nonce ? strlen(nonce) : 0, "ud", 2 };

	behaviour = how;
	msg[0] = 0;
	return attest_start(&a, gen, msg, sizeof msg);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int fds_at_start;

TEST(no_device_is_said_at_once)
{
	unsigned gen;

	fds_at_start = open_fds();
	device_there = 0;
	CHECK(start(ECHO, "n", &gen) == -1);
	CHECK_STR(msg, "attestation: no NSM device (" NSM_DEVICE ": No such file or directory); is the NSM "
		       "driver loaded (nsm_driver_path)?");
	CHECK(waitpid(-1, 0, WNOHANG) < 0 && errno == ECHILD); /* no child for that */
	device_there = 1;
}

TEST(document_comes_back)
{
	unsigned gen;
	int s = start(ECHO, "nonce-123", &gen);

	CHECK(s >= 0);
	CHECK(settle(s, gen) == ATTEST_DOC);
	/* The fake NSM's document is the request it got: nonce and user data
	 * went through. */
	CHECK(doc && doc_len > 20 && memmem(doc, doc_len, "\x49nonce-123", 10) &&
	      memmem(doc, doc_len, "\x42ud", 3));
	attest_release(s, gen);
	CHECK(all_quiet());
}

TEST(the_largest_document)
{
	unsigned gen;
	int s = start(BIG, "n", &gen), ok = 1;
	size_t k;

	CHECK(s >= 0 && settle(s, gen) == ATTEST_DOC);
	CHECK(doc_len == BIG_DOC);
	for (k = 0; doc && k < doc_len && k < BIG_DOC; k++)
		ok &= doc[k] == (unsigned char)(k * 7);
	CHECK(ok);
	attest_release(s, gen);
	CHECK(all_quiet());
}

TEST(nsm_error_is_said)
{
	unsigned gen;
	int s = start(REFUSE, 0, &gen);

	CHECK(s >= 0 && settle(s, gen) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: the NSM refused the request: InvalidArgument");
	attest_release(s, gen);
	CHECK(all_quiet());
}

TEST(child_without_an_answer)
{
	unsigned gen;
	int s = start(EXIT3, "n", &gen);

	CHECK(s >= 0 && settle(s, gen) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: the request process ended without an answer (exit status 3)");
	attest_release(s, gen);
	s = start(CRASH, "n", &gen);
	CHECK(s >= 0 && settle(s, gen) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: the request process ended without an answer (killed by signal 11)");
	attest_release(s, gen);
	CHECK(all_quiet());
}

TEST(a_device_that_never_answers_is_timed_out)
{
	unsigned gen;
	int s = start(HANG, "n", &gen), before = reaped;

	CHECK(s >= 0 && attest_next_deadline() > 0);
	CHECK(settle(s, gen) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: the NSM did not answer within 300 ms");
	CHECK(attest_next_deadline() == 0);
	attest_release(s, gen);
	CHECK(all_quiet() && reaped == before + 1);
}

TEST(slots_run_out_then_come_back)
{
	unsigned gen[ATTEST_SLOTS + 1];
	int s[ATTEST_SLOTS + 1], i, before = reaped;

	for (i = 0; i < ATTEST_SLOTS; i++) {
		s[i] = start(HANG, "n", &gen[i]);
		CHECK(s[i] >= 0);
	}
	CHECK(start(ECHO, "n", &gen[i]) == ATTEST_BUSY);
	CHECK_STR(msg, "attestation: 4 requests to the NSM are in progress (at most 4 at once); try again");
	pass();
	CHECK(attest_result(s[0], gen[0], &doc, &doc_len, msg, sizeof msg) == ATTEST_PENDING);
	/* Clients that go away: their children are killed, reaped, and the
	 * slots free again. */
	for (i = 0; i < ATTEST_SLOTS; i++)
		if (s[i] >= 0)
			attest_release(s[i], gen[i]);
	CHECK(all_quiet() && reaped == before + ATTEST_SLOTS);
	s[0] = start(ECHO, "again", &gen[0]);
	CHECK(s[0] >= 0 && settle(s[0], gen[0]) == ATTEST_DOC);
	attest_release(s[0], gen[0]);
	CHECK(all_quiet());
}

TEST(a_client_that_goes_away_has_its_child_killed)
{
	unsigned gen;
	int s = start(HANG, "n", &gen), status = 0;
	int64_t give_up = clock_ms() + 30000;
	pid_t pid = 0;

	CHECK(s >= 0);
	attest_release(s, gen);
	/* No pass of the loop, so no timeout: only the release can end it. */
	while (pid <= 0 && clock_ms() < give_up) {
		pid = waitpid(-1, &status, WNOHANG);
		if (!pid)
			usleep(1000);
	}
	CHECK(pid > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (pid > 0)
		CHECK(attest_reaped(pid, status) == 1);
	CHECK(all_quiet());
}

TEST(a_slot_is_not_reused_before_its_child_is_reaped)
{
	unsigned gen, gens[ATTEST_SLOTS];
	int s = start(HANG, "n", &gen), others[ATTEST_SLOTS], i;

	attest_release(s, gen); /* killed, not reaped yet: still taken */
	for (i = 0; i < ATTEST_SLOTS - 1; i++) {
		others[i] = start(HANG, "n", &gens[i]);
		CHECK(others[i] >= 0 && others[i] != s);
	}
	CHECK(start(HANG, "n", &gen) == ATTEST_BUSY);
	for (i = 0; i < ATTEST_SLOTS - 1; i++)
		if (others[i] >= 0)
			attest_release(others[i], gens[i]);
	CHECK(all_quiet());
}

TEST(a_stale_request_is_forgotten)
{
	unsigned gen, gen2;
	int s = start(ECHO, "n", &gen), s2;

	CHECK(s >= 0 && settle(s, gen) == ATTEST_DOC);
	attest_release(s, gen);
	CHECK(all_quiet());
	s2 = start(ECHO, "m", &gen2);
	CHECK(s2 == s && gen2 != gen);
	CHECK(attest_result(s, gen, &doc, &doc_len, msg, sizeof msg) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: the request was forgotten");
	attest_release(s, gen); /* the old reply's release leaves the new request alone */
	CHECK(settle(s2, gen2) == ATTEST_DOC);
	attest_release(s2, gen2);
	CHECK(all_quiet());
}

TEST(cancelled_by_a_reload)
{
	unsigned gen;
	int s = start(HANG, "n", &gen);

	attest_cancel_all();
	CHECK(attest_result(s, gen, &doc, &doc_len, msg, sizeof msg) == ATTEST_FAILED);
	CHECK_STR(msg, "attestation: cancelled: init is re-executing itself");
	attest_release(s, gen);
	CHECK(all_quiet());
}

TEST(the_worker_is_set_up_like_a_service_and_holds_nothing_of_ours)
{
	unsigned gen;
	sigset_t set;
	int extra = open("/dev/null", O_RDONLY), s; /* not close-on-exec: the worker must close it anyway */

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, 0); /* as init blocks the signals it takes */
	s = start(INSPECT, "n", &gen);
	CHECK(s >= 0 && settle(s, gen) == ATTEST_DOC && doc_len == 2 && !memcmp(doc, "ok", 2));
	attest_release(s, gen);
	sigprocmask(SIG_UNBLOCK, &set, 0);
	close(extra);
	CHECK(all_quiet());
}

TEST(nothing_leaks)
{
	CHECK(all_quiet());
	CHECK(open_fds() == fds_at_start);
}

RUN_TESTS("attest", T(no_device_is_said_at_once), T(document_comes_back), T(the_largest_document),
	  T(nsm_error_is_said), T(child_without_an_answer), T(a_device_that_never_answers_is_timed_out),
	  T(slots_run_out_then_come_back), T(a_client_that_goes_away_has_its_child_killed),
	  T(a_slot_is_not_reused_before_its_child_is_reaped), T(a_stale_request_is_forgotten),
	  T(cancelled_by_a_reload), T(the_worker_is_set_up_like_a_service_and_holds_nothing_of_ours),
	  T(nothing_leaks))
