/* timeproto.c: pack and unpack the time protocol's one frame
 * (include/timeproto.h). No other file knows an offset of it. */
#include <string.h>

#include "timeproto.h"

#define OFF_MAGIC 0
#define OFF_VERSION 4
#define OFF_KIND 6
#define OFF_NONCE 8
#define OFF_TIME 16
#define OFF_RESERVED 24
_Static_assert(OFF_RESERVED + 8 == TIMEPROTO_SIZE, "reserved to the end");

static void put(unsigned char *f, size_t off, uint64_t v, size_t size)
{
	while (size--) {
		f[off + size] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get(const unsigned char *f, size_t off, size_t size)
{
	uint64_t v = 0;
	size_t k;

	for (k = 0; k < size; k++)
		v = v << 8 | f[off + k];
	return v;
}

void timeproto_pack(unsigned char *f, const struct timeproto_msg *m)
{
	memset(f, 0, TIMEPROTO_SIZE);
	put(f, OFF_MAGIC, TIMEPROTO_MAGIC, 4);
	put(f, OFF_VERSION, TIMEPROTO_VERSION, 2);
	put(f, OFF_KIND, m->kind, 2);
	put(f, OFF_NONCE, m->nonce, 8);
	put(f, OFF_TIME, m->time_ns, 8);
}

int timeproto_unpack(const unsigned char *f, size_t n, struct timeproto_msg *m)
{
	memset(m, 0, sizeof *m);
	if (n != TIMEPROTO_SIZE || get(f, OFF_MAGIC, 4) != TIMEPROTO_MAGIC ||
	    get(f, OFF_VERSION, 2) != TIMEPROTO_VERSION || get(f, OFF_RESERVED, 8) != 0)
		return -1;
	m->kind = (unsigned)get(f, OFF_KIND, 2);
	m->nonce = get(f, OFF_NONCE, 8);
	m->time_ns = get(f, OFF_TIME, 8);
	if (m->kind == TIMEPROTO_REQUEST)
		return m->time_ns == 0 ? 0 : -1;
	/* below 2^62 ns (the year 2116): the offset's arithmetic in signed
	 * 64-bit ns can then never overflow */
	return m->kind == TIMEPROTO_REPLY && m->time_ns < (uint64_t)1 << 62 ? 0 : -1;
}
