/* attest_doc.c: the attestation document taken apart (see attest_doc.h).
 *
 * The document comes from the enclave, which the parent instance does not
 * trust until it has checked it, so everything here is read as hostile
 * input: every item's kind and length is checked before it is used (the
 * CBOR reader checks the lengths against the bytes that are there), a
 * count in a head is never trusted beyond the bytes that follow it, and
 * nested items that are not looked at (the unprotected header, keys this
 * version does not know) are skipped by cbor_skip, which keeps a count
 * instead of recursing. A document that is not exactly what the NSM
 * writes is refused with the first thing found wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest_doc.h"
#include "cbor.h"

#define COSE_SIGN1_TAG 18 /* RFC 9052: a COSE_Sign1 (one signer) */

/* d->err from fmt; returns -1. */
__attribute__((format(printf, 2, 3))) static int bad(struct attest_doc *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *kind_name(enum cbor_major m)
{
	switch (m) {
	case CBOR_UINT: return "an unsigned integer";
	case CBOR_BYTES: return "a byte string";
	case CBOR_TEXT: return "a text string";
	case CBOR_ARRAY: return "an array";
	case CBOR_MAP: return "a map";
	case CBOR_NEGINT: return "a negative integer";
	case CBOR_TAG: return "a tag";
	default: return "a simple value or a float";
	}
}

/* The bytes after the cursor. */
static size_t left(const struct cbor_in *in)
{
	return (size_t)(in->end - in->p);
}

/* The next item, which must be of kind m (what: its name in the error). */
static int expect(struct cbor_in *in, enum cbor_major m, struct cbor_item *it, struct attest_doc *d,
		  const char *what)
{
	if (cbor_read(in, it) < 0)
		return bad(d, "%s is truncated or not CBOR", what);
	if (it->major != m)
		return bad(d, "%s is not %s", what, kind_name(m));
	return 0;
}

/* The COSE_Sign1 around the payload: *payload gets the payload's item. */
static int envelope(struct cbor_in *in, struct attest_doc *d, struct cbor_item *payload)
{
	struct cbor_item it;
	struct cbor_in at;

	if (cbor_read(in, &it) < 0)
		return bad(d, "it is not CBOR");
	if (it.major == CBOR_TAG) {
		if (it.arg != COSE_SIGN1_TAG)
			return bad(d, "it is tagged %llu, not 18 (COSE_Sign1)", (unsigned long long)it.arg);
		d->tagged = 1;
		if (cbor_read(in, &it) < 0)
			return bad(d, "nothing follows its tag");
	}
	if (it.major != CBOR_ARRAY || it.arg != 4)
		return bad(d, "it is not a COSE_Sign1 (an array of 4 items)");
	if (expect(in, CBOR_BYTES, &it, d, "the protected header") < 0)
		return -1;
	d->protected_len = (size_t)it.arg;
	at = *in;
	if (expect(in, CBOR_MAP, &it, d, "the unprotected header") < 0)
		return -1;
	*in = at;
	if (cbor_skip(in) < 0)
		return bad(d, "the unprotected header is truncated or not CBOR");
	if (expect(in, CBOR_BYTES, payload, d, "the payload") < 0)
		return -1;
	if (expect(in, CBOR_BYTES, &it, d, "the signature") < 0)
		return -1;
	d->signature_len = (size_t)it.arg;
	if (in->p != in->end)
		return bad(d, "%zu stray byte%s after the COSE_Sign1", left(in), left(in) == 1 ? "" : "s");
	return 0;
}

/* pcrs: a map of index (0 to 31) to 32, 48 or 64 bytes. The loop is
 * bounded by the bytes: each pair read takes at least two. */
static int take_pcrs(struct cbor_in *in, struct attest_doc *d)
{
	struct cbor_item it, v;
	uint64_t n;

	if (expect(in, CBOR_MAP, &it, d, "pcrs") < 0)
		return -1;
	for (n = it.arg; n; n--) {
		unsigned long long i;

		if (expect(in, CBOR_UINT, &it, d, "a PCR's index") < 0)
			return -1;
		i = it.arg;
		if (i >= ATTEST_PCRS)
			return bad(d, "PCR index %llu is out of range (0 to %d)", i, ATTEST_PCRS - 1);
		if (expect(in, CBOR_BYTES, &v, d, "a PCR's value") < 0)
			return -1;
		if (v.arg != 32 && v.arg != 48 && v.arg != ATTEST_PCR_MAX)
			return bad(d, "PCR%llu is %llu bytes, not 32, 48 or 64", i, (unsigned long long)v.arg);
		if (d->pcr[i].p)
			return bad(d, "PCR%llu comes twice", i);
		d->pcr[i].p = v.data;
		d->pcr[i].len = (size_t)v.arg;
	}
	return 0;
}

/* cabundle: an array of certificates (bytes), counted. */
static int take_cabundle(struct cbor_in *in, struct attest_doc *d)
{
	struct cbor_item it;
	uint64_t n;

	if (expect(in, CBOR_ARRAY, &it, d, "cabundle") < 0)
		return -1;
	for (n = it.arg; n; n--) {
		if (expect(in, CBOR_BYTES, &it, d, "a cabundle certificate") < 0)
			return -1;
		d->cabundle++;
	}
	return 0;
}

/* public_key, user_data, nonce: bytes, or null (left p = 0). */
static int take_optional(struct cbor_in *in, struct attest_bytes *b, struct attest_doc *d, const char *what)
{
	struct cbor_item it;

	if (cbor_read(in, &it) < 0)
		return bad(d, "%s is truncated or not CBOR", what);
	if (it.major == CBOR_SIMPLE && it.arg == CBOR_NULL)
		return 0;
	if (it.major != CBOR_BYTES)
		return bad(d, "%s is neither a byte string nor null", what);
	b->p = it.data;
	b->len = (size_t)it.arg;
	return 0;
}

/* A string (text or bytes) into b. */
static int take_string(struct cbor_in *in, enum cbor_major m, struct attest_bytes *b, struct attest_doc *d,
		       const char *what)
{
	struct cbor_item it;

	if (expect(in, m, &it, d, what) < 0)
		return -1;
	b->p = it.data;
	b->len = (size_t)it.arg;
	return 0;
}

/* The payload's keys, in the order the NSM writes them; the first six
 * must be there. */
enum field {
	F_MODULE_ID,
	F_DIGEST,
	F_TIMESTAMP,
	F_PCRS,
	F_CERTIFICATE,
	F_CABUNDLE,
	F_PUBLIC_KEY,
	F_USER_DATA,
	F_NONCE,
	NFIELDS,
	NREQUIRED = F_PUBLIC_KEY
};
static const char *const field_names[NFIELDS] = {
	"module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle", "public_key", "user_data", "nonce",
};

static int take_field(struct cbor_in *in, enum field f, struct attest_doc *d)
{
	struct attest_bytes cert = { 0, 0 };
	struct cbor_item it;

	switch (f) {
	case F_MODULE_ID: return take_string(in, CBOR_TEXT, &d->module_id, d, "module_id");
	case F_DIGEST: return take_string(in, CBOR_TEXT, &d->digest, d, "digest");
	case F_TIMESTAMP:
		if (expect(in, CBOR_UINT, &it, d, "timestamp") < 0)
			return -1;
		d->timestamp_ms = it.arg;
		return 0;
	case F_PCRS: return take_pcrs(in, d);
	case F_CERTIFICATE:
		if (take_string(in, CBOR_BYTES, &cert, d, "certificate") < 0)
			return -1;
		d->certificate_len = cert.len;
		return 0;
	case F_CABUNDLE: return take_cabundle(in, d);
	case F_PUBLIC_KEY: return take_optional(in, &d->public_key, d, "public_key");
	case F_USER_DATA: return take_optional(in, &d->user_data, d, "user_data");
	case F_NONCE: return take_optional(in, &d->nonce, d, "nonce");
	default: return bad(d, "no such field"); /* cannot happen: f < NFIELDS */
	}
}

/* Which field a key names; NFIELDS for a key this version does not know. */
static enum field field_of(const struct cbor_item *key)
{
	unsigned f;

	for (f = 0; f < NFIELDS; f++)
		if (cbor_text_is(key, field_names[f]))
			break;
	return (enum field)f;
}

/* The payload: a map of the fields above. A key this version does not
 * know is skipped with its value (a later NSM may add one); a known one
 * twice, or a required one missing, is malformed. */
static int payload(const struct cbor_item *pl, struct attest_doc *d)
{
	struct cbor_in in;
	struct cbor_item it;
	unsigned seen = 0, f;
	uint64_t n;

	cbor_in_init(&in, pl->data, (size_t)pl->arg);
	if (expect(&in, CBOR_MAP, &it, d, "the payload") < 0)
		return -1;
	for (n = it.arg; n; n--) {
		if (cbor_read(&in, &it) < 0)
			return bad(d, "the payload is truncated or not CBOR");
		if (it.major == CBOR_ARRAY || it.major == CBOR_MAP || it.major == CBOR_TAG)
			return bad(d, "the payload has a key that is %s", kind_name(it.major));
		f = field_of(&it);
		if (f == NFIELDS) {
			if (cbor_skip(&in) < 0)
				return bad(d, "the payload is truncated or not CBOR");
			continue;
		}
		if (seen & (1u << f))
			return bad(d, "the payload has %s twice", field_names[f]);
		seen |= 1u << f;
		if (take_field(&in, (enum field)f, d) < 0)
			return -1;
	}
	if (in.p != in.end)
		return bad(d, "%zu stray byte%s after the payload's map", left(&in), left(&in) == 1 ? "" : "s");
	for (f = 0; f < NREQUIRED; f++)
		if (!(seen & (1u << f)))
			return bad(d, "the payload has no %s", field_names[f]);
	return 0;
}

int attest_doc_decode(const unsigned char *b, size_t n, struct attest_doc *d)
{
	struct cbor_in in;
	struct cbor_item pl = { CBOR_BYTES, 0, 0 };

	memset(d, 0, sizeof *d);
	d->doc_len = n;
	cbor_in_init(&in, b, n);
	if (envelope(&in, d, &pl) < 0)
		return -1;
	d->payload_len = (size_t)pl.arg;
	return payload(&pl, d);
}

int attest_doc_pcr_zero(const struct attest_bytes *pcr)
{
	size_t i;

	for (i = 0; i < pcr->len; i++)
		if (pcr->p[i])
			return 0;
	return 1;
}
