/* proto.h: the control protocol between initctl and init, all of it.
 *
 * Every message is one frame of exactly PROTO_FRAME_SIZE bytes, in both
 * directions, whatever the transport. Fields sit at fixed offsets in
 * network byte order and are packed one by one (never by writing a struct),
 * so the layout is the same on every compiler and architecture.
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
 *      records). An init that predates an operation answers PROTO_E_OP.
 *
 * `logs` is the one reply of unbounded length: LOG records carry the log's
 * bytes in order (lines may span records), then DONE; when following, the
 * LOG records go on as lines are written and DONE never comes. The peer
 * ends it by closing the connection.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x454e4954u   /* "ENIT" */
#define PROTO_VERSION 1
#define PROTO_FRAME_SIZE 1024

#define PROTO_OFF_MAGIC 0
#define PROTO_OFF_VERSION 4
#define PROTO_OFF_OP 6
#define PROTO_OFF_HASH 8
#define PROTO_OFF_STATUS 16
#define PROTO_OFF_FLAGS 18
#define PROTO_OFF_ARG0 20
#define PROTO_OFF_ARG1 24
#define PROTO_OFF_ARG2 28
#define PROTO_OFF_NAME 32
#define PROTO_NAME_SIZE 64
#define PROTO_OFF_TEXT 96
#define PROTO_TEXT_SIZE (PROTO_FRAME_SIZE - PROTO_OFF_TEXT)

_Static_assert(PROTO_OFF_NAME + PROTO_NAME_SIZE == PROTO_OFF_TEXT, "name then text");
_Static_assert(PROTO_TEXT_SIZE == 928, "text field size is part of the protocol");

#define PROTO_F_FINAL 0x0001u     /* last frame of a reply */
#define PROTO_F_KNOWN 0x0001u     /* every flag version 1 defines */

/* Requests. */
enum proto_op {
	PROTO_OP_PING = 1,
	PROTO_OP_LIST = 2,
	PROTO_OP_STATUS = 3,          /* name */
	PROTO_OP_START = 4,           /* name */
	PROTO_OP_STOP = 5,            /* name */
	PROTO_OP_RESTART = 6,         /* name */
	PROTO_OP_SYSTEM_STATUS = 7,
	PROTO_OP_SHUTDOWN = 8,
	PROTO_OP_REBOOT = 9,
	PROTO_OP_LOGS = 10,           /* name ("init" too); arg0 lines; arg1 PROTO_LOGS_* */
	PROTO_OP_LOGS_CLEAR = 11,     /* name */
	PROTO_OP_ENABLE = 12,         /* name; arg0 PROTO_ENABLE_NOW */
	PROTO_OP_DISABLE = 13,        /* name */
	PROTO_OP_RELOAD = 14,         /* re-exec init, handing the running state over */
	PROTO_OP_LOGS_STREAM = 15,    /* name ("init" too); arg0 CID, arg1 port to connect to;
				       * arg2 lines of backlog | PROTO_STREAM_FOLLOW */
	PROTO_OP_LOGS_STREAM_STOP = 16, /* name; arg1 port (0: every stream of that log) */
	PROTO_OP_PS_LIST = 17,        /* PS records, one per process, then DONE */
	PROTO_OP_PS_STATUS = 18,      /* arg0 pid: one PS record, TEXT (command line), DONE */
	PROTO_OP_PS_START = 19,       /* text: argv then env, see PROTO_PS_START_* below */
	PROTO_OP_PS_STOP = 20,        /* arg0 pid: SIGTERM */
	PROTO_OP_PS_KILL = 21,        /* arg0 pid, arg1 signal (1..64) */
	PROTO_OP_PS_RESTART = 22,     /* arg0 pid: restart the service whose main process it is */
	PROTO_OP_MAX = 22,
};

/* Control policy groups (init.yaml control.unix_allow / vsock_allow). */
#define PROTO_GROUP_READ 0x1u      /* ping, list, status, logs, logs-stream[-stop], system-status */
#define PROTO_GROUP_SERVICES 0x2u  /* start, stop, restart, enable, disable, reload, logs-clear */
#define PROTO_GROUP_PROCESSES 0x4u /* ps start/stop/kill/restart (ps list/status: read) */
#define PROTO_GROUP_SYSTEM 0x8u    /* shutdown, reboot */

#define PROTO_LOGS_FOLLOW 0x1u    /* logs: keep sending new lines */
#define PROTO_ENABLE_NOW 0x1u     /* enable: start it too */
#define PROTO_WAIT 0x1u           /* start/stop/restart arg1: answer when the state is reached */
#define PROTO_WAIT_MAX_SEC 86400  /* start/stop/restart arg2: seconds to wait, 1..this */
/* logs-stream: init connects out over AF_VSOCK to arg0:arg1 and writes the
 * log's raw lines ("[YYYY-MM-DD HH:MM:SS] text\n") there: first the last
 * (arg2 & PROTO_STREAM_LINES) lines, then, with PROTO_STREAM_FOLLOW, every
 * new line until logs-stream-stop or the peer closes; without it, init
 * closes the stream after the backlog. The DONE frame comes once the
 * connection is made (or has failed) and carries arg0 CID, arg1 port. */
/* ps start: the text field holds arg0 strings (the command and its
 * arguments) then arg1 strings (KEY=VALUE), each NUL-terminated, arg2 bytes
 * in all (at most PROTO_TEXT_SIZE); the rest of the field is zero. The DONE
 * frame comes once the exec has succeeded or failed; arg0 = the pid. */
#define PROTO_PS_MAX_ARGS 255
#define PROTO_SIG_MAX 64
#define PROTO_STREAM_FOLLOW 0x80000000u
#define PROTO_STREAM_LINES 0x7fffffffu

/* Reply records. */
enum proto_rec {
	PROTO_REC_DONE = 0x100,       /* final: status + message */
	PROTO_REC_SVC = 0x101,        /* one service, fields below */
	PROTO_REC_TEXT = 0x102,       /* arg0 = enum proto_key; text continues across frames */
	PROTO_REC_SYSTEM = 0x103,     /* system-status numbers, fields below */
	PROTO_REC_LOG = 0x104,        /* arg0 bytes of log in text (at most PROTO_TEXT_SIZE - 1) */
	PROTO_REC_PS = 0x105,         /* one process, fields below; name = its service or "" */
};

enum proto_status {
	PROTO_OK = 0,
	PROTO_E_FRAME = 1,            /* bad magic, field or size */
	PROTO_E_VERSION = 2,          /* protocol version not spoken */
	PROTO_E_CONFIG = 3,           /* configuration hash differs */
	PROTO_E_OP = 4,               /* unknown operation */
	PROTO_E_NOT_FOUND = 5,        /* no such service */
	PROTO_E_PERM = 6,             /* peer may not change state */
	PROTO_E_STATE = 7,            /* not possible in the current state */
	PROTO_E_BUSY = 8,             /* no client slot free, or shutting down */
	PROTO_E_FAILED = 9,           /* the operation itself failed */
};

/* Keys of PROTO_REC_TEXT records. */
enum proto_key {
	PROTO_KEY_COMMAND = 1,
	PROTO_KEY_WORKDIR = 2,
	PROTO_KEY_AFTER = 3,
	PROTO_KEY_REQUIRES = 4,
	PROTO_KEY_BEFORE = 5,
	PROTO_KEY_REQUIRED_BY = 6,
	PROTO_KEY_REASON = 7,         /* why the last start failed */
	PROTO_KEY_SERVICE_DIR = 8,
	PROTO_KEY_LOG_DIR = 9,
	PROTO_KEY_CMDLINE = 10,       /* ps status: the whole command line */
	PROTO_KEY_MAX = 10,
};

/* PROTO_REC_SVC fields (after the name). */
#define PROTO_SVC_STATE 96        /* u8 enum proto_svc_state */
#define PROTO_SVC_ENABLED 97      /* u8 */
#define PROTO_SVC_RESTART 98      /* u8 enum cfg_restart */
#define PROTO_SVC_EXIT_KIND 99    /* u8 enum proto_exit */
#define PROTO_SVC_PID 100         /* u32, 0 when not running */
#define PROTO_SVC_RESTARTS 104    /* u32 automatic restarts so far */
#define PROTO_SVC_EXIT_CODE 108   /* u32 exit status, or 128 + signal */
#define PROTO_SVC_EXIT_SIGNAL 112 /* u32 signal number when killed */
#define PROTO_SVC_RESTART_SEC 116 /* u32 */
#define PROTO_SVC_STOP_TIMEOUT 120 /* u32 seconds */
#define PROTO_SVC_SINCE 124       /* u32 seconds in the current state */
#define PROTO_SVC_LOG_DROPPED 128 /* u64 log lines that did not reach the file */
#define PROTO_SVC_EXEC_HASH 136   /* u64 what a change of restarts it (reload --dry-run) */

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
	PROTO_NSTATES = 7,
};

enum proto_exit {
	PROTO_EXIT_NONE = 0,          /* has not exited yet */
	PROTO_EXIT_CODE = 1,          /* exited with a status */
	PROTO_EXIT_SIGNAL = 2,        /* killed by a signal */
};

/* PROTO_REC_SYSTEM fields. */
#define PROTO_SYS_UPTIME 96       /* u64 seconds since init started */
#define PROTO_SYS_SERVICES 104    /* u32 */
#define PROTO_SYS_ENABLED 108     /* u32 */
#define PROTO_SYS_ACTIVE 112      /* u32 */
#define PROTO_SYS_PROCESSES 116   /* u32 */

/* PROTO_REC_PS fields. */
#define PROTO_PS_PID 96           /* u32 */
#define PROTO_PS_PPID 100         /* u32 */
#define PROTO_PS_STATE 104        /* u8 the /proc state letter (R S D Z T t X x K W P I); 0: ended */
#define PROTO_PS_MANAGED 105      /* u8 1: a service's main process */
#define PROTO_PS_KTHREAD 106      /* u8 1: a kernel thread (no command line) */
#define PROTO_PS_EXIT_KIND 107    /* u8 enum proto_exit: an ad-hoc process that has ended */
#define PROTO_PS_CPU 108          /* u32 CPU% x 100 over the process's lifetime */
#define PROTO_PS_RSS_KB 112       /* u64 VmRSS in KiB */
#define PROTO_PS_START 120        /* u64 start time, seconds since the epoch */
#define PROTO_PS_EXIT_CODE 128    /* u32 exit status, or the signal */
#define PROTO_PS_ADHOC 132        /* u8 1: started by ps start */
#define PROTO_PS_COMM 136         /* 16: the name (/proc/PID/stat), NUL-terminated */
#define PROTO_PS_CMD 152          /* the command line, spaces for NULs, cut to fit, NUL-terminated */
#define PROTO_PS_CMD_SIZE (PROTO_FRAME_SIZE - PROTO_PS_CMD)

/* Byte-order-explicit field access. */
void proto_put16(unsigned char *f, size_t off, uint16_t v);
void proto_put32(unsigned char *f, size_t off, uint32_t v);
void proto_put64(unsigned char *f, size_t off, uint64_t v);
uint16_t proto_get16(const unsigned char *f, size_t off);
uint32_t proto_get32(const unsigned char *f, size_t off);
uint64_t proto_get64(const unsigned char *f, size_t off);

/* Zero a frame and fill its header. */
void proto_init(unsigned char *f, uint16_t op, uint64_t hash);
/* Copy s into a fixed field, cutting it to fit; always NUL-terminated.
 * Returns the number of bytes of s stored. */
size_t proto_put_str(unsigned char *f, size_t off, size_t size, const char *s);
/* A fixed string field, or 0 when it is not NUL-terminated within size. */
const char *proto_get_str(const unsigned char *f, size_t off, size_t size);
/* Whether op names a service in its name field. */
int proto_op_has_name(unsigned op);
/* Whether name is a well-formed service name (what the generator allows). */
int proto_name_ok(const char *name);

/* Check a request frame; on failure returns the status to answer with and
 * points *why at a message. */
enum proto_status proto_check_request(const unsigned char *f, uint64_t hash, const char **why);
/* Check a reply frame the same way (initctl's side). */
enum proto_status proto_check_reply(const unsigned char *f, const char **why);

#endif
