/* proto.c: the one owner of the wire, shared by init and initctl.
 *
 * Pure functions over byte arrays: no I/O, no allocation, no state. Every
 * byte of every frame is written and read here and nowhere else: a request
 * is checked and decoded once into a struct proto_req (init trusts no field
 * before that), and each record's pack and unpack sit side by side, driven
 * by one table of its fields, so the two directions cannot disagree.
 */
#include <stddef.h>
#include <string.h>

#include "proto_layout.h"

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

int proto_name_ok(const char *name)
{
	size_t i;

	if (!name[0] || name[0] == '.' || name[0] == '-' || name[0] == '@')
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			 c == '.' || c == '@' || c == '-';
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

static int has_name(unsigned shape)
{
	return shape >= PROTO_SHAPE_NAME && shape <= PROTO_SHAPE_STREAM_STOP;
}

/* A shape whose name may be empty (health: the aggregate; ps start: the
 * user to run as, "" for root). */
static int name_ok(unsigned shape, const char *name)
{
	if (shape == PROTO_SHAPE_OPT_NAME || shape == PROTO_SHAPE_PS_START)
		return !name[0] || proto_name_ok(name);
	return has_name(shape) ? proto_name_ok(name) : name[0] == 0;
}

/* events: arg0:arg1 the first sequence number wanted, only with
 * PROTO_EVENTS_SINCE in arg2. */
static int take_events(uint32_t a0, uint32_t a1, uint32_t a2, struct proto_req *rq, const char **why)
{
	rq->since = (uint64_t)a0 << 32 | a1;
	rq->since_set = !!(a2 & PROTO_EVENTS_SINCE);
	rq->follow = !!(a2 & PROTO_EVENTS_FOLLOW);
	if (a2 & ~(PROTO_EVENTS_SINCE | PROTO_EVENTS_FOLLOW)) {
		*why = "unknown events option bits";
		return 0;
	}
	*why = "events: a sequence number without PROTO_EVENTS_SINCE";
	return rq->since_set || !(a0 | a1);
}

/* shutdown, reboot: a0 seconds of drain, a1 PROTO_WAIT or 0 (both zero:
 * a shutdown as version 1 first had it). */
static int take_shutdown(uint32_t a0, uint32_t a1, uint32_t a2, struct proto_req *rq, const char **why)
{
	rq->drain_sec = a0;
	rq->wait = a1 == PROTO_WAIT;
	if (a0 > PROTO_WAIT_MAX_SEC || (a1 & ~PROTO_WAIT))
		*why = "bad shutdown: a drain of 0 to 86400 seconds, arg1 PROTO_WAIT or 0";
	return a0 <= PROTO_WAIT_MAX_SEC && !(a1 & ~PROTO_WAIT) && !a2;
}

/* attest: the nonce (a0 bytes) then the user data (a1) in the text. */
static int take_attest(uint32_t a0, uint32_t a1, uint32_t a2, const unsigned char *f, struct proto_req *rq,
		       const char **why)
{
	rq->nonce = f + PROTO_OFF_TEXT;
	rq->nonce_len = a0;
	rq->user_data = f + PROTO_OFF_TEXT + (a0 <= PROTO_TEXT_SIZE ? a0 : 0);
	rq->user_data_len = a1;
	*why = "bad attest: a nonce of at most 512 bytes, user data of at most 512, together at most 928";
	return a0 <= PROTO_ATTEST_NONCE_MAX && a1 <= PROTO_ATTEST_USER_DATA_MAX && a0 + a1 <= PROTO_TEXT_SIZE &&
	       !a2;
}

/* Check the arguments of a request of this shape and decode them into
 * rq (meaningful only when they pass). Everything a shape does not name
 * must be zero, so that a later version can give those bytes a meaning
 * without ambiguity. */
static int take_args(unsigned shape, const unsigned char *f, struct proto_req *rq, const char **why)
{
	uint32_t a0 = proto_get32(f, PROTO_OFF_ARG0), a1 = proto_get32(f, PROTO_OFF_ARG1);
	uint32_t a2 = proto_get32(f, PROTO_OFF_ARG2);

	*why = "unused request fields must be zero";
	switch (shape) {
	case PROTO_SHAPE_LOGS:
		rq->lines = a0;
		rq->follow = a1 == PROTO_LOGS_FOLLOW;
		if (a1 & ~PROTO_LOGS_FOLLOW)
			*why = "unknown logs option bits";
		return !(a1 & ~PROTO_LOGS_FOLLOW) && !a2;
	case PROTO_SHAPE_STREAM:
		rq->cid = a0;
		rq->port = a1;
		rq->lines = a2 & PROTO_STREAM_LINES;
		rq->follow = !!(a2 & PROTO_STREAM_FOLLOW);
		/* CIDs 0 (hypervisor) and -1 (any) cannot be connected to. */
		if (a0 == 0 || a0 == 0xffffffffu || !a1 || a1 == 0xffffffffu)
			*why = "bad logs-stream address: CID and port must be real";
		return a0 != 0 && a0 != 0xffffffffu && a1 && a1 != 0xffffffffu;
	case PROTO_SHAPE_STREAM_STOP: rq->port = a1; return !a0 && !a2;
	case PROTO_SHAPE_PID:
		rq->pid = (int32_t)a0; /* any value: init says what is wrong with it */
		return !a1 && !a2;
	case PROTO_SHAPE_PID_SIGNAL:
		rq->pid = (int32_t)a0;
		rq->signal = a1;
		if (a1 < 1 || a1 > PROTO_SIG_MAX)
			*why = "bad signal: 1 to 64";
		return a1 >= 1 && a1 <= PROTO_SIG_MAX && !a2;
	case PROTO_SHAPE_PS_START:
		rq->argc = a0;
		rq->envc = a1;
		rq->len = a2;
		rq->text = f + PROTO_OFF_TEXT;
		*why = "bad ps start: 1 to 255 arguments, at most 928 bytes of text";
		return a0 >= 1 && a0 <= PROTO_PS_MAX_ARGS && a1 <= PROTO_PS_MAX_ARGS && a2 &&
		       a2 <= PROTO_TEXT_SIZE;
	case PROTO_SHAPE_EVENTS: return take_events(a0, a1, a2, rq, why);
	case PROTO_SHAPE_ATTEST: return take_attest(a0, a1, a2, f, rq, why);
	case PROTO_SHAPE_ENABLE:
		rq->now = a0 == PROTO_ENABLE_NOW;
		if (a0 & ~PROTO_ENABLE_NOW)
			*why = "unknown enable option bits";
		return !(a0 & ~PROTO_ENABLE_NOW) && !a1 && !a2;
	case PROTO_SHAPE_SHUTDOWN: return take_shutdown(a0, a1, a2, rq, why);
	case PROTO_SHAPE_WAIT:
		if (!a1)
			break;
		rq->wait = 1;
		rq->wait_sec = a2;
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

static const unsigned char shapes[PROTO_OP_MAX + 1] = PROTO_OP_SHAPES;

/* At most max of n. */
static uint32_t at_most(uint32_t n, uint32_t max)
{
	return n < max ? n : max;
}

/* n bytes of b at f + off; none may come as a null pointer. */
static void put_bytes(unsigned char *f, size_t off, const void *b, uint32_t n)
{
	if (n)
		memcpy(f + off, b, n);
}

/* attest: the nonce then the user data in the text field, each cut to its
 * limit and both to the field (init refuses nothing initctl sends). */
static void pack_attest(unsigned char *f, const struct proto_req *rq, uint32_t *a)
{
	uint32_t n = at_most(rq->nonce_len, PROTO_ATTEST_NONCE_MAX);
	uint32_t u = at_most(at_most(rq->user_data_len, PROTO_ATTEST_USER_DATA_MAX), PROTO_TEXT_SIZE - n);

	put_bytes(f, PROTO_OFF_TEXT, rq->nonce, n);
	put_bytes(f, PROTO_OFF_TEXT + n, rq->user_data, u);
	a[0] = n, a[1] = u;
}

/* Where a request's text ends: what follows must be zero. */
static size_t text_end(unsigned shape, const unsigned char *f)
{
	if (shape == PROTO_SHAPE_PS_START)
		return PROTO_OFF_TEXT + proto_get32(f, PROTO_OFF_ARG2);
	if (shape == PROTO_SHAPE_ATTEST)
		return PROTO_OFF_TEXT + proto_get32(f, PROTO_OFF_ARG0) + proto_get32(f, PROTO_OFF_ARG1);
	return PROTO_OFF_TEXT;
}

void proto_pack_request(unsigned char *f, uint64_t hash, const struct proto_req *rq)
{
	uint32_t a[3] = { 0, 0, 0 };

	proto_init(f, (uint16_t)rq->op, hash);
	if (rq->name)
		proto_put_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE, rq->name);
	switch (rq->op <= PROTO_OP_MAX ? shapes[rq->op] : PROTO_SHAPE_NONE) {
	case PROTO_SHAPE_WAIT:
		if (rq->wait)
			a[1] = PROTO_WAIT, a[2] = rq->wait_sec;
		break;
	case PROTO_SHAPE_SHUTDOWN: a[0] = rq->drain_sec, a[1] = rq->wait ? PROTO_WAIT : 0; break;
	case PROTO_SHAPE_ENABLE: a[0] = rq->now ? PROTO_ENABLE_NOW : 0; break;
	case PROTO_SHAPE_LOGS: a[0] = rq->lines, a[1] = rq->follow ? PROTO_LOGS_FOLLOW : 0; break;
	case PROTO_SHAPE_STREAM:
		a[0] = rq->cid, a[1] = rq->port, a[2] = rq->lines | (rq->follow ? PROTO_STREAM_FOLLOW : 0);
		break;
	case PROTO_SHAPE_STREAM_STOP: a[1] = rq->port; break;
	case PROTO_SHAPE_EVENTS:
		if (rq->since_set)
			a[0] = (uint32_t)(rq->since >> 32), a[1] = (uint32_t)rq->since;
		a[2] = (rq->since_set ? PROTO_EVENTS_SINCE : 0) | (rq->follow ? PROTO_EVENTS_FOLLOW : 0);
		break;
	case PROTO_SHAPE_PID_SIGNAL:
		a[1] = rq->signal;
		/* fall through */
	case PROTO_SHAPE_PID: a[0] = (uint32_t)rq->pid; break;
	case PROTO_SHAPE_PS_START:
		a[0] = rq->argc, a[1] = rq->envc, a[2] = rq->len;
		memcpy(f + PROTO_OFF_TEXT, rq->text, rq->len);
		break;
	case PROTO_SHAPE_ATTEST: pack_attest(f, rq, a); break;
	}
	proto_put32(f, PROTO_OFF_ARG0, a[0]);
	proto_put32(f, PROTO_OFF_ARG1, a[1]);
	proto_put32(f, PROTO_OFF_ARG2, a[2]);
}

enum proto_status proto_unpack_request(const unsigned char *f, uint64_t hash, struct proto_req *rq,
				       const char **why)
{
	enum proto_status st = check_header(f, why);
	unsigned op = proto_get16(f, PROTO_OFF_OP), shape;
	const char *name;
	size_t i;

	memset(rq, 0, sizeof *rq);
	rq->version = proto_get16(f, PROTO_OFF_VERSION);
	rq->hash = proto_get64(f, PROTO_OFF_HASH);
	if (st != PROTO_OK)
		return st;
	if (op < 1 || op > PROTO_OP_MAX) {
		*why = "unknown operation";
		return PROTO_E_OP;
	}
	shape = shapes[op];
	if (proto_get16(f, PROTO_OFF_STATUS) != 0 || proto_get16(f, PROTO_OFF_FLAGS) != 0) {
		*why = "status and flags must be zero in a request";
		return PROTO_E_FRAME;
	}
	name = proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE);
	if (!name) {
		*why = "service name field is not terminated";
		return PROTO_E_FRAME;
	}
	if (!name_ok(shape, name)) {
		*why = shape == PROTO_SHAPE_PS_START                    ? "malformed user name"
		     : has_name(shape) || shape == PROTO_SHAPE_OPT_NAME ? "malformed service name"
									: "unexpected service name";
		return PROTO_E_FRAME;
	}
	if (!take_args(shape, f, rq, why))
		return PROTO_E_FRAME;
	if (shape == PROTO_SHAPE_PS_START && !ps_start_text_ok(f, why))
		return PROTO_E_FRAME;
	for (i = text_end(shape, f); i < PROTO_FRAME_SIZE; i++)
		if (f[i]) {
			*why = "unused request fields must be zero";
			return PROTO_E_FRAME;
		}
	if (rq->hash != hash) {
		*why = "configuration hash differs";
		return PROTO_E_CONFIG;
	}
	rq->op = op;
	rq->name = name;
	return PROTO_OK;
}

enum proto_status proto_check_reply(const unsigned char *f, const char **why)
{
	enum proto_status st = check_header(f, why);
	unsigned op = proto_get16(f, PROTO_OFF_OP);

	if (st != PROTO_OK)
		return st;
	if (op < PROTO_REC_DONE || op > PROTO_REC_MAX) {
		*why = "unknown record type";
		return PROTO_E_FRAME;
	}
	if (!proto_get_str(f, PROTO_OFF_NAME, PROTO_NAME_SIZE) ||
	    !proto_get_str(f, PROTO_OFF_TEXT, PROTO_TEXT_SIZE)) {
		*why = "string field is not terminated";
		return PROTO_E_FRAME;
	}
	if ((op == PROTO_REC_LOG || op == PROTO_REC_DOC) && proto_get32(f, PROTO_OFF_ARG0) > PROTO_TEXT_SIZE - 1) {
		*why = "log or document record longer than its frame";
		return PROTO_E_FRAME;
	}
	if ((op == PROTO_REC_DONE) != !!(proto_get16(f, PROTO_OFF_FLAGS) & PROTO_F_FINAL)) {
		*why = "final flag on a record that is not the last";
		return PROTO_E_FRAME;
	}
	return PROTO_OK;
}

/* --- records ------------------------------------------------------------ */

/* One field of a record: where it sits in the frame and in its struct.
 * Numbers are big-endian of their member's size (1, 4 or 8 bytes);
 * strings are cut to fit and NUL-terminated. */
struct field {
	uint32_t off : 10, at : 11, size : 10, str : 1; /* 4 bytes a field: both programs are measured */
};
#define NUM(off, type, m)                                         \
	{                                                         \
		off, offsetof(type, m), sizeof(((type *)0)->m), 0 \
	}
#define STR(off, type, m)                                         \
	{                                                         \
		off, offsetof(type, m), sizeof(((type *)0)->m), 1 \
	}
#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

static const struct field svc_fields[] = {
	STR(PROTO_OFF_NAME, struct proto_svc, name),
	NUM(PROTO_SVC_STATE, struct proto_svc, state),
	NUM(PROTO_SVC_ENABLED, struct proto_svc, enabled),
	NUM(PROTO_SVC_RESTART, struct proto_svc, restart),
	NUM(PROTO_SVC_EXIT_KIND, struct proto_svc, exit_kind),
	NUM(PROTO_SVC_PID, struct proto_svc, pid),
	NUM(PROTO_SVC_RESTARTS, struct proto_svc, restarts),
	NUM(PROTO_SVC_EXIT_CODE, struct proto_svc, exit_code),
	NUM(PROTO_SVC_EXIT_SIGNAL, struct proto_svc, exit_signal),
	NUM(PROTO_SVC_RESTART_SEC, struct proto_svc, restart_sec),
	NUM(PROTO_SVC_STOP_TIMEOUT, struct proto_svc, stop_timeout),
	NUM(PROTO_SVC_SINCE, struct proto_svc, since),
	NUM(PROTO_SVC_LOG_DROPPED, struct proto_svc, log_dropped),
	NUM(PROTO_SVC_EXEC_HASH, struct proto_svc, exec_hash),
	NUM(PROTO_SVC_TYPE, struct proto_svc, type),
	NUM(PROTO_SVC_READY, struct proto_svc, ready),
	NUM(PROTO_SVC_HEALTH, struct proto_svc, health),
	NUM(PROTO_SVC_HEALTH_ACTION, struct proto_svc, health_action),
	NUM(PROTO_SVC_START_TIME, struct proto_svc, start_time),
	NUM(PROTO_SVC_LOG_BYTES, struct proto_svc, log_bytes),
	NUM(PROTO_SVC_HEALTH_FAILURES, struct proto_svc, health_failures),
	NUM(PROTO_SVC_WATCHDOG_SEC, struct proto_svc, watchdog_sec),
	NUM(PROTO_SVC_TIMEOUT_START, struct proto_svc, timeout_start),
	NUM(PROTO_SVC_HEALTH_INTERVAL, struct proto_svc, health_interval),
	NUM(PROTO_SVC_LOG_LINES, struct proto_svc, log_lines),
	NUM(PROTO_SVC_REMAIN, struct proto_svc, remain),
	NUM(PROTO_SVC_CGROUP, struct proto_svc, cgroup),
	NUM(PROTO_SVC_MEMORY, struct proto_svc, memory_bytes),
	NUM(PROTO_SVC_CPU_USEC, struct proto_svc, cpu_usec),
	NUM(PROTO_SVC_TASKS, struct proto_svc, tasks),
};

static const struct field system_fields[] = {
	NUM(PROTO_SYS_UPTIME, struct proto_system, uptime),
	NUM(PROTO_SYS_SERVICES, struct proto_system, services),
	NUM(PROTO_SYS_ENABLED, struct proto_system, enabled),
	NUM(PROTO_SYS_ACTIVE, struct proto_system, active),
	NUM(PROTO_SYS_PROCESSES, struct proto_system, processes),
	NUM(PROTO_SYS_HEALTH, struct proto_system, health),
	NUM(PROTO_SYS_FDS, struct proto_system, fds),
	NUM(PROTO_SYS_CLIENTS, struct proto_system, clients),
	NUM(PROTO_SYS_RSS_KB, struct proto_system, rss_kb),
	NUM(PROTO_SYS_BOOT_TIME, struct proto_system, boot_time),
	NUM(PROTO_SYS_REQUESTS, struct proto_system, requests),
	NUM(PROTO_SYS_NOTIFY_ACCEPTED, struct proto_system, notify_accepted),
	NUM(PROTO_SYS_ENTROPY, struct proto_system, entropy),
	NUM(PROTO_SYS_ENTROPY_WAIT_MS, struct proto_system, entropy_wait_ms),
	NUM(PROTO_SYS_HWRNG_CREDITED, struct proto_system, hwrng_credited),
	STR(PROTO_SYS_HWRNG, struct proto_system, hwrng),
	NUM(PROTO_SYS_NOTIFY_REJECTED, struct proto_system, notify_rejected),
	NUM(PROTO_SYS_HEALTH_CHECKS, struct proto_system, health_checks),
	NUM(PROTO_SYS_EVENTS, struct proto_system, events),
	NUM(PROTO_SYS_RESTARTS, struct proto_system, restarts),
	NUM(PROTO_SYS_CLOCK, struct proto_system, clock),
	NUM(PROTO_SYS_CLOCK_OFFSET_US, struct proto_system, clock_offset_us),
	NUM(PROTO_SYS_CLOCK_RTT_US, struct proto_system, clock_rtt_us),
	NUM(PROTO_SYS_CLOCK_ADJUSTMENTS, struct proto_system, clock_adjustments),
	NUM(PROTO_SYS_CLOCK_ADJUSTED_US, struct proto_system, clock_adjusted_us),
	NUM(PROTO_SYS_CLOCK_LAST_SYNC, struct proto_system, clock_last_sync),
	NUM(PROTO_SYS_CLOCK_REFUSED, struct proto_system, clock_refused),
	STR(PROTO_SYS_CLOCK_SOURCE, struct proto_system, clock_source),
};
_Static_assert(sizeof(struct proto_system) < 2048, "struct field's 'at' holds every offset of the struct");
_Static_assert(PROTO_SYS_CLOCK_SOURCE + sizeof(((struct proto_system *)0)->clock_source) <= PROTO_FRAME_SIZE,
	       "the clock's source fits in the frame");

static const struct field health_fields[] = {
	STR(PROTO_OFF_NAME, struct proto_health_rec, name),
	NUM(PROTO_HEALTH_TIME, struct proto_health_rec, time_ms),
	NUM(PROTO_HEALTH_DURATION, struct proto_health_rec, duration_ms),
	NUM(PROTO_HEALTH_EXIT_CODE, struct proto_health_rec, exit_code),
	NUM(PROTO_HEALTH_TIMED_OUT, struct proto_health_rec, timed_out),
	NUM(PROTO_HEALTH_PASSED, struct proto_health_rec, passed),
	STR(PROTO_HEALTH_OUTPUT, struct proto_health_rec, output),
};

static const struct field event_fields[] = {
	STR(PROTO_OFF_NAME, struct proto_event, name),      NUM(PROTO_EVENT_SEQ, struct proto_event, seq),
	NUM(PROTO_EVENT_TIME, struct proto_event, time_ms), NUM(PROTO_EVENT_KIND, struct proto_event, kind),
	NUM(PROTO_EVENT_FROM, struct proto_event, from),    NUM(PROTO_EVENT_TO, struct proto_event, to),
	NUM(PROTO_EVENT_CODE, struct proto_event, code),    NUM(PROTO_EVENT_MISSED, struct proto_event, missed),
};

static const struct field ps_fields[] = {
	STR(PROTO_OFF_NAME, struct proto_ps, name),          NUM(PROTO_PS_PID, struct proto_ps, pid),
	NUM(PROTO_PS_PPID, struct proto_ps, ppid),           NUM(PROTO_PS_STATE, struct proto_ps, state),
	NUM(PROTO_PS_MANAGED, struct proto_ps, managed),     NUM(PROTO_PS_KTHREAD, struct proto_ps, kthread),
	NUM(PROTO_PS_EXIT_KIND, struct proto_ps, exit_kind), NUM(PROTO_PS_CPU, struct proto_ps, cpu_x100),
	NUM(PROTO_PS_RSS_KB, struct proto_ps, rss_kb),       NUM(PROTO_PS_START, struct proto_ps, start),
	NUM(PROTO_PS_EXIT_CODE, struct proto_ps, exit_code), NUM(PROTO_PS_ADHOC, struct proto_ps, adhoc),
	STR(PROTO_PS_COMM, struct proto_ps, comm),           STR(PROTO_PS_CMD, struct proto_ps, cmd),
};

static void pack(unsigned char *f, uint16_t rec, uint64_t hash, const struct field *d, size_t n, const void *from)
{
	proto_init(f, rec, hash);
	for (; n--; d++) {
		const unsigned char *p = (const unsigned char *)from + d->at;
		size_t off = d->off, size = d->size;

		if (d->str)
			proto_put_str(f, off, size, (const char *)p);
		else if (size == 1)
			f[off] = *p;
		else if (size == 4)
			proto_put32(f, off, *(const uint32_t *)p);
		else
			proto_put64(f, off, *(const uint64_t *)p);
	}
}

static int unpack(const unsigned char *f, uint16_t rec, const struct field *d, size_t n, void *to, size_t tosize)
{
	if (proto_get16(f, PROTO_OFF_OP) != rec)
		return -1;
	memset(to, 0, tosize);
	for (; n--; d++) {
		unsigned char *p = (unsigned char *)to + d->at;
		size_t off = d->off, size = d->size;

		if (d->str) {
			memcpy(p, f + off, size);
			p[size - 1] = 0;
		} else if (size == 1) {
			*p = f[off];
		} else if (size == 4) {
			*(uint32_t *)p = proto_get32(f, off);
		} else {
			*(uint64_t *)p = proto_get64(f, off);
		}
	}
	return 0;
}

void proto_pack_svc(unsigned char *f, uint64_t hash, const struct proto_svc *s)
{
	pack(f, PROTO_REC_SVC, hash, svc_fields, NFIELDS(svc_fields), s);
}

int proto_unpack_svc(const unsigned char *f, struct proto_svc *s)
{
	return unpack(f, PROTO_REC_SVC, svc_fields, NFIELDS(svc_fields), s, sizeof *s);
}

void proto_pack_system(unsigned char *f, uint64_t hash, const struct proto_system *s)
{
	pack(f, PROTO_REC_SYSTEM, hash, system_fields, NFIELDS(system_fields), s);
}

int proto_unpack_system(const unsigned char *f, struct proto_system *s)
{
	return unpack(f, PROTO_REC_SYSTEM, system_fields, NFIELDS(system_fields), s, sizeof *s);
}

void proto_pack_ps(unsigned char *f, uint64_t hash, const struct proto_ps *p)
{
	pack(f, PROTO_REC_PS, hash, ps_fields, NFIELDS(ps_fields), p);
}

int proto_unpack_ps(const unsigned char *f, struct proto_ps *p)
{
	return unpack(f, PROTO_REC_PS, ps_fields, NFIELDS(ps_fields), p, sizeof *p);
}

void proto_pack_health(unsigned char *f, uint64_t hash, const struct proto_health_rec *h)
{
	pack(f, PROTO_REC_HEALTH, hash, health_fields, NFIELDS(health_fields), h);
}

int proto_unpack_health(const unsigned char *f, struct proto_health_rec *h)
{
	return unpack(f, PROTO_REC_HEALTH, health_fields, NFIELDS(health_fields), h, sizeof *h);
}

void proto_pack_event(unsigned char *f, uint64_t hash, const struct proto_event *e)
{
	pack(f, PROTO_REC_EVENT, hash, event_fields, NFIELDS(event_fields), e);
}

int proto_unpack_event(const unsigned char *f, struct proto_event *e)
{
	return unpack(f, PROTO_REC_EVENT, event_fields, NFIELDS(event_fields), e, sizeof *e);
}

/* TEXT and LOG: bytes in the text field, at most all but its last byte,
 * so that the field stays NUL-terminated. Returns the bytes stored. */
static size_t pack_bytes(unsigned char *f, uint16_t rec, uint64_t hash, const char *b, size_t len)
{
	size_t n = len < PROTO_TEXT_SIZE - 1 ? len : PROTO_TEXT_SIZE - 1;

	proto_init(f, rec, hash);
	memcpy(f + PROTO_OFF_TEXT, b, n);
	return n;
}

size_t proto_pack_text(unsigned char *f, uint64_t hash, const struct proto_text *t)
{
	size_t n = pack_bytes(f, PROTO_REC_TEXT, hash, t->text, t->len);

	proto_put32(f, PROTO_OFF_ARG0, t->key);
	return n;
}

int proto_unpack_text(const unsigned char *f, struct proto_text *t)
{
	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_TEXT)
		return -1;
	t->key = proto_get32(f, PROTO_OFF_ARG0);
	t->text = (const char *)f + PROTO_OFF_TEXT;
	t->len = strlen(t->text);
	return 0;
}

size_t proto_pack_log(unsigned char *f, uint64_t hash, const struct proto_log *l)
{
	size_t n = pack_bytes(f, PROTO_REC_LOG, hash, l->bytes, l->len);

	proto_put32(f, PROTO_OFF_ARG0, (uint32_t)n);
	return n;
}

int proto_unpack_log(const unsigned char *f, struct proto_log *l)
{
	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_LOG)
		return -1;
	l->bytes = (const char *)f + PROTO_OFF_TEXT;
	l->len = proto_get32(f, PROTO_OFF_ARG0);
	return 0;
}

void proto_pack_done(unsigned char *f, uint64_t hash, const struct proto_done *d)
{
	proto_init(f, PROTO_REC_DONE, hash);
	proto_put16(f, PROTO_OFF_STATUS, d->status);
	proto_put16(f, PROTO_OFF_FLAGS, PROTO_F_FINAL);
	proto_put32(f, PROTO_OFF_ARG0, d->cid); /* or the pid: they share arg0 */
	proto_put32(f, PROTO_OFF_ARG1, d->port);
	proto_put_str(f, PROTO_OFF_TEXT, PROTO_TEXT_SIZE, d->msg);
}

int proto_unpack_done(const unsigned char *f, struct proto_done *d)
{
	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_DONE)
		return -1;
	d->status = proto_get16(f, PROTO_OFF_STATUS);
	d->cid = proto_get32(f, PROTO_OFF_ARG0);
	d->port = proto_get32(f, PROTO_OFF_ARG1);
	d->msg = (const char *)f + PROTO_OFF_TEXT;
	d->hash = proto_get64(f, PROTO_OFF_HASH);
	return 0;
}

size_t proto_pack_doc(unsigned char *f, uint64_t hash, const struct proto_doc *d)
{
	size_t n = pack_bytes(f, PROTO_REC_DOC, hash, d->bytes, d->len);

	proto_put32(f, PROTO_OFF_ARG0, (uint32_t)n);
	proto_put32(f, PROTO_OFF_ARG1, d->total);
	proto_put32(f, PROTO_OFF_ARG2, d->off);
	return n;
}

int proto_unpack_doc(const unsigned char *f, struct proto_doc *d)
{
	if (proto_get16(f, PROTO_OFF_OP) != PROTO_REC_DOC)
		return -1;
	d->bytes = f + PROTO_OFF_TEXT;
	d->len = proto_get32(f, PROTO_OFF_ARG0);
	d->total = proto_get32(f, PROTO_OFF_ARG1);
	d->off = proto_get32(f, PROTO_OFF_ARG2);
	/* In 64 bits: a hostile peer's off + len must not wrap. */
	return (uint64_t)d->off + d->len <= d->total ? 0 : -1;
}
