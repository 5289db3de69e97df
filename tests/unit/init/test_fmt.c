/* fmt: the printf init uses, and UTC dates without libc's time code. */
#include <stdarg.h>
#include <stdint.h>

#include "fmt.h"
#include "harness.h"

static char buf[64];

/* fmt_fmt without the compiler's format checking, for deliberately odd
 * formats and arguments. */
static size_t raw(char *dst, size_t cap, const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = fmt_vfmt(dst, cap, f, ap);
	va_end(ap);
	return n;
}

TEST(conversions)
{
	fmt_fmt(buf, sizeof buf, "%s=%d,%u,%x,%c,%%", "k", -42, 42u, 255u, 'z');
	CHECK_STR(buf, "k=-42,42,ff,z,%");
	fmt_fmt(buf, sizeof buf, "%lld %llu %zu %ld", (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
		(size_t)7, -1L);
	CHECK_STR(buf, "-9223372036854775808 18446744073709551615 7 -1");
	fmt_fmt(buf, sizeof buf, "[%5s][%-5s][%05d][%016llx][%03d]", "ab", "ab", -42, 0xabcULL, 7);
	CHECK_STR(buf, "[   ab][ab   ][-0042][0000000000000abc][007]");
	raw(buf, sizeof buf, "%s", (char *)0);
	CHECK_STR(buf, "(null)");
}

TEST(never_overflows)
{
	char small[8];
	memset(buf, 'Z', sizeof buf);
	CHECK(fmt_fmt(buf, 5, "%s", "abcdefgh") == 4);
	CHECK_STR(buf, "abcd");
	CHECK(buf[5] == 'Z');
	CHECK(fmt_fmt(small, sizeof small, "%016llx", 1ULL) == 7);
	CHECK_STR(small, "0000000");
	CHECK(fmt_fmt(buf, 1, "%d", 12345) == 0 && buf[0] == 0);
}

TEST(unknown_conversion_is_shown)
{
	raw(buf, sizeof buf, "a%qb");
	CHECK_STR(buf, "a%qb");
	raw(buf, sizeof buf, "end%");
	CHECK_STR(buf, "end%");
}

TEST(utc_dates)
{
	static const struct {
		int64_t t;
		const char *want;
	} cases[] = {
		{ 0, "1970-01-01 00:00:00" },
		{ 951782400, "2000-02-29 00:00:00" }, /* leap day of a 400-year leap */
		{ 1234567890, "2009-02-13 23:31:30" },
		{ 2147483647, "2038-01-19 03:14:07" },
		{ 2147483648LL, "2038-01-19 03:14:08" },
		{ 4107542399LL, "2100-02-28 23:59:59" },
		{ 4107542400LL, "2100-03-01 00:00:00" }, /* 2100 is not a leap year */
		{ -1, "1969-12-31 23:59:59" },
		{ 1795132800LL, "2026-11-20 00:00:00" },
	};
	char out[FMT_UTC_SIZE];
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fmt_utc(out, cases[i].t);
		CHECK_STR(out, cases[i].want);
	}
}

RUN_TESTS("fmt", T(conversions), T(never_overflows), T(unknown_conversion_is_shown), T(utc_dates))
