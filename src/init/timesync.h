/* timesync.h: keep the wall clock near a time source's, within bounds.
 *
 * With init.yaml's clock.source set, every clock.interval_sec init asks
 * the source for its time: the parent over VSOCK (`initctl time-serve`,
 * the frame of include/timeproto.h), a Unix socket inside the enclave, or
 * a PTP clock device (/dev/ptp0). A sample whose round trip exceeds
 * clock.max_rtt_ms is discarded; otherwise the offset is corrected by a
 * step (clock_settime) or, below clock.slew_below_ms, a slew (adjtimex),
 * never by more than clockplan.c's bounds allow, and each correction is
 * logged with its size. The source is untrusted: it can delay, lie or be
 * gone, and init never blocks on it (non-blocking socket, deadlines in
 * the loop's table) nor allocates for it.
 */
#ifndef TIMESYNC_H
#define TIMESYNC_H

#include <poll.h>
#include <stdint.h>

#include "proto.h"

/* Loop hooks: the connection to the source, polled; the next sample. */
int timesync_poll_add(struct pollfd *p, int max);
void timesync_poll_done(const struct pollfd *p, int n, int64_t now);
int64_t timesync_next_deadline(void);
void timesync_tick(int64_t now);
/* The clock's fields of a SYSTEM record (system-status, metrics). */
void timesync_report(struct proto_system *v);

#endif
