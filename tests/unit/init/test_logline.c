/* logline: a service's output, in arbitrary pieces, cut into log lines.
 *
 * The emitted lines are collected and shown joined with '|' (a '|' in the
 * input is avoided where that would be ambiguous). The last test feeds
 * random bytes in random chunks and compares with feeding them whole and
 * with a simple model of the rules: escape, then cut greedily.
 */
#include <stdint.h>

#include "harness.h"
#include "logline.h"

struct out {
	char text[1 << 17];
	size_t len;
	size_t start[1 << 16]; /* start[i]: where piece i begins in text */
	size_t n;
	size_t cap;   /* of the linebuf that emits */
	int too_long; /* a piece longer than cap was emitted */
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct out *o = ctx;

	if (len > o->cap)
		o->too_long = 1;
	if (o->n + 1 >= sizeof o->start / sizeof o->start[0] || o->len + len + 1 > sizeof o->text) {
		o->too_long = 1;
		return;
	}
	o->start[o->n++] = o->len;
	memcpy(o->text + o->len, line, len);
	o->len += len;
	o->text[o->len++] = '|';
	o->text[o->len] = 0;
}

static char storage[1 << 16];
static struct out o;

static struct linebuf mk(size_t cap)
{
	struct linebuf lb = { storage, cap, 0, 0 };
	memset(&o, 0, sizeof o);
	o.cap = cap;
	memset(storage, '#', sizeof storage);
	return lb;
}

static void feed(struct linebuf *lb, const char *s)
{
	line_feed(lb, s, strlen(s), collect, &o);
}

/* What was emitted so far: each piece followed by '|'. */
static const char *emitted(void)
{
	return o.too_long ? "(a piece longer than cap)" : o.text;
}

TEST(one_line_in_one_piece)
{
	struct linebuf lb = mk(64);

	feed(&lb, "hello, world\n");
	CHECK_STR(emitted(), "hello, world|");
	CHECK(o.n == 1 && lb.len == 0 && lb.cr == 0);
	feed(&lb, "\n"); /* an empty line is a line */
	CHECK_STR(emitted(), "hello, world||");
}

TEST(one_line_byte_by_byte)
{
	struct linebuf lb = mk(64);
	const char *s = "a line, one byte at a time\n";

	for (; *s; s++) {
		CHECK(o.n == 0);
		line_feed(&lb, s, 1, collect, &o);
	}
	CHECK_STR(emitted(), "a line, one byte at a time|");
	/* A feed of 0 bytes does nothing. */
	line_feed(&lb, "x", 0, collect, &o);
	line_flush(&lb, collect, &o);
	CHECK(o.n == 1);
}

TEST(several_lines_in_one_piece)
{
	struct linebuf lb = mk(64);

	feed(&lb, "one\ntwo\n\nfour\nfi");
	CHECK_STR(emitted(), "one|two||four|");
	CHECK(lb.len == 2);
	feed(&lb, "ve\nsix");
	CHECK_STR(emitted(), "one|two||four|five|");
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "one|two||four|five|six|");
}

TEST(crlf_is_one_newline)
{
	struct linebuf lb = mk(64);

	feed(&lb, "dos\r\nline\r\n\r\n");
	CHECK_STR(emitted(), "dos|line||");
	/* '\r' at the end of one feed, '\n' at the start of the next. */
	feed(&lb, "split\r");
	CHECK_STR(emitted(), "dos|line||");
	feed(&lb, "\nnext\r");
	CHECK_STR(emitted(), "dos|line||split|");
	feed(&lb, "\n");
	CHECK_STR(emitted(), "dos|line||split|next|");
	/* "\r\r\n": the first '\r' is a lone one. */
	feed(&lb, "x\r\r\n");
	CHECK_STR(emitted(), "dos|line||split|next|x\\x0d|");
	/* Fed byte by byte. */
	line_feed(&lb, "\r", 1, collect, &o);
	line_feed(&lb, "\n", 1, collect, &o);
	CHECK_STR(emitted(), "dos|line||split|next|x\\x0d||");
	CHECK(lb.cr == 0 && lb.len == 0);
}

TEST(lone_cr_is_escaped)
{
	struct linebuf lb = mk(64);

	feed(&lb, "progress 10%\rprogress 20%\r\n");
	CHECK_STR(emitted(), "progress 10%\\x0dprogress 20%|");
	/* Held at the end of a feed, then something other than '\n'. */
	lb = mk(64);
	feed(&lb, "a\r");
	feed(&lb, "b\n");
	CHECK_STR(emitted(), "a\\x0db|");
	/* Held, then a control character, then another '\r'. */
	lb = mk(64);
	feed(&lb, "\r");
	feed(&lb, "\x01\r");
	feed(&lb, "\r\n");
	CHECK_STR(emitted(), "\\x0d\\x01\\x0d|");
	/* At the start and end of a line, and a flush with one held. */
	lb = mk(64);
	feed(&lb, "\rz\r");
	CHECK(o.n == 0);
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "\\x0dz\\x0d|");
	CHECK(lb.cr == 0 && lb.len == 0);
}

TEST(control_characters_are_escaped)
{
	struct linebuf lb = mk(64);
	static const char in[] = "a\0b\x01\x1b[1m\x1f\x7f\n";

	line_feed(&lb, in, sizeof in - 1, collect, &o); /* the NUL included */
	CHECK_STR(emitted(), "a\\x00b\\x01\\x1b[1m\\x1f\\x7f|");
	/* Tab stays, space and '~' stay, bytes from 0x80 pass (UTF-8 or not). */
	lb = mk(64);
	feed(&lb, "\tx y~\xc3\xa9\xe2\x82\xac\x80\xff\n");
	CHECK_STR(emitted(), "\tx y~\xc3\xa9\xe2\x82\xac\x80\xff|");
	/* A lone NUL line, and form feed / vertical tab / backspace. */
	lb = mk(64);
	line_feed(&lb, "\0\n\f\v\b\n", 6, collect, &o);
	CHECK_STR(emitted(), "\\x00|\\x0c\\x0b\\x08|");
}

TEST(every_byte_value)
{
	static const char hex[] = "0123456789abcdef";
	struct linebuf lb;
	char want[8];
	int c;

	for (c = 0; c < 256 && !failed_at; c++) {
		char in[2] = { (char)c, '\n' };
		if (c == '\n' || c == '\r' || c == '|')
			continue;
		lb = mk(16);
		line_feed(&lb, in, 2, collect, &o);
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			want[0] = '\\';
			want[1] = 'x';
			want[2] = hex[c >> 4];
			want[3] = hex[c & 15];
			want[4] = '|';
			want[5] = 0;
		} else {
			want[0] = (char)c;
			want[1] = '|';
			want[2] = 0;
		}
		CHECK_STR(emitted(), want);
		CHECK(o.n == 1);
	}
}

TEST(long_line_is_cut_at_cap_nothing_dropped)
{
	struct linebuf lb = mk(8);

	feed(&lb, "abcdefghijklmnopqrst\n");
	CHECK_STR(emitted(), "abcdefgh|ijklmnop|qrst|");
	/* Exactly cap bytes: one line, no empty piece after it. */
	lb = mk(8);
	feed(&lb, "abcdefgh\n");
	CHECK_STR(emitted(), "abcdefgh|");
	lb = mk(8);
	feed(&lb, "abcdefghijklmnop\n");
	CHECK_STR(emitted(), "abcdefgh|ijklmnop|");
	/* One more than cap. */
	lb = mk(8);
	feed(&lb, "abcdefghi\n");
	CHECK_STR(emitted(), "abcdefgh|i|");
	/* Byte by byte, with "\r\n" at a cut. */
	lb = mk(8);
	{
		const char *s = "0123456789abcdefgh\r\nxy\r\n";
		for (; *s; s++)
			line_feed(&lb, s, 1, collect, &o);
	}
	CHECK_STR(emitted(), "01234567|89abcdef|gh|xy|");
	/* A full buffer, then a flush. */
	lb = mk(8);
	feed(&lb, "abcdefgh");
	CHECK(o.n == 0);
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "abcdefgh|");
}

TEST(escapes_are_never_split)
{
	struct linebuf lb = mk(8);

	/* 6 + 4 > 8: the escape starts the next piece. */
	feed(&lb, "abcdef\x01gh\n");
	CHECK_STR(emitted(), "abcdef|\\x01gh|");
	/* 4 + 4 = 8 fits exactly. */
	lb = mk(8);
	feed(&lb, "abcd\x02x\n");
	CHECK_STR(emitted(), "abcd\\x02|x|");
	/* 5 + 4 > 8. */
	lb = mk(8);
	feed(&lb, "abcde\x03\x04\x05\n");
	CHECK_STR(emitted(), "abcde|\\x03\\x04|\\x05|");
	/* The smallest buffer, 4: an escape fills a piece. */
	lb = mk(4);
	feed(&lb, "\x01\x02"
		  "a\x7f"
		  "bcde\n");
	CHECK_STR(emitted(), "\\x01|\\x02|a|\\x7f|bcde|");
	/* A lone '\r' at a cut. */
	lb = mk(8);
	feed(&lb, "abcdefg\rh\n");
	CHECK_STR(emitted(), "abcdefg|\\x0dh|");
}

TEST(flush)
{
	struct linebuf lb = mk(64);

	line_flush(&lb, collect, &o);
	CHECK(o.n == 0); /* nothing unfinished: nothing */
	feed(&lb, "done\n");
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "done|");
	feed(&lb, "partial");
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "done|partial|");
	line_flush(&lb, collect, &o); /* twice: the second does nothing */
	CHECK_STR(emitted(), "done|partial|");
	CHECK(lb.len == 0 && lb.cr == 0);
	/* The buffer is reusable after a flush. */
	feed(&lb, "again\n");
	CHECK_STR(emitted(), "done|partial|again|");
	/* A flush after a cut emits only the rest. */
	lb = mk(4);
	feed(&lb, "abcdef");
	line_flush(&lb, collect, &o);
	CHECK_STR(emitted(), "abcd|ef|");
}

/* xorshift: the same sequence on every run. */
static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

/* The model: escape each byte of a line (1 or 4 bytes), pack the results
 * greedily into pieces of at most cap, emit each piece; '\n' ends a line,
 * "\r\n" too; at the end an unfinished line is emitted if it has anything. */
static size_t model(const unsigned char *in, size_t n, size_t cap, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, len = 0, piece = 0;
	int open = 0; /* an unfinished line has bytes */

	for (i = 0; i < n; i++) {
		unsigned char c = in[i];
		char tok[4];
		size_t t;

		if (c == '\n' || (c == '\r' && i + 1 < n && in[i + 1] == '\n')) {
			if (c == '\r')
				i++;
			out[len++] = '|';
			piece = 0;
			open = 0;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			tok[0] = '\\', tok[1] = 'x', tok[2] = hex[c >> 4], tok[3] = hex[c & 15];
			t = 4;
		} else {
			tok[0] = (char)c;
			t = 1;
		}
		if (piece + t > cap) {
			out[len++] = '|';
			piece = 0;
		}
		memcpy(out + len, tok, t);
		len += t;
		piece += t;
		open = 1;
	}
	if (open)
		out[len++] = '|';
	out[len] = 0;
	return len;
}

static unsigned char input[20000];
static char want[4 * 20000 + 20000];
static char whole[sizeof o.text];

TEST(random_chunks_same_as_whole_and_as_model)
{
	static const unsigned char alphabet[] = "ab \t\r\n\r\n\x00\x01\x1b\x7f\xc3\xa9\xff";
	struct linebuf lb;
	int round;

	for (round = 0; round < 300 && !failed_at; round++) {
		size_t cap = 4 + (size_t)rnd(round % 3 ? 20 : 200);
		size_t n = (size_t)rnd(sizeof input), i;

		for (i = 0; i < n; i++) {
			if (rnd(3))
				input[i] = alphabet[rnd(sizeof alphabet - 1)];
			else
				input[i] = (unsigned char)rnd(256);
			if (input[i] == '|')
				input[i] = '!';
			if (round % 5 == 0 && input[i] == '\n' && rnd(20))
				input[i] = 'z'; /* some rounds: long lines */
		}
		model(input, n, cap, want);

		lb = mk(cap);
		line_feed(&lb, (const char *)input, n, collect, &o);
		line_flush(&lb, collect, &o);
		CHECK(!o.too_long);
		CHECK(strcmp(o.text, want) == 0);
		memcpy(whole, o.text, o.len + 1);

		lb = mk(cap);
		for (i = 0; i < n;) {
			size_t k = (size_t)rnd(rnd(4) ? 4 : 300);
			if (k > n - i)
				k = n - i;
			line_feed(&lb, (const char *)input + i, k, collect, &o);
			i += k;
		}
		line_flush(&lb, collect, &o);
		CHECK(!o.too_long);
		CHECK(strcmp(o.text, whole) == 0);
	}
	if (failed_at)
		snprintf(failed_buf + strlen(failed_buf), sizeof failed_buf - strlen(failed_buf), " (round %d)",
			 round - 1);
}

RUN_TESTS("logline", T(one_line_in_one_piece), T(one_line_byte_by_byte), T(several_lines_in_one_piece),
	  T(crlf_is_one_newline), T(lone_cr_is_escaped), T(control_characters_are_escaped), T(every_byte_value),
	  T(long_line_is_cut_at_cap_nothing_dropped), T(escapes_are_never_split), T(flush),
	  T(random_chunks_same_as_whole_and_as_model))
