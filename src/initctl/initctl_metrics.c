/* initctl_metrics.c: `initctl metrics`: asks init for its metrics (a
 * SYSTEM record, then an SVC record per service) and prints them in the
 * Prometheus text format (metrics.c). The services are kept until the
 * reply is complete, since each metric's samples must come together. */
#include <stdio.h>
#include <string.h>

#include "initctl_metrics.h"
#include "metrics.h"
#include "out.h"

/* Services kept; a larger reply's rest is left out (and said so). */
#define METRICS_SERVICES 4096

struct metrics_reply {
	int have_sys;
	struct proto_system sys;
	struct proto_svc svc[METRICS_SERVICES];
	size_t n, dropped;
};

static int metrics_record(const unsigned char *f, void *ctx)
{
	struct metrics_reply *m = ctx;

	if (proto_unpack_system(f, &m->sys) == 0)
		m->have_sys = 1;
	else if (m->n == METRICS_SERVICES)
		m->dropped++;
	else if (proto_unpack_svc(f, &m->svc[m->n]) == 0)
		m->n++;
	return 0;
}

int metrics_command(const struct client_target *t, int argc, char **argv)
{
	/* Static: 4096 records are too much for the stack, and cost nothing
	 * until they are written. */
	static struct metrics_reply m;
	struct proto_req rq = { PROTO_OP_METRICS };
	struct client_result res;

	if (argc) {
		fprintf(stderr, "initctl: metrics takes no arguments, not '%s'\n", argv[0]);
		return OUT_EXIT_USAGE;
	}
	m.have_sys = 0;
	m.n = m.dropped = 0;
	if (client_call(t, &rq, metrics_record, &m, &res) < 0 || res.status != PROTO_OK)
		return out_failed(res.status, res.msg);
	if (!m.have_sys)
		return out_failed(-1, "init sent no metrics");
	metrics_print(stdout, &m.sys, m.svc, m.n);
	if (m.dropped)
		fprintf(stderr, "initctl: warning: metrics of %zu services left out (at most %d)\n", m.dropped,
			METRICS_SERVICES);
	return 0;
}
