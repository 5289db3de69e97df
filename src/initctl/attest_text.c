/* attest_text.c: the summary `initctl attest` prints without --json or -o
 * (see attest_text.h). The document's strings come from the enclave: only
 * printable ASCII reaches the terminal, anything else is printed as '?'.
 */
#include "attest_text.h"
#include "json.h"

/* Text from the document, cut to 128 characters, for a terminal. */
static void safe_text(FILE *f, const struct attest_bytes *t)
{
	size_t i;

	for (i = 0; i < t->len && i < 128; i++)
		fputc(t->p[i] >= 0x20 && t->p[i] < 0x7f ? t->p[i] : '?', f);
	if (t->len > 128)
		fputs("...", f);
}

static void hex(FILE *f, const struct attest_bytes *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		fprintf(f, "%02x", b->p[i]);
}

/* "  Nonce: 0123abcd", "  Nonce: none" when null or absent, "  Nonce:
 * (empty)" when there but empty. */
static void hex_line(FILE *f, const char *key, const struct attest_bytes *b)
{
	fprintf(f, "  %s: ", key);
	if (!b->p)
		fputs("none", f);
	else if (!b->len)
		fputs("(empty)", f);
	else
		hex(f, b);
	fputc('\n', f);
}

void attest_text_print(FILE *f, const struct attest_doc *d)
{
	char when[JSON_TIME_SIZE];
	unsigned i;

	fprintf(f, "Attestation Document: %zu bytes (%sCOSE_Sign1, signature %zu bytes)\n", d->doc_len,
		d->tagged ? "tagged " : "", d->signature_len);
	fputs("  Module ID: ", f);
	safe_text(f, &d->module_id);
	json_rfc3339(d->timestamp_ms / 1000, (unsigned)(d->timestamp_ms % 1000), 1, when, sizeof when);
	fprintf(f, "\n  Time: %s\n  Digest: ", when);
	safe_text(f, &d->digest);
	fputc('\n', f);
	for (i = 0; i < ATTEST_PCRS; i++) {
		if (!d->pcr[i].p || (i > 2 && attest_doc_pcr_zero(&d->pcr[i])))
			continue;
		fprintf(f, "  PCR%u: ", i);
		hex(f, &d->pcr[i]);
		fputc('\n', f);
	}
	hex_line(f, "Nonce", &d->nonce);
	hex_line(f, "User Data", &d->user_data);
	if (d->public_key.p)
		fprintf(f, "  Public Key: %zu bytes\n", d->public_key.len);
	else
		fputs("  Public Key: none\n", f);
	fprintf(f, "  Certificate: %zu bytes\n  CA Bundle: %zu certificate%s\n", d->certificate_len, d->cabundle,
		d->cabundle == 1 ? "" : "s");
}
