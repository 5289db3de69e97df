/* initctl_show.h: the plain commands (list, status, system-status, start,
 * stop, restart, enable, disable, logs-clear, reload, ping, shutdown,
 * reboot): one request, init's answer printed. */
#ifndef INITCTL_SHOW_H
#define INITCTL_SHOW_H

#include "client.h"

/* Send rq and print the reply: the list table, the "Service: NAME" block,
 * the "System Status" block, or "✓ message"; with json, one JSON document
 * instead (list, status, system-status, ping). Returns the exit status
 * (out.h's: status of a service that is not active exits 3). */
int show_command(const struct client_target *t, struct proto_req rq, int json);

#endif
