/* stream_client.h: `initctl logs-stream`, the transport half: where a log's
 * lines come from and where they go. initctl.c parses the command and
 * prints the outcome. */
#ifndef STREAM_CLIENT_H
#define STREAM_CLIENT_H

#include <stdint.h>

#include "client.h"

#define STREAM_DEFAULT_LINES 10 /* like tail */
/* The CID init connects back to. The manual says 2 (the host), but inside a
 * Nitro Enclave the only peer init can reach is the parent instance, which
 * is CID 3 as the enclave sees it. Our listener binds VMADDR_CID_ANY, so it
 * takes the connection whatever CID the parent has on its own side. */
#define STREAM_DEFAULT_LISTEN_CID 3
#define STREAM_DEFAULT_PORT 9100 /* the manual's; 9101..9199 when busy */
#define STREAM_LAST_PORT 9199

struct stream_req {
	const char *name; /* service, or "init" */
	uint32_t lines;   /* backlog, 0..PROTO_STREAM_LINES */
	int follow;
	uint32_t listen_cid; /* the CID init connects to (VSOCK only) */
	uint32_t listen_port;
	int port_given;       /* --listen-port: no trying of others */
	int out_fd;           /* stdout or the -o file */
	const char *out_name; /* for messages */
};

enum stream_end {
	STREAM_ENDED,   /* the log ended (no follow) or init closed it */
	STREAM_STOPPED, /* SIGINT/SIGTERM: res holds logs-stream-stop's answer */
	STREAM_FAILED,  /* res->msg says why */
};

/* Over VSOCK: listen, ask init to connect back, copy the stream. */
enum stream_end stream_over_vsock(const struct client_target *t, const struct stream_req *r,
				  struct client_result *res);
/* Over the Unix socket: the `logs` operation on the control connection. */
enum stream_end stream_over_unix(const struct client_target *t, const struct stream_req *r,
				 struct client_result *res);

#endif
