/* log.c: log channels: service pipes, lines, rings, files and rotation.
 *
 * Every line passes through one staging buffer: built there with its
 * timestamp, copied to the channel's ring at once, and written to the file
 * with one write(2) per batch. Rotation happens between lines, after the
 * batch so far is written, so a line is never split or repeated across
 * files. A failed write is cut back to the last whole line (the file keeps
 * its format) and the lines it lost are counted.
 *
 * Warnings about log files are themselves log lines (of init's channel),
 * so they are not said in the middle of the work: they are noted, and said
 * from a pass of their own (say_log_warnings, each loop pass) that asks
 * log_warning for them. log.c never says anything itself: say.c writes
 * through log.c, so log.c calling say.c would be a cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h> /* rename(2) only: no FILE streams */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "logline.h"

#define RETRY_MS 1000          /* a failing file is tried again after this */
#define PIPE_SIZE (256 * 1024) /* room for a burst while init is busy */
#define READ_BUDGET 4          /* reads per service per pass: one flood cannot starve the rest */
#define WARN_PIPE 0x10000      /* above every errno */

struct chan {
	int rfd, wfd;          /* the service's output pipe, or -1 */
	int fd;                /* the open log file, or -1 */
	uint64_t size;         /* bytes in it */
	uint64_t dropped;      /* lines that did not reach the file */
	uint64_t bytes, lines; /* what did, since this init started (metrics) */
	int64_t retry_at;      /* failing: do not try the file before this */
	int64_t rotate_at;     /* rotation failed: do not retry before this */
	int failing;           /* warned about the file; quiet until it works */
	int warn_err;          /* a warning to give: errno, -1 "works again", or
					* WARN_PIPE | errno: no pipe (log_open) */
	struct linebuf line;
	struct ring ring;
};

static struct chan chans[LOG_NCHAN];
static char line_mem[LOG_NCHAN][CFG_MAX_LOG_LINE];
static unsigned char ring_mem[LOG_NCHAN][CFG_LOG_RING_SIZE];

static char stage[64 * 1024 + LOG_PREFIX + CFG_MAX_LOG_LINE + 1];
static size_t stage_len;
static unsigned stage_lines;
static int stage_chan = -1;

static char stamp[LOG_PREFIX + 1]; /* "[YYYY-MM-DD HH:MM:SS] " of the current batch */
static int64_t stamp_sec = -1;
static int depth;  /* nesting of the public entry points */
static int opened; /* log_open() has run: the tables are set */

static const char *chan_name(int chan)
{
	return chan >= 0 && chan < SVC_N ? svc_cfg(chan)->name : "init";
}

void log_path(int chan, int gen, char *dst)
{
	if (gen)
		fmt_fmt(dst, LOG_PATH_MAX, "%s/%s.log.%d", cfg_init.log_dir, chan_name(chan), gen);
	else
		fmt_fmt(dst, LOG_PATH_MAX, "%s/%s.log", cfg_init.log_dir, chan_name(chan));
}

static void enter(void)
{
	int64_t now = clock_wall();

	if (depth++ == 0 && now != stamp_sec) {
		stamp_sec = now;
		stamp[0] = '[';
		fmt_utc(stamp + 1, now);
		stamp[LOG_PREFIX - 2] = ']';
		stamp[LOG_PREFIX - 1] = ' ';
	}
}

static void leave(void)
{
	depth--;
}

int log_warning(int chan, char *msg, unsigned cap)
{
	struct chan *c = &chans[chan];
	char path[LOG_PATH_MAX];
	int err = c->warn_err;

	if (!err)
		return LOG_WARN_NONE;
	c->warn_err = 0;
	log_path(chan, 0, path);
	if (err > 0 && (err & WARN_PIPE)) { /* -1 ("works again") has every bit set */
		fmt_fmt(msg, cap, "service %s: no log pipe (%s); its output goes to the console", chan_name(chan),
			strerror(err & ~WARN_PIPE));
		return LOG_WARN_ERROR;
	}
	if (err < 0) {
		fmt_fmt(msg, cap, "log file %s is writable again; %llu lines dropped so far", path,
			(unsigned long long)c->dropped);
		return LOG_WARN_INFO;
	}
	fmt_fmt(msg, cap,
		"cannot write log file %s: %s; lines stay in memory and are "
		"counted as dropped until it works again",
		path, strerror(err));
	return LOG_WARN_WARNING;
}

static void failed(struct chan *c, int err)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->retry_at = clock_ms() + RETRY_MS;
	if (!c->failing)
		c->warn_err = err;
	c->failing = 1;
}

/* mkdir -p log_dir; errors show up when the file is opened. */
static void make_log_dir(void)
{
	char dir[LOG_PATH_MAX];
	size_t i;

	fmt_fmt(dir, sizeof dir, "%s/", cfg_init.log_dir);
	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = 0;
		(void)mkdir(dir, 0755);
		dir[i] = '/';
	}
}

static int file_open(int chan)
{
	struct chan *c = &chans[chan];
	char path[LOG_PATH_MAX];
	off_t size = -1;
	int fd;

	if (c->fd >= 0)
		return 0;
	if (c->retry_at && clock_ms() < c->retry_at)
		return -1;
	log_path(chan, 0, path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0 && errno == ENOENT) {
		make_log_dir();
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	}
	if (fd >= 0)
		size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		failed(c, err);
		return -1;
	}
	c->fd = fd;
	c->size = (uint64_t)size;
	c->retry_at = 0;
	return 0; /* still failing until a write works (a full disk opens fine) */
}

static unsigned count_lines(const char *p, size_t n)
{
	unsigned k = 0;
	const char *e = p + n;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))))
		p++, k++;
	return k;
}

/* Write the staged lines to their file; what does not fit is dropped. */
static void flush_stage(void)
{
	struct chan *c;
	size_t done = 0;
	int err = EIO;

	if (stage_chan < 0 || !stage_len)
		goto out;
	c = &chans[stage_chan];
	if (c->fd < 0 && file_open(stage_chan) < 0) {
		c->dropped += stage_lines;
		goto out;
	}
	while (done < stage_len) {
		ssize_t w = write(c->fd, stage + done, stage_len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	if (done < stage_len) {
		/* Cut back to the last whole line so the file stays lines. */
		const char *nl = done ? memrchr(stage, '\n', done) : 0;
		size_t keep = nl ? (size_t)(nl - stage) + 1 : 0;

		if (keep < done)
			(void)!ftruncate(c->fd, (off_t)(c->size + keep));
		c->dropped += stage_lines - count_lines(stage, keep);
		done = keep;
		failed(c, err);
	} else if (c->failing) {
		c->warn_err = -1; /* said once: "writable again" */
		c->failing = 0;
	}
	c->size += done;
	c->bytes += done;
	c->lines += done == stage_len ? stage_lines : count_lines(stage, done);
out:
	stage_len = 0;
	stage_lines = 0;
}

/* <name>.log becomes .1, .1 becomes .2, ...; the oldest is overwritten. */
static void rotate(int chan)
{
	struct chan *c = &chans[chan];
	char from[LOG_PATH_MAX], to[LOG_PATH_MAX];
	int k, err = 0;

	if (c->rotate_at && clock_ms() < c->rotate_at)
		return;
	/* Shift only up to the first missing generation (usually: the ones
	 * that exist); the file there, if any, is the oldest kept. */
	for (k = 1; k < cfg_init.max_log_files; k++) {
		log_path(chan, k, to);
		if (access(to, F_OK) < 0)
			break;
	}
	for (k = k > cfg_init.max_log_files ? cfg_init.max_log_files : k; k >= 1; k--) {
		log_path(chan, k - 1, from);
		log_path(chan, k, to);
		if (rename(from, to) < 0 && errno != ENOENT && k == 1)
			err = errno;
	}
	log_path(chan, 0, from);
	if (!cfg_init.max_log_files && unlink(from) < 0 && errno != ENOENT)
		err = errno;
	if (err) {
		/* Keep appending to the same file rather than lose lines. */
		c->rotate_at = clock_ms() + RETRY_MS;
		if (!c->failing)
			c->warn_err = err;
		return;
	}
	c->rotate_at = 0;
	close(c->fd);
	c->fd = -1;
	c->retry_at = 0;
	(void)file_open(chan);
}

/* One finished line: into the stage (rotating first if the file would
 * grow past max_log_size) and into the ring. */
static void emit(void *ctx, const char *body, size_t len)
{
	int chan = (int)(intptr_t)ctx;
	struct chan *c = &chans[chan];
	size_t n = LOG_PREFIX + len + 1;
	char *p;

	if (stage_chan != chan || stage_len + n > sizeof stage)
		flush_stage();
	stage_chan = chan;
	if (file_open(chan) == 0 && c->size + stage_len > 0 && c->size + stage_len + n > cfg_init.max_log_size) {
		flush_stage();
		if (c->fd >= 0)
			rotate(chan);
	}
	p = stage + stage_len;
	memcpy(p, stamp, LOG_PREFIX);
	memcpy(p + LOG_PREFIX, body, len);
	p[n - 1] = '\n';
	ring_put(&c->ring, p, n);
	stage_len += n;
	stage_lines++;
}

void log_open(void)
{
	int i;

	for (i = 0; i < LOG_NCHAN; i++) {
		struct chan *c = &chans[i];
		int p[2];

		c->rfd = c->wfd = c->fd = -1;
		c->line.buf = line_mem[i];
		c->line.cap = sizeof line_mem[i];
		c->ring.mem = ring_mem[i];
		c->ring.size = sizeof ring_mem[i];
		if (i == LOG_INIT)
			continue;
		if (pipe2(p, O_CLOEXEC) < 0) {
			c->warn_err = WARN_PIPE | errno; /* said by say_log_warnings */
			continue;
		}
		/* Only init's end is non-blocking: a service writes as usual. */
		(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
		(void)fcntl(p[0], F_SETPIPE_SZ, PIPE_SIZE);
		c->rfd = p[0];
		c->wfd = p[1];
	}
	opened = 1;
}

int log_service_fd(int svc)
{
	return chans[svc].wfd;
}

void log_pipe(int svc, int *rfd, int *wfd)
{
	*rfd = chans[svc].rfd;
	*wfd = chans[svc].wfd;
}

void log_adopt_pipe(int svc, int rfd, int wfd)
{
	struct chan *c = &chans[svc];

	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0)
		close(c->wfd);
	c->rfd = rfd;
	c->wfd = wfd;
	(void)fcntl(rfd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(wfd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(rfd, F_SETFL, O_NONBLOCK);
}

size_t log_partial(int svc, char *dst)
{
	const struct linebuf *lb = &chans[svc].line;

	memcpy(dst, lb->buf, lb->len);
	if (lb->cr)
		dst[lb->len] = '\r';
	return lb->len + (size_t)lb->cr;
}

/* The bytes are as the old init held them: escaped already, so plain, and
 * fed as they are they make the same line (cut where it is too long for
 * this build's max_log_line, like any line). */
void log_adopt_partial(int svc, const char *bytes, size_t n)
{
	enter();
	line_feed(&chans[svc].line, bytes, n, emit, (void *)(intptr_t)svc);
	flush_stage();
	leave();
}

void log_set_dropped(int chan, uint64_t n)
{
	chans[chan].dropped = n;
}

void log_note(int chan, const char *msg)
{
	static char note_mem[CFG_MAX_LOG_LINE];
	struct linebuf lb = { note_mem, sizeof note_mem, 0, 0 };

	if (!opened)
		return; /* said before the tables were set: the console has it */
	enter();
	/* Through the same escaping as service output, but not through the
	 * service's own line buffer, which may hold half a line of its own. */
	line_feed(&lb, msg, strlen(msg), emit, (void *)(intptr_t)chan);
	line_flush(&lb, emit, (void *)(intptr_t)chan);
	flush_stage();
	leave();
}

static void read_pipe(int chan, int reads)
{
	static char buf[64 * 1024];
	struct chan *c = &chans[chan];

	while (reads--) {
		ssize_t n = read(c->rfd, buf, sizeof buf);
		if (n <= 0)
			break; /* EAGAIN: drained (EOF cannot happen: init holds the write end) */
		line_feed(&c->line, buf, (size_t)n, emit, (void *)(intptr_t)chan);
		if ((size_t)n < sizeof buf)
			break;
	}
	flush_stage();
}

int log_poll_add(struct pollfd *p, int max)
{
	int i, n = 0;

	for (i = 0; i < SVC_N && n < max; i++)
		if (chans[i].rfd >= 0) {
			p[n].fd = chans[i].rfd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	return n;
}

void log_poll_done(const struct pollfd *p, int n)
{
	int i, k;

	enter();
	for (k = 0; k < n; k++) {
		if (!p[k].revents)
			continue;
		for (i = 0; i < SVC_N; i++)
			if (chans[i].rfd == p[k].fd) {
				read_pipe(i, READ_BUDGET);
				break;
			}
	}
	leave();
}

void log_read(int svc)
{
	if (chans[svc].rfd < 0)
		return;
	enter();
	read_pipe(svc, PIPE_SIZE / (64 * 1024) + 1);
	leave();
}

void log_drain(int svc)
{
	struct chan *c = &chans[svc];

	if (c->rfd < 0)
		return;
	enter();
	/* The pipe holds at most PIPE_SIZE: this takes all of it. */
	read_pipe(svc, PIPE_SIZE / (64 * 1024) + 1);
	line_flush(&c->line, emit, (void *)(intptr_t)svc);
	flush_stage();
	leave();
}

int log_find(const char *name)
{
	int i;

	for (i = 0; i < SVC_N; i++)
		if (svc_present(i) && !strcmp(svc_cfg(i)->name, name))
			return i;
	return strcmp(name, "init") ? -1 : LOG_INIT;
}

void log_written(int chan, uint64_t *bytes, uint64_t *lines)
{
	*bytes = chans[chan].bytes;
	*lines = chans[chan].lines;
}

uint64_t log_dropped(int chan)
{
	return chans[chan].dropped;
}

const struct ring *log_ring(int chan)
{
	return &chans[chan].ring;
}

int log_clear(int chan, char *why, unsigned cap)
{
	struct chan *c = &chans[chan];
	char path[LOG_PATH_MAX];
	int k, err = 0;

	enter();
	ring_clear(&c->ring);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	for (k = 0; k <= cfg_init.max_log_files; k++) {
		log_path(chan, k, path);
		if (unlink(path) < 0 && errno != ENOENT && !err) {
			err = errno;
			fmt_fmt(why, cap, "cannot remove %s: %s", path, strerror(err));
		}
	}
	c->size = 0;
	c->retry_at = 0;
	if (file_open(chan) < 0 && !err) {
		log_path(chan, 0, path);
		fmt_fmt(why, cap, "cannot create %s: %s", path, strerror(errno));
		err = -1;
	}
	leave();
	return err ? -1 : 0;
}
