/* fmt.h: numbers, strings and times into fixed buffers.
 *
 * init has no stdio: this is its printf. It never allocates, always
 * terminates the output, and cuts rather than overflows. Conversions:
 * %s %c %d %u %x with optional l/ll/z, '-' and '0' flags and a width, and %%.
 */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Format into dst (cap bytes, cap > 0). Returns the length written. */
size_t fmt_fmt(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
size_t fmt_vfmt(char *dst, size_t cap, const char *fmt, va_list ap);

/* "YYYY-MM-DD HH:MM:SS" in UTC for seconds since the epoch, computed with
 * civil-calendar arithmetic (the C library's time-zone code allocates).
 * out must hold FMT_UTC_SIZE bytes. */
#define FMT_UTC_SIZE 20
void fmt_utc(char *out, int64_t epoch_sec);

#endif
