/* attest_doc.h: the NSM's attestation document taken apart (`initctl
 * attest`), for people (attest_text.c) and for --json (json_view.c).
 *
 * The document is a COSE_Sign1 (RFC 9052), optionally tagged 18: an array
 * of the protected header (bytes), the unprotected header (a map), the
 * payload (bytes holding a CBOR map) and the signature (bytes). The
 * payload is AWS's attestation document: module_id, digest, timestamp,
 * pcrs, certificate, cabundle, and public_key, user_data and nonce (bytes,
 * null or absent). Nothing is copied: the fields point into the
 * document's buffer. The signature is not checked here (that needs the
 * AWS root certificate and a verifier on the parent's side).
 */
#ifndef ATTEST_DOC_H
#define ATTEST_DOC_H

#include <stddef.h>
#include <stdint.h>

/* The NSM's PCRs (0 to 31); a PCR is 32, 48 or 64 bytes (SHA-256, -384
 * or -512: the document's digest says which; Nitro's is SHA384). */
#define ATTEST_PCRS 32
#define ATTEST_PCR_MAX 64

/* A byte or text string in the document; p is 0 when it is absent or
 * null. */
struct attest_bytes {
	const unsigned char *p;
	size_t len;
};

struct attest_doc {
	size_t doc_len;       /* the whole document */
	int tagged;           /* it came with CBOR tag 18 (COSE_Sign1) */
	size_t protected_len; /* the protected header's bytes */
	size_t payload_len;
	size_t signature_len;
	struct attest_bytes module_id, digest; /* text, not NUL-terminated */
	uint64_t timestamp_ms;                 /* when the NSM made it, ms since the epoch */
	struct attest_bytes pcr[ATTEST_PCRS];  /* by index; p is 0 for a PCR not in the document */
	size_t certificate_len;
	size_t cabundle; /* certificates in the CA bundle */
	struct attest_bytes public_key, user_data, nonce;
	char err[96]; /* why a document was refused */
};

/* Take apart the n bytes at b into d (pointing into b). Returns 0, or -1
 * with d->err saying what is wrong ("the payload has no pcrs", ...).
 * Bounded by n and without recursion: any bytes at all give one or the
 * other. */
int attest_doc_decode(const unsigned char *b, size_t n, struct attest_doc *d);

/* Whether a PCR that is present is all zero bytes (unused, or never
 * extended). */
int attest_doc_pcr_zero(const struct attest_bytes *pcr);

#endif
