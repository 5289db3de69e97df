/* reap.h: collecting every child, services and orphans alike. */
#ifndef REAP_H
#define REAP_H

/* Reap every child that has exited; services are told. Returns 1 when
 * init has no children left at all. */
int reap_all(void);

#endif
