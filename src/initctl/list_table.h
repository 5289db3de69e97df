/* list_table.h: the table `initctl list` prints.
 *
 * Manual 002's columns, "%-25s %-10s %-10s %-15s %s" under a line of 75
 * dashes. A cell longer than its column ("deactivating", a 40-character
 * service name) would push the rest of its row to the right; so the rows
 * are kept until the reply is complete and each column is then as wide as
 * its longest cell, for every row and the header alike. Tables whose cells
 * fit (the manual's examples) come out byte for byte as before. A leaf: it
 * calls nothing else of initctl's.
 */
#ifndef LIST_TABLE_H
#define LIST_TABLE_H

#include <stdio.h>

/* Rows kept before the table is printed; from the next one on, rows are
 * printed as they come, in the widths found so far. */
#define LIST_TABLE_ROWS 4096

/* Start a table that will be printed on out. */
void list_table_begin(FILE *out);
/* One row; the words are kept by pointer (string constants), the name is
 * copied. */
void list_table_row(const char *name, const char *enabled, const char *active, const char *restart,
		    unsigned restarts);
/* Print what is kept: the header (also for a table without rows), then
 * the rows. */
void list_table_end(void);

#endif
