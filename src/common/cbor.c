/* cbor.c: the CBOR writer and reader of cbor.h. */
#include <string.h>

#include "cbor.h"

void cbor_out_init(struct cbor_out *o, void *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->overflow = 0;
}

static void put(struct cbor_out *o, const void *b, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	if (n)
		memcpy(o->buf + o->len, b, n);
	o->len += n;
}

/* The head: the major type in the top 3 bits, then the argument in the
 * shortest form (RFC 8949 4.2.1, deterministic encoding). */
void cbor_put_head(struct cbor_out *o, enum cbor_major m, uint64_t arg)
{
	unsigned char h[9];
	int n = arg < 24 ? 0 : arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
	int i;

	h[0] = (unsigned char)(m << 5 | (n == 0 ? arg : n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27));
	for (i = 0; i < n; i++)
		h[1 + i] = (unsigned char)(arg >> (8 * (n - 1 - i)));
	put(o, h, (size_t)n + 1);
}

void cbor_put_bytes(struct cbor_out *o, const void *b, size_t n)
{
	cbor_put_head(o, CBOR_BYTES, n);
	put(o, b, n);
}

void cbor_put_text(struct cbor_out *o, const char *s)
{
	size_t n = strlen(s);

	cbor_put_head(o, CBOR_TEXT, n);
	put(o, s, n);
}

void cbor_put_null(struct cbor_out *o)
{
	cbor_put_head(o, CBOR_SIMPLE, CBOR_NULL);
}

void cbor_in_init(struct cbor_in *in, const void *buf, size_t len)
{
	in->p = buf;
	/* No input may come as a null pointer: null + 0 is undefined in C. */
	in->end = len ? in->p + len : in->p;
}

int cbor_read(struct cbor_in *in, struct cbor_item *it)
{
	unsigned ai, n, i;

	if (in->p >= in->end)
		return -1;
	it->major = (enum cbor_major)(*in->p >> 5);
	ai = *in->p++ & 0x1f;
	it->arg = ai;
	it->data = 0;
	if (ai >= 24) {
		if (ai > 27) /* 28-30 reserved, 31 indefinite length */
			return -1;
		n = 1u << (ai - 24);
		if ((size_t)(in->end - in->p) < n)
			return -1;
		for (it->arg = 0, i = 0; i < n; i++)
			it->arg = it->arg << 8 | *in->p++;
		/* Simple values 0-31 have a one-byte form only (RFC 8949
		 * 3.3): f8 00 to f8 1f are not well-formed. */
		if (it->major == CBOR_SIMPLE && ai == 24 && it->arg < 32)
			return -1;
	}
	if (it->major == CBOR_BYTES || it->major == CBOR_TEXT) {
		if (it->arg > (uint64_t)(in->end - in->p))
			return -1;
		it->data = in->p;
		in->p += it->arg;
	}
	return 0;
}

/* Without recursion: count the items still owed. Every item takes at
 * least one byte, so a count larger than the bytes left is malformed, and
 * the sum cannot overflow. */
int cbor_skip(struct cbor_in *in)
{
	uint64_t owed = 1;
	struct cbor_item it;

	while (owed) {
		if (cbor_read(in, &it) < 0)
			return -1;
		owed--;
		if (it.major == CBOR_ARRAY || it.major == CBOR_MAP || it.major == CBOR_TAG) {
			uint64_t more = it.major == CBOR_TAG ? 1 : it.arg;
			uint64_t left = (uint64_t)(in->end - in->p);

			if (more > left || (it.major == CBOR_MAP && more > left / 2))
				return -1;
			owed += it.major == CBOR_MAP ? 2 * more : more;
			if (owed > left)
				return -1;
		}
	}
	return 0;
}

int cbor_text_is(const struct cbor_item *it, const char *s)
{
	size_t n = strlen(s);

	return it->major == CBOR_TEXT && it->arg == n && !memcmp(it->data, s, n);
}

int cbor_map_find(struct cbor_in *in, uint64_t count, const char *key, struct cbor_in *val)
{
	struct cbor_item k;
	int found = 0;

	for (; count; count--) {
		if (cbor_read(in, &k) < 0)
			return -1;
		/* The NSM's keys are strings and integers: a key with
		 * contents is not one of its maps. */
		if (k.major == CBOR_ARRAY || k.major == CBOR_MAP || k.major == CBOR_TAG)
			return -1;
		if (!found && cbor_text_is(&k, key)) {
			*val = *in;
			found = 1;
		}
		if (cbor_skip(in) < 0)
			return -1;
	}
	return found ? 0 : 1;
}
