/* initctl_health.h: `initctl health [NAME] [--json]`. */
#ifndef INITCTL_HEALTH_H
#define INITCTL_HEALTH_H

#include "client.h"

/* The words after "health". Prints the aggregate and each service's health
 * and last checks (or one JSON document); returns 0 when the enclave (or
 * the service named) is healthy, 1 when not, or out.h's status of a
 * failure. */
int health_command(const struct client_target *t, int argc, char **argv);

#endif
