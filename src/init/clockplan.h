/* clockplan.h: what to do with one sample of a time source, within the
 * bounds of init.yaml's clock: section. Arithmetic only (no clock is
 * read or set here), so that the unit tests check every bound. */
#ifndef CLOCKPLAN_H
#define CLOCKPLAN_H

#include <stdint.h>

#define CLOCKPLAN_MS 1000000LL /* ns */
/* Offsets within this much (or within half the round trip, when that is
 * more) are noise: nothing is done. */
#define CLOCKPLAN_DEADBAND_NS CLOCKPLAN_MS

enum clockplan_kind {
	CLOCKPLAN_NONE = 0, /* within the sample's uncertainty */
	CLOCKPLAN_SLEW = 1, /* adjtimex: the kernel slews by amount_ns */
	CLOCKPLAN_STEP = 2, /* clock_settime: now + amount_ns */
};

/* The bounds, in ns (clock.max_step_ms and so on). */
struct clockplan_bounds {
	int64_t max_step;     /* no step larger, either way */
	int64_t max_backward; /* no step back larger; 0: never stepped back */
	int64_t slew_below;   /* smaller offsets are slewed; 0: never slewed */
};

struct clockplan {
	enum clockplan_kind kind;
	int64_t amount_ns; /* signed: + forward */
	int bounded;       /* 1: less than the offset, because of a bound */
	const char *bound; /* which key bounded it, or "" */
};

/* The offset of a sample: the source's time, taken as read at the middle
 * of the round trip, less our wall clock then. send_ns is our wall clock
 * when the request left, rtt_ns the round trip on the monotonic clock. */
int64_t clockplan_offset(int64_t server_ns, int64_t send_ns, int64_t rtt_ns);
/* What to do about an offset measured with a round trip of rtt_ns. */
struct clockplan clockplan_make(int64_t offset_ns, int64_t rtt_ns, const struct clockplan_bounds *b);

#endif
