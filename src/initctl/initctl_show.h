/* initctl_show.h: the plain commands (list, status, system-status, start,
 * stop, restart, enable, disable, logs-clear, reload, ping, shutdown,
 * reboot): one request, init's answer printed. */
#ifndef INITCTL_SHOW_H
#define INITCTL_SHOW_H

#include "client.h"

/* Send rq and print the reply: the list table, the "Service: NAME" block,
 * the "System Status" block, or "✓ message". Returns the exit status. */
int show_command(const struct client_target *t, struct proto_req rq);

#endif
