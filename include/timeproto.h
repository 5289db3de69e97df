/* timeproto.h: the time protocol between init and a time server
 * (`initctl time-serve` on the parent), all of it.
 *
 * init connects (AF_VSOCK stream, or a Unix socket), sends one request
 * frame and reads one reply frame; then the connection closes. Both
 * frames are exactly TIMEPROTO_SIZE bytes, fields at fixed offsets in
 * network byte order, packed one by one by timeproto.c alone:
 *
 *   offset size  field
 *        0    4  magic    TIMEPROTO_MAGIC ("ECLK")
 *        4    2  version  TIMEPROTO_VERSION
 *        6    2  kind     enum timeproto_kind
 *        8    8  nonce    chosen by init, echoed by the server
 *       16    8  time     reply: the server's CLOCK_REALTIME in ns since
 *                         the epoch; request: 0
 *       24    8  reserved 0 (a frame with anything else here is refused)
 *
 * The nonce ties a reply to its request: a reply to an older request (or a
 * replayed one) does not carry the nonce init just chose and is refused.
 * Nothing here makes the server honest: init bounds what it does with the
 * answer (src/init/timesync.c, README "Clock", docs/SECURITY.md).
 *
 * Version history (codes are never reused):
 *   1  first version: request and reply.
 */
#ifndef TIMEPROTO_H
#define TIMEPROTO_H

#include <stddef.h>
#include <stdint.h>

#define TIMEPROTO_SIZE 32
#define TIMEPROTO_MAGIC 0x45434C4Bu /* "ECLK" */
#define TIMEPROTO_VERSION 1

enum timeproto_kind {
	TIMEPROTO_REQUEST = 1,
	TIMEPROTO_REPLY = 2,
};

/* One frame, decoded. */
struct timeproto_msg {
	unsigned kind;    /* enum timeproto_kind */
	uint64_t nonce;   /* init's, echoed */
	uint64_t time_ns; /* reply: the server's wall clock, ns since the epoch */
};

/* Lay out a frame of TIMEPROTO_SIZE bytes. */
void timeproto_pack(unsigned char *f, const struct timeproto_msg *m);
/* Decode a frame of n bytes: 0, or -1 when it is not one whole valid
 * frame (size, magic, version, kind, a reserved field not zero, a time in
 * a request, a reply's time not below 2^62 ns, the year 2116). */
int timeproto_unpack(const unsigned char *f, size_t n, struct timeproto_msg *m);

#endif
