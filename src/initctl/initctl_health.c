/* initctl_health.c: `initctl health [NAME] [--json]`, the enclave's
 * health or one service's, for people and for a load balancer's target
 * check on the parent instance: exit status 0 when healthy, 1 otherwise.
 *
 * The reply (proto.h): a SYSTEM record with the aggregate, then for each
 * service (or the one named) its SVC record and its HEALTH records,
 * newest first. Both outputs are written as the records come, so a reply
 * of any length needs one record of memory here.
 */
#include <stdio.h>
#include <string.h>

#include "initctl_health.h"
#include "initctl_ps.h"
#include "json_view.h"
#include "out.h"
#include "words.h"

struct health_view {
	int json;
	const char *name; /* the service asked about, or 0 */
	struct json j;
	int opened;      /* JSON: the document and its services array are open */
	int in_svc;      /* JSON: a service object (and its checks array) is open */
	int have_sys;    /* a SYSTEM record came */
	unsigned health; /* the aggregate */
	int healthy;     /* the verdict: the aggregate's, or the named service's */
};

/* Text: "  web: unhealthy (3 failed checks in a row)", or for a service
 * without a check whether it is up and ready. */
static void text_svc(const struct proto_svc *v)
{
	if (!words_has_check(v)) {
		printf("  %s: no health check; %s, %s\n", v->name, words_state(v->state, v->enabled),
		       v->ready ? "ready" : "not ready");
		return;
	}
	printf("  %s: %s", v->name, words_health(v->health));
	if (v->health_failures)
		printf(" (%u failed check%s in a row)", v->health_failures, v->health_failures == 1 ? "" : "s");
	printf("\n");
}

/* Text: "    2026-12-05T22:40:00Z  failed  exit 1  12 ms  first line". */
static void text_check(const struct proto_health_rec *h)
{
	char when[JSON_TIME_SIZE], out[4 * PROTO_HEALTH_OUT_SIZE];

	json_rfc3339(h->time_ms / 1000, 0, 0, when, sizeof when);
	ps_clean(h->output, 0, 0, out, sizeof out);
	printf("    %s  %s  exit %u  %u ms%s%s\n", when,
	       h->passed      ? "passed"
	       : h->timed_out ? "timed out"
			      : "failed",
	       h->exit_code, h->duration_ms, out[0] ? "  " : "", out);
}

static void json_open_doc(struct health_view *hv, const struct proto_system *s)
{
	json_begin(&hv->j, stdout);
	json_object_open(&hv->j);
	json_kstring(&hv->j, "health", words_sys_health(s->health));
	json_ku64(&hv->j, "health_code", s->health);
	json_kstring_or_null(&hv->j, "service", hv->name);
	json_key(&hv->j, "system");
	json_view_system(&hv->j, s, 0);
	json_key(&hv->j, "services");
	json_array_open(&hv->j);
	hv->opened = 1;
}

static void json_close_svc(struct health_view *hv)
{
	if (!hv->in_svc)
		return;
	json_array_close(&hv->j);
	json_object_close(&hv->j);
	hv->in_svc = 0;
}

static void take_system(struct health_view *hv, const struct proto_system *s)
{
	hv->have_sys = 1;
	hv->health = s->health;
	if (!hv->name)
		hv->healthy = s->health == PROTO_SYS_HEALTHY;
	if (hv->json)
		json_open_doc(hv, s);
	else
		printf("Health: %s\n", words_sys_health(s->health));
}

static void take_svc(struct health_view *hv, const struct proto_svc *v)
{
	if (hv->name && !strcmp(v->name, hv->name))
		hv->healthy = words_healthy(v);
	if (!hv->json) {
		text_svc(v);
		return;
	}
	json_close_svc(hv);
	json_object_open(&hv->j);
	json_view_svc_members(&hv->j, v, 0);
	json_kbool(&hv->j, "healthy", words_healthy(v));
	json_key(&hv->j, "checks");
	json_array_open(&hv->j);
	hv->in_svc = 1;
}

/* One result of the service before it, newest first. */
static void take_check(struct health_view *hv, const struct proto_health_rec *h)
{
	if (!hv->json)
		text_check(h);
	else if (hv->in_svc)
		json_view_check(&hv->j, h);
}

static int health_record(const unsigned char *f, void *ctx)
{
	struct health_view *hv = ctx;
	struct proto_system s;
	struct proto_svc v;
	struct proto_health_rec h;

	if (proto_unpack_system(f, &s) == 0)
		take_system(hv, &s);
	else if (!hv->have_sys)
		return 0; /* the aggregate comes first; anything before it is not this reply's */
	else if (proto_unpack_svc(f, &v) == 0)
		take_svc(hv, &v);
	else if (proto_unpack_health(f, &h) == 0)
		take_check(hv, &h);
	return 0;
}

static void json_close_doc(struct health_view *hv)
{
	json_close_svc(hv);
	json_array_close(&hv->j);
	json_kbool(&hv->j, "healthy", hv->healthy);
	json_object_close(&hv->j);
	json_end(&hv->j);
}

int health_command(const struct client_target *t, int argc, char **argv)
{
	static struct health_view hv;
	struct proto_req rq = { PROTO_OP_HEALTH };
	struct client_result res;
	int i;

	memset(&hv, 0, sizeof hv);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			hv.json = 1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "initctl: health: unknown option: %s\n", argv[i]);
			return OUT_EXIT_USAGE;
		} else if (hv.name) {
			fprintf(stderr, "initctl: health takes at most one SERVICE name\n");
			return OUT_EXIT_USAGE;
		} else {
			hv.name = argv[i];
		}
	}
	if (hv.name && !proto_name_ok(hv.name))
		return out_bad_name(hv.name);
	rq.name = hv.name;
	if (client_call(t, &rq, health_record, &hv, &res) < 0 || res.status != PROTO_OK) {
		fflush(stdout);
		return out_failed(res.status, res.msg);
	}
	if (!hv.have_sys)
		return out_failed(-1, "init sent no health record");
	if (hv.json)
		json_close_doc(&hv);
	return hv.healthy ? 0 : OUT_EXIT_FAILED;
}
