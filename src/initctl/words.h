/* words.h: the words initctl prints for the protocol's numbers (states,
 * restart policies, health, event kinds), the same in text, JSON and
 * metrics. A leaf: it calls nothing else of initctl's. */
#ifndef WORDS_H
#define WORDS_H

#include "proto.h"

/* Restart= as written in a service file: "no", "always", ... */
const char *words_restart(unsigned restart);
/* Type=: "simple", "notify", "oneshot". */
const char *words_type(unsigned type);
/* The state of `status`'s State: line: "running", "waiting to restart",
 * ...; a stopped service is "stopped", or "disabled" when not enabled. */
const char *words_state(unsigned state, int enabled);
/* `list`'s ACTIVE column (systemd's words): "active", "activating",
 * "deactivating", "failed", "inactive". A oneshot that has done its job
 * (exited) is active while it is ready (RemainAfterExit), else inactive. */
const char *words_active(const struct proto_svc *v);
/* enum proto_health: "none", "starting", "healthy", "unhealthy". */
const char *words_health(unsigned health);
/* enum proto_sys_health: "starting", "healthy", "degraded", "unhealthy",
 * "stopping" ("unknown" from an init that does not say). */
const char *words_sys_health(unsigned health);
/* enum proto_entropy: "unknown", "waiting", "ready", "gave-up", "refused". */
const char *words_entropy(unsigned entropy);
/* enum proto_clock: "unknown", "off", "waiting", "synced", "bounded",
 * "unreachable", "rejected", "failed". */
const char *words_clock(unsigned clock);
/* enum proto_event_kind: "state", "ready", "health", "restart",
 * "watchdog", "system", "missed", "exit" ("unknown" for a newer kind). */
const char *words_event_kind(unsigned kind);

/* A /proc state letter in words: "Running", "Sleeping", ... ("Unknown");
 * column: "Disk-sleep" (a word for `ps list`'s awk-split column), else
 * "Disk sleep". */
const char *words_ps_state(int letter, int column);
/* Whether a service has a health check (HealthCmd). */
int words_has_check(const struct proto_svc *v);
/* Whether a service counts as healthy for `initctl health`: active
 * (running, or a oneshot's job done and kept active) and ready, and, when
 * it has a health check, that check's state healthy. */
int words_healthy(const struct proto_svc *v);
/* A service's use, as systemd's status prints it: bytes 1024-based with
 * one decimal ("512B", "1.2M"), CPU time "35ms", "1.234s", "2min 3.456s". */
void words_bytes(uint64_t n, char *buf, size_t cap);
void words_cpu(uint64_t usec, char *buf, size_t cap);
/* The limits a service sets that could not be applied (PROTO_CG_NO_* of
 * flags), "MemoryMax, TasksMax"; "" when none. */
void words_unapplied(unsigned flags, char *buf, size_t cap);

#endif
