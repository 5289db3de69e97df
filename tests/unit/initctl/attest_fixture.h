/* attest_fixture.h: an attestation document as the NSM writes one,
 * written with cbor.h's writer for the tests of its decoder and of
 * `initctl attest`.
 *
 * Its shape is AWS's (a COSE_Sign1 around the payload map, the map's keys
 * in the NSM's order, PCRs 0 to 15 as a Nitro Enclave reports them, ECDSA
 * P-384's protected header {1: -35}, a 96-byte signature), and each part
 * can be changed, left out or repeated to make the malformed ones. PCR i
 * of FIX_NONZERO_PCRS is 48 bytes of (i + 1) * 0x11, the others zero.
 */
#ifndef ATTEST_FIXTURE_H
#define ATTEST_FIXTURE_H

#include <string.h>

#include "cbor.h"

#define FIX_MODULE_ID "i-0123456789abcdef0-enc0123456789abcdef"
#define FIX_TIMESTAMP 1796511517180ull /* 2026-12-05T22:58:37.180Z */
#define FIX_CERT_BYTES 640
#define FIX_SIG_BYTES 96

/* The payload's keys, in the NSM's order. */
enum fix_key {
	FK_MODULE_ID,
	FK_DIGEST,
	FK_TIMESTAMP,
	FK_PCRS,
	FK_CERT,
	FK_CABUNDLE,
	FK_PUBKEY,
	FK_USER_DATA,
	FK_NONCE,
	FK_N
};

struct fixture {
	int tagged;                             /* tag 18 before the array */
	const unsigned char *nonce, *user_data; /* null when 0 */
	size_t nonce_len, user_data_len;
	int public_key;      /* 91 bytes (a DER P-256 key's size), else null */
	int leave_out;       /* FK_* + 1: this key is not written */
	int twice;           /* FK_* + 1: this key is written twice */
	int absent_optional; /* the three optional keys left out, not null */
	int unknown_key;     /* an "extra": {"a": [1, 2]} member first */
	int long_heads;      /* every number in 8 bytes (libcbor's uint64, QEMU) */
	unsigned pcrs;       /* how many PCRs from 0 (default 16) */
	int pcr_len;         /* each PCR's size (default 48) */
	int pcr_index;       /* the last PCR's index instead (when not 0) */
	int trailing;        /* bytes after the COSE_Sign1 */
};

static int fix_nonzero(unsigned i)
{
	return i == 0 || i == 1 || i == 2 || i == 4 || i == 8;
}

/* A head; with long_heads, numbers above 23 in 8 bytes as libcbor writes
 * a uint64 (still well-formed, not the shortest form). */
static void fix_head(struct cbor_out *o, const struct fixture *fx, enum cbor_major m, uint64_t arg)
{
	unsigned char h[9];
	int i;

	if (!fx->long_heads || arg < 24) {
		cbor_put_head(o, m, arg);
		return;
	}
	h[0] = (unsigned char)(m << 5 | 27);
	for (i = 0; i < 8; i++)
		h[1 + i] = (unsigned char)(arg >> (56 - 8 * i));
	if (o->cap - o->len >= 9 && !o->overflow) {
		memcpy(o->buf + o->len, h, 9);
		o->len += 9;
	} else {
		o->overflow = 1;
	}
}

static void fix_bytes(struct cbor_out *o, const struct fixture *fx, const void *b, size_t n)
{
	fix_head(o, fx, CBOR_BYTES, n);
	if (o->cap - o->len >= n && !o->overflow) {
		memcpy(o->buf + o->len, b, n);
		o->len += n;
	} else {
		o->overflow = 1;
	}
}

static void fix_filled(struct cbor_out *o, const struct fixture *fx, int byte, size_t n)
{
	unsigned char b[1024];

	memset(b, byte, n);
	fix_bytes(o, fx, b, n);
}

static void fix_optional(struct cbor_out *o, const struct fixture *fx, const char *key, const void *b, size_t n)
{
	if (fx->absent_optional)
		return;
	cbor_put_text(o, key);
	if (b)
		fix_bytes(o, fx, b, n);
	else
		cbor_put_null(o);
}

static void fix_value(struct cbor_out *o, const struct fixture *fx, enum fix_key k)
{
	unsigned i, npcrs = fx->pcrs ? fx->pcrs : 16;
	unsigned char pub[91];

	switch (k) {
	case FK_MODULE_ID: cbor_put_text(o, "module_id"), cbor_put_text(o, FIX_MODULE_ID); break;
	case FK_DIGEST: cbor_put_text(o, "digest"), cbor_put_text(o, "SHA384"); break;
	case FK_TIMESTAMP: cbor_put_text(o, "timestamp"), fix_head(o, fx, CBOR_UINT, FIX_TIMESTAMP); break;
	case FK_PCRS:
		cbor_put_text(o, "pcrs");
		fix_head(o, fx, CBOR_MAP, npcrs);
		for (i = 0; i < npcrs; i++) {
			unsigned idx = i + 1 == npcrs && fx->pcr_index ? (unsigned)fx->pcr_index : i;
			fix_head(o, fx, CBOR_UINT, idx);
			fix_filled(o, fx, fix_nonzero(i) ? (int)(i + 1) * 0x11 : 0,
				   fx->pcr_len ? (size_t)fx->pcr_len : 48);
		}
		break;
	case FK_CERT: cbor_put_text(o, "certificate"), fix_filled(o, fx, 0x30, FIX_CERT_BYTES); break;
	case FK_CABUNDLE:
		cbor_put_text(o, "cabundle");
		fix_head(o, fx, CBOR_ARRAY, 4);
		for (i = 0; i < 4; i++)
			fix_filled(o, fx, 0x30, 400 + 100 * i);
		break;
	case FK_PUBKEY:
		memset(pub, 0x04, sizeof pub);
		fix_optional(o, fx, "public_key", fx->public_key ? pub : 0, sizeof pub);
		break;
	case FK_USER_DATA: fix_optional(o, fx, "user_data", fx->user_data, fx->user_data_len); break;
	case FK_NONCE: fix_optional(o, fx, "nonce", fx->nonce, fx->nonce_len); break;
	default: break;
	}
}

/* The document into buf (cap bytes); returns its size, 0 when it did not
 * fit. */
static size_t fixture_doc(unsigned char *buf, size_t cap, const struct fixture *fx)
{
	static unsigned char pl[16384];
	static const unsigned char protected_hdr[] = { 0xa1, 0x01, 0x38, 0x22 }; /* {1: -35}: ES384 */
	struct cbor_out p, o;
	unsigned n = FK_N;
	int k;

	cbor_out_init(&p, pl, sizeof pl);
	n -= fx->leave_out ? 1 : 0;
	n += fx->twice ? 1 : 0;
	n -= fx->absent_optional ? 3 : 0;
	n += fx->unknown_key ? 1 : 0;
	fix_head(&p, fx, CBOR_MAP, n);
	if (fx->unknown_key) {
		cbor_put_text(&p, "extra");
		cbor_put_head(&p, CBOR_MAP, 1);
		cbor_put_text(&p, "a");
		cbor_put_head(&p, CBOR_ARRAY, 2);
		cbor_put_head(&p, CBOR_UINT, 1);
		cbor_put_head(&p, CBOR_UINT, 2);
	}
	for (k = 0; k < FK_N; k++) {
		if (fx->leave_out == k + 1)
			continue;
		fix_value(&p, fx, (enum fix_key)k);
		if (fx->twice == k + 1)
			fix_value(&p, fx, (enum fix_key)k);
	}
	cbor_out_init(&o, buf, cap);
	if (fx->tagged)
		cbor_put_head(&o, CBOR_TAG, 18);
	cbor_put_head(&o, CBOR_ARRAY, 4);
	cbor_put_bytes(&o, protected_hdr, sizeof protected_hdr);
	cbor_put_head(&o, CBOR_MAP, 0);
	fix_bytes(&o, fx, pl, p.len);
	fix_filled(&o, fx, 0, FIX_SIG_BYTES);
	for (k = 0; k < fx->trailing; k++)
		cbor_put_head(&o, CBOR_UINT, 0);
	return o.overflow || p.overflow ? 0 : o.len;
}

#endif
