/* passwd.c: the /etc/passwd and /etc/group scanner (see passwd.h).
 *
 * Owns nothing but the state of one scan, which its caller holds. Never
 * allocates; reads a file only in passwd_scan_file, which a spawn's child
 * calls (it may wait on the disk there: init does not), and only a
 * regular file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passwd.h"

int passwd_id(const char *s, uint32_t *id)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 10)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (!i || v > PASSWD_ID_MAX)
		return 0;
	*id = (uint32_t)v;
	return 1;
}

static void new_line(struct passwd_scan *s)
{
	s->field = 0;
	s->len = 0;
	s->bad = 0;
	s->name_ok = 0;
	s->ids_ok[0] = s->ids_ok[1] = 0;
	s->member = 0;
}

void passwd_begin(struct passwd_scan *s, enum passwd_want want, const char *key, uint32_t *groups,
		  unsigned ngroups, unsigned max)
{
	memset(s, 0, sizeof *s);
	s->want = want;
	s->key = key;
	s->key_is_id = want != PASSWD_MEMBER && passwd_id(key, &s->key_id);
	s->groups = groups;
	s->ngroups = ngroups;
	s->max = max;
	new_line(s);
}

/* The field (or member) in tok is complete. */
static void end_token(struct passwd_scan *s)
{
	int ok = !s->bad && s->len > 0;

	s->tok[s->len] = 0;
	if (s->field == 0) {
		/* NIS compatibility entries ("+", "+name", "-name") are no users. */
		s->name_ok = ok && s->tok[0] != '+' && s->tok[0] != '-';
		memcpy(s->line_name, s->tok, s->len + 1);
	} else if (s->field == 2 || (s->field == 3 && s->want == PASSWD_USER)) {
		s->ids_ok[s->field - 2] = (unsigned char)(ok && passwd_id(s->tok, &s->ids[s->field - 2]));
	} else if (s->field == 3 && ok && !strcmp(s->tok, s->key)) {
		s->member = 1; /* PASSWD_MEMBER: a member list */
	}
	s->len = 0;
	s->bad = 0;
}

static void add_group(struct passwd_scan *s, uint32_t gid)
{
	unsigned k;

	for (k = 0; k < s->ngroups; k++)
		if (s->groups[k] == gid)
			return;
	if (s->ngroups == s->max)
		s->overflow = 1;
	else
		s->groups[s->ngroups++] = gid;
}

/* The line is complete: does it answer the question? */
static void end_line(struct passwd_scan *s)
{
	int id_ok = s->ids_ok[0] && (s->want != PASSWD_USER || s->ids_ok[1]);

	if (!s->name_ok || !id_ok || s->found)
		return;
	if (s->want == PASSWD_MEMBER) {
		if (s->member)
			add_group(s, s->ids[0]);
		return;
	}
	if (s->key_is_id ? s->ids[0] != s->key_id : strcmp(s->line_name, s->key) != 0)
		return;
	s->found = 1;
	memcpy(s->name, s->line_name, sizeof s->name);
	s->id = s->ids[0];
	s->gid = s->ids[1];
}

void passwd_feed(struct passwd_scan *s, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = buf[i];

		if (ch == '\n') {
			end_token(s);
			end_line(s);
			new_line(s);
		} else if (ch == ':') {
			end_token(s);
			s->field++;
		} else if (ch == ',' && s->field == 3 && s->want == PASSWD_MEMBER) {
			end_token(s);
		} else if (s->field > 3) {
			continue; /* gecos, home, shell: nobody asks */
		} else if (ch == 0 || s->len == sizeof s->tok - 1) {
			s->bad = 1;
		} else {
			s->tok[s->len++] = ch;
		}
	}
}

void passwd_end(struct passwd_scan *s)
{
	if (s->field || s->len || s->bad) {
		end_token(s);
		end_line(s);
	}
	new_line(s);
}

/* Whether fd (or, fd -1, path) is a regular file; errno PASSWD_NOT_FILE
 * when it is not. */
static int regular(const char *path, int fd)
{
	struct stat st;

	if ((fd < 0 ? stat(path, &st) : fstat(fd, &st)) < 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return 1;
	errno = PASSWD_NOT_FILE;
	return 0;
}

int passwd_scan_file(const char *path, struct passwd_scan *s)
{
	char buf[512];
	int fd;

	/* Looked at before it is opened (a device's open may do something, a
	 * FIFO's blocks), and what was opened checked again. */
	if (!regular(path, -1))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (!regular(path, fd)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		passwd_feed(s, buf, (size_t)n);
		if (s->found)
			break; /* the first match wins: the rest need not be read */
	}
	close(fd);
	passwd_end(s);
	return 0;
}
