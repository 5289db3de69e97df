/* fuzz_reply: initctl reading init's replies. The whole of initctl is
 * linked as it is (its main renamed initctl_main) and run with one of the
 * command lines below; its socket is one end of a socketpair whose other
 * end already holds the fuzzed reply frames. So the frames go through
 * client.c's reading and checks (proto_check_reply), proto.c's unpack_*
 * for every record type (DONE, SVC, TEXT, SYSTEM, LOG, PS, DOC), and the
 * code that prints them (initctl_show.c, initctl_ps.c, initctl_logs.c,
 * initctl_dryrun.c, initctl_attest.c: DOC records put together, the
 * document decoded and printed).
 *
 * The input: a byte choosing the command line, then frames, each
 *   flags (1 byte)  bit 0: magic, version and hash are set right
 *   len (2 bytes)   then len bytes: the start of the frame (the rest zero)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cfg.h"
#include "frame.h"
#include "input.h"

int initctl_main(int argc, char **argv);

#define MAX_FRAMES 96

static const char *const commands[][8] = {
	{ "list" },
	{ "status", "a" },
	{ "system-status" },
	{ "start", "a", "--wait" },
	{ "stop", "b" },
	{ "restart", "c", "--wait", "--timeout", "5" },
	{ "ping" },
	{ "shutdown" },
	{ "enable", "a", "--now" },
	{ "disable", "d" },
	{ "logs-clear", "a" },
	{ "reload" },
	{ "reload", "--dry-run" },
	{ "logs", "a" },
	{ "logs", "init", "-n", "5" },
	{ "logs", "a", "-f" },
	{ "ps", "list" },
	{ "ps", "status", "5" },
	{ "ps", "start", "/bin/x", "arg", "-e", "K=V" },
	{ "ps", "stop", "7" },
	{ "ps", "kill", "7", "-s", "HUP" },
	{ "ps", "restart", "9" },
	{ "attest" },
	{ "attest", "--json" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static unsigned char reply[MAX_FRAMES * PROTO_FRAME_SIZE];
static size_t reply_len;

/* initctl's connection: init's reply is there already, then EOF. */
int __wrap_socket(int domain, int type, int proto)
{
	int sv[2], size = (int)sizeof reply;
	size_t done = 0;

	(void)domain;
	(void)proto;
	if (socketpair(AF_UNIX, SOCK_STREAM | (type & SOCK_CLOEXEC), 0, sv) < 0)
		return -1;
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	(void)fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while (done < reply_len) {
		ssize_t n = write(sv[1], reply + done, reply_len - done);
		if (n <= 0)
			break; /* what did not fit is lost: the reply is cut there */
		done += (size_t)n;
	}
	/* init's end stays open for the request (it is closed with the
	 * process's other descriptors: at most two per input, see below). */
	(void)shutdown(sv[1], SHUT_WR);
	static int last = -1;
	if (last >= 0)
		close(last);
	last = sv[1];
	return sv[0];
}

int __wrap_connect(int fd, const void *sa, unsigned len)
{
	(void)fd;
	(void)sa;
	(void)len;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* What initctl prints goes nowhere; the sanitizers write to fd 2. */
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	stderr = fopen("/dev/null", "w");
	setenv("NO_COLOR", "1", 1);
	unsetenv("INIT_SOCKET");
	unsetenv("INITCTL_CONFIG");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	const char *const *cmd = commands[in_byte(&in) % NCOMMANDS];
	char *argv[16] = { "initctl", "-s", "/nonexistent/fuzz.sock" };
	int argc = 3;

	reply_len = 0;
	while (in.left && reply_len < sizeof reply) {
		unsigned flags = in_byte(&in);
		size_t len;
		const uint8_t *b = in_chunk(&in, PROTO_FRAME_SIZE, &len);
		unsigned char *f = reply + reply_len;

		memset(f, 0, PROTO_FRAME_SIZE);
		memcpy(f, b, len);
		if (flags & 1)
			frame_fix_header(f, CFG_HASH);
		reply_len += PROTO_FRAME_SIZE;
	}
	for (; *cmd; cmd++)
		argv[argc++] = (char *)*cmd;
	argv[argc] = 0;
	(void)initctl_main(argc, argv);
	fflush(stdout);
	clearerr(stdout);
	return 0;
}
