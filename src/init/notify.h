/* notify.h: the sd_notify socket (NOTIFY_SOCKET) of Type=notify services.
 *
 * One AF_UNIX datagram socket at cfg_init.notify_socket_path, with
 * SO_PASSCRED: a datagram counts only when the kernel's credentials say it
 * came from a process of the service it speaks for (its main process, or
 * one in its session). Descriptors passed along (FDSTORE, BARRIER) are
 * closed at once, which is also what a BARRIER=1 waits for. At most
 * NOTIFY_PER_PASS datagrams are read per pass of the loop, so a flood
 * cannot stall init.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <poll.h>
#include <stdint.h>

#define NOTIFY_PER_PASS 64
#define NOTIFY_STATUS_SIZE 128 /* STATUS= text kept per service, cut to fit */

/* What one datagram says (notify_parse). */
struct notify_msg {
	unsigned char ready;    /* READY=1 */
	unsigned char stopping; /* STOPPING=1 */
	unsigned char watchdog; /* WATCHDOG=1 */
	unsigned char trigger;  /* WATCHDOG=trigger: fail it now */
	unsigned char has_status;
	char status[NOTIFY_STATUS_SIZE]; /* STATUS=..., cut to fit, NUL-terminated */
	int errno_value;                 /* ERRNO=, -1 when absent */
};

/* Parse a datagram of len bytes (newline-separated KEY=VALUE assignments,
 * as sd_notify(3) sends). Unknown keys are ignored, as systemd ignores
 * them. Returns 0, or -1 when the datagram is not a notification at all
 * (empty, a NUL inside, no assignment). */
int notify_parse(const char *buf, unsigned len, struct notify_msg *m);

/* Create the socket (replacing a stale one). -1 after logging why. */
int notify_open(void);
/* The socket's descriptor, or -1 (reload hands it over). */
int notify_fd(void);
/* Take over a socket from the previous init (reload). */
void notify_adopt(int fd);
int notify_poll_add(struct pollfd *p, int max);
void notify_poll_done(const struct pollfd *p, int n, int64_t now);
/* Datagrams taken, and ignored, since init started. */
uint64_t notify_accepted(void);
uint64_t notify_rejected(void);

#endif
