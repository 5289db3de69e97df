/* fuzz_attest_doc: the attestation document's decoder
 * (src/initctl/attest_doc.c) and both its printers (json_view_attest,
 * attest_text_print) on any bytes, which are the document.
 *
 * Checked besides the sanitizers: a refusal says why; a document that
 * decodes points only into its own bytes, has PCRs of the sizes allowed,
 * and prints as one line of valid UTF-8 JSON, and as a summary of
 * printable text (the document comes from an enclave the reader does not
 * trust yet, and the summary goes to a terminal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_doc.h"
#include "attest_text.h"
#include "json_view.h"
#include "utf8.h"

static const uint8_t *lo, *hi;

static void inside(const struct attest_bytes *b)
{
	if (b->p && (b->p < lo || b->p > hi || b->len > (size_t)(hi - b->p)))
		abort();
}

static void check_fields(const struct attest_doc *d)
{
	unsigned i;

	inside(&d->module_id);
	inside(&d->digest);
	inside(&d->nonce);
	inside(&d->user_data);
	inside(&d->public_key);
	if (!d->module_id.p || !d->digest.p)
		abort(); /* required */
	for (i = 0; i < ATTEST_PCRS; i++) {
		inside(&d->pcr[i]);
		if (d->pcr[i].p && d->pcr[i].len != 32 && d->pcr[i].len != 48 && d->pcr[i].len != 64)
			abort();
	}
	if (d->payload_len > d->doc_len || d->signature_len > d->doc_len || d->certificate_len > d->payload_len)
		abort();
}

/* One line of JSON, all of it valid UTF-8, no raw control bytes. */
static void check_json(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || s[0] != '{' || s[n - 1] != '\n')
		abort();
	while (i < n - 1) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : utf8_len((const unsigned char *)s + i, n - 1 - i);

		if (!len || c < 0x20)
			abort();
		i += len;
	}
}

/* Printable ASCII lines. */
static void check_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '\n' && (s[i] < 0x20 || s[i] > 0x7e))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attest_doc d;
	struct json j;
	char *buf = 0;
	size_t len = 0;
	FILE *f;

	lo = data;
	hi = data + size;
	memset(&d, 0xa5, sizeof d); /* the decoder must set every field */
	if (attest_doc_decode(data, size, &d) < 0) {
		if (!d.err[0] || strnlen(d.err, sizeof d.err) == sizeof d.err)
			abort();
		return 0;
	}
	check_fields(&d);
	f = open_memstream(&buf, &len);
	if (!f)
		return 0;
	json_begin(&j, f);
	json_view_attest(&j, &d);
	json_end(&j);
	fclose(f);
	check_json(buf, len);
	free(buf);
	buf = 0;
	f = open_memstream(&buf, &len);
	if (!f)
		return 0;
	attest_text_print(f, &d);
	fclose(f);
	check_text(buf, len);
	free(buf);
	return 0;
}
