/* utf8.h: what both programs need of UTF-8 (src/common/utf8.c). */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* Bytes of the valid UTF-8 sequence at p (n bytes left, n >= 1): 1 for
 * ASCII, 0 when the byte there starts none. Overlong forms, surrogates and
 * code points past U+10FFFF are invalid (RFC 3629). */
size_t utf8_len(const unsigned char *p, size_t n);

#endif
