/* usage.h: initctl's help text. */
#ifndef USAGE_H
#define USAGE_H

#include <stdio.h>

/* `initctl --help`, on f: stdout when asked for, stderr after a usage error. */
void usage_print(FILE *f);

#endif
