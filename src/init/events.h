/* events.h: the event ring: state changes, readiness, health transitions,
 * restarts, the enclave's health, for `initctl events`.
 *
 * A fixed ring of the last EVENTS_RING events, each with a sequence number
 * (1 upwards). Readers keep their own cursor (a sequence number): adding
 * never waits for a reader, and a reader that fell behind the ring learns
 * how many events it missed. Never allocates.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include <stdint.h>

#define EVENTS_RING 1024

struct event {
	uint64_t seq;
	int64_t time_ms;    /* epoch ms */
	short svc;          /* service index, -1: the enclave */
	unsigned char kind; /* enum proto_event_kind */
	unsigned char from, to;
	uint32_t code;
};

/* Record an event (svc -1: the enclave's own). */
void events_add(int svc, unsigned kind, unsigned from, unsigned to, uint32_t code);
/* The sequence number the next event will get. */
uint64_t events_next_seq(void);
/* The oldest sequence number the ring still holds (= next when empty). */
uint64_t events_first_seq(void);
/* After a reload: numbering goes on from the old init's next number, so
 * that a reader resuming with --since learns what it missed (the old
 * init's events themselves are not handed over). */
void events_resume(uint64_t seq);
/* The event numbered seq, or 0 when it is not (or no longer) held. */
const struct event *events_get(uint64_t seq);

#endif
