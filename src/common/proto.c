/* proto.c: frame packing and validation, shared by init and initctl.
 *
 * Pure functions over byte arrays: no I/O, no allocation, no state. Every
 * frame init reads passes through proto_check_request() before any field of
 * it is trusted.
 */
#include <string.h>

#include "proto.h"

void proto_put16(unsigned char *f, size_t off, uint16_t v)
{
	f[off] = (unsigned char)(v >> 8);
	f[off + 1] = (unsigned char)v;
}

void proto_put32(unsigned char *f, size_t off, uint32_t v)
{
	proto_put16(f, off, (uint16_t)(v >> 16));
	proto_put16(f, off + 2, (uint16_t)v);
}

void proto_put64(unsigned char *f, size_t off, uint64_t v)
{
	proto_put32(f, off, (uint32_t)(v >> 32));
	proto_put32(f, off + 4, (uint32_t)v);
}

uint16_t proto_get16(const unsigned char *f, size_t off)
{
	return (uint16_t)(f[off] << 8 | f[off + 1]);
}

uint32_t proto_get32(const unsigned char *f, size_t off)
{
	return (uint32_t)proto_get16(f, off) << 16 | proto_get16(f, off + 2);
}

uint64_t proto_get64(const unsigned char *f, size_t off)
{
	return (uint64_t)proto_get32(f, off) << 32 | proto_get32(f, off + 4);
}

void proto_init(unsigned char *f, uint16_t op, uint64_t hash)
{
	memset(f, 0, PROTO_FRAME_SIZE);
	proto_put32(f, PROTO_OFF_MAGIC, PROTO_MAGIC);
	proto_put16(f, PROTO_OFF_VERSION, PROTO_VERSION);
	proto_put16(f, PROTO_OFF_OP, op);
	proto_put64(f, PROTO_OFF_HASH, hash);
}

size_t proto_put_str(unsigned char *f, size_t off, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n > size - 1)
		n = size - 1;
	memcpy(f + off, s, n);
	f[off + n] = 0;
	return n;
}

const char *proto_get_str(const unsigned char *f, size_t off, size_t size)
{
	return memchr(f + off, 0, size) ? (const char *)f + off : 0;
}

int proto_op_has_name(unsigned op)
{
	return op == PROTO_OP_STATUS || op == PROTO_OP_START || op == PROTO_OP_STOP ||
	       op == PROTO_OP_RESTART || op == PROTO_OP_LOGS || op == PROTO_OP_LOGS_CLEAR ||
	       op == PROTO_OP_ENABLE || op == PROTO_OP_DISABLE || op == PROTO_OP_LOGS_STREAM ||
	       op == PROTO_OP_LOGS_STREAM_STOP;
}

int proto_name_ok(const char *name)
{
	size_t i;

	if (!name[0] || name[0] == '.' || name[0] == '-' || name[0] == '@')
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '_' || c == '.' || c == '@' || c == '-';
		if (!ok || i >= PROTO_NAME_SIZE - 1)
			return 0;
	}
	return 1;
}

/* Header checks common to both directions. */
static enum proto_status check_header(const unsigned char *f, const char **why)
{
	if (proto_get32(f, PROTO_OFF_MAGIC) != PROTO_MAGIC) {
		*why = "bad magic: not an enclave-init frame";
		return PROTO_E_FRAME;
	}
	if (proto_get16(f, PROTO_OFF_VERSION) != PROTO_VERSION) {
		*why = "unsupported protocol version";
		return PROTO_E_VERSION;
	}
	if (proto_get16(f, PROTO_OFF_FLAGS) & ~PROTO_F_KNOWN) {
		*why = "unknown flags set";
		return PROTO_E_FRAME;
	}
	return PROTO_OK;
}

/* The arguments each operation takes; everything else must be zero, so
 * that a later version can give those bytes a meaning without ambiguity. */
static int args_ok(unsigned op, uint32_t a0, uint32_t a1, uint32_t a2, const char **why)
{
	int waits = op == PROTO_OP_START || op == PROTO_OP_STOP || op == PROTO_OP_RESTART;

	*why = "unused request fields must be zero";
	if (op == PROTO_OP_LOGS) {
		if (a1 & ~PROTO_LOGS_FOLLOW)
			*why = "unknown logs option bits";
		return !(a1 & ~PROTO_LOGS_FOLLOW) && !a2;
	}
	if (op == PROTO_OP_LOGS_STREAM) {
		/* CIDs 0 (hypervisor) and -1 (any) cannot be connected to. */
		if (a0 == 0 || a0 == 0xffffffffu || !a1 || a1 == 0xffffffffu)
			*why = "bad logs-stream address: CID and port must be real";
		return a0 != 0 && a0 != 0xffffffffu && a1 && a1 != 0xffffffffu;
	}
	if (op == PROTO_OP_LOGS_STREAM_STOP)
		return !a0 && !a2;
	if (op == PROTO_OP_PS_STATUS || op == PROTO_OP_PS_STOP || op == PROTO_OP_PS_RESTART)
		return !a1 && !a2;  /* arg0 pid: any value; init says what is wrong with it */
	if (op == PROTO_OP_PS_KILL) {
		if (a1 < 1 || a1 > PROTO_SIG_MAX)
			*why = "bad signal: 1 to 64";
		return a1 >= 1 && a1 <= PROTO_SIG_MAX && !a2;
	}
	if (op == PROTO_OP_PS_START) {
		*why = "bad ps start: 1 to 255 arguments, at most 928 bytes of text";
		return a0 >= 1 && a0 <= PROTO_PS_MAX_ARGS && a1 <= PROTO_PS_MAX_ARGS && a2 && a2 <= PROTO_TEXT_SIZE;
	}
	if (op == PROTO_OP_ENABLE) {
		if (a0 & ~PROTO_ENABLE_NOW)
			*why = "unknown enable option bits";
		return !(a0 & ~PROTO_ENABLE_NOW) && !a1 && !a2;
	}
	if (waits && a1) {
		if (a1 != PROTO_WAIT || !a2 || a2 > PROTO_WAIT_MAX_SEC)
			*why = "bad wait: arg1 must be 1 and the timeout 1 to 86400 seconds";
		return !a0 && a1 == PROTO_WAIT && a2 && a2 <= PROTO_WAIT_MAX_SEC;
	}
	return !a0 && !a1 && !a2;
}

/* ps start's text: exactly arg0 + arg1 NUL-terminated strings in arg2
 * bytes, a non-empty command, and KEY=VALUE environment entries. */
static int ps_start_text_ok(const unsigned char *f, const char **why)
{
	uint32_t argc = proto_get32(f, PROTO_OFF_ARG0), envc = proto_get32(f, PROTO_OFF_ARG1);
	uint32_t len = proto_get32(f, PROTO_OFF_ARG2), k = 0, n = 0, start = 0, i;
	const unsigned char *t = f + PROTO_OFF_TEXT;

	*why = "bad ps start text: the strings do not match their counts";
	for (i = 0; i < len; i++) {
		if (t[i])
			continue;
		if (k == 0 && i == 0) {
			*why = "bad ps start text: empty command";
			return 0;
		}
		if (k >= argc) {
			const unsigned char *eq = memchr(t + start, '=', i - start);
			if (!eq || eq == t + start) {
				*why = "bad ps start text: environment entries must be KEY=VALUE";
				return 0;
			}
		}
		k++;
		n = i + 1;
		start = i + 1;
	}
	return k == argc + envc && n == len;
}

enum proto_status proto_check_request(const unsigned char *f, uint64_t hash, const char **why)
{
	enum proto_status st = check_header(f, why);
	unsigned op = proto_get16(f, PROTO_OFF_OP);
	const char *name;
	size_t i;

	if (st != PROTO_OK)
		return st;
	if (op < 1 || op > PROTO_OP_MAX) {
		*why = "unknown operation";
		return PROTO_E_OP;
	}
	if (proto_get16(f, PROTO_OFF_STATUS) != 0 || proto_get16(f, PROTO_OFF_FLAGS) != 0) {
		*why = "status and flags must be zero in a request";
		return PROTO_E_FRAME;
	}
	name = proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE);
	if (!name) {
		*why = "service name field is not terminated";
		return PROTO_E_FRAME;
	}
	if (proto_op_has_name(op) ? !proto_name_ok(name) : name[0] != 0) {
		*why = proto_op_has_name(op) ? "malformed service name" : "unexpected service name";
		return PROTO_E_FRAME;
	}
	if (!args_ok(op, proto_get32(f, PROTO_OFF_ARG0), proto_get32(f, PROTO_OFF_ARG1),
		     proto_get32(f, PROTO_OFF_ARG2), why))
		return PROTO_E_FRAME;
	if (op == PROTO_OP_PS_START && !ps_start_text_ok(f, why))
		return PROTO_E_FRAME;
	for (i = op == PROTO_OP_PS_START ? PROTO_OFF_TEXT + proto_get32(f, PROTO_OFF_ARG2) : PROTO_OFF_TEXT;
	     i < PROTO_FRAME_SIZE; i++)
		if (f[i]) {
			*why = "unused request fields must be zero";
			return PROTO_E_FRAME;
		}
	if (proto_get64(f, PROTO_OFF_HASH) != hash) {
		*why = "configuration hash differs";
		return PROTO_E_CONFIG;
	}
	return PROTO_OK;
}

enum proto_status proto_check_reply(const unsigned char *f, const char **why)
{
	enum proto_status st = check_header(f, why);
	unsigned op = proto_get16(f, PROTO_OFF_OP);

	if (st != PROTO_OK)
		return st;
	if (op < PROTO_REC_DONE || op > PROTO_REC_PS) {
		*why = "unknown record type";
		return PROTO_E_FRAME;
	}
	if (!proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE) ||
	    !proto_get_str(f, PROTO_OFF_TEXT, PROTO_TEXT_SIZE)) {
		*why = "string field is not terminated";
		return PROTO_E_FRAME;
	}
	if (op == PROTO_REC_LOG && proto_get32(f, PROTO_OFF_ARG0) > PROTO_TEXT_SIZE - 1) {
		*why = "log record longer than its frame";
		return PROTO_E_FRAME;
	}
	if ((op == PROTO_REC_DONE) != !!(proto_get16(f, PROTO_OFF_FLAGS) & PROTO_F_FINAL)) {
		*why = "final flag on a record that is not the last";
		return PROTO_E_FRAME;
	}
	return PROTO_OK;
}
