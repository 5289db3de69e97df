/* privs.c: a service's child gives up root (see privs.h).
 *
 * Runs between fork and exec only: it reads /etc/passwd and /etc/group,
 * which PID 1 never does. The order is systemd's: names first (while they
 * can still be read as root), the limits as root (a hard limit can only
 * be raised with privilege), the umask, then groups, gid and uid, each
 * checked, and no capability left to a non-root uid; a step that fails
 * stops the start, never skips to exec as root. System calls directly: musl's setgroups, setgid,
 * setuid and setrlimit synchronise every thread, which brings machinery
 * along that a single-threaded child does not need.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fmt.h"
#include "passwd.h"
#include "privs.h"

/* enum cfg_limit_kind: the resource, and the key that set it. */
static const struct {
	int resource;
	const char *key;
} limits[] = {
	[CFG_LIMIT_NOFILE] = { RLIMIT_NOFILE, "LimitNOFILE" },
	[CFG_LIMIT_NPROC] = { RLIMIT_NPROC, "LimitNPROC" },
	[CFG_LIMIT_CORE] = { RLIMIT_CORE, "LimitCORE" },
	[CFG_LIMIT_MEMLOCK] = { RLIMIT_MEMLOCK, "LimitMEMLOCK" },
	[CFG_LIMIT_STACK] = { RLIMIT_STACK, "LimitSTACK" },
	[CFG_LIMIT_AS] = { RLIMIT_AS, "LimitAS" },
};
#define NLIMITS (sizeof limits / sizeof limits[0])

const char *privs_limit_key(int which)
{
	return which >= 0 && (unsigned)which < NLIMITS ? limits[which].key : "?";
}

/* What the names come to: in the child's own copy of init's memory. */
static struct creds {
	uint32_t uid, gid;
	unsigned ngroups;
	uint32_t groups[PRIVS_GROUPS_MAX];
} cr;

static int fail(struct spawn_report *r, int stage, int err, int index)
{
	r->stage = stage;
	r->err = err;
	r->index = index;
	return -1;
}

/* Group name (or id) g: its gid, or -1 with r filled (index: which). */
static int group_id(const char *g, uint32_t *gid, struct spawn_report *r, int index)
{
	struct passwd_scan s;

	if (passwd_id(g, gid))
		return 0;
	passwd_begin(&s, PASSWD_GROUP, g, 0, 0, 0);
	if (passwd_scan_file(GROUP_FILE, &s) < 0)
		return fail(r, SPAWN_GROUP_FILE, errno, index);
	if (!s.found)
		return fail(r, SPAWN_NO_GROUP, 0, index);
	*gid = s.id;
	return 0;
}

/* User=: uid and primary gid from its entry; a numeric one without an
 * entry only with Group=. *name: the entry's name, for its groups, or 0. */
static int user_id(const struct cfg_privs *p, struct passwd_scan *s, const char **name, struct spawn_report *r)
{
	uint32_t id;
	int numeric = passwd_id(p->user, &id);

	*name = 0;
	passwd_begin(s, PASSWD_USER, p->user, 0, 0, 0);
	if (passwd_scan_file(PASSWD_FILE, s) < 0 && !(numeric && errno == ENOENT))
		return fail(r, SPAWN_PASSWD, errno, 0);
	if (s->found) {
		cr.uid = s->id;
		cr.gid = s->gid;
		*name = s->name;
	} else if (numeric && p->group) {
		cr.uid = id;
	} else {
		return fail(r, numeric ? SPAWN_NO_GID : SPAWN_NO_USER, 0, 0);
	}
	return 0;
}

/* The ids to run as. With User=, its groups as initgroups(3) gives them:
 * the gid, then every group of /etc/group that lists the user (none
 * when there is no /etc/group); then SupplementaryGroups= (systemd adds
 * them to the user's, it does not replace them). */
static int resolve(const struct cfg_privs *p, struct spawn_report *r)
{
	struct passwd_scan s;
	const char *name = 0;
	int k;

	cr.uid = (uint32_t)getuid();
	cr.gid = (uint32_t)getgid();
	cr.ngroups = 0;
	if (p->user && user_id(p, &s, &name, r) < 0)
		return -1;
	if (p->group && group_id(p->group, &cr.gid, r, -1) < 0)
		return -1;
	if (p->user) {
		cr.groups[cr.ngroups++] = cr.gid;
		if (name) {
			struct passwd_scan m;
			passwd_begin(&m, PASSWD_MEMBER, name, cr.groups, cr.ngroups, PRIVS_GROUPS_MAX);
			if (passwd_scan_file(GROUP_FILE, &m) < 0 && errno != ENOENT)
				return fail(r, SPAWN_GROUP_FILE, errno, 0);
			if (m.overflow)
				return fail(r, SPAWN_MANY_GROUPS, 0, 0);
			cr.ngroups = m.ngroups;
		}
	}
	for (k = 0; p->supplementary_groups && p->supplementary_groups[k]; k++) {
		uint32_t gid;
		unsigned j;

		if (group_id(p->supplementary_groups[k], &gid, r, k) < 0)
			return -1;
		for (j = 0; j < cr.ngroups && cr.groups[j] != gid; j++)
			;
		if (j == PRIVS_GROUPS_MAX)
			return fail(r, SPAWN_MANY_GROUPS, 0, 0);
		if (j == cr.ngroups)
			cr.groups[cr.ngroups++] = gid;
	}
	return 0;
}

static int set_limits(const struct cfg_privs *p, struct spawn_report *r)
{
	unsigned k;

	for (k = 0; k < p->nlimits; k++) {
		const struct cfg_limit *l = &p->limits[k];
		struct rlimit v = { l->soft, l->hard };

		if (l->which >= NLIMITS)
			continue; /* not from this generator */
		if (syscall(SYS_prlimit64, 0, limits[l->which].resource, &v, 0) < 0)
			return fail(r, SPAWN_RLIMIT, errno, l->which);
	}
	return 0;
}

/* A uid that is no longer root has no capabilities: the kernel clears
 * them at setuid, unless whoever started init set SECBIT_NO_SETUID_FIXUP,
 * which init inherits; then ambient ones would even survive the exec. So
 * they are cleared here, whatever the securebits. The kernel's layout,
 * version 3: a header (version, pid 0: this process), then for each of
 * two words effective, permitted, inheritable (an empty inheritable set
 * empties the ambient one). */
static int drop_caps(void)
{
	uint32_t head[2] = { 0x20080522, 0 }, none[6] = { 0 };

	return (int)syscall(SYS_capset, head, none);
}

int privs_drop(const struct cfg_svc *c, struct spawn_report *r)
{
	const struct cfg_privs *p = c->privs;
	int ids;

	if (!p) {
		umask(CFG_UMASK_DEFAULT);
		return 0;
	}
	ids = p->user || p->group || p->supplementary_groups;
	if (ids && resolve(p, r) < 0)
		return -1;
	if (set_limits(p, r) < 0)
		return -1;
	umask(p->umask & CFG_UMASK_SET ? p->umask & 0777 : CFG_UMASK_DEFAULT);
	/* Groups first: once the uid is not root, nothing more can change. */
	if (ids && syscall(SYS_setgroups, cr.ngroups, cr.groups) < 0)
		return fail(r, SPAWN_SETGROUPS, errno, 0);
	if ((p->user || p->group) && syscall(SYS_setgid, cr.gid) < 0)
		return fail(r, SPAWN_SETGID, errno, 0);
	if (p->user && syscall(SYS_setuid, cr.uid) < 0)
		return fail(r, SPAWN_SETUID, errno, 0);
	if (p->user && cr.uid != 0 && drop_caps() < 0)
		return fail(r, SPAWN_CAPS, errno, 0);
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(r, SPAWN_NO_NEW_PRIVS, errno, 0);
	return 0;
}

/* SupplementaryGroups[k], or "?" for an index that is not there. */
static const char *supplementary(const struct cfg_privs *p, int k)
{
	int i;

	for (i = 0; p->supplementary_groups && p->supplementary_groups[i]; i++)
		if (i == k)
			return p->supplementary_groups[i];
	return "?";
}

size_t privs_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap)
{
	static const struct cfg_privs none;
	const struct cfg_privs *p = c->privs ? c->privs : &none;
	const char *why = strerror(r->err), *user = p->user ? p->user : "root";
	const char *file_why = r->err == PASSWD_NOT_FILE ? "not a regular file" : why;

	switch (r->stage) {
	case SPAWN_PASSWD: return fmt_fmt(buf, cap, "cannot read " PASSWD_FILE ": %s", file_why);
	case SPAWN_GROUP_FILE: return fmt_fmt(buf, cap, "cannot read " GROUP_FILE ": %s", file_why);
	case SPAWN_NO_USER: return fmt_fmt(buf, cap, "User '%s' not found in " PASSWD_FILE, user);
	case SPAWN_NO_GID:
		return fmt_fmt(buf, cap, "User '%s' not found in " PASSWD_FILE ", and no Group= to run it with",
			       user);
	case SPAWN_NO_GROUP:
		if (r->index >= 0)
			return fmt_fmt(buf, cap, "SupplementaryGroups: group '%s' not found in " GROUP_FILE,
				       supplementary(p, r->index));
		return fmt_fmt(buf, cap, "Group '%s' not found in " GROUP_FILE, p->group ? p->group : "?");
	case SPAWN_MANY_GROUPS:
		return fmt_fmt(buf, cap, "User '%s' is in more than %d groups", user, PRIVS_GROUPS_MAX);
	case SPAWN_RLIMIT: return fmt_fmt(buf, cap, "setrlimit %s: %s", privs_limit_key(r->index), why);
	case SPAWN_SETGROUPS: return fmt_fmt(buf, cap, "setgroups: %s", why);
	case SPAWN_SETGID: return fmt_fmt(buf, cap, "setgid: %s", why);
	case SPAWN_SETUID: return fmt_fmt(buf, cap, "setuid: %s", why);
	case SPAWN_NO_NEW_PRIVS: return fmt_fmt(buf, cap, "prctl NO_NEW_PRIVS: %s", why);
	case SPAWN_CAPS: return fmt_fmt(buf, cap, "capset: %s", why);
	}
	return fmt_fmt(buf, cap, "start: %s", why);
}
