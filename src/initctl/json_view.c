/* json_view.c: init's records as JSON objects (see json_view.h; every
 * field is listed in README, "Machine-readable output"). */
#include <string.h>

#include "json_view.h"
#include "signames.h"
#include "words.h"

/* How it last ended: exit_code (the status, or 128 + signal),
 * exit_signal and exit_signal_name, null when they do not apply. */
static void last_exit(struct json *j, unsigned kind, uint32_t code, uint32_t sig)
{
	const char *name = kind == PROTO_EXIT_SIGNAL ? signame((int)sig) : 0;
	char full[16];

	if (kind == PROTO_EXIT_NONE)
		json_knull(j, "exit_code");
	else
		json_ku64(j, "exit_code", code);
	if (kind != PROTO_EXIT_SIGNAL) {
		json_knull(j, "exit_signal");
		json_knull(j, "exit_signal_name");
		return;
	}
	json_ku64(j, "exit_signal", sig);
	snprintf(full, sizeof full, "SIG%s", name ? name : "");
	json_kstring_or_null(j, "exit_signal_name", name ? full : 0);
}

/* A dependency list as status prints it ("a, b"), as an array of names. */
static void name_list(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_array_open(j);
	while (*s) {
		const char *end = strstr(s, ", ");
		size_t n = end ? (size_t)(end - s) : strlen(s);

		json_string_n(j, s, n);
		s += n;
		if (end)
			s += 2;
	}
	json_array_close(j);
}

/* status's texts: the command, directory, dependencies and reasons. */
static void svc_texts(struct json *j, const char *const *text)
{
	json_kstring(j, "command", text[PROTO_KEY_COMMAND]);
	json_kstring_or_null(j, "working_directory", text[PROTO_KEY_WORKDIR]);
	name_list(j, "after", text[PROTO_KEY_AFTER]);
	name_list(j, "requires", text[PROTO_KEY_REQUIRES]);
	name_list(j, "before", text[PROTO_KEY_BEFORE]);
	name_list(j, "required_by", text[PROTO_KEY_REQUIRED_BY]);
	json_kstring_or_null(j, "last_error", text[PROTO_KEY_REASON]);
	json_kstring_or_null(j, "restart_throttle", text[PROTO_KEY_THROTTLE]);
	json_kstring_or_null(j, "status_text", text[PROTO_KEY_NOTIFY_STATUS]);
	json_kstring_or_null(j, "health_cmd", text[PROTO_KEY_HEALTH_CMD]);
}

/* Its cgroup's use: null when not known (no cgroup, or no such counter). */
static void cgroup_members(struct json *j, const struct proto_svc *v)
{
	static const struct {
		const char *key;
		unsigned bit;
	} k[] = {
		{ "memory_bytes", PROTO_CG_MEMORY },
		{ "cpu_usec", PROTO_CG_CPU },
		{ "tasks", PROTO_CG_TASKS },
	};
	const uint64_t x[] = { v->memory_bytes, v->cpu_usec, v->tasks };
	char text[64];
	size_t i;

	json_kbool(j, "cgroup", (v->cgroup & PROTO_CG_CONTAINED) != 0);
	for (i = 0; i < sizeof k / sizeof k[0]; i++)
		if (v->cgroup & k[i].bit)
			json_ku64(j, k[i].key, x[i]);
		else
			json_knull(j, k[i].key);
	words_unapplied(v->cgroup, text, sizeof text);
	json_kstring(j, "limits_not_applied", text);
}

void json_view_svc_members(struct json *j, const struct proto_svc *v, const char *const *text)
{
	json_kstring(j, "name", v->name);
	json_kbool(j, "enabled", v->enabled);
	json_kstring(j, "active", words_active(v));
	json_kstring(j, "state", words_state(v->state, v->enabled));
	json_ku64(j, "state_code", v->state);
	json_ku64(j, "state_sec", v->since);
	json_kstring(j, "type", words_type(v->type));
	json_kbool(j, "ready", v->ready);
	if (v->pid)
		json_ku64(j, "pid", v->pid);
	else
		json_knull(j, "pid");
	json_ktime(j, "start_time", v->start_time);
	json_kstring(j, "restart", words_restart(v->restart));
	json_ku64(j, "restart_sec", v->restart_sec);
	json_ku64(j, "restarts", v->restarts);
	last_exit(j, v->exit_kind, v->exit_code, v->exit_signal);
	json_ku64(j, "stop_timeout_sec", v->stop_timeout);
	json_ku64(j, "timeout_start_sec", v->timeout_start);
	json_ku64(j, "watchdog_sec", v->watchdog_sec);
	json_kstring(j, "health", words_health(v->health));
	json_ku64(j, "health_code", v->health);
	json_kbool(j, "health_check", words_has_check(v));
	json_ku64(j, "health_interval_sec", v->health_interval);
	json_ku64(j, "health_failures", v->health_failures);
	json_kstring(j, "health_action", v->health_action ? "restart" : "none");
	json_ku64(j, "log_bytes", v->log_bytes);
	json_ku64(j, "log_lines", v->log_lines);
	json_ku64(j, "log_dropped_lines", v->log_dropped);
	cgroup_members(j, v);
	if (text)
		svc_texts(j, text);
}

void json_view_svc(struct json *j, const struct proto_svc *v, const char *const *text)
{
	json_object_open(j);
	json_view_svc_members(j, v, text);
	json_object_close(j);
}

void json_view_system(struct json *j, const struct proto_system *s, const char *const *text)
{
	json_object_open(j);
	json_kstring(j, "health", words_sys_health(s->health));
	json_ku64(j, "health_code", s->health);
	json_ku64(j, "uptime_sec", s->uptime);
	json_ktime(j, "boot_time", s->boot_time);
	json_ku64(j, "services", s->services);
	json_ku64(j, "enabled", s->enabled);
	json_ku64(j, "active", s->active);
	json_ku64(j, "processes", s->processes);
	json_ku64(j, "rss_kb", s->rss_kb);
	json_ku64(j, "open_fds", s->fds);
	json_ku64(j, "control_clients", s->clients);
	json_ku64(j, "requests", s->requests);
	json_ku64(j, "notify_accepted", s->notify_accepted);
	json_ku64(j, "notify_rejected", s->notify_rejected);
	json_ku64(j, "health_checks", s->health_checks);
	json_ku64(j, "next_event_seq", s->events);
	json_ku64(j, "restarts", s->restarts);
	json_kstring(j, "entropy", words_entropy(s->entropy));
	json_ku64(j, "entropy_wait_ms", s->entropy_wait_ms);
	json_kstring_or_null(j, "hwrng", s->hwrng);
	json_ku64(j, "hwrng_credited_bytes", s->hwrng_credited);
	json_kstring(j, "clock", words_clock(s->clock));
	json_kstring_or_null(j, "clock_source", s->clock_source);
	json_ki64(j, "clock_offset_us", s->clock_offset_us);
	json_ku64(j, "clock_rtt_us", s->clock_rtt_us);
	json_ku64(j, "clock_adjustments", s->clock_adjustments);
	json_ku64(j, "clock_adjusted_us", s->clock_adjusted_us);
	json_ku64(j, "clock_refused", s->clock_refused);
	json_ku64(j, "clock_last_sync", s->clock_last_sync);
	if (text) {
		json_kstring(j, "service_dir", text[PROTO_KEY_SERVICE_DIR]);
		json_kstring(j, "log_dir", text[PROTO_KEY_LOG_DIR]);
	}
	json_object_close(j);
}

/* A /proc state letter as a one-character string (0: none). */
static void state_letter(struct json *j, int letter)
{
	char s[2] = { (char)letter, 0 };

	json_kstring_or_null(j, "state_code", s);
}

void json_view_ps(struct json *j, const struct proto_ps *p, const char *cmdline)
{
	int ended = !p->state;

	json_object_open(j);
	json_ku64(j, "pid", p->pid);
	if (ended) {
		/* Reaped: only how it ended and its command are left. */
		json_kstring(j, "state", "Ended");
		json_knull(j, "state_code");
		last_exit(j, p->exit_kind, p->exit_kind == PROTO_EXIT_SIGNAL ? 128 + p->exit_code : p->exit_code,
			  p->exit_code);
	} else {
		json_ku64(j, "ppid", p->ppid);
		json_kstring(j, "state", words_ps_state(p->state, 0));
		state_letter(j, p->state);
		json_kstring(j, "name", p->comm);
		json_key(j, "cpu_percent");
		json_decimal(j, p->cpu_x100, 2);
		json_ku64(j, "rss_kb", p->rss_kb);
		json_ktime(j, "start_time", p->start);
	}
	json_kstring(j, "command", cmdline ? cmdline : p->cmd);
	json_kbool(j, "managed", p->managed);
	json_kstring_or_null(j, "service", p->managed ? p->name : 0);
	json_kbool(j, "adhoc", p->adhoc);
	json_kbool(j, "kernel_thread", p->kthread);
	json_object_close(j);
}

void json_view_check(struct json *j, const struct proto_health_rec *h)
{
	json_object_open(j);
	json_ktime_ms(j, "time", h->time_ms);
	json_ku64(j, "duration_ms", h->duration_ms);
	json_ku64(j, "exit_code", h->exit_code);
	json_kbool(j, "timed_out", h->timed_out);
	json_kbool(j, "passed", h->passed);
	json_kstring(j, "output", h->output);
	json_object_close(j);
}

/* An event's from or to: a state, a health or the enclave's health in
 * words, by its kind; null for the kinds that have none. */
static void event_word(struct json *j, const char *key, const struct proto_event *e, unsigned v)
{
	switch (e->kind) {
	case PROTO_EVENT_STATE: json_kstring(j, key, words_state(v, 1)); break;
	case PROTO_EVENT_HEALTH: json_kstring(j, key, words_health(v)); break;
	case PROTO_EVENT_SYSTEM: json_kstring(j, key, words_sys_health(v)); break;
	default: json_knull(j, key);
	}
}

void json_view_event(struct json *j, const struct proto_event *e)
{
	int has_code =
		e->kind == PROTO_EVENT_HEALTH || e->kind == PROTO_EVENT_EXIT || e->kind == PROTO_EVENT_RESTART;

	json_object_open(j);
	json_ku64(j, "seq", e->seq);
	json_ktime_ms(j, "time", e->time_ms);
	json_kstring(j, "kind", words_event_kind(e->kind));
	json_kstring_or_null(j, "service", e->name);
	event_word(j, "from", e, e->from);
	event_word(j, "to", e, e->to);
	if (has_code)
		json_ku64(j, "code", e->code);
	else
		json_knull(j, "code");
	if (e->kind == PROTO_EVENT_MISSED)
		json_ku64(j, "missed", e->missed);
	else
		json_knull(j, "missed");
	json_object_close(j);
}

/* Bytes of the document in hex, or null when null or absent. */
static void hex_or_null(struct json *j, const char *key, const struct attest_bytes *b)
{
	json_key(j, key);
	if (b->p)
		json_hex(j, b->p, b->len);
	else
		json_null(j);
}

void json_view_attest(struct json *j, const struct attest_doc *d)
{
	char idx[4];
	unsigned i;

	json_object_open(j);
	json_key(j, "module_id");
	json_string_n(j, (const char *)d->module_id.p, d->module_id.len);
	json_key(j, "digest");
	json_string_n(j, (const char *)d->digest.p, d->digest.len);
	json_ktime_ms(j, "time", d->timestamp_ms);
	json_key(j, "pcrs");
	json_object_open(j);
	for (i = 0; i < ATTEST_PCRS; i++) {
		if (!d->pcr[i].p)
			continue;
		snprintf(idx, sizeof idx, "%u", i);
		hex_or_null(j, idx, &d->pcr[i]);
	}
	json_object_close(j);
	hex_or_null(j, "nonce", &d->nonce);
	hex_or_null(j, "user_data", &d->user_data);
	hex_or_null(j, "public_key", &d->public_key);
	json_ku64(j, "certificate_bytes", d->certificate_len);
	json_ku64(j, "cabundle_certificates", d->cabundle);
	json_kbool(j, "tagged", d->tagged);
	json_ku64(j, "protected_header_bytes", d->protected_len);
	json_ku64(j, "payload_bytes", d->payload_len);
	json_ku64(j, "signature_bytes", d->signature_len);
	json_ku64(j, "document_bytes", d->doc_len);
	json_object_close(j);
}
