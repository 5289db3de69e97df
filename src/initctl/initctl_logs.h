/* initctl_logs.h: `initctl logs` and `initctl logs-stream`: their words
 * parsed, the request made, the lines copied out (README, "Logging" and
 * "Streaming logs"). The transport of logs-stream is stream_client.h's. */
#ifndef INITCTL_LOGS_H
#define INITCTL_LOGS_H

#include "client.h"

/* `initctl logs ARGS...` (ARGS after the word "logs"): SERVICE [-n|--lines N]
 * [-f|--follow] in any order. Returns the exit status, 2 for a usage error. */
int logs_command(const struct client_target *t, int argc, char **argv);

/* `initctl logs-stream ARGS...`: SERVICE [-n N] [-f] [-o|--output FILE]
 * [--listen-cid CID] [--listen-port PORT] in any order. Returns the exit
 * status, 2 for a usage error. */
int logs_stream_command(const struct client_target *t, int argc, char **argv);

#endif
