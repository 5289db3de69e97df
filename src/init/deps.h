/* deps.h: what a service's dependencies say about starting it now.
 *
 * After (and Before, seen from the other side): ordering only, of start
 * attempts. A service waits while a service it is ordered after is on its
 * way (waiting, starting, stopping), not once that one's attempt is over:
 * running, waiting to restart (it ended, or could not start), stopped,
 * failed. Requires adds: that service must be running; while it waits to
 * restart the dependant waits too, and if it has failed or is stopped,
 * the dependant cannot start.
 */
#ifndef DEPS_H
#define DEPS_H

struct svc;

enum deps_verdict {
	DEPS_READY = 0,  /* start it */
	DEPS_WAIT = 1,   /* something it is ordered after is on its way */
	DEPS_FAILED = 2, /* a required service failed or is not running */
};

/* Judge service i's dependencies by the states in tab (the service table,
 * svc.c's: deps is below svc and is handed what it judges); *culprit gets
 * the service that makes it wait or fail. */
enum deps_verdict deps_check(const struct svc *tab, int i, int *culprit);
/* Whether service i requires service r. */
int deps_requires(int i, int r);

#endif
