/* printcfg.c: the services of `init --print-config`, from the tables.
 *
 * Printing them costs a little code once; compiling them in as YAML text
 * cost about 600 bytes per service. Strings are written as gen/emit.py's
 * yaml_scalar() writes them: JSON, with every character from DEL up as
 * \uXXXX (or \UXXXXXXXX), so the two agree byte for byte.
 */
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "fmt.h"
#include "printcfg.h"
#include "privs.h"

static char buf[4096];
static size_t len;
static int out_fd;

static void flush(void)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(out_fd, buf + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	len = 0;
}

static void put(const char *s, size_t n)
{
	while (n) {
		size_t k = n < sizeof buf - len ? n : sizeof buf - len;
		memcpy(buf + len, s, k);
		len += k;
		s += k;
		n -= k;
		if (len == sizeof buf)
			flush();
	}
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* "    Key: 5" and a newline: one setting of a service; "null" when v is
 * 0 (not set). */
static void put_setting(const char *key, const unsigned *v)
{
	char t[64];
	put(t, v ? fmt_fmt(t, sizeof t, "    %s: %u\n", key, *v) : fmt_fmt(t, sizeof t, "    %s: null\n", key));
}

/* Decode one UTF-8 character at s (the generator accepts only valid
 * UTF-8); returns its length, or 1 for a stray byte (then *cp = the byte). */
static size_t utf8(const unsigned char *s, unsigned *cp)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1, i;
	unsigned v = n == 4 ? s[0] & 7u : n == 3 ? s[0] & 15u : n == 2 ? s[0] & 31u : s[0];

	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		v = v << 6 | (s[i] & 63u);
	}
	*cp = v;
	return n;
}

/* One character cp of a double-quoted scalar, whose first byte is at s:
 * printable ASCII as it is, YAML's short escapes, the rest as \u or \U. */
static void put_char(const unsigned char *s, unsigned cp)
{
	static const char from[] = "\"\\\n\r\t\b\f", to[] = "\"\\nrtbf";
	const char *e = cp && cp < 0x80 ? strchr(from, (int)cp) : 0;
	char t[16];

	if (e) {
		t[0] = '\\';
		t[1] = to[e - from];
		put(t, 2);
	} else if (cp >= 0x20 && cp < 0x7f) {
		put((const char *)s, 1);
	} else {
		put(t, fmt_fmt(t, sizeof t, cp > 0xffff ? "\\U%08x" : "\\u%04x", cp));
	}
}

static void scalar(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	if (!s) {
		puts_("null");
		return;
	}
	put("\"", 1);
	while (*s) {
		unsigned cp;
		size_t n = utf8(s, &cp);
		put_char(s, cp);
		s += n;
	}
	put("\"", 1);
}

static void list(const char *key, const char *const *items)
{
	puts_(key);
	put("[", 1);
	for (; items && *items; items++) {
		scalar(*items);
		if (items[1])
			puts_(", ");
	}
	puts_("]\n");
}

/* "a, b" (the dependency texts) as ["a", "b"]: names have no comma. */
static void names(const char *key, const char *text)
{
	puts_(key);
	put("[", 1);
	while (text && *text) {
		const char *end = strchr(text, ',');
		size_t n = end ? (size_t)(end - text) : strlen(text);
		put("\"", 1);
		put(text, n);
		put("\"", 1);
		text += n;
		if (end) {
			puts_(", ");
			text += 2;
		}
	}
	puts_("]\n");
}

/* The Health* settings, as gen/emit.py's yaml_echo writes them: null
 * without HealthCmd (cfg.h: no check, 0 in the tables). */
static void health(const struct cfg_svc *c)
{
	static const char *const key[] = { "HealthIntervalSec", "HealthStartIntervalSec", "HealthTimeoutSec",
					   "HealthRetries", "HealthStartPeriodSec" };
	static const unsigned short off[] = {
		offsetof(struct cfg_svc, health_interval_sec),
		offsetof(struct cfg_svc, health_start_interval_sec),
		offsetof(struct cfg_svc, health_timeout_sec),
		offsetof(struct cfg_svc, health_retries),
		offsetof(struct cfg_svc, health_start_period_sec),
	};
	unsigned k;

	puts_("    HealthCmd: ");
	scalar(c->health_text);
	put("\n", 1);
	list("    health_argv: ", c->health_argv);
	for (k = 0; k < sizeof off / sizeof off[0]; k++)
		put_setting(key[k],
			    c->health_text ? (const unsigned *)(const void *)((const char *)c + off[k]) : 0);
	puts_("    HealthAction: ");
	scalar(!c->health_text ? 0 : c->health_action ? "restart" : "none");
	put("\n", 1);
}

/* One side of a limit: a number, or infinity. */
static void limit_value(unsigned long long v)
{
	char t[24];

	if (v == CFG_LIMIT_INFINITY)
		puts_("infinity");
	else
		put(t, fmt_fmt(t, sizeof t, "%llu", v));
}

/* User=, ..., Limit*=, as gen/emit.py's yaml_echo writes them: a limit as
 * "SOFT:HARD", or one value when both are the same; null when not set. */
static void privileges(const struct cfg_svc *c)
{
	static const struct cfg_privs none;
	const struct cfg_privs *p = c->privs ? c->privs : &none;
	unsigned m = p->umask & CFG_UMASK_SET ? p->umask & 0777u : CFG_UMASK_DEFAULT, k, j;
	char t[32];

	puts_("    User: ");
	scalar(p->user);
	puts_("\n    Group: ");
	scalar(p->group);
	put("\n", 1);
	list("    SupplementaryGroups: ", p->supplementary_groups);
	put(t, fmt_fmt(t, sizeof t, "    UMask: \"0%u%u%u\"\n", m >> 6, m >> 3 & 7, m & 7));
	puts_(p->no_new_privileges ? "    NoNewPrivileges: true\n" : "    NoNewPrivileges: false\n");
	for (k = CFG_LIMIT_NOFILE; k <= CFG_LIMIT_AS; k++) {
		const struct cfg_limit *l = 0;

		for (j = 0; j < p->nlimits; j++)
			if (p->limits[j].which == k)
				l = &p->limits[j];
		puts_("    ");
		puts_(privs_limit_key((int)k));
		puts_(": ");
		if (!l) {
			puts_("null\n");
			continue;
		}
		put("\"", 1);
		limit_value(l->soft);
		if (l->hard != l->soft) {
			put(":", 1);
			limit_value(l->hard);
		}
		puts_("\"\n");
	}
}

/* MemoryMax=, CPUWeight=, TasksMax=, as yaml_echo writes them: a count
 * or infinity as a quoted string (as a limit above), null when not set. */
static void count_setting(const char *key, unsigned long long v)
{
	puts_("    ");
	puts_(key);
	puts_(": ");
	if (!v) {
		puts_("null\n");
		return;
	}
	put("\"", 1);
	limit_value(v);
	puts_("\"\n");
}

static void containment(const struct cfg_svc *c)
{
	char t[32];

	count_setting("MemoryMax", c->memory_max);
	if (c->cpu_weight)
		put(t, fmt_fmt(t, sizeof t, "    CPUWeight: %u\n", c->cpu_weight));
	else
		puts_("    CPUWeight: null\n");
	count_setting("TasksMax", c->tasks_max);
}

void printcfg(int fd)
{
	static const char *const restart[] = { "no", "always", "on-failure", "on-success" };
	static const char *const type[] = { "simple", "notify", "oneshot", "?" };
	int i;

	out_fd = fd;
	puts_(cfg_yaml);
	puts_(CFG_NSVC ? "services:\n" : "services: []\n");
	for (i = 0; i < CFG_NSVC; i++) {
		const struct cfg_svc *c = &cfg_svc[i];

		puts_("  - name: ");
		scalar(c->name);
		puts_("\n    source: ");
		scalar(c->source);
		puts_(c->enabled ? "\n    enabled: true\n" : "\n    enabled: false\n");
		puts_("    ExecStart: ");
		scalar(c->exec_text);
		put("\n", 1);
		list("    argv: ", c->argv);
		list("    environment: ", c->envp);
		puts_("    Restart: ");
		scalar(restart[c->restart & 3]);
		put("\n", 1);
		put_setting("RestartSec", &c->restart_sec);
		put_setting("TimeoutStopSec", &c->stop_timeout_sec);
		/* Both 0: neither key set (cfg.h), null. */
		put_setting("StartLimitBurst", c->start_limit_burst ? &c->start_limit_burst : 0);
		put_setting("StartLimitIntervalSec", c->start_limit_burst ? &c->start_limit_interval_sec : 0);
		puts_("    Type: ");
		scalar(type[c->type & 3]);
		puts_(c->remain_after_exit ? "\n    RemainAfterExit: true\n" : "\n    RemainAfterExit: false\n");
		put_setting("TimeoutStartSec", &c->timeout_start_sec);
		put_setting("WatchdogSec", &c->watchdog_sec);
		puts_("    WorkingDirectory: ");
		scalar(c->workdir);
		put("\n", 1);
		names("    After: ", c->after_text);
		names("    Before: ", c->before_text);
		names("    Requires: ", c->requires_text);
		names("    RequiredBy: ", c->required_by_text);
		health(c);
		privileges(c);
		containment(c);
	}
	flush();
}
