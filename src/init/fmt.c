/* fmt.c: a small printf into fixed buffers, and UTC dates without libc's
 * time-zone machinery. Never allocates, never writes past cap. */
#include "fmt.h"

struct out {
	char *p;
	size_t cap, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->p[o->len++] = c;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_field(struct out *o, const char *s, size_t n, int width, int left, char fill)
{
	int gap = width > (int)n ? width - (int)n : 0;

	if (!left) {
		/* Zero padding goes after a sign, not before it. */
		if (fill == '0' && n && *s == '-') {
			put(o, *s++);
			n--;
		}
		pad(o, gap, fill);
	}
	while (n--)
		put(o, *s++);
	if (left)
		pad(o, gap, ' ');
}

static size_t utoa(char *end, unsigned long long v, unsigned base)
{
	char *p = end;

	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return (size_t)(end - p);
}

size_t fmt_vfmt(char *dst, size_t cap, const char *f, va_list ap)
{
	struct out o = { dst, cap, 0 };
	char num[24];

	for (; *f; f++) {
		int left = 0, width = 0, lng = 0;
		char fill = ' ';
		unsigned long long u;
		size_t n;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		for (f++; *f == '-' || *f == '0'; f++) {
			if (*f == '-')
				left = 1;
			else
				fill = '0';
		}
		for (; *f >= '0' && *f <= '9'; f++)
			width = width * 10 + (*f - '0');
		for (; *f == 'l' || *f == 'z'; f++)
			lng += *f == 'z' ? 2 : 1;
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (n = 0, s = s ? s : "(null)"; s[n]; n++)
				;
			put_field(&o, s, n, width, left, ' ');
			break;
		}
		case 'c':
			num[0] = (char)va_arg(ap, int);
			put_field(&o, num, 1, width, left, ' ');
			break;
		case 'd': {
			long long v = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
			u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			n = utoa(num + sizeof num, u, 10);
			if (v < 0)
				num[sizeof num - ++n] = '-';
			put_field(&o, num + sizeof num - n, n, width, left, fill);
			break;
		}
		case 'u':
		case 'x':
			u = lng >= 2 ? va_arg(ap, unsigned long long)
			    : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			n = utoa(num + sizeof num, u, *f == 'x' ? 16 : 10);
			put_field(&o, num + sizeof num - n, n, width, left, fill);
			break;
		case '%':
			put(&o, '%');
			break;
		default:  /* unknown conversion: show it rather than guess */
			put(&o, '%');
			if (!*f)
				goto done;
			put(&o, *f);
		}
	}
done:
	if (cap)
		dst[o.len] = 0;
	return o.len;
}

size_t fmt_fmt(char *dst, size_t cap, const char *f, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, f);
	n = fmt_vfmt(dst, cap, f, ap);
	va_end(ap);
	return n;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), after
 * Howard Hinnant's days_from_civil inverse: exact for any int64 input
 * that fits a year in int. */
void fmt_utc(char *out, int64_t t)
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z, era, doe, yoe, y, doy, mp, d, m;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	fmt_fmt(out, FMT_UTC_SIZE, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", (long long)y,
		(long long)m, (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
		(long long)(secs % 60));
}
