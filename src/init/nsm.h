/* nsm.h: asking the Nitro Secure Module for an attestation document.
 *
 * The request is CBOR written into a fixed buffer, the reply CBOR read in
 * place (cbor.h), and between them one raw ioctl on /dev/nsm. That ioctl
 * waits for the device (the driver waits for the hypervisor's answer with
 * a long timeout), so init never makes it: nsm_attest_run is what the
 * short-lived child of attest.c runs. The encoding and the parsing are
 * pure functions, tested without a device.
 */
#ifndef NSM_H
#define NSM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* The device: a unit test may compile another path in (-DNSM_DEVICE=...). */
#ifndef NSM_DEVICE
#define NSM_DEVICE "/dev/nsm"
#endif

/* The kernel's ABI (include/uapi/linux/nsm.h, Linux 6.8), written out:
 * the C library's headers may predate it. */
#define NSM_MAGIC 0x0A
#define NSM_REQUEST_MAX_SIZE 0x1000
#define NSM_RESPONSE_MAX_SIZE 0x3000
struct nsm_iovec {
	uint64_t addr; /* the buffer */
	uint64_t len;  /* its size; for the response, set by the driver to the reply's */
};
struct nsm_raw {
	struct nsm_iovec request, response;
};
#define NSM_IOCTL_RAW _IOWR(NSM_MAGIC, 0x0, struct nsm_raw)

/* What the child writes to its pipe: one tag byte, then the document, or
 * a message (the pipe's end ends it). */
#define NSM_ANSWER_DOC 'D'
#define NSM_ANSWER_ERROR 'E'

/* What is asked: either may be empty, and then goes as null (the
 * document then has none). */
struct nsm_ask {
	const void *nonce;
	size_t nonce_len;
	const void *user_data;
	size_t user_data_len;
};

/* {"Attestation": {"user_data": bstr|null, "nonce": bstr|null,
 * "public_key": null}} into buf. Returns its length, or 0 when it does not
 * fit in cap. */
size_t nsm_request_encode(unsigned char *buf, size_t cap, const struct nsm_ask *a);
/* The document in a reply {"Attestation": {"document": bstr}}: returns 0
 * with *doc and *doc_len pointing into reply; -1 with msg saying what the
 * NSM answered instead (its error, or a reply that is not one). */
int nsm_reply_document(const unsigned char *reply, size_t len, const unsigned char **doc, size_t *doc_len,
		       char *msg, size_t cap);
/* The message for NSM_DEVICE that cannot be opened (errno err): for
 * ENOENT, that there is no NSM driver. */
void nsm_open_error(char *msg, size_t cap, int err);
/* The child's work: ask the NSM for a (const struct nsm_ask *) ctx and
 * write the answer to fd, NSM_ANSWER_DOC and the document or
 * NSM_ANSWER_ERROR and a message. Blocks as long as the device does. */
void nsm_attest_run(int fd, const void *ctx);

#endif
