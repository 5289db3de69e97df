/* list_table.c: `initctl list`'s table, columns as wide as their longest
 * cell (see list_table.h). */
#include <string.h>

#include "list_table.h"
#include "proto.h"

enum { COL_NAME, COL_ENABLED, COL_ACTIVE, COL_RESTART, NCOLS };

/* Manual 002's widths; its line of dashes is 75 long with them. */
static const int min_width[NCOLS] = { 25, 10, 10, 15 };
#define DASHES 75

struct row {
	char name[PROTO_NAME_SIZE];
	const char *cell[NCOLS]; /* cell[COL_NAME] is name */
	unsigned restarts;
};

/* Static: LIST_TABLE_ROWS rows are too much for the stack, and cost
 * nothing until they are written. */
static struct row rows[LIST_TABLE_ROWS];
static struct {
	FILE *out;
	int n;       /* rows kept */
	int printed; /* the header is out: rows now go out as they come */
	int width[NCOLS];
} t;

void list_table_begin(FILE *out)
{
	memcpy(t.width, min_width, sizeof t.width);
	t.out = out;
	t.n = 0;
	t.printed = 0;
}

static void print_row(const char *const cell[NCOLS], const char *last)
{
	int c;

	for (c = 0; c < NCOLS; c++)
		fprintf(t.out, "%-*s ", t.width[c], cell[c]);
	fprintf(t.out, "%s\n", last);
}

static void print_kept(void)
{
	static const char *const head[NCOLS] = { "NAME", "ENABLED", "ACTIVE", "RESTART" };
	int c, k, dashes = DASHES;
	char n[16];

	if (!t.printed) {
		print_row(head, "RESTARTS");
		for (c = 0; c < NCOLS; c++)
			dashes += t.width[c] - min_width[c];
		for (k = 0; k < dashes; k++)
			fputc('-', t.out);
		fputc('\n', t.out);
		t.printed = 1;
	}
	for (k = 0; k < t.n; k++) {
		snprintf(n, sizeof n, "%u", rows[k].restarts);
		print_row(rows[k].cell, n);
	}
	t.n = 0;
}

void list_table_row(const char *name, const char *enabled, const char *active, const char *restart,
		    unsigned restarts)
{
	struct row *r;
	int c;

	if (t.n == LIST_TABLE_ROWS)
		print_kept();
	r = &rows[t.n++];
	snprintf(r->name, sizeof r->name, "%s", name);
	r->cell[COL_NAME] = r->name;
	r->cell[COL_ENABLED] = enabled;
	r->cell[COL_ACTIVE] = active;
	r->cell[COL_RESTART] = restart;
	r->restarts = restarts;
	for (c = 0; c < NCOLS && !t.printed; c++)
		if ((int)strlen(r->cell[c]) > t.width[c])
			t.width[c] = (int)strlen(r->cell[c]);
	if (t.printed)
		print_kept();
}

void list_table_end(void)
{
	print_kept();
}
