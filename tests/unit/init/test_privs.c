/* What a failed start says (spawn_describe, privs_describe): each step of
 * least privilege in words, with the name it looked up or the limit it
 * set, as `status` shows it and the log writes it. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "passwd.h"
#include "spawn.h"

static const char *const groups[] = { "audio", "ssl-cert", 0 };
static const struct cfg_privs web_privs = { .user = "nobody2", .group = "web", .supplementary_groups = groups };
static const struct cfg_svc web = { .name = "web", .privs = &web_privs };

static const char *say(const struct cfg_svc *c, int stage, int err, int index)
{
	static char buf[96];
	struct spawn_report r = { stage, err, index };

	(void)spawn_describe(c, &r, buf, sizeof buf);
	return buf;
}

TEST(setup_steps)
{
	static const struct cfg_svc root = { .name = "r" };

	CHECK_STR(say(&root, SPAWN_NO_USER, 0, 0), "User 'root' not found in /etc/passwd");
	CHECK_STR(say(&web, SPAWN_EXEC, ENOENT, 0), "exec: No such file or directory");
	CHECK_STR(say(&web, SPAWN_CHDIR, EACCES, 0), "chdir: Permission denied");
	CHECK_STR(say(&web, SPAWN_LIMITS, EPERM, 0), "setrlimit: Operation not permitted");
	{
		char want[64];
		snprintf(want, sizeof want, "start: %s", strerror(EIO)); /* musl's words or glibc's */
		CHECK_STR(say(&web, 99, EIO, 0), want);
	}
}

TEST(lookups)
{
	static const struct cfg_privs numeric_privs = { .user = "4321" };
	static const struct cfg_svc numeric = { .name = "n", .privs = &numeric_privs };

	CHECK_STR(say(&web, SPAWN_NO_USER, 0, 0), "User 'nobody2' not found in /etc/passwd");
	CHECK_STR(say(&numeric, SPAWN_NO_GID, 0, 0),
		  "User '4321' not found in /etc/passwd, and no Group= to run it with");
	CHECK_STR(say(&web, SPAWN_NO_GROUP, 0, -1), "Group 'web' not found in /etc/group");
	CHECK_STR(say(&web, SPAWN_NO_GROUP, 0, 1),
		  "SupplementaryGroups: group 'ssl-cert' not found in /etc/group");
	CHECK_STR(say(&web, SPAWN_NO_GROUP, 0, 2), "SupplementaryGroups: group '?' not found in /etc/group");
	CHECK_STR(say(&web, SPAWN_PASSWD, ENOENT, 0), "cannot read /etc/passwd: No such file or directory");
	CHECK_STR(say(&web, SPAWN_GROUP_FILE, EACCES, 0), "cannot read /etc/group: Permission denied");
	CHECK_STR(say(&web, SPAWN_PASSWD, PASSWD_NOT_FILE, 0), "cannot read /etc/passwd: not a regular file");
	CHECK_STR(say(&web, SPAWN_GROUP_FILE, PASSWD_NOT_FILE, 0), "cannot read /etc/group: not a regular file");
	CHECK_STR(say(&web, SPAWN_MANY_GROUPS, 0, 0), "User 'nobody2' is in more than 1024 groups");
}

TEST(drops)
{
	CHECK_STR(say(&web, SPAWN_RLIMIT, EPERM, CFG_LIMIT_NOFILE),
		  "setrlimit LimitNOFILE: Operation not permitted");
	CHECK_STR(say(&web, SPAWN_RLIMIT, EINVAL, CFG_LIMIT_AS), "setrlimit LimitAS: Invalid argument");
	CHECK_STR(say(&web, SPAWN_RLIMIT, EINVAL, 42), "setrlimit ?: Invalid argument");
	CHECK_STR(say(&web, SPAWN_SETGROUPS, EPERM, 0), "setgroups: Operation not permitted");
	CHECK_STR(say(&web, SPAWN_SETGID, EPERM, 0), "setgid: Operation not permitted");
	CHECK_STR(say(&web, SPAWN_SETUID, EAGAIN, 0), "setuid: Resource temporarily unavailable");
	CHECK_STR(say(&web, SPAWN_NO_NEW_PRIVS, EINVAL, 0), "prctl NO_NEW_PRIVS: Invalid argument");
	CHECK_STR(say(&web, SPAWN_CAPS, EPERM, 0), "capset: Operation not permitted");
}

RUN_TESTS("privs", T(setup_steps), T(lookups), T(drops))
