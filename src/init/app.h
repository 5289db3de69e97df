/* app.h: the enclave image's own program, /cmd + /env, as a service.
 *
 * nitro-cli puts the container's command in /cmd (one argument per line)
 * and its environment in /env (KEY=VALUE per line) in the initramfs root.
 * AWS's init runs that command and powers off when it exits; here it is the
 * service slot SVC_APP (init.yaml `app:`), started after the configured
 * services, with exactly that environment. Both files are read once at boot
 * and unlinked, as AWS's init does; a copy under /run lets a reload (a new
 * exec of init, which cannot see the initramfs root any more) find them.
 */
#ifndef APP_H
#define APP_H

/* Read and unlink /cmd and /env (relative to the current root). Missing or
 * empty /cmd: no app. Returns 1 when the app slot was filled. */
int app_load(void);
/* The same from other paths (the unit tests). */
int app_load_files(const char *cmd_path, const char *env_path);
/* Keep a copy for a reload (once /run is mounted). */
void app_save(void);
/* A reload: fill the slot from that copy, if there is one. */
void app_restore(void);
/* The app has exited and will not restart: power off (app.poweroff_on_exit). */
void app_exited(void);

#endif
