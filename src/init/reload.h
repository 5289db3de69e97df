/* reload.h: `initctl reload` and SIGHUP: init re-executes itself.
 *
 * The binary at init's own path (a newly installed build, perhaps, with
 * other tables) replaces the running one in the same process, so every
 * service stays its child. The running state crosses the exec in a memory
 * file: a magic, a format version, the old configuration hash, the records
 * and a checksum. The new init matches services by name: unchanged ones are
 * adopted as they are (same PID, counters, enabled state, log pipe), changed
 * ones restarted, removed ones stopped, new ones started if enabled. If the
 * state cannot be read, it adopts its children by command line instead.
 */
#ifndef RELOAD_H
#define RELOAD_H

#include <stddef.h>
#include <stdint.h>

/* The path init was started by: used when /proc/self/exe cannot be read. */
void reload_set_argv0(const char *path);
/* Ask for a reload at the end of this loop pass; msg gets the answer.
 * Returns 0, or -1 when it cannot be done now (shutting down). */
int reload_request(const char *who, char *msg, size_t cap);
/* Carry out a requested reload (from the loop, once replies are out).
 * Returns only if the exec failed (logged; init goes on as before). */
void reload_run_pending(void);
/* New side, before anything is opened: read the state handed over in fd.
 * Returns 0 when it is usable; otherwise every inherited descriptor is
 * closed and -1 returned. */
int reload_read(int fd);
/* New side, after the tables are set up: adopt what was read (or, when
 * the hand-over failed, the children found in /proc) and start the rest. */
void reload_adopt(int readable);
/* SIGKILL for removed services that outlive their grace; next deadline. */
void reload_tick(int64_t now);
int64_t reload_deadline(void);

#endif
