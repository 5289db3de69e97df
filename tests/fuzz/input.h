/* input.h: reading a fuzzer's input as a stream of small fields.
 *
 * Every target cuts its bytes the same way: numbers are taken little-endian
 * a byte at a time, and a "chunk" is a 2-byte length then that many bytes
 * (cut to what is left). Past the end, everything reads as zero, so any
 * input is a valid program for the harness and libFuzzer's mutations stay
 * meaningful (no input is rejected for its shape).
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
	const uint8_t *p;
	size_t left;
};

static inline unsigned in_byte(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline unsigned in_u16(struct input *in)
{
	unsigned lo = in_byte(in);

	return lo | in_byte(in) << 8;
}

/* A chunk of at most max bytes: *len gets its size; returns where it is. */
static inline const uint8_t *in_chunk(struct input *in, size_t max, size_t *len)
{
	size_t n = in_u16(in);
	const uint8_t *at = in->p;

	if (n > in->left)
		n = in->left;
	if (n > max)
		n = max;
	in->p += n;
	in->left -= n;
	*len = n;
	return at;
}

#endif
