/* boot.h: what init does first as PID 1 of an enclave (a VM).
 *
 * The steps of AWS's own bootstrap init, in its order, each switched by
 * init.yaml and each failure logged and survived: /dev and the console,
 * the NSM driver, the heartbeat to the parent, /cmd and /env, the switch
 * into the real root, then the filesystems a Linux userland expects; and
 * then what every enclave runtime adds: the loopback interface up.
 * Never run in a container or as a plain process: the host's mounts and
 * modules are not init's to touch there.
 */
#ifndef BOOT_H
#define BOOT_H

/* Run every enabled step. */
void boot_enclave(void);

/* The steps, for boot.c (and each in a file of its own). */
void mounts_early(void); /* devtmpfs on /dev; fds 0-2 on /dev/console */
void mounts_all(void);   /* /dev again, /proc, links, /run, /tmp, ... cgroups */
/* finit_module, then unlink; what names it in messages (MODLOAD_NSM,
 * MODLOAD_MODULE). */
#define MODLOAD_NSM "NSM driver"
#define MODLOAD_MODULE "kernel module"
void modload(const char *what, const char *path);
void heartbeat(unsigned cid, unsigned port);
int switchroot(const char *dir); /* 0, or -1 (logged; the root stays) */
void loopback_up(void);          /* IFF_UP on lo (loopback: true) */

#endif
