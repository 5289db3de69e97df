/*
 * nsmpcr INDEX...: print PCRs as the NSM device reports them, one line
 * each, "PCR<INDEX> <hex>". A test tool of the emulated Nitro Enclave tier
 * (tests/nitro): the guest reads PCR0, 1 and 2 through /dev/nsm with it,
 * and the host compares them with tools/mkeif.py's prediction.
 *
 * Why its own tool: the project's `init` talks to the NSM only for
 * `initctl attest`; this checks the device and the measurement without it,
 * with the driver's raw ioctl (linux/nsm.h: NSM_IOCTL_RAW, a request and a
 * response buffer) and a hand-encoded CBOR request,
 * {"DescribePCR": {"index": N}}. The response is
 * {"DescribePCR": {"lock": bool, "data": bytes}}; this takes the byte
 * string after the key "data" (a test tool: no general CBOR reader).
 * Exits 1, saying why on stderr, when the device or a response is not as
 * expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* linux/nsm.h (6.8+), spelled out: the build host's headers may predate it. */
struct nsm_iovec {
	uint64_t addr;
	uint64_t len;
};
struct nsm_raw {
	struct nsm_iovec request;
	struct nsm_iovec response;
};
#define NSM_IOCTL_RAW _IOWR(0x0A, 0, struct nsm_raw)
#define NSM_RESPONSE_MAX 0x3000

static int describe_pcr(int fd, unsigned index, uint8_t *resp, size_t *len)
{
	/* map(1) "DescribePCR" map(1) "index" uint */
	uint8_t req[32] = { 0xa1, 0x6b, 'D', 'e',  's',  'c', 'r', 'i', 'b', 'e',
			    'P',  'C',  'R', 0xa1, 0x65, 'i', 'n', 'd', 'e', 'x' };
	size_t n = 20;
	if (index < 24) {
		req[n++] = (uint8_t)index;
	} else {
		req[n++] = 0x18;
		req[n++] = (uint8_t)index;
	}
	struct nsm_raw raw = {
		.request = { .addr = (uintptr_t)req, .len = n },
		.response = { .addr = (uintptr_t)resp, .len = *len },
	};
	if (ioctl(fd, NSM_IOCTL_RAW, &raw) < 0)
		return -1;
	*len = (size_t)raw.response.len;
	return 0;
}

/* The byte string after the text key "data": its start and length, or -1. */
static long find_data(const uint8_t *r, size_t len, size_t *out_len)
{
	static const uint8_t key[] = { 0x64, 'd', 'a', 't', 'a' };
	for (size_t i = 0; i + sizeof key + 1 < len; i++) {
		if (memcmp(r + i, key, sizeof key) != 0)
			continue;
		size_t p = i + sizeof key;
		uint8_t h = r[p++];
		size_t n;
		if (h >= 0x40 && h < 0x58) {
			n = h - 0x40u;
		} else if (h == 0x58 && p < len) {
			n = r[p++];
		} else if (h == 0x59 && p + 1 < len) {
			n = (size_t)r[p] << 8 | r[p + 1];
			p += 2;
		} else {
			return -1;
		}
		if (p + n > len)
			return -1;
		*out_len = n;
		return (long)p;
	}
	return -1;
}

static int print_pcr(int fd, unsigned index)
{
	static uint8_t resp[NSM_RESPONSE_MAX];
	size_t len = sizeof resp, n;
	if (describe_pcr(fd, index, resp, &len) < 0) {
		fprintf(stderr, "nsmpcr: PCR%u: ioctl NSM_IOCTL_RAW: %s\n", index, strerror(errno));
		return -1;
	}
	long at = find_data(resp, len, &n);
	if (at < 0 || n == 0) {
		fprintf(stderr, "nsmpcr: PCR%u: no \"data\" byte string in the %zu-byte response:", index, len);
		for (size_t i = 0; i < len && i < 64; i++)
			fprintf(stderr, " %02x", resp[i]);
		fputc('\n', stderr);
		return -1;
	}
	printf("PCR%u ", index);
	for (size_t i = 0; i < n; i++)
		printf("%02x", resp[at + (long)i]);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nsmpcr INDEX...\n");
		return 2;
	}
	int fd = open("/dev/nsm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "nsmpcr: /dev/nsm: %s\n", strerror(errno));
		return 1;
	}
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		char *end;
		unsigned long index = strtoul(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0' || index > 31) {
			fprintf(stderr, "nsmpcr: %s: not a PCR index (0..31)\n", argv[i]);
			return 2;
		}
		if (print_pcr(fd, (unsigned)index) < 0)
			rc = 1;
	}
	close(fd);
	return rc;
}
