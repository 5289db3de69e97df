/* initctl_opts.h: initctl's global options and how to reach init.
 *
 * Each setting on its own: the command line, else the environment
 * (INITCTL_CONFIG, INIT_SOCKET), else initctl.yaml, else the defaults of the
 * init.yaml init was built from (README, "initctl").
 */
#ifndef INITCTL_OPTS_H
#define INITCTL_OPTS_H

#include <stdint.h>

#include "client.h"
#include "ictlconf.h"

/* The global options, as given (0 / UNSET / has_* = 0: not given). */
struct opts_global {
	const char *config;
	enum ictl_protocol protocol;
	const char *socket;
	int has_cid, has_port;
	uint32_t cid, port;
};

/* The options before the command word. Returns 0 and *next (the command's
 * index), or 1 + the exit status (help and version print and end here). */
int opts_parse_global(int argc, char **argv, struct opts_global *o, int *next);

/* Fill t from o, the environment, initctl.yaml and the build's defaults.
 * Returns 0, or 2 after an error (printed: a bad initctl.yaml, no CID). */
int opts_resolve_target(const struct opts_global *o, struct client_target *t);

/* The value of a global or command option at argv[*i], as "OPT VALUE" or
 * "--long=VALUE" (shrt may be 0): returns 1 with *val set (0 when the value
 * is missing), or 0 when argv[*i] is not this option. */
int opts_value(int argc, char **argv, int *i, const char *shrt, const char *lng, const char **val);

#endif
