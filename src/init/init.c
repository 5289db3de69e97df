/* init.c: main — command line, start-up order, then the loop.
 *
 * Start-up: make sure fds 0-2 exist, decide what we are (VM, container,
 * plain process), take signals through a signalfd, open the control socket,
 * start the services, run the loop. From the loop on, init must not die:
 * every failure is logged and survived.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "app.h"
#include "boot.h"
#include "cfg.h"
#include "cgroup.h"
#include "clock.h"
#include "ctl.h"
#include "entropy.h"
#include "health.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "printcfg.h"
#include "reload.h"
#include "say.h"
#include "shutdown.h"
#include "sigs.h"
#include "spawn.h"
#include "svc.h"

#define INIT_VERSION "0.1.0"

static void out(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void usage(int fd)
{
	out(fd, "usage: init [--version | --print-config | --help]\n"
		"enclave-init: PID 1 for enclaves, configured at build time.\n"
		"  -V, --version       print the version and configuration hash\n"
		"      --print-config  print the compiled-in configuration as YAML\n"
		"  -h, --help          print this help\n"
		"As PID 1, arguments it does not know (kernel boot parameters) are ignored.\n");
}

static int handover_fd = -1; /* --handover FD: this init is a reload */

/* Returns -1 to carry on as init, or an exit status. */
static int parse_args(int argc, char **argv, int pid1)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--handover") && i + 1 < argc) {
			/* Given by the init that re-executed itself (reload.c). */
			const char *d = argv[++i];
			handover_fd = 0;
			while (*d >= '0' && *d <= '9' && handover_fd < 100000)
				handover_fd = handover_fd * 10 + (*d++ - '0');
			if (*d || handover_fd < 3)
				handover_fd = -1;
			continue;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			out(1, "enclave-init " INIT_VERSION " (configuration " CFG_HASH_HEX ")\n");
			return 0;
		}
		if (!strcmp(a, "--print-config")) {
			printcfg(1);
			return 0;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(1);
			return 0;
		}
		/* The kernel hands init every boot parameter it does not know
		 * (e.g. "nomodules"): as PID 1 that is no reason to stop. */
		if (!pid1) {
			out(2, "init: unknown argument: ");
			out(2, a);
			out(2, "\n");
			usage(2);
			return 2;
		}
	}
	return -1;
}

/* A closed fd 0, 1 or 2 would be handed out by the next open() and then
 * written to as if it were the console. */
static void ensure_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			return;
}

int main(int argc, char **argv)
{
	int pid1 = getpid() == 1, rc, sfd, readable = 0;

	rc = parse_args(argc, argv, pid1);
	if (rc >= 0)
		return rc;
	/* Before anything opens a file: in an enclave there is no /dev yet. */
	shutdown_detect_mode();
	if (shutdown_mode() == SYS_VM && handover_fd < 0)
		boot_enclave();
	else if (handover_fd >= 0)
		app_restore();
	ensure_std_fds();
	reload_set_argv0(argv[0]);
	clock_set_started(clock_ms());
	if (handover_fd >= 0)
		readable = reload_read(handover_fd) == 0;
	spawn_raise_nofile();
	log_open();
	say_log_warnings(); /* a service without a log pipe */
	if (!pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		say_warn("cannot become a child subreaper; orphans will not be reaped here");
	if (pid1)
		(void)chdir("/");
	sfd = sigs_setup();
	/* From now on, we must not die. */
	say("enclave-init " INIT_VERSION " starting as %s; configuration %s, %d services", shutdown_mode_name(),
	    CFG_HASH_HEX, CFG_NSVC);
	if (sfd < 0)
		say_error("signalfd: cannot take signals; services will not be reaped promptly");
	/* Before any service starts (and again after a reload: the services'
	 * cgroups are found by their paths). */
	cgroup_setup(shutdown_mode() == SYS_VM);
	svc_init();
	health_init();
	health_changed = svc_health_changed; /* health.c is below svc.c: a hook, not a call */
#if CFG_APP_SLOT
	svc_app_ended = app_exited; /* the enclave ends with its program */
#endif
	(void)ctl_open();
	(void)notify_open(); /* unless the previous init handed its socket over */
	if (handover_fd >= 0) {
		reload_adopt(readable);
		entropy_adopted();
	} else {
		entropy_boot(); /* services start now, or once the random pool is ready */
	}
	loop_run(sfd);
	return 0;
}
