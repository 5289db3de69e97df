/* reap.c: waitpid until nothing is left to collect. As PID 1 (or a child
 * subreaper) every orphan in the system ends up here; none stays a zombie. */
#include <errno.h>
#include <sys/wait.h>

#include "adhoc.h"
#include "attest.h"
#include "health.h"
#include "reap.h"
#include "svc.h"

int reap_all(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0) {
			/* a service, a health check, an ad-hoc process, an
			 * attestation request, or an orphan: collected, nothing
			 * more */
			if (!svc_reaped(pid, status) && !health_reaped(pid, status) && !adhoc_reaped(pid, status))
				(void)attest_reaped(pid, status);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		return pid < 0 && errno == ECHILD;
	}
}
