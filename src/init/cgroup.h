/* cgroup.h: containment, a cgroup (v2) per service.
 *
 * Where init.yaml's cgroup_v2 names a cgroup2 hierarchy (mounted there by
 * init in a VM; found already mounted elsewhere), each service runs in a
 * directory of its own, <hierarchy><init's own cgroup>/enclave-init/<name>:
 * its child moves in before exec, so whatever it forks, setsid or not,
 * is found there again by stop. Without it (null, no cgroup2, a path that
 * does not fit) every function here does nothing and services are what
 * they were: their process group. Nothing here waits: cgroup files are
 * read and written like /proc files, and a directory that is still busy
 * is removed later (cgroup_tidy).
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <stdint.h>

/* Find the hierarchy (vm: mount it when it is not there), make init's
 * directory and enable the controllers the services want; on reload
 * (the directories are there already) write the limits again. Logged;
 * never fails. */
void cgroup_setup(int vm);
/* Whether services get a cgroup. */
int cgroup_on(void);
/* Before service i's start: its directory, what an earlier run left there
 * killed, its limits written. Returns a descriptor on its cgroup.procs for
 * the child to write itself into (spawn.c), or -1 (not contained). */
int cgroup_prepare(int i);
/* Send sig to every process of service i (SIGKILL: cgroup.kill). Returns
 * how many were signalled (1 for cgroup.kill), 0 when none or no cgroup. */
int cgroup_signal(int i, int sig);
/* Whether any process is left in service i's cgroup. */
int cgroup_populated(int i);
/* Service i is down: remove its directory, or later if still busy. */
void cgroup_release(int i);
/* Retry the removals cgroup_release could not do yet. */
void cgroup_tidy(void);
/* init is exiting (not a VM): remove what it made. */
void cgroup_teardown(void);

/* A service's use, and which of it is known (PROTO_CG_* bits). */
struct cgroup_use {
	uint64_t memory;   /* memory.current, bytes */
	uint64_t cpu_usec; /* cpu.stat usage_usec */
	uint32_t tasks;    /* pids.current, else the threads in cgroup.threads */
	uint8_t flags;     /* PROTO_CG_*: what is known, which limits are not applied */
};
void cgroup_use(int i, struct cgroup_use *u);

#endif
