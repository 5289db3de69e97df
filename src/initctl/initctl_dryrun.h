/* initctl_dryrun.h: `initctl reload --dry-run`. */
#ifndef INITCTL_DRYRUN_H
#define INITCTL_DRYRUN_H

#include "client.h"

/* Print what a reload would do to each service (ACTION SERVICE WHY): what
 * init runs now, from `list`, against the tables this initctl was built
 * with. Returns the exit status. */
int dryrun_reload(const struct client_target *t);

#endif
