/* ops_attest.c: the attest operation (a handler of ops.c's table; see
 * ops_handlers.h).
 *
 * The request starts a child that asks the NSM (attest.c); the reply
 * waits in its ready handler until the answer is in, then streams the
 * document in DOC records, a frame at a time as the client drains them,
 * from the slot that holds it, and ends with DONE. A client that goes away
 * lets go of the slot, and a child still running is killed.
 */
#include "attest.h"
#include "cfg.h"
#include "ops_handlers.h"

void ops_attest_begin(struct reply *r, const struct proto_req *rq)
{
	const struct nsm_ask a = { rq->nonce, rq->nonce_len, rq->user_data, rq->user_data_len };
	int slot = attest_start(&a, &r->attest.gen, r->msg, sizeof r->msg);

	r->attest.slot = slot < 0 ? -1 : slot;
	if (slot == ATTEST_BUSY)
		r->status = PROTO_E_BUSY;
	else if (slot < 0)
		r->status = PROTO_E_FAILED;
}

/* The answer is in (or the request failed): the document is r->attest's
 * from now on, until release. */
static int attest_ready(struct reply *r)
{
	if (r->attest.slot < 0 || r->attest.doc)
		return 1;
	switch (attest_result(r->attest.slot, r->attest.gen, &r->attest.doc, &r->attest.len, r->msg,
			      sizeof r->msg)) {
	case ATTEST_PENDING: return 0;
	case ATTEST_DOC: ops_say(r, PROTO_OK, "attestation document, %zu bytes", r->attest.len); break;
	case ATTEST_FAILED: r->status = PROTO_E_FAILED; break;
	}
	return 1;
}

static int attest_next(struct reply *r, unsigned char *f)
{
	struct proto_doc d;

	if (!r->attest.doc || r->off >= r->attest.len)
		return 0;
	d.bytes = r->attest.doc + r->off;
	d.len = (uint32_t)(r->attest.len - r->off);
	d.total = (uint32_t)r->attest.len;
	d.off = (uint32_t)r->off;
	r->off += proto_pack_doc(f, CFG_HASH, &d);
	return 1;
}

static void attest_release_reply(struct reply *r)
{
	if (r->attest.slot >= 0)
		attest_release(r->attest.slot, r->attest.gen);
	r->attest.slot = -1;
	r->attest.doc = 0;
}

const struct ops_reply ops_attest_reply = { attest_ready, attest_next, attest_release_reply };
