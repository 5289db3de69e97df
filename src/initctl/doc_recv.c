/* doc_recv.c: DOC records put back together (see doc_recv.h).
 *
 * init sends a document's bytes in order, each record saying where its
 * bytes sit and how large the whole is; anything else is a broken or
 * hostile peer, and is refused rather than patched up: a document with a
 * hole or with bytes written twice is not the one the NSM signed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doc_recv.h"

__attribute__((format(printf, 2, 3))) static int bad(struct doc_recv *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

void doc_recv_init(struct doc_recv *r)
{
	r->total = r->have = 0;
	r->records = 0;
	r->err[0] = 0;
}

int doc_recv_take(struct doc_recv *r, const unsigned char *f)
{
	struct proto_doc d;

	if (r->err[0])
		return -1; /* the first fault is the one to report */
	/* The reply is DOC records only: anything else is refused too. */
	if (proto_unpack_doc(f, &d) < 0)
		return bad(r, "a record that is not a piece of it, or ends past its size");
	if (!d.len)
		return bad(r, "an empty record");
	if (!r->records) {
		if (d.total > DOC_RECV_MAX)
			return bad(r, "%u bytes, more than %d", (unsigned)d.total, DOC_RECV_MAX);
		r->total = d.total;
	} else if (d.total != r->total) {
		return bad(r, "its size changed from %u to %u bytes", (unsigned)r->total, (unsigned)d.total);
	}
	if (d.off != r->have)
		return bad(r, "bytes at %u after %u (%s)", (unsigned)d.off, (unsigned)r->have,
			   d.off > r->have ? "a gap" : "an overlap");
	/* off + len <= total <= DOC_RECV_MAX: proto_unpack_doc and above. */
	memcpy(r->bytes + d.off, d.bytes, d.len);
	r->have += d.len;
	r->records++;
	return 0;
}

int doc_recv_finish(struct doc_recv *r)
{
	if (!r->records)
		return bad(r, "no document came");
	if (r->have != r->total)
		return bad(r, "it ended after %u of %u bytes", (unsigned)r->have, (unsigned)r->total);
	return 0;
}
