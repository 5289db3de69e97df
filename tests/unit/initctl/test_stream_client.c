/* stream_client: logs-stream's transport half, without a VSOCK peer.
 *
 * This machine may have no VSOCK loopback, so AF_VSOCK is played by Unix
 * sockets: the linker wraps socket, bind and accept4 (-Wl,--wrap=...), so a
 * listener on VSOCK port P is a Unix socket at DIR/port-P and a connection
 * from CID C comes from one bound at DIR/cid-C-N. client_call is a fake
 * init: it records each request, and for logs-stream connects back to the
 * port it was given and writes the lines, as init does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "stream_client.h"

static char dir[64]; /* this test's socket directory */

/* --- AF_VSOCK played by AF_UNIX --- */

int __real_socket(int domain, int type, int protocol);
int __real_bind(int fd, const struct sockaddr *a, socklen_t len);
int __real_accept4(int fd, struct sockaddr *a, socklen_t *len, int flags);
int __wrap_socket(int domain, int type, int protocol);
int __wrap_bind(int fd, const struct sockaddr *a, socklen_t len);
int __wrap_accept4(int fd, struct sockaddr *a, socklen_t *len, int flags);

static socklen_t __attribute__((format(printf, 2, 3))) unix_addr(struct sockaddr_un *un, const char *fmt, ...)
{
	char name[32];
	va_list ap;

	memset(un, 0, sizeof *un);
	un->sun_family = AF_UNIX;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	snprintf(un->sun_path, sizeof un->sun_path, "%s/%s", dir, name);
	return sizeof *un;
}

int __wrap_socket(int domain, int type, int protocol)
{
	return __real_socket(domain == AF_VSOCK ? AF_UNIX : domain, type, domain == AF_VSOCK ? 0 : protocol);
}

int __wrap_bind(int fd, const struct sockaddr *a, socklen_t len)
{
	const struct vsock_addr *vm = (const void *)a;
	struct sockaddr_un un;

	if (a->sa_family != AF_VSOCK)
		return __real_bind(fd, a, len);
	return __real_bind(fd, (struct sockaddr *)&un, unix_addr(&un, "port-%u", vm->svm_port));
}

int __wrap_accept4(int fd, struct sockaddr *a, socklen_t *len, int flags)
{
	struct vsock_addr *vm = (void *)a;
	struct sockaddr_un un;
	socklen_t ulen = sizeof un;
	unsigned cid = 0;
	int c;

	memset(&un, 0, sizeof un);
	c = __real_accept4(fd, (struct sockaddr *)&un, &ulen, flags);
	if (c >= 0) {
		const char *base = strrchr(un.sun_path, '/');
		if (base)
			sscanf(base, "/cid-%u-", &cid);
		memset(vm, 0, sizeof *vm);
		vm->svm_family = AF_VSOCK;
		vm->svm_cid = cid;
		*len = sizeof *vm;
	}
	return c;
}

void client_vsock_addr(struct vsock_addr *a, uint32_t cid, uint32_t port)
{
	memset(a, 0, sizeof *a);
	a->svm_family = AF_VSOCK;
	a->svm_cid = cid;
	a->svm_port = port;
}

/* --- the fake init --- */

static struct {
	int status; /* the logs-stream answer */
	const char *msg;
	const char *backlog;  /* written on connecting */
	unsigned from_cid;    /* the CID init connects from */
	const char *stranger; /* 0, or what another CID sends first */
	int connect;          /* 0: answer OK without connecting */
	int later;            /* follow: a child writes "later" then sends SIGINT */
} fake;
static struct proto_req seen[8];
static int nseen;
static int init_side = -1; /* init's end of the stream */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, 0);
}

static int connect_back(unsigned cid, unsigned port, int n)
{
	struct sockaddr_un un, to;
	int fd = __real_socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || __real_bind(fd, (struct sockaddr *)&un, unix_addr(&un, "cid-%u-%u", cid, (unsigned)n)) < 0 ||
	    connect(fd, (struct sockaddr *)&to, unix_addr(&to, "port-%u", port)) < 0) {
		perror("fake init: connect back");
		return -1;
	}
	return fd;
}

static void send_text(int fd, const char *s)
{
	if (s && write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		perror("fake init: write");
}

/* The LOG records of a `logs` reply, the way init cuts them. */
static int log_records(const char *s, client_record_fn *fn, void *ctx)
{
	unsigned char f[PROTO_FRAME_SIZE];

	while (*s) {
		size_t n = strlen(s) > 7 ? 7 : strlen(s); /* small pieces: lines span records */
		proto_pack_log(f, 0, &(struct proto_log){ s, n });
		if (fn(f, ctx))
			return -1;
		s += n;
	}
	return 0;
}

int client_call(const struct client_target *t, const struct proto_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res)
{
	(void)t;
	if (nseen < 8)
		seen[nseen++] = *rq;
	res->status = PROTO_OK;
	res->msg[0] = 0;
	if (rq->op == PROTO_OP_LOGS) {
		if (fake.status != PROTO_OK) {
			res->status = fake.status;
			snprintf(res->msg, sizeof res->msg, "%s", fake.msg);
			return 0;
		}
		if (log_records(fake.backlog, fn, ctx) < 0) {
			snprintf(res->msg, sizeof res->msg, "reply abandoned");
			return -1;
		}
		return 0;
	}
	if (rq->op == PROTO_OP_LOGS_STREAM_STOP) {
		if (init_side >= 0)
			close(init_side);
		init_side = -1;
		snprintf(res->msg, sizeof res->msg, "Log stream of '%s' to port %u stopped", rq->name, rq->port);
		return 0;
	}
	/* PROTO_OP_LOGS_STREAM */
	if (fake.status != PROTO_OK) {
		res->status = fake.status;
		snprintf(res->msg, sizeof res->msg, "%s", fake.msg);
		return 0;
	}
	if (fake.stranger) {
		int s = connect_back(99, rq->port, 0);
		send_text(s, fake.stranger);
		close(s);
	}
	if (fake.connect) {
		init_side = connect_back(fake.from_cid, rq->port, 1);
		send_text(init_side, fake.backlog);
		if (!rq->follow) {
			close(init_side);
			init_side = -1;
		} else if (fake.later && fork() == 0) {
			sleep_ms(100);
			send_text(init_side, "later\n");
			sleep_ms(300);
			kill(getppid(), SIGINT);
			_exit(0);
		}
	}
	return 0;
}

/* --- the tests --- */

/* A message, through a call the compiler does not see into (the harness
 * prints at most 256 bytes; -Werror=format-truncation otherwise). */
__attribute__((noinline)) static const char *m(const char *msg)
{
	return msg;
}

static const struct client_target target = { CLIENT_VSOCK, 0, 16, 9001 };

/* Remove the last test's socket directory. */
static void clean_dir(void)
{
	char path[400];
	struct dirent *d;
	DIR *dp = dir[0] ? opendir(dir) : 0;

	if (!dp)
		return;
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
			unlink(path);
		}
	closedir(dp);
	rmdir(dir);
}

/* A fresh socket directory, fake and request log; r: the defaults. */
static void setup(struct stream_req *r, int out_fd)
{
	static int n;

	if (!n)
		atexit(clean_dir);
	clean_dir();
	snprintf(dir, sizeof dir, "/tmp/ei-stream-test.%d.%d", (int)getpid(), n++);
	mkdir(dir, 0700);
	memset(&fake, 0, sizeof fake);
	fake.status = PROTO_OK;
	fake.from_cid = 16;
	fake.connect = 1;
	nseen = 0;
	init_side = -1;
	*r = (struct stream_req){
		"web", STREAM_DEFAULT_LINES, 0, STREAM_DEFAULT_LISTEN_CID, STREAM_DEFAULT_PORT, 0, out_fd, "OUT"
	};
}

static int out_file(void)
{
	char path[] = "/tmp/ei-stream-out.XXXXXX";
	int fd = mkstemp(path);

	unlink(path);
	return fd;
}

/* What the file holds. */
static const char *contents(int fd)
{
	static char buf[4096];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void touch_port(unsigned port)
{
	char path[128];

	snprintf(path, sizeof path, "%s/port-%u", dir, port);
	close(open(path, O_CREAT | O_WRONLY, 0600));
}

/* A signal the stream saw through its signalfd stays pending: take it. */
static void drain_signals(void)
{
	sigset_t set;
	struct timespec zero = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while (sigtimedwait(&set, 0, &zero) > 0)
		;
}

TEST(vsock_backlog_then_end)
{
	struct stream_req r;
	struct client_result res;
	int out = out_file();

	setup(&r, out);
	fake.backlog = "[2024-01-15 10:30:45] one\n[2024-01-15 10:30:46] two\n";
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_ENDED);
	CHECK_STR(m(contents(out)), fake.backlog);
	CHECK(nseen == 1 && seen[0].op == PROTO_OP_LOGS_STREAM);
	CHECK_STR(seen[0].name, "web");
	CHECK(seen[0].cid == 3 && seen[0].port == 9100 && seen[0].lines == 10 && !seen[0].follow);
	close(out);
}

TEST(vsock_busy_port_moves_on_follow_and_sigint_stops)
{
	struct stream_req r;
	struct client_result res;
	int out = out_file(), status;

	setup(&r, out);
	touch_port(9100);
	touch_port(9101);
	r.follow = 1;
	r.lines = 5;
	fake.backlog = "[2024-01-15 10:30:45] one\n";
	fake.later = 1;
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_STOPPED);
	wait(&status);
	drain_signals();
	CHECK_STR(m(contents(out)), "[2024-01-15 10:30:45] one\nlater\n");
	CHECK(nseen == 2);
	CHECK(seen[0].port == 9102 && seen[0].lines == 5 && seen[0].follow);
	CHECK(seen[1].op == PROTO_OP_LOGS_STREAM_STOP && !strcmp(seen[1].name, "web"));
	CHECK(seen[1].cid == 0 && seen[1].port == 9102 && seen[1].lines == 0);
	CHECK(res.status == PROTO_OK);
	CHECK_STR(m(res.msg), "Log stream of 'web' to port 9102 stopped");
	close(out);
}

TEST(vsock_given_port_busy_is_an_error)
{
	struct stream_req r;
	struct client_result res;
	char want[128];

	setup(&r, 1);
	touch_port(9100);
	r.port_given = 1;
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_FAILED);
	/* strerror's words are the libc's: musl's, or glibc's in the sanitize flavour */
	snprintf(want, sizeof want, "cannot listen on vsock port 9100: %s", strerror(EADDRINUSE));
	CHECK_STR(m(res.msg), want);
	CHECK(nseen == 0);
}

TEST(vsock_every_port_busy)
{
	struct stream_req r;
	struct client_result res;
	unsigned p;

	setup(&r, 1);
	for (p = STREAM_DEFAULT_PORT; p <= STREAM_LAST_PORT; p++)
		touch_port(p);
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_FAILED);
	CHECK_STR(m(res.msg),
		  "cannot listen on vsock ports 9100 to 9199: all in use (give a free one with --listen-port)");
	CHECK(nseen == 0);
}

TEST(vsock_init_refuses)
{
	struct stream_req r;
	struct client_result res;

	setup(&r, 1);
	fake.status = PROTO_E_NOT_FOUND;
	fake.msg = "Service 'web' not found";
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_FAILED);
	CHECK(res.status == PROTO_E_NOT_FOUND);
	CHECK_STR(m(res.msg), "Service 'web' not found");
	CHECK(nseen == 1);
}

TEST(vsock_only_the_enclave_is_accepted)
{
	struct stream_req r;
	struct client_result res;
	int out = out_file();

	setup(&r, out);
	fake.stranger = "[2024-01-15 10:30:45] forged\n";
	fake.backlog = "[2024-01-15 10:30:45] real\n";
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_ENDED);
	CHECK_STR(m(contents(out)), "[2024-01-15 10:30:45] real\n");
	close(out);
}

TEST(vsock_init_never_connects)
{
	struct stream_req r;
	struct client_result res;

	setup(&r, 1);
	fake.connect = 0;
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_FAILED);
	CHECK(!strncmp(res.msg, "init did not connect back to vsock port 9100 within ", 52));
	/* init said it had a stream: it is told to drop it. */
	CHECK(nseen == 2 && seen[1].op == PROTO_OP_LOGS_STREAM_STOP && seen[1].port == 9100);
}

TEST(vsock_reader_gone_ends_quietly)
{
	struct stream_req r;
	struct client_result res;
	int p[2];

	CHECK(pipe(p) == 0);
	close(p[0]);
	setup(&r, p[1]);
	r.follow = 1;
	fake.backlog = "[2024-01-15 10:30:45] one\n";
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_ENDED);
	CHECK(nseen == 2 && seen[1].op == PROTO_OP_LOGS_STREAM_STOP);
	close(p[1]);
}

TEST(vsock_write_error_stops_and_says_so)
{
	struct stream_req r;
	struct client_result res;
	int full = open("/dev/full", O_WRONLY);

	setup(&r, full);
	r.follow = 1;
	fake.backlog = "[2024-01-15 10:30:45] one\n";
	CHECK(stream_over_vsock(&target, &r, &res) == STREAM_FAILED);
	CHECK_STR(m(res.msg), "cannot write to OUT: No space left on device");
	CHECK(nseen == 2 && seen[1].op == PROTO_OP_LOGS_STREAM_STOP);
	close(full);
}

TEST(unix_uses_the_logs_operation)
{
	static const struct client_target unix_target = { CLIENT_UNIX, "/run/init.sock", 0, 0 };
	struct stream_req r;
	struct client_result res;
	int out = out_file(), p[2];

	setup(&r, out);
	r.lines = 3;
	fake.backlog = "[2024-01-15 10:30:45] a line longer than one record\n[2024-01-15 10:30:46] b\n";
	CHECK(stream_over_unix(&unix_target, &r, &res) == STREAM_ENDED);
	CHECK_STR(m(contents(out)), fake.backlog);
	CHECK(nseen == 1 && seen[0].op == PROTO_OP_LOGS && seen[0].lines == 3 && !seen[0].follow);
	close(out);

	setup(&r, 1);
	r.follow = 1;
	fake.status = PROTO_E_NOT_FOUND;
	fake.msg = "Service 'web' not found";
	CHECK(stream_over_unix(&unix_target, &r, &res) == STREAM_FAILED);
	CHECK_STR(m(res.msg), "Service 'web' not found");
	CHECK(seen[0].follow);

	CHECK(pipe(p) == 0);
	close(p[0]);
	setup(&r, p[1]);
	fake.backlog = "x\n";
	CHECK(stream_over_unix(&unix_target, &r, &res) == STREAM_ENDED);
	close(p[1]);
}

RUN_TESTS("stream_client", T(vsock_backlog_then_end), T(vsock_busy_port_moves_on_follow_and_sigint_stops),
	  T(vsock_given_port_busy_is_an_error), T(vsock_every_port_busy), T(vsock_init_refuses),
	  T(vsock_only_the_enclave_is_accepted), T(vsock_init_never_connects), T(vsock_reader_gone_ends_quietly),
	  T(vsock_write_error_stops_and_says_so), T(unix_uses_the_logs_operation))
