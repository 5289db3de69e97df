/* initctl's JSON writer: structure, escaping (control characters, quotes,
 * invalid UTF-8), numbers and times. */
#include <stdlib.h>

#include "harness.h"
#include "json.h"
#include "memout.h"

static struct json j;

static void begin(void)
{
	json_begin(&j, memout_begin());
}

static const char *end(void)
{
	return memout_end();
}

/* The JSON string of n bytes of s. */
static const char *str(const char *s, size_t n)
{
	begin();
	json_string_n(&j, s, n);
	return end();
}

#define STR(lit) str(lit, sizeof lit - 1)

TEST(nesting_and_commas)
{
	begin();
	json_object_open(&j);
	json_kstring(&j, "a", "x");
	json_key(&j, "b");
	json_array_open(&j);
	json_u64(&j, 1);
	json_object_open(&j);
	json_object_close(&j);
	json_array_open(&j);
	json_array_close(&j);
	json_null(&j);
	json_array_close(&j);
	json_kbool(&j, "c", 1);
	json_kbool(&j, "d", 0);
	json_knull(&j, "e");
	json_object_close(&j);
	json_end(&j);
	CHECK_STR(end(), "{\"a\":\"x\",\"b\":[1,{},[],null],\"c\":true,\"d\":false,\"e\":null}\n");
}

TEST(documents_one_per_line)
{
	begin();
	json_object_open(&j);
	json_ku64(&j, "seq", 1);
	json_object_close(&j);
	json_end(&j);
	json_begin(&j, out);
	json_object_open(&j);
	json_ku64(&j, "seq", 2);
	json_object_close(&j);
	json_end(&j);
	CHECK_STR(end(), "{\"seq\":1}\n{\"seq\":2}\n");
}

TEST(escapes_quotes_backslashes_and_controls)
{
	CHECK_STR(STR("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(STR("\n\t\r\x01\x1f\x7f"), "\"\\u000a\\u0009\\u000d\\u0001\\u001f\\u007f\"");
	CHECK_STR(STR("a\0b"), "\"a\\u0000b\"");
	CHECK_STR(STR(""), "\"\"");
	CHECK_STR(STR("/ ~"), "\"/ ~\"");
}

TEST(valid_utf8_passes_through)
{
	CHECK_STR(STR("caf\xc3\xa9"), "\"caf\xc3\xa9\"");           /* é */
	CHECK_STR(STR("\xe2\x82\xac"), "\"\xe2\x82\xac\"");         /* € */
	CHECK_STR(STR("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\""); /* U+1F600 */
	CHECK_STR(STR("\xef\xbf\xbf"), "\"\xef\xbf\xbf\"");         /* U+FFFF */
	CHECK_STR(STR("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
	CHECK_STR(STR("\xc2\x80"), "\"\xc2\x80\"");                 /* U+0080 */
}

TEST(invalid_utf8_becomes_replacement_characters)
{
	CHECK_STR(STR("\xff"), "\"\\ufffd\"");
	CHECK_STR(STR("a\x80z"), "\"a\\ufffdz\"");                              /* a lone continuation */
	CHECK_STR(STR("\xc0\xaf"), "\"\\ufffd\\ufffd\"");                       /* overlong '/' */
	CHECK_STR(STR("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");            /* overlong, 3 bytes */
	CHECK_STR(STR("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");            /* a surrogate */
	CHECK_STR(STR("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* past U+10FFFF */
	CHECK_STR(STR("\xe2\x82"), "\"\\ufffd\\ufffd\"");                       /* cut off at the end */
	CHECK_STR(STR("\xe2\x82z"), "\"\\ufffd\\ufffdz\"");                     /* cut off by an ASCII byte */
	CHECK_STR(STR("\xc3\xa9\xff\xc3\xa9"), "\"\xc3\xa9\\ufffd\xc3\xa9\"");
}

TEST(numbers)
{
	begin();
	json_array_open(&j);
	json_u64(&j, 0);
	json_u64(&j, UINT64_MAX);
	json_decimal(&j, 253, 2);
	json_decimal(&j, 5, 2);
	json_decimal(&j, 10000, 2);
	json_decimal(&j, 7, 0);
	json_array_close(&j);
	CHECK_STR(end(), "[0,18446744073709551615,2.53,0.05,100.00,7]");
}

TEST(rfc3339)
{
	char t[JSON_TIME_SIZE];

	json_rfc3339(0, 0, 0, t, sizeof t);
	CHECK_STR(t, "1970-01-01T00:00:00Z");
	json_rfc3339(951782400, 0, 0, t, sizeof t); /* a leap day */
	CHECK_STR(t, "2000-02-29T00:00:00Z");
	json_rfc3339(1796510400, 125, 1, t, sizeof t);
	CHECK_STR(t, "2026-12-05T22:40:00.125Z");
	json_rfc3339(4102444799, 0, 0, t, sizeof t);
	CHECK_STR(t, "2099-12-31T23:59:59Z");
	json_rfc3339(UINT64_MAX, 0, 0, t, sizeof t); /* kept to four-digit years */
	CHECK_STR(t, "9999-12-31T23:59:59Z");
}

TEST(times_as_two_members)
{
	begin();
	json_object_open(&j);
	json_ktime(&j, "since", 1796510400);
	json_ktime_ms(&j, "time", 1796510400125ull);
	json_ktime(&j, "never", 0);
	json_object_close(&j);
	CHECK_STR(end(), "{\"since\":\"2026-12-05T22:40:00Z\",\"since_epoch\":1796510400,"
			 "\"time\":\"2026-12-05T22:40:00.125Z\",\"time_epoch_ms\":1796510400125,"
			 "\"never\":null,\"never_epoch\":null}");
}

TEST(optional_strings)
{
	begin();
	json_object_open(&j);
	json_kstring_or_null(&j, "a", "");
	json_kstring_or_null(&j, "b", 0);
	json_kstring_or_null(&j, "c", "x");
	json_object_close(&j);
	CHECK_STR(end(), "{\"a\":null,\"b\":null,\"c\":\"x\"}");
}

RUN_TESTS("json", T(nesting_and_commas), T(documents_one_per_line), T(escapes_quotes_backslashes_and_controls),
	  T(valid_utf8_passes_through), T(invalid_utf8_becomes_replacement_characters), T(numbers), T(rfc3339),
	  T(times_as_two_members), T(optional_strings))
