/* client.h: initctl's side of the protocol. */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdint.h>

#include "proto.h"

/* Called for each record frame of a reply (not the final one). */
typedef void client_record_fn(const unsigned char *f, void *ctx);

struct client_result {
	int status;                    /* enum proto_status of the final frame, or -1 */
	char msg[PROTO_TEXT_SIZE];     /* its message, or why the exchange failed */
};

struct client_req {
	unsigned op;                   /* enum proto_op */
	const char *name;              /* service, or 0 */
	uint32_t arg0, arg1, arg2;
	int forever;                   /* no reply timeout (logs --follow) */
};

/* Send one request to the Unix socket at path and read the reply, calling
 * fn for each record. A configuration mismatch is reported once on stderr
 * and the request repeated by name. Returns 0 when a final frame arrived
 * (whatever its status), -1 when the exchange itself failed. */
int client_call(const char *path, const struct client_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res);

#endif
