/* logring: the byte ring of whole log lines behind `initctl logs`.
 *
 * Small rings (16, 64, 100 bytes) so that lines wrap around the end of the
 * buffer and old lines are overwritten after a few puts. The last test puts
 * many random lines and checks the ring against a simple model: every line
 * ever put, of which the ring must hold the newest ones that fit.
 */
#include <stdint.h>

#include "harness.h"
#include "logring.h"

static unsigned char mem[4096];
static char got[4096];

static struct ring mkring(size_t size)
{
	struct ring r = { mem, size, 0, 0 };
	memset(mem, '#', sizeof mem);
	return r;
}

static void put(struct ring *r, const char *s)
{
	ring_put(r, s, strlen(s));
}

/* Everything between tail and head, read in one go, as a string. */
static const char *content(const struct ring *r)
{
	uint64_t pos = r->tail, skipped = 99;
	size_t n = ring_read(r, &pos, got, sizeof got - 1, &skipped);
	got[n] = 0;
	if (pos != r->head || skipped != 0)
		return "(ring_read from tail did not reach head)";
	return got;
}

/* s with each newline shown as "\n", so that a failure stays on one line. */
static const char *visible(const char *s, char *out)
{
	char *o = out;
	for (; *s && o < out + 120; s++) {
		if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	return out;
}

/* The ring holds exactly the text `want`. */
#define CHECK_RING(r, want)                                                           \
	do {                                                                          \
		char ring_got_[256], ring_want_[256];                                 \
		CHECK_STR(visible(content(r), ring_got_), visible(want, ring_want_)); \
	} while (0)

TEST(put_then_read_round_trip)
{
	struct ring r = mkring(64);
	uint64_t pos = 0, skipped = 99;
	char buf[64];
	size_t n;

	CHECK(r.head == 0 && r.tail == 0);
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 0 && pos == 0 && skipped == 0);
	put(&r, "hello\n");
	put(&r, "\n");
	put(&r, "world, again\n");
	CHECK(r.head == 20 && r.tail == 0);
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 20 && pos == 20 && skipped == 0);
	CHECK(memcmp(buf, "hello\n\nworld, again\n", 20) == 0);
	/* Nothing new: nothing read, the position stays. */
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 0 && pos == 20 && skipped == 0);
	/* A reader that is up to date sees only what comes next. */
	put(&r, "more\n");
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 5 && pos == 25 && skipped == 0 && memcmp(buf, "more\n", 5) == 0);
	/* Bytes with the high bit set, tabs and the like are just bytes. */
	put(&r, "\t\xc3\xa9\x01\n");
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 5 && memcmp(buf, "\t\xc3\xa9\x01\n", 5) == 0);
}

TEST(largest_line_is_half_the_ring)
{
	struct ring r = mkring(16);

	put(&r, "0123456\n"); /* 8 = size / 2 */
	put(&r, "abcdefg\n");
	CHECK(r.head == 16 && r.tail == 0);
	CHECK_RING(&r, "0123456\nabcdefg\n");
}

TEST(line_split_across_the_end_of_the_buffer)
{
	struct ring r = mkring(16);

	put(&r, "abcdefg\n"); /* positions 0..7 */
	put(&r, "hijklm\n");  /* 8..14 */
	put(&r, "nopq\n");    /* 15..19: mem[15], then mem[0..3] */
	CHECK(r.head == 20);
	CHECK(r.tail == 8); /* the first line was partly overwritten */
	CHECK(mem[15] == 'n' && memcmp(mem, "opq\n", 4) == 0);
	CHECK_RING(&r, "hijklm\nnopq\n");
	/* And on, a few times round. */
	put(&r, "rs\n"); /* 20..22 */
	CHECK(r.head == 23 && r.tail == 8);
	put(&r, "tuvwxy\n"); /* 23..29: head - size = 14 is a newline */
	CHECK(r.head == 30 && r.tail == 15);
	CHECK_RING(&r, "nopq\nrs\ntuvwxy\n");
	put(&r, "0123456\n"); /* 30..37: mem[14..15], then mem[0..5] */
	CHECK(r.head == 38 && r.tail == 23);
	CHECK_RING(&r, "tuvwxy\n0123456\n");
}

TEST(overwriting_moves_tail_to_a_whole_line)
{
	struct ring r = mkring(16);

	put(&r, "aaa\n");    /* 0..3 */
	put(&r, "bbbbbb\n"); /* 4..10 */
	put(&r, "cc\n");     /* 11..13 */
	CHECK(r.tail == 0 && r.head == 14);
	/* 14..20: needs 5 more than the 16, so "aaa\n" (4) and the start of
	 * "bbbbbb\n" go; the tail is the start of "cc\n", not mid-"bbbbbb". */
	put(&r, "dddddd\n");
	CHECK(r.head == 21 && r.tail == 11);
	CHECK_RING(&r, "cc\ndddddd\n");
	put(&r, "ee\n"); /* 21..23: head - tail = 13, everything fits */
	CHECK(r.head == 24 && r.tail == 11);
	CHECK_RING(&r, "cc\ndddddd\nee\n");
	put(&r, "ffffff\n"); /* 24..30: head - tail would be 20 */
	CHECK(r.head == 31);
	CHECK(r.tail == 21); /* "cc\n" and "dddddd\n" go: with "dddddd\n", 17 bytes */
	CHECK_RING(&r, "ee\nffffff\n");
}

/* A ring of 16 bytes holds two lines of 8 bytes: it does after two puts,
 * and it must still do after a third, which overwrites exactly the first.
 * Fails while ring_put scans for the end of the overwritten line from
 * head - size, one byte too far: a line starting exactly at head - size is
 * whole and fits, but is dropped as if it were partly overwritten. */
TEST(overwrite_keeps_a_line_that_exactly_fits)
{
	struct ring r = mkring(16);
	uint64_t found;

	put(&r, "1111111\n");
	put(&r, "2222222\n");
	CHECK(r.head == 16 && r.tail == 0);
	put(&r, "3333333\n");
	CHECK(r.head == 24);
	CHECK_RING(&r, "2222222\n3333333\n");
	CHECK(r.tail == 8);
	ring_last_lines(&r, 10, &found);
	CHECK(found == 2);

	/* The same with lines of different lengths: 5 + 3 + 8 = 16 fit. */
	r = mkring(16);
	put(&r, "aaaaaa\n");  /* 0..6 */
	put(&r, "bbbb\n");    /* 7..11 */
	put(&r, "cc\n");      /* 12..14 */
	put(&r, "ddddddd\n"); /* 15..22: overwrites exactly "aaaaaa\n" */
	CHECK(r.head == 23);
	CHECK_RING(&r, "bbbb\ncc\nddddddd\n");
	CHECK(r.tail == 7);
}

TEST(last_lines)
{
	struct ring r = mkring(64);
	uint64_t found = 99;

	CHECK(ring_last_lines(&r, 0, &found) == 0 && found == 0);
	CHECK(ring_last_lines(&r, 3, &found) == 0 && found == 0);
	put(&r, "a\n");   /* 0 */
	put(&r, "bb\n");  /* 2 */
	put(&r, "\n");    /* 5: an empty line is a line */
	put(&r, "ccc\n"); /* 6..9 */
	CHECK(r.head == 10);
	CHECK(ring_last_lines(&r, 0, &found) == 10 && found == 0);
	CHECK(ring_last_lines(&r, 1, &found) == 6 && found == 1);
	CHECK(ring_last_lines(&r, 2, &found) == 5 && found == 2);
	CHECK(ring_last_lines(&r, 3, &found) == 2 && found == 3);
	CHECK(ring_last_lines(&r, 4, &found) == 0 && found == 4); /* exactly all */
	CHECK(ring_last_lines(&r, 5, &found) == 0 && found == 4); /* more than held */
	CHECK(ring_last_lines(&r, UINT64_MAX, &found) == 0 && found == 4);
}

TEST(last_lines_after_wrap_and_overwrite)
{
	struct ring r = mkring(16);
	uint64_t found = 99, pos, skipped;
	char buf[16];

	put(&r, "0123456\n"); /* 0..7 */
	put(&r, "ab\n");      /* 8..10 */
	put(&r, "cdefgh\n");  /* 11..17: wraps; "0123456\n" goes */
	CHECK(r.tail == 8 && r.head == 18);
	CHECK(ring_last_lines(&r, 1, &found) == 11 && found == 1);
	CHECK(ring_last_lines(&r, 2, &found) == 8 && found == 2);
	CHECK(ring_last_lines(&r, 3, &found) == 8 && found == 2);
	/* Reading from there gives exactly those lines. */
	pos = ring_last_lines(&r, 1, &found);
	CHECK(ring_read(&r, &pos, buf, sizeof buf, &skipped) == 7);
	CHECK(memcmp(buf, "cdefgh\n", 7) == 0 && skipped == 0 && pos == 18);
}

TEST(read_from_an_overwritten_position)
{
	struct ring r = mkring(16);
	uint64_t pos = 0, skipped = 99;
	char buf[16];
	size_t n;

	put(&r, "abcdefg\n"); /* 0..7 */
	put(&r, "hijklm\n");  /* 8..14 */
	put(&r, "nopq\n");    /* 15..19 */
	CHECK(r.tail == 8);
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(skipped == 8); /* all of the first line was lost */
	CHECK(n == 12 && pos == 20 && memcmp(buf, "hijklm\nnopq\n", 12) == 0);
	/* A position in the middle of a lost line: only the rest is skipped. */
	pos = 5;
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(skipped == 3 && n == 12 && pos == 20);
	/* A position at the tail exactly: nothing skipped. */
	pos = 8;
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(skipped == 0 && n == 12 && pos == 20);
	/* Skipped is reported even with a cap of 0, and pos moves to tail. */
	pos = 1;
	n = ring_read(&r, &pos, buf, 0, &skipped);
	CHECK(n == 0 && skipped == 7 && pos == 8);
}

TEST(read_with_a_small_cap)
{
	struct ring r = mkring(16);
	uint64_t pos, skipped;
	char buf[32], acc[64];
	size_t n, total = 0;
	int calls = 0;

	put(&r, "abcdefg\n");
	put(&r, "hijklm\n");
	put(&r, "nopq\n"); /* wraps */
	put(&r, "rs\n");
	CHECK(r.tail == 8 && r.head == 23);
	pos = r.tail;
	memset(buf, 'Z', sizeof buf);
	while ((n = ring_read(&r, &pos, buf, 4, &skipped)) > 0) {
		CHECK(n <= 4 && skipped == 0);
		CHECK(buf[4] == 'Z'); /* never more than the cap */
		memcpy(acc + total, buf, n);
		total += n;
		calls++;
		CHECK(pos == r.tail + total);
	}
	CHECK(total == 15 && calls == 4 && pos == r.head);
	CHECK(memcmp(acc, "hijklm\nnopq\nrs\n", 15) == 0);
	/* A cap of 1 cuts lines, byte by byte, across the wrap. */
	pos = r.tail;
	total = 0;
	while ((n = ring_read(&r, &pos, buf, 1, &skipped)) > 0)
		acc[total++] = buf[0];
	CHECK(total == 15 && memcmp(acc, "hijklm\nnopq\nrs\n", 15) == 0);
}

TEST(clear)
{
	struct ring r = mkring(16);
	uint64_t pos = 0, found = 99, skipped = 99;
	char buf[16];
	size_t n;

	put(&r, "abc\n");
	put(&r, "defgh\n");
	ring_clear(&r);
	CHECK(r.head == 10 && r.tail == 10);
	CHECK(ring_last_lines(&r, 5, &found) == 10 && found == 0);
	/* A reader from before the clear skips what was cleared. */
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 0 && skipped == 10 && pos == 10);
	/* Positions go on from head; the ring works as before. */
	put(&r, "ijklmno\n"); /* 10..17: wraps */
	CHECK(r.head == 18 && r.tail == 10);
	CHECK_RING(&r, "ijklmno\n");
	CHECK(ring_last_lines(&r, 5, &found) == 10 && found == 1);
	n = ring_read(&r, &pos, buf, sizeof buf, &skipped);
	CHECK(n == 8 && skipped == 0 && pos == 18 && memcmp(buf, "ijklmno\n", 8) == 0);
	put(&r, "pqrstu\n"); /* 18..24 */
	put(&r, "v\n");      /* 25..26: head - tail = 17, "ijklmno\n" goes */
	CHECK(r.head == 27 && r.tail == 18);
	CHECK_RING(&r, "pqrstu\nv\n");
	/* Clearing an empty ring, or twice, changes nothing else. */
	ring_clear(&r);
	ring_clear(&r);
	CHECK(r.head == 27 && r.tail == 27);
	CHECK_RING(&r, "");
}

/* xorshift: the same sequence on every run, so a failure can be replayed. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

#define NLINES 20000
static char text[NLINES * 64];     /* every line ever put, one after another */
static uint64_t start[NLINES + 1]; /* start[i]: position of line i; start[n] = head */

/* The random tests: puts of random lines (1 byte up to size / 2, empty
 * lines included, any byte but '\n' inside) into a ring of `size`, checked
 * after each put against the model, every line ever put. The ring must hold
 * the newest lines that fit in size bytes: exactly those when `strict`;
 * otherwise it may also have lost the oldest of them when they fill the
 * ring exactly (see overwrite_keeps_a_line_that_exactly_fits), so that
 * the rest of the checks still run over the whole sequence. Either way the
 * ring is whole lines, and last_lines and read agree with its tail. */
static void random_against_model(size_t size, uint64_t seed, int strict)
{
	static char buf[4096];
	struct ring r = mkring(size);
	size_t i, j, k, nl = 0;
	char line[64];

	rng = seed;
	start[0] = 0;
	for (i = 0; i < NLINES && !failed_at; i++) {
		size_t len = 1 + (size_t)rnd(rnd(4) ? 12 : size / 2), n, first, held, lo, hi;
		uint64_t head, found, want_found, p, pos, from, skipped;

		for (j = 0; j + 1 < len; j++) {
			line[j] = (char)(rnd(4) ? 'a' + rnd(26) : rnd(256));
			if (line[j] == '\n')
				line[j] = '.';
		}
		line[len - 1] = '\n';
		memcpy(text + start[nl], line, len);
		start[nl + 1] = start[nl] + len;
		nl++;
		ring_put(&r, line, len);

		head = start[nl];
		CHECK(r.head == head);
		lo = nl - 1; /* the oldest line that fits */
		while (lo > 0 && head - start[lo - 1] <= size)
			lo--;
		hi = lo; /* the oldest line that fits with a byte to spare */
		if (head - start[hi] == size)
			hi++;
		first = lo; /* the oldest line the ring holds */
		while (first < nl && start[first] < r.tail)
			first++;
		CHECK(start[first] == r.tail); /* tail is the start of a line */
		if (strict)
			CHECK(first == lo);
		else
			CHECK(first == lo || first == hi);
		if (failed_at)
			break;
		CHECK(memcmp(content(&r), text + r.tail, head - r.tail) == 0);

		/* last_lines for a random n, from 0 to more than held. */
		held = nl - first;
		k = (size_t)rnd(held + 3);
		want_found = k < held ? k : held;
		p = ring_last_lines(&r, k, &found);
		CHECK(found == want_found);
		CHECK(p == start[nl - want_found]);

		/* A reader at a random position, maybe overwritten, with a
		 * random cap: gets what the model has from there. */
		pos = p = rnd(head + 1);
		from = p < r.tail ? r.tail : p;
		k = (size_t)rnd(size + 2);
		n = ring_read(&r, &pos, buf, k, &skipped);
		CHECK(skipped == from - p);
		CHECK(n == (head - from < k ? head - from : k));
		CHECK(pos == from + n);
		CHECK(memcmp(buf, text + from, n) == 0);
	}
	if (failed_at)
		snprintf(failed_buf + strlen(failed_buf), sizeof failed_buf - strlen(failed_buf),
			 " (ring of %zu, put %zu)", size, i);
}

TEST(random_puts_ring_100)
{
	random_against_model(100, 88172645463325252ULL, 1);
}

TEST(random_puts_ring_64)
{
	random_against_model(64, 0x9e3779b97f4a7c15ULL, 1);
}

TEST(random_puts_hold_every_line_that_fits)
{
	random_against_model(100, 88172645463325252ULL, 1);
}

RUN_TESTS("logring", T(put_then_read_round_trip), T(largest_line_is_half_the_ring),
	  T(line_split_across_the_end_of_the_buffer), T(overwriting_moves_tail_to_a_whole_line),
	  T(overwrite_keeps_a_line_that_exactly_fits), T(last_lines), T(last_lines_after_wrap_and_overwrite),
	  T(read_from_an_overwritten_position), T(read_with_a_small_cap), T(clear), T(random_puts_ring_100),
	  T(random_puts_ring_64), T(random_puts_hold_every_line_that_fits))
