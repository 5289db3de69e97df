/* cbor.h: just enough CBOR (RFC 8949) for the Nitro Secure Module: its
 * requests are written, its replies and attestation documents read.
 *
 * Both directions work in the caller's fixed buffers: nothing is
 * allocated, nothing recurses (a hostile document cannot exhaust the
 * stack), and every length is checked against the bytes that are there
 * before it is used. Definite lengths only: the NSM writes no other kind,
 * and an indefinite item is refused as malformed. init writes requests
 * and finds the document in a reply; initctl takes the document apart.
 */
#ifndef CBOR_H
#define CBOR_H

#include <stddef.h>
#include <stdint.h>

enum cbor_major {
	CBOR_UINT = 0,
	CBOR_NEGINT = 1, /* the value is -1 - arg */
	CBOR_BYTES = 2,
	CBOR_TEXT = 3,
	CBOR_ARRAY = 4, /* arg: items that follow */
	CBOR_MAP = 5,   /* arg: key/value pairs that follow */
	CBOR_TAG = 6,   /* arg: the tag; the tagged item follows */
	CBOR_SIMPLE = 7 /* arg: CBOR_FALSE ..., or a float's bits */
};
#define CBOR_FALSE 20
#define CBOR_TRUE 21
#define CBOR_NULL 22

/* A writer: what does not fit sets overflow and writes nothing more (an
 * item may be cut: with overflow set, the output is not to be used). */
struct cbor_out {
	unsigned char *buf;
	size_t cap, len;
	int overflow;
};

void cbor_out_init(struct cbor_out *o, void *buf, size_t cap);
void cbor_put_head(struct cbor_out *o, enum cbor_major m, uint64_t arg);
void cbor_put_bytes(struct cbor_out *o, const void *b, size_t n);
void cbor_put_text(struct cbor_out *o, const char *s);
void cbor_put_null(struct cbor_out *o);

/* A reader: a cursor over len bytes. */
struct cbor_in {
	const unsigned char *p, *end;
};

/* One item's head. BYTES and TEXT: data points at its arg bytes (TEXT is
 * not NUL-terminated and not checked as UTF-8 here). */
struct cbor_item {
	enum cbor_major major;
	uint64_t arg;
	const unsigned char *data;
};

void cbor_in_init(struct cbor_in *in, const void *buf, size_t len);
/* Read the next item's head (and a string's bytes); arrays, maps and tags
 * leave their contents to be read next. Returns 0, or -1 on truncated,
 * reserved or indefinite-length input (the cursor is then undefined). */
int cbor_read(struct cbor_in *in, struct cbor_item *it);
/* Skip the next whole item, contents included. 0 or -1 as cbor_read. */
int cbor_skip(struct cbor_in *in);
/* Whether it is a TEXT item equal to s. */
int cbor_text_is(const struct cbor_item *it, const char *s);
/* In the count pairs of a map whose head was just read from *in, find the
 * value of the TEXT key `key`: returns 0 with *val at that value, 1 when
 * there is no such key, -1 when the map is malformed. *in is left after
 * the whole map on 0 and 1. */
int cbor_map_find(struct cbor_in *in, uint64_t count, const char *key, struct cbor_in *val);

#endif
