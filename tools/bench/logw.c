/* logw.c: the writer of the log throughput benchmark (tools/bench/logbench.py
 * builds it with musl-gcc -static).
 *
 *   logw LINES MODE TIMEFILE
 *
 * Writes LINES lines of exactly 100 bytes (99 characters and '\n') to
 * stdout as fast as it can, then exits 0. Line k (0-based) is
 *
 *   "seq=" + k on ten digits + " " + 84 characters that depend on k
 *
 * so that every line is unique, its sequence number is in it, and a
 * damaged line can be told from a good one (logbench.py rebuilds each
 * expected line and compares). MODE says how the lines are written:
 *
 *   block   4096-byte writes, as stdio writes to a pipe (lines are cut
 *           across writes: the logger has to put them back together)
 *   line    one write(2) per line, as a line-buffered or unbuffered writer
 *
 * TIMEFILE receives two lines: CLOCK_MONOTONIC in nanoseconds when the
 * program starts, and when its last write has returned. The benchmark
 * (whose clock is the same CLOCK_MONOTONIC) takes its start time from
 * there, so that the figure covers the same interval for every logger
 * whoever starts the writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE 100
#define BLOCK 4096

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static void put_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(111);
		p += w;
		n -= (size_t)w;
	}
}

static void note_time(int fd, unsigned long long t)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%llu\n", t);

	if (write(fd, b, (size_t)n) != n)
		_exit(111);
}

/* Must match expected_line() in logbench.py. */
static void make_line(char *p, unsigned k)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned i, v = k, r = k % (sizeof abc - 1);

	memcpy(p, "seq=", 4);
	for (i = 13; i >= 4; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	p[14] = ' ';
	for (i = 15; i < LINE - 1; i++)  /* abc[(k + i) % 62] */
		p[i] = abc[(r + i) % (sizeof abc - 1)];
	p[LINE - 1] = '\n';
}

int main(int argc, char **argv)
{
	static char buf[BLOCK + LINE];
	unsigned long long t0 = now_ns();
	unsigned k, lines;
	size_t len = 0;
	int block, fd;

	if (argc != 4 || (strcmp(argv[2], "block") && strcmp(argv[2], "line"))) {
		fprintf(stderr, "usage: logw LINES block|line TIMEFILE\n");
		return 2;
	}
	lines = (unsigned)strtoul(argv[1], 0, 10);
	block = !strcmp(argv[2], "block");
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 111;
	note_time(fd, t0);
	for (k = 0; k < lines; k++) {
		make_line(buf + len, k);
		len += LINE;
		if (!block) {
			put_all(buf, len);
			len = 0;
		} else if (len >= BLOCK) {
			put_all(buf, BLOCK);
			len -= BLOCK;
			memmove(buf, buf + BLOCK, len);
		}
	}
	put_all(buf, len);
	note_time(fd, now_ns());
	close(fd);
	return 0;
}
