/* notify_msg.c: what an sd_notify datagram says (see notify.h).
 *
 * Pure: no I/O, no state, so the fuzz target calls it as init does. The
 * datagram is newline-separated KEY=VALUE assignments (sd_notify(3));
 * values are not quoted, a last line may lack its newline.
 */
#include <string.h>

#include "notify.h"
#include "utf8.h"

static int is(const char *line, size_t len, const char *assignment)
{
	size_t n = strlen(assignment);

	return len == n && !memcmp(line, assignment, n);
}

static int has_key(const char *line, size_t len, const char *key)
{
	size_t n = strlen(key);

	return len >= n && !memcmp(line, key, n);
}

/* Bytes of the UTF-8 character at v (n bytes left) that a terminal shows
 * as text, or 0: a byte that starts no valid sequence (utf8_len), C0
 * controls and DEL, and the C1 controls U+0080..U+009F (U+009B is CSI, an
 * escape sequence's start for terminals that take C1 in UTF-8). */
static size_t shown_len(const unsigned char *v, size_t n)
{
	size_t len = utf8_len(v, n);

	if (len == 1 && (v[0] < 0x20 || v[0] == 0x7f))
		return 0; /* C0 controls, DEL */
	if (len == 2 && v[0] == 0xc2 && v[1] < 0xa0)
		return 0; /* C1 controls: U+0080..U+009F (U+009B is CSI) */
	return len;
}

/* STATUS= text, cut to fit (never inside a character); whatever a
 * terminal would act on (C0 and C1 controls, DEL) and bytes that are not
 * UTF-8 become '?': `initctl status` prints it as it is. */
static void take_status(struct notify_msg *m, const char *v, size_t len)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t k = 0, out = 0;

	while (k < len) {
		size_t n = shown_len(u + k, len - k);

		if (out + (n ? n : 1) > sizeof m->status - 1)
			break;
		if (n) {
			memcpy(m->status + out, v + k, n);
			out += n;
			k += n;
		} else {
			m->status[out++] = '?';
			k++;
		}
	}
	m->status[out] = 0;
	m->has_status = 1;
}

static int take_errno(const char *v, size_t len)
{
	int e = 0;
	size_t k;

	if (!len || len > 6)
		return -1;
	for (k = 0; k < len; k++) {
		if (v[k] < '0' || v[k] > '9')
			return -1;
		e = e * 10 + (v[k] - '0');
	}
	return e;
}

int notify_parse(const char *buf, unsigned len, struct notify_msg *m)
{
	unsigned at = 0, assignments = 0;

	memset(m, 0, sizeof *m);
	m->errno_value = -1;
	if (!len || memchr(buf, 0, len))
		return -1;
	while (at < len) {
		const char *line = buf + at, *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;

		at += (unsigned)n + (nl ? 1 : 0);
		if (nl == line)
			continue; /* an empty line */
		if (!memchr(line, '=', n))
			return -1; /* not an assignment: not sd_notify's */
		assignments++;
		if (is(line, n, "READY=1"))
			m->ready = 1;
		else if (is(line, n, "STOPPING=1"))
			m->stopping = 1;
		else if (is(line, n, "WATCHDOG=1"))
			m->watchdog = 1;
		else if (is(line, n, "WATCHDOG=trigger"))
			m->trigger = 1;
		else if (has_key(line, n, "STATUS="))
			take_status(m, line + 7, n - 7);
		else if (has_key(line, n, "ERRNO="))
			m->errno_value = take_errno(line + 6, n - 6);
	}
	return assignments ? 0 : -1;
}
