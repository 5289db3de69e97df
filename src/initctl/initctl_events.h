/* initctl_events.h: `initctl events [--since SEQ] [--no-follow]`. */
#ifndef INITCTL_EVENTS_H
#define INITCTL_EVENTS_H

#include "client.h"

/* The words after "events". Prints init's events, one JSON object a line,
 * flushed each; follows until interrupted (or its reader goes) unless
 * --no-follow. Returns the exit status. */
int events_command(const struct client_target *t, int argc, char **argv);

#endif
