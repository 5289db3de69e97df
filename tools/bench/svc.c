/* svc.c: the "minimal" service of the benchmark (tools/bench/bench.py
 * builds it with musl-gcc -static).
 *
 * It does what the shell service does (create MARKERS/NAME.PID, then sleep
 * for ever) without starting a shell, so that a start costs the supervisor's
 * own work plus one exec of a small static binary.
 *
 *   svc MARKERS NAME    enclave-init, and the benchmark itself (the floor)
 *   run                 s6, runit: `run` is a symlink to this binary, MARKERS
 *                       comes from the environment, NAME is the service
 *                       directory (the working directory)
 *
 * With READY_FD in the environment (s6 with notification-fd), it writes the
 * readiness newline to that descriptor after creating the marker.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char cwd[4096], path[8192];
	const char *dir, *name, *ready;
	int fd;

	if (argc == 3) {
		dir = argv[1];
		name = argv[2];
	} else {
		dir = getenv("MARKERS");
		if (!dir || !getcwd(cwd, sizeof cwd))
			return 111;
		name = strrchr(cwd, '/') + 1;
	}
	snprintf(path, sizeof path, "%s/%s.%d", dir, name, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 111;
	close(fd);
	ready = getenv("READY_FD");
	if (ready) {
		fd = atoi(ready);
		(void)!write(fd, "\n", 1);
		close(fd);
	}
	for (;;)
		pause();
}
