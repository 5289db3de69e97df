/* frame.h: the few header bytes the fuzz harnesses set or read themselves
 * (offsets as proto.h's header table gives them), so that most fuzzed
 * frames get past the magic, version and hash and reach the decoders. */
#ifndef FUZZ_FRAME_H
#define FUZZ_FRAME_H

#include <stdint.h>

#include "proto.h"

static inline void frame_put(unsigned char *f, int off, uint64_t v, int size)
{
	while (size--) {
		f[off + size] = (unsigned char)v;
		v >>= 8;
	}
}

/* Magic, version and hash (bytes 0..15) as a build of this configuration
 * sends them; op, fields and text as they were. */
static inline void frame_fix_header(unsigned char *f, uint64_t hash)
{
	frame_put(f, 0, PROTO_MAGIC, 4);
	frame_put(f, 4, PROTO_VERSION, 2);
	frame_put(f, 8, hash, 8);
}

static inline unsigned frame_op(const unsigned char *f)
{
	return (unsigned)f[6] << 8 | f[7];
}

#endif
