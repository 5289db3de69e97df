/* passwd.h: users and groups of the image's /etc/passwd and /etc/group.
 *
 * No NSS and no heap: a file is read through a small buffer and fed, a
 * byte at a time, to a scanner that keeps only what its question needs of
 * each line (a name, two ids, whether a member list names someone). A line
 * may be as long as it likes; a field longer than a name is no name that
 * matches. As the C library does, the first matching line wins, and a
 * line it could not read (too few fields, an id that is not a number, a
 * NIS "+" or "-" entry) is passed over.
 */
#ifndef PASSWD_H
#define PASSWD_H

#include <stddef.h>
#include <stdint.h>

#define PASSWD_NAME_SIZE 64       /* a name and its NUL: gen/privs.py's NAME_MAX + 1 */
#define PASSWD_ID_MAX 4294967294u /* (uid_t)-1 means "unchanged" to setuid and its kin */
#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

enum passwd_want {
	PASSWD_USER,   /* /etc/passwd: the entry of key (a name, or a uid in digits) */
	PASSWD_GROUP,  /* /etc/group: the gid of key (a name, or a gid in digits) */
	PASSWD_MEMBER, /* /etc/group: the gid of every group whose members list key */
};

struct passwd_scan {
	/* The question (passwd_begin). */
	enum passwd_want want;
	const char *key;
	uint32_t key_id;
	int key_is_id;
	/* The answer. USER: name, id (uid), gid; GROUP: id (gid). MEMBER: the
	 * gids in groups[0..ngroups), after those the caller put there, each
	 * once; overflow when there were more than max. */
	int found;
	char name[PASSWD_NAME_SIZE];
	uint32_t id, gid;
	uint32_t *groups;
	unsigned ngroups, max;
	int overflow;
	/* The line being read. */
	unsigned field;             /* fields are separated by ':' */
	size_t len;                 /* of tok */
	int bad;                    /* tok is too long or holds a NUL: matches nothing */
	char tok[PASSWD_NAME_SIZE]; /* the field (a member, in a member list) being read */
	char line_name[PASSWD_NAME_SIZE];
	int name_ok;
	uint32_t ids[2]; /* fields 2 and 3: uid and gid, or gid (and nothing) */
	unsigned char ids_ok[2];
	int member; /* MEMBER: this line lists key */
};

/* Whether s is an id written in decimal digits (0 to PASSWD_ID_MAX), and
 * which. 1 or 0. */
int passwd_id(const char *s, uint32_t *id);
/* Ask a question of a file to be fed. groups (MEMBER only) holds max ids,
 * the first ngroups of them given already. */
void passwd_begin(struct passwd_scan *s, enum passwd_want want, const char *key, uint32_t *groups,
		  unsigned ngroups, unsigned max);
/* The next n bytes of the file. */
void passwd_feed(struct passwd_scan *s, const char *buf, size_t n);
/* The file has ended (a last line without its newline counts). */
void passwd_end(struct passwd_scan *s);
/* errno of passwd_scan_file for a path that is no regular file. */
#define PASSWD_NOT_FILE 0
/* passwd_feed the whole file at path, then passwd_end. 0, or -1 with
 * errno when it cannot be opened or read, PASSWD_NOT_FILE when it is no
 * regular file (a FIFO without a writer would block the child for ever,
 * /dev/zero never end, a device's open may act). May block on a slow
 * disk: for a spawn's child. */
int passwd_scan_file(const char *path, struct passwd_scan *s);

#endif
