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

/* A conversion's flags, width and length modifier. */
struct spec {
	int left, width, lng;
	char fill;
};

/* Read the spec after a '%'; returns where its conversion letter is. */
static const char *parse_spec(const char *f, struct spec *sp)
{
	sp->left = sp->width = sp->lng = 0;
	sp->fill = ' ';
	for (; *f == '-' || *f == '0'; f++) {
		if (*f == '-')
			sp->left = 1;
		else
			sp->fill = '0';
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		sp->lng += *f == 'z' ? 2 : 1;
	return f;
}

static void put_num(struct out *o, const struct spec *sp, unsigned long long u, unsigned base, int neg)
{
	char num[24];
	size_t n = utoa(num + sizeof num, u, base);

	if (neg)
		num[sizeof num - ++n] = '-';
	put_field(o, num + sizeof num - n, n, sp->width, sp->left, sp->fill);
}

/* Convert one argument as c says; returns 0 when c is the format's end
 * (a lone '%' last), so the caller stops. */
static int convert(struct out *o, char c, const struct spec *sp, va_list *ap)
{
	const char *s;
	size_t n;
	char ch;
	long long v;
	unsigned long long u;

	switch (c) {
	case 's':
		s = va_arg(*ap, const char *);
		for (n = 0, s = s ? s : "(null)"; s[n]; n++)
			;
		put_field(o, s, n, sp->width, sp->left, ' ');
		return 1;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_field(o, &ch, 1, sp->width, sp->left, ' ');
		return 1;
	case 'd':
		v = sp->lng >= 2 ? va_arg(*ap, long long) : sp->lng ? va_arg(*ap, long) : va_arg(*ap, int);
		put_num(o, sp, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, 10, v < 0);
		return 1;
	case 'u':
	case 'x':
		u = sp->lng >= 2 ? va_arg(*ap, unsigned long long)
		  : sp->lng      ? va_arg(*ap, unsigned long)
				 : va_arg(*ap, unsigned);
		put_num(o, sp, u, c == 'x' ? 16 : 10, 0);
		return 1;
	case '%': put(o, '%'); return 1;
	}
	put(o, '%'); /* unknown conversion: show it rather than guess */
	if (!c)
		return 0;
	put(o, c);
	return 1;
}

size_t fmt_vfmt(char *dst, size_t cap, const char *f, va_list ap)
{
	struct out o = { dst, cap, 0 };
	struct spec sp;
	va_list aq; /* a copy, so that convert() can take it by address */

	va_copy(aq, ap);
	for (; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp);
		if (!convert(&o, *f, &sp, &aq))
			break;
	}
	va_end(aq);
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
	fmt_fmt(out, FMT_UTC_SIZE, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld", (long long)y, (long long)m,
		(long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
}
