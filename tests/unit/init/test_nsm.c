/* nsm.c: the request byte for byte (written out by hand from RFC 8949),
 * the document out of good replies, the NSM's errors, and replies that are
 * truncated, malformed or hostile; then nsm_attest_run against a fake
 * device (open and ioctl wrapped: -Wl,--wrap=open,--wrap=ioctl). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "cbor.h"
#include "harness.h"
#include "nsm.h"

static unsigned char buf[NSM_REQUEST_MAX_SIZE];
static char msg[192];

/* "Attestation" and the other keys as CBOR text heads + bytes. */
#define K_ATTESTATION \
	"\x6b"        \
	"Attestation"
#define K_USER_DATA \
	"\x69"      \
	"user_data"
#define K_NONCE \
	"\x65"  \
	"nonce"
#define K_PUBLIC_KEY \
	"\x6a"       \
	"public_key"

TEST(request_with_nonce_and_user_data)
{
	static const char want[] = "\xa1" K_ATTESTATION "\xa3" K_USER_DATA "\x42\x01\x02" K_NONCE "\x43"
				   "abc" K_PUBLIC_KEY "\xf6";
	struct nsm_ask a = { "abc", 3, "\x01\x02", 2 };
	size_t n = nsm_request_encode(buf, sizeof buf, &a);

	CHECK(n == sizeof want - 1 && !memcmp(buf, want, n));
}

TEST(request_without_either_is_nulls)
{
	static const char want[] =
		"\xa1" K_ATTESTATION "\xa3" K_USER_DATA "\xf6" K_NONCE "\xf6" K_PUBLIC_KEY "\xf6";
	struct nsm_ask a = { 0, 0, 0, 0 };
	size_t n = nsm_request_encode(buf, sizeof buf, &a);

	CHECK(n == sizeof want - 1 && !memcmp(buf, want, n));
}

TEST(request_at_the_limits)
{
	/* 512 bytes each (the protocol's limits): two-byte length heads. */
	static unsigned char nonce[512], ud[512];
	struct nsm_ask a = { nonce, sizeof nonce, ud, sizeof ud };
	struct cbor_in in, v;
	struct cbor_item it;
	size_t n;

	memset(nonce, 0xaa, sizeof nonce);
	memset(ud, 0x55, sizeof ud);
	n = nsm_request_encode(buf, sizeof buf, &a);
	CHECK(n == 1 + 12 + 1 + 10 + 3 + 512 + 6 + 3 + 512 + 11 + 1);
	cbor_in_init(&in, buf, n);
	CHECK(cbor_read(&in, &it) == 0 && cbor_map_find(&in, it.arg, "Attestation", &v) == 0);
	CHECK(cbor_read(&v, &it) == 0 && it.major == CBOR_MAP && cbor_map_find(&v, it.arg, "nonce", &in) == 0);
	CHECK(cbor_read(&in, &it) == 0 && it.major == CBOR_BYTES && it.arg == 512 && it.data[511] == 0xaa);
	/* Too small a buffer: 0, not a cut request. */
	CHECK(nsm_request_encode(buf, n - 1, &a) == 0);
	CHECK(nsm_request_encode(buf, 0, &a) == 0);
}

static const unsigned char *doc;
static size_t doc_len;

static int parse(const void *reply, size_t n)
{
	doc = 0;
	doc_len = 0;
	msg[0] = 0;
	return nsm_reply_document(reply, n, &doc, &doc_len, msg, sizeof msg);
}
#define PARSE(s) parse(s, sizeof(s) - 1)

/* {"Attestation": {"document": h'd2840102'}} */
static const char good[] = "\xa1" K_ATTESTATION "\xa1\x68"
			   "document"
			   "\x44\xd2\x84\x01\x02";

TEST(good_reply_gives_the_document)
{
	CHECK(PARSE(good) == 0 && doc_len == 4 && !memcmp(doc, "\xd2\x84\x01\x02", 4));
	CHECK(doc == (const unsigned char *)good + sizeof good - 5); /* in place */
	/* Other keys around it are passed over. */
	CHECK(PARSE("\xa2\x61x\x00" K_ATTESTATION "\xa2\x61y\xf6\x68"
		    "document"
		    "\x41\x07") == 0 &&
	      doc_len == 1 && doc[0] == 7);
}

TEST(nsm_errors_are_said)
{
	CHECK(PARSE("\xa1\x65"
		    "Error"
		    "\x6f"
		    "InvalidArgument") < 0);
	CHECK_STR(msg, "attestation: the NSM refused the request: InvalidArgument");
	CHECK(PARSE("\xa1\x65"
		    "Error"
		    "\x6d"
		    "InternalError") < 0);
	CHECK_STR(msg, "attestation: the NSM refused the request: InternalError");
	/* A bare string: the answer to another kind of request. */
	CHECK(PARSE("\x68"
		    "LockPCRs") < 0);
	CHECK_STR(msg, "attestation: the NSM answered 'LockPCRs', not a document");
	/* An error's text reaches a terminal: only printable ASCII, cut. */
	CHECK(PARSE("\xa1\x65"
		    "Error"
		    "\x64"
		    "a\x1b[b") < 0);
	CHECK_STR(msg, "attestation: the NSM refused the request: a?[b");
	{
		char big[9 + 200] = "\xa1\x65"
				    "Error"
				    "\x78\xc8"; /* text of 200 bytes */
		memset(big + 9, 'x', 200);
		CHECK(parse(big, sizeof big) < 0 &&
		      strlen(msg) == strlen("attestation: the NSM refused the request: ") + 64);
	}
}

#define CASE(s)                  \
	{                        \
		s, sizeof(s) - 1 \
	}

TEST(replies_without_a_document)
{
	static const struct {
		const char *b;
		size_t n;
	} cases[] = {
		CASE("\xa0"),                      /* {} */
		CASE("\xa1" K_ATTESTATION "\xa0"), /* no document */
		CASE("\xa1" K_ATTESTATION "\xa1\x68"
		     "document"
		     "\xf6"), /* document: null */
		CASE("\xa1" K_ATTESTATION "\xa1\x68"
		     "document"
		     "\x63"
		     "abc"), /* document: a text */
		CASE("\xa1" K_ATTESTATION "\xa1\x68"
		     "document"
		     "\x40"),                          /* document: empty */
		CASE("\xa1" K_ATTESTATION "\x81\x00"), /* not a map */
		CASE("\xa1\x65"
		     "Error"
		     "\x01"), /* error: not a text */
		CASE("\xa1\x68"
		     "document"
		     "\x41\x00"), /* a document, not in Attestation */
		CASE("\x00"),
		CASE("\xf6"),
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(parse(cases[i].b, cases[i].n) < 0 && !doc && !strncmp(msg, "attestation: ", 13));
	CHECK(PARSE("\xa0") < 0);
	CHECK_STR(msg, "attestation: the NSM's reply holds no attestation document");
}

TEST(truncated_replies_at_every_byte)
{
	size_t n;

	for (n = 0; n < sizeof good - 1; n++) {
		CHECK(parse(good, n) < 0 && !doc);
		CHECK(!strncmp(msg, "attestation: the NSM's reply is not well-formed CBOR", 52));
	}
}

TEST(hostile_replies)
{
	/* Trailing bytes after the reply; a document longer than the reply;
	 * indefinite lengths; a map of 2^64-1 pairs; deep nesting. */
	static unsigned char deep[NSM_RESPONSE_MAX_SIZE];
	size_t i;

	CHECK(parse(good, sizeof good) < 0); /* the terminating NUL is one byte too many */
	CHECK(PARSE("\xa1" K_ATTESTATION "\xa1\x68"
		    "document"
		    "\x5a\xff\xff\xff\xff\x00") < 0);
	CHECK(PARSE("\xbf" K_ATTESTATION "\xa0\xff") < 0);
	CHECK(PARSE("\xa1" K_ATTESTATION "\xa1\x68"
		    "document"
		    "\x5f\x41\x00\xff") < 0);
	CHECK(PARSE("\xbb\xff\xff\xff\xff\xff\xff\xff\xff" K_ATTESTATION) < 0);
	/* 12 KiB of nested arrays: no recursion, no stack to exhaust. */
	for (i = 0; i < sizeof deep; i++)
		deep[i] = 0x81;
	deep[sizeof deep - 1] = 0x00;
	CHECK(parse(deep, sizeof deep) < 0);
	/* The same depth of maps whose keys are "Attestation": refused too. */
	CHECK(PARSE("\xa1" K_ATTESTATION "\xa1" K_ATTESTATION "\xa1\x68"
		    "document"
		    "\x41\x00") < 0);
	CHECK(parse(0, 0) < 0);
}

TEST(open_errors)
{
	nsm_open_error(msg, sizeof msg, ENOENT);
	CHECK_STR(msg, "attestation: no NSM device (" NSM_DEVICE ": No such file or directory); is the NSM driver "
		       "loaded (nsm_driver_path)?");
	nsm_open_error(msg, sizeof msg, EACCES);
	CHECK_STR(msg, "attestation: cannot open " NSM_DEVICE ": Permission denied");
}

/* --- nsm_attest_run against a fake device ------------------------------ */

static int open_errno;     /* open(NSM_DEVICE) fails with it; 0: opens */
static int ioctl_errno;    /* the ioctl fails with it */
static const void *reply;  /* what the fake NSM answers */
static size_t reply_size;  /* its bytes */
static size_t reply_len;   /* the length it reports (may lie: larger than the buffer) */
static size_t request_len; /* what it was asked */
static unsigned char request[NSM_REQUEST_MAX_SIZE];
static unsigned ioctl_cmd;
static int dev_fd = -1;

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	if (strcmp(path, NSM_DEVICE) != 0) {
		va_list ap;
		int mode;
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
		return __real_open(path, flags, mode);
	}
	if (open_errno) {
		errno = open_errno;
		return -1;
	}
	CHECK((flags & O_ACCMODE) == O_RDWR && (flags & O_CLOEXEC));
	dev_fd = __real_open("/dev/null", O_RDONLY | O_CLOEXEC);
	return dev_fd;
}

/* int, as musl declares it (glibc's unsigned long reaches it the same
 * on x86_64 and arm64: the low 32 bits). */
int __wrap_ioctl(int fd, int cmd, ...)
{
	struct nsm_raw *raw;
	va_list ap;

	va_start(ap, cmd);
	raw = va_arg(ap, struct nsm_raw *);
	va_end(ap);
	CHECK(fd == dev_fd);
	ioctl_cmd = (unsigned)cmd;
	if (ioctl_errno) {
		errno = ioctl_errno;
		return -1;
	}
	request_len = raw->request.len;
	if (request_len <= sizeof request)
		memcpy(request, (const void *)(uintptr_t)raw->request.addr, request_len);
	CHECK(raw->response.len == NSM_RESPONSE_MAX_SIZE);
	memcpy((void *)(uintptr_t)raw->response.addr, reply,
	       reply_size < raw->response.len ? reply_size : raw->response.len);
	raw->response.len = reply_len;
	return 0;
}

static char answer[NSM_RESPONSE_MAX_SIZE + 16];
static ssize_t answer_len;

/* Run the child's work in this process, its pipe read back whole. */
static void run(const struct nsm_ask *a)
{
	int p[2];

	CHECK(pipe(p) == 0);
	nsm_attest_run(p[1], a);
	close(p[1]);
	answer_len = read(p[0], answer, sizeof answer - 1);
	answer[answer_len > 0 ? answer_len : 0] = 0;
	close(p[0]);
	if (dev_fd >= 0)
		CHECK(fcntl(dev_fd, F_GETFD) < 0 && errno == EBADF); /* the device was closed */
	dev_fd = -1;
}

static void fake(int open_err, int ioctl_err, const void *r, size_t n)
{
	open_errno = open_err;
	ioctl_errno = ioctl_err;
	reply = r;
	reply_size = reply_len = n;
}

TEST(run_sends_the_request_and_answers_the_document)
{
	struct nsm_ask a = { "abc", 3, 0, 0 };
	size_t n = nsm_request_encode(buf, sizeof buf, &a);

	fake(0, 0, good, sizeof good - 1);
	run(&a);
	CHECK(ioctl_cmd == 0xc0200a00u); /* _IOWR(0x0A, 0, 32 bytes), as the kernel has it */
	CHECK(request_len == n && !memcmp(request, buf, n));
	CHECK(answer_len == 5 && !memcmp(answer, "D\xd2\x84\x01\x02", 5));
}

TEST(run_answers_errors)
{
	struct nsm_ask a = { 0, 0, 0, 0 };
	char want[192];

	fake(ENOENT, 0, 0, 0);
	run(&a);
	CHECK_STR(answer, "Eattestation: no NSM device (" NSM_DEVICE ": No such file or directory); is the NSM "
			  "driver loaded (nsm_driver_path)?");
	fake(0, ENOTTY, 0, 0);
	run(&a);
	snprintf(want, sizeof want, "Eattestation: the NSM request failed (ioctl on " NSM_DEVICE ": %s)",
		 strerror(ENOTTY)); /* the C library's words */
	CHECK_STR(answer, want);
	fake(0, 0,
	     "\xa1\x65"
	     "Error"
	     "\x6f"
	     "InvalidArgument",
	     23);
	run(&a);
	CHECK_STR(answer, "Eattestation: the NSM refused the request: InvalidArgument");
	/* A driver that says it wrote more than the buffer holds. */
	fake(0, 0, good, sizeof good - 1);
	reply_len = NSM_RESPONSE_MAX_SIZE + 1;
	run(&a);
	CHECK_STR(answer, "Eattestation: the NSM driver reported a reply larger than its buffer");
}

RUN_TESTS("nsm", T(request_with_nonce_and_user_data), T(request_without_either_is_nulls), T(request_at_the_limits),
	  T(good_reply_gives_the_document), T(nsm_errors_are_said), T(replies_without_a_document),
	  T(truncated_replies_at_every_byte), T(hostile_replies), T(open_errors),
	  T(run_sends_the_request_and_answers_the_document), T(run_answers_errors))
