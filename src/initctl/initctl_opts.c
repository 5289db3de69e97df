/* initctl_opts.c: initctl's global options and the target they name.
 *
 * Owns the precedence of README's option table: each setting is taken on
 * its own from the command line, else the environment, else initctl.yaml,
 * else the build's defaults, so that a script can override one thing
 * without restating the rest. Everything here happens before a request is
 * sent: a bad option or a bad initctl.yaml costs nothing (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "initctl_opts.h"
#include "usage.h"

#define INITCTL_VERSION "0.1.0"

int opts_value(int argc, char **argv, int *i, const char *shrt, const char *lng, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if ((shrt && !strcmp(a, shrt)) || !strcmp(a, lng)) {
		*val = *i + 1 < argc ? argv[++*i] : 0;
		return 1;
	}
	if (!strncmp(a, lng, n) && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	return 0;
}

/* The global options that take a value; set_option() knows them by index. */
static const struct {
	const char *shrt, *lng, *what;
} global_opts[] = {
	{ "-c", "--config", "a path" }, { "-p", "--protocol", "unix or vsock" }, { "-s", "--socket", "a path" },
	{ 0, "--vsock-cid", "a CID" },  { 0, "--vsock-port", "a port" },
};
#define NGLOBAL_OPTS (sizeof global_opts / sizeof global_opts[0])

/* -h, --help, -V, --version: printed here; returns 1 for them (initctl
 * then exits 0), else 0. */
static int info_option(const char *a)
{
	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		usage_print(stdout);
		return 1;
	}
	if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
		printf("initctl " INITCTL_VERSION " (configuration " CFG_HASH_HEX ")\n");
		return 1;
	}
	return 0;
}

/* Which of global_opts[] argv[*i] is, its value in *v (*i past it when it
 * is the next word); NGLOBAL_OPTS for none. */
static size_t find_option(int argc, char **argv, int *i, const char **v)
{
	size_t k;

	for (k = 0; k < NGLOBAL_OPTS; k++)
		if (opts_value(argc, argv, i, global_opts[k].shrt, global_opts[k].lng, v))
			break;
	return k;
}

/* Option k's value v into o. Returns 0, or 3 (the error printed). */
static int set_option(size_t k, const char *v, struct opts_global *o)
{
	const char *why;

	switch (k) {
	case 0: o->config = v; break;
	case 1:
		o->protocol = ictlconf_protocol(v);
		if (o->protocol == ICTL_PROTO_UNSET) {
			fprintf(stderr, "initctl: --protocol must be unix or vsock, not '%s'\n", v);
			return 3;
		}
		break;
	case 2: o->socket = v; break;
	default:
		why = ictlconf_u32(v, k == 3 ? &o->cid : &o->port);
		if (why) {
			fprintf(stderr, "initctl: %s takes a number 0 to 4294967295, not '%s' (%s)\n",
				global_opts[k].lng, v, why);
			return 3;
		}
		if (k == 3)
			o->has_cid = 1;
		else
			o->has_port = 1;
	}
	return 0;
}

int opts_parse_global(int argc, char **argv, struct opts_global *o, int *next)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = 0;
		size_t k;

		if (info_option(a))
			return 1;
		k = find_option(argc, argv, &i, &v);
		if (k == NGLOBAL_OPTS) {
			fprintf(stderr, "initctl: unknown option: %s\n", a);
			usage_print(stderr);
			return 3;
		}
		if (!v) {
			fprintf(stderr, "initctl: %s needs %s\n", a, global_opts[k].what);
			return 3;
		}
		if (set_option(k, v, o))
			return 3;
	}
	*next = i;
	return 0;
}

int opts_resolve_target(const struct opts_global *o, struct client_target *t)
{
	/* Static: t->unix_path may point into it for the rest of the run. */
	static struct ictlconf conf;
	const char *path = o->config, *env_sock = getenv("INIT_SOCKET");
	enum ictl_protocol proto;
	char msg[512];
	int named = 1;

	/* An empty variable counts as unset; only a file someone named must exist. */
	if (!path) {
		path = getenv("INITCTL_CONFIG");
		if (!path || !*path)
			path = ICTLCONF_DEFAULT_PATH, named = 0;
	}
	if (ictlconf_load(path, named, &conf, msg, sizeof msg) < 0) {
		fprintf(stderr, "initctl: %s\n", msg);
		return 2;
	}
	proto = o->protocol != ICTL_PROTO_UNSET ? o->protocol : conf.protocol;
	t->transport = proto == ICTL_PROTO_VSOCK ? CLIENT_VSOCK : CLIENT_UNIX;
	t->unix_path = o->socket                ? o->socket
		     : env_sock && *env_sock    ? env_sock
		     : conf.unix_socket_path[0] ? conf.unix_socket_path
						: CFG_UNIX_SOCKET_PATH;
	t->vsock_port = o->has_port ? o->port : conf.has_vsock_port ? conf.vsock_port : CFG_VSOCK_PORT;
	/* init binds VMADDR_CID_ANY by default, which names no peer to connect to. */
	if (o->has_cid || conf.has_vsock_cid || CFG_VSOCK_CID != CLIENT_VMADDR_CID_ANY)
		t->vsock_cid = o->has_cid ? o->cid : conf.has_vsock_cid ? conf.vsock_cid : CFG_VSOCK_CID;
	else if (t->transport == CLIENT_VSOCK) {
		fprintf(stderr, "initctl: no VSOCK CID: give --vsock-cid or vsock_cid in initctl.yaml "
				"(the enclave's CID, e.g. from nitro-cli describe-enclaves)\n");
		return 2;
	}
	return 0;
}
