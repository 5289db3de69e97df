/* paths.h: small filesystem helpers shared by the socket owners. */
#ifndef PATHS_H
#define PATHS_H

/* mkdir -p for the directory a socket path sits in; existing directories
 * are fine, failures are logged (the bind that follows says the rest). */
void paths_make_parent(const char *path);

#endif
