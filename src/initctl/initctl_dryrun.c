/* initctl_dryrun.c: `initctl reload --dry-run`, what a reload would do.
 *
 * Compares what init runs now (its `list` reply) with the tables this
 * initctl was built with: initctl is built with init, from the same
 * configuration, so its cfg_svc[] is what the new init would load. Asks
 * init nothing but `list`: a dry run changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "initctl_dryrun.h"
#include "out.h"

/* One service as init runs it: what the plan compares. Static, and
 * filled by the record callback, because the reply is read before the
 * plan is printed. Records past the table's end are not kept. */
struct running {
	char name[PROTO_NAME_SIZE];
	unsigned state, enabled;
	unsigned long long exec_hash;
};
static struct running running[4096];
static int nrunning;

static int collect_running(const unsigned char *f, void *ctx)
{
	struct proto_svc v;
	struct running *r = &running[nrunning];

	(void)ctx;
	if (nrunning == (int)(sizeof running / sizeof running[0]) || proto_unpack_svc(f, &v) < 0)
		return 0;
	memcpy(r->name, v.name, PROTO_NAME_SIZE);
	r->state = v.state;
	r->enabled = v.enabled;
	r->exec_hash = v.exec_hash;
	nrunning++;
	return 0;
}

/* Up: anything but stopped or failed, so a reload that drops or changes
 * the service has something to stop. */
static int is_up(unsigned state)
{
	return state != PROTO_STATE_STOPPED && state != PROTO_STATE_FAILED;
}

/* The new tables' index of the service called name, or CFG_NSVC. */
static int cfg_index(const char *name)
{
	int k;

	for (k = 0; k < CFG_NSVC && strcmp(cfg_svc[k].name, name) != 0; k++)
		;
	return k;
}

/* A service init has: stop or remove it if the new tables have none of
 * that name, restart it if its configuration changed while it is up,
 * else keep it. */
static void plan_running(const struct running *r)
{
	int k = cfg_index(r->name);

	if (k == CFG_NSVC)
		printf("%-8s %-25s %s\n", is_up(r->state) ? "stop" : "remove", r->name,
		       is_up(r->state) ? "no longer configured" : "no longer configured (not running)");
	else if (cfg_svc[k].exec_hash != r->exec_hash && is_up(r->state))
		printf("%-8s %-25s %s\n", "restart", r->name, "configuration changed");
	else
		printf("%-8s %-25s %s\n", "keep", r->name,
		       cfg_svc[k].exec_hash != r->exec_hash
			       ? "configuration changed; not running, the new one applies at its next start"
		       : is_up(r->state) ? "unchanged, keeps running"
					 : "unchanged");
}

int dryrun_reload(const struct client_target *t)
{
	struct proto_req rq = { PROTO_OP_LIST };
	struct client_result res;
	int i, k;

	if (client_call(t, &rq, collect_running, 0, &res) < 0 || res.status != PROTO_OK)
		return out_failed(res.status, res.msg);
	printf("%-8s %-25s %s\n", "ACTION", "SERVICE", "WHY");
	/* Every service init has, in init's order; then the ones only the new tables have. */
	for (i = 0; i < nrunning; i++)
		plan_running(&running[i]);
	for (k = 0; k < CFG_NSVC; k++) {
		for (i = 0; i < nrunning && strcmp(cfg_svc[k].name, running[i].name) != 0; i++)
			;
		if (i == nrunning)
			printf("%-8s %-25s %s\n", cfg_svc[k].enabled ? "start" : "add", cfg_svc[k].name,
			       cfg_svc[k].enabled ? "new, enabled" : "new, disabled: not started");
	}
	return 0;
}
