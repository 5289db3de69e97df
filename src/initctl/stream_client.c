/* stream_client.c: where `initctl logs-stream` gets a log's lines from, and
 * where it puts them.
 *
 * Over VSOCK (initctl on the parent instance, init in the enclave) the
 * stream is a connection of its own that init makes back to a listener of
 * ours: the control connection only sets it up, and a stream to a file can
 * outlast any control timeout. Over the Unix socket (initctl inside the
 * enclave) the `logs` operation already streams on the control connection,
 * so that is used. Either way the bytes are the log's lines as init writes
 * them, copied with write(2): nothing is buffered when a signal ends us.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stream_client.h"

#ifndef ACCEPT_TIMEOUT_MS /* the unit test waits less */
#define ACCEPT_TIMEOUT_MS 10000
#endif

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A reader that went away (`| head`) ends the stream quietly; any other
 * write error is one. */
static enum stream_end write_failed(const struct stream_req *r, int err, struct client_result *res)
{
	if (err == EPIPE)
		return STREAM_ENDED;
	res->status = -1;
	snprintf(res->msg, sizeof res->msg, "cannot write to %s: %s", r->out_name, strerror(err));
	return STREAM_FAILED;
}

/* --- over the Unix socket --- */

struct unix_copy {
	int fd;
	int err; /* errno of a failed write, or 0 */
};

static int copy_record(const unsigned char *f, void *ctx)
{
	struct unix_copy *u = ctx;
	struct proto_log l;

	if (proto_unpack_log(f, &l) < 0)
		return 0;
	if (write_all(u->fd, l.bytes, l.len) < 0) {
		u->err = errno;
		return 1;
	}
	return 0;
}

/* Ctrl+C ends a follow; everything received has been written already. */
static void end_now(int sig)
{
	(void)sig;
	_exit(0);
}

enum stream_end stream_over_unix(const struct client_target *t, const struct stream_req *r,
				 struct client_result *res)
{
	struct proto_req rq = { PROTO_OP_LOGS, r->name, r->lines, r->follow };
	struct unix_copy u = { r->out_fd, 0 };

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, end_now);
	signal(SIGTERM, end_now);
	if (client_call(t, &rq, copy_record, &u, res) < 0)
		return u.err ? write_failed(r, u.err, res) : STREAM_FAILED;
	return res->status == PROTO_OK ? STREAM_ENDED : STREAM_FAILED;
}

/* --- over VSOCK --- */

/* Bind VMADDR_CID_ANY:port, so that init's connection is taken whatever
 * CID the hypervisor gave this side; without --listen-port, a busy port
 * moves on to the next, so that several streams can run at once. */
static int listen_vsock(const struct stream_req *r, uint32_t *port, struct client_result *res)
{
	uint32_t p = r->listen_port;

	for (;;) {
		struct vsock_addr sa;
		int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0), err;

		client_vsock_addr(&sa, CLIENT_VMADDR_CID_ANY, p);
		/* A backlog of a few: a stranger connecting first must not
		 * leave init's connection refused. */
		if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(fd, 8) == 0) {
			*port = p;
			return fd;
		}
		err = errno;
		if (fd >= 0)
			close(fd);
		if (err == EADDRINUSE && !r->port_given && p < STREAM_LAST_PORT) {
			p++;
			continue;
		}
		if (err == EADDRINUSE && !r->port_given)
			snprintf(res->msg, sizeof res->msg,
				 "cannot listen on vsock ports %u to %u: all in use "
				 "(give a free one with --listen-port)",
				 r->listen_port, p);
		else
			snprintf(res->msg, sizeof res->msg, "cannot listen on vsock port %u: %s", p,
				 strerror(err));
		return -1;
	}
}

/* SIGINT and SIGTERM as a descriptor, so the copy loop sees them between
 * reads and can tell init to stop before it goes. */
static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, 0) < 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* init's connection; only from the CID the request went to (anyone else on
 * the host could connect to an open port too). Returns the connection,
 * -2 on a signal, -1 on a failure (res->msg). */
static int accept_stream(int lfd, int sfd, uint32_t port, uint32_t from_cid, struct client_result *res)
{
	int refused = 0;

	for (;;) {
		struct pollfd p[2] = { { lfd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		struct vsock_addr peer;
		socklen_t len = sizeof peer;
		/* Each refused stranger restarts the wait; SIGINT and SIGTERM
		 * are blocked (they come through sfd), so poll is not interrupted. */
		int n = poll(p, 2, ACCEPT_TIMEOUT_MS), fd;

		if (n < 0) {
			snprintf(res->msg, sizeof res->msg, "poll: %s", strerror(errno));
			return -1;
		}
		if (p[1].revents)
			return -2;
		if (n == 0) {
			int k = snprintf(res->msg, sizeof res->msg,
					 "init did not connect back to vsock port %u "
					 "within %d s",
					 port, ACCEPT_TIMEOUT_MS / 1000);
			if (refused && k > 0 && (size_t)k < sizeof res->msg)
				snprintf(res->msg + k, sizeof res->msg - (size_t)k,
					 " (refused %d connection(s) "
					 "from other CIDs)",
					 refused);
			return -1;
		}
		fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd < 0)
			continue; /* the peer gave up meanwhile: wait for the next */
		if (peer.svm_cid == from_cid)
			return fd;
		close(fd);
		refused++;
	}
}

static void stop_stream(const struct client_target *t, const struct stream_req *r, uint32_t port,
			struct client_result *res)
{
	struct proto_req rq = { .op = PROTO_OP_LOGS_STREAM_STOP, .name = r->name, .port = port };

	if (client_call(t, &rq, 0, 0, res) < 0)
		res->status = -1;
}

/* Copy the stream out until it ends, a signal comes or a write fails. */
static enum stream_end copy_stream(const struct client_target *t, const struct stream_req *r, uint32_t port,
				   int cfd, int sfd, struct client_result *res)
{
	static char buf[65536];
	struct client_result ignored;

	for (;;) {
		struct pollfd p[2] = { { cfd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			res->status = -1;
			snprintf(res->msg, sizeof res->msg, "poll: %s", strerror(errno));
			return STREAM_FAILED;
		}
		if (p[1].revents) {
			stop_stream(t, r, port, res);
			return STREAM_STOPPED;
		}
		n = read(cfd, buf, sizeof buf);
		if (n == 0)
			return STREAM_ENDED;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			res->status = -1;
			snprintf(res->msg, sizeof res->msg, "the log stream broke: %s", strerror(errno));
			return STREAM_FAILED;
		}
		if (write_all(r->out_fd, buf, (size_t)n) < 0) {
			int err = errno;
			stop_stream(t, r, port, &ignored);
			return write_failed(r, err, res);
		}
	}
}

enum stream_end stream_over_vsock(const struct client_target *t, const struct stream_req *r,
				  struct client_result *res)
{
	struct proto_req rq = { .op = PROTO_OP_LOGS_STREAM,
				.name = r->name,
				.lines = r->lines,
				.follow = r->follow,
				.cid = r->listen_cid };
	enum stream_end end;
	uint32_t port;
	int lfd, sfd, cfd;

	res->status = -1;
	lfd = listen_vsock(r, &port, res);
	if (lfd < 0)
		return STREAM_FAILED;
	rq.port = port;
	/* init answers once it has connected to us (or failed to), so a
	 * good answer means the connection waits in the listen queue. */
	if (client_call(t, &rq, 0, 0, res) < 0 || res->status != PROTO_OK) {
		close(lfd);
		return STREAM_FAILED;
	}
	signal(SIGPIPE, SIG_IGN);
	sfd = signals_fd();
	if (sfd < 0) {
		snprintf(res->msg, sizeof res->msg, "signalfd: %s", strerror(errno));
		res->status = -1;
		close(lfd);
		return STREAM_FAILED;
	}
	cfd = accept_stream(lfd, sfd, port, t->vsock_cid, res);
	close(lfd);
	if (cfd == -2) {
		stop_stream(t, r, port, res);
		return STREAM_STOPPED;
	}
	if (cfd < 0) {
		struct client_result ignored;
		stop_stream(t, r, port, &ignored);
		res->status = -1;
		return STREAM_FAILED;
	}
	end = copy_stream(t, r, port, cfd, sfd, res);
	close(cfd);
	close(sfd);
	return end;
}
