/* ctlstats.h: what the control server counts, for metrics. ctl.c writes
 * it, ops_records.c reads it: a leaf, so that the reader (below ctl.c,
 * which calls the ops) does not call back up into ctl.c. */
#ifndef CTLSTATS_H
#define CTLSTATS_H

#include <stdint.h>

struct ctl_stats {
	unsigned clients;  /* connections open now */
	uint64_t requests; /* requests taken since init started */
};

extern struct ctl_stats ctl_stats;

#endif
