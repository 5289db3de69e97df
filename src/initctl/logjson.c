/* logjson.c: log lines as JSON (see logjson.h). */
#include <string.h>

#include "logjson.h"

void logjson_begin(struct logjson *l, FILE *out, const char *service, int follow)
{
	l->out = out;
	l->service = service;
	l->follow = follow;
	l->opened = 0;
	l->len = 0;
}

static void open_doc(struct logjson *l)
{
	if (l->opened || l->follow)
		return;
	json_begin(&l->j, l->out);
	json_object_open(&l->j);
	json_kstring(&l->j, "service", l->service);
	json_key(&l->j, "lines");
	json_array_open(&l->j);
	l->opened = 1;
}

/* The n digits at s as a number, or -1 when one is not a digit. */
static long digits(const char *s, int n)
{
	long v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Seconds since the epoch of a civil date in UTC (Howard Hinnant's
 * days_from_civil). */
static long long epoch_of(long y, long m, long d, long hh, long mm, long ss)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((era * 146097 + doe - 719468) * 86400) + hh * 3600 + mm * 60 + ss;
}

#define PREFIX_LEN 22 /* "[YYYY-MM-DD HH:MM:SS] " */

/* The time of init's prefix on s (n bytes), or 0 when s has none. */
static unsigned long long prefix_time(const char *s, size_t n)
{
	long y, mo, d, h, mi, se;

	if (n < PREFIX_LEN || s[0] != '[' || s[5] != '-' || s[8] != '-' || s[11] != ' ' || s[14] != ':' ||
	    s[17] != ':' || s[20] != ']' || s[21] != ' ')
		return 0;
	y = digits(s + 1, 4), mo = digits(s + 6, 2), d = digits(s + 9, 2);
	h = digits(s + 12, 2), mi = digits(s + 15, 2), se = digits(s + 18, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
	    se > 60)
		return 0;
	return (unsigned long long)epoch_of(y, mo, d, h, mi, se);
}

static void write_line(struct logjson *l, const char *s, size_t n)
{
	unsigned long long t = prefix_time(s, n);
	struct json lone, *j = &l->j;

	if (n && s[n - 1] == '\r')
		n--;
	if (l->follow) {
		json_begin(&lone, l->out);
		j = &lone;
	} else {
		open_doc(l);
	}
	json_object_open(j);
	json_ktime(j, "time", t);
	if (t)
		json_key(j, "text"), json_string_n(j, s + PREFIX_LEN, n - PREFIX_LEN);
	else
		json_key(j, "text"), json_string_n(j, s, n);
	json_object_close(j);
	if (l->follow) {
		json_end(j);
		fflush(l->out);
	}
}

void logjson_feed(struct logjson *l, const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (bytes[i] == '\n') {
			write_line(l, l->line, l->len);
			l->len = 0;
			continue;
		}
		if (l->len == sizeof l->line) {
			write_line(l, l->line, l->len);
			l->len = 0;
		}
		l->line[l->len++] = bytes[i];
	}
}

void logjson_end(struct logjson *l)
{
	if (l->len)
		write_line(l, l->line, l->len);
	l->len = 0;
	if (l->follow)
		return;
	open_doc(l);
	json_array_close(&l->j);
	json_object_close(&l->j);
	json_end(&l->j);
}
