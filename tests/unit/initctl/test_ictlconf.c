/* ictlconf: the initctl.yaml parser, every accepted form and every error. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "ictlconf.h"

static struct ictlconf c;
static struct ictlconf_error e;

static int parse_n(const char *text, size_t len)
{
	return ictlconf_parse(text, len, &c, &e);
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* "LINE: message" for a text that must fail, or "accepted". */
static const char *err_n(const char *text, size_t len)
{
	static char buf[400];

	if (parse_n(text, len) == 0)
		return "accepted";
	snprintf(buf, sizeof buf, "%u: %s", e.line, e.msg);
	return buf;
}

static const char *err(const char *text)
{
	return err_n(text, strlen(text));
}

/* A file in /tmp holding len bytes of text; its path. */
static const char *file_with(const char *text, size_t len)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/ei-ictlconf.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return "/nonexistent/mkstemp-failed";
	close(fd);
	return path;
}

/* The message, through a call the compiler does not see into (the harness
 * prints at most 256 bytes of it; a longer one would not compile with
 * -Werror=format-truncation otherwise). */
__attribute__((noinline)) static const char *m(const char *msg)
{
	return msg;
}

#define KNOWN "(known keys: protocol, unix_socket_path, vsock_cid, vsock_port)"

/* Manual 002's examples of initctl.yaml, verbatim. */
static const char in_enclave[] = "# Protocol to use: \"unix\" or \"vsock\"\n"
				 "protocol: unix\n"
				 "\n"
				 "# Unix socket configuration\n"
				 "unix_socket_path: /run/init.sock\n"
				 "\n"
				 "# VSOCK configuration (not used when protocol is unix)\n"
				 "vsock_cid: 3\n"
				 "vsock_port: 9001\n";

TEST(manual_in_enclave_example)
{
	CHECK(parse(in_enclave) == 0);
	CHECK(c.protocol == ICTL_PROTO_UNIX);
	CHECK_STR(c.unix_socket_path, "/run/init.sock");
	CHECK(c.has_vsock_cid && c.vsock_cid == 3);
	CHECK(c.has_vsock_port && c.vsock_port == 9001);
}

static const char host[] = "# Protocol to use for host-to-enclave control\n"
			   "protocol: vsock\n"
			   "\n"
			   "# Unix socket (not used when protocol is vsock)\n"
			   "unix_socket_path: /run/init.sock\n"
			   "\n"
			   "# VSOCK configuration\n"
			   "vsock_cid: 16      # Enclave CID (assigned by hypervisor)\n"
			   "vsock_port: 9001   # Control port\n";

TEST(manual_host_example)
{
	CHECK(parse(host) == 0);
	CHECK(c.protocol == ICTL_PROTO_VSOCK);
	CHECK_STR(c.unix_socket_path, "/run/init.sock");
	CHECK(c.has_vsock_cid && c.vsock_cid == 16);
	CHECK(c.has_vsock_port && c.vsock_port == 9001);
}

static const char logs_stream[] = "# Use VSOCK to connect to enclave\n"
				  "protocol: vsock\n"
				  "vsock_cid: 16      # Enclave CID\n"
				  "vsock_port: 9001   # Control port\n"
				  "\n"
				  "# Unix socket (for in-enclave use)\n"
				  "unix_socket_path: /run/init.sock\n";

TEST(manual_logs_stream_example)
{
	CHECK(parse(logs_stream) == 0);
	CHECK(c.protocol == ICTL_PROTO_VSOCK && c.vsock_cid == 16 && c.vsock_port == 9001);
}

TEST(empty_and_comment_only_files_set_nothing)
{
	static const char *const texts[] = { "",
					     "\n\n",
					     "# only a comment\n",
					     "   \n  # indented comment\n",
					     "---\n",
					     "--- # a document\n# more\n",
					     "# first\n---\n" };
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		memset(&c, 0x55, sizeof c);
		CHECK(parse(texts[i]) == 0);
		CHECK(c.protocol == ICTL_PROTO_UNSET && !c.unix_socket_path[0]);
		CHECK(!c.has_vsock_cid && !c.has_vsock_port);
	}
}

TEST(quoted_values)
{
	CHECK(parse("protocol: 'vsock'\nunix_socket_path: \"/run/a b.sock\"\nvsock_cid: \"16\"\n"
		    "vsock_port: '9001' # quoted number\n") == 0);
	CHECK(c.protocol == ICTL_PROTO_VSOCK && c.vsock_cid == 16 && c.vsock_port == 9001);
	CHECK_STR(c.unix_socket_path, "/run/a b.sock");
	CHECK(parse("unix_socket_path: '/run/it''s # not a comment'\n") == 0);
	CHECK_STR(c.unix_socket_path, "/run/it's # not a comment");
	CHECK(parse("unix_socket_path: \"/run/q\\\"uote\\\\d\"   # comment\n") == 0);
	CHECK_STR(c.unix_socket_path, "/run/q\"uote\\d");
}

TEST(plain_value_forms)
{
	/* A '#' not after a space is part of the value; trailing spaces are not. */
	CHECK(parse("unix_socket_path: /run/a#b.sock   \n") == 0);
	CHECK_STR(c.unix_socket_path, "/run/a#b.sock");
	CHECK(parse("unix_socket_path:    /run/x.sock#y # z\n") == 0);
	CHECK_STR(c.unix_socket_path, "/run/x.sock#y");
	/* No newline at the end of the file. */
	CHECK(parse("protocol: unix") == 0 && c.protocol == ICTL_PROTO_UNIX);
	/* CRLF line ends and a byte order mark, as Windows editors write. */
	CHECK(parse("\xef\xbb\xbfprotocol: vsock\r\nvsock_cid: 7\r\n") == 0);
	CHECK(c.protocol == ICTL_PROTO_VSOCK && c.vsock_cid == 7);
	/* UTF-8 in comments and paths is fine. */
	CHECK(parse("# caf\xc3\xa9 \xe2\x9c\x93\nunix_socket_path: /run/\xc3\xa9.sock\n") == 0);
	CHECK_STR(c.unix_socket_path, "/run/\xc3\xa9.sock");
}

TEST(number_limits)
{
	CHECK(parse("vsock_cid: 0\nvsock_port: 4294967295\n") == 0);
	CHECK(c.has_vsock_cid && c.vsock_cid == 0 && c.vsock_port == 4294967295u);
	CHECK_STR(err("vsock_port: 4294967296\n"), "1: vsock_port must be a decimal number 0 to 4294967295, not "
						   "'4294967296' (larger than 4294967295)");
	CHECK_STR(err("vsock_cid: 99999999999999999999999\n"),
		  "1: vsock_cid must be a decimal number 0 to 4294967295, not '99999999999999999999999' "
		  "(larger than 4294967295)");
	CHECK_STR(err("vsock_cid: sixteen\n"),
		  "1: vsock_cid must be a decimal number 0 to 4294967295, not 'sixteen' (not a decimal number)");
	CHECK_STR(err("vsock_cid: -1\n"),
		  "1: vsock_cid must be a decimal number 0 to 4294967295, not '-1' (not a decimal number)");
	CHECK_STR(err("vsock_cid: 0x10\n"),
		  "1: vsock_cid must be a decimal number 0 to 4294967295, not '0x10' (not a decimal number)");
	CHECK_STR(err("vsock_cid: 016\n"),
		  "1: vsock_cid must be a decimal number 0 to 4294967295, not '016' (leading zero)");
	CHECK_STR(err("vsock_port: ''\n"),
		  "1: vsock_port must be a decimal number 0 to 4294967295, not '' (empty)");
	CHECK_STR(err("vsock_port: 1.5\n"),
		  "1: vsock_port must be a decimal number 0 to 4294967295, not '1.5' (not a decimal number)");
}

TEST(u32_and_protocol_helpers)
{
	uint32_t v = 7;

	CHECK(!ictlconf_u32("0", &v) && v == 0);
	CHECK(!ictlconf_u32("4294967295", &v) && v == 4294967295u);
	CHECK_STR(ictlconf_u32("4294967296", &v), "larger than 4294967295");
	CHECK_STR(ictlconf_u32("", &v), "empty");
	CHECK_STR(ictlconf_u32("+1", &v), "not a decimal number");
	CHECK_STR(ictlconf_u32("1 ", &v), "not a decimal number");
	CHECK_STR(ictlconf_u32("00", &v), "leading zero");
	CHECK(v == 4294967295u); /* untouched by failures */
	CHECK(ictlconf_protocol("unix") == ICTL_PROTO_UNIX);
	CHECK(ictlconf_protocol("vsock") == ICTL_PROTO_VSOCK);
	CHECK(ictlconf_protocol("VSOCK") == ICTL_PROTO_UNSET);
	CHECK(ictlconf_protocol("") == ICTL_PROTO_UNSET);
}

TEST(bad_values)
{
	CHECK_STR(err("protocol: tcp\n"), "1: protocol must be 'unix' or 'vsock', not 'tcp'");
	CHECK_STR(err("protocol: Unix\n"), "1: protocol must be 'unix' or 'vsock', not 'Unix'");
	CHECK_STR(err("protocol: null\n"), "1: protocol must be 'unix' or 'vsock', not 'null'");
	CHECK_STR(err("unix_socket_path: run/init.sock\n"),
		  "1: unix_socket_path must be an absolute path, not 'run/init.sock'");
	CHECK_STR(err("unix_socket_path: \"\"\n"), "1: unix_socket_path must be an absolute path, not ''");
	CHECK_STR(err("# comment\n\nvsock_cid: 3\nprotocol: 'unix '\n"),
		  "4: protocol must be 'unix' or 'vsock', not 'unix '");
}

TEST(socket_path_length)
{
	char text[300];
	char path[200];

	memset(path, 'a', sizeof path);
	path[0] = '/';
	path[107] = 0; /* 107 bytes: the longest sun_path holds */
	snprintf(text, sizeof text, "unix_socket_path: %s\n", path);
	CHECK(parse(text) == 0);
	CHECK(strlen(c.unix_socket_path) == 107);
	path[107] = 'a';
	path[108] = 0;
	snprintf(text, sizeof text, "unix_socket_path: %s\n", path);
	CHECK_STR(err(text), "1: unix_socket_path is 108 bytes long; a Unix socket path holds at most 107");
	memset(text, 'b', sizeof text);
	memcpy(text, "unix_socket_path: /", 19);
	text[sizeof text - 1] = 0;
	CHECK_STR(err(text), "1: unix_socket_path is 281 bytes long; a Unix socket path holds at most 107");
}

TEST(unknown_and_duplicate_keys)
{
	CHECK_STR(err("protocol: unix\nsocket: /run/init.sock\n"), "2: unknown key 'socket' " KNOWN);
	CHECK_STR(err("Protocol: unix\n"), "1: unknown key 'Protocol' " KNOWN);
	CHECK_STR(err("control.unix_socket_path: /x\n"), "1: unknown key 'control.unix_socket_path' " KNOWN);
	CHECK_STR(err("protocol: unix\n\n# again\nprotocol: vsock\n"),
		  "4: duplicate key 'protocol' (first set on line 1)");
	CHECK_STR(err("vsock_cid: 3\nvsock_cid: 3\n"), "2: duplicate key 'vsock_cid' (first set on line 1)");
}

TEST(key_syntax)
{
	CHECK_STR(err("protocol unix\n"), "1: missing ':' after 'protocol' (expected 'key: value')");
	CHECK_STR(err("protocol\n"), "1: missing ':' after 'protocol' (expected 'key: value')");
	CHECK_STR(err("protocol : unix\n"), "1: space before ':' (write 'protocol: value')");
	CHECK_STR(err("protocol:unix\n"), "1: missing space after ':' (write 'protocol: value')");
	CHECK_STR(err("vsock_cid:16 # x\n"), "1: missing space after ':' (write 'vsock_cid: value')");
	CHECK_STR(err("pro+tocol: unix\n"), "1: '+' in a key: keys are letters, digits and '_'");
	CHECK_STR(err("/run/init.sock\n"), "1: expected 'key: value', not '/run/init.sock'");
	CHECK_STR(err("\"protocol\": unix\n"), "1: a quoted key: write keys bare " KNOWN);
	CHECK_STR(err("'protocol': unix\n"), "1: a quoted key: write keys bare " KNOWN);
	CHECK_STR(err(": unix\n"), "1: an empty key: initctl.yaml holds only 'key: value' lines");
	CHECK_STR(err("? protocol\n: unix\n"),
		  "1: a complex key ('? '): initctl.yaml holds only 'key: value' lines");
}

TEST(nesting_and_collections)
{
	CHECK_STR(err("protocol: unix\n  vsock_cid: 3\n"),
		  "2: indented line: initctl.yaml is flat, one 'key: value' per line at column 0");
	CHECK_STR(err("protocol:\n  name: unix\n"),
		  "1: no value for 'protocol' (nested mappings and lists are not supported)");
	CHECK_STR(err("protocol: # unix\n"),
		  "1: no value for 'protocol' (nested mappings and lists are not supported)");
	CHECK_STR(err("vsock_cid:\n- 3\n"),
		  "1: no value for 'vsock_cid' (nested mappings and lists are not supported)");
	CHECK_STR(err("- protocol: unix\n"),
		  "1: a block sequence ('- item'): initctl.yaml holds only 'key: value' lines");
	CHECK_STR(err("{protocol: unix}\n"),
		  "1: a flow collection ('[...]' or '{...}'): initctl.yaml holds only 'key: value' lines");
	CHECK_STR(err("[unix]\n"),
		  "1: a flow collection ('[...]' or '{...}'): initctl.yaml holds only 'key: value' lines");
	CHECK_STR(err("vsock_cid: [3, 4]\n"), "1: a flow collection ('[...]' or '{...}') in the value of "
					      "'vsock_cid': a value is a word, a number or a path");
	CHECK_STR(err("protocol: {a: b}\n"), "1: a flow collection ('[...]' or '{...}') in the value of "
					     "'protocol': a value is a word, a number or a path");
	CHECK_STR(err("protocol: - unix\n"), "1: a block sequence ('- item') in the value of "
					     "'protocol': a value is a word, a number or a path");
	CHECK_STR(err("unix_socket_path: |\n  /run/x\n"),
		  "1: a block scalar ('|' or '>') in the value of "
		  "'unix_socket_path': a value is a word, a number or a path");
	CHECK_STR(err("unix_socket_path: >-\n"), "1: a block scalar ('|' or '>') in the value of "
						 "'unix_socket_path': a value is a word, a number or a path");
	CHECK_STR(err("protocol: a: b\n"),
		  "1: a nested mapping in the value of 'protocol' (quote the value if ': ' is meant as text)");
	CHECK_STR(err("protocol: unix:\n"),
		  "1: a nested mapping in the value of 'protocol' (quote the value if ': ' is meant as text)");
}

TEST(anchors_tags_directives)
{
	CHECK_STR(err("protocol: &p unix\n"), "1: an anchor ('&') in the value of 'protocol': "
					      "a value is a word, a number or a path");
	CHECK_STR(err("protocol: *p\n"), "1: an alias ('*') in the value of 'protocol': "
					 "a value is a word, a number or a path");
	CHECK_STR(err("vsock_cid: !!int 3\n"), "1: a tag ('!') in the value of 'vsock_cid': "
					       "a value is a word, a number or a path");
	CHECK_STR(err("%YAML 1.2\n---\nprotocol: unix\n"),
		  "1: a directive ('%'): initctl.yaml holds only 'key: value' lines");
	CHECK_STR(err("protocol: @unix\n"), "1: a reserved character ('@' or '`') in the value of 'protocol': "
					    "a value is a word, a number or a path");
}

TEST(quote_errors)
{
	CHECK_STR(err("unix_socket_path: \"/run/init.sock\n"),
		  "1: unterminated double-quoted value of 'unix_socket_path' (a value stays on its line)");
	CHECK_STR(err("unix_socket_path: '/run/init.sock\n  rest'\n"),
		  "1: unterminated single-quoted value of 'unix_socket_path' (a value stays on its line)");
	CHECK_STR(err("unix_socket_path: \"/run/x\\\"\n"),
		  "1: unterminated double-quoted value of 'unix_socket_path' (a value stays on its line)");
	CHECK_STR(err("unix_socket_path: \"/run/x\\\n"),
		  "1: unterminated double-quoted value of 'unix_socket_path' (a value stays on its line)");
	CHECK_STR(err("unix_socket_path: \"/run/\\n\"\n"),
		  "1: unsupported escape '\\n' in the value of 'unix_socket_path' (only \\\\ and \\\" are needed "
		  "here)");
	CHECK_STR(err("protocol: 'unix' vsock\n"), "1: text after the closing quote of 'protocol'");
	CHECK_STR(err("protocol: 'unix'# no space\n"), "1: text after the closing quote of 'protocol'");
	CHECK_STR(err("protocol: \"unix\"\"\"\n"), "1: text after the closing quote of 'protocol'");
}

TEST(documents)
{
	CHECK_STR(err("---\nprotocol: unix\n---\n"), "3: a second document ('---'): initctl.yaml holds one");
	CHECK_STR(err("protocol: unix\n---\n"), "2: a second document ('---'): initctl.yaml holds one");
	CHECK_STR(err("--- protocol: unix\n"), "1: text after '---': the settings go on lines of their own");
	CHECK_STR(err("protocol: unix\n...\n"),
		  "2: a document end marker ('...'): initctl.yaml holds one document");
}

TEST(bytes_that_are_not_text)
{
	CHECK_STR(err("protocol: unix\n\tvsock_cid: 3\n"), "2: tab character: use spaces");
	CHECK_STR(err("protocol:\tunix\n"), "1: tab character: use spaces");
	CHECK_STR(err("protocol: unix # a\tcomment\n"), "1: tab character: use spaces");
	CHECK_STR(err_n("protocol: unix\nvsock_cid: 3\0\n", 28), "2: NUL byte: not a text file");
	CHECK_STR(err_n("\0", 1), "1: NUL byte: not a text file");
	CHECK_STR(err("protocol: unix\rvsock_cid: 3\n"), "1: carriage return inside a line");
	CHECK_STR(err("# \xff\xfe\n"), "1: not valid UTF-8");
	CHECK_STR(err("protocol: unix\n# \xc0\xaf overlong\n"), "2: not valid UTF-8");
	CHECK_STR(err("# \xed\xa0\x80 surrogate\n"), "1: not valid UTF-8");
	CHECK_STR(err("# \xe2\x9c cut\n"), "1: not valid UTF-8");
	CHECK_STR(err("# \xf4\x90\x80\x80 past U+10FFFF\n"), "1: not valid UTF-8");
}

TEST(size_limit)
{
	static char big[ICTLCONF_MAX_SIZE + 2];
	size_t i;

	/* Exactly 64 KiB of comment lines (63 '#' and a newline each) is fine. */
	for (i = 0; i < ICTLCONF_MAX_SIZE; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	CHECK(parse_n(big, ICTLCONF_MAX_SIZE) == 0);
	/* One byte more names the line the limit falls in. */
	big[ICTLCONF_MAX_SIZE] = '#';
	CHECK_STR(err_n(big, ICTLCONF_MAX_SIZE + 1),
		  "1025: file larger than 64 KiB: initctl.yaml holds four settings");
}

TEST(load_files)
{
	static char big[ICTLCONF_MAX_SIZE + 10];
	char msg[512], want[512];
	const char *p;

	memset(&c, 0x55, sizeof c);
	CHECK(ictlconf_load("/nonexistent/initctl.yaml", 0, &c, msg, sizeof msg) == 0);
	CHECK(c.protocol == ICTL_PROTO_UNSET && !c.has_vsock_cid);
	CHECK(ictlconf_load("/nonexistent/initctl.yaml", 1, &c, msg, sizeof msg) < 0);
	CHECK_STR(m(msg), "cannot read /nonexistent/initctl.yaml: No such file or directory");
	CHECK(ictlconf_load("/tmp", 0, &c, msg, sizeof msg) < 0);
	CHECK_STR(m(msg), "cannot read /tmp: Is a directory");

	p = file_with("protocol: vsock\nvsock_cid: 16\n", 29);
	CHECK(ictlconf_load(p, 1, &c, msg, sizeof msg) == 0);
	CHECK(c.protocol == ICTL_PROTO_VSOCK && c.vsock_cid == 16);
	unlink(p);

	p = file_with("protocol: vsock\nvsock: {cid: 3}\n", 32);
	CHECK(ictlconf_load(p, 0, &c, msg, sizeof msg) < 0);
	snprintf(want, sizeof want, "%s:2: unknown key 'vsock' " KNOWN, p);
	CHECK_STR(m(msg), m(want));
	unlink(p);

	memset(big, '\n', sizeof big);
	p = file_with(big, sizeof big);
	CHECK(ictlconf_load(p, 1, &c, msg, sizeof msg) < 0);
	snprintf(want, sizeof want, "%s:65537: file larger than 64 KiB: initctl.yaml holds four settings", p);
	CHECK_STR(m(msg), m(want));
	unlink(p);
}

RUN_TESTS("ictlconf", T(manual_in_enclave_example), T(manual_host_example), T(manual_logs_stream_example),
	  T(empty_and_comment_only_files_set_nothing), T(quoted_values), T(plain_value_forms), T(number_limits),
	  T(u32_and_protocol_helpers), T(bad_values), T(socket_path_length), T(unknown_and_duplicate_keys),
	  T(key_syntax), T(nesting_and_collections), T(anchors_tags_directives), T(quote_errors), T(documents),
	  T(bytes_that_are_not_text), T(size_limit), T(load_files))
