/* words.c: the protocol's numbers in words (see words.h). One table each,
 * so that text, JSON and metrics cannot say different things. */
#include <stdio.h>
#include <string.h>

#include "words.h"

/* The word at index i of a table of n, or fallback. */
static const char *pick(const char *const *w, unsigned n, unsigned i, const char *fallback)
{
	return i < n && w[i] ? w[i] : fallback;
}

#define PICK(table, i, fallback) pick((table), sizeof(table) / sizeof((table)[0]), (i), (fallback))

const char *words_restart(unsigned restart)
{
	static const char *const w[] = { "no", "always", "on-failure", "on-success" };
	return PICK(w, restart, "?");
}

const char *words_type(unsigned type)
{
	static const char *const w[] = {
		[PROTO_TYPE_SIMPLE] = "simple",
		[PROTO_TYPE_NOTIFY] = "notify",
		[PROTO_TYPE_ONESHOT] = "oneshot",
	};
	return PICK(w, type, "unknown");
}

const char *words_state(unsigned state, int enabled)
{
	static const char *const w[] = {
		[PROTO_STATE_STARTING] = "starting", [PROTO_STATE_RUNNING] = "running",
		[PROTO_STATE_STOPPING] = "stopping", [PROTO_STATE_RESTART_WAIT] = "waiting to restart",
		[PROTO_STATE_FAILED] = "failed",     [PROTO_STATE_WAITING] = "waiting for dependencies",
		[PROTO_STATE_EXITED] = "exited",
	};
	if (state == PROTO_STATE_STOPPED)
		return enabled ? "stopped" : "disabled";
	return PICK(w, state, "unknown");
}

const char *words_active(const struct proto_svc *v)
{
	switch (v->state) {
	case PROTO_STATE_RUNNING: return "active";
	case PROTO_STATE_WAITING:
	case PROTO_STATE_STARTING:
	case PROTO_STATE_RESTART_WAIT: return "activating";
	case PROTO_STATE_STOPPING: return "deactivating";
	case PROTO_STATE_FAILED: return "failed";
	case PROTO_STATE_EXITED: return v->remain ? "active" : "inactive";
	}
	return "inactive";
}

const char *words_health(unsigned health)
{
	static const char *const w[] = {
		[PROTO_HEALTH_NONE] = "none",
		[PROTO_HEALTH_STARTING] = "starting",
		[PROTO_HEALTH_HEALTHY] = "healthy",
		[PROTO_HEALTH_UNHEALTHY] = "unhealthy",
	};
	return PICK(w, health, "unknown");
}

const char *words_sys_health(unsigned health)
{
	static const char *const w[] = {
		[PROTO_SYS_STARTING] = "starting", [PROTO_SYS_HEALTHY] = "healthy",
		[PROTO_SYS_DEGRADED] = "degraded", [PROTO_SYS_UNHEALTHY] = "unhealthy",
		[PROTO_SYS_STOPPING] = "stopping",
	};
	return PICK(w, health, "unknown");
}

const char *words_entropy(unsigned entropy)
{
	static const char *const w[] = {
		[PROTO_ENTROPY_UNKNOWN] = "unknown", [PROTO_ENTROPY_WAITING] = "waiting",
		[PROTO_ENTROPY_READY] = "ready",     [PROTO_ENTROPY_GAVE_UP] = "gave-up",
		[PROTO_ENTROPY_REFUSED] = "refused",
	};
	return PICK(w, entropy, "unknown");
}

const char *words_clock(unsigned clock)
{
	static const char *const w[] = {
		[PROTO_CLOCK_UNKNOWN] = "unknown",   [PROTO_CLOCK_OFF] = "off",
		[PROTO_CLOCK_WAITING] = "waiting",   [PROTO_CLOCK_SYNCED] = "synced",
		[PROTO_CLOCK_BOUNDED] = "bounded",   [PROTO_CLOCK_UNREACHABLE] = "unreachable",
		[PROTO_CLOCK_REJECTED] = "rejected", [PROTO_CLOCK_FAILED] = "failed",
	};
	return PICK(w, clock, "unknown");
}

const char *words_event_kind(unsigned kind)
{
	static const char *const w[] = {
		[PROTO_EVENT_STATE] = "state",       [PROTO_EVENT_READY] = "ready",
		[PROTO_EVENT_HEALTH] = "health",     [PROTO_EVENT_RESTART] = "restart",
		[PROTO_EVENT_WATCHDOG] = "watchdog", [PROTO_EVENT_SYSTEM] = "system",
		[PROTO_EVENT_MISSED] = "missed",     [PROTO_EVENT_EXIT] = "exit",
	};
	return PICK(w, kind, "unknown");
}

const char *words_ps_state(int letter, int column)
{
	switch (letter) {
	case 'R': return "Running";
	case 'S': return "Sleeping";
	case 'D': return column ? "Disk-sleep" : "Disk sleep";
	case 'Z': return "Zombie";
	case 'T': return "Stopped";
	case 't': return "Tracing";
	case 'X':
	case 'x': return "Dead";
	case 'K': return "Wakekill";
	case 'W': return "Waking";
	case 'P': return "Parked";
	case 'I': return "Idle";
	}
	return "Unknown";
}

int words_has_check(const struct proto_svc *v)
{
	return v->health_interval != 0 || v->health != PROTO_HEALTH_NONE;
}

int words_healthy(const struct proto_svc *v)
{
	if (v->state == PROTO_STATE_EXITED)
		return 1; /* a oneshot whose job is done, kept active or not */
	if (strcmp(words_active(v), "active") != 0 || !v->ready)
		return 0;
	return !words_has_check(v) || v->health == PROTO_HEALTH_HEALTHY;
}

void words_bytes(uint64_t n, char *buf, size_t cap)
{
	static const char units[] = "KMGTPE";
	uint64_t f = 1024;
	unsigned k = 0;

	if (n < 1024) {
		snprintf(buf, cap, "%lluB", (unsigned long long)n);
		return;
	}
	while (k + 1 < sizeof units - 1 && n / f >= 1024) {
		f *= 1024;
		k++;
	}
	/* One decimal, rounded down as systemd's format_bytes does. */
	snprintf(buf, cap, "%llu.%llu%c", (unsigned long long)(n / f), (unsigned long long)(n % f * 10 / f),
		 units[k]);
}

void words_cpu(uint64_t usec, char *buf, size_t cap)
{
	unsigned long long ms = usec / 1000;

	if (ms < 1000)
		snprintf(buf, cap, "%llums", ms);
	else if (ms < 60000)
		snprintf(buf, cap, "%llu.%03llus", ms / 1000, ms % 1000);
	else
		snprintf(buf, cap, "%llumin %llu.%03llus", ms / 60000, ms / 1000 % 60, ms % 1000);
}

void words_unapplied(unsigned flags, char *buf, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *key;
	} w[] = {
		{ PROTO_CG_NO_MEMORY_MAX, "MemoryMax" },
		{ PROTO_CG_NO_CPU_WEIGHT, "CPUWeight" },
		{ PROTO_CG_NO_TASKS_MAX, "TasksMax" },
	};
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if ((flags & w[i].bit) && n < cap)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", w[i].key);
}
