/* deps.c: dependency verdicts, from the generated lists and the live
 * states its caller (svc.c) hands it; it calls nothing of svc.c's. */
#include "cfg.h"
#include "deps.h"
#include "svc.h"

int deps_requires(int i, int r)
{
	int k;

	for (k = 0; k < svc_cfg(i)->nrequires; k++)
		if (svc_cfg(i)->requires[k] == r)
			return 1;
	return 0;
}

enum deps_verdict deps_check(const struct svc *tab, int i, int *culprit)
{
	enum deps_verdict v = DEPS_READY;
	int k;

	/* pred holds every service i starts after: After, Requires, and the
	 * Before/RequiredBy of others. */
	for (k = 0; k < svc_cfg(i)->npred; k++) {
		int p = svc_cfg(i)->pred[k];
		enum svc_state st = tab[p].state;
		int down = st == SVC_STOPPED || st == SVC_FAILED;
		int required = deps_requires(i, p);

		/* Running is ready (READY=1, a passing check, or the exec);
		 * exited is a oneshot's job done. */
		if (st == SVC_RUNNING || st == SVC_EXITED)
			continue;
		/* Ordering alone (After, Before) waits for p's start attempt, not
		 * for its success: once p has run and ended, or failed to start,
		 * and waits to restart, i goes (as with systemd, whose start job
		 * of p is then over). Its later restarts do not hold i back. The
		 * app, which comes after every service, goes the same way. */
		if (st == SVC_RESTART_WAIT && !required)
			continue;
		if (down && required) {
			*culprit = p;
			return DEPS_FAILED;
		}
		if (!down && v == DEPS_READY) {
			*culprit = p;
			v = DEPS_WAIT;
		}
	}
	return v;
}
