/* The /etc/passwd and /etc/group scanner (passwd.c): good entries, lines it
 * must pass over, lines longer than any buffer, missing files, numeric ids,
 * and the same answers however the bytes are cut into reads. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "passwd.h"

static char dir[] = "/tmp/ei-passwd.XXXXXX";
static char path[64];

/* Write text (len bytes) to dir/name; returns its path. */
static const char *file(const char *name, const char *text, size_t len)
{
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, text, len) == (ssize_t)len);
	close(fd);
	return path;
}

static struct passwd_scan s;

/* Ask text a question, fed in pieces of step bytes (0: all at once). */
static int ask_in(const char *text, size_t len, enum passwd_want want, const char *key, size_t step)
{
	static uint32_t groups[8];
	size_t off = 0;

	passwd_begin(&s, want, key, groups, 0, 8);
	while (off < len) {
		size_t n = step && len - off > step ? step : len - off;
		passwd_feed(&s, text + off, n);
		off += n;
	}
	passwd_end(&s);
	return s.found;
}

static int ask(const char *text, enum passwd_want want, const char *key)
{
	return ask_in(text, strlen(text), want, key, 0);
}

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
			     "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
			     "web:x:1000:1001:The web server,,,:/srv/web:/bin/false\n"
			     "web:x:2000:2000:a second web, never seen:/:/bin/false\n"
			     "1234:x:77:77:a user named with digits:/:/bin/false\n"
			     "last:x:3000:3001::/:";

static const char group[] = "root:x:0:\n"
			    "daemon:x:1:\n"
			    "nogroup:x:65534:\n"
			    "web:x:1001:\n"
			    "audio:x:29:pulse,web\n"
			    "video:x:44:web\n"
			    "staff:x:50:webmaster,other\n"
			    "ssl-cert:x:110:web,nobody\n"
			    "audio:x:2929:web\n"
			    "tail:x:7000:nobody,web";

TEST(users_by_name_and_by_uid)
{
	CHECK(ask(passwd, PASSWD_USER, "nobody") && s.id == 65534 && s.gid == 65534);
	CHECK_STR(s.name, "nobody");
	CHECK(ask(passwd, PASSWD_USER, "web") && s.id == 1000 && s.gid == 1001);
	CHECK(ask(passwd, PASSWD_USER, "0") && s.id == 0 && s.gid == 0);
	CHECK_STR(s.name, "root");
	CHECK(ask(passwd, PASSWD_USER, "2000") && s.id == 2000);
	CHECK_STR(s.name, "web"); /* the entry's name, for its groups */
	/* Digits are a uid, as systemd reads User=: not the user named "1234". */
	CHECK(!ask(passwd, PASSWD_USER, "1234"));
	CHECK(ask(passwd, PASSWD_USER, "77") && s.id == 77);
	/* The last line counts without its newline. */
	CHECK(ask(passwd, PASSWD_USER, "last") && s.id == 3000 && s.gid == 3001);
	CHECK(!ask(passwd, PASSWD_USER, "nobody2"));
	CHECK(!ask(passwd, PASSWD_USER, "nobod"));
	CHECK(!ask(passwd, PASSWD_USER, "Nobody"));
	CHECK(!ask(passwd, PASSWD_USER, "4294967294"));
	CHECK(!ask("", PASSWD_USER, "root"));
}

TEST(groups_by_name_by_gid_and_members)
{
	CHECK(ask(group, PASSWD_GROUP, "audio") && s.id == 29); /* the first audio */
	CHECK(ask(group, PASSWD_GROUP, "65534") && s.id == 65534);
	CHECK(ask(group, PASSWD_GROUP, "tail") && s.id == 7000);
	CHECK(!ask(group, PASSWD_GROUP, "wheel"));
	/* Every group that lists web, each gid once, in file order. */
	ask(group, PASSWD_MEMBER, "web");
	CHECK(s.ngroups == 5 && s.groups[0] == 29 && s.groups[1] == 44 && s.groups[2] == 110);
	CHECK(s.groups[3] == 2929 && s.groups[4] == 7000 && !s.overflow);
	/* webmaster is not web; a user's own group does not list it. */
	ask(group, PASSWD_MEMBER, "nobody");
	CHECK(s.ngroups == 2 && s.groups[0] == 110 && s.groups[1] == 7000);
	ask(group, PASSWD_MEMBER, "root");
	CHECK(s.ngroups == 0);
}

TEST(member_list_keeps_given_groups_and_overflows)
{
	uint32_t g[3] = { 1001, 44, 0 };

	passwd_begin(&s, PASSWD_MEMBER, "web", g, 2, 3);
	passwd_feed(&s, group, strlen(group));
	passwd_end(&s);
	/* 1001 and 44 were there; 29 fits; 110 does not. */
	CHECK(s.ngroups == 3 && g[0] == 1001 && g[1] == 44 && g[2] == 29 && s.overflow);
}

TEST(malformed_lines_are_passed_over)
{
	static const char bad[] = "\n"
				  "#root:x:0:0:comment:/:/bin/sh\n"
				  "nouid:x::5:::\n"
				  "neg:x:-1:5:::\n"
				  "big:x:4294967295:5:::\n"
				  "huge:x:99999999999:5:::\n"
				  "alpha:x:1e3:5:::\n"
				  "space:x: 7:5:::\n"
				  "short:x:8\n"
				  ":x:9:9:::\n"
				  "+:::::: \n"
				  "+nis:x:10:10:::\n"
				  "-minus:x:11:11:::\n"
				  "ok:x:12:12\n";
	static const char nul[] = "nu\0l:x:13:13:::\nnu:x:14:14:::\n";

	CHECK(!ask(bad, PASSWD_USER, "nouid") && !ask(bad, PASSWD_USER, "neg"));
	CHECK(!ask(bad, PASSWD_USER, "big") && !ask(bad, PASSWD_USER, "huge"));
	CHECK(!ask(bad, PASSWD_USER, "alpha") && !ask(bad, PASSWD_USER, "space"));
	CHECK(!ask(bad, PASSWD_USER, "short"));
	CHECK(!ask(bad, PASSWD_USER, "9") && !ask(bad, PASSWD_USER, "10") && !ask(bad, PASSWD_USER, "+nis"));
	CHECK(!ask(bad, PASSWD_USER, "-minus") && !ask(bad, PASSWD_USER, "11"));
	CHECK(ask(bad, PASSWD_USER, "#root") && s.id == 0); /* no comments in passwd(5): a name */
	/* Four fields are enough for what is asked. */
	CHECK(ask(bad, PASSWD_USER, "ok") && s.id == 12 && s.gid == 12);
	CHECK(ask(bad, PASSWD_USER, "12"));
	/* A NUL does not cut a name short: "nu\0l" is not "nu". */
	CHECK(ask_in(nul, sizeof nul - 1, PASSWD_USER, "nu", 0) && s.id == 14);
	CHECK(!ask_in(nul, sizeof nul - 1, PASSWD_USER, "13", 0));
	/* A group line without a gid; a gid of letters. */
	CHECK(!ask("g1:x:\ng2:x:x2:\ng3:x\n", PASSWD_GROUP, "g1"));
	CHECK(!ask("g1:x:\ng2:x:x2:\ng3:x\n", PASSWD_GROUP, "g2"));
	ask("g1:x::web\ng2:x:x2:web\ng3:x:3:web\n", PASSWD_MEMBER, "web");
	CHECK(s.ngroups == 1 && s.groups[0] == 3);
}

TEST(long_lines)
{
	static char text[200000];
	size_t n = 0;
	int i;

	/* A gecos far longer than any buffer, then the entry asked for. */
	n += (size_t)sprintf(text + n, "long:x:5:5:");
	memset(text + n, 'g', 100000);
	n += 100000;
	n += (size_t)sprintf(text + n, ":/:/bin/sh\n");
	/* A name that starts as the key asks, longer than a name can be. */
	memcpy(text + n, "nobody", 6);
	n += 6;
	memset(text + n, 'y', 300);
	n += 300;
	n += (size_t)sprintf(text + n, ":x:6:6:::\nnobody:x:65534:65534:::\n");
	CHECK(ask_in(text, n, PASSWD_USER, "long", 0) && s.id == 5);
	CHECK(ask_in(text, n, PASSWD_USER, "nobody", 0) && s.id == 65534);
	CHECK(!ask_in(text, n, PASSWD_USER, "6", 0)); /* its name could not be kept: passed over */
	/* A name of 63 bytes fits; of 64 it is too long to match anything. */
	n = (size_t)sprintf(text, "%063d:x:20:20:::\n%064d:x:21:21:::\n", 0, 0);
	CHECK(ask_in(text, n, PASSWD_USER, "20", 0) && strlen(s.name) == 63);
	CHECK(!ask_in(text, n, PASSWD_USER, "21", 0));
	/* A group of 20000 members, the one asked for last. */
	n = (size_t)sprintf(text, "crowd:x:600:");
	for (i = 0; i < 20000; i++)
		n += (size_t)sprintf(text + n, "u%d,", i);
	memset(text + n, 'w', 200); /* a member too long to be anyone */
	n += 200;
	n += (size_t)sprintf(text + n, ",web\nafter:x:601:web\n");
	ask_in(text, n, PASSWD_MEMBER, "web", 0);
	CHECK(s.ngroups == 2 && s.groups[0] == 600 && s.groups[1] == 601);
	ask_in(text, n, PASSWD_MEMBER, "u19999", 0);
	CHECK(s.ngroups == 1 && s.groups[0] == 600);
	ask_in(text, n, PASSWD_MEMBER, "u1999", 0);
	CHECK(s.ngroups == 1);
	ask_in(text, n, PASSWD_MEMBER, "www", 0);
	CHECK(s.ngroups == 0);
}

TEST(same_answers_however_the_reads_fall)
{
	size_t step;

	for (step = 1; step < 40; step++) {
		CHECK(ask_in(passwd, strlen(passwd), PASSWD_USER, "web", step) && s.id == 1000 && s.gid == 1001);
		CHECK(ask_in(passwd, strlen(passwd), PASSWD_USER, "last", step) && s.gid == 3001);
		ask_in(group, strlen(group), PASSWD_MEMBER, "web", step);
		CHECK(s.ngroups == 5 && s.groups[4] == 7000);
	}
}

TEST(numeric_ids)
{
	uint32_t id = 7;

	CHECK(passwd_id("0", &id) && id == 0);
	CHECK(passwd_id("65534", &id) && id == 65534);
	CHECK(passwd_id("4294967294", &id) && id == 4294967294u);
	CHECK(passwd_id("0000001000", &id) && id == 1000);
	id = 7;
	CHECK(!passwd_id("4294967295", &id) && !passwd_id("9999999999", &id));
	CHECK(!passwd_id("00000000001", &id)); /* more than ten digits */
	CHECK(!passwd_id("", &id) && !passwd_id("-1", &id) && !passwd_id("+1", &id));
	CHECK(!passwd_id("1a", &id) && !passwd_id(" 1", &id) && !passwd_id("nobody", &id));
	CHECK(id == 7); /* untouched when it is no id */
}

TEST(files_and_missing_files)
{
	CHECK(mkdtemp(dir) != 0);
	passwd_begin(&s, PASSWD_USER, "web", 0, 0, 0);
	CHECK(passwd_scan_file(file("passwd", passwd, strlen(passwd)), &s) == 0 && s.found && s.id == 1000);
	passwd_begin(&s, PASSWD_USER, "last", 0, 0, 0);
	CHECK(passwd_scan_file(path, &s) == 0 && s.found && s.id == 3000);
	passwd_begin(&s, PASSWD_USER, "nobody2", 0, 0, 0);
	CHECK(passwd_scan_file(path, &s) == 0 && !s.found);
	unlink(path);
	passwd_begin(&s, PASSWD_USER, "web", 0, 0, 0);
	errno = 0;
	CHECK(passwd_scan_file(path, &s) < 0 && errno == ENOENT && !s.found);
	/* A directory, a FIFO without a writer (whose open would block) and a
	 * device that never ends (/dev/zero) where the file should be: refused
	 * at once, and said so (PASSWD_NOT_FILE), nothing fed. */
	errno = EIO;
	CHECK(passwd_scan_file(dir, &s) < 0 && errno == PASSWD_NOT_FILE);
	snprintf(path, sizeof path, "%s/fifo", dir);
	CHECK(mkfifo(path, 0644) == 0);
	errno = EIO;
	CHECK(passwd_scan_file(path, &s) < 0 && errno == PASSWD_NOT_FILE);
	unlink(path);
	errno = EIO;
	passwd_begin(&s, PASSWD_USER, "web", 0, 0, 0);
	CHECK(passwd_scan_file("/dev/zero", &s) < 0 && errno == PASSWD_NOT_FILE && !s.found);
	/* A symlink is followed: to /dev/zero, it is /dev/zero. */
	snprintf(path, sizeof path, "%s/link", dir);
	CHECK(symlink("/dev/zero", path) == 0);
	errno = EIO;
	CHECK(passwd_scan_file(path, &s) < 0 && errno == PASSWD_NOT_FILE && !s.found);
	unlink(path);
	{
		static uint32_t g[4];
		passwd_begin(&s, PASSWD_MEMBER, "web", g, 0, 4);
		CHECK(passwd_scan_file(file("group", group, strlen(group)), &s) == 0 && s.ngroups == 4 &&
		      s.overflow);
		unlink(path);
	}
	rmdir(dir);
}

RUN_TESTS("passwd", T(users_by_name_and_by_uid), T(groups_by_name_by_gid_and_members),
	  T(member_list_keeps_given_groups_and_overflows), T(malformed_lines_are_passed_over), T(long_lines),
	  T(same_answers_however_the_reads_fall), T(numeric_ids), T(files_and_missing_files))
