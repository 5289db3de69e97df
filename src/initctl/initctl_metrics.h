/* initctl_metrics.h: `initctl metrics`. */
#ifndef INITCTL_METRICS_H
#define INITCTL_METRICS_H

#include "client.h"

/* The words after "metrics" (none). Prints the Prometheus text format of
 * init's metrics reply (metrics.c). Returns the exit status. */
int metrics_command(const struct client_target *t, int argc, char **argv);

#endif
