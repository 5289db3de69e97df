/* The attestation document's decoder (attest_doc.c), its JSON
 * (json_view_attest) and its summary (attest_text.c): a document built as
 * the NSM builds one decodes to exactly the JSON and text below; every
 * malformed variant, every truncation and every single-byte corruption is
 * refused with a message (or decodes), never read out of bounds (the
 * sanitizer flavour checks that), and nesting a hostile peer makes
 * arbitrarily deep is walked without recursion. */
#include <stdlib.h>

#include "attest_doc.h"
#include "attest_fixture.h"
#include "attest_text.h"
#include "harness.h"
#include "json_view.h"
#include "memout.h"

static unsigned char doc[16384];
static struct attest_doc d;

static const unsigned char nonce[] = { 0xde, 0xad, 0xbe, 0xef };

/* Builds fx's document and decodes it: the decoder's result. */
static int decode(const struct fixture *fx)
{
	size_t n = fixture_doc(doc, sizeof doc, fx);

	CHECK(n > 0);
	return attest_doc_decode(doc, n, &d);
}

/* The first variant whose decoding does not fail with a message containing
 * want. */
static int refused(const struct fixture *fx, const char *want)
{
	if (decode(fx) == 0) {
		fprintf(stderr, "    decoded, but should be refused (%s)\n", want);
		return 0;
	}
	if (!strstr(d.err, want)) {
		fprintf(stderr, "    refused with '%s', not '%s'\n", d.err, want);
		return 0;
	}
	return 1;
}

static const char *json_of(const struct attest_doc *a)
{
	struct json j;

	json_begin(&j, memout_begin());
	json_view_attest(&j, a);
	json_end(&j);
	return memout_end();
}

/* Whether got is want; if not, where they part, on stderr. */
static int same(const char *got, const char *want)
{
	size_t i = 0;

	while (got[i] && got[i] == want[i])
		i++;
	if (got[i] == want[i])
		return 1;
	fprintf(stderr, "    differs at %zu:\n    got:  %.80s\n    want: %.80s\n", i, got + i, want + i);
	return 0;
}

/* 48 bytes of b in hex. */
static const char *pcr_hex(int b, char *buf)
{
	int i;

	for (i = 0; i < 48; i++)
		snprintf(buf + 2 * i, 3, "%02x", b);
	return buf;
}

TEST(realistic_document_to_exact_json)
{
	struct fixture fx = {
		.nonce = nonce, .nonce_len = 4, .user_data = (const unsigned char *)"hello", .user_data_len = 5
	};
	static char want[8192];
	char h[10][97];
	size_t n = 0;
	unsigned i;

	CHECK(decode(&fx) == 0);
	n += (size_t)snprintf(want + n, sizeof want - n,
			      "{\"module_id\":\"" FIX_MODULE_ID "\",\"digest\":\"SHA384\","
			      "\"time\":\"2026-12-05T22:58:37.180Z\",\"time_epoch_ms\":1796511517180,\"pcrs\":{");
	for (i = 0; i < 16; i++)
		n += (size_t)snprintf(want + n, sizeof want - n, "%s\"%u\":\"%s\"", i ? "," : "", i,
				      pcr_hex(fix_nonzero(i) ? (int)(i + 1) * 0x11 : 0, h[i % 10]));
	snprintf(want + n, sizeof want - n,
		 "},\"nonce\":\"deadbeef\",\"user_data\":\"68656c6c6f\",\"public_key\":null,"
		 "\"certificate_bytes\":640,\"cabundle_certificates\":4,\"tagged\":false,"
		 "\"protected_header_bytes\":4,\"payload_bytes\":3823,\"signature_bytes\":96,"
		 "\"document_bytes\":3931}\n");
	CHECK(same(json_of(&d), want));
}

TEST(summary_text)
{
	struct fixture fx = { .tagged = 1, .nonce = nonce, .nonce_len = 4, .public_key = 1 };
	char h[5][97];
	char want[2048];

	CHECK(decode(&fx) == 0 && d.tagged);
	snprintf(want, sizeof want,
		 "Attestation Document: 4019 bytes (tagged COSE_Sign1, signature 96 bytes)\n"
		 "  Module ID: " FIX_MODULE_ID "\n"
		 "  Time: 2026-12-05T22:58:37.180Z\n"
		 "  Digest: SHA384\n"
		 "  PCR0: %s\n  PCR1: %s\n  PCR2: %s\n  PCR4: %s\n  PCR8: %s\n"
		 "  Nonce: deadbeef\n"
		 "  User Data: none\n"
		 "  Public Key: 91 bytes\n"
		 "  Certificate: 640 bytes\n"
		 "  CA Bundle: 4 certificates\n",
		 pcr_hex(0x11, h[0]), pcr_hex(0x22, h[1]), pcr_hex(0x33, h[2]), pcr_hex(0x55, h[3]),
		 pcr_hex(0x99, h[4]));
	attest_text_print(memout_begin(), &d);
	CHECK(same(memout_end(), want));
}

/* A module id with a terminal escape in it reaches the terminal as '?'. */
TEST(summary_keeps_control_bytes_off_the_terminal)
{
	static const unsigned char evil[] = "i-\x1b]0;owned\x07";
	struct attest_doc a = { 0 };

	a.module_id.p = evil;
	a.module_id.len = sizeof evil - 1;
	attest_text_print(memout_begin(), &a);
	CHECK(strstr(memout_end(), "  Module ID: i-?]0;owned?\n") != 0);
	CHECK(!strchr(memout_buf, 0x1b));
}

TEST(variants_that_decode)
{
	struct fixture fx = { 0 };

	/* Null optional fields: null in JSON, "none" in text. */
	CHECK(decode(&fx) == 0 && !d.nonce.p && !d.user_data.p && !d.public_key.p);
	CHECK(strstr(json_of(&d), "\"nonce\":null,\"user_data\":null,\"public_key\":null,") != 0);
	/* Left out instead of null: the same. */
	fx.absent_optional = 1;
	CHECK(decode(&fx) == 0 && !d.nonce.p && !d.user_data.p && !d.public_key.p);
	/* An empty nonce is there, and empty. */
	fx = (struct fixture){ .nonce = nonce, .nonce_len = 0 };
	CHECK(decode(&fx) == 0 && d.nonce.p && !d.nonce.len);
	CHECK(strstr(json_of(&d), "\"nonce\":\"\"") != 0);
	/* libcbor's 8-byte numbers (QEMU's emulated NSM writes its timestamp so). */
	fx = (struct fixture){ .long_heads = 1 };
	CHECK(decode(&fx) == 0 && d.timestamp_ms == FIX_TIMESTAMP && d.pcr[15].len == 48 && d.cabundle == 4);
	/* A key this version does not know, with nesting, is skipped. */
	fx = (struct fixture){ .unknown_key = 1 };
	CHECK(decode(&fx) == 0 && d.pcr[0].p);
	/* QEMU's: only the locked PCRs; SHA-256 and SHA-512 sizes. */
	fx = (struct fixture){ .pcrs = 5, .pcr_index = 31 };
	CHECK(decode(&fx) == 0 && d.pcr[3].p && !d.pcr[4].p && d.pcr[31].p);
	CHECK(strstr(json_of(&d), "\"pcrs\":{\"0\":") && strstr(json_of(&d), ",\"31\":\"555555"));
	fx = (struct fixture){ .pcr_len = 32 };
	CHECK(decode(&fx) == 0 && d.pcr[0].len == 32);
	fx = (struct fixture){ .pcr_len = 64 };
	CHECK(decode(&fx) == 0 && d.pcr[0].len == 64);
}

TEST(malformed_documents)
{
	CHECK(refused(&(struct fixture){ .leave_out = FK_MODULE_ID + 1 }, "the payload has no module_id"));
	CHECK(refused(&(struct fixture){ .leave_out = FK_DIGEST + 1 }, "the payload has no digest"));
	CHECK(refused(&(struct fixture){ .leave_out = FK_TIMESTAMP + 1 }, "the payload has no timestamp"));
	CHECK(refused(&(struct fixture){ .leave_out = FK_PCRS + 1 }, "the payload has no pcrs"));
	CHECK(refused(&(struct fixture){ .leave_out = FK_CERT + 1 }, "the payload has no certificate"));
	CHECK(refused(&(struct fixture){ .leave_out = FK_CABUNDLE + 1 }, "the payload has no cabundle"));
	CHECK(refused(&(struct fixture){ .twice = FK_PCRS + 1 }, "the payload has pcrs twice"));
	CHECK(refused(&(struct fixture){ .twice = FK_NONCE + 1 }, "the payload has nonce twice"));
	CHECK(refused(&(struct fixture){ .pcr_index = 32 }, "PCR index 32 is out of range (0 to 31)"));
	CHECK(refused(&(struct fixture){ .pcr_index = 3 }, "PCR3 comes twice"));
	CHECK(refused(&(struct fixture){ .pcr_len = 47 }, "PCR0 is 47 bytes, not 32, 48 or 64"));
	CHECK(refused(&(struct fixture){ .trailing = 1 }, "1 stray byte after the COSE_Sign1"));
}

/* Hand-made envelopes and payloads, byte by byte. */
TEST(malformed_envelopes)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *want;
	} cases[] = {
		{ "", 0, "it is not CBOR" },
		{ "\xd2", 1, "nothing follows its tag" },
		{ "\xd8\x62\x84", 3, "it is tagged 98, not 18 (COSE_Sign1)" },
		{ "\x83\x40\xa0\x40", 4, "it is not a COSE_Sign1 (an array of 4 items)" },
		{ "\xa4", 1, "it is not a COSE_Sign1" },
		{ "\x84\x01\xa0\x40\x40", 5, "the protected header is not a byte string" },
		{ "\x84\x40\x80\x40\x40", 5, "the unprotected header is not a map" },
		{ "\x84\x40\xa1\x01", 4, "the unprotected header is truncated or not CBOR" },
		{ "\x84\x40\xa0\x60\x40", 5, "the payload is not a byte string" },
		{ "\x84\x40\xa0\x40\xf6", 5, "the signature is not a byte string" },
		{ "\x84\x40\xa0\x40\x41", 5, "the signature is truncated or not CBOR" },
		{ "\x84\x40\xa0\x41\x80\x40", 6, "the payload is not a map" },
		{ "\x84\x40\xa0\x41\xa1\x40", 6, "the payload is truncated or not CBOR" },
		{ "\x84\x40\xa0\x42\xa0\x00\x40", 7, "1 stray byte after the payload's map" },
		{ "\x84\x40\xa0\x43\xa1\x81\x00\x40", 8, "the payload has a key that is an array" },
		{ "\x84\x40\xa0\x43\xa1\xc1\x00\x40", 8, "the payload has a key that is a tag" },
		{ "\x84\x40\xa0\x42\xa1\x00\x40", 7, "the payload is truncated or not CBOR" },
		{ "\x84\x40\xa0\x41\xa0\x40", 6, "the payload has no module_id" },
		/* Indefinite lengths: the NSM writes none. */
		{ "\x9f\x40\xa0\x40\x40\xff", 6, "it is not CBOR" },
		{ "\x84\x5f\xff\xa0\x40\x40", 6, "the protected header is truncated or not CBOR" },
		/* A head claiming more than is there. */
		{ "\x84\x40\xa0\x5b\xff\xff\xff\xff\xff\xff\xff\xff\x40", 13,
		  "the payload is truncated or not CBOR" },
	};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int rc = attest_doc_decode((const unsigned char *)cases[k].bytes, cases[k].n, &d);
		if (rc == 0 || !strstr(d.err, cases[k].want)) {
			fprintf(stderr, "    case %zu: rc %d, '%s'\n", k, rc, d.err);
			CHECK(!"refused with its message");
		}
	}
}

/* Payload fields of the wrong kind, in an otherwise good envelope. */
TEST(payload_fields_of_the_wrong_kind)
{
	static const struct {
		const char *key;
		const char *value; /* CBOR */
		size_t n;
		const char *want;
	} cases[] = {
		{ "module_id", "\x41x", 2, "module_id is not a text string" },
		{ "digest", "\x01", 1, "digest is not a text string" },
		{ "timestamp", "\x20", 1, "timestamp is not an unsigned integer" },
		{ "pcrs", "\x80", 1, "pcrs is not a map" },
		{ "pcrs", "\xa1\x61x\x40", 4, "a PCR's index is not an unsigned integer" },
		{ "pcrs", "\xa1\x00\x60", 3, "a PCR's value is not a byte string" },
		{ "pcrs", "\xbb\xff\xff\xff\xff\xff\xff\xff\xff\x00", 10,
		  "a PCR's value is truncated or not CBOR" },
		{ "certificate", "\xf6", 1, "certificate is not a byte string" },
		{ "cabundle", "\x41x", 2, "cabundle is not an array" },
		{ "cabundle", "\x81\x61x", 3, "a cabundle certificate is not a byte string" },
		{ "cabundle", "\x9b\x7f\xff\xff\xff\xff\xff\xff\xff", 9, "a cabundle certificate is truncated" },
		{ "nonce", "\x61x", 2, "nonce is neither a byte string nor null" },
		{ "user_data", "\xf5", 1, "user_data is neither a byte string nor null" },
		{ "public_key", "", 0, "public_key is truncated or not CBOR" },
	};
	unsigned char pl[64], env[96];
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct cbor_out p, o;

		cbor_out_init(&p, pl, sizeof pl);
		cbor_put_head(&p, CBOR_MAP, 1);
		cbor_put_text(&p, cases[k].key);
		memcpy(pl + p.len, cases[k].value, cases[k].n);
		p.len += cases[k].n;
		cbor_out_init(&o, env, sizeof env);
		cbor_put_head(&o, CBOR_ARRAY, 4);
		cbor_put_bytes(&o, "", 0);
		cbor_put_head(&o, CBOR_MAP, 0);
		cbor_put_bytes(&o, pl, p.len);
		cbor_put_bytes(&o, "", 0);
		if (attest_doc_decode(env, o.len, &d) == 0 || !strstr(d.err, cases[k].want)) {
			fprintf(stderr, "    case %zu (%s): '%s'\n", k, cases[k].key, d.err);
			CHECK(!"refused with its message");
		}
	}
}

/* Every prefix of a good document is refused with a message; every
 * single-byte change either decodes or is refused with one. */
TEST(every_truncation_and_corruption)
{
	struct fixture fx = { .tagged = 1, .nonce = nonce, .nonce_len = 4, .public_key = 1, .unknown_key = 1 };
	size_t n = fixture_doc(doc, sizeof doc, &fx), i;
	static unsigned char copy[sizeof doc];
	static const unsigned char flips[] = { 0x01, 0x20, 0x80, 0xff };
	int quiet_failures = 0;

	CHECK(n > 0);
	for (i = 0; i < n; i++) {
		memcpy(copy, doc, i); /* exactly i bytes: the sanitizers see a read past them */
		if (attest_doc_decode(copy, i, &d) == 0 || !d.err[0])
			quiet_failures++;
	}
	CHECK(quiet_failures == 0);
	for (i = 0; i < n; i++) {
		size_t f;

		for (f = 0; f < sizeof flips; f++) {
			memcpy(copy, doc, n);
			copy[i] ^= flips[f];
			if (attest_doc_decode(copy, n, &d) < 0 && !d.err[0])
				quiet_failures++;
			else if (!d.err[0])
				(void)json_of(&d); /* what decodes prints */
		}
	}
	CHECK(quiet_failures == 0);
}

/* A million nested arrays in the unprotected header, and in an unknown
 * payload key: skipped with a count, not a stack frame each. */
TEST(deep_nesting_does_not_recurse)
{
	static unsigned char deep[1 << 21];
	size_t n = 0, depth = 1000000, i;

	deep[n++] = 0x84;
	deep[n++] = 0x40;
	for (i = 0; i < depth; i++)
		deep[n++] = 0xa1, deep[n++] = 0x00; /* {0: {0: ... */
	deep[n++] = 0x00;
	deep[n++] = 0x41, deep[n++] = 0x80; /* the payload: [] */
	deep[n++] = 0x40;
	CHECK(attest_doc_decode(deep, n, &d) < 0 && strstr(d.err, "the payload is not a map"));
	/* Without its innermost value: truncated, found without recursing. */
	CHECK(attest_doc_decode(deep, n - 4, &d) < 0 && strstr(d.err, "unprotected header is truncated"));
}

/* A head that claims 2^64 - 1 items must not be believed: the loops end at
 * the bytes that are there. */
TEST(huge_counts_end_at_the_bytes)
{
	/* A payload of 16 bytes: {"pcrs": a map of 2^64 - 1 pairs, of which
	 * one key is there. */
	static const unsigned char pcrs[] = "\x84\x40\xa0\x50\xa1\x64pcrs\xbb\xff\xff\xff\xff\xff\xff\xff\xff\x00"
					    "\x40";

	CHECK(attest_doc_decode(pcrs, sizeof pcrs - 1, &d) < 0);
	CHECK(strstr(d.err, "a PCR's value is truncated") != 0);
}

TEST(pcr_zero)
{
	static const unsigned char z[48], nz[48] = { [47] = 1 };
	struct attest_bytes a = { z, 48 }, b = { nz, 48 };

	CHECK(attest_doc_pcr_zero(&a) && !attest_doc_pcr_zero(&b));
}

RUN_TESTS("attest_doc", T(realistic_document_to_exact_json), T(summary_text),
	  T(summary_keeps_control_bytes_off_the_terminal), T(variants_that_decode), T(malformed_documents),
	  T(malformed_envelopes), T(payload_fields_of_the_wrong_kind), T(every_truncation_and_corruption),
	  T(deep_nesting_does_not_recurse), T(huge_counts_end_at_the_bytes), T(pcr_zero))
