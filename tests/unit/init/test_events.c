/* The event ring (events.c): sequence numbers, the window it still holds,
 * wrap-around, and what a reader asking for a lost or a future event
 * gets. The ring is one static table: the tests run in order, each going
 * on from where the last left it. */
#include <stdint.h>

#include "clock.h"
#include "events.h"
#include "harness.h"

static int64_t now_ms = 1700000000000;

int64_t clock_wall_ms(void)
{
	return now_ms;
}

/* n events of service 3, each coded with its own sequence number. */
static void add_n(uint64_t n)
{
	while (n--)
		events_add(3, 1, 2, 3, (uint32_t)events_next_seq());
}

/* Every event from first to next is held, in its slot, with its data
 * (add_n's: the two of an_event_is_recorded_as_given are checked there). */
static int window_is_whole(void)
{
	uint64_t q;

	for (q = events_first_seq(); q < events_next_seq(); q++) {
		const struct event *e = events_get(q);
		if (!e || e->seq != q || (e->svc == 3 && e->code != (uint32_t)q))
			return 0;
	}
	return 1;
}

TEST(empty_ring_holds_nothing)
{
	CHECK(events_next_seq() == 1);
	CHECK(events_first_seq() == 1); /* = next: nothing held */
	CHECK(events_get(0) == 0);
	CHECK(events_get(1) == 0); /* the future */
}

TEST(an_event_is_recorded_as_given)
{
	const struct event *e;

	events_add(5, 1, 2, 7, 42);
	CHECK(events_next_seq() == 2 && events_first_seq() == 1);
	e = events_get(1);
	CHECK(e != 0);
	if (!e)
		return;
	CHECK(e->seq == 1 && e->svc == 5 && e->kind == 1 && e->from == 2 && e->to == 7 && e->code == 42);
	CHECK(e->time_ms == now_ms);
	CHECK(events_get(2) == 0 && events_get(0) == 0);
	/* The enclave's own (svc -1), and a code of 32 bits. */
	now_ms += 5;
	events_add(-1, 6, 1, 2, 0xfffffffeu);
	e = events_get(2);
	CHECK(e && e->svc == -1 && e->kind == 6 && e->code == 0xfffffffeu && e->time_ms == now_ms);
	CHECK(events_get(1) && events_get(1)->svc == 5); /* the first is untouched */
}

TEST(a_full_ring_keeps_its_first_event)
{
	add_n(EVENTS_RING - events_next_seq()); /* events 1..EVENTS_RING - 1 */
	CHECK(events_next_seq() == EVENTS_RING && events_first_seq() == 1);
	CHECK(events_get(0) == 0); /* slot 0, not written yet, is no event 0 */
	add_n(1);
	CHECK(events_next_seq() == EVENTS_RING + 1);
	CHECK(events_first_seq() == 1);
	CHECK(events_get(1) && events_get(1)->seq == 1 && events_get(1)->svc == 5);
	CHECK(events_get(EVENTS_RING) && events_get(EVENTS_RING)->seq == EVENTS_RING);
	CHECK(events_get(EVENTS_RING + 1) == 0);
}

TEST(one_more_loses_the_oldest)
{
	add_n(1);
	CHECK(events_first_seq() == 2);
	CHECK(events_get(1) == 0); /* lost: its slot holds EVENTS_RING + 1 now */
	CHECK(events_get(2) && events_get(2)->seq == 2);
	CHECK(events_get(EVENTS_RING + 1) && events_get(EVENTS_RING + 1)->seq == EVENTS_RING + 1);
	CHECK(window_is_whole());
}

TEST(wrap_around_many_times)
{
	uint64_t next;

	add_n(3 * EVENTS_RING + 5);
	next = events_next_seq();
	CHECK(next == 4 * EVENTS_RING + 7);
	CHECK(events_first_seq() == next - EVENTS_RING);
	CHECK(window_is_whole());
	CHECK(events_get(events_first_seq() - 1) == 0); /* just lost */
	CHECK(events_get(1) == 0 && events_get(0) == 0);
	CHECK(events_get(next) == 0);               /* the next one is not there yet */
	CHECK(events_get(next + EVENTS_RING) == 0); /* whose slot is held by another */
	CHECK(events_get(UINT64_MAX) == 0);
	/* A reader's cursor that fell behind: how much it missed. */
	CHECK(events_first_seq() - 2 == 3 * EVENTS_RING + 5);
}

/* A reload: the new init's ring is empty, its numbers go on from the old
 * one's, and nothing from before is claimed to be held. */
TEST(resume_after_a_reload)
{
	uint64_t next = events_next_seq() + 100;

	events_resume(next);
	CHECK(events_next_seq() == next && events_first_seq() == next);
	CHECK(events_get(next - 1) == 0 && events_get(next - 100) == 0);
	events_add(3, 1, 2, 4, 0);
	CHECK(events_get(next) && events_get(next)->seq == next && events_get(next - 1) == 0);
	CHECK(events_first_seq() == next);
	events_resume(1); /* never backwards */
	CHECK(events_next_seq() == next + 1);
	add_n(EVENTS_RING + 1);
	CHECK(events_first_seq() == events_next_seq() - EVENTS_RING);
	CHECK(window_is_whole());
}

RUN_TESTS("events", T(empty_ring_holds_nothing), T(an_event_is_recorded_as_given),
	  T(a_full_ring_keeps_its_first_event), T(one_more_loses_the_oldest), T(wrap_around_many_times),
	  T(resume_after_a_reload))
