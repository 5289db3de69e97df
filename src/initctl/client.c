/* client.c: initctl's transports: connect (Unix socket, or AF_VSOCK from
 * the host to an enclave), send one frame, read frames until the final one,
 * check every frame before using it. initctl is a short-lived command, so
 * it may block, but never forever: connects and reads time out. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfg.h"
#include "client.h"

#define CLIENT_TIMEOUT_S 30
/* A VSOCK peer that does not exist may never answer the connect (no
 * reset comes back through the hypervisor), so it gets a deadline. */
#define CONNECT_TIMEOUT_MS 10000

void client_vsock_addr(struct vsock_addr *a, uint32_t cid, uint32_t port)
{
	memset(a, 0, sizeof *a);
	a->svm_family = AF_VSOCK;
	a->svm_cid = cid;
	a->svm_port = port;
}

static void set_timeouts(int fd, int forever)
{
	struct timeval tv = { CLIENT_TIMEOUT_S, 0 };

	if (!forever)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int connect_unix(const char *path, int forever, struct client_result *res)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(res->msg, sizeof res->msg, "socket path too long: %s", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(res->msg, sizeof res->msg, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1); /* its length is checked above */
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int err = errno;
		snprintf(res->msg, sizeof res->msg, "cannot connect to init at %s: %s (%s)", path, strerror(err),
			 err == EACCES || err == EPERM
				 ? "the socket is for root and init's own user"
				 : "is init running, and is this its control.unix_socket_path? "
				   "-s, INIT_SOCKET or initctl.yaml name another");
		res->status = CLIENT_UNREACHABLE;
		close(fd);
		return -1;
	}
	set_timeouts(fd, forever);
	return fd;
}

/* Non-blocking connect, then poll for it until the deadline. */
static int connect_vsock(uint32_t cid, uint32_t port, int forever, struct client_result *res)
{
	struct vsock_addr sa;
	int fd, err = 0;
	socklen_t len = sizeof err;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto failed;
	client_vsock_addr(&sa, cid, port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		if (errno != EINPROGRESS)
			goto failed;
		struct pollfd p = { fd, POLLOUT, 0 };
		int n;
		/* The only signal handlers initctl sets end it: no EINTR to retry. */
		n = poll(&p, 1, CONNECT_TIMEOUT_MS);
		if (n < 0)
			goto failed;
		if (n == 0) {
			errno = ETIMEDOUT;
			goto failed;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			goto failed;
		if (err) {
			errno = err;
			goto failed;
		}
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		goto failed;
	set_timeouts(fd, forever);
	return fd;
failed:
	err = errno;
	snprintf(res->msg, sizeof res->msg,
		 "cannot connect to init at vsock %u:%u: %s (is the enclave of CID %u running "
		 "(nitro-cli describe-enclaves), and does its init.yaml set control.vsock_enabled and "
		 "control.vsock_port %u?)",
		 cid, port, strerror(err), cid, port);
	res->status = CLIENT_UNREACHABLE;
	if (fd >= 0)
		close(fd);
	return -1;
}

static int io_full(int fd, unsigned char *buf, size_t len, int writing)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = writing ? send(fd, buf + done, len - done, MSG_NOSIGNAL)
				    : recv(fd, buf + done, len - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : (int)done;
		done += (size_t)n;
	}
	return (int)done;
}

/* Whether f is the final frame; if so, res and *peer_hash get what it says. */
static int is_final(const unsigned char *f, struct client_result *res, uint64_t *peer_hash)
{
	struct proto_done d;

	if (proto_unpack_done(f, &d) < 0)
		return 0;
	res->status = d.status;
	snprintf(res->msg, sizeof res->msg, "%s", d.msg);
	*peer_hash = d.hash;
	return 1;
}

/* One exchange. Returns 0 with res filled from the final frame, -1 on a
 * transport or protocol failure (res->msg says which). */
static int exchange(int fd, const unsigned char *req, client_record_fn *fn, void *ctx, struct client_result *res,
		    uint64_t *peer_hash)
{
	unsigned char f[PROTO_FRAME_SIZE];
	const char *why;
	int n;

	if (io_full(fd, (unsigned char *)req, PROTO_FRAME_SIZE, 1) != PROTO_FRAME_SIZE) {
		int err = errno;
		/* init may have said why before it closed (too many clients):
		 * that answer is better than the broken pipe. */
		if (io_full(fd, f, sizeof f, 0) == PROTO_FRAME_SIZE && proto_check_reply(f, &why) == PROTO_OK &&
		    is_final(f, res, peer_hash))
			return 0;
		snprintf(res->msg, sizeof res->msg, "cannot send request: %s", strerror(err));
		return -1;
	}
	for (;;) {
		n = io_full(fd, f, sizeof f, 0);
		if (n != PROTO_FRAME_SIZE) {
			if (n < 0)
				snprintf(res->msg, sizeof res->msg, "no reply from init: %s",
					 errno == EAGAIN ? "timed out" : strerror(errno));
			else
				snprintf(res->msg, sizeof res->msg,
					 "init closed the connection mid-reply "
					 "(%d of %d bytes)",
					 n, PROTO_FRAME_SIZE);
			return -1;
		}
		if (proto_check_reply(f, &why) != PROTO_OK) {
			snprintf(res->msg, sizeof res->msg, "malformed reply from init: %s", why);
			return -1;
		}
		if (is_final(f, res, peer_hash))
			return 0;
		if (fn && fn(f, ctx)) {
			snprintf(res->msg, sizeof res->msg, "reply abandoned");
			return -1;
		}
	}
}

int client_call(const struct client_target *t, const struct proto_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res)
{
	unsigned char req[PROTO_FRAME_SIZE];
	uint64_t hash = CFG_HASH, peer = 0;
	/* A follower's reply (logs -f, events) never ends; a --wait is
	 * answered when its own timeout is up. */
	int forever = ((rq->op == PROTO_OP_LOGS || rq->op == PROTO_OP_EVENTS) && rq->follow) || rq->wait;
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		int fd, rc;

		res->status = -1;
		fd = t->transport == CLIENT_VSOCK ? connect_vsock(t->vsock_cid, t->vsock_port, forever, res)
						  : connect_unix(t->unix_path, forever, res);
		if (fd < 0)
			return -1;
		proto_pack_request(req, hash, rq);
		rc = exchange(fd, req, fn, ctx, res, &peer);
		close(fd);
		if (rc < 0)
			return -1;
		if (res->status != PROTO_E_CONFIG || attempt)
			return 0;
		/* Every operation names services by name, so going on is safe;
		 * the user still needs to know the two builds differ. */
		fprintf(stderr,
			"initctl: warning: initctl and init were built from different "
			"configurations (initctl %016llx, init %016llx); continuing by service name\n",
			(unsigned long long)CFG_HASH, (unsigned long long)peer);
		hash = peer;
	}
	return 0;
}
