/* privs.h: least privilege, applied in a service's child before exec.
 *
 * User=, Group=, SupplementaryGroups=, UMask=, NoNewPrivileges= and the
 * Limit*= of a cfg_svc (the app's app.user and app.group, ps start's
 * --user), as systemd applies them. The child runs as root until then.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <stddef.h>

#include "cfg.h"
#include "spawn.h"

#define PRIVS_GROUPS_MAX 1024 /* supplementary groups of one service */

/* In the child, as root: look the names up (/etc/passwd, /etc/group),
 * set the limits (as root, so that a hard limit may be raised), the umask,
 * the groups, the gid and the uid, then no_new_privs. Returns 0, or -1 with
 * *r saying which step failed: the caller must then not exec. */
int privs_drop(const struct cfg_svc *c, struct spawn_report *r);
/* "LimitNOFILE" for CFG_LIMIT_NOFILE, ...; "?" for another number. */
const char *privs_limit_key(int which);
/* The words for a report of a stage from SPAWN_PASSWD on (spawn_describe). */
size_t privs_describe(const struct cfg_svc *c, const struct spawn_report *r, char *buf, size_t cap);

#endif
