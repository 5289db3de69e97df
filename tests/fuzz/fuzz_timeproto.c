/* fuzz_timeproto: the time protocol's frame decoder (src/common/timeproto.c)
 * and the bounds init puts on what a decoded reply may do
 * (src/init/clockplan.c), fed any bytes. Checked besides the sanitizers:
 * only a frame of exactly TIMEPROTO_SIZE bytes decodes; what decodes packs
 * back to the same bytes; a reply's time is below 2^62 ns and a request
 * has none; and whatever a reply says, the plan made from it never steps
 * further than the bounds (taken from the input too) allow.
 *
 * The input: the frame (any length), then 24 bytes of bounds and of our
 * side of the sample when there are that many beyond the frame.
 */
#include <stdlib.h>
#include <string.h>

#include "clockplan.h"
#include "timeproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static void plan(const struct timeproto_msg *m, const uint8_t *p)
{
	/* bounds up to a year in ms, as the generator allows; our clock and
	 * the round trip anywhere below 2^62 ns, as clock_gettime gives */
	struct clockplan_bounds b = {
		(int64_t)(take(p, 5) % 31622400000ULL + 1) * CLOCKPLAN_MS,
		(int64_t)(take(p + 5, 5) % 31622400001ULL) * CLOCKPLAN_MS,
		(int64_t)(take(p + 10, 5) % 31622400001ULL) * CLOCKPLAN_MS,
	};
	int64_t send = (int64_t)(take(p + 15, 8) >> 2), rtt = (int64_t)(p[23] * 1000000LL);
	int64_t off = clockplan_offset((int64_t)m->time_ns, send, rtt);
	struct clockplan c = clockplan_make(off, rtt, &b);

	if (c.kind == CLOCKPLAN_STEP && (c.amount_ns > b.max_step || c.amount_ns < -b.max_step ||
					 c.amount_ns < -b.max_backward || c.amount_ns == 0))
		abort();
	if (c.kind == CLOCKPLAN_SLEW && (c.amount_ns >= b.slew_below || c.amount_ns <= -b.slew_below - 1))
		abort();
	/* a correction never goes the other way than the offset */
	if ((off > 0 && c.amount_ns < 0) || (off < 0 && c.amount_ns > 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timeproto_msg m;
	unsigned char back[TIMEPROTO_SIZE];
	size_t n = size > TIMEPROTO_SIZE + 24 ? size - 24 : size;

	if (timeproto_unpack(data, n, &m) < 0)
		return 0;
	if (n != TIMEPROTO_SIZE)
		abort();
	if (m.kind == TIMEPROTO_REQUEST ? m.time_ns != 0
					: m.kind != TIMEPROTO_REPLY || m.time_ns >= (uint64_t)1 << 62)
		abort();
	timeproto_pack(back, &m);
	if (memcmp(back, data, TIMEPROTO_SIZE))
		abort();
	if (m.kind == TIMEPROTO_REPLY && size >= TIMEPROTO_SIZE + 24)
		plan(&m, data + TIMEPROTO_SIZE);
	return 0;
}
