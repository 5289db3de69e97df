/* loop.h: the one event loop. */
#ifndef LOOP_H
#define LOOP_H

/* Run forever: poll signals, control clients and exec pipes, then reap,
 * step the state machines and serve clients, in that order. Returns only
 * through the shutdown sequence, and never as PID 1 of a VM. */
void loop_run(int signal_fd);

#endif
