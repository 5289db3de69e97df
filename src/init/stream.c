/* stream.c: log streams over VSOCK (see stream.h). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "logread.h"
#include "say.h"
#include "stream.h"
#include "vsock.h"

#define STREAM_SLOTS (CFG_MAX_LOG_STREAMS > 0 ? CFG_MAX_LOG_STREAMS : 1)

struct stream {
	int fd; /* -1: free */
	int chan;
	uint32_t cid, port;
	enum stream_state state;
	unsigned gen;     /* bumped at each open: a reply knows its own stream */
	int64_t deadline; /* connect timeout, or the stall limit while lines wait */
	struct logread lr;
	size_t off, len; /* of buf: taken from the log, not yet sent */
	char buf[2048];
	char why[96];         /* why it failed, for the reply that waits on it */
	unsigned char unread; /* failed, and its reply has not read why yet */
	unsigned char polled; /* in this pass's poll set (a new stream is not) */
};

static struct stream streams[STREAM_SLOTS];
static int ready;

static void init_slots(void)
{
	int i;

	for (i = 0; i < STREAM_SLOTS; i++)
		streams[i].fd = -1;
	ready = 1;
}

static const char *chan_name(int chan)
{
	return chan == LOG_INIT ? "init" : svc_cfg(chan)->name;
}

static void end(struct stream *s, const char *how)
{
	say("log stream of %s to vsock %u:%u %s", chan_name(s->chan), s->cid, s->port, how);
	logread_end(&s->lr);
	close(s->fd);
	s->fd = -1;
}

int stream_open(int chan, uint32_t cid, uint32_t port, uint32_t lines, int follow, unsigned *gen, char *msg,
		size_t cap)
{
	struct vsock_addr sa;
	struct stream *s = 0;
	int i, fd;

	if (!ready)
		init_slots();
	for (i = 0; i < CFG_MAX_LOG_STREAMS; i++) {
		struct stream *t = &streams[i];
		if (t->fd < 0) {
			/* a slot whose failure its reply has not read yet: last */
			if (!s || (s->unread && !t->unread))
				s = t;
		} else if (t->cid == cid && t->port == port) {
			fmt_fmt(msg, cap,
				"Log streaming already active to vsock %u:%u (log of '%s'); "
				"stop it first or use another port",
				cid, port, chan_name(t->chan));
			return -1;
		}
	}
	if (!s) {
		fmt_fmt(msg, cap,
			CFG_MAX_LOG_STREAMS ? "too many log streams (at most %d at once)"
					    : "log streaming is switched off in this build (max_log_streams: %d)",
			CFG_MAX_LOG_STREAMS);
		return -1;
	}
	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fmt_fmt(msg, cap, "Failed to connect to VSock %u:%u: %s", cid, port, strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = cid;
	sa.svm_port = port;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
		fmt_fmt(msg, cap, "Failed to connect to VSock %u:%u: %s", cid, port, strerror(errno));
		close(fd);
		return -1;
	}
	s->fd = fd;
	s->chan = chan;
	s->cid = cid;
	s->port = port;
	s->state = STREAM_CONNECTING;
	s->deadline = clock_ms() + STREAM_CONNECT_MS;
	s->off = s->len = 0;
	s->why[0] = 0;
	s->unread = s->polled = 0;
	*gen = ++s->gen;
	logread_begin_stream(&s->lr, chan, lines, follow);
	return (int)(s - streams);
}

enum stream_state stream_state(int slot, unsigned gen, char *msg, size_t cap)
{
	const struct stream *s = &streams[slot];

	if (s->gen != gen) {
		fmt_fmt(msg, cap, "the log stream ended before it started");
		return STREAM_FAILED;
	}
	if (s->state == STREAM_FAILED) {
		fmt_fmt(msg, cap, "%s", s->why);
		streams[slot].unread = 0;
	}
	return s->state;
}

static void fail(struct stream *s, const char *step, int err)
{
	fmt_fmt(s->why, sizeof s->why, "Failed to connect to VSock %u:%u: %s%s%s", s->cid, s->port, step,
		step[0] ? ": " : "", strerror(err));
	s->state = STREAM_FAILED;
	s->unread = 1;
	end(s, "could not connect");
}

int stream_stop(int chan, uint32_t port)
{
	int i, n = 0;

	for (i = 0; ready && i < CFG_MAX_LOG_STREAMS; i++) {
		struct stream *s = &streams[i];
		if (s->fd >= 0 && s->chan == chan && (!port || s->port == port)) {
			if (s->state == STREAM_CONNECTING)
				fail(s, "stopped", ECANCELED);
			else
				end(s, "stopped by logs-stream-stop");
			n++;
		}
	}
	return n;
}

static int has_output(const struct stream *s)
{
	return s->off < s->len || logread_ready(&s->lr);
}

/* A slice of the scan for the tail's start, once a pass (see logread.h). */
static void scan(struct stream *s)
{
	if (s->state == STREAM_UP)
		(void)logread_scan(&s->lr);
}

int stream_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; ready && i < CFG_MAX_LOG_STREAMS && n < max; i++) {
		struct stream *s = &streams[i];
		if (s->fd < 0)
			continue;
		scan(s);
		s->polled = 1;
		p[n].fd = s->fd;
		/* POLLIN only to notice the reader going away; it sends nothing. */
		p[n].events =
			(short)(s->state == STREAM_CONNECTING ? POLLOUT : POLLIN | (has_output(s) ? POLLOUT : 0));
		p[n++].revents = 0;
		if (s->state == STREAM_UP && has_output(s) && !s->deadline)
			s->deadline = clock_ms() + STREAM_STALL_MS;
	}
	return n;
}

static void connected(struct stream *s)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		fail(s, "", err);
		return;
	}
	s->state = STREAM_UP;
	s->deadline = 0;
	say("log stream of %s to vsock %u:%u started", chan_name(s->chan), s->cid, s->port);
}

/* Send what the log has for this reader, until the socket is full. */
static void pump(struct stream *s, int64_t now)
{
	while (s->fd >= 0) {
		ssize_t w;

		if (s->off == s->len) {
			if (logread_done(&s->lr)) {
				end(s, "finished (the last lines were sent)");
				return;
			}
			s->off = 0;
			s->len = logread_next(&s->lr, s->buf, sizeof s->buf);
			if (!s->len) {
				s->deadline = 0; /* nothing waits: no stall to time */
				return;
			}
		}
		w = send(s->fd, s->buf + s->off, s->len - s->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				end(s, "ended: the reader went away");
			return;
		}
		s->off += (size_t)w;
		s->deadline = now + STREAM_STALL_MS;
	}
}

void stream_poll_done(const struct pollfd *p, int n, int64_t now)
{
	int k, i;

	for (k = 0; k < n; k++) {
		for (i = 0; i < CFG_MAX_LOG_STREAMS; i++) {
			struct stream *s = &streams[i];
			char b[16];

			/* (a stream opened in this pass under a reused fd number
			 * is not the one poll looked at) */
			if (s->fd != p[k].fd || !s->polled || !p[k].revents)
				continue;
			if (s->state == STREAM_CONNECTING) {
				connected(s);
			} else if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				/* The reader sends nothing: a byte from it is as much an
				 * end as its hang-up (and a reader that keeps talking must
				 * not cost init a loop pass per read). */
				ssize_t r = recv(s->fd, b, sizeof b, MSG_DONTWAIT);
				if (r > 0)
					end(s, "ended: the reader sent data");
				else if (r == 0 || (errno != EAGAIN && errno != EINTR))
					end(s, "ended: the reader closed it");
			}
			if (s->fd >= 0 && s->state == STREAM_UP)
				pump(s, now);
			break;
		}
	}
}

void stream_tick(int64_t now)
{
	int i;

	for (i = 0; ready && i < CFG_MAX_LOG_STREAMS; i++) {
		struct stream *s = &streams[i];
		if (s->fd < 0)
			continue;
		if (s->state == STREAM_UP && s->off == s->len && logread_done(&s->lr))
			end(s, "finished (the last lines were sent)");
		else if (s->deadline && now >= s->deadline && s->state == STREAM_CONNECTING)
			fail(s, "", ETIMEDOUT);
		else if (s->deadline && now >= s->deadline)
			end(s, "dropped: the reader took nothing for 60 s");
	}
}

int stream_pending(void)
{
	int i, n = 0;

	for (i = 0; ready && i < CFG_MAX_LOG_STREAMS; i++)
		n += streams[i].fd >= 0 && (streams[i].state == STREAM_CONNECTING || has_output(&streams[i]));
	return n;
}

int64_t stream_next_deadline(void)
{
	int64_t next = 0;
	int i;

	for (i = 0; ready && i < CFG_MAX_LOG_STREAMS; i++) {
		const struct stream *s = &streams[i];
		if (s->fd >= 0 && s->state == STREAM_UP && s->lr.scanning)
			return clock_ms(); /* the scan goes on at the next pass */
		if (s->fd >= 0 && s->deadline && (!next || s->deadline < next))
			next = s->deadline;
	}
	return next;
}
