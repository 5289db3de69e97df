/* sigs.c: blocked signals read from a signalfd. Never blocks: the fd is
 * non-blocking and read until empty. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sigs.h"

int sigs_setup(void)
{
	static const int taken[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	sigset_t set;
	struct sigaction sa;
	size_t i;

	/* Writing to a vanished client must be an EPIPE, not a death. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, 0);
	/* Dispositions are inherited: SIGCHLD ignored by whoever started init
	 * would make the kernel reap children itself, and init would never
	 * see a service exit. An ignored signal init takes goes back to the
	 * default; one already at the default is left alone, because setting
	 * it again would discard a SIGCHLD pending across a reload's exec. */
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof taken / sizeof taken[0]; i++) {
		struct sigaction old;
		if (sigaction(taken[i], 0, &old) == 0 && old.sa_handler == SIG_IGN)
			sigaction(taken[i], &sa, 0);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, 0) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

unsigned sigs_read(int fd)
{
	struct signalfd_siginfo si[8];
	unsigned seen = 0;
	ssize_t n;

	while ((n = read(fd, si, sizeof si)) > 0) {
		size_t k;
		for (k = 0; k < (size_t)n / sizeof si[0]; k++) {
			switch (si[k].ssi_signo) {
			case SIGCHLD: seen |= SIGS_CHLD; break;
			case SIGTERM:
			case SIGINT: seen |= SIGS_TERM; break;
			case SIGHUP: seen |= SIGS_HUP; break;
			}
		}
	}
	return seen;
}
