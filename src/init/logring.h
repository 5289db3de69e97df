/* logring.h: a fixed byte ring of whole log lines.
 *
 * Positions are absolute byte counts since the ring was made (64-bit: they
 * never wrap in practice), so a reader holds a position and can tell, by
 * comparing it with tail, whether what it wanted has been overwritten.
 * Between tail and head the ring holds only whole lines, each ending in
 * '\n'; writing past the capacity moves tail to the next line start.
 */
#ifndef LOGRING_H
#define LOGRING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	unsigned char *mem;
	size_t size;
	uint64_t head; /* position after the newest byte */
	uint64_t tail; /* position of the oldest whole line */
};

/* Append one whole line (ending in '\n', at most size / 2 bytes). */
void ring_put(struct ring *r, const char *line, size_t n);
/* Position of the start of the last n lines; *found says how many exist
 * (fewer than n when the ring holds fewer). */
uint64_t ring_last_lines(const struct ring *r, uint64_t n, uint64_t *found);
/* Copy up to cap bytes from *pos (moved up to tail first when the data
 * there has been overwritten: *skipped gets how many bytes were lost).
 * Advances *pos; returns the bytes copied. */
size_t ring_read(const struct ring *r, uint64_t *pos, void *dst, size_t cap, uint64_t *skipped);
/* Forget every line; positions go on from head. */
void ring_clear(struct ring *r);

#endif
