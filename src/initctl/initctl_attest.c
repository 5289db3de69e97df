/* initctl_attest.c: `initctl attest`: the NSM's attestation document,
 * which init gets from /dev/nsm and streams back in DOC records, so that
 * the parent instance (over VSOCK: attest is in the read group) can check
 * which measured image it is talking to before it trusts it.
 *
 * Everything that can be checked before init is asked is (the nonce's
 * digits, the user data's file and size, where the document goes): a bad
 * command line costs nothing and exits 2. The reply is put back together
 * in a fixed buffer (doc_recv.c) and always decoded (attest_doc.c) before
 * anything is printed or written: exit status 0 means a whole,
 * well-formed document carrying the nonce and user data asked for. It
 * does not mean a signed one: checking the signature and the certificate
 * chain against AWS's root is the verifier's job, on the raw bytes of -o.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attest_doc.h"
#include "attest_text.h"
#include "doc_recv.h"
#include "initctl_attest.h"
#include "initctl_opts.h"
#include "json_view.h"
#include "out.h"

struct attest_args {
	unsigned char nonce[PROTO_ATTEST_NONCE_MAX];
	unsigned char user_data[PROTO_ATTEST_USER_DATA_MAX];
	size_t nonce_len, user_data_len;
	const char *output; /* -o FILE; "-": standard output */
	int json;
};

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("initctl: attest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return OUT_EXIT_USAGE;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* --nonce HEX: whole bytes, at most the NSM's 512. */
static int take_nonce(const char *v, struct attest_args *a)
{
	size_t n, i;

	if (!v || !*v)
		return usage_error("--nonce needs hex digits (1 to %d bytes)", PROTO_ATTEST_NONCE_MAX);
	n = strlen(v);
	for (i = 0; i < n; i++)
		if (hex_digit(v[i]) < 0)
			return usage_error("--nonce takes hex digits, and '%c' is not one", v[i]);
	if (n % 2)
		return usage_error("--nonce takes whole bytes, two hex digits each, not %zu digits", n);
	if (n / 2 > PROTO_ATTEST_NONCE_MAX)
		return usage_error("--nonce is %zu bytes, more than the NSM takes (%d)", n / 2,
				   PROTO_ATTEST_NONCE_MAX);
	for (i = 0; i < n; i += 2)
		a->nonce[i / 2] = (unsigned char)(hex_digit(v[i]) << 4 | hex_digit(v[i + 1]));
	a->nonce_len = n / 2;
	return 0;
}

/* Up to cap bytes of fd into buf; *got what came. Returns 1 when there is
 * more than cap, 0 at the end, -1 on an error. */
static int read_upto(int fd, unsigned char *buf, size_t cap, size_t *got)
{
	unsigned char more;
	ssize_t n;

	*got = 0;
	for (;;) {
		int full = *got == cap; /* then one byte more says it is too much */

		n = full ? read(fd, &more, 1) : read(fd, buf + *got, cap - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (full)
			return 1;
		*got += (size_t)n;
	}
}

/* --user-data FILE: its bytes, at most the NSM's 512; "-": standard input. */
static int take_user_data(const char *path, struct attest_args *a)
{
	int fd, rc, err;

	if (!path || !*path)
		return usage_error("--user-data needs a file (-: standard input)");
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : 0;
	if (fd < 0)
		return usage_error("cannot read %s: %s", path, strerror(errno));
	rc = read_upto(fd, a->user_data, sizeof a->user_data, &a->user_data_len);
	err = errno;
	if (fd)
		close(fd);
	if (rc < 0)
		return usage_error("cannot read %s: %s", path, strerror(err));
	if (rc > 0)
		return usage_error("--user-data: %s holds more than the NSM takes (%d bytes)", path,
				   PROTO_ATTEST_USER_DATA_MAX);
	return 0;
}

/* One word (with its value, if it takes one). Returns 0 or 2. */
static int take_arg(int argc, char **argv, int *i, struct attest_args *a)
{
	const char *v = 0;

	if (!strcmp(argv[*i], "--json")) {
		a->json = 1;
		return 0;
	}
	if (opts_value(argc, argv, i, 0, "--nonce", &v))
		return take_nonce(v, a);
	if (opts_value(argc, argv, i, 0, "--user-data", &v))
		return take_user_data(v, a);
	if (opts_value(argc, argv, i, "-o", "--output", &v)) {
		if (!v || !*v)
			return usage_error("-o needs a file (-: standard output)");
		a->output = v;
		return 0;
	}
	return usage_error("unknown argument: %s", argv[*i]);
}

static int parse_args(int argc, char **argv, struct attest_args *a)
{
	int i;

	for (i = 0; i < argc; i++)
		if (take_arg(argc, argv, &i, a))
			return OUT_EXIT_USAGE;
	if (a->nonce_len + a->user_data_len > PROTO_TEXT_SIZE)
		return usage_error("the nonce and the user data are %zu bytes together, more than one request "
				   "carries (%d)",
				   a->nonce_len + a->user_data_len, PROTO_TEXT_SIZE);
	if (a->output && !strcmp(a->output, "-")) {
		if (a->json)
			return usage_error("-o - and --json would both write to standard output");
		if (isatty(1))
			return usage_error("-o - writes binary, and standard output is a terminal: give -o FILE, "
					   "or pipe it");
	}
	return 0;
}

static int malformed(const char *why)
{
	char msg[PROTO_TEXT_SIZE];

	snprintf(msg, sizeof msg, "init sent a malformed attestation document: %s", why);
	return out_error(msg);
}

/* The document carries what was asked for: a document made for another
 * request (or a bug) is not this one's answer. */
static int echoes(const struct attest_bytes *got, const unsigned char *sent, size_t n)
{
	if (!n)
		return 1;
	return got->p && got->len == n && !memcmp(got->p, sent, n);
}

/* The document's bytes to -o's file (or standard output). Returns 0, or
 * 1 after saying why not. */
static int write_doc(const char *path, const unsigned char *b, size_t n)
{
	char msg[PROTO_TEXT_SIZE];
	int out = strcmp(path, "-") != 0;
	int fd = out ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644) : 1;
	size_t done = 0;

	while (fd >= 0 && done < n) {
		ssize_t w = write(fd, b + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (fd >= 0 && done == n && (!out || close(fd) == 0))
		return 0;
	snprintf(msg, sizeof msg, "cannot write the attestation document to %s: %s",
		 out ? path : "standard output", strerror(errno));
	if (out && fd >= 0)
		close(fd);
	return out_error(msg);
}

/* DOC records: into the buffer; a broken stream ends the exchange. */
static int doc_record(const unsigned char *f, void *ctx)
{
	return doc_recv_take(ctx, f);
}

static void print_doc(const struct attest_args *a, const struct attest_doc *d)
{
	char msg[PROTO_TEXT_SIZE];
	struct json j;

	if (a->json) {
		json_begin(&j, stdout);
		json_view_attest(&j, d);
		json_end(&j);
		return;
	}
	attest_text_print(stdout, d);
	if (a->output) {
		snprintf(msg, sizeof msg, "Attestation document written to %s", a->output);
		out_ok(msg);
	}
}

int attest_command(const struct client_target *t, int argc, char **argv)
{
	/* Static: the document's 16 KiB buffer. */
	static struct attest_args a;
	static struct doc_recv r;
	static struct attest_doc d;
	struct proto_req rq = { PROTO_OP_ATTEST };
	struct client_result res;
	int rc;

	memset(&a, 0, sizeof a);
	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	rq.nonce = a.nonce;
	rq.nonce_len = (uint32_t)a.nonce_len;
	rq.user_data = a.user_data;
	rq.user_data_len = (uint32_t)a.user_data_len;
	doc_recv_init(&r);
	rc = client_call(t, &rq, doc_record, &r, &res);
	if (r.err[0])
		return malformed(r.err);
	if (rc < 0 || res.status != PROTO_OK)
		return out_failed(res.status, res.msg);
	if (doc_recv_finish(&r) < 0)
		return malformed(r.err);
	if (attest_doc_decode(r.bytes, r.total, &d) < 0)
		return malformed(d.err);
	if (!echoes(&d.nonce, a.nonce, a.nonce_len) || !echoes(&d.user_data, a.user_data, a.user_data_len))
		return out_error("init sent an attestation document without the nonce or user data asked for");
	if (a.output && write_doc(a.output, r.bytes, r.total))
		return OUT_EXIT_FAILED;
	if (!a.output || strcmp(a.output, "-") != 0)
		print_doc(&a, &d);
	return 0;
}
