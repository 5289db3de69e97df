/* clockplan.c: the offset of a sample, and every bound on what a source
 * can do with it: the noise band, slews, steps forward cut at max_step,
 * steps back cut at max_backward (or none, and then at most a slew). */
#include "clockplan.h"
#include "harness.h"

#define MS CLOCKPLAN_MS
#define S (1000 * MS)

static const struct clockplan_bounds b = { 900 * S, 2 * S, 500 * MS };

TEST(offset_is_taken_at_the_middle_of_the_round_trip)
{
	/* sent at 1000 s, back 10 ms later; the server said 1000.005 s: no offset */
	CHECK(clockplan_offset(1000 * S + 5 * MS, 1000 * S, 10 * MS) == 0);
	CHECK(clockplan_offset(4600 * S, 1000 * S, 0) == 3600 * S);
	CHECK(clockplan_offset(0, 1000 * S, 2 * MS) == -(1000 * S + MS));
}

TEST(noise_is_left_alone)
{
	struct clockplan p = clockplan_make(MS, 0, &b);

	CHECK(p.kind == CLOCKPLAN_NONE && !p.bounded);
	p = clockplan_make(-MS, 0, &b);
	CHECK(p.kind == CLOCKPLAN_NONE);
	/* half the round trip is the sample's uncertainty */
	p = clockplan_make(40 * MS, 100 * MS, &b);
	CHECK(p.kind == CLOCKPLAN_NONE);
	p = clockplan_make(60 * MS, 100 * MS, &b);
	CHECK(p.kind == CLOCKPLAN_SLEW && p.amount_ns == 60 * MS);
}

TEST(small_offsets_slew_either_way)
{
	struct clockplan p = clockplan_make(-300 * MS, 0, &b);

	CHECK(p.kind == CLOCKPLAN_SLEW && p.amount_ns == -300 * MS && !p.bounded);
	p = clockplan_make(499 * MS, 0, &b);
	CHECK(p.kind == CLOCKPLAN_SLEW && p.amount_ns == 499 * MS);
	p = clockplan_make(500 * MS, 0, &b);
	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == 500 * MS);
}

TEST(forward_steps_stop_at_max_step)
{
	struct clockplan p = clockplan_make(3600 * S, MS, &b);

	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == 900 * S && p.bounded);
	CHECK_STR(p.bound, "clock.max_step_ms");
	p = clockplan_make(900 * S, MS, &b);
	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == 900 * S && !p.bounded);
	CHECK_STR(p.bound, "");
	p = clockplan_make(INT64_MAX / 2, 0, &b);
	CHECK(p.amount_ns == 900 * S);
}

TEST(backward_steps_stop_at_max_backward)
{
	struct clockplan p = clockplan_make(-3600 * S, MS, &b);

	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == -2 * S && p.bounded);
	CHECK_STR(p.bound, "clock.max_backward_ms");
	p = clockplan_make(-1500 * MS, MS, &b);
	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == -1500 * MS && !p.bounded);
	p = clockplan_make(-(INT64_MAX / 2), 0, &b);
	CHECK(p.amount_ns == -2 * S);
}

TEST(backward_beyond_max_step_is_bounded_by_max_step)
{
	const struct clockplan_bounds wide = { 1 * S, 60 * S, 0 };
	struct clockplan p = clockplan_make(-30 * S, 0, &wide);

	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == -1 * S && p.bounded);
	CHECK_STR(p.bound, "clock.max_step_ms");
}

TEST(never_back_slews_at_most_slew_below)
{
	const struct clockplan_bounds never = { 900 * S, 0, 500 * MS };
	const struct clockplan_bounds nor_slew = { 900 * S, 0, 0 };
	struct clockplan p = clockplan_make(-3600 * S, MS, &never);

	CHECK(p.kind == CLOCKPLAN_SLEW && p.amount_ns == -500 * MS && p.bounded);
	CHECK_STR(p.bound, "clock.max_backward_ms");
	p = clockplan_make(-3600 * S, MS, &nor_slew);
	CHECK(p.kind == CLOCKPLAN_NONE && p.bounded && p.amount_ns == 0);
	/* forward is unaffected */
	p = clockplan_make(3600 * S, MS, &nor_slew);
	CHECK(p.kind == CLOCKPLAN_STEP && p.amount_ns == 900 * S);
}

RUN_TESTS("clockplan", T(offset_is_taken_at_the_middle_of_the_round_trip), T(noise_is_left_alone),
	  T(small_offsets_slew_either_way), T(forward_steps_stop_at_max_step),
	  T(backward_steps_stop_at_max_backward), T(backward_beyond_max_step_is_bounded_by_max_step),
	  T(never_back_slews_at_most_slew_below))
