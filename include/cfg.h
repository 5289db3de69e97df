/* cfg.h: the compiled-in configuration.
 *
 * The generator (gen/initgen.py) fills these tables from init.yaml and the
 * service files; this header is their fixed shape. Services sit in cfg_svc[]
 * in start order, so a service's index is also its place in that order, and
 * dependency lists are indices into the same array. Nothing here changes at
 * run time.
 */
#ifndef CFG_H
#define CFG_H

#include "config_gen.h"

/* Zero services is a valid configuration; C has no zero-length arrays. */
#define CFG_NSVC_SLOTS (CFG_NSVC > 0 ? CFG_NSVC : 1)

enum cfg_restart {
	CFG_RESTART_NO = 0,
	CFG_RESTART_ALWAYS = 1,
	CFG_RESTART_ON_FAILURE = 2,
	CFG_RESTART_ON_SUCCESS = 3,
};

/* Type= (the wire's enum proto_svc_type). */
enum cfg_type {
	CFG_TYPE_SIMPLE = 0,  /* running once the exec succeeded (with HealthCmd: once a check passed) */
	CFG_TYPE_NOTIFY = 1,  /* running once it sent READY=1 to NOTIFY_SOCKET */
	CFG_TYPE_ONESHOT = 2, /* done once it exited 0; dependants wait for that */
};

enum cfg_health_action {
	CFG_HEALTH_NONE = 0,    /* report only */
	CFG_HEALTH_RESTART = 1, /* restart it once it turns unhealthy */
};

/* The resource limits a service may set (Limit*=), in this order. */
enum cfg_limit_kind {
	CFG_LIMIT_NOFILE = 0,
	CFG_LIMIT_NPROC = 1,
	CFG_LIMIT_CORE = 2,
	CFG_LIMIT_MEMLOCK = 3,
	CFG_LIMIT_STACK = 4,
	CFG_LIMIT_AS = 5,
};
#define CFG_LIMIT_INFINITY (~0ULL) /* RLIM_INFINITY */

struct cfg_limit {
	unsigned char which;     /* enum cfg_limit_kind */
	unsigned long long soft; /* rlim_cur */
	unsigned long long hard; /* rlim_max */
};

/* UMask= as compiled: CFG_UMASK_SET | the mask, or 0 when not written
 * (systemd's 0022 then, for a zeroed entry too: ps start's). */
#define CFG_UMASK_SET 0x1000u
#define CFG_UMASK_DEFAULT 0022u

/* User=, Group=, SupplementaryGroups=, UMask=, NoNewPrivileges= and the
 * Limit*= of a service that sets any of them (and the app's app.user,
 * app.group). Names are looked up at start time in the image's /etc/passwd
 * and /etc/group; a string of digits is a numeric id. */
struct cfg_privs {
	const char *user;                        /* User=; 0: root */
	const char *group;                       /* Group=; 0: the user's own (root's: init's) */
	const char *const *supplementary_groups; /* SupplementaryGroups=, 0-terminated; 0: none */
	const struct cfg_limit *limits;          /* the Limit*= that are set; 0: none */
	unsigned short umask;                    /* CFG_UMASK_SET | UMask=, or 0: CFG_UMASK_DEFAULT */
	unsigned char no_new_privileges;         /* NoNewPrivileges=: PR_SET_NO_NEW_PRIVS */
	unsigned char nlimits;
};

struct cfg_svc {
	const char *name;
	const char *source;      /* service file, relative to init.yaml */
	const char *exec_text;   /* ExecStart as written */
	const char *const *argv; /* ExecStart split at build time */
	const char *const *envp; /* merged environment */
	const char *workdir;     /* 0: init's own working directory */
	const char *after_text;  /* dependency lists as written, for status */
	const char *requires_text;
	const char *before_text;
	const char *required_by_text;
	const unsigned short *pred; /* services started before this one */
	const unsigned short *succ; /* services started after it (stopped before it) */
	const unsigned short *requires;
	unsigned short npred, nsucc, nrequires;
	unsigned char restart; /* enum cfg_restart */
	unsigned char enabled; /* .service, and ServiceEnable not false */
	unsigned int restart_sec;
	unsigned int stop_timeout_sec;
	/* StartLimitBurst, StartLimitIntervalSec. Both 0: neither key set, so
	 * no limit (never give up) and a crash loop is throttled; set, the
	 * burst is 1 or more and an interval of 0 means no limit. */
	unsigned int start_limit_burst;        /* automatic restarts allowed per interval */
	unsigned int start_limit_interval_sec; /* 0: no limit */
	unsigned long long exec_hash; /* argv + env + workdir + Type + WatchdogSec: a change means restart */
	/* Readiness (Type, TimeoutStartSec, WatchdogSec, RemainAfterExit). */
	unsigned char type;              /* enum cfg_type */
	unsigned char remain_after_exit; /* oneshot: stays active (exited) after exit 0 */
	unsigned int timeout_start_sec;  /* not ready by then: failed (0: no limit) */
	unsigned int watchdog_sec;       /* notify: WATCHDOG=1 at least this often (0: none) */
	/* Health check (HealthCmd and the rest; Docker's HEALTHCHECK). */
	const char *health_text;                /* HealthCmd as written; 0: no check */
	const char *const *health_argv;         /* HealthCmd split at build time */
	unsigned int health_interval_sec;       /* between checks once it has passed (30) */
	unsigned int health_start_interval_sec; /* between checks until one passed (1) */
	unsigned int health_timeout_sec;        /* a check running longer is killed, failed (30) */
	unsigned int health_retries;            /* failures in a row that make it unhealthy (3) */
	unsigned int health_start_period_sec;   /* failures in this time after start do not count (0) */
	unsigned char health_action;            /* enum cfg_health_action */
	/* Least privilege (User=, ..., Limit*=), applied in the child before
	 * exec, to the health check too (src/init/privs.c); 0 for a service
	 * that sets none: root, as init, umask 0022, init's limits. */
	const struct cfg_privs *privs;
	/* Containment (src/init/cgroup.c): limits of the service's own
	 * cgroup, written where the controller is available; 0: not set,
	 * CFG_LIMIT_INFINITY: "infinity" (the cgroup's "max"). */
	unsigned long long memory_max; /* MemoryMax=, bytes (memory.max) */
	unsigned long long tasks_max;  /* TasksMax= (pids.max) */
	unsigned short cpu_weight;     /* CPUWeight=, 1..10000 (cpu.weight) */
};

struct cfg_init {
	const char *service_dir;
	const char *log_dir;
	int unix_socket_enabled;
	const char *unix_socket_path;
	int vsock_enabled;
	unsigned int vsock_cid, vsock_port;
	unsigned long long max_log_size;
	int max_log_files;
	int heartbeat_enabled;
	unsigned int heartbeat_cid, heartbeat_port;
	const char *const *kernel_modules; /* loaded in order before the NSM driver; 0-terminated */
	const char *nsm_driver_path;       /* 0: do not load */
	int pivot_root;
	const char *pivot_root_dir;
	int loopback;                            /* enclave mode: bring lo up */
	unsigned int entropy_wait_sec;           /* the boot's services wait this long for the pool */
	const char *entropy_require_hwrng;       /* 0, or the rng_current without which no service starts */
	unsigned int entropy_credit_hwrng_bytes; /* of /dev/hwrng, credited to the pool before the wait */
	const char *notify_socket_path;          /* sd_notify datagrams (NOTIFY_SOCKET); 0 when no
					 * service is Type=notify */
	/* clock: (timesync.c); clock_source_kind CFG_CLOCK_OFF when absent */
	int clock_source_kind;        /* enum cfg_clock_source */
	const char *clock_source;     /* as written: "vsock:3:7300", "ptp:/dev/ptp0"; 0 when off */
	unsigned int clock_vsock_cid; /* vsock: the source's address */
	unsigned int clock_vsock_port;
	const char *clock_path;                   /* unix: the socket; ptp: the device */
	unsigned int clock_interval_sec;          /* between samples */
	unsigned int clock_max_rtt_ms;            /* a sample with a longer round trip is discarded */
	unsigned long long clock_max_step_ms;     /* no step larger, either way */
	unsigned long long clock_max_backward_ms; /* no step back larger; 0: never back */
	unsigned long long clock_slew_below_ms;   /* smaller offsets are slewed, not stepped */
	const char *cgroup_v2; /* where the cgroup2 hierarchy is (mounted there in a VM); 0: none */
};

/* Where init.yaml's clock.source points. */
enum cfg_clock_source {
	CFG_CLOCK_OFF = 0,
	CFG_CLOCK_VSOCK = 1, /* vsock:CID:PORT, `initctl time-serve` */
	CFG_CLOCK_UNIX = 2,  /* unix:PATH, the same frame over a Unix socket */
	CFG_CLOCK_PTP = 3,   /* ptp:PATH, a PTP clock device */
};

extern const struct cfg_init cfg_init;
extern const struct cfg_svc cfg_svc[CFG_NSVC_SLOTS];

/* The app slot. With `app.enabled` (init.yaml), the service table has one
 * slot more than cfg_svc[]: slot CFG_NSVC is the enclave image's /cmd and
 * /env, which exist only at boot. src/app.c fills app_cfg from them (argv,
 * environment, the command as text) and marks it enabled; until then the
 * slot is not there for any client (svc_present). At run time every table
 * is indexed over SVC_N slots and a slot's configuration is svc_cfg(i). */
#define SVC_N (CFG_NSVC + CFG_APP_SLOT)
#define SVC_SLOTS (SVC_N > 0 ? SVC_N : 1)
#define SVC_APP (CFG_APP_SLOT ? CFG_NSVC : -1) /* the app's index, or -1 */
extern struct cfg_svc app_cfg;

/* Not inlined: at some fifty uses in init the call is smaller than the
 * body (about 1 KiB of init); static, so that the compiler still sees
 * what it does. */
static __attribute__((noinline, unused)) const struct cfg_svc *svc_cfg(int i)
{
#if CFG_NSVC > 0 /* (without services, a test of i against 0 is a compiler warning) */
	if (i >= 0 && i < CFG_NSVC)
		return &cfg_svc[i];
#endif
	(void)i;
	return &app_cfg;
}

/* Whether slot i is there: a configured service, or an app that was loaded. */
static inline int svc_present(int i)
{
	return i < CFG_NSVC || app_cfg.argv != 0;
}
extern const char cfg_yaml[];
extern const char *const cfg_base_env[];
/* environment: + the default PATH */ /* the settings as YAML (services: printcfg.c) */

#endif
