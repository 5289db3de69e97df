/* ready.c: the services of the readiness benchmark (tools/bench/readybench.py
 * builds it with musl-gcc -static; static so that its start costs one small
 * exec, no dynamic loader).
 *
 *   ready notify STAMP DELAY_MS   a Type=notify service: after DELAY_MS,
 *                                 READY=1 to $NOTIFY_SOCKET (sd_notify)
 *   ready fd STAMP DELAY_MS       an s6 service with notification-fd = 3:
 *                                 after DELAY_MS, "\n" on descriptor 3
 *   ready stamp FILE              a dependant: CLOCK_MONOTONIC as its first
 *                                 act, written to FILE, then pause()
 *   ready mark FILE               the same, then exit 0 (a timestamp taken
 *                                 in the middle of a script)
 *   ready await FILE...           exit 0 once every FILE exists (looks every
 *                                 millisecond): s6-svwait needs the
 *                                 supervise/status file of what it waits for
 *   run [NAME]                    as `ready fd - 0` (s6-supervise runs a
 *                                 `run` symlink to this binary, with the
 *                                 service's name)
 *
 * The notifiers store CLOCK_MONOTONIC (nanoseconds, 8 bytes, native order)
 * into STAMP right before they signal ("-": no stamp), then pause(). STAMP
 * is mapped before the delay, so the store is one memory write: no system
 * call between the timestamp and the signal, and none after it that would
 * compete with the supervisor for the CPU. Everything that can be prepared
 * (the socket, its address) is prepared before the delay too.
 *
 * CLOCK_MONOTONIC is the same clock in every PID namespace (no time
 * namespace is used), so the benchmark can subtract the stamps.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int write_stamp(const char *file, uint64_t t)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, &t, sizeof t) != (ssize_t)sizeof t)
		return 111;
	close(fd);
	return 0;
}

/* The stamp's page, mapped and touched now, so that storing into it later
 * neither faults nor calls the kernel. */
static volatile uint64_t *map_stamp(const char *file)
{
	static uint64_t none;
	void *p;
	int fd;

	if (!strcmp(file, "-"))
		return &none;
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, sizeof(uint64_t)) < 0)
		exit(111);
	p = mmap(0, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		exit(111);
	close(fd);
	*(volatile uint64_t *)p = 0;
	return p;
}

static void delay_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (ms > 0 && nanosleep(&ts, &ts) < 0)
		;
}

int main(int argc, char **argv)
{
	static const char ready[] = "READY=1";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	volatile uint64_t *stamp;
	socklen_t salen = 0;
	const char *ns;
	int fd = -1;

	if (argc == 3 && !strcmp(argv[1], "stamp")) {
		uint64_t t = now_ns();
		if (write_stamp(argv[2], t))
			return 111;
		for (;;)
			pause();
	}
	if (argc == 3 && !strcmp(argv[1], "mark"))
		return write_stamp(argv[2], now_ns());
	if (argc >= 2 && !strcmp(argv[1], "await")) {
		for (int i = 2; i < argc; i++)
			while (access(argv[i], F_OK) < 0)
				delay_ms(1);
		return 0;
	}
	if (argc <= 2) { /* s6-supervise runs ./run with the service's name */
		static char *run[] = { "run", "fd", "-", "0", 0 };
		argc = 4;
		argv = run;
	}
	if (argc != 4 || (strcmp(argv[1], "notify") && strcmp(argv[1], "fd"))) {
		fputs("usage: ready notify|fd STAMP DELAY_MS | stamp FILE | mark FILE | await FILE...\n", stderr);
		return 100;
	}
	if (argv[1][0] == 'n') {
		ns = getenv("NOTIFY_SOCKET");
		if (!ns || !*ns || strlen(ns) >= sizeof sa.sun_path)
			return 111;
		memcpy(sa.sun_path, ns, strlen(ns));
		if (sa.sun_path[0] == '@')
			sa.sun_path[0] = 0; /* abstract namespace, as sd_notify reads it */
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(ns));
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return 111;
	}
	stamp = map_stamp(argv[2]);
	delay_ms(atol(argv[3]));
	*stamp = now_ns();
	if (fd >= 0)
		(void)!sendto(fd, ready, sizeof ready - 1, 0, (struct sockaddr *)&sa, salen);
	else
		(void)!write(3, "\n", 1);
	for (;;)
		pause();
}
