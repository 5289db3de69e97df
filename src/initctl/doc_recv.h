/* doc_recv.h: a document that init streams in DOC records (proto.h:
 * `attest`), put back together in a fixed buffer. */
#ifndef DOC_RECV_H
#define DOC_RECV_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* The largest document taken: the NSM answers in at most 12 KiB (its
 * response buffer), so its document is smaller still. */
#define DOC_RECV_MAX 16384

struct doc_recv {
	unsigned char bytes[DOC_RECV_MAX];
	uint32_t total; /* the size the first record announced */
	uint32_t have;  /* bytes received, in order from 0 */
	int records;    /* DOC records taken */
	char err[96];   /* why the stream was refused */
};

void doc_recv_init(struct doc_recv *r);
/* One record of the reply. Returns 0, or -1 with r->err saying what is
 * wrong with the stream: a record that is not a DOC record or does not
 * decode, an empty one, a size over DOC_RECV_MAX or different from the first
 * record's, bytes that do not start where the last ones ended (a gap or
 * an overlap), more bytes than announced. */
int doc_recv_take(struct doc_recv *r, const unsigned char *f);
/* After the final frame: 0 when the whole document came, or -1 with
 * r->err (no document, or fewer bytes than announced). */
int doc_recv_finish(struct doc_recv *r);

#endif
