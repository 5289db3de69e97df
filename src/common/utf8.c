/* utf8.c: see utf8.h. Shared by init (STATUS= text) and initctl (JSON). */
#include "utf8.h"

size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t need, k;
	unsigned lo = 0x80, hi = 0xbf; /* the range of the second byte */

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < need || p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k < need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need;
}
