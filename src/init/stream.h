/* stream.h: log streams, `initctl logs-stream` over VSOCK.
 *
 * The caller listens (on the parent instance, or in the enclave itself);
 * init connects out to it and writes the log's lines as they are
 * ("[YYYY-MM-DD HH:MM:SS] text\n"): the last N, then, when following,
 * every new one. A fixed number of streams (max_log_streams) may run at
 * once. Every socket is non-blocking and a stream reads the log ring at its
 * own pace: a reader that stops reading only loses lines (it is told how
 * many bytes were skipped), never holds init up; one that takes nothing for
 * STREAM_STALL_MS while lines wait is dropped.
 */
#ifndef STREAM_H
#define STREAM_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define STREAM_CONNECT_MS 10000
#define STREAM_STALL_MS 60000

enum stream_state { STREAM_CONNECTING, STREAM_UP, STREAM_FAILED };

/* Start streaming channel chan to cid:port. Returns the slot, or -1 with
 * msg saying why. *gen identifies this stream in that slot. */
int stream_open(int chan, uint32_t cid, uint32_t port, uint32_t lines, int follow, unsigned *gen, char *msg,
		size_t cap);
/* How stream (slot, gen) is doing; on STREAM_FAILED, msg says why. */
enum stream_state stream_state(int slot, unsigned gen, char *msg, size_t cap);
/* Stop the streams of chan to port (0: every port). Returns how many. */
int stream_stop(int chan, uint32_t port);

int stream_poll_add(struct pollfd *p, int max);
void stream_poll_done(const struct pollfd *p, int n, int64_t now);
void stream_tick(int64_t now);
int64_t stream_next_deadline(void);
/* Streams that have not taken every line yet (connecting, or with lines
 * waiting): the end of a shutdown waits a while for them. */
int stream_pending(void);

#endif
