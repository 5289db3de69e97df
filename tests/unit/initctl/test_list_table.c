/* initctl list's table: manual 002's columns, widened for every row when a
 * cell does not fit, never shifted in one row. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "list_table.h"

static char *buf;
static size_t len;
static FILE *out;

static void begin(void)
{
	free(buf);
	buf = 0;
	out = open_memstream(&buf, &len);
	list_table_begin(out);
}

static const char *end(void)
{
	list_table_end();
	fclose(out);
	return buf;
}

/* Whether got is want; if not, both go to stderr (the harness's message
 * holds only so much). */
static int same(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	fprintf(stderr, "    got:\n%s    want:\n%s", got, want);
	return 0;
}

struct cells {
	const char *name, *enabled, *active, *restart;
	unsigned restarts;
};

/* The manual's example (002, initctl list). */
static const struct cells manual[] = {
	{ "webapp", "enabled", "active", "always", 3 },
	{ "database", "enabled", "active", "always", 1 },
	{ "worker", "enabled", "inactive", "on-failure", 0 },
};
/* "deactivating" (12) does not fit ACTIVE (10). */
static const struct cells stopping[] = {
	{ "webapp", "enabled", "active", "always", 3 },
	{ "stubborn", "enabled", "deactivating", "no", 0 },
	{ "worker", "disabled", "inactive", "on-failure", 12 },
};
/* 32 characters do not fit NAME (25). */
static const struct cells named[] = {
	{ "a-service-name-of-thirty-three-c", "enabled", "active", "always", 0 },
	{ "db", "enabled", "failed", "no", 0 },
};

static const struct {
	const char *what;
	const struct cells *rows;
	int n;
	const char *want;
} cases[] = {
	{ "the manual's example, byte for byte", manual, 3,
	  "NAME                      ENABLED    ACTIVE     RESTART         RESTARTS\n"
	  "---------------------------------------------------------------------------\n"
	  "webapp                    enabled    active     always          3\n"
	  "database                  enabled    active     always          1\n"
	  "worker                    enabled    inactive   on-failure      0\n" },
	{ "no rows: the header", manual, 0,
	  "NAME                      ENABLED    ACTIVE     RESTART         RESTARTS\n"
	  "---------------------------------------------------------------------------\n" },
	{ "ACTIVE 12 wide in every row, RESTART and RESTARTS one under the other", stopping, 3,
	  "NAME                      ENABLED    ACTIVE       RESTART         RESTARTS\n"
	  "-----------------------------------------------------------------------------\n"
	  "webapp                    enabled    active       always          3\n"
	  "stubborn                  enabled    deactivating no              0\n"
	  "worker                    disabled   inactive     on-failure      12\n" },
	{ "NAME as wide as the longest name", named, 2,
	  "NAME                             ENABLED    ACTIVE     RESTART         RESTARTS\n"
	  "----------------------------------------------------------------------------------\n"
	  "a-service-name-of-thirty-three-c enabled    active     always          0\n"
	  "db                               enabled    failed     no              0\n" },
};

/* A cell longer than its column widens the column for every row. */
TEST(columns_fit_their_longest_cell)
{
	size_t c;
	int k;

	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		begin();
		for (k = 0; k < cases[c].n; k++) {
			const struct cells *r = &cases[c].rows[k];
			list_table_row(r->name, r->enabled, r->active, r->restart, r->restarts);
		}
		if (!same(end(), cases[c].want))
			CHECK(!cases[c].what);
	}
}

/* Past LIST_TABLE_ROWS, rows go out as they come, in the widths so far. */
TEST(rows_past_the_kept_ones_keep_the_widths)
{
	const char *t;
	int k;

	begin();
	list_table_row("s", "enabled", "deactivating", "no", 0);
	for (k = 1; k < LIST_TABLE_ROWS; k++)
		list_table_row("s", "enabled", "active", "no", 0);
	list_table_row("last", "enabled", "active", "no", 7);
	t = end();
	CHECK(strstr(t, "\nlast                      enabled    active       no              7\n") != 0);
	CHECK(strlen(t) == 75 + 78 + ((size_t)LIST_TABLE_ROWS + 1) * 68); /* header, dashes, rows */
}

RUN_TESTS("list_table", T(columns_fit_their_longest_cell), T(rows_past_the_kept_ones_keep_the_widths))
