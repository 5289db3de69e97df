/* notify.c: the sd_notify socket (see notify.h).
 *
 * Whose a datagram is comes from the kernel (SCM_CREDENTIALS, which the
 * sender cannot forge without privilege), never from its contents: a
 * process that is not the service's own, or one that has already gone,
 * is ignored and counted. systemd-notify waits (BARRIER=1) for its
 * descriptor to be closed before it exits, so it is still there to be
 * identified when its READY=1 is read.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfg.h"
#include "fmt.h"
#include "notify.h"
#include "paths.h"
#include "say.h"
#include "svc.h"
#include "sys.h"

#define NOTIFY_MAX_FDS 16 /* passed descriptors taken (and closed) per datagram; the kernel closes the rest */

static int sock = -1;
static uint64_t accepted, rejected;

int notify_fd(void)
{
	return sock;
}

void notify_adopt(int fd)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof sa;
	const char *path = cfg_init.notify_socket_path;

	/* Only if it is still where services are told to send. */
	if (path && getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.sun_family == AF_UNIX &&
	    len > offsetof(struct sockaddr_un, sun_path) && !strncmp(sa.sun_path, path, sizeof sa.sun_path))
		sock = fd;
	else
		close(fd);
}

/* A service running as another user (User=) must reach the socket, which
 * is 0666 for that: its directory gets search permission for every user
 * (x only: nothing in it can be listed), added when it lacks it, as it
 * would when app.c made /run/enclave-init 0700 for its copies of /cmd
 * and /env (themselves 0600). */
static void let_everyone_search(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;
	struct stat st;

	fmt_fmt(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = 0;
	if (sys_stat(dir, &st, 0) < 0 || !S_ISDIR(st.st_mode) || (st.st_mode & 0111) == 0111)
		return;
	if (chmod(dir, (st.st_mode & 07777) | 0111) == 0)
		say("notify socket: %s made searchable by every user (for services with User=)", dir);
	else
		say_warn("notify socket: cannot make %s searchable: %s; services with User= cannot notify", dir,
			 strerror(errno));
}

int notify_open(void)
{
	const char *path = cfg_init.notify_socket_path;
	struct sockaddr_un sa;
	struct stat st;
	int one = 1, fd;

	if (!path || sock >= 0)
		return 0; /* no notify service, or handed over by the previous init */
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	fmt_fmt(sa.sun_path, sizeof sa.sun_path, "%s", path);
	paths_make_parent(path);
	if (sys_stat(path, &st, 1) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path); /* stale, from an earlier run */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(path, 0666) < 0) {
		say_error("notify socket %s: %s; Type=notify services will not become ready", path,
			  strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sock = fd;
	say("notify socket on %s", path);
	let_everyone_search(path);
	return 0;
}

int notify_poll_add(struct pollfd *p, int max)
{
	if (sock < 0 || max < 1)
		return 0;
	p->fd = sock;
	p->events = POLLIN;
	p->revents = 0;
	return 1;
}

/* The sender's credentials, and every descriptor it passed closed. */
static int sender(struct msghdr *mh, pid_t *pid)
{
	struct cmsghdr *c;
	int found = 0;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS) {
			size_t k, n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < n; k++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + k * sizeof fd, sizeof fd);
				close(fd); /* FDSTORE is not kept; BARRIER=1 waits for this */
			}
		} else if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(c), sizeof u);
			*pid = u.pid;
			found = 1;
		}
	}
	return found;
}

static void take(const char *buf, unsigned len, pid_t pid)
{
	struct notify_msg m;
	int i = svc_of_pid(pid);

	if (i < 0 || notify_parse(buf, len, &m) < 0 || svc_cfg(i)->type != CFG_TYPE_NOTIFY) {
		rejected++;
		return;
	}
	accepted++;
	if (m.has_status)
		svc_notify_status(i, m.status);
	if (m.ready)
		svc_notify_ready(i);
	if (m.watchdog || m.trigger)
		svc_notify_watchdog(i, m.trigger);
}

void notify_poll_done(const struct pollfd *p, int n, int64_t now)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(NOTIFY_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char buf[4096];
	int k;

	(void)now;
	if (n < 1 || !p->revents)
		return;
	for (k = 0; k < NOTIFY_PER_PASS; k++) {
		struct iovec iov = { buf, sizeof buf };
		struct msghdr mh = { 0 };
		pid_t pid = 0;
		ssize_t got;

		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof ctl.buf;
		got = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
		if (got < 0) {
			if (errno != EAGAIN && errno != EINTR)
				say_warn("notify socket: %s", strerror(errno));
			return;
		}
		if (!sender(&mh, &pid) || (mh.msg_flags & MSG_TRUNC) || got > (ssize_t)sizeof buf) {
			rejected++; /* no credentials, or longer than any notification */
			continue;
		}
		take(buf, (unsigned)got, pid);
	}
}

uint64_t notify_accepted(void)
{
	return accepted;
}

uint64_t notify_rejected(void)
{
	return rejected;
}
