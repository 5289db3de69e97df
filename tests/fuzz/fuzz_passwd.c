/* fuzz_passwd: the /etc/passwd and /etc/group scanner (src/init/passwd.c)
 * fed any file and any question. Checked besides the sanitizers: the
 * answer is the same whether the file comes in one read or in reads of
 * any size; a name found is NUL-terminated, at most PASSWD_NAME_SIZE - 1
 * bytes, begins a line of the file followed by ':', and is the key asked
 * for (by name) or has its id (by id); ids are at most PASSWD_ID_MAX; a member list holds at
 * most max gids, each once; passwd_id agrees with strtoull on the key.
 *
 * The input: the question (1 byte: user, group, member), the key's length
 * (1 byte, mod 80) and bytes (cut at a NUL), the read size (1 byte, 0:
 * one read), the member list's room (1 byte, mod 17), then the file.
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void scan(struct passwd_scan *s, enum passwd_want want, const char *key, uint32_t *groups, unsigned max,
		 const uint8_t *file, size_t len, size_t step)
{
	size_t off = 0;

	passwd_begin(s, want, key, groups, 0, max);
	while (off < len) {
		size_t n = step && len - off > step ? step : len - off;
		passwd_feed(s, (const char *)file + off, n);
		off += n;
	}
	passwd_end(s);
}

/* Whether name begins a line of the file and is followed by ':'. */
static int begins_a_line(const uint8_t *file, size_t len, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; i + n < len; i++)
		if ((i == 0 || file[i - 1] == '\n') && !memcmp(file + i, name, n) && file[i + n] == ':')
			return 1;
	return 0;
}

static void check_id_parse(const char *key)
{
	uint32_t id;
	size_t k, n = strlen(key);
	int digits = n > 0 && n <= 10;

	for (k = 0; k < n; k++)
		digits &= key[k] >= '0' && key[k] <= '9';
	if (passwd_id(key, &id) != (digits && strtoull(key, 0, 10) <= PASSWD_ID_MAX))
		abort();
	if (digits && strtoull(key, 0, 10) <= PASSWD_ID_MAX && id != strtoull(key, 0, 10))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static struct passwd_scan a, b;
	static uint32_t ga[16], gb[16];
	enum passwd_want want = (enum passwd_want)(in_byte(&in) % 3);
	size_t klen = in_byte(&in) % 80, step, k, j;
	char key[81];
	unsigned max;

	if (klen > in.left)
		klen = in.left;
	memcpy(key, in.p, klen);
	key[klen] = 0;
	in.p += klen;
	in.left -= klen;
	step = in_byte(&in);
	max = in_byte(&in) % 17;
	check_id_parse(key);
	scan(&a, want, key, ga, max, in.p, in.left, 0);
	scan(&b, want, key, gb, max, in.p, in.left, step);
	if (a.found != b.found || a.ngroups != b.ngroups || a.overflow != b.overflow ||
	    memcmp(ga, gb, a.ngroups * sizeof ga[0]))
		abort();
	if (a.found && (a.id != b.id || a.gid != b.gid || strcmp(a.name, b.name)))
		abort();
	if (a.ngroups > max || (want != PASSWD_MEMBER && (a.ngroups || a.overflow)))
		abort();
	for (k = 0; k < a.ngroups; k++) {
		if (ga[k] > PASSWD_ID_MAX)
			abort();
		for (j = k + 1; j < a.ngroups; j++)
			if (ga[k] == ga[j])
				abort();
	}
	if (!a.found)
		return 0;
	if (want == PASSWD_MEMBER || a.id > PASSWD_ID_MAX || a.gid > PASSWD_ID_MAX)
		abort();
	if (!memchr(a.name, 0, sizeof a.name) || !a.name[0])
		abort();
	if (!begins_a_line(in.p, in.left, a.name))
		abort();
	if (a.key_is_id ? a.id != a.key_id : strcmp(a.name, key) != 0)
		abort();
	return 0;
}
