/* hbinit: the boot tests' first program (test only, never in a real image).
 *
 * The kernel runs it as /init (PID 1). It reads /hbinit.conf, a few
 * KEY=VALUE lines:
 *
 *   module=PATH      load a kernel module with finit_module (in file order)
 *   responder=MODE   echo: listen on AF_VSOCK (CID ANY) port PORT and answer
 *                    one heartbeat, as nitro-cli does on the parent: accept
 *                    one connection, read one byte, write it back;
 *                    silent: accept one connection and never answer (it
 *                    stays open until this process ends);
 *                    none: do not listen (connections are refused)
 *   port=N           the heartbeat port (9000)
 *   exec=PATH        the real init, exec'd as PID 1 (/sbin/enclave-init)
 *
 * The listener is bound and listening before exec, so it is there before
 * the real init's heartbeat; a forked child (the "responder") serves it and
 * then watches the initramfs root (its root stays there when init switches
 * root) until /nsm.ko, /cmd and /env are gone, and reports all it saw on
 * the console as "hbinit: ..." lines, which tests/boot/run.sh reads.
 *
 * The vsock core modules are loaded here; the loopback transport
 * (vsock_loopback.ko) is the initramfs's /nsm.ko, loaded by the real init's
 * NSM step: the heartbeat can only succeed if that step loaded it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* <linux/vm_sockets.h> is not on musl-gcc's include path. */
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#define VMADDR_CID_ANY 0xFFFFFFFFu
struct sockaddr_vm {
	sa_family_t svm_family;
	unsigned short svm_reserved1;
	unsigned int svm_port;
	unsigned int svm_cid;
	unsigned char svm_zero[sizeof(struct sockaddr) - sizeof(sa_family_t) - sizeof(unsigned short) -
			       2 * sizeof(unsigned int)];
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n = snprintf(buf, sizeof buf, "hbinit: ");

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	if (write(2, buf, (size_t)n) < 0) {
		/* nowhere else to say it */
	}
}

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		say("module %s: open: %s", path, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) {
		say("module %s: finit_module: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	say("module %s: loaded", path);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *gone(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? "still there" : "gone";
}

/* Serve one heartbeat (echo or silent), then watch the initramfs root. */
static void responder(int lfd, const char *mode)
{
	struct sockaddr_vm peer;
	socklen_t plen = sizeof peer;
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	unsigned char b;
	int64_t until;
	int c, r;

	if (lfd >= 0) {
		/* The real init reaches its heartbeat within seconds; 120 s
		 * is only a bound so that this process never lingers. */
		r = poll(&p, 1, 120000);
		if (r <= 0) {
			say("responder: no heartbeat connection within 120 s");
			_exit(1);
		}
		c = accept(lfd, (struct sockaddr *)&peer, &plen);
		if (c < 0) {
			say("responder: accept: %s", strerror(errno));
			_exit(1);
		}
		say("responder: connection from CID %u port %u; at that moment /nsm.ko is %s", peer.svm_cid,
		    peer.svm_port, gone("/nsm.ko"));
		if (strcmp(mode, "silent") == 0) {
			/* Keep the connection open and say nothing: init's
			 * heartbeat timeout must end its wait. */
			say("responder: silent: holding the connection without answering");
			goto watch;
		}
		p.fd = c;
		r = poll(&p, 1, 30000);
		if (r <= 0 || read(c, &b, 1) != 1) {
			say("responder: no byte received");
			_exit(1);
		}
		if (write(c, &b, 1) != 1) {
			say("responder: got 0x%02x, echo failed: %s", b, strerror(errno));
			_exit(1);
		}
		say("responder: got 0x%02x, echoed it", b);
		close(c);
	}
watch:
	/* /cmd and /env are read and removed right after the heartbeat. */
	until = now_ms() + 30000;
	while (now_ms() < until) {
		struct stat st;
		if (stat("/cmd", &st) != 0 && stat("/env", &st) != 0)
			break;
		usleep(50000);
	}
	say("initramfs root after boot: /nsm.ko %s, /cmd %s, /env %s", gone("/nsm.ko"), gone("/cmd"),
	    gone("/env"));
	_exit(0);
}

int main(int argc, char **argv, char **envp)
{
	static char conf[4096];
	const char *mode = "none", *exe = "/sbin/enclave-init";
	unsigned port = 9000;
	int lfd = -1, fd;
	ssize_t n;
	char *s, *nl;
	pid_t pid;

	(void)argc;
	/* The kernel opened /dev/console as 0-2 if it could; make sure. */
	if (fcntl(2, F_GETFD) < 0) {
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd >= 0 && fd != 2)
			dup2(fd, 2);
	}
	say("started as PID %d", (int)getpid());

	fd = open("/hbinit.conf", O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, conf, sizeof conf - 1) : -1;
	if (n < 0) {
		say("/hbinit.conf: %s", strerror(errno));
		n = 0;
	}
	if (fd >= 0)
		close(fd);
	conf[n] = 0;
	for (s = conf; *s; s = nl) {
		nl = strchr(s, '\n');
		nl = nl ? (*nl = 0, nl + 1) : s + strlen(s);
		if (strncmp(s, "module=", 7) == 0)
			load_module(s + 7);
		else if (strncmp(s, "responder=", 10) == 0)
			mode = s + 10;
		else if (strncmp(s, "port=", 5) == 0)
			port = (unsigned)strtoul(s + 5, NULL, 10);
		else if (strncmp(s, "exec=", 5) == 0)
			exe = s + 5;
		else if (s[0] && s[0] != '#')
			say("/hbinit.conf: ignoring '%s'", s);
	}

	if (strcmp(mode, "echo") == 0 || strcmp(mode, "silent") == 0) {
		struct sockaddr_vm a = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port };
		lfd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lfd < 0)
			say("responder: socket(AF_VSOCK): %s", strerror(errno));
		else if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4) != 0) {
			say("responder: bind/listen port %u: %s", port, strerror(errno));
			close(lfd);
			lfd = -1;
		} else {
			say("responder: %s, listening on CID ANY port %u", mode, port);
		}
	} else {
		say("responder: none (nothing listens on port %u)", port);
	}

	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		responder(lfd, mode);
	}
	if (pid < 0)
		say("fork: %s", strerror(errno));

	say("exec %s", exe);
	argv[0] = (char *)exe;
	execve(exe, argv, envp);
	say("exec %s: %s; powering off", exe, strerror(errno));
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
