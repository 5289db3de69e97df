/* heartbeat.c: tell the parent instance that the enclave has booted.
 *
 * The Nitro protocol: connect AF_VSOCK to the parent (CID 3) port 9000,
 * send one byte 0xB7, read one byte back, which must be 0xB7 too. nitro-cli
 * waits for it before it reports the enclave as running. Here the whole
 * exchange is bounded: a parent that never answers costs boot
 * HEARTBEAT_TIMEOUT_MS, and a failed heartbeat is logged, never fatal.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vsock.h"

#include "boot.h"
#include "clock.h"
#include "say.h"

#define HEARTBEAT_BYTE 0xB7
#define HEARTBEAT_TIMEOUT_MS 10000

/* Wait for events on fd until the deadline; returns 1 when they came. */
static int wait_for(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		int64_t left = deadline - clock_ms();
		int n;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return 0;
		}
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 0;
	}
}

void heartbeat(unsigned cid, unsigned port)
{
	struct vsock_addr sa;
	int64_t deadline = clock_ms() + HEARTBEAT_TIMEOUT_MS;
	unsigned char b = HEARTBEAT_BYTE;
	const char *step = "socket";
	socklen_t len = sizeof(int);
	int fd, err = 0;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	memset(&sa, 0, sizeof sa);
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = cid;
	sa.svm_port = port;
	step = "connect";
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		if (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline))
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			errno = err;
			goto fail;
		}
	}
	step = "send";
	if (send(fd, &b, 1, MSG_NOSIGNAL) != 1)
		goto fail;
	step = "reply";
	b = 0;
	if (!wait_for(fd, POLLIN, deadline))
		goto fail;
	switch (recv(fd, &b, 1, 0)) {
	case 1: break;
	case 0:
		say_error("heartbeat to vsock %u:%u: the parent closed the connection without answering; "
			  "booting on",
			  cid, port);
		close(fd);
		return;
	default: goto fail;
	}
	close(fd);
	if (b != HEARTBEAT_BYTE) {
		say_error("heartbeat to vsock %u:%u: the parent answered 0x%02x, not 0x%02x; booting on", cid,
			  port, b, HEARTBEAT_BYTE);
		return;
	}
	say("heartbeat to vsock %u:%u answered", cid, port);
	return;
fail:
	say_error("heartbeat to vsock %u:%u: %s: %s; booting on", cid, port, step, strerror(errno));
	if (fd >= 0)
		close(fd);
}
