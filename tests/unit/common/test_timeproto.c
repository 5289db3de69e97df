/* timeproto.c: the frame's bytes written out by hand, a round trip, and
 * every refusal (size, magic, version, kind, reserved bytes, a request
 * with a time, a reply's time out of range). */
#include "harness.h"
#include "timeproto.h"

static const unsigned char reply_bytes[TIMEPROTO_SIZE] = {
	0x45, 0x43, 0x4c, 0x4b,                         /* "ECLK" */
	0x00, 0x01,                                     /* version 1 */
	0x00, 0x02,                                     /* reply */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* nonce */
	0x18, 0x3b, 0x6c, 0x2e, 0x7e, 0x1a, 0x00, 0x00, /* time */
	0,    0,    0,    0,    0,    0,    0,    0,
};

TEST(reply_packs_to_the_bytes_and_back)
{
	struct timeproto_msg m = { TIMEPROTO_REPLY, 0x0102030405060708ULL, 0x183b6c2e7e1a0000ULL }, back;
	unsigned char f[TIMEPROTO_SIZE];

	timeproto_pack(f, &m);
	CHECK(!memcmp(f, reply_bytes, sizeof f));
	CHECK(timeproto_unpack(f, sizeof f, &back) == 0);
	CHECK(back.kind == TIMEPROTO_REPLY && back.nonce == m.nonce && back.time_ns == m.time_ns);
}

TEST(request_round_trip)
{
	struct timeproto_msg m = { TIMEPROTO_REQUEST, 42, 0 }, back;
	unsigned char f[TIMEPROTO_SIZE];

	timeproto_pack(f, &m);
	CHECK(timeproto_unpack(f, sizeof f, &back) == 0);
	CHECK(back.kind == TIMEPROTO_REQUEST && back.nonce == 42 && back.time_ns == 0);
	f[23] = 1; /* a request carries no time */
	CHECK(timeproto_unpack(f, sizeof f, &back) < 0);
}

/* Each byte of the header and of the reserved field, changed, is refused;
 * the nonce and time bytes are the peer's to choose (within range). */
TEST(every_changed_fixed_byte_is_refused)
{
	unsigned char f[TIMEPROTO_SIZE];
	struct timeproto_msg m;
	size_t k;

	for (k = 0; k < TIMEPROTO_SIZE; k++) {
		if (k >= 8 && k < 24)
			continue;
		memcpy(f, reply_bytes, sizeof f);
		f[k] ^= (k == 7) ? 0x03 : 0x01; /* kind 2 -> 1 would be a request with a time: refused too */
		CHECK(timeproto_unpack(f, sizeof f, &m) < 0);
	}
}

TEST(sizes_other_than_the_frame_are_refused)
{
	struct timeproto_msg m;

	CHECK(timeproto_unpack(reply_bytes, TIMEPROTO_SIZE - 1, &m) < 0);
	CHECK(timeproto_unpack(reply_bytes, TIMEPROTO_SIZE + 1, &m) < 0);
	CHECK(timeproto_unpack(reply_bytes, 0, &m) < 0);
}

TEST(reply_time_must_be_below_2_62)
{
	struct timeproto_msg m = { TIMEPROTO_REPLY, 1, ((uint64_t)1 << 62) - 1 }, back;
	unsigned char f[TIMEPROTO_SIZE];

	timeproto_pack(f, &m);
	CHECK(timeproto_unpack(f, sizeof f, &back) == 0);
	m.time_ns = (uint64_t)1 << 62;
	timeproto_pack(f, &m);
	CHECK(timeproto_unpack(f, sizeof f, &back) < 0);
	m.time_ns = UINT64_MAX;
	timeproto_pack(f, &m);
	CHECK(timeproto_unpack(f, sizeof f, &back) < 0);
}

RUN_TESTS("timeproto", T(reply_packs_to_the_bytes_and_back), T(request_round_trip),
	  T(every_changed_fixed_byte_is_refused), T(sizes_other_than_the_frame_are_refused),
	  T(reply_time_must_be_below_2_62))
