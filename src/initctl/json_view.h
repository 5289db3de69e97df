/* json_view.h: init's records as JSON members, the one place that names
 * the fields of --json and `events` (README, "Machine-readable output").
 *
 * Each function writes one whole JSON object from records already
 * decoded, so that the tests can feed it records built by hand. Names are
 * snake_case and never change meaning; a later field is only ever added.
 * States are initctl's words with the number beside them; durations end
 * in _sec or _ms, sizes in _kb or _bytes; times come as RFC 3339 and as
 * epoch numbers (json.h).
 */
#ifndef JSON_VIEW_H
#define JSON_VIEW_H

#include "attest_doc.h"
#include "json.h"
#include "proto.h"

/* A service, from its SVC record. text: NULL (list), or status's joined
 * TEXT records indexed by enum proto_key (PROTO_KEY_MAX + 1 strings, ""
 * when none came), which add the command, directory, dependencies and
 * the reasons. */
void json_view_svc(struct json *j, const struct proto_svc *v, const char *const *text);
/* Its members only, in an object the caller opened (health adds the
 * checks). */
void json_view_svc_members(struct json *j, const struct proto_svc *v, const char *const *text);
/* init's numbers (system-status, health, metrics), from a SYSTEM record;
 * text as above (the directories), or NULL. */
void json_view_system(struct json *j, const struct proto_system *s, const char *const *text);
/* One process (ps list, ps status); cmdline: the whole command line when
 * known (ps status), else NULL (the record's own, cut to fit). */
void json_view_ps(struct json *j, const struct proto_ps *p, const char *cmdline);
/* One result of a health check. */
void json_view_check(struct json *j, const struct proto_health_rec *h);
/* One event (`initctl events`: one object per line). */
void json_view_event(struct json *j, const struct proto_event *e);
/* An attestation document (`initctl attest --json`): its payload's fields
 * (bytes in hex) and the sizes of the rest. */
void json_view_attest(struct json *j, const struct attest_doc *d);

#endif
