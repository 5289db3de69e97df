/* signames.c: the Linux signal names, numbered as the kernel numbers them. */
#include <signal.h>
#include <stdlib.h>
#include <strings.h>

#include "check.h"
#include "signames.h"

static const struct {
	int num;
	const char *name;
} names[] = {
	{ SIGHUP, "HUP" },   { SIGINT, "INT" },       { SIGQUIT, "QUIT" }, { SIGILL, "ILL" },
	{ SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },     { SIGBUS, "BUS" },   { SIGFPE, "FPE" },
	{ SIGKILL, "KILL" }, { SIGUSR1, "USR1" },     { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },     { SIGTERM, "TERM" }, { SIGSTKFLT, "STKFLT" },
	{ SIGCHLD, "CHLD" }, { SIGCONT, "CONT" },     { SIGSTOP, "STOP" }, { SIGTSTP, "TSTP" },
	{ SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },     { SIGURG, "URG" },   { SIGXCPU, "XCPU" },
	{ SIGXFSZ, "XFSZ" }, { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGWINCH, "WINCH" },
	{ SIGIO, "IO" },     { SIGPWR, "PWR" },       { SIGSYS, "SYS" },
};

const char *signame(int sig)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(names); i++)
		if (names[i].num == sig)
			return names[i].name;
	return 0;
}

int signum(const char *s)
{
	size_t i;
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return *end || n < 1 || n > 64 ? 0 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < ARRAY_LEN(names); i++)
		if (!strcasecmp(names[i].name, s))
			return names[i].num;
	return 0;
}
