/* vhold N SECONDS: a hostile VSOCK peer for the boot tests. Holds N idle
 * connections to init's control port (CID 1, port 9001) for SECONDS,
 * opening a new one whenever init drops or refuses one, to show that the
 * parent instance cannot lock the enclave's own operator out of the Unix
 * socket. Prints how many it held at the end. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN 64

struct vm_addr { /* struct sockaddr_vm */
	unsigned short family, reserved;
	unsigned int port, cid;
	unsigned char flags, zero[3];
};

static int open_one(void)
{
	struct vm_addr a = { 40 /* AF_VSOCK */, 0, 9001, 1, 0, { 0 } };
	int fd = socket(40, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8, secs = argc > 2 ? atoi(argv[2]) : 5, i, held = 0;
	int fd[MAXCONN];
	time_t end = time(0) + secs;

	if (n < 1 || n > MAXCONN)
		return 2;
	for (i = 0; i < n; i++)
		fd[i] = open_one();
	while (time(0) < end) {
		struct pollfd p[MAXCONN];
		char junk[1024];

		for (i = 0; i < n; i++) {
			p[i].fd = fd[i];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		poll(p, (nfds_t)n, 100);
		for (i = 0; i < n; i++)
			if (fd[i] < 0 || p[i].revents) { /* dropped or refused: again */
				if (fd[i] >= 0) {
					(void)!read(fd[i], junk, sizeof junk);
					close(fd[i]);
				}
				fd[i] = open_one();
			}
	}
	for (i = 0; i < n; i++)
		held += fd[i] >= 0;
	printf("vhold: %d of %d connections open at the end\n", held, n);
	return 0;
}
