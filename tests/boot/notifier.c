/* notifier MS: a Type = "notify" service for the boot tests (test only).
 *
 * busybox has no way to send a datagram to a Unix socket, so this is
 * sd_notify in a few lines: wait MS milliseconds (so that a service
 * ordered After this one would visibly start too early if init did not
 * wait for readiness), send "READY=1\nSTATUS=..." to $NOTIFY_SOCKET, and
 * then stay up until a signal ends it. Being the service's main process,
 * its datagram passes init's credential check (SO_PASSCRED).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = getenv("NOTIFY_SOCKET");
	long ms = argc > 1 ? atol(argv[1]) : 0;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char msg[128];
	int fd, n;

	if (!path || !*path || strlen(path) >= sizeof a.sun_path) {
		printf("notifier: NOTIFY_SOCKET is %s\n", path ? "unusable" : "not set");
		return 1;
	}
	printf("notifier: up, READY=1 in %ld ms\n", ms);
	fflush(stdout);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	memcpy(a.sun_path, path, strlen(path));
	if (a.sun_path[0] == '@') /* systemd's spelling of an abstract address */
		a.sun_path[0] = 0;
	n = snprintf(msg, sizeof msg, "READY=1\nSTATUS=ready after %ld ms", ms);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&a,
			     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path))) != n) {
		printf("notifier: cannot send to %s: %s\n", path, strerror(errno));
		return 1;
	}
	close(fd);
	printf("notifier: sent READY=1 to %s\n", path);
	fflush(stdout);
	for (;;)
		pause();
}
