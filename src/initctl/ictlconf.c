/* ictlconf.c: the initctl.yaml parser.
 *
 * initctl.yaml is four flat settings, so this reads exactly the YAML they
 * need: "key: value" at column 0, values bare or in single or double quotes,
 * comments, blank lines, one leading "---". Anything beyond that (nesting,
 * lists, flow collections, anchors, block scalars, tabs) is an error at its
 * line rather than a guess: a full YAML library would accept files whose
 * meaning initctl then ignores, and initctl stays a small static binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ictlconf.h"

enum { K_PROTOCOL, K_UNIX_SOCKET_PATH, K_VSOCK_CID, K_VSOCK_PORT, K_COUNT };
static const char *const keys[K_COUNT] = { "protocol", "unix_socket_path", "vsock_cid", "vsock_port" };
#define KNOWN_KEYS "protocol, unix_socket_path, vsock_cid, vsock_port"

#define VALUE_MAX 1024 /* longer than any valid value; longer ones are reported */

__attribute__((format(printf, 3, 4))) static int fail(struct ictlconf_error *e, unsigned line, const char *fmt,
						      ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

enum ictl_protocol ictlconf_protocol(const char *s)
{
	if (!strcmp(s, "unix"))
		return ICTL_PROTO_UNIX;
	if (!strcmp(s, "vsock"))
		return ICTL_PROTO_VSOCK;
	return ICTL_PROTO_UNSET;
}

const char *ictlconf_u32(const char *s, uint32_t *v)
{
	unsigned long long x = 0;
	const char *p;

	if (!*s)
		return "empty";
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return "not a decimal number";
		x = x * 10 + (unsigned)(*p - '0');
		if (x > UINT32_MAX)
			return "larger than 4294967295";
	}
	if (s[0] == '0' && s[1])
		return "leading zero";
	*v = (uint32_t)x;
	return 0;
}

/* Well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;
	unsigned long cp, min;

	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Why a node starting at p is neither a plain nor a quoted scalar, or 0. */
static const char *not_scalar(const char *p)
{
	if ((p[0] == '-' || p[0] == '?' || p[0] == ':') && (!p[1] || p[1] == ' '))
		return p[0] == '-' ? "a block sequence ('- item')"
		     : p[0] == '?' ? "a complex key ('? ')"
				   : "an empty key";
	switch (p[0]) {
	case '[':
	case '{': return "a flow collection ('[...]' or '{...}')";
	case ']':
	case '}':
	case ',': return "a flow indicator (']', '}' or ',')";
	case '|':
	case '>': return "a block scalar ('|' or '>')";
	case '&': return "an anchor ('&')";
	case '*': return "an alias ('*')";
	case '!': return "a tag ('!')";
	case '%': return "a directive ('%')";
	case '@':
	case '`': return "a reserved character ('@' or '`')";
	}
	return 0;
}

/* A quoted value at p (on its quote) into out; *after: past the closing quote. */
static int unquote(const char *p, char *out, const char **after, const char *key, unsigned n,
		   struct ictlconf_error *e)
{
	char q = *p++;
	size_t o = 0;

	for (;; p++) {
		char ch = *p;
		if (!ch || (q == '"' && ch == '\\' && !p[1]))
			return fail(e, n, "unterminated %s-quoted value of '%s' (a value stays on its line)",
				    q == '"' ? "double" : "single", key);
		if (q == '"' && ch == '\\') {
			ch = *++p;
			if (ch != '\\' && ch != '"')
				return fail(e, n,
					    "unsupported escape '\\%c' in the value of '%s' "
					    "(only \\\\ and \\\" are needed here)",
					    ch, key);
		} else if (ch == q) {
			if (q == '"' || p[1] != '\'')
				break;
			p++; /* '' is one ' inside single quotes */
		}
		if (o + 1 >= VALUE_MAX)
			return fail(e, n, "the value of '%s' is too long", key);
		out[o++] = ch;
	}
	out[o] = 0;
	*after = p + 1;
	return 0;
}

/* A bare value at p into out: up to a " #" comment, trailing spaces cut. */
static int plain(const char *p, char *out, const char *key, unsigned n, struct ictlconf_error *e)
{
	const char *why = not_scalar(p), *end;
	size_t len;

	if (why)
		return fail(e, n, "%s in the value of '%s': a value is a word, a number or a path", why, key);
	for (end = p; *end && !(*end == '#' && end[-1] == ' '); end++)
		;
	while (end > p && end[-1] == ' ')
		end--;
	len = (size_t)(end - p);
	if (len >= VALUE_MAX)
		return fail(e, n, "the value of '%s' is too long", key);
	memcpy(out, p, len);
	out[len] = 0;
	for (end = out; *end && !(end[0] == ':' && (end[1] == ' ' || !end[1])); end++)
		;
	if (*end)
		return fail(e, n,
			    "a nested mapping in the value of '%s' (quote the value if ': ' is meant "
			    "as text)",
			    key);
	return 0;
}

static int set_value(struct ictlconf *c, int k, const char *v, unsigned n, struct ictlconf_error *e)
{
	const char *why;
	size_t len;
	uint32_t x;

	switch (k) {
	case K_PROTOCOL:
		c->protocol = ictlconf_protocol(v);
		if (c->protocol == ICTL_PROTO_UNSET)
			return fail(e, n, "protocol must be 'unix' or 'vsock', not '%.60s'", v);
		return 0;
	case K_UNIX_SOCKET_PATH:
		if (v[0] != '/')
			return fail(e, n, "unix_socket_path must be an absolute path, not '%.60s'", v);
		len = strlen(v);
		if (len >= ICTLCONF_PATH_SIZE)
			return fail(e, n,
				    "unix_socket_path is %zu bytes long; a Unix socket path holds at most %d", len,
				    ICTLCONF_PATH_SIZE - 1);
		memcpy(c->unix_socket_path, v, len + 1); /* len + 1 <= ICTLCONF_PATH_SIZE: checked above */
		return 0;
	}
	why = ictlconf_u32(v, &x);
	if (why)
		return fail(e, n, "%s must be a decimal number 0 to 4294967295, not '%.60s' (%s)", keys[k], v,
			    why);
	if (k == K_VSOCK_CID)
		c->has_vsock_cid = 1, c->vsock_cid = x;
	else
		c->has_vsock_port = 1, c->vsock_port = x;
	return 0;
}

/* "---" or "..." (c three times) at column 0, alone or followed by a space. */
static int is_marker(const char *s, char c)
{
	return s[0] == c && s[1] == c && s[2] == c && (!s[3] || s[3] == ' ');
}

/* A key, as quoted in a message: at most 40 bytes of it. */
static int shown(size_t kl)
{
	return (int)(kl < 40 ? kl : 40);
}

/* The document start "---": only one, with nothing but a comment after it. */
static int doc_start(const char *s, unsigned n, int *started, struct ictlconf_error *e)
{
	const char *p;

	if (*started)
		return fail(e, n, "a second document ('---'): initctl.yaml holds one");
	*started = 1;
	p = s + 3 + strspn(s + 3, " ");
	if (*p && *p != '#')
		return fail(e, n, "text after '---': the settings go on lines of their own");
	return 0;
}

/* The key at the start of s and its ':', which ends the line or has a
 * space after it: the key's length in *klp, or -1 with the error. */
static int key_length(const char *s, unsigned n, size_t *klp, struct ictlconf_error *e)
{
	size_t kl = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");
	const char *p;

	if (!kl)
		return fail(e, n, "expected 'key: value', not '%.40s'", s);
	if (s[kl] != ':') {
		p = s + kl + strspn(s + kl, " ");
		if (*p == ':')
			return fail(e, n, "space before ':' (write '%.*s: value')", shown(kl), s);
		if (!s[kl] || s[kl] == ' ')
			return fail(e, n, "missing ':' after '%.*s' (expected 'key: value')", shown(kl), s);
		return fail(e, n, "'%c' in a key: keys are letters, digits and '_'", s[kl]);
	}
	if (s[kl + 1] && s[kl + 1] != ' ')
		return fail(e, n, "missing space after ':' (write '%.*s: value')", shown(kl), s);
	*klp = kl;
	return 0;
}

/* Which of keys[] the kl bytes at s are: its index, or K_COUNT. */
static int key_index(const char *s, size_t kl)
{
	int k;

	for (k = 0; k < K_COUNT && (strlen(keys[k]) != kl || strncmp(keys[k], s, kl) != 0); k++)
		;
	return k;
}

/* The value of key k at p (past the ": " and its spaces), quoted (with at
 * most a comment after it) or plain, into c. */
static int take_value(struct ictlconf *c, int k, const char *p, unsigned n, struct ictlconf_error *e)
{
	static char value[VALUE_MAX];

	if (!*p || *p == '#')
		return fail(e, n, "no value for '%s' (nested mappings and lists are not supported)", keys[k]);
	if (*p == '"' || *p == '\'') {
		const char *after = p, *rest;
		if (unquote(p, value, &after, keys[k], n, e) < 0)
			return -1;
		rest = after + strspn(after, " ");
		if (*rest && (*rest != '#' || rest == after))
			return fail(e, n, "text after the closing quote of '%s'", keys[k]);
	} else if (plain(p, value, keys[k], n, e) < 0) {
		return -1;
	}
	return set_value(c, k, value, n, e);
}

/* One line, NUL-terminated, already checked for NUL, CR, tabs and UTF-8.
 * seen[k]: the line that set key k; *started: a setting or "---" came. */
static int parse_line(const char *s, unsigned n, struct ictlconf *c, unsigned *seen, int *started,
		      struct ictlconf_error *e)
{
	size_t indent = strspn(s, " "), kl = 0;
	const char *p, *why;
	int k;

	if (!s[indent] || s[indent] == '#')
		return 0;
	if (indent)
		return fail(e, n, "indented line: initctl.yaml is flat, one 'key: value' per line at column 0");
	if (is_marker(s, '-'))
		return doc_start(s, n, started, e);
	*started = 1;
	if (is_marker(s, '.'))
		return fail(e, n, "a document end marker ('...'): initctl.yaml holds one document");
	if (s[0] == '"' || s[0] == '\'')
		return fail(e, n, "a quoted key: write keys bare (known keys: " KNOWN_KEYS ")");
	why = not_scalar(s);
	if (why)
		return fail(e, n, "%s: initctl.yaml holds only 'key: value' lines", why);
	if (key_length(s, n, &kl, e) < 0)
		return -1;
	k = key_index(s, kl);
	if (k == K_COUNT)
		return fail(e, n, "unknown key '%.*s' (known keys: " KNOWN_KEYS ")", shown(kl), s);
	if (seen[k])
		return fail(e, n, "duplicate key '%s' (first set on line %u)", keys[k], seen[k]);
	seen[k] = n;
	p = s + kl + 1;
	p += strspn(p, " ");
	return take_value(c, k, p, n, e);
}

int ictlconf_parse(const char *text, size_t len, struct ictlconf *c, struct ictlconf_error *e)
{
	static char line[ICTLCONF_MAX_SIZE + 1];
	unsigned seen[K_COUNT] = { 0 }, n = 0;
	int started = 0;
	size_t pos = 0;

	memset(c, 0, sizeof *c);
	memset(e, 0, sizeof *e);
	if (len > ICTLCONF_MAX_SIZE) {
		/* Name the line the limit falls in. */
		for (pos = 0, n = 1; pos < ICTLCONF_MAX_SIZE; pos++)
			n += text[pos] == '\n';
		return fail(e, n, "file larger than %d KiB: initctl.yaml holds four settings",
			    ICTLCONF_MAX_SIZE / 1024);
	}
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3; /* a UTF-8 byte order mark, as some editors write */
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, ll = end - pos;

		n++;
		if (ll && text[end - 1] == '\r')
			ll--; /* CRLF line ends, as YAML allows */
		memcpy(line, text + pos, ll);
		line[ll] = 0;
		pos = end + 1;
		if (memchr(line, 0, ll))
			return fail(e, n, "NUL byte: not a text file");
		if (memchr(line, '\r', ll))
			return fail(e, n, "carriage return inside a line");
		if (!utf8_ok((const unsigned char *)line, ll))
			return fail(e, n, "not valid UTF-8");
		if (strchr(line, '\t'))
			return fail(e, n, "tab character: use spaces");
		if (parse_line(line, n, c, seen, &started, e) < 0)
			return -1;
	}
	return 0;
}

int ictlconf_load(const char *path, int must_exist, struct ictlconf *c, char *msg, size_t msgsize)
{
	static char buf[ICTLCONF_MAX_SIZE + 1]; /* one byte more tells "too large" */
	struct ictlconf_error e;
	size_t n = 0;
	int fd;

	memset(c, 0, sizeof *c);
	/* open/read, not fopen: fopen would link in musl's allocator. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return 0; /* no file: the build's defaults */
		snprintf(msg, msgsize, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (n < sizeof buf) {
		ssize_t r = read(fd, buf + n, sizeof buf - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(msg, msgsize, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (ictlconf_parse(buf, n, c, &e) < 0) {
		snprintf(msg, msgsize, "%s:%u: %s", path, e.line, e.msg);
		return -1;
	}
	return 0;
}
