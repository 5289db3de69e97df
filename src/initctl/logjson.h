/* logjson.h: `initctl logs --json`: a log's bytes, cut into lines, as JSON.
 *
 * Each line is {"time": RFC 3339, "time_epoch": N, "text": "..."}, the
 * time read from init's "[YYYY-MM-DD HH:MM:SS] " prefix (UTC) and the text
 * after it; a line without the prefix (init's note that a follower fell
 * behind, a line a reader joined halfway) has null times and its whole
 * text. Plain logs are one document, {"service": NAME, "lines": [...]};
 * a follow is one line object per output line, flushed each. A leaf apart
 * from json.c: the tests feed it bytes.
 */
#ifndef LOGJSON_H
#define LOGJSON_H

#include <stddef.h>
#include <stdio.h>

#include "json.h"

/* The longest line kept whole; a longer one is written in pieces of this
 * size (init's max_log_line is at most 65536, plus the prefix). */
#define LOGJSON_LINE 66000

struct logjson {
	struct json j;
	FILE *out;
	const char *service;
	int follow;
	int opened; /* the document is open (plain logs) */
	size_t len;
	char line[LOGJSON_LINE];
};

void logjson_begin(struct logjson *l, FILE *out, const char *service, int follow);
/* n more bytes of the log, as they came (lines may span calls). */
void logjson_feed(struct logjson *l, const char *bytes, size_t n);
/* The end of the reply: an unfinished last line, then the document's end. */
void logjson_end(struct logjson *l);

#endif
