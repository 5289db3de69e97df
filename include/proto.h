/* proto.h: the control protocol between initctl and init, all of it.
 *
 * Every message is one frame of exactly PROTO_FRAME_SIZE bytes, in both
 * directions, whatever the transport. Fields sit at fixed offsets in
 * network byte order and are packed one by one (never by writing a struct),
 * so the layout is the same on every compiler and architecture. proto.c
 * alone does that: everyone else builds and reads the typed structs at the
 * end of this file. The header is below; each record's fields are listed
 * beside their offsets in src/common/proto_layout.h.
 *
 *   offset size  field
 *        0    4  magic    PROTO_MAGIC
 *        4    2  version  PROTO_VERSION
 *        6    2  op       request: enum proto_op; reply: enum proto_rec
 *        8    8  hash     configuration hash of the sender's build
 *       16    2  status   enum proto_status (requests: 0)
 *       18    2  flags    PROTO_F_*
 *       20    4  arg0     meaning depends on op / record
 *       24    4  arg1
 *       28    4  arg2
 *       32   64  name     NUL-terminated service name (requests, SVC records)
 *       96  928  text     NUL-terminated text (DONE and TEXT records)
 *
 * A request is one frame. Its reply is zero or more record frames followed
 * by exactly one PROTO_REC_DONE frame, which carries PROTO_F_FINAL, the
 * status and a human-readable message. A frame that fails validation gets
 * a DONE frame with an error status, and the connection is closed.
 *
 * Configuration hash: a request whose hash differs from init's gets
 * PROTO_E_CONFIG carrying init's hash. initctl then says so plainly and may
 * repeat the request with init's hash: every operation names services by
 * name, so it is safe, and nothing is ever misread by index.
 *
 * Version history (codes are never reused):
 *   1  enclave-init 0.1.0: ping, list, status, start, stop, restart,
 *      system-status, shutdown, reboot.
 *      Later additions, within version 1 because they only add: logs and
 *      logs-clear (ops 10, 11; LOG records; the dropped-lines field of SVC
 *      records); enable, disable, reload (ops 12-14), --wait on start,
 *      stop and restart (arg1, arg2), state 6 (waiting for dependencies),
 *      the exec-hash field of SVC records; logs-stream and
 *      logs-stream-stop (ops 15, 16); the ps operations (17-22, PS
 *      records); status's TEXT key 11 (a throttled restart: an older
 *      initctl skips keys it does not know); health, events, metrics
 *      (ops 23-25, HEALTH and EVENT records), TEXT keys 12 and 13, state 7
 *      (exited), and fields appended to SVC and SYSTEM records (an older
 *      init leaves them zero); attest (op 26, DOC records); ps start's
 *      user in the name field (empty before, and still for root: an
 *      older init refuses a name there as a bad frame, so nothing runs
 *      as root that was meant not to); shutdown's and reboot's drain
 *      and wait (arg0, arg1: an older init refuses them as a bad frame,
 *      so nothing is shut down other than as asked); a service's cgroup,
 *      memory, CPU and tasks appended to SVC records (zero from an older
 *      init: no cgroup, nothing shown). An init that predates an operation
 *      answers PROTO_E_OP.
 *
 * `logs` is the one reply of unbounded length: LOG records carry the log's
 * bytes in order (lines may span records), then DONE; when following, the
 * LOG records go on as lines are written and DONE never comes. The peer
 * ends it by closing the connection. `attest` streams its document the
 * same way, in DOC records, then DONE.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x454e4954u /* "ENIT" */
#define PROTO_VERSION 1
#define PROTO_FRAME_SIZE 1024
/* The sizes of the string fields (the offsets are proto.c's own,
 * src/common/proto_layout.h). */
#define PROTO_NAME_SIZE 64
#define PROTO_TEXT_SIZE 928
#define PROTO_PS_COMM_SIZE 16
#define PROTO_PS_CMD_SIZE 872

#define PROTO_F_FINAL 0x0001u /* last frame of a reply */
#define PROTO_F_KNOWN 0x0001u /* every flag version 1 defines */

/* Requests. */
enum proto_op {
	PROTO_OP_PING = 1,
	PROTO_OP_LIST = 2,
	PROTO_OP_STATUS = 3,  /* name */
	PROTO_OP_START = 4,   /* name */
	PROTO_OP_STOP = 5,    /* name */
	PROTO_OP_RESTART = 6, /* name */
	PROTO_OP_SYSTEM_STATUS = 7,
	PROTO_OP_SHUTDOWN = 8,          /* arg0 drain seconds; arg1 PROTO_WAIT (see "shutdown" below) */
	PROTO_OP_REBOOT = 9,            /* the same */
	PROTO_OP_LOGS = 10,             /* name ("init" too); arg0 lines; arg1 PROTO_LOGS_* */
	PROTO_OP_LOGS_CLEAR = 11,       /* name */
	PROTO_OP_ENABLE = 12,           /* name; arg0 PROTO_ENABLE_NOW */
	PROTO_OP_DISABLE = 13,          /* name */
	PROTO_OP_RELOAD = 14,           /* re-exec init, handing the running state over */
	PROTO_OP_LOGS_STREAM = 15,      /* name ("init" too); arg0 CID, arg1 port to connect to;
				       * arg2 lines of backlog | PROTO_STREAM_FOLLOW */
	PROTO_OP_LOGS_STREAM_STOP = 16, /* name; arg1 port (0: every stream of that log) */
	PROTO_OP_PS_LIST = 17,          /* PS records, one per process, then DONE */
	PROTO_OP_PS_STATUS = 18,        /* arg0 pid: one PS record, TEXT (command line), DONE */
	PROTO_OP_PS_START = 19,         /* name: user or ""; text: argv then env ("ps start" below) */
	PROTO_OP_PS_STOP = 20,          /* arg0 pid: SIGTERM */
	PROTO_OP_PS_KILL = 21,          /* arg0 pid, arg1 signal (1..64) */
	PROTO_OP_PS_RESTART = 22,       /* arg0 pid: restart the service whose main process it is */
	PROTO_OP_HEALTH = 23,           /* name or "": SYSTEM record (the aggregate), then per service
				       * (or the one named) its SVC record and HEALTH records */
	PROTO_OP_EVENTS = 24,           /* arg0:arg1 sequence number (high, low) with
				       * PROTO_EVENTS_SINCE in arg2; EVENT records, then (without
				       * PROTO_EVENTS_FOLLOW in arg2) DONE */
	PROTO_OP_METRICS = 25,          /* SYSTEM record, then an SVC record per service, then DONE */
	PROTO_OP_ATTEST = 26,           /* arg0 nonce bytes, arg1 user-data bytes, both in text: the
				       * NSM's attestation document in DOC records, then DONE */
	PROTO_OP_MAX = 26,
};

/* Control policy groups (init.yaml control.unix_allow / vsock_allow). */
#define PROTO_GROUP_READ \
	0x1u                       /* ping, list, status, logs, logs-stream[-stop], system-status,
				    * health, events, metrics, attest */
#define PROTO_GROUP_SERVICES 0x2u  /* start, stop, restart, enable, disable, reload, logs-clear */
#define PROTO_GROUP_PROCESSES 0x4u /* ps start/stop/kill/restart (ps list/status: read) */
#define PROTO_GROUP_SYSTEM 0x8u    /* shutdown, reboot */

#define PROTO_LOGS_FOLLOW 0x1u   /* logs: keep sending new lines */
#define PROTO_ENABLE_NOW 0x1u    /* enable: start it too */
#define PROTO_WAIT 0x1u          /* start/stop/restart arg1: answer when the state is reached */
#define PROTO_WAIT_MAX_SEC 86400 /* start/stop/restart arg2: seconds to wait, 1..this */
/* logs-stream: init connects out over AF_VSOCK to arg0:arg1 and writes the
 * log's raw lines ("[YYYY-MM-DD HH:MM:SS] text\n") there: first the last
 * (arg2 & PROTO_STREAM_LINES) lines, then, with PROTO_STREAM_FOLLOW, every
 * new line until logs-stream-stop or the peer closes; without it, init
 * closes the stream after the backlog. The DONE frame comes once the
 * connection is made (or has failed) and carries arg0 CID, arg1 port. */
/* shutdown, reboot: with a drain (arg0 seconds, at most
 * PROTO_WAIT_MAX_SEC), init first reports its health as stopping and
 * keeps the services running that long, then stops them. With PROTO_WAIT
 * in arg1 the DONE frame comes only at the very end: every service and
 * every other process down, the logs' last lines (init's own included)
 * handed to the active log streams, just before power-off; its message
 * says whether a stream was still behind. Both zero: today's shutdown,
 * answered at once. */
/* ps start: the text field holds arg0 strings (the command and its
 * arguments) then arg1 strings (KEY=VALUE), each NUL-terminated, arg2 bytes
 * in all (at most PROTO_TEXT_SIZE); the rest of the field is zero. The name
 * field holds the user to run it as (a name or a uid in digits, as
 * proto_name_ok allows), or "" for root. The DONE frame comes once the
 * exec has succeeded or failed; arg0 = the pid. */
/* events: arg2 bits. With SINCE, arg0:arg1 is the first sequence number
 * wanted (what the ring no longer holds is reported as one MISSED event);
 * without it, only events after the request. FOLLOW: keep sending. */
#define PROTO_EVENTS_SINCE 0x1u
#define PROTO_EVENTS_FOLLOW 0x2u
/* attest: the text field holds the nonce (arg0 bytes) then the user data
 * (arg1 bytes), the NSM's own limits, and together at most the field; the
 * rest of the field is zero. Either may be empty (the document then has
 * none). */
#define PROTO_ATTEST_NONCE_MAX 512
#define PROTO_ATTEST_USER_DATA_MAX 512
#define PROTO_PS_MAX_ARGS 255
#define PROTO_SIG_MAX 64
#define PROTO_STREAM_FOLLOW 0x80000000u
#define PROTO_STREAM_LINES 0x7fffffffu

/* Reply records. */
enum proto_rec {
	PROTO_REC_DONE = 0x100,   /* final: status + message */
	PROTO_REC_SVC = 0x101,    /* one service, fields below */
	PROTO_REC_TEXT = 0x102,   /* arg0 = enum proto_key; text continues across frames */
	PROTO_REC_SYSTEM = 0x103, /* system-status numbers, fields below */
	PROTO_REC_LOG = 0x104,    /* arg0 bytes of log in text (at most PROTO_TEXT_SIZE - 1) */
	PROTO_REC_PS = 0x105,     /* one process, fields below; name = its service or "" */
	PROTO_REC_HEALTH = 0x106, /* one result of a service's health check, fields below */
	PROTO_REC_EVENT = 0x107,  /* one event of the event ring, fields below */
	PROTO_REC_DOC = 0x108,    /* arg0 bytes of a document in text (1 .. PROTO_TEXT_SIZE - 1),
				   * arg1 the document's whole size, arg2 where these bytes sit in it */
	PROTO_REC_MAX = 0x108,
};

enum proto_status {
	PROTO_OK = 0,
	PROTO_E_FRAME = 1,     /* bad magic, field or size */
	PROTO_E_VERSION = 2,   /* protocol version not spoken */
	PROTO_E_CONFIG = 3,    /* configuration hash differs */
	PROTO_E_OP = 4,        /* unknown operation */
	PROTO_E_NOT_FOUND = 5, /* no such service */
	PROTO_E_PERM = 6,      /* peer may not change state */
	PROTO_E_STATE = 7,     /* not possible in the current state */
	PROTO_E_BUSY = 8,      /* no client slot free, or shutting down */
	PROTO_E_FAILED = 9,    /* the operation itself failed */
};

/* Keys of PROTO_REC_TEXT records. */
enum proto_key {
	PROTO_KEY_COMMAND = 1,
	PROTO_KEY_WORKDIR = 2,
	PROTO_KEY_AFTER = 3,
	PROTO_KEY_REQUIRES = 4,
	PROTO_KEY_BEFORE = 5,
	PROTO_KEY_REQUIRED_BY = 6,
	PROTO_KEY_REASON = 7, /* why the last start failed */
	PROTO_KEY_SERVICE_DIR = 8,
	PROTO_KEY_LOG_DIR = 9,
	PROTO_KEY_CMDLINE = 10,       /* ps status: the whole command line */
	PROTO_KEY_THROTTLE = 11,      /* status: its restart is held back by the crash-loop throttle */
	PROTO_KEY_NOTIFY_STATUS = 12, /* status: the service's last STATUS= (sd_notify) */
	PROTO_KEY_HEALTH_CMD = 13,    /* status: HealthCmd as written */
	PROTO_KEY_MAX = 13,
};

/* A service's state in SVC records: init's state machine (svc.h) uses
 * these values, so the wire and the machine cannot drift apart. */
enum proto_svc_state {
	PROTO_STATE_STOPPED = 0,      /* not running; starts only when asked */
	PROTO_STATE_STARTING = 1,     /* forked; exec not yet confirmed */
	PROTO_STATE_RUNNING = 2,      /* exec succeeded */
	PROTO_STATE_STOPPING = 3,     /* SIGTERM sent; SIGKILL at the deadline */
	PROTO_STATE_RESTART_WAIT = 4, /* exited; starts again after RestartSec */
	PROTO_STATE_FAILED = 5,       /* exited unsuccessfully; will not restart */
	PROTO_STATE_WAITING = 6,      /* waits for the services it comes after */
	PROTO_STATE_EXITED = 7,       /* Type=oneshot: exited 0, its job done (active with
				       * RemainAfterExit, else inactive) */
	PROTO_NSTATES = 8,
};

/* Type= (cfg_svc.type, SVC records). */
enum proto_svc_type {
	PROTO_TYPE_SIMPLE = 0,  /* running once the exec succeeded (with a health check: once it passed) */
	PROTO_TYPE_NOTIFY = 1,  /* running once it sent READY=1 (sd_notify) */
	PROTO_TYPE_ONESHOT = 2, /* done once it exited 0 */
};

/* A service's health (SVC records, EVENT records). */
enum proto_health {
	PROTO_HEALTH_NONE = 0,     /* no health check, or not running */
	PROTO_HEALTH_STARTING = 1, /* no check has passed since its start */
	PROTO_HEALTH_HEALTHY = 2,
	PROTO_HEALTH_UNHEALTHY = 3, /* HealthRetries checks in a row failed */
};

/* The enclave's health (SYSTEM records, EVENT records of no service). */
enum proto_sys_health {
	PROTO_SYS_STARTING = 1,  /* something enabled is still on its way up */
	PROTO_SYS_HEALTHY = 2,   /* every enabled service is running, ready and healthy */
	PROTO_SYS_DEGRADED = 3,  /* some enabled service is failed, down or unhealthy */
	PROTO_SYS_UNHEALTHY = 4, /* the app, or every enabled service, is failed, down or unhealthy */
	PROTO_SYS_STOPPING = 5,  /* shutting down, rebooting */
};

/* The wall clock's source (SYSTEM records; init's timesync.c): how the
 * last attempt went. */
enum proto_clock {
	PROTO_CLOCK_UNKNOWN = 0,     /* an older init */
	PROTO_CLOCK_OFF = 1,         /* no clock.source */
	PROTO_CLOCK_WAITING = 2,     /* no sample yet */
	PROTO_CLOCK_SYNCED = 3,      /* the offset was corrected, or was within the noise */
	PROTO_CLOCK_BOUNDED = 4,     /* corrected only in part: a bound held (max_step...) */
	PROTO_CLOCK_UNREACHABLE = 5, /* no connection, or the device did not open */
	PROTO_CLOCK_REJECTED = 6,    /* an answer refused: malformed, late, wrong nonce */
	PROTO_CLOCK_FAILED = 7,      /* the clock could not be set (no CAP_SYS_TIME) */
};

/* Whether the boot's services waited for the random pool (SYSTEM records;
 * init's entropy.c). */
enum proto_entropy {
	PROTO_ENTROPY_UNKNOWN = 0, /* an older init, or not known since a reload */
	PROTO_ENTROPY_WAITING = 1, /* the services wait for the pool */
	PROTO_ENTROPY_READY = 2,   /* the pool was ready when they started */
	PROTO_ENTROPY_GAVE_UP = 3, /* they started after entropy.wait_sec without it */
	PROTO_ENTROPY_REFUSED = 4, /* entropy.require_hwrng not met: none started */
};

/* What an EVENT record reports. */
enum proto_event_kind {
	PROTO_EVENT_STATE = 1,    /* from -> to: enum proto_svc_state */
	PROTO_EVENT_READY = 2,    /* it became ready (READY=1, its first passing check, exec) */
	PROTO_EVENT_HEALTH = 3,   /* from -> to: enum proto_health; code: the check's exit status */
	PROTO_EVENT_RESTART = 4,  /* an automatic restart; code: restarts so far */
	PROTO_EVENT_WATCHDOG = 5, /* WatchdogSec passed without WATCHDOG=1 */
	PROTO_EVENT_SYSTEM = 6,   /* from -> to: enum proto_sys_health; name "" */
	PROTO_EVENT_MISSED = 7,   /* missed events the ring no longer holds; seq: the first */
	PROTO_EVENT_EXIT = 8,     /* its main process ended; code: exit status, or 128 + signal */
};

enum proto_exit {
	PROTO_EXIT_NONE = 0,   /* has not exited yet */
	PROTO_EXIT_CODE = 1,   /* exited with a status */
	PROTO_EXIT_SIGNAL = 2, /* killed by a signal */
};

/* What each request carries besides its op; proto.c checks a request
 * against its op's shape and decodes it into struct proto_req. Every field
 * a shape does not name must be zero, so that a later version can give
 * those bytes a meaning without ambiguity. */
enum proto_shape {
	PROTO_SHAPE_NONE = 0,    /* nothing */
	PROTO_SHAPE_NAME,        /* name */
	PROTO_SHAPE_WAIT,        /* name; arg1 PROTO_WAIT, arg2 seconds (or both 0) */
	PROTO_SHAPE_ENABLE,      /* name; arg0 PROTO_ENABLE_NOW */
	PROTO_SHAPE_LOGS,        /* name; arg0 lines; arg1 PROTO_LOGS_FOLLOW */
	PROTO_SHAPE_STREAM,      /* name; arg0 CID, arg1 port (neither 0 nor -1);
				       * arg2 lines | PROTO_STREAM_FOLLOW */
	PROTO_SHAPE_STREAM_STOP, /* name; arg1 port */
	PROTO_SHAPE_PID,         /* arg0 pid (any value: init says what is wrong with it) */
	PROTO_SHAPE_PID_SIGNAL,  /* arg0 pid, arg1 signal 1..PROTO_SIG_MAX */
	PROTO_SHAPE_PS_START,    /* name: user or ""; arg0 argc 1..255, arg1 envc 0..255, arg2 bytes; text */
	PROTO_SHAPE_OPT_NAME,    /* name, or "" for none */
	PROTO_SHAPE_EVENTS,      /* arg0:arg1 sequence number; arg2 PROTO_EVENTS_* */
	PROTO_SHAPE_ATTEST,      /* arg0 nonce bytes, arg1 user-data bytes; text */
	PROTO_SHAPE_SHUTDOWN,    /* arg0 drain seconds 0..PROTO_WAIT_MAX_SEC; arg1 PROTO_WAIT or 0 */
};

/* The shape of every operation: a new operation of a known shape is one
 * line here (proto.c has the table: `= PROTO_OP_SHAPES;`). */
#define PROTO_OP_SHAPES                                                                                       \
	{                                                                                                     \
		[PROTO_OP_PING] = PROTO_SHAPE_NONE, [PROTO_OP_LIST] = PROTO_SHAPE_NONE,                       \
		[PROTO_OP_STATUS] = PROTO_SHAPE_NAME, [PROTO_OP_START] = PROTO_SHAPE_WAIT,                    \
		[PROTO_OP_STOP] = PROTO_SHAPE_WAIT, [PROTO_OP_RESTART] = PROTO_SHAPE_WAIT,                    \
		[PROTO_OP_SYSTEM_STATUS] = PROTO_SHAPE_NONE, [PROTO_OP_SHUTDOWN] = PROTO_SHAPE_SHUTDOWN,      \
		[PROTO_OP_REBOOT] = PROTO_SHAPE_SHUTDOWN, [PROTO_OP_LOGS] = PROTO_SHAPE_LOGS,                 \
		[PROTO_OP_LOGS_CLEAR] = PROTO_SHAPE_NAME, [PROTO_OP_ENABLE] = PROTO_SHAPE_ENABLE,             \
		[PROTO_OP_DISABLE] = PROTO_SHAPE_NAME, [PROTO_OP_RELOAD] = PROTO_SHAPE_NONE,                  \
		[PROTO_OP_LOGS_STREAM] = PROTO_SHAPE_STREAM,                                                  \
		[PROTO_OP_LOGS_STREAM_STOP] = PROTO_SHAPE_STREAM_STOP, [PROTO_OP_PS_LIST] = PROTO_SHAPE_NONE, \
		[PROTO_OP_PS_STATUS] = PROTO_SHAPE_PID, [PROTO_OP_PS_START] = PROTO_SHAPE_PS_START,           \
		[PROTO_OP_PS_STOP] = PROTO_SHAPE_PID, [PROTO_OP_PS_KILL] = PROTO_SHAPE_PID_SIGNAL,            \
		[PROTO_OP_PS_RESTART] = PROTO_SHAPE_PID, [PROTO_OP_HEALTH] = PROTO_SHAPE_OPT_NAME,            \
		[PROTO_OP_EVENTS] = PROTO_SHAPE_EVENTS, [PROTO_OP_METRICS] = PROTO_SHAPE_NONE,                \
		[PROTO_OP_ATTEST] = PROTO_SHAPE_ATTEST,                                                       \
	}

/* A request, as initctl builds it and init decodes it. Only the fields of
 * its op's shape mean anything; the others are zero. */
struct proto_req {
	unsigned op;         /* enum proto_op */
	const char *name;    /* the service (logs: or "init"; ps start: the user); 0 or "" when none.
				       * Decoded: points into the frame */
	uint32_t lines;      /* logs, logs-stream: lines of backlog */
	int follow;          /* logs, logs-stream: go on with new lines */
	int wait;            /* start, stop, restart: answer once the state is reached */
	uint32_t wait_sec;   /* with wait: give up after 1..PROTO_WAIT_MAX_SEC seconds */
	int now;             /* enable: start it too */
	uint32_t cid, port;  /* logs-stream: where init connects to;
				       * logs-stream-stop: port (0: every stream of the log) */
	int32_t pid;         /* ps status, stop, kill, restart */
	uint32_t signal;     /* ps kill: 1..PROTO_SIG_MAX */
	uint32_t argc, envc; /* ps start: the command's strings, then KEY=VALUE ones */
	const void *text;    /* ps start: those strings, each NUL-terminated */
	uint32_t len;        /* ps start: their bytes, 1..PROTO_TEXT_SIZE */
	uint64_t since;      /* events: the first sequence number wanted (with since_set) */
	int since_set;       /* events: --since was given */
	const void *nonce;   /* attest: nonce_len bytes (decoded: in the frame) */
	const void *user_data;
	uint32_t nonce_len, user_data_len;
	/* Decoded only: the header as it came, for the messages of
	 * PROTO_E_VERSION and PROTO_E_CONFIG. */
	unsigned version;
	uint64_t hash;
	/* Later additions: */
	uint32_t drain_sec; /* shutdown, reboot: seconds of drain before the services stop */
};

/* PROTO_REC_DONE: the last frame of every reply. */
struct proto_done {
	uint16_t status; /* enum proto_status */
	union {
		uint32_t pid; /* ps start: the process started */
		struct {
			uint32_t cid, port; /* logs-stream: where the stream goes */
		};
	};
	const char *msg; /* decoded: points into the frame */
	uint64_t hash;   /* decoded: the sender's configuration hash */
};

/* PROTO_REC_SVC: one service. */
struct proto_svc {
	char name[PROTO_NAME_SIZE];
	uint8_t state; /* enum proto_svc_state */
	uint8_t enabled;
	uint8_t restart;      /* enum cfg_restart */
	uint8_t exit_kind;    /* enum proto_exit */
	uint32_t pid;         /* 0 when not running */
	uint32_t restarts;    /* automatic restarts so far */
	uint32_t exit_code;   /* exit status, or 128 + signal */
	uint32_t exit_signal; /* signal number when killed */
	uint32_t restart_sec;
	uint32_t stop_timeout; /* seconds */
	uint32_t since;        /* seconds in the current state */
	uint64_t log_dropped;  /* log lines that did not reach the file */
	uint64_t exec_hash;    /* what a change of restarts it (reload --dry-run) */
	/* Later additions (zero from an older init): */
	uint8_t type;             /* enum proto_svc_type */
	uint8_t ready;            /* 1: running and ready (READY=1, a passing check, or exec) */
	uint8_t health;           /* enum proto_health */
	uint8_t health_action;    /* 0 none, 1 restart */
	uint64_t start_time;      /* epoch seconds of its last start, 0 when never */
	uint64_t log_bytes;       /* bytes written to its log since init started */
	uint32_t health_failures; /* failed checks in a row */
	uint32_t watchdog_sec;    /* WatchdogSec, 0: none */
	uint32_t timeout_start;   /* TimeoutStartSec, 0: none */
	uint32_t health_interval; /* HealthIntervalSec, 0: no check */
	uint64_t log_lines;       /* lines written to its log since init started */
	uint8_t remain;           /* RemainAfterExit: an exited oneshot stays active */
	/* Containment (a cgroup v2 per service): */
	uint8_t cgroup;        /* PROTO_CG_* bits: what is known, which limits are not applied */
	uint64_t memory_bytes; /* memory.current (PROTO_CG_MEMORY) */
	uint64_t cpu_usec;     /* cpu.stat usage_usec (PROTO_CG_CPU) */
	uint32_t tasks;        /* pids.current, or the threads listed (PROTO_CG_TASKS) */
};

/* proto_svc.cgroup: the service has a cgroup of its own, which of its use
 * is known, and the limits it sets that could not be applied (no such
 * controller in cgroup v2, or the kernel refused the value). */
#define PROTO_CG_CONTAINED 0x01
#define PROTO_CG_MEMORY 0x02
#define PROTO_CG_CPU 0x04
#define PROTO_CG_TASKS 0x08
#define PROTO_CG_NO_MEMORY_MAX 0x10
#define PROTO_CG_NO_CPU_WEIGHT 0x20
#define PROTO_CG_NO_TASKS_MAX 0x40

/* PROTO_REC_TEXT: a piece of one text; the pieces of a key come in order. */
struct proto_text {
	uint32_t key;     /* enum proto_key */
	const char *text; /* encoded: len bytes; decoded: NUL-terminated, in the frame */
	size_t len;
};

/* PROTO_REC_SYSTEM: system-status numbers. */
struct proto_system {
	uint64_t uptime; /* seconds since init started */
	uint32_t services, enabled, active, processes;
	/* Later additions (zero from an older init): */
	uint8_t health;              /* enum proto_sys_health */
	uint32_t fds;                /* init's open descriptors */
	uint32_t clients;            /* control connections open now */
	uint64_t rss_kb;             /* init's VmRSS */
	uint64_t boot_time;          /* epoch seconds when init started */
	uint64_t requests;           /* control requests answered since init started */
	uint64_t notify_accepted;    /* sd_notify datagrams taken */
	uint64_t notify_rejected;    /* ... ignored: a stranger's, or malformed */
	uint64_t health_checks;      /* health checks run */
	uint64_t events;             /* the next event's sequence number */
	uint64_t restarts;           /* automatic restarts, all services */
	uint8_t entropy;             /* enum proto_entropy */
	uint32_t entropy_wait_ms;    /* how long the boot's services waited for the pool */
	uint32_t hwrng_credited;     /* bytes of the hardware RNG credited to the pool */
	char hwrng[PROTO_NAME_SIZE]; /* the hardware RNG in use (rng_current), "" when none */
	uint8_t clock;               /* enum proto_clock */
	int64_t clock_offset_us;     /* the last sample's offset: + the source is ahead */
	uint32_t clock_rtt_us;       /* ... and its round trip */
	uint32_t clock_adjustments;  /* steps and slews made */
	uint64_t clock_adjusted_us;  /* their sizes, added up (absolute) */
	uint64_t clock_last_sync;    /* epoch seconds of the last sample taken */
	uint32_t clock_refused;      /* answers refused (malformed, late, wrong nonce) */
	char clock_source[48];       /* clock.source as written, "" when off */
};

/* PROTO_REC_HEALTH: one result of a health check, newest first. */
#define PROTO_HEALTH_OUT_SIZE 128
struct proto_health_rec {
	char name[PROTO_NAME_SIZE];
	uint64_t time_ms;                   /* epoch milliseconds when the check started */
	uint32_t duration_ms;               /* how long it ran */
	uint32_t exit_code;                 /* exit status, or 128 + signal */
	uint8_t timed_out;                  /* 1: killed at HealthTimeoutSec */
	uint8_t passed;                     /* 1: exit status 0 within the time */
	char output[PROTO_HEALTH_OUT_SIZE]; /* the first line of its output, cut to fit */
};

/* PROTO_REC_EVENT: one event. */
struct proto_event {
	char name[PROTO_NAME_SIZE]; /* the service, or "" (the enclave: SYSTEM, MISSED) */
	uint64_t seq;               /* sequence number, 1 upwards, one per event */
	uint64_t time_ms;           /* epoch milliseconds */
	uint8_t kind;               /* enum proto_event_kind */
	uint8_t from, to;           /* STATE, HEALTH, SYSTEM: before and after */
	uint32_t code;              /* HEALTH, EXIT: exit status; RESTART: restarts so far */
	uint64_t missed;            /* MISSED: how many */
};

/* PROTO_REC_LOG: bytes of a log, as they are (lines may span records). */
struct proto_log {
	const char *bytes; /* decoded: points into the frame */
	size_t len;
};

/* PROTO_REC_DOC: a piece of a binary document (attest), in order. */
struct proto_doc {
	const void *bytes; /* decoded: points into the frame */
	uint32_t len;      /* bytes here */
	uint32_t total;    /* the whole document's size */
	uint32_t off;      /* where these bytes sit in it */
};

/* PROTO_REC_PS: one process. */
struct proto_ps {
	char name[PROTO_NAME_SIZE]; /* its service, or "" */
	uint32_t pid, ppid;
	uint8_t state;                 /* the /proc state letter (R S D Z T t X x K W P I); 0: ended */
	uint8_t managed;               /* 1: a service's main process */
	uint8_t kthread;               /* 1: a kernel thread (no command line) */
	uint8_t exit_kind;             /* enum proto_exit: an ad-hoc process that has ended */
	uint8_t adhoc;                 /* 1: started by ps start */
	uint32_t cpu_x100;             /* CPU% x 100 over the process's lifetime */
	uint64_t rss_kb;               /* VmRSS in KiB */
	uint64_t start;                /* start time, seconds since the epoch */
	uint32_t exit_code;            /* exit status, or the signal */
	char comm[PROTO_PS_COMM_SIZE]; /* the name (/proc/PID/stat) */
	char cmd[PROTO_PS_CMD_SIZE];   /* the command line, spaces for NULs, cut to fit */
};

/* Whether name is a well-formed service name (what the generator allows). */
int proto_name_ok(const char *name);

/* Encode a request (initctl). Strings are cut to fit. */
void proto_pack_request(unsigned char *f, uint64_t hash, const struct proto_req *rq);
/* Check a request frame and decode it (init): PROTO_OK, or the status to
 * answer with and *why pointing at a message. rq->version and rq->hash
 * are set whatever the outcome; the rest means something only on PROTO_OK. */
enum proto_status proto_unpack_request(const unsigned char *f, uint64_t hash, struct proto_req *rq,
				       const char **why);
/* Check a reply frame the same way (initctl's side). Only a frame that
 * passed may be given to the proto_unpack_* functions below. */
enum proto_status proto_check_reply(const unsigned char *f, const char **why);

/* Each record, encoded into f (a whole frame, header included) and
 * decoded from a checked one. Decoding returns -1 when f is a record of
 * another type, so a reader tries the ones it expects. Strings are cut to
 * fit when encoded and always NUL-terminated when decoded. */
void proto_pack_done(unsigned char *f, uint64_t hash, const struct proto_done *d);
int proto_unpack_done(const unsigned char *f, struct proto_done *d);
void proto_pack_svc(unsigned char *f, uint64_t hash, const struct proto_svc *s);
int proto_unpack_svc(const unsigned char *f, struct proto_svc *s);
/* TEXT and LOG records hold at most PROTO_TEXT_SIZE - 1 bytes: their
 * pack returns how many of len it took. */
size_t proto_pack_text(unsigned char *f, uint64_t hash, const struct proto_text *t);
int proto_unpack_text(const unsigned char *f, struct proto_text *t);
void proto_pack_system(unsigned char *f, uint64_t hash, const struct proto_system *s);
int proto_unpack_system(const unsigned char *f, struct proto_system *s);
size_t proto_pack_log(unsigned char *f, uint64_t hash, const struct proto_log *l);
int proto_unpack_log(const unsigned char *f, struct proto_log *l);
void proto_pack_ps(unsigned char *f, uint64_t hash, const struct proto_ps *p);
int proto_unpack_ps(const unsigned char *f, struct proto_ps *p);
void proto_pack_health(unsigned char *f, uint64_t hash, const struct proto_health_rec *h);
int proto_unpack_health(const unsigned char *f, struct proto_health_rec *h);
void proto_pack_event(unsigned char *f, uint64_t hash, const struct proto_event *e);
int proto_unpack_event(const unsigned char *f, struct proto_event *e);
/* DOC records hold at most PROTO_TEXT_SIZE - 1 bytes: pack returns how
 * many of d->len it took. Decoding also checks off + len <= total. */
size_t proto_pack_doc(unsigned char *f, uint64_t hash, const struct proto_doc *d);
int proto_unpack_doc(const unsigned char *f, struct proto_doc *d);

#endif
