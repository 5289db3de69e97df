/* memout.h: a test's output stream into memory (open_memstream): begin()
 * opens it (freeing the last one's text), end() closes it and returns
 * what was written. */
#ifndef MEMOUT_H
#define MEMOUT_H

#include <stdio.h>
#include <stdlib.h>

static char *memout_buf;
static size_t memout_len;
static FILE *out;

static FILE *memout_begin(void)
{
	free(memout_buf);
	memout_buf = 0;
	out = open_memstream(&memout_buf, &memout_len);
	return out;
}

static const char *memout_end(void)
{
	fclose(out);
	return memout_buf;
}

#endif
