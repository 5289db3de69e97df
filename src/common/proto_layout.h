/* proto_layout.h: where each field of a frame sits, for proto.c alone.
 *
 * The header of every frame is drawn in include/proto.h; the fields of
 * each record follow it here, beside their offsets (big-endian numbers,
 * NUL-terminated strings). Nothing outside src/common reads a frame by
 * offset: init and initctl go through proto.c's pack and unpack functions
 * (the unit test of proto.c includes this file to check the bytes).
 */
#ifndef PROTO_LAYOUT_H
#define PROTO_LAYOUT_H

#include "proto.h"

/* The header (include/proto.h draws it). */
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
#define PROTO_OFF_TEXT 96

_Static_assert(PROTO_OFF_NAME + PROTO_NAME_SIZE == PROTO_OFF_TEXT, "name then text");
_Static_assert(PROTO_OFF_TEXT + PROTO_TEXT_SIZE == PROTO_FRAME_SIZE, "text to the end");
_Static_assert(PROTO_TEXT_SIZE == 928, "text field size is part of the protocol");

/* Requests: arg0, arg1, arg2 and text as enum proto_shape says; DONE:
 * arg0 the pid (ps start) or the CID (logs-stream), arg1 the port
 * (logs-stream), text the message; TEXT: arg0 the key, text a piece;
 * LOG: arg0 the bytes in text.
 * DOC: arg0 the bytes in text, arg1 the document's size, arg2 their offset. */

/* PROTO_REC_SVC fields (after the name). */
#define PROTO_SVC_STATE 96            /* u8 enum proto_svc_state */
#define PROTO_SVC_ENABLED 97          /* u8 */
#define PROTO_SVC_RESTART 98          /* u8 enum cfg_restart */
#define PROTO_SVC_EXIT_KIND 99        /* u8 enum proto_exit */
#define PROTO_SVC_PID 100             /* u32, 0 when not running */
#define PROTO_SVC_RESTARTS 104        /* u32 automatic restarts so far */
#define PROTO_SVC_EXIT_CODE 108       /* u32 exit status, or 128 + signal */
#define PROTO_SVC_EXIT_SIGNAL 112     /* u32 signal number when killed */
#define PROTO_SVC_RESTART_SEC 116     /* u32 */
#define PROTO_SVC_STOP_TIMEOUT 120    /* u32 seconds */
#define PROTO_SVC_SINCE 124           /* u32 seconds in the current state */
#define PROTO_SVC_LOG_DROPPED 128     /* u64 log lines that did not reach the file */
#define PROTO_SVC_EXEC_HASH 136       /* u64 what a change of restarts it (reload --dry-run) */
#define PROTO_SVC_TYPE 144            /* u8 enum proto_svc_type */
#define PROTO_SVC_READY 145           /* u8 1: running and ready */
#define PROTO_SVC_HEALTH 146          /* u8 enum proto_health */
#define PROTO_SVC_HEALTH_ACTION 147   /* u8 0 none, 1 restart */
#define PROTO_SVC_START_TIME 148      /* u64 epoch seconds of its last start */
#define PROTO_SVC_LOG_BYTES 156       /* u64 bytes written to its log */
#define PROTO_SVC_HEALTH_FAILURES 164 /* u32 failed checks in a row */
#define PROTO_SVC_WATCHDOG_SEC 168    /* u32 */
#define PROTO_SVC_TIMEOUT_START 172   /* u32 seconds, 0: none */
#define PROTO_SVC_HEALTH_INTERVAL 176 /* u32 seconds, 0: no health check */
#define PROTO_SVC_LOG_LINES 180       /* u64 lines written to its log */
#define PROTO_SVC_REMAIN 188          /* u8 RemainAfterExit */
#define PROTO_SVC_CGROUP 189          /* u8 PROTO_CG_* */
#define PROTO_SVC_MEMORY 192          /* u64 memory.current, bytes */
#define PROTO_SVC_CPU_USEC 200        /* u64 cpu.stat usage_usec */
#define PROTO_SVC_TASKS 208           /* u32 tasks in its cgroup */

/* PROTO_REC_SYSTEM fields. */
#define PROTO_SYS_UPTIME 96           /* u64 seconds since init started */
#define PROTO_SYS_SERVICES 104        /* u32 */
#define PROTO_SYS_ENABLED 108         /* u32 */
#define PROTO_SYS_ACTIVE 112          /* u32 */
#define PROTO_SYS_PROCESSES 116       /* u32 */
#define PROTO_SYS_HEALTH 120          /* u8 enum proto_sys_health */
#define PROTO_SYS_FDS 124             /* u32 init's open descriptors */
#define PROTO_SYS_CLIENTS 128         /* u32 control connections open */
#define PROTO_SYS_RSS_KB 132          /* u64 init's VmRSS */
#define PROTO_SYS_BOOT_TIME 140       /* u64 epoch seconds when init started */
#define PROTO_SYS_REQUESTS 148        /* u64 requests answered */
#define PROTO_SYS_NOTIFY_ACCEPTED 156 /* u64 */
#define PROTO_SYS_NOTIFY_REJECTED 164 /* u64 */
#define PROTO_SYS_HEALTH_CHECKS 172   /* u64 */
#define PROTO_SYS_EVENTS 180          /* u64 the next event's sequence number */
#define PROTO_SYS_RESTARTS 188        /* u64 automatic restarts */
#define PROTO_SYS_ENTROPY 196         /* u8 enum proto_entropy */
#define PROTO_SYS_ENTROPY_WAIT_MS 200 /* u32 */
#define PROTO_SYS_HWRNG_CREDITED 204  /* u32 */
#define PROTO_SYS_HWRNG 32            /* the name field: rng_current */
/* The clock's (timesync.c), further on, leaving room for others between. */
#define PROTO_SYS_CLOCK 320             /* u8 enum proto_clock */
#define PROTO_SYS_CLOCK_OFFSET_US 324   /* i64 two's complement */
#define PROTO_SYS_CLOCK_RTT_US 332      /* u32 */
#define PROTO_SYS_CLOCK_ADJUSTMENTS 336 /* u32 */
#define PROTO_SYS_CLOCK_ADJUSTED_US 340 /* u64 */
#define PROTO_SYS_CLOCK_LAST_SYNC 348   /* u64 epoch seconds */
#define PROTO_SYS_CLOCK_REFUSED 356     /* u32 */
#define PROTO_SYS_CLOCK_SOURCE 360      /* 48 bytes, NUL-terminated */

/* PROTO_REC_HEALTH fields (after the name). */
#define PROTO_HEALTH_TIME 96       /* u64 epoch ms when the check started */
#define PROTO_HEALTH_DURATION 104  /* u32 ms */
#define PROTO_HEALTH_EXIT_CODE 108 /* u32 exit status, or 128 + signal */
#define PROTO_HEALTH_TIMED_OUT 112 /* u8 */
#define PROTO_HEALTH_PASSED 113    /* u8 */
#define PROTO_HEALTH_OUTPUT 128    /* PROTO_HEALTH_OUT_SIZE: first line of output, NUL-terminated */

/* PROTO_REC_EVENT fields (after the name). */
#define PROTO_EVENT_SEQ 96     /* u64 */
#define PROTO_EVENT_TIME 104   /* u64 epoch ms */
#define PROTO_EVENT_KIND 112   /* u8 enum proto_event_kind */
#define PROTO_EVENT_FROM 113   /* u8 */
#define PROTO_EVENT_TO 114     /* u8 */
#define PROTO_EVENT_CODE 116   /* u32 */
#define PROTO_EVENT_MISSED 120 /* u64 */

/* PROTO_REC_PS fields. */
#define PROTO_PS_PID 96        /* u32 */
#define PROTO_PS_PPID 100      /* u32 */
#define PROTO_PS_STATE 104     /* u8 the /proc state letter (R S D Z T t X x K W P I); 0: ended */
#define PROTO_PS_MANAGED 105   /* u8 1: a service's main process */
#define PROTO_PS_KTHREAD 106   /* u8 1: a kernel thread (no command line) */
#define PROTO_PS_EXIT_KIND 107 /* u8 enum proto_exit: an ad-hoc process that has ended */
#define PROTO_PS_CPU 108       /* u32 CPU% x 100 over the process's lifetime */
#define PROTO_PS_RSS_KB 112    /* u64 VmRSS in KiB */
#define PROTO_PS_START 120     /* u64 start time, seconds since the epoch */
#define PROTO_PS_EXIT_CODE 128 /* u32 exit status, or the signal */
#define PROTO_PS_ADHOC 132     /* u8 1: started by ps start */
#define PROTO_PS_COMM 136      /* 16: the name (/proc/PID/stat), NUL-terminated */
#define PROTO_PS_CMD 152       /* the command line, spaces for NULs, cut to fit, NUL-terminated */

_Static_assert(PROTO_PS_COMM + PROTO_PS_COMM_SIZE == PROTO_PS_CMD, "comm then cmd");
_Static_assert(PROTO_PS_CMD + PROTO_PS_CMD_SIZE == PROTO_FRAME_SIZE, "cmd to the end");

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

#endif
