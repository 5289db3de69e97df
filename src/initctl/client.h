/* client.h: initctl's side of the protocol, over either transport. */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdint.h>
#include <sys/socket.h>

#include "proto.h"
#include "vsock.h"

/* Called for each record frame of a reply (not the final one). Returns 0
 * to go on, non-zero to end the exchange there (client_call returns -1). */
typedef int client_record_fn(const unsigned char *f, void *ctx);

/* client_result.status when init could not be reached at all (not a
 * protocol status: those are 0 and up). */
#define CLIENT_UNREACHABLE (-2)

struct client_result {
	int status;                /* enum proto_status of the final frame, -1 when the exchange
				    * failed, CLIENT_UNREACHABLE when the connect did */
	char msg[PROTO_TEXT_SIZE]; /* its message, or why the exchange failed */
};

enum client_transport { CLIENT_UNIX, CLIENT_VSOCK };

/* Where init listens. */
struct client_target {
	enum client_transport transport;
	const char *unix_path;          /* CLIENT_UNIX */
	uint32_t vsock_cid, vsock_port; /* CLIENT_VSOCK */
};

/* Send one request to init and read the reply, calling fn for each record
 * (a checked frame: fn decodes it with proto.h's proto_unpack_*). Waits for
 * the reply without a timeout when init answers only when it is ready: a
 * log follower, a --wait.
 * A configuration mismatch is reported once on stderr and the request
 * repeated by name. Returns 0 when a final frame arrived (whatever its
 * status), -1 when the exchange itself failed (res->status is then -1, or
 * CLIENT_UNREACHABLE when no connection was made; res->msg says what to
 * check). */
int client_call(const struct client_target *t, const struct proto_req *rq, client_record_fn *fn, void *ctx,
		struct client_result *res);

#define CLIENT_VMADDR_CID_ANY VSOCK_CID_ANY /* bind: whatever CID this side has */

void client_vsock_addr(struct vsock_addr *a, uint32_t cid, uint32_t port);

#endif
