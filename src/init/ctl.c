/* ctl.c: the control sockets and their client slots.
 *
 * Owns the listening sockets (Unix, and AF_VSOCK for the parent instance of
 * an enclave) and one fixed table of clients that both share: the same
 * frames, the same loop, each client tied to the policy of the transport it
 * came in by. Moves whole
 * frames in and out without ever blocking: every socket is non-blocking,
 * a reply is produced one frame at a time as the peer drains it, and a peer
 * that sends nothing or reads nothing is dropped at its deadline. A bad
 * frame gets an error reply and the connection is closed after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "ctl.h"
#include "ctlstats.h"
#include "fmt.h"
#include "ops.h"
#include "paths.h"
#include "say.h"
#include "sys.h"
#include "vsock.h"

struct client {
	int fd;                    /* -1: free slot */
	int may_change;            /* peer is root or init's own user */
	const struct transport *t; /* what it came in by, and its policy */
	int replying;              /* a reply is being produced */
	int closing;               /* close once the reply is out */
	int64_t deadline;          /* drop the peer if nothing moves by then */
	size_t rxlen, txoff, txlen;
	struct reply r;
	unsigned char rx[PROTO_FRAME_SIZE];
	unsigned char tx[PROTO_FRAME_SIZE];
};

static struct client clients[CFG_MAX_CLIENTS];
/* A VSOCK peer inside this machine comes by a loopback transport and may
 * be one of its own services, whatever its User=: it gets a policy of its
 * own (default nothing), never the parent's. */
static const struct transport transports[3] = {
	{ "the unix socket", CFG_UNIX_ALLOW, "control.unix_allow", CFG_UNIX_ALLOW_TEXT },
	{ "vsock", CFG_VSOCK_ALLOW, "control.vsock_allow", CFG_VSOCK_ALLOW_TEXT },
	{ "vsock from inside this machine", CFG_VSOCK_LOCAL_ALLOW, "control.vsock_local_allow",
	  CFG_VSOCK_LOCAL_ALLOW_TEXT },
};
enum { T_UNIX = 0, T_VSOCK = 1, T_VSOCK_LOCAL = 2 };
static int listen_fd[2] = { -1, -1 };
static int64_t accept_paused_until; /* accept failed even so: retry later */
static int reserve_fd = -1;         /* given up for a moment when the table is full */
static unsigned turned_away;        /* peers closed at once since the table filled */

static void drop(struct client *c)
{
	ops_release(&c->r);
	close(c->fd);
	c->fd = -1;
	ctl_stats.clients--;
}

static int open_unix(void)
{
	const char *path = cfg_init.unix_socket_path;
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int i, fd;

	paths_make_parent(path);
	if (sys_stat(path, &st, 1) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			say_error("%s exists and is not a socket; no control socket", path);
			return ENOTSOCK;
		}
		(void)unlink(path); /* stale socket from an earlier run */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		int err = errno;
		say_error("control socket: %s", strerror(err));
		return err;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	fmt_fmt(sa.sun_path, sizeof sa.sun_path, "%s", path);
	old = umask(0177); /* the socket is born 0600: no window where others can connect */
	i = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (i < 0 || chmod(path, 0600) < 0 || listen(fd, 64) < 0) {
		int err = errno;
		say_error("control socket %s: %s", path, strerror(err));
		close(fd);
		return err;
	}
	listen_fd[T_UNIX] = fd;
	say("listening on %s", path);
	return 0;
}

/* Inside an enclave the local CID is only known at launch: the usual
 * configuration binds VMADDR_CID_ANY. Anyone who can reach the port may
 * connect; what they may do is the compiled-in control.vsock_allow. */
static int open_vsock(void)
{
	struct vsock_addr sa;
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		int err = errno;
		say_error("vsock control socket: %s (no vsock in this kernel?)", strerror(err));
		return err;
	}
	memset(&sa, 0, sizeof sa);
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = cfg_init.vsock_cid;
	sa.svm_port = cfg_init.vsock_port;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0) {
		int err = errno;
		say_error("vsock control socket %u:%u: %s", cfg_init.vsock_cid, cfg_init.vsock_port,
			  strerror(err));
		close(fd);
		return err;
	}
	listen_fd[T_VSOCK] = fd;
	say("listening on vsock %u:%u (allowed: %s; from inside this machine: %s)", cfg_init.vsock_cid,
	    cfg_init.vsock_port, CFG_VSOCK_ALLOW_TEXT[0] ? CFG_VSOCK_ALLOW_TEXT : "nothing",
	    CFG_VSOCK_LOCAL_ALLOW_TEXT[0] ? CFG_VSOCK_LOCAL_ALLOW_TEXT : "nothing");
	return 0;
}

/* A listener that could not be opened for want of a resource (descriptors,
 * kernel memory) is tried again from the loop, a second later, then at
 * doubling intervals up to a minute; one that cannot be (no vsock in this
 * kernel, a file in the socket's place, a bad address) is not. */
#define REOPEN_FIRST_MS 1000
#define REOPEN_MAX_MS 60000
static int64_t reopen_at; /* 0: nothing to try again */
static int reopen_ms;

static int transient(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

/* Open the configured listeners that are not open; schedule another try
 * when one failed for a reason that may pass. Returns 0 when all are open. */
static int open_listeners(void)
{
	int err = 0, again = 0;

	if (cfg_init.unix_socket_enabled && listen_fd[T_UNIX] < 0 && (err = open_unix()))
		again = transient(err);
	if (cfg_init.vsock_enabled && listen_fd[T_VSOCK] < 0) {
		int e = open_vsock();
		again |= transient(e);
		err = err ? err : e;
	}
	if (!again) {
		reopen_at = 0;
		reopen_ms = 0;
	} else {
		reopen_ms = reopen_ms ? 2 * reopen_ms : REOPEN_FIRST_MS;
		if (reopen_ms > REOPEN_MAX_MS)
			reopen_ms = REOPEN_MAX_MS;
		reopen_at = clock_ms() + reopen_ms;
		say("control: trying again in %d s", reopen_ms / 1000);
	}
	return err ? -1 : 0;
}

int ctl_open(void)
{
	int i;

	for (i = 0; i < CFG_MAX_CLIENTS; i++)
		clients[i].fd = -1;
	if (reserve_fd < 0)
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return open_listeners();
}

static void reject_busy(int fd)
{
	unsigned char f[PROTO_FRAME_SIZE];
	struct reply r;

	ops_fail(&r, PROTO_E_BUSY, "too many control clients; try again");
	ops_next(&r, f);
	(void)send(fd, f, sizeof f, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/* VSOCK peers may hold all slots but one while the Unix socket is served:
 * the parent instance must not be able to lock the enclave's own operator
 * out (idle peers are dropped after CTL_TIMEOUT_MS, followers are not). */
static int vsock_full(void)
{
	int i, n = 0;

	if (listen_fd[T_UNIX] < 0 || CFG_MAX_CLIENTS < 2)
		return 0;
	for (i = 0; i < CFG_MAX_CLIENTS; i++)
		n += clients[i].fd >= 0 && clients[i].t != &transports[T_UNIX];
	return n >= CFG_MAX_CLIENTS - 1;
}

/* Take back the slots of peers that have gone without a word: hung up or
 * shut their side, with nothing sent (a frame that is waiting is still
 * read and carried out). After a burst of connect-and-close they would
 * otherwise refuse live clients until their deadlines. Returns how many
 * slots were freed. */
static int reclaim_dead(void)
{
	struct pollfd p[CFG_MAX_CLIENTS];
	int i, freed = 0;

	for (i = 0; i < CFG_MAX_CLIENTS; i++) {
		p[i].fd = clients[i].fd; /* poll ignores negative fds */
		p[i].events = POLLRDHUP;
		p[i].revents = 0;
	}
	if (poll(p, CFG_MAX_CLIENTS, 0) <= 0)
		return 0;
	for (i = 0; i < CFG_MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		char b;

		if (c->fd < 0 || c->rxlen || c->replying || !(p[i].revents & (POLLHUP | POLLRDHUP | POLLERR)))
			continue;
		if ((p[i].revents & POLLERR) || recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
			drop(c);
			freed++;
		}
	}
	return freed;
}

static int free_slot(void)
{
	int i;

	for (i = 0; i < CFG_MAX_CLIENTS && clients[i].fd >= 0; i++)
		;
	return i;
}

/* With the descriptor table full, accept(2) fails with EMFILE while the
 * connection stays queued: the listener stays readable and every pass of
 * the loop would find it so again, a busy loop for as long as the table is
 * full. The classic way out: a descriptor kept in reserve is given up for
 * a moment, the connection taken with it and closed at once (the peer sees
 * it closed, not a hang), and the reserve taken again. Returns 1 when a
 * peer was turned away, 0 when none was waiting, -1 when it cannot be done
 * (no reserve, or the kernel is out of memory), so the caller pauses. */
static int turn_away(int t)
{
	int fd, err;

	if (reserve_fd < 0)
		return -1;
	close(reserve_fd);
	fd = accept4(listen_fd[t], 0, 0, SOCK_CLOEXEC);
	err = errno;
	if (fd >= 0)
		close(fd);
	reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = err;
	if (fd < 0)
		return err == EAGAIN ? 0 : -1;
	if (!turned_away++)
		say_warn("out of file descriptors: control clients are turned away");
	return 1;
}

/* After accept(2) failed: 1 when the next accept may succeed. */
static int accept_failed(int t, int64_t now)
{
	int rc = -1;

	if (errno == EINTR || errno == ECONNABORTED)
		return 1;
	if (errno == EMFILE || errno == ENFILE)
		rc = turn_away(t);
	if (rc < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
		say_warn("cannot accept control client: %s", strerror(errno));
		accept_paused_until = now + 100;
	}
	return rc > 0;
}

/* Whether a VSOCK peer is inside this machine: the loopback's CID 1, or
 * the CID it reached us at (our own). Unknown counts as inside. */
static int vsock_peer_inside(int fd)
{
	struct vsock_addr peer, self;
	socklen_t pl = sizeof peer, sl = sizeof self;

	if (getpeername(fd, (struct sockaddr *)&peer, &pl) < 0 ||
	    getsockname(fd, (struct sockaddr *)&self, &sl) < 0)
		return 1;
	return peer.svm_cid == VSOCK_CID_LOCAL || peer.svm_cid == self.svm_cid;
}

/* A new peer of transport t: a slot, or the busy answer. */
static void take_client(int t, int fd, int64_t now)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int i = free_slot();

	if (t == T_VSOCK && vsock_peer_inside(fd))
		t = T_VSOCK_LOCAL;
	if ((i == CFG_MAX_CLIENTS || (t != T_UNIX && vsock_full())) && reclaim_dead())
		i = free_slot();
	if (i == CFG_MAX_CLIENTS || (t != T_UNIX && vsock_full())) {
		reject_busy(fd);
		return;
	}
	memset(&clients[i], 0, offsetof(struct client, r));
	clients[i].fd = fd;
	ctl_stats.clients++;
	clients[i].t = &transports[t];
	clients[i].deadline = now + CTL_TIMEOUT_MS;
	/* Without credentials a Unix peer is treated as unprivileged. A
	 * vsock peer has no uid at all: its transport's policy decides. */
	clients[i].may_change = t != T_UNIX || (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
						(cred.uid == 0 || cred.uid == geteuid()));
}

static void accept_all(int t, int64_t now)
{
	if (reserve_fd < 0) /* spent, and not taken back: try again */
		reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (;;) {
		int fd = accept4(listen_fd[t], 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (accept_failed(t, now))
				continue;
			return;
		}
		if (turned_away) {
			say("control clients accepted again (%u turned away while out of file descriptors)",
			    turned_away);
			turned_away = 0;
		}
		take_client(t, fd, now);
	}
}

static void fail(struct client *c, enum proto_status st, const char *why)
{
	ops_fail(&c->r, st, why);
	c->replying = 1;
	c->closing = 1;
}

static void take_request(struct client *c)
{
	const char *why = "";
	struct proto_req rq;
	enum proto_status st = proto_unpack_request(c->rx, CFG_HASH, &rq, &why);
	char msg[160];

	c->rxlen = 0;
	ctl_stats.requests++;
	if (st == PROTO_E_VERSION) {
		fmt_fmt(msg, sizeof msg, "unsupported protocol version %u (init speaks %u)", rq.version,
			PROTO_VERSION);
		why = msg;
	} else if (st == PROTO_E_CONFIG) {
		fmt_fmt(msg, sizeof msg, "configuration mismatch: request built for %016llx, init has %016llx",
			(unsigned long long)rq.hash, (unsigned long long)CFG_HASH);
		why = msg;
	}
	if (st != PROTO_OK) {
		fail(c, st, why);
		return;
	}
	ops_begin(&c->r, &rq, c->may_change, c->t);
	c->replying = 1;
}

/* Send what is pending and produce more, until done or the socket is full. */
/* Frames one client may be sent in one pass: a reader as fast as init
 * (a `logs -n` of a gigabyte) must not keep the loop from everyone else. */
#define FLUSH_FRAMES_PER_PASS 64

static void flush(struct client *c, int64_t now)
{
	int frames = 0;

	while (c->fd >= 0) {
		if (c->txoff == c->txlen) {
			if (!c->replying) {
				if (c->closing)
					drop(c);
				return;
			}
			if (!ops_ready(&c->r)) {
				c->deadline = 0; /* a follower or a --wait: no deadline of ours */
				return;
			}
			if (++frames > FLUSH_FRAMES_PER_PASS)
				return; /* still writable: poll says so again at once */
			c->replying = !ops_next(&c->r, c->tx);
			c->txoff = 0;
			c->txlen = PROTO_FRAME_SIZE;
		}
		ssize_t n = send(c->fd, c->tx + c->txoff, c->txlen - c->txoff, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				drop(c);
			return;
		}
		c->txoff += (size_t)n;
		c->deadline = now + CTL_TIMEOUT_MS;
	}
}

/* The deadline is not moved by what arrives: it bounds the whole frame, so
 * a peer that trickles a byte now and then cannot keep its slot. */
static void client_read(struct client *c)
{
	ssize_t n = recv(c->fd, c->rx + c->rxlen, sizeof c->rx - c->rxlen, MSG_DONTWAIT);

	if (n > 0) {
		c->rxlen += (size_t)n;
		if (c->rxlen == sizeof c->rx)
			take_request(c);
	} else if (n == 0 && c->rxlen) {
		char msg[64];
		fmt_fmt(msg, sizeof msg, "truncated frame: %zu of %d bytes", c->rxlen, PROTO_FRAME_SIZE);
		fail(c, PROTO_E_FRAME, msg);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		drop(c);
	}
}

/* A client waiting for its reply only listens; anything it sends, or its
 * hang-up, ends it. */
static void parked_input(struct client *c)
{
	char b;
	ssize_t n = recv(c->fd, &b, 1, MSG_DONTWAIT);

	if (n >= 0 || (errno != EAGAIN && errno != EINTR))
		drop(c);
}

int ctl_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < 2; i++)
		if (listen_fd[i] >= 0 && n < max && clock_ms() >= accept_paused_until) {
			p[n].fd = listen_fd[i];
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	for (i = 0; i < CFG_MAX_CLIENTS && n < max; i++) {
		struct client *c = &clients[i];
		if (c->fd < 0)
			continue;
		int more = c->txoff < c->txlen || (c->replying && ops_ready(&c->r));
		int parked = c->replying && !more; /* a follower or a --wait */

		p[n].fd = c->fd;
		/* One request at a time: read the next only when the reply is out;
		 * a parked client is read only to notice that it has gone. */
		p[n].events =
			(short)((parked || !(c->replying || c->closing) ? POLLIN : 0) | (more ? POLLOUT : 0));
		p[n++].revents = 0;
		if (more && !c->deadline)
			c->deadline = clock_ms() + CTL_TIMEOUT_MS; /* lines for a follower: it must take them */
	}
	return n;
}

void ctl_poll_done(const struct pollfd *p, int n, int64_t now)
{
	int k, i;

	for (k = 0; k < n; k++) {
		if (!p[k].revents)
			continue;
		if (p[k].fd == listen_fd[T_UNIX] || p[k].fd == listen_fd[T_VSOCK]) {
			accept_all(p[k].fd == listen_fd[T_VSOCK], now);
			continue;
		}
		for (i = 0; i < CFG_MAX_CLIENTS; i++) {
			struct client *c = &clients[i];
			if (c->fd != p[k].fd)
				continue;
			if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				if (!c->replying && !c->closing)
					client_read(c);
				else if (c->replying)
					parked_input(c);
			}
			if (c->fd >= 0)
				flush(c, now);
			break;
		}
	}
}

void ctl_tick(int64_t now)
{
	int i;

	if (reopen_at && now >= reopen_at)
		(void)open_listeners();
	for (i = 0; i < CFG_MAX_CLIENTS; i++)
		if (clients[i].fd >= 0 && clients[i].deadline && now >= clients[i].deadline)
			drop(&clients[i]);
}

int ctl_holding(void)
{
	int i, n = 0;

	for (i = 0; i < CFG_MAX_CLIENTS; i++)
		n += clients[i].fd >= 0 && clients[i].r.hold;
	return n;
}

int64_t ctl_next_deadline(void)
{
	int64_t next = accept_paused_until > clock_ms() ? accept_paused_until : 0;
	int i;

	if (reopen_at && (!next || reopen_at < next))
		next = reopen_at;
	for (i = 0; i < CFG_MAX_CLIENTS; i++) {
		int64_t d = clients[i].deadline;

		if (clients[i].fd < 0)
			continue;
		if (!d && clients[i].replying)
			d = ops_wake(&clients[i].r); /* a --wait's timeout */
		if (d && (!next || d < next))
			next = d;
	}
	return next;
}
