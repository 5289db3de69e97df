/* usage.c: `initctl --help`, the one text that lists every command.
 *
 * The defaults it names come from the build (cfg.h), so the help always
 * says what this initctl will do.
 */
#include <stdio.h>

#include "cfg.h"
#include "client.h"
#include "ictlconf.h"
#include "initctl_ps.h"
#include "usage.h"

#if CFG_VSOCK_CID == CLIENT_VMADDR_CID_ANY
#define VSOCK_CID_DEFAULT "(no default: see nitro-cli describe-enclaves)"
#else
#define VSOCK_CID_DEFAULT "(default " CFG_VSOCK_CID_TEXT ")"
#endif

void usage_print(FILE *f)
{
	fputs("usage: initctl [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Options (each: command line, else environment, else initctl.yaml, else built in):\n"
	      "  -c, --config PATH   initctl.yaml to read (default $INITCTL_CONFIG, else\n"
	      "                      " ICTLCONF_DEFAULT_PATH ", which may be missing)\n"
	      "  -p, --protocol unix|vsock\n"
	      "                      how to reach init (default unix)\n"
	      "  -s, --socket PATH   Unix socket (default $INIT_SOCKET, else initctl.yaml, else\n"
	      "                      " CFG_UNIX_SOCKET_PATH ")\n"
	      "      --vsock-cid CID the enclave's CID " VSOCK_CID_DEFAULT "\n"
	      "      --vsock-port PORT  init's VSOCK control port (default " CFG_VSOCK_PORT_TEXT ")\n"
	      "  -h, --help          print this help\n"
	      "  -V, --version       print the version\n"
	      "\n"
	      "Commands (--json: the read commands print one JSON document instead):\n"
	      "  list [--json]       list all services\n"
	      "  status SERVICE [--json]  show a service in detail; exit status 3 when it is not\n"
	      "                      active\n"
	      "  start SERVICE       start a stopped service\n"
	      "  stop SERVICE        stop a service (SIGTERM, then SIGKILL after its timeout)\n"
	      "  restart SERVICE     stop if running, then start\n"
	      "      --wait [--timeout SECONDS]  return when it is running (stopped); default 90 s\n"
	      "  logs SERVICE [-n|--lines N] [-f|--follow] [--json]\n"
	      "                      the last N lines (default 50) of a service's log; -f goes on\n"
	      "                      printing new lines until interrupted (\"init\": init's own log);\n"
	      "                      --json with -f: one JSON object a line\n"
	      "  logs-stream SERVICE [-n N] [-f] [-o|--output FILE] [--listen-cid CID] [--listen-port PORT]\n"
	      "                      stream the last N lines (default 10) and, with -f, new ones\n"
	      "                      until interrupted, to stdout or appended to FILE; over vsock\n"
	      "                      init connects back to CID (default 3: the parent instance) on\n"
	      "                      PORT (default 9100, else the next free one up to 9199)\n"
	      "  logs-clear SERVICE  remove a service's log files and start an empty one\n"
	      "  enable [--now] SERVICE  start it at boot (and now); in memory, kept across reload\n"
	      "  disable SERVICE     do not start it at boot; stops it if it runs\n"
	      "  reload [--dry-run]  re-execute init (perhaps a new build); unchanged services keep\n"
	      "                      running; --dry-run prints what a reload would do\n"
	      "  system-status [--json]  uptime, service and process counts\n"
	      "  health [SERVICE] [--json]  the enclave's health (or one service's) and the last\n"
	      "                      health checks; exit status 0 when healthy, 1 when not\n"
	      "  events [--since SEQ] [--no-follow]\n"
	      "                      state changes, readiness, health and restarts, one JSON\n"
	      "                      object a line, followed until interrupted; --since replays\n"
	      "                      what init still holds from event SEQ on\n"
	      "  metrics             init's and every service's numbers in the Prometheus text\n"
	      "                      format\n"
	      "  time-serve --port PORT [--cid-allow CID] [--unix PATH]\n"
	      "                      answer init's clock (init.yaml clock.source) with this\n"
	      "                      machine's time, until killed; --test-offset-ms N or\n"
	      "                      --test-epoch SEC serve a wrong time (tests only)\n"
	      "  attest [--nonce HEX] [--user-data FILE] [-o|--output FILE] [--json]\n"
	      "                      the NSM's attestation document of this enclave: its module,\n"
	      "                      time and PCRs (--json: every field decoded); -o writes the\n"
	      "                      document itself (COSE_Sign1) to FILE (-: stdout, not a\n"
	      "                      terminal); --nonce and --user-data (FILE's bytes, -: stdin;\n"
	      "                      up to 512 bytes each) go into the signed document\n",
	      f);
	ps_usage(f);
	fputs("  ping [--json]       check that init answers\n"
	      "  shutdown [--drain SECONDS] [--wait]\n"
	      "                      stop everything and power off; --drain first reports the\n"
	      "                      health as stopping and keeps the services running that\n"
	      "                      long (0 to 86400); --wait returns only at the very end:\n"
	      "                      every service down, the last log lines handed to the log\n"
	      "                      streams, just before the power-off\n"
	      "  reboot [--drain SECONDS] [--wait]\n"
	      "                      stop everything and reboot (the same options)\n"
	      "\n"
	      "Exit status: 0 done; 1 init refused or the operation failed (health: not healthy;\n"
	      "attest: no NSM, or a malformed document); 2 a usage error; 3 status: the service is\n"
	      "not active; 4 no such service or process, or an operation the control policy or the\n"
	      "peer's user may not do; 69 init cannot be reached.\n",
	      f);
}
