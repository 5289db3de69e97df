/* harness.h: the smallest test harness that does the job.
 *
 * TEST(name) { ... CHECK(cond); ... } defines a test; main() from
 * RUN_TESTS() runs them all and prints "PASS unit: <file>: <name>" or
 * "FAIL unit: <file>: <name>: <file>:<line>: <condition>" per test.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>
#include <string.h>

struct test {
	const char *name;
	void (*fn)(void);
};
extern struct test tests[];
static const char *failed_at;
static char failed_buf[1024]; /* a CHECK_STR's two strings fit, cut to 400 bytes */

#define CHECK(c)                                                                                      \
	do {                                                                                          \
		if (!(c) && !failed_at) {                                                             \
			snprintf(failed_buf, sizeof failed_buf, "%s:%d: %s", __FILE__, __LINE__, #c); \
			failed_at = failed_buf;                                                       \
		}                                                                                     \
	} while (0)
#define CHECK_STR(a, b)                                                                                  \
	do {                                                                                             \
		const char *a_ = (a), *b_ = (b);                                                         \
		if (strcmp(a_, b_) && !failed_at) {                                                      \
			snprintf(failed_buf, sizeof failed_buf, "%s:%d: '%.400s' != '%.400s'", __FILE__, \
				 __LINE__, a_, b_);                                                      \
			failed_at = failed_buf;                                                          \
		}                                                                                        \
	} while (0)
#define TEST(n) static void n(void)
#define RUN_TESTS(suite, ...)                                                                 \
	struct test tests[] = { __VA_ARGS__, { 0, 0 } };                                      \
	int main(void)                                                                        \
	{                                                                                     \
		for (struct test *t = tests; t->name; t++) {                                  \
			failed_at = 0;                                                        \
			t->fn();                                                              \
			if (failed_at)                                                        \
				printf("FAIL unit: %s: %s: %s\n", suite, t->name, failed_at); \
			else                                                                  \
				printf("PASS unit: %s: %s\n", suite, t->name);                \
		}                                                                             \
		return 0;                                                                     \
	}
#define T(n)          \
	{             \
#n, n \
	}

#endif
