/* nsm.c: the attestation request to the Nitro Secure Module (see nsm.h).
 *
 * Runs in attest.c's child process, never in init itself: the ioctl
 * blocks. Nothing is allocated: the request and the reply live on the
 * child's stack, at the device's own maximum sizes. Every byte of a reply
 * is checked before it is used, through cbor.h's reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cbor.h"
#include "fmt.h"
#include "nsm.h"

_Static_assert(sizeof(struct nsm_raw) == 32, "struct nsm_raw is the kernel's: two (u64, u64) pairs");

/* A byte string, or null when empty. */
static void put_opt_bytes(struct cbor_out *o, const void *b, size_t n)
{
	if (n)
		cbor_put_bytes(o, b, n);
	else
		cbor_put_null(o);
}

size_t nsm_request_encode(unsigned char *buf, size_t cap, const struct nsm_ask *a)
{
	struct cbor_out o;

	cbor_out_init(&o, buf, cap);
	cbor_put_head(&o, CBOR_MAP, 1);
	cbor_put_text(&o, "Attestation");
	/* The fields in the order of the NSM API's own Request::Attestation. */
	cbor_put_head(&o, CBOR_MAP, 3);
	cbor_put_text(&o, "user_data");
	put_opt_bytes(&o, a->user_data, a->user_data_len);
	cbor_put_text(&o, "nonce");
	put_opt_bytes(&o, a->nonce, a->nonce_len);
	cbor_put_text(&o, "public_key");
	cbor_put_null(&o);
	return o.overflow ? 0 : o.len;
}

/* What the device said, fit for a message: printable ASCII, the rest '?',
 * at most 64 bytes. */
static void printable(char *dst, size_t cap, const unsigned char *s, size_t n)
{
	size_t i;

	if (n > 64)
		n = 64;
	for (i = 0; i < n && i + 1 < cap; i++) {
		char c = '?';
		if (s[i] >= 0x20 && s[i] < 0x7f)
			c = (char)s[i];
		dst[i] = c;
	}
	dst[i] = 0;
}

/* The value of key in the map that in is at (its head not read yet):
 * returns 0 with *val at it, 1 when the map has no such key, -1 when in is
 * not at a well-formed map. */
static int map_value(struct cbor_in in, const char *key, struct cbor_in *val)
{
	struct cbor_item m;

	if (cbor_read(&in, &m) < 0 || m.major != CBOR_MAP)
		return -1;
	return cbor_map_find(&in, m.arg, key, val);
}

/* {"Attestation": {"document": bstr}}: 0 and the document, else -1. */
static int document_of(struct cbor_in in, const unsigned char **doc, size_t *len)
{
	struct cbor_in att, d;
	struct cbor_item it;

	if (map_value(in, "Attestation", &att) != 0 || map_value(att, "document", &d) != 0 ||
	    cbor_read(&d, &it) < 0 || it.major != CBOR_BYTES || !it.arg)
		return -1;
	*doc = it.data;
	*len = (size_t)it.arg;
	return 0;
}

int nsm_reply_document(const unsigned char *reply, size_t len, const unsigned char **doc, size_t *doc_len,
		       char *msg, size_t cap)
{
	struct cbor_in in, err, whole;
	struct cbor_item it;
	char what[72];

	cbor_in_init(&in, reply, len);
	/* One item, and nothing after it: anything else is not a reply. */
	whole = in;
	if (cbor_skip(&whole) < 0 || whole.p != whole.end) {
		fmt_fmt(msg, cap, "attestation: the NSM's reply is not well-formed CBOR (%zu bytes)", len);
		return -1;
	}
	if (document_of(in, doc, doc_len) == 0)
		return 0;
	/* {"Error": "InvalidArgument"}: the NSM's own word for what went wrong. */
	if (map_value(in, "Error", &err) == 0 && cbor_read(&err, &it) == 0 && it.major == CBOR_TEXT) {
		printable(what, sizeof what, it.data, (size_t)it.arg);
		fmt_fmt(msg, cap, "attestation: the NSM refused the request: %s", what);
		return -1;
	}
	/* A bare string answers a request of another kind ("LockPCRs"). */
	if (cbor_read(&in, &it) == 0 && it.major == CBOR_TEXT) {
		printable(what, sizeof what, it.data, (size_t)it.arg);
		fmt_fmt(msg, cap, "attestation: the NSM answered '%s', not a document", what);
		return -1;
	}
	fmt_fmt(msg, cap, "attestation: the NSM's reply holds no attestation document");
	return -1;
}

void nsm_open_error(char *msg, size_t cap, int err)
{
	if (err == ENOENT)
		fmt_fmt(msg, cap,
			"attestation: no NSM device (" NSM_DEVICE ": %s); is the NSM driver loaded "
			"(nsm_driver_path)?",
			strerror(err));
	else
		fmt_fmt(msg, cap, "attestation: cannot open " NSM_DEVICE ": %s", strerror(err));
}

static void write_all(int fd, const void *b, size_t n)
{
	const unsigned char *p = b;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* init has gone (a reload): nobody to tell */
		p += w;
		n -= (size_t)w;
	}
}

static void answer(int fd, char tag, const void *b, size_t n)
{
	write_all(fd, &tag, 1);
	write_all(fd, b, n);
}

static void fail(int fd, const char *msg)
{
	answer(fd, NSM_ANSWER_ERROR, msg, strlen(msg));
}

void nsm_attest_run(int fd, const void *ctx)
{
	unsigned char req[NSM_REQUEST_MAX_SIZE], resp[NSM_RESPONSE_MAX_SIZE];
	const unsigned char *doc;
	struct nsm_raw raw;
	char msg[192];
	size_t n = nsm_request_encode(req, sizeof req, ctx), doc_len;
	int dev, rc;

	if (!n) {
		fail(fd, "attestation: the request does not fit the NSM's 4096 bytes");
		return;
	}
	dev = open(NSM_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		nsm_open_error(msg, sizeof msg, errno);
		fail(fd, msg);
		return;
	}
	memset(&raw, 0, sizeof raw);
	raw.request.addr = (uintptr_t)req;
	raw.request.len = n;
	raw.response.addr = (uintptr_t)resp;
	raw.response.len = sizeof resp;
	while ((rc = ioctl(dev, NSM_IOCTL_RAW, &raw)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		fmt_fmt(msg, sizeof msg, "attestation: the NSM request failed (ioctl on " NSM_DEVICE ": %s)",
			strerror(errno));
		fail(fd, msg);
	} else if (raw.response.len > sizeof resp) {
		fail(fd, "attestation: the NSM driver reported a reply larger than its buffer");
	} else if (nsm_reply_document(resp, (size_t)raw.response.len, &doc, &doc_len, msg, sizeof msg) < 0) {
		fail(fd, msg);
	} else {
		answer(fd, NSM_ANSWER_DOC, doc, doc_len);
	}
	close(dev);
}
