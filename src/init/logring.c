/* logring.c: the in-memory ring behind `initctl logs` (see logring.h). */
#include <string.h>

#include "check.h"
#include "logring.h"

static unsigned char at(const struct ring *r, uint64_t pos)
{
	return r->mem[pos % r->size];
}

void ring_put(struct ring *r, const char *line, size_t n)
{
	uint64_t keep = r->head + n > r->size ? r->head + n - r->size : 0; /* first byte that survives */
	size_t off, first;
	int at_line_start = 0;

	if (NEVER(n == 0 || n > r->size / 2 || line[n - 1] != '\n'))
		return;
	/* Whether the survivors start with a whole line: decided before the
	 * byte in front of them is overwritten. */
	if (keep > r->tail)
		at_line_start = at(r, keep - 1) == '\n';
	off = (size_t)(r->head % r->size);
	first = r->size - off < n ? r->size - off : n;
	memcpy(r->mem + off, line, first);
	memcpy(r->mem, line + first, n - first);
	r->head += n;
	/* Partly overwritten lines go: the oldest survivor starts after the
	 * first newline among the surviving bytes. */
	if (keep > r->tail) {
		while (!at_line_start && at(r, keep) != '\n')
			keep++;
		r->tail = at_line_start ? keep : keep + 1;
	}
}

uint64_t ring_last_lines(const struct ring *r, uint64_t n, uint64_t *found)
{
	uint64_t p = r->head, k = 0;

	/* Walk back over newlines: the one ending each line, n + 1 times. */
	while (k < n && p > r->tail) {
		p--; /* the newline ending this line */
		while (p > r->tail && at(r, p - 1) != '\n')
			p--;
		k++;
	}
	*found = k;
	return p;
}

size_t ring_read(const struct ring *r, uint64_t *pos, void *dst, size_t cap, uint64_t *skipped)
{
	size_t n, off, first;

	*skipped = 0;
	if (*pos < r->tail) {
		*skipped = r->tail - *pos;
		*pos = r->tail;
	}
	n = r->head - *pos < cap ? (size_t)(r->head - *pos) : cap;
	off = (size_t)(*pos % r->size);
	first = r->size - off < n ? r->size - off : n;
	memcpy(dst, r->mem + off, first);
	memcpy((unsigned char *)dst + first, r->mem, n - first);
	*pos += n;
	return n;
}

void ring_clear(struct ring *r)
{
	r->tail = r->head;
}
