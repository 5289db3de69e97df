/* cbor.c: the writer's shortest forms, the reader on every major type,
 * truncation at every byte, skipping nested items, map_find, and the
 * refusals (indefinite lengths, reserved values, counts larger than the
 * bytes). Expected bytes are written out by hand from RFC 8949. */
#include "cbor.h"
#include "harness.h"

static unsigned char buf[256];
static struct cbor_out o;

/* The writer's output equals want (n bytes). */
static int wrote(const void *want, size_t n)
{
	return !o.overflow && o.len == n && !memcmp(buf, want, n);
}

TEST(heads_take_the_shortest_form)
{
	static const struct {
		uint64_t arg;
		size_t n;
		unsigned char b[9];
	} cases[] = {
		{ 0, 1, { 0x00 } },
		{ 23, 1, { 0x17 } },
		{ 24, 2, { 0x18, 24 } },
		{ 255, 2, { 0x18, 0xff } },
		{ 256, 3, { 0x19, 0x01, 0x00 } },
		{ 65535, 3, { 0x19, 0xff, 0xff } },
		{ 65536, 5, { 0x1a, 0x00, 0x01, 0x00, 0x00 } },
		{ 0xffffffffu, 5, { 0x1a, 0xff, 0xff, 0xff, 0xff } },
		{ 0x100000000ull, 9, { 0x1b, 0, 0, 0, 1, 0, 0, 0, 0 } },
		{ UINT64_MAX, 9, { 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cbor_out_init(&o, buf, sizeof buf);
		cbor_put_head(&o, CBOR_UINT, cases[i].arg);
		CHECK(wrote(cases[i].b, cases[i].n));
	}
	/* The major type goes in the top three bits. */
	cbor_out_init(&o, buf, sizeof buf);
	cbor_put_head(&o, CBOR_MAP, 1);
	cbor_put_head(&o, CBOR_ARRAY, 24);
	cbor_put_head(&o, CBOR_TAG, 18);
	cbor_put_head(&o, CBOR_NEGINT, 0);
	CHECK(wrote("\xa1\x98\x18\xd2\x20", 5));
}

TEST(strings_and_null)
{
	cbor_out_init(&o, buf, sizeof buf);
	cbor_put_text(&o, "nonce");
	cbor_put_bytes(&o, "\x01\x02", 2);
	cbor_put_bytes(&o, 0, 0);
	cbor_put_text(&o, "");
	cbor_put_null(&o);
	CHECK(wrote("\x65nonce\x42\x01\x02\x40\x60\xf6", 12));
}

TEST(overflow_writes_nothing_more)
{
	size_t cut;

	cbor_out_init(&o, buf, 5);
	cbor_put_text(&o, "ab");
	CHECK(!o.overflow && o.len == 3);
	cbor_put_text(&o, "cd"); /* 3 bytes, 2 left: the caller throws it all away */
	CHECK(o.overflow && o.len <= 5);
	cut = o.len;
	cbor_put_null(&o); /* would fit, but the output is already cut */
	CHECK(o.overflow && o.len == cut);
	cbor_out_init(&o, buf, 0);
	cbor_put_null(&o);
	CHECK(o.overflow && o.len == 0);
}

static struct cbor_in in;
static struct cbor_item it;

static void from(const void *b, size_t n)
{
	cbor_in_init(&in, b, n);
}

TEST(reads_every_major_type)
{
	/* 10, -500, h'0102', "hi", [_2], {_1}, 18(...), false, true, null,
	 * a half float, a single, a double, simple(32) */
	static const unsigned char b[] = { 0x0a, 0x39, 0x01, 0xf3, 0x42, 1,    2,    0x62, 'h',  'i',  0x82, 0xa1,
					   0xd2, 0xf4, 0xf5, 0xf6, 0xf9, 0x3c, 0x00, 0xfa, 0x3f, 0x80, 0x00, 0x00,
					   0xfb, 0x3f, 0xf0, 0,    0,    0,    0,    0,    0,    0xf8, 0x20 };
	from(b, sizeof b);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_UINT && it.arg == 10 && !it.data);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_NEGINT && it.arg == 499); /* -1 - 499 */
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_BYTES && it.arg == 2 && it.data == b + 5);
	CHECK(cbor_read(&in, &it) == 0 && cbor_text_is(&it, "hi") && !cbor_text_is(&it, "h") &&
	      !cbor_text_is(&it, "hii"));
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_ARRAY && it.arg == 2);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_MAP && it.arg == 1);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_TAG && it.arg == 18);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == CBOR_FALSE);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == CBOR_TRUE);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == CBOR_NULL);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == 0x3c00);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == 0x3f800000);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == 0x3ff0000000000000ull);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == 32);
	CHECK(in.p == in.end);
	CHECK(cbor_read(&in, &it) < 0); /* nothing left */
	/* A bytes head is not a text: cbor_text_is looks at the type too. */
	from("\x42hi", 3);
	CHECK(cbor_read(&in, &it) == 0 && !cbor_text_is(&it, "hi"));
}

TEST(indefinite_and_reserved_are_refused)
{
	/* ai 31 (indefinite) for strings, arrays and maps, the break code
	 * alone, and the reserved 28-30, in every major type. */
	static const unsigned char bad[] = { 0x5f, 0x7f, 0x9f, 0xbf, 0xff, 0x1c, 0x1d,
					     0x1e, 0x3c, 0x5d, 0x7e, 0xdc, 0xfd };
	size_t i;

	for (i = 0; i < sizeof bad; i++) {
		from(bad + i, 1);
		CHECK(cbor_read(&in, &it) < 0);
		from(bad + i, 1);
		CHECK(cbor_skip(&in) < 0);
	}
	/* Two-byte simple values below 32 are not well-formed (RFC 8949
	 * 3.3): the one-byte form is the only one. */
	from("\xf8\x16", 2);
	CHECK(cbor_read(&in, &it) < 0);
	from("\xf8\x1f", 2);
	CHECK(cbor_read(&in, &it) < 0);
}

TEST(no_input_is_refused)
{
	cbor_in_init(&in, 0, 0); /* a null pointer: no arithmetic on it */
	CHECK(cbor_read(&in, &it) < 0);
	cbor_in_init(&in, 0, 0);
	CHECK(cbor_skip(&in) < 0);
	from("", 0);
	CHECK(cbor_read(&in, &it) < 0);
}

TEST(lengths_larger_than_the_input_are_refused)
{
	from("\x43\x01\x02", 3); /* 3 bytes announced, 2 there */
	CHECK(cbor_read(&in, &it) < 0);
	from("\x5b\xff\xff\xff\xff\xff\xff\xff\xff\x00", 10); /* 2^64-1 bytes */
	CHECK(cbor_read(&in, &it) < 0);
	from("\x7a\x00\x01\x00\x00", 5); /* text of 64 KiB, none there */
	CHECK(cbor_read(&in, &it) < 0);
}

TEST(huge_counts_are_refused_without_walking_them)
{
	/* An array or map of 2^64-1 items in a few bytes: skip must say no
	 * at once (it cannot be walked: every item takes a byte). */
	from("\x9b\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00", 11);
	CHECK(cbor_skip(&in) < 0);
	from("\xbb\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00", 11);
	CHECK(cbor_skip(&in) < 0);
	from("\xbb\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00", 11); /* 2^63 pairs: 2^64 items */
	CHECK(cbor_skip(&in) < 0);
	/* Nested: each level's count is fine alone, the sum is not. */
	from("\x82\x82\x82\x00", 4);
	CHECK(cbor_skip(&in) < 0);
	from("\xa1\x00", 2); /* a map of one pair, its value missing */
	CHECK(cbor_skip(&in) < 0);
}

/* A document shaped like the NSM's: tag 18, [protected bstr, {}, payload
 * bstr, signature bstr], the payload a map with nested maps and arrays. */
static const unsigned char doc[] = {
	0xd2, 0x84,                                                             /* 18([ */
	0x44, 0xa1, 0x01, 0x38, 0x22,                                           /* h'a1013822' ({1: -35}) */
	0xa0,                                                                   /* {} */
	0x58, 0x2b,                                                             /* payload: 43 bytes */
	0xa4,                                                                   /* { */
	0x69, 'm',  'o',  'd',  'u',  'l',  'e',  '_',  'i',  'd',  0x61, 'i',  /* module_id: "i" */
	0x64, 'p',  'c',  'r',  's',  0xa2, 0x00, 0x41, 0xaa, 0x01, 0x41, 0xbb, /* pcrs: {0: h'aa', 1: h'bb'} */
	0x68, 'c',  'a',  'b',  'u',  'n',  'd',  'l',  'e',  0x81, 0x40,       /* cabundle: [h''] */
	0x65, 'n',  'o',  'n',  'c',  'e',  0xf6,                               /* nonce: null } */
	0x42, 0x00, 0x00,                                                       /* signature ]) */
};

TEST(skip_walks_nested_items)
{
	struct cbor_in payload;

	from(doc, sizeof doc);
	CHECK(cbor_skip(&in) == 0 && in.p == in.end);
	/* Into it: the tag, the array, then the payload's map. */
	from(doc, sizeof doc);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_TAG && it.arg == 18);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_ARRAY && it.arg == 4);
	CHECK(cbor_skip(&in) == 0 && cbor_skip(&in) == 0);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_BYTES && it.arg == 43);
	cbor_in_init(&payload, it.data, (size_t)it.arg);
	CHECK(cbor_read(&payload, &it) == 0 && it.major == CBOR_MAP && it.arg == 4);
	CHECK(cbor_skip(&payload) == 0 && cbor_skip(&payload) == 0); /* module_id: "i" */
	CHECK(cbor_skip(&payload) == 0 && cbor_skip(&payload) == 0); /* pcrs: {...} */
	CHECK(cbor_read(&payload, &it) == 0 && cbor_text_is(&it, "cabundle"));
	CHECK(cbor_skip(&payload) == 0);
	CHECK(cbor_skip(&payload) == 0 && cbor_skip(&payload) == 0 && payload.p == payload.end);
	CHECK(cbor_skip(&in) == 0 && in.p == in.end);
}

TEST(truncation_at_every_byte_is_refused)
{
	size_t n;

	for (n = 0; n < sizeof doc; n++) {
		from(doc, n);
		CHECK(cbor_skip(&in) < 0);
	}
}

TEST(map_find)
{
	struct cbor_in payload, val, m;
	struct cbor_item k;

	from(doc + 10, 43); /* the payload */
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_MAP);
	payload = in;
	CHECK(cbor_map_find(&in, it.arg, "pcrs", &val) == 0 && in.p == in.end);
	CHECK(cbor_read(&val, &it) == 0 && it.major == CBOR_MAP && it.arg == 2);
	CHECK(cbor_read(&val, &k) == 0 && k.major == CBOR_UINT && k.arg == 0);
	CHECK(cbor_read(&val, &it) == 0 && it.major == CBOR_BYTES && it.arg == 1 && it.data[0] == 0xaa);
	in = payload;
	CHECK(cbor_map_find(&in, 4, "nonce", &val) == 0);
	CHECK(cbor_read(&val, &it) == 0 && it.major == CBOR_SIMPLE && it.arg == CBOR_NULL);
	in = payload;
	CHECK(cbor_map_find(&in, 4, "user_data", &val) == 1 && in.p == in.end);
	in = payload;
	CHECK(cbor_map_find(&in, 4, "module", &val) == 1); /* a prefix is not the key */
	/* Integer keys are passed over; the first of two equal keys wins. */
	from("\xa3\x01\x02\x61x\x03\x61x\x04", 9);
	m = in;
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, it.arg, "x", &val) == 0);
	CHECK(cbor_read(&val, &it) == 0 && it.arg == 3);
	/* Malformed: a key with contents, a missing value, a count too big. */
	from("\xa1\x81\x00\x00", 4);
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, it.arg, "x", &val) < 0);
	from("\xa1\x61x", 3);
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, it.arg, "x", &val) < 0);
	in = m;
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, 4, "x", &val) < 0);
	from("\xbb\xff\xff\xff\xff\xff\xff\xff\xff", 9);
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, it.arg, "x", &val) < 0);
}

TEST(writer_and_reader_agree)
{
	uint64_t v;

	for (v = 1; v; v <<= 1) {
		uint64_t x[] = { v - 1, v, v + 1 };
		size_t k;

		for (k = 0; k < 3; k++) {
			cbor_out_init(&o, buf, sizeof buf);
			cbor_put_head(&o, CBOR_NEGINT, x[k]);
			from(buf, o.len);
			CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_NEGINT && it.arg == x[k] &&
			      in.p == in.end);
		}
	}
}

RUN_TESTS("cbor", T(heads_take_the_shortest_form), T(strings_and_null), T(overflow_writes_nothing_more),
	  T(reads_every_major_type), T(indefinite_and_reserved_are_refused), T(no_input_is_refused),
	  T(lengths_larger_than_the_input_are_refused), T(huge_counts_are_refused_without_walking_them),
	  T(skip_walks_nested_items), T(truncation_at_every_byte_is_refused), T(map_find),
	  T(writer_and_reader_agree))
