/* reply.c: what every operation's handler uses to word and fill its reply:
 * the final message, and text records cut to frames.
 *
 * Below the handlers and the operations table (ops.c), so that the table
 * can name the handlers while they call nothing above them.
 */
#include <stdarg.h>
#include <string.h>

#include "cfg.h"
#include "fmt.h"
#include "ops_handlers.h"

void ops_say(struct reply *r, enum proto_status st, const char *fmt, ...)
{
	va_list ap;

	if (st != PROTO_OK)
		r->status = st;
	va_start(ap, fmt);
	fmt_vfmt(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
}

int ops_text(struct reply *r, unsigned char *f, int key, const char *text)
{
	size_t len = text ? strlen(text) : 0;

	if (r->off >= len) {
		r->off = 0;
		return 0;
	}
	r->off += proto_pack_text(f, CFG_HASH, &(struct proto_text){ (uint32_t)key, text + r->off, len - r->off });
	return 1;
}
