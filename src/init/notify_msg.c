/* notify_msg.c: what an sd_notify datagram says (see notify.h).
 *
 * Pure: no I/O, no state, so the fuzz target calls it as init does. The
 * datagram is newline-separated KEY=VALUE assignments (sd_notify(3));
 * values are not quoted, a last line may lack its newline.
 */
#include <string.h>

#include "notify.h"

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

/* STATUS= text, cut to fit; bytes that a terminal would act on become '?'. */
static void take_status(struct notify_msg *m, const char *v, size_t len)
{
	size_t k;

	if (len > sizeof m->status - 1)
		len = sizeof m->status - 1;
	for (k = 0; k < len; k++) {
		unsigned char ch = (unsigned char)v[k];
		m->status[k] = (char)(ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
	m->status[len] = 0;
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
