/* clockplan.c: the bounds on what a time source can do to our clock
 * (clockplan.h). Pure arithmetic on signed 64-bit ns: the sources' times
 * are below 2^62 (timeproto.c checks), so nothing here overflows. */
#include "clockplan.h"

int64_t clockplan_offset(int64_t server_ns, int64_t send_ns, int64_t rtt_ns)
{
	return server_ns - (send_ns + rtt_ns / 2);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* A step back: at most max_step and max_backward; none at all when
 * max_backward is 0, but then a slew (which only slows the clock) of at
 * most slew_below. */
static struct clockplan back(int64_t want, const struct clockplan_bounds *b)
{
	struct clockplan p = { CLOCKPLAN_STEP, 0, 0, "" };
	int64_t by = min64(want, min64(b->max_step, b->max_backward));

	if (by > 0) {
		p.amount_ns = -by;
		p.bounded = by < want;
		p.bound = !p.bounded                     ? ""
			: b->max_backward <= b->max_step ? "clock.max_backward_ms"
							 : "clock.max_step_ms";
		return p;
	}
	p.bounded = 1;
	p.bound = "clock.max_backward_ms";
	if (b->slew_below > 0) {
		p.kind = CLOCKPLAN_SLEW;
		p.amount_ns = -min64(want, b->slew_below);
	} else {
		p.kind = CLOCKPLAN_NONE;
	}
	return p;
}

struct clockplan clockplan_make(int64_t offset_ns, int64_t rtt_ns, const struct clockplan_bounds *b)
{
	struct clockplan p = { CLOCKPLAN_NONE, 0, 0, "" };
	int64_t mag = offset_ns < 0 ? -offset_ns : offset_ns;
	int64_t noise = rtt_ns / 2 > CLOCKPLAN_DEADBAND_NS ? rtt_ns / 2 : CLOCKPLAN_DEADBAND_NS;

	if (mag <= noise)
		return p;
	if (mag < b->slew_below) {
		p.kind = CLOCKPLAN_SLEW;
		p.amount_ns = offset_ns;
		return p;
	}
	if (offset_ns < 0)
		return back(mag, b);
	p.kind = CLOCKPLAN_STEP;
	p.amount_ns = min64(offset_ns, b->max_step);
	p.bounded = p.amount_ns < offset_ns;
	p.bound = p.bounded ? "clock.max_step_ms" : "";
	return p;
}
