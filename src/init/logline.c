/* logline.c: service output to log lines (see logline.h). */
#include <string.h>

#include "logline.h"

static int is_plain(unsigned char c)
{
	return c >= 0x20 ? c != 0x7f : c == '\t';
}

static void put(struct linebuf *lb, unsigned char c, line_fn *emit, void *ctx)
{
	static const char hex[] = "0123456789abcdef";
	int plain = is_plain(c);
	size_t need = plain ? 1 : 4;

	if (lb->len + need > lb->cap) { /* too long: this piece is a line of its own */
		emit(ctx, lb->buf, lb->len);
		lb->len = 0;
	}
	if (plain) {
		lb->buf[lb->len++] = (char)c;
		return;
	}
	lb->buf[lb->len++] = '\\';
	lb->buf[lb->len++] = 'x';
	lb->buf[lb->len++] = hex[c >> 4];
	lb->buf[lb->len++] = hex[c & 15];
}

void line_feed(struct linebuf *lb, const char *data, size_t n, line_fn *emit, void *ctx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];
		size_t run = 0, room = lb->cap - lb->len;

		/* Fast path: copy a run of plain bytes at once. */
		while (!lb->cr && run < room && i + run < n && is_plain((unsigned char)data[i + run]))
			run++;
		if (run) {
			memcpy(lb->buf + lb->len, data + i, run);
			lb->len += run;
			i += run - 1;
			continue;
		}
		if (lb->cr && c != '\n')
			put(lb, '\r', emit, ctx);
		lb->cr = c == '\r';
		if (c == '\n') {
			emit(ctx, lb->buf, lb->len);
			lb->len = 0;
		} else if (c != '\r') {
			put(lb, c, emit, ctx);
		}
	}
}

void line_flush(struct linebuf *lb, line_fn *emit, void *ctx)
{
	if (lb->cr)
		put(lb, '\r', emit, ctx);
	lb->cr = 0;
	if (lb->len)
		emit(ctx, lb->buf, lb->len);
	lb->len = 0;
}
