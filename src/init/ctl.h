/* ctl.h: the control server (Unix socket) and its client slots. */
#ifndef CTL_H
#define CTL_H

#include <poll.h>
#include <stdint.h>

/* A peer that sends no whole request, or reads none of its reply, for this
 * long is dropped: no client can hold a slot forever. */
#define CTL_TIMEOUT_MS 5000

/* Create the listening socket (mode 0600, replacing a stale one).
 * Returns 0, or -1 after logging why (init runs on without it). */
int ctl_open(void);
/* Poll entries for the listener and the clients; returns how many. */
int ctl_poll_add(struct pollfd *p, int max);
/* Accept, read, answer, after poll. */
void ctl_poll_done(const struct pollfd *p, int n, int64_t now);
/* Drop clients past their deadline. */
void ctl_tick(int64_t now);
/* The earliest client deadline, or 0. */
int64_t ctl_next_deadline(void);
/* Clients still connected whose request holds the end of a shutdown back
 * (a `shutdown --wait`: until it has its answer and has closed). */
int ctl_holding(void);

#endif
