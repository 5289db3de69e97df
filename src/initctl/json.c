/* json.c: the JSON writer (see json.h). Writes straight to its stream;
 * the only state is the nesting, in a fixed array. */
#include <string.h>

#include "json.h"
#include "utf8.h"

void json_begin(struct json *j, FILE *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

void json_end(struct json *j)
{
	if (!j->depth)
		fputc('\n', j->out);
}

/* Before any value or key: the comma after the container's previous member. */
static void separate(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->has_member[j->depth])
		fputc(',', j->out);
	j->has_member[j->depth] = 1;
}

static void open_container(struct json *j, int c)
{
	separate(j);
	fputc(c, j->out);
	if (j->depth < JSON_DEPTH)
		j->has_member[++j->depth] = 0;
}

static void close_container(struct json *j, int c)
{
	fputc(c, j->out);
	if (j->depth)
		j->depth--;
}

void json_object_open(struct json *j)
{
	open_container(j, '{');
}

void json_object_close(struct json *j)
{
	close_container(j, '}');
}

void json_array_open(struct json *j)
{
	open_container(j, '[');
}

void json_array_close(struct json *j)
{
	close_container(j, ']');
}

void json_string_n(struct json *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;

	separate(j);
	fputc('"', j->out);
	while (i < n) {
		unsigned c = p[i];

		if (c == '"' || c == '\\') {
			fputc('\\', j->out);
			fputc((int)c, j->out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(j->out, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc((int)c, j->out);
			i++;
		} else if ((len = utf8_len(p + i, n - i))) {
			fwrite(p + i, 1, len, j->out);
			i += len;
		} else {
			fputs("\\ufffd", j->out); /* one replacement per byte that starts nothing */
			i++;
		}
	}
	fputc('"', j->out);
}

void json_string(struct json *j, const char *s)
{
	json_string_n(j, s, strlen(s));
}

void json_key(struct json *j, const char *key)
{
	json_string(j, key);
	fputc(':', j->out);
	j->after_key = 1;
}

void json_hex(struct json *j, const void *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = b;
	size_t i;

	separate(j);
	fputc('"', j->out);
	for (i = 0; i < n; i++) {
		fputc(digits[p[i] >> 4], j->out);
		fputc(digits[p[i] & 15], j->out);
	}
	fputc('"', j->out);
}

void json_u64(struct json *j, uint64_t v)
{
	separate(j);
	fprintf(j->out, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, int64_t v)
{
	separate(j);
	fprintf(j->out, "%lld", (long long)v);
}

void json_decimal(struct json *j, uint64_t v, unsigned places)
{
	uint64_t scale = 1;
	unsigned k;

	for (k = 0; k < places && k < 19; k++)
		scale *= 10;
	separate(j);
	if (!k)
		fprintf(j->out, "%llu", (unsigned long long)v);
	else
		fprintf(j->out, "%llu.%0*llu", (unsigned long long)(v / scale), (int)k,
			(unsigned long long)(v % scale));
}

void json_bool(struct json *j, int v)
{
	separate(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	separate(j);
	fputs("null", j->out);
}

void json_kstring(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_ku64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_ki64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_i64(j, v);
}

void json_kbool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

void json_kstring_or_null(struct json *j, const char *key, const char *s)
{
	if (s && *s)
		json_kstring(j, key, s);
	else
		json_knull(j, key);
}

/* The last second RFC 3339 can write (four-digit years). */
#define LAST_TIME 253402300799ull

void json_rfc3339(uint64_t epoch_s, unsigned ms, int with_ms, char *buf, size_t n)
{
	/* Days to a civil date (Howard Hinnant's days_from_civil, inverted),
	 * in integers: the C library's time-zone code may allocate. */
	uint64_t t = epoch_s > LAST_TIME ? LAST_TIME : epoch_s;
	long long z = (long long)(t / 86400) + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	long long y = (long long)yoe + era * 400 + (m <= 2);
	unsigned sod = (unsigned)(t % 86400);

	if (with_ms)
		snprintf(buf, n, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", y, m, d, sod / 3600, sod / 60 % 60,
			 sod % 60, ms % 1000);
	else
		snprintf(buf, n, "%04lld-%02u-%02uT%02u:%02u:%02uZ", y, m, d, sod / 3600, sod / 60 % 60, sod % 60);
}

/* KEY and KEY<suffix>: the time in words and as a number, or both null. */
static void ktime(struct json *j, const char *key, const char *suffix, uint64_t v, uint64_t s, unsigned ms,
		  int with_ms)
{
	char name[96], when[JSON_TIME_SIZE];

	snprintf(name, sizeof name, "%s%s", key, suffix);
	if (!v) {
		json_knull(j, key);
		json_knull(j, name);
		return;
	}
	json_rfc3339(s, ms, with_ms, when, sizeof when);
	json_kstring(j, key, when);
	json_ku64(j, name, v);
}

void json_ktime(struct json *j, const char *key, uint64_t epoch_s)
{
	ktime(j, key, "_epoch", epoch_s, epoch_s, 0, 0);
}

void json_ktime_ms(struct json *j, const char *key, uint64_t epoch_ms)
{
	ktime(j, key, "_epoch_ms", epoch_ms, epoch_ms / 1000, (unsigned)(epoch_ms % 1000), 1);
}
