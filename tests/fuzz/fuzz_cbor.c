/* fuzz_cbor: the CBOR reader (src/common/cbor.c) and what is built on it:
 * init's reading of the NSM's reply (nsm_reply_document, src/init/nsm.c),
 * and a walk of an attestation document as initctl takes it apart
 * (COSE_Sign1: an optional tag 18, then [protected bstr, unprotected map,
 * payload bstr, signature bstr], the payload a map of module_id, digest,
 * timestamp, pcrs, certificate, cabundle, public_key, user_data, nonce).
 *
 * The input is all of it at once: read as a sequence of items, as a
 * reply, as a document, and (its first bytes) as numbers written and read
 * back. Checked: nothing is read outside the input (ASan), every answer
 * points inside it, and the reader and the skipper agree on where an item
 * ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "nsm.h"

#define REQUIRE(c)               \
	do {                     \
		if (!(c))        \
			abort(); \
	} while (0)

static const unsigned char *base, *limit; /* the input */

static void inside(const void *p, uint64_t n)
{
	const unsigned char *b = p;

	REQUIRE(b >= base && b <= limit && n <= (uint64_t)(limit - b));
}

/* Every item in turn, until the end or the first malformed one. */
static void items(const uint8_t *data, size_t size)
{
	struct cbor_in in, again;
	struct cbor_item it;

	cbor_in_init(&in, data, size);
	while (in.p < in.end) {
		again = in;
		if (cbor_skip(&in) < 0)
			return;
		REQUIRE(in.p > again.p && in.p <= in.end); /* progress, within bounds */
		/* The head read alone agrees on its own length. */
		REQUIRE(cbor_read(&again, &it) == 0 && again.p <= in.p);
		if (it.major == CBOR_BYTES || it.major == CBOR_TEXT)
			inside(it.data, it.arg);
	}
}

/* A map whose head was just read: every value skipped through
 * cbor_map_find ends where cbor_skip says the map ends. */
static void map_keys(struct cbor_in in, uint64_t count)
{
	static const char *const keys[] = { "nonce", "pcrs", "Attestation", "document", "Error", "" };
	struct cbor_in end = in, at, val;
	uint64_t k;
	int whole = 1;

	/* Where the map ends: its pairs skipped one by one. */
	for (k = 0; k < count && whole; k++)
		whole = cbor_skip(&end) == 0 && cbor_skip(&end) == 0;
	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		int rc;

		at = in;
		rc = cbor_map_find(&at, count, keys[k], &val);
		REQUIRE(rc >= -1 && rc <= 1);
		if (rc >= 0)
			REQUIRE(whole && at.p == end.p); /* left after the whole map */
		if (rc == 0)
			inside(val.p, 1);
	}
}

/* The protected header: a map of integer labels (alg, ...). */
static int walk_protected(const struct cbor_item *prot)
{
	struct cbor_in in;
	struct cbor_item it;
	uint64_t k;

	cbor_in_init(&in, prot->data, (size_t)prot->arg);
	if (cbor_read(&in, &it) < 0 || it.major != CBOR_MAP)
		return -1;
	map_keys(in, it.arg);
	for (k = 0; k < it.arg; k++) {
		struct cbor_item key;
		if (cbor_read(&in, &key) < 0 || (key.major != CBOR_UINT && key.major != CBOR_NEGINT) ||
		    cbor_skip(&in) < 0)
			return -1;
	}
	return in.p == in.end ? 0 : -1;
}

/* pcrs: {index: digest}; cabundle: [bstr]. */
static int walk_pcrs(struct cbor_in *in, uint64_t n)
{
	struct cbor_item k, v;

	while (n--) {
		if (cbor_read(in, &k) < 0 || k.major != CBOR_UINT || k.arg >= 32 || cbor_read(in, &v) < 0 ||
		    v.major != CBOR_BYTES || (v.arg != 32 && v.arg != 48 && v.arg != 64))
			return -1;
		inside(v.data, v.arg);
	}
	return 0;
}

static int walk_bundle(struct cbor_in *in, uint64_t n)
{
	struct cbor_item c;

	while (n--) {
		if (cbor_read(in, &c) < 0 || c.major != CBOR_BYTES || !c.arg)
			return -1;
		inside(c.data, c.arg);
	}
	return 0;
}

/* One field of the payload, its key just read: 0 when it is as the
 * document format says. */
static int walk_field(struct cbor_in *in, const struct cbor_item *key)
{
	struct cbor_item v;

	if (cbor_text_is(key, "pcrs") || cbor_text_is(key, "cabundle")) {
		int pcrs = cbor_text_is(key, "pcrs");
		if (cbor_read(in, &v) < 0 || v.major != (pcrs ? CBOR_MAP : CBOR_ARRAY))
			return -1;
		return pcrs ? walk_pcrs(in, v.arg) : walk_bundle(in, v.arg);
	}
	if (cbor_read(in, &v) < 0)
		return -1;
	if (cbor_text_is(key, "module_id") || cbor_text_is(key, "digest"))
		return v.major == CBOR_TEXT && v.arg ? 0 : -1;
	if (cbor_text_is(key, "timestamp"))
		return v.major == CBOR_UINT ? 0 : -1;
	if (cbor_text_is(key, "certificate"))
		return v.major == CBOR_BYTES && v.arg ? 0 : -1;
	if (cbor_text_is(key, "public_key") || cbor_text_is(key, "user_data") || cbor_text_is(key, "nonce"))
		return v.major == CBOR_BYTES || (v.major == CBOR_SIMPLE && v.arg == CBOR_NULL) ? 0 : -1;
	/* Unknown keys are passed over, their value whole. */
	if (v.major == CBOR_ARRAY || v.major == CBOR_MAP || v.major == CBOR_TAG) {
		uint64_t more = v.major == CBOR_TAG ? 1 : v.major == CBOR_MAP ? 2 * v.arg : v.arg;
		while (more--)
			if (cbor_skip(in) < 0)
				return -1;
	}
	return 0;
}

static int walk_payload(const struct cbor_item *pay)
{
	struct cbor_in in;
	struct cbor_item it, key;
	uint64_t k;

	cbor_in_init(&in, pay->data, (size_t)pay->arg);
	if (cbor_read(&in, &it) < 0 || it.major != CBOR_MAP)
		return -1;
	map_keys(in, it.arg);
	for (k = 0; k < it.arg; k++)
		if (cbor_read(&in, &key) < 0 || key.major != CBOR_TEXT || walk_field(&in, &key) < 0)
			return -1;
	return in.p == in.end ? 0 : -1;
}

static int walk_document(const unsigned char *b, size_t n)
{
	struct cbor_in in, whole;
	struct cbor_item it, prot, pay, sig;

	cbor_in_init(&in, b, n);
	whole = in;
	if (cbor_read(&in, &it) < 0)
		return -1;
	if (it.major == CBOR_TAG && (it.arg != 18 || cbor_read(&in, &it) < 0))
		return -1;
	if (it.major != CBOR_ARRAY || it.arg != 4)
		return -1;
	if (cbor_read(&in, &prot) < 0 || prot.major != CBOR_BYTES || walk_protected(&prot) < 0)
		return -1;
	if (cbor_read(&in, &it) < 0 || it.major != CBOR_MAP)
		return -1;
	map_keys(in, it.arg);
	for (; it.arg; it.arg--)
		if (cbor_skip(&in) < 0 || cbor_skip(&in) < 0)
			return -1;
	if (cbor_read(&in, &pay) < 0 || pay.major != CBOR_BYTES || walk_payload(&pay) < 0)
		return -1;
	if (cbor_read(&in, &sig) < 0 || sig.major != CBOR_BYTES)
		return -1;
	/* The walk and the skipper agree on where the document ends. */
	REQUIRE(cbor_skip(&whole) == 0 && whole.p == in.p);
	return in.p == in.end ? 0 : -1;
}

/* Numbers from the input written in every major type and read back. */
static void round_trip(const uint8_t *data, size_t size)
{
	unsigned char out[16];
	struct cbor_out o;
	struct cbor_in in;
	struct cbor_item it;
	uint64_t v = 0;
	size_t k;
	int m;

	for (k = 0; k < 8 && k < size; k++)
		v = v << 8 | data[k];
	v >>= size > 8 ? data[8] % 64 : 0;
	for (m = CBOR_UINT; m <= CBOR_TAG; m++) {
		cbor_out_init(&o, out, sizeof out);
		cbor_put_head(&o, (enum cbor_major)m, v);
		REQUIRE(!o.overflow && o.len == (v < 24             ? 1
						 : v <= 0xff        ? 2
						 : v <= 0xffff      ? 3
						 : v <= 0xffffffffu ? 5
								    : 9));
		cbor_in_init(&in, out, o.len);
		if (m == CBOR_BYTES || m == CBOR_TEXT) /* no bytes follow the head */
			REQUIRE(v ? cbor_read(&in, &it) < 0 : cbor_read(&in, &it) == 0);
		else
			REQUIRE(cbor_read(&in, &it) == 0 && it.major == (enum cbor_major)m && it.arg == v &&
				in.p == in.end);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *doc;
	size_t doc_len;
	char msg[192];

	base = data;
	limit = data + size;
	items(data, size);
	if (nsm_reply_document(data, size, &doc, &doc_len, msg, sizeof msg) == 0) {
		inside(doc, doc_len);
		REQUIRE(doc_len > 0);
		(void)walk_document(doc, doc_len);
	} else {
		REQUIRE(!strncmp(msg, "attestation: ", 13) && memchr(msg, 0, sizeof msg));
	}
	(void)walk_document(data, size);
	round_trip(data, size);
	return 0;
}
