/* events.c: the event ring (see events.h).
 *
 * Slot seq % EVENTS_RING holds event seq; the ring holds the last
 * EVENTS_RING of them. Readers are never waited for: each keeps its own
 * cursor, and a cursor older than the ring's first event has missed the
 * difference (ops_obs.c tells the reader so).
 */
#include "clock.h"
#include "events.h"

static struct event ring[EVENTS_RING];
static uint64_t next_seq = 1;
static uint64_t base = 1; /* the first number this init's ring has held (reload: the old init's next) */

void events_add(int svc, unsigned kind, unsigned from, unsigned to, uint32_t code)
{
	struct event *e = &ring[next_seq % EVENTS_RING];

	e->seq = next_seq++;
	e->time_ms = clock_wall_ms();
	e->svc = (short)svc;
	e->kind = (unsigned char)kind;
	e->from = (unsigned char)from;
	e->to = (unsigned char)to;
	e->code = code;
}

uint64_t events_next_seq(void)
{
	return next_seq;
}

uint64_t events_first_seq(void)
{
	return next_seq - base > EVENTS_RING ? next_seq - EVENTS_RING : base;
}

void events_resume(uint64_t seq)
{
	if (seq > next_seq)
		next_seq = base = seq;
}

const struct event *events_get(uint64_t seq)
{
	if (seq < events_first_seq() || seq >= next_seq)
		return 0;
	return &ring[seq % EVENTS_RING];
}
