/* timeserve.c: `initctl time-serve` (timeserve.h).
 *
 *   initctl time-serve --port PORT [--cid-allow CID] [--unix PATH]
 *                      [--test-offset-ms N | --test-epoch SEC]
 *
 * Listens on AF_VSOCK PORT (any CID) or on the Unix socket PATH and
 * answers every request frame with a reply frame carrying the request's
 * nonce and this machine's CLOCK_REALTIME; then closes the connection.
 * One poll over the listener and at most MAX_PEERS connections, each
 * non-blocking with a deadline of PEER_MS: a client that sends half a
 * frame, or nothing, or floods, costs one slot for a moment and never
 * stalls the others. --cid-allow answers only that CID (the enclave's).
 *
 * For tests only: --test-offset-ms serves the wall clock shifted by N ms
 * (a lying parent); --test-epoch serves SEC plus the time elapsed on the
 * monotonic clock since time-serve started, so that a server inside the
 * guest whose wall clock init steps still serves the same, true time.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "timeproto.h"
#include "timeserve.h"
#include "vsock.h"

#define MAX_PEERS 16
#define PEER_MS 2000

struct peer {
	int fd;
	size_t got;
	int64_t until; /* monotonic ms */
	unsigned char buf[TIMEPROTO_SIZE];
};

struct serve_opts {
	unsigned long port, cid_allow;
	int have_port, have_cid_allow, have_epoch;
	const char *unix_path;
	long long offset_ms, epoch;
};

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t started_mono;

/* What this server says the time is. */
static uint64_t served_ns(const struct serve_opts *o)
{
	int64_t t = o->have_epoch ? o->epoch * 1000000000 + (now_ns(CLOCK_MONOTONIC) - started_mono)
				  : now_ns(CLOCK_REALTIME) + o->offset_ms * 1000000;

	return t > 0 ? (uint64_t)t : 0;
}

static int usage(const char *why)
{
	fprintf(stderr,
		"initctl time-serve: %s\nusage: initctl time-serve --port PORT [--cid-allow CID] [--unix PATH]\n"
		"                          [--test-offset-ms N | --test-epoch SEC]\n",
		why);
	return 2;
}

static int number(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !*s || *end || errno || *v < lo || *v > hi ? -1 : 0;
}

static int parse(int argc, char **argv, struct serve_opts *o)
{
	int i;
	long long v;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val)
			return usage("an option without its value");
		i++;
		if (!strcmp(a, "--port") && !number(val, 0, 0xFFFFFFFFLL, &v)) {
			o->port = (unsigned long)v;
			o->have_port = 1;
		} else if (!strcmp(a, "--cid-allow") && !number(val, 0, 0xFFFFFFFFLL, &v)) {
			o->cid_allow = (unsigned long)v;
			o->have_cid_allow = 1;
		} else if (!strcmp(a, "--unix") && val[0] == '/' &&
			   strlen(val) < sizeof(((struct sockaddr_un *)0)->sun_path)) {
			o->unix_path = val;
		} else if (!strcmp(a, "--test-offset-ms") && !number(val, -(1LL << 50), 1LL << 50, &v)) {
			o->offset_ms = v;
		} else if (!strcmp(a, "--test-epoch") && !number(val, 1, 1LL << 32, &v)) {
			o->epoch = v;
			o->have_epoch = 1;
		} else {
			return usage("a bad option or value");
		}
	}
	if (!o->have_port && !o->unix_path)
		return usage("--port or --unix is required");
	if (o->have_epoch && o->offset_ms)
		return usage("--test-offset-ms and --test-epoch do not go together");
	return 0;
}

static int listen_on(const struct serve_opts *o)
{
	struct vsock_addr v = { 0 };
	struct sockaddr_un u = { 0 };
	struct stat st;
	int fd = socket(o->unix_path ? AF_UNIX : AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	if (o->unix_path) {
		u.sun_family = AF_UNIX;
		snprintf(u.sun_path, sizeof u.sun_path, "%s", o->unix_path);
		/* An earlier run's socket is replaced; anything else at the path
		 * (a mistyped --unix) is not ours to remove: bind then fails. */
		if (lstat(o->unix_path, &st) == 0 && S_ISSOCK(st.st_mode))
			(void)unlink(o->unix_path);
		rc = bind(fd, (struct sockaddr *)&u, sizeof u);
	} else {
		v.svm_family = AF_VSOCK;
		v.svm_cid = VSOCK_CID_ANY;
		v.svm_port = (unsigned)o->port;
		rc = bind(fd, (struct sockaddr *)&v, sizeof v);
	}
	if (rc < 0 || listen(fd, MAX_PEERS) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void drop(struct peer *p)
{
	close(p->fd);
	p->fd = -1;
}

/* A new connection into a free slot; none free: the one nearest its
 * deadline makes room (a flood cannot keep honest clients out for more
 * than PEER_MS). */
static void take(int lfd, struct peer *peers, const struct serve_opts *o)
{
	struct vsock_addr from;
	socklen_t len = sizeof from;
	int fd = accept4(lfd, (struct sockaddr *)&from, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int k, slot = 0;

	if (fd < 0)
		return;
	if (o->have_cid_allow && !o->unix_path && from.svm_cid != o->cid_allow) {
		close(fd);
		return;
	}
	for (k = 0; k < MAX_PEERS; k++) {
		if (peers[k].fd < 0) {
			slot = k;
			break;
		}
		if (peers[k].until < peers[slot].until)
			slot = k;
	}
	if (peers[slot].fd >= 0)
		drop(&peers[slot]);
	peers[slot].fd = fd;
	peers[slot].got = 0;
	peers[slot].until = now_ns(CLOCK_MONOTONIC) / 1000000 + PEER_MS;
}

static void answer(struct peer *p, const struct serve_opts *o)
{
	struct timeproto_msg m;
	unsigned char f[TIMEPROTO_SIZE];
	ssize_t n = read(p->fd, p->buf + p->got, sizeof p->buf - p->got);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(p);
		return;
	}
	p->got += (size_t)n;
	if (p->got < sizeof p->buf)
		return;
	if (timeproto_unpack(p->buf, p->got, &m) == 0 && m.kind == TIMEPROTO_REQUEST) {
		m.kind = TIMEPROTO_REPLY;
		m.time_ns = served_ns(o);
		timeproto_pack(f, &m);
		/* A fresh socket's buffer takes 32 bytes; a client that sent its
		 * request and closed must not end the server with SIGPIPE. */
		(void)send(p->fd, f, sizeof f, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	drop(p);
}

static void serve(int lfd, const struct serve_opts *o)
{
	struct peer peers[MAX_PEERS];
	struct pollfd pf[MAX_PEERS + 1];
	int k;

	for (k = 0; k < MAX_PEERS; k++)
		peers[k].fd = -1;
	for (;;) {
		int64_t now = now_ns(CLOCK_MONOTONIC) / 1000000;
		int n = 1, at[MAX_PEERS + 1];

		pf[0].fd = lfd;
		pf[0].events = POLLIN;
		for (k = 0; k < MAX_PEERS; k++) {
			if (peers[k].fd >= 0 && now >= peers[k].until)
				drop(&peers[k]);
			if (peers[k].fd < 0)
				continue;
			pf[n].fd = peers[k].fd;
			pf[n].events = POLLIN;
			at[n++] = k;
		}
		if (poll(pf, (nfds_t)n, PEER_MS) < 0 && errno != EINTR)
			return;
		for (k = 1; k < n; k++)
			if (pf[k].revents)
				answer(&peers[at[k]], o);
		if (pf[0].revents)
			take(lfd, peers, o);
	}
}

int timeserve_command(int argc, char **argv)
{
	struct serve_opts o = { 0 };
	int rc = parse(argc, argv, &o), lfd;
	char where[128];

	if (rc)
		return rc;
	started_mono = now_ns(CLOCK_MONOTONIC);
	lfd = listen_on(&o);
	if (o.unix_path)
		snprintf(where, sizeof where, "%s", o.unix_path);
	else
		snprintf(where, sizeof where, "vsock port %lu", o.port);
	if (lfd < 0) {
		fprintf(stderr, "✗ Error: time-serve: cannot listen on %s: %s\n", where, strerror(errno));
		return 1;
	}
	fprintf(stderr, "time-serve: answering on %s\n", where);
	serve(lfd, &o);
	fprintf(stderr, "✗ Error: time-serve: poll: %s\n", strerror(errno));
	return 1;
}
