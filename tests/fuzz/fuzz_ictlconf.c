/* fuzz_ictlconf: initctl.yaml's parser (src/initctl/ictlconf.c) on any
 * bytes. Checked besides the sanitizers: a parse that succeeds gives a
 * socket path that fits sun_path, and a failure says which line and why. */
#include <stdlib.h>
#include <string.h>

#include "ictlconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ictlconf c;
	struct ictlconf_error e;
	char word[32];

	memset(&c, 0xa5, sizeof c); /* the parser must set every field */
	memset(&e, 0xa5, sizeof e);
	if (ictlconf_parse((const char *)data, size, &c, &e) == 0) {
		if (strnlen(c.unix_socket_path, sizeof c.unix_socket_path) >= sizeof c.unix_socket_path)
			abort();
		if (c.protocol != ICTL_PROTO_UNSET && c.protocol != ICTL_PROTO_UNIX &&
		    c.protocol != ICTL_PROTO_VSOCK)
			abort();
	} else if (!e.line || strnlen(e.msg, sizeof e.msg) >= sizeof e.msg || !e.msg[0]) {
		abort();
	}
	/* The two value parsers alone, on the input's first word. */
	if (size < sizeof word) {
		uint32_t v;
		memcpy(word, data, size);
		word[size] = 0;
		(void)ictlconf_protocol(word);
		(void)ictlconf_u32(word, &v);
	}
	return 0;
}
