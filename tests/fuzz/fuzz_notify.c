/* fuzz_notify: what init reads from its sd_notify socket
 * (src/init/notify_msg.c, notify_parse), any bytes as one datagram.
 * Checked besides the sanitizers: a datagram with a NUL, or with a line
 * that is no assignment, is refused; STATUS= text is NUL-terminated
 * within its buffer and holds no control character (C1 in UTF-8, U+0080..
 * U+009F, included); a datagram that is
 * exactly "READY=1" reads as ready and nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "notify.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct notify_msg m;
	int rc;
	size_t k, n;

	if (size > 65536)
		return 0;
	rc = notify_parse((const char *)data, (unsigned)size, &m);
	if (rc == 0 && memchr(data, 0, size))
		abort(); /* a NUL inside is no notification */
	if (rc < 0)
		return 0;
	n = strnlen(m.status, sizeof m.status);
	if (n == sizeof m.status)
		abort();
	for (k = 0; k < n; k++)
		if ((unsigned char)m.status[k] < 0x20 || m.status[k] == 0x7f ||
		    ((unsigned char)m.status[k] == 0xc2 && (unsigned char)m.status[k + 1] < 0xa0))
			abort();
	if (size == 7 && !memcmp(data, "READY=1", 7) &&
	    (!m.ready || m.watchdog || m.stopping || m.trigger || m.has_status || m.errno_value != -1))
		abort();
	return 0;
}
