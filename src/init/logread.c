/* logread.c: the last N lines of a log, then (following) new ones.
 *
 * Reading a file is work in the event loop, so it is kept proportional to
 * the answer: the backward scan for the N-th newline reads only the bytes
 * that will be sent anyway, and the sending is done one frame per call.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"
#include "logread.h"

static int followers;

/* Where the last *want lines of a file of end bytes start; *want goes
 * down by the lines found. A file's first line counts once reached. */
static uint64_t tail_start(int fd, uint64_t end, uint64_t *want)
{
	static char buf[16384];
	uint64_t p;

	if (!end || !*want)
		return end;
	p = end - 1; /* the newline ending the last line is not a line start */
	while (p > 0) {
		size_t n = p < sizeof buf ? (size_t)p : sizeof buf;
		uint64_t base = p - n;
		const char *nl;

		if (pread(fd, buf, n, (off_t)base) != (ssize_t)n)
			return p; /* unreadable: start after what was scanned */
		while ((nl = memrchr(buf, '\n', n))) {
			n = (size_t)(nl - buf);
			if (--*want == 0)
				return base + n + 1;
		}
		p = base;
	}
	--*want;
	return 0;
}

/* Open the files the last n lines span, newest first, then put them in
 * order. Returns -1 when there is no current file to read. */
static int open_files(struct logread *lr, uint64_t n)
{
	int fd[CFG_MAX_LOG_FILES + 1];
	uint64_t start[CFG_MAX_LOG_FILES + 1], end[CFG_MAX_LOG_FILES + 1];
	uint64_t want = n;
	int k, count = 0;

	for (k = 0; k <= CFG_MAX_LOG_FILES && want; k++) {
		char path[LOG_PATH_MAX];
		off_t size;

		log_path(lr->chan, k, path);
		fd[count] = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd[count] < 0)
			break;
		size = lseek(fd[count], 0, SEEK_END);
		if (size < 0) {
			close(fd[count]);
			break;
		}
		end[count] = (uint64_t)size;
		start[count] = tail_start(fd[count], end[count], &want);
		count++;
	}
	if (!count)
		return -1;
	lr->nfile = count;
	for (k = 0; k < count; k++) {
		lr->fd[k] = fd[count - 1 - k];
		lr->off[k] = start[count - 1 - k];
		lr->end[k] = end[count - 1 - k];
	}
	return 0;
}

static void begin(struct logread *lr, int chan, uint64_t n, int follow)
{
	const struct ring *r = log_ring(chan);
	uint64_t found, start;

	lr->chan = chan;
	lr->active = 1;
	lr->follow = follow;
	start = ring_last_lines(r, n, &found);
	/* The ring when it has them all (no disk), the files when they have
	 * more, the ring again when there are no files to read. */
	if (found < n && open_files(lr, n) == 0) {
		lr->pos = r->head;
	} else {
		lr->nfile = 0;
		lr->pos = start;
	}
	lr->stop = r->head;
}

enum logread_result logread_begin(struct logread *lr, int chan, uint64_t n, int follow)
{
	memset(lr, 0, sizeof *lr);
	if (follow && followers >= CFG_MAX_LOG_FOLLOWERS)
		return LOGREAD_NO_FOLLOWERS;
	begin(lr, chan, n, follow);
	lr->counted = follow;
	followers += follow;
	return LOGREAD_OK;
}

void logread_begin_stream(struct logread *lr, int chan, uint64_t n, int follow)
{
	memset(lr, 0, sizeof *lr);
	begin(lr, chan, n, follow);
}

static int ring_has_more(const struct logread *lr)
{
	uint64_t head = log_ring(lr->chan)->head;

	return lr->follow ? lr->pos < head : lr->pos < lr->stop && lr->pos < head;
}

int logread_ready(const struct logread *lr)
{
	return lr->active && (lr->cur < lr->nfile || ring_has_more(lr));
}

int logread_done(const struct logread *lr)
{
	return !lr->active || (!lr->follow && !logread_ready(lr));
}

size_t logread_next(struct logread *lr, char *dst, size_t cap)
{
	const struct ring *r = log_ring(lr->chan);
	uint64_t skipped, limit;

	while (lr->cur < lr->nfile) {
		int k = lr->cur;
		size_t want = lr->end[k] - lr->off[k] < cap ? (size_t)(lr->end[k] - lr->off[k]) : cap;
		ssize_t got = want ? pread(lr->fd[k], dst, want, (off_t)lr->off[k]) : 0;

		if (got > 0) {
			lr->off[k] += (uint64_t)got;
			return (size_t)got;
		}
		close(lr->fd[k]);
		lr->fd[k] = -1;
		lr->cur++;
	}
	if (!ring_has_more(lr))
		return 0;
	if (lr->pos < r->tail) {
		/* Overwritten before this reader got to it: say so, go on. */
		skipped = r->tail - lr->pos;
		lr->pos = r->tail;
		return fmt_fmt(dst, cap, "[init: %llu bytes of log skipped here: the reader fell behind]\n",
			       (unsigned long long)skipped);
	}
	limit = lr->follow ? cap : lr->stop - lr->pos < cap ? (size_t)(lr->stop - lr->pos) : cap;
	return ring_read(r, &lr->pos, dst, (size_t)limit, &skipped);
}

void logread_end(struct logread *lr)
{
	if (!lr->active)
		return;
	for (; lr->cur < lr->nfile; lr->cur++)
		close(lr->fd[lr->cur]);
	followers -= lr->counted;
	lr->active = 0;
}
