/* ctlstats.c: see ctlstats.h. */
#include "ctlstats.h"

struct ctl_stats ctl_stats;
