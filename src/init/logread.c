/* logread.c: the last N lines of a log, then (following) new ones.
 *
 * Reading a file is work in the event loop, so it is bounded per pass:
 * the backward scan for the N-th newline reads only the bytes that will be
 * sent anyway, a slice per call, and the sending is one frame per call.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"
#include "logread.h"

static int followers;

int logread_followers(void)
{
	return followers;
}

/* Bytes scanned per logread_scan: from the page cache, a small fraction of
 * a millisecond, so one pass of the loop stays short however much is kept. */
#define SCAN_SLICE ((size_t)256 * 1024)

/* Go on scanning file k (newest first) backwards, at most *budget bytes.
 * Returns 1 when the file is finished: off[k] is where its part of the
 * tail starts; 0 when the budget ran out first. */
static int scan_file(struct logread *lr, size_t *budget)
{
	static char buf[16384];
	int k = lr->scan_k;

	if (!lr->end[k]) {
		lr->off[k] = 0; /* empty: no lines */
		return 1;
	}
	while (lr->scan_at > 0) {
		uint64_t p = lr->scan_at;
		size_t n = p < sizeof buf ? (size_t)p : sizeof buf;
		uint64_t base = p - n;
		const char *nl;

		if (!*budget)
			return 0;
		if (pread(lr->fd[k], buf, n, (off_t)base) != (ssize_t)n) {
			lr->off[k] = p; /* unreadable: start after what was scanned */
			return 1;
		}
		*budget -= n < *budget ? n : *budget;
		while ((nl = memrchr(buf, '\n', n))) {
			n = (size_t)(nl - buf);
			if (--lr->want == 0) {
				lr->off[k] = base + n + 1;
				return 1;
			}
		}
		lr->scan_at = base;
	}
	lr->want--; /* a file's first line counts once reached */
	lr->off[k] = 0;
	return 1;
}

static void scan_from(struct logread *lr, int k)
{
	lr->scan_k = k;
	/* the newline ending the last line is not a line start */
	lr->scan_at = lr->end[k] ? lr->end[k] - 1 : 0;
}

/* The scan is over at file scan_k: keep that one and the newer ones, in
 * order, oldest first; close the older ones it did not reach. */
static void scan_finish(struct logread *lr)
{
	int k, count = lr->scan_k + 1;

	for (k = count; k < lr->nfile; k++)
		close(lr->fd[k]);
	for (k = 0; k < count / 2; k++) {
		int j = count - 1 - k, fd = lr->fd[k];
		uint64_t off = lr->off[k], end = lr->end[k];

		lr->fd[k] = lr->fd[j], lr->off[k] = lr->off[j], lr->end[k] = lr->end[j];
		lr->fd[j] = fd, lr->off[j] = off, lr->end[j] = end;
	}
	lr->nfile = count;
	lr->cur = 0;
	lr->scanning = 0;
}

int logread_scan(struct logread *lr)
{
	size_t budget = SCAN_SLICE;

	while (lr->scanning) {
		if (!scan_file(lr, &budget))
			return 1;
		if (lr->want && lr->scan_k + 1 < lr->nfile)
			scan_from(lr, lr->scan_k + 1);
		else
			scan_finish(lr);
	}
	return 0;
}

/* Open every file of the channel, newest first, and start the scan for
 * the last n lines. All are opened now, so that a rotation during the scan
 * changes nothing. Returns -1 when there is no current file to read. */
static int open_files(struct logread *lr, uint64_t n)
{
	int k;

	for (k = 0; k <= CFG_MAX_LOG_FILES; k++) {
		char path[LOG_PATH_MAX];
		off_t size;

		log_path(lr->chan, k, path);
		lr->fd[k] = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (lr->fd[k] < 0)
			break;
		size = lseek(lr->fd[k], 0, SEEK_END);
		if (size < 0) {
			close(lr->fd[k]);
			break;
		}
		lr->end[k] = (uint64_t)size;
	}
	if (!k)
		return -1;
	lr->nfile = k;
	lr->want = n;
	lr->scanning = 1;
	scan_from(lr, 0);
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
	if (found < n && n && open_files(lr, n) == 0) {
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
	return lr->active && !lr->scanning && (lr->cur < lr->nfile || ring_has_more(lr));
}

int logread_done(const struct logread *lr)
{
	return !lr->active || (!lr->follow && !lr->scanning && !logread_ready(lr));
}

size_t logread_next(struct logread *lr, char *dst, size_t cap)
{
	const struct ring *r = log_ring(lr->chan);
	uint64_t skipped, limit;

	if (lr->scanning)
		return 0;
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
	if (lr->scanning)
		lr->cur = lr->scanning = 0; /* all nfile files are still open */
	for (; lr->cur < lr->nfile; lr->cur++)
		close(lr->fd[lr->cur]);
	followers -= lr->counted;
	lr->active = 0;
}
