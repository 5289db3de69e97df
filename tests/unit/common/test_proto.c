/* Frame codec: byte order, string fields, and every validation rule. */
#include "harness.h"
#include "proto_layout.h"

#define HASH 0x0123456789abcdefULL

static unsigned char f[PROTO_FRAME_SIZE];

static enum proto_status check(void)
{
	const char *why = 0;
	struct proto_req rq;
	enum proto_status st = proto_unpack_request(f, HASH, &rq, &why);
	CHECK(st == PROTO_OK || why);
	return st;
}

TEST(byte_order_is_big_endian)
{
	proto_init(f, 0x0102, 0x1112131415161718ULL);
	CHECK(f[0] == 0x45 && f[1] == 0x4e && f[2] == 0x49 && f[3] == 0x54); /* "ENIT" */
	CHECK(f[6] == 0x01 && f[7] == 0x02);
	CHECK(f[8] == 0x11 && f[15] == 0x18);
	proto_put32(f, PROTO_OFF_ARG0, 0xa1b2c3d4u);
	CHECK(f[20] == 0xa1 && f[23] == 0xd4);
	CHECK(proto_get32(f, PROTO_OFF_ARG0) == 0xa1b2c3d4u);
	CHECK(proto_get64(f, PROTO_OFF_HASH) == 0x1112131415161718ULL);
}

TEST(string_fields_are_cut_and_terminated)
{
	char longname[200];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	proto_init(f, PROTO_OP_STATUS, HASH);
	CHECK(proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, longname) == PROTO_NAME_SIZE - 1);
	CHECK(f[PROTO_OFF_NAME + PROTO_NAME_SIZE - 1] == 0);
	CHECK(f[PROTO_OFF_TEXT] == 0); /* did not spill into the next field */
	memset(f + PROTO_OFF_NAME, 'x', PROTO_NAME_SIZE);
	CHECK(proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE) == 0);
}

TEST(valid_requests_pass)
{
	proto_init(f, PROTO_OP_PING, HASH);
	CHECK(check() == PROTO_OK);
	proto_init(f, PROTO_OP_STATUS, HASH);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web-1.api@x_y");
	CHECK(check() == PROTO_OK);
}

TEST(each_bad_field_is_refused)
{
	proto_init(f, PROTO_OP_PING, HASH);
	f[0] ^= 1;
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_VERSION, 2);
	CHECK(check() == PROTO_E_VERSION);
	proto_init(f, PROTO_OP_MAX + 1, HASH);
	CHECK(check() == PROTO_E_OP);
	proto_init(f, 0, HASH);
	CHECK(check() == PROTO_E_OP);
	proto_init(f, PROTO_OP_PING, HASH + 1);
	CHECK(check() == PROTO_E_CONFIG);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_STATUS, 1);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, 0x8000);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	f[PROTO_FRAME_SIZE - 1] = 1;
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put32(f, PROTO_OFF_ARG2, 1);
	CHECK(check() == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, "web");
	CHECK(check() == PROTO_E_FRAME); /* ping takes no name */
	proto_init(f, PROTO_OP_START, HASH);
	CHECK(check() == PROTO_E_FRAME); /* start needs one */
}

TEST(service_names)
{
	CHECK(proto_name_ok("web"));
	CHECK(proto_name_ok("a.b-c_d@e"));
	CHECK(!proto_name_ok(""));
	CHECK(!proto_name_ok(".hidden"));
	CHECK(!proto_name_ok("-flag"));
	CHECK(!proto_name_ok("a/b"));
	CHECK(!proto_name_ok("a b"));
	CHECK(!proto_name_ok("a\nb"));
	CHECK(!proto_name_ok(".."));
	CHECK(proto_name_ok("012345678901234567890123456789012345678901234567890123456789012"));
	CHECK(!proto_name_ok("0123456789012345678901234567890123456789012345678901234567890123"));
}

TEST(replies_checked_too)
{
	const char *why;
	proto_init(f, PROTO_REC_DONE, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	CHECK(proto_check_reply(f, &why) == PROTO_OK);
	proto_put16(f, PROTO_OFF_FLAGS, 0);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* DONE must be final */
	proto_init(f, PROTO_REC_SVC, HASH);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* only DONE is final */
	proto_init(f, PROTO_REC_TEXT, HASH);
	memset(f + PROTO_OFF_TEXT, 'x', PROTO_TEXT_SIZE);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME);
	proto_init(f, PROTO_OP_PING, HASH);
	CHECK(proto_check_reply(f, &why) == PROTO_E_FRAME); /* a request is not a reply */
}

RUN_TESTS("proto", T(byte_order_is_big_endian), T(string_fields_are_cut_and_terminated), T(valid_requests_pass),
	  T(each_bad_field_is_refused), T(service_names), T(replies_checked_too))
