/* signames.h: signal names and numbers, for initctl's messages and options. */
#ifndef SIGNAMES_H
#define SIGNAMES_H

/* "KILL" for 9; 0 when the number has no name here. */
const char *signame(int sig);
/* 9 for "9", "KILL" or "SIGKILL" (any case); 0 when not a signal. */
int signum(const char *s);

#endif
