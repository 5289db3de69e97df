/* ictlconf.h: initctl.yaml, the file that tells initctl how to reach init.
 *
 * Four keys (protocol, unix_socket_path, vsock_cid, vsock_port), one
 * "key: value" line each. The parser reads the small flat subset of YAML
 * those need and rejects everything else with "FILE:LINE: message": a file
 * that says something initctl would silently misread is worse than none.
 */
#ifndef ICTLCONF_H
#define ICTLCONF_H

#include <stddef.h>
#include <stdint.h>

#define ICTLCONF_DEFAULT_PATH "/etc/initctl.yaml"
#define ICTLCONF_MAX_SIZE 65536 /* a four-key file never needs more */
#define ICTLCONF_PATH_SIZE 108  /* sun_path: at most 107 bytes and a NUL */

enum ictl_protocol { ICTL_PROTO_UNSET, ICTL_PROTO_UNIX, ICTL_PROTO_VSOCK };

/* What the file says; a key it does not set is UNSET, "" or has_* = 0. */
struct ictlconf {
	enum ictl_protocol protocol;
	char unix_socket_path[ICTLCONF_PATH_SIZE];
	int has_vsock_cid, has_vsock_port;
	uint32_t vsock_cid, vsock_port;
};

struct ictlconf_error {
	unsigned line; /* 1-based */
	char msg[256];
};

/* Parse len bytes of text. Returns 0, or -1 with e filled (first error only). */
int ictlconf_parse(const char *text, size_t len, struct ictlconf *c, struct ictlconf_error *e);

/* Read and parse the file at path. A missing file is no error unless
 * must_exist (named by -c or INITCTL_CONFIG): c is then all unset.
 * Returns 0, or -1 with msg "PATH:LINE: message" or "cannot read PATH: why". */
int ictlconf_load(const char *path, int must_exist, struct ictlconf *c, char *msg, size_t msgsize);

/* "unix" or "vsock"; ICTL_PROTO_UNSET for anything else. */
enum ictl_protocol ictlconf_protocol(const char *s);

/* A decimal number 0..4294967295 (no sign, no leading zero: YAML 1.1
 * reads 016 as octal). Returns 0, or a short reason. */
const char *ictlconf_u32(const char *s, uint32_t *v);

#endif
