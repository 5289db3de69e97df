/* json.h: initctl's JSON writer, for --json, `events` and the tests.
 *
 * Writes as it goes to a stdio stream, compact (no spaces, no newlines
 * inside a document), so that `events` can give one object per line. The
 * nesting is kept in a fixed array: nothing is allocated. Strings are
 * escaped fully: '"' and '\\', every control character as \u00XX, and
 * bytes that are not valid UTF-8 as \ufffd (one per byte), so any bytes a
 * service or the kernel gave init come out as a valid document. A leaf: it
 * calls nothing else of initctl's.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Objects and arrays nested deeper than this are not opened (a bug: the
 * documents initctl writes are three or four deep). */
#define JSON_DEPTH 16

struct json {
	FILE *out;
	int depth;
	unsigned char has_member[JSON_DEPTH + 1]; /* the container at each depth has one already */
	int after_key;                            /* a key was written: its value comes next */
};

/* Start a document (or one line of a stream of them) on out. */
void json_begin(struct json *j, FILE *out);
/* End it: a newline once everything opened is closed. */
void json_end(struct json *j);

void json_object_open(struct json *j);
void json_object_close(struct json *j);
void json_array_open(struct json *j);
void json_array_close(struct json *j);
/* A member's key, inside an object; its value is the next thing written. */
void json_key(struct json *j, const char *key);

/* Values. */
void json_string(struct json *j, const char *s);
/* n bytes of s, which may hold NULs (written \u0000). */
void json_string_n(struct json *j, const char *s, size_t n);
/* n bytes as a string of lower-case hex digits ("00ff"). */
void json_hex(struct json *j, const void *b, size_t n);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
/* v / 10^places, with that many decimals: json_decimal(j, 253, 2) is 2.53. */
void json_decimal(struct json *j, uint64_t v, unsigned places);
void json_bool(struct json *j, int v);
void json_null(struct json *j);

/* A key and its value, the common case. */
void json_kstring(struct json *j, const char *key, const char *s);
void json_ku64(struct json *j, const char *key, uint64_t v);
void json_ki64(struct json *j, const char *key, int64_t v);
void json_kbool(struct json *j, const char *key, int v);
void json_knull(struct json *j, const char *key);
/* A string, or null when s is empty (an optional text: a service without
 * a working directory, a process without a service). */
void json_kstring_or_null(struct json *j, const char *key, const char *s);
/* A time in seconds since the epoch as two members: KEY, RFC 3339 in UTC
 * ("2026-12-05T22:40:00Z"), and KEY_epoch, the number. 0 means never:
 * both are null. */
void json_ktime(struct json *j, const char *key, uint64_t epoch_s);
/* The same in milliseconds: KEY with three decimals
 * ("2026-12-05T22:40:00.125Z") and KEY_epoch_ms. */
void json_ktime_ms(struct json *j, const char *key, uint64_t epoch_ms);

/* RFC 3339 in UTC of epoch_s (+ ms milliseconds when with_ms), into buf
 * (at least JSON_TIME_SIZE bytes), by civil calendar arithmetic. */
#define JSON_TIME_SIZE 32
void json_rfc3339(uint64_t epoch_s, unsigned ms, int with_ms, char *buf, size_t n);

#endif
