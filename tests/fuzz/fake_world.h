/* fake_world.h: the processes, clock and system calls of init, faked for
 * the request fuzzer (fake_world.c). Nothing a fuzzed request does reaches
 * a real process, file or socket: spawns are pipes, signals land in a
 * table, files cannot be created, sockets are socketpairs. A worker runs
 * in this process at once, against a fake NSM that answers a document
 * (the request itself) when asked with a nonce, else an error. */
#ifndef FAKE_WORLD_H
#define FAKE_WORLD_H

#include <stdint.h>

/* What the next spawns do (set from the fuzzer's input). */
extern int fake_fork_fails;   /* fork fails with EAGAIN */
extern int fake_exec_fails;   /* the child reports a failed exec when it settles */
extern int fake_ignore_term;  /* SIGTERM does not end the fake process */
extern int fake_worker_hangs; /* a worker (an attestation request) never answers */
extern int64_t fake_now;      /* the monotonic clock, ms */

/* Forget every fake process (closing its pipe) and reset the clock. */
void fake_reset(void);
/* Let the pending execs settle: the write ends of their pipes close (after
 * a failure report when fake_exec_fails was set at the spawn). */
void fake_settle(void);
/* Processes that must exit now (signalled, or all when everyone is set):
 * calls reaped(pid, status) for each and forgets them. */
void fake_exits(int everyone, int status, int (*reaped)(int pid, int status));

#endif
