/* logline.h: cut a service's output into log lines.
 *
 * Bytes arrive in arbitrary pieces; a line is complete at '\n' (a "\r\n"
 * counts as one newline). A line longer than the buffer is cut into pieces
 * of at most cap bytes, never dropped. Control characters other than tab
 * (NUL included) are written as "\xNN", so a log file is always plain lines
 * of text whatever the service writes; other bytes (UTF-8) pass unchanged.
 */
#ifndef LOGLINE_H
#define LOGLINE_H

#include <stddef.h>

struct linebuf {
	char *buf;
	size_t cap; /* at least 4: one escaped byte */
	size_t len; /* bytes of the unfinished line */
	int cr;     /* a '\r' is held: "\r\n" is a newline */
};

/* Called for each finished line, without its newline. */
typedef void line_fn(void *ctx, const char *line, size_t len);

/* Feed n bytes; calls emit for every line they complete. */
void line_feed(struct linebuf *lb, const char *data, size_t n, line_fn *emit, void *ctx);
/* End an unfinished line, if any (the writer has gone). */
void line_flush(struct linebuf *lb, line_fn *emit, void *ctx);

#endif
