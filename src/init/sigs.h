/* sigs.h: signals as a file descriptor.
 *
 * init blocks SIGCHLD, SIGTERM, SIGINT and SIGHUP and takes them through a
 * signalfd in the event loop, so no code ever runs in a signal handler.
 */
#ifndef SIGS_H
#define SIGS_H

#define SIGS_CHLD 0x1u
#define SIGS_TERM 0x2u /* SIGTERM or SIGINT: shut down */
#define SIGS_HUP 0x4u

/* Block the signals and open the signalfd. Returns the fd, or -1. */
int sigs_setup(void);
/* Drain the signalfd; returns the SIGS_* bits seen. */
unsigned sigs_read(int fd);

#endif
