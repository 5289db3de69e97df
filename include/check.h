/* check.h: "cannot happen" conditions, after SQLite's ALWAYS()/NEVER().
 *
 * In test builds (-DEI_TESTING) a broken invariant aborts at once so the
 * test fails loudly; in release builds the expression is just evaluated and
 * the caller recovers, because PID 1 must never die.
 */
#ifndef CHECK_H
#define CHECK_H

#ifdef EI_TESTING
#include <stdlib.h>
#define NEVER(x) ((x) ? (abort(), 1) : 0)
#define ALWAYS(x) ((x) ? 1 : (abort(), 0))
#else
#define NEVER(x) (!!(x))
#define ALWAYS(x) (!!(x))
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
