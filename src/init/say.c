/* say.c: init's log lines, to the console and to init.log.
 *
 * Never allocates. A line that cannot be written whole is dropped, not
 * retried.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include "clock.h"
#include "fmt.h"
#include "log.h"
#include "say.h"

#define SAY_LINE_MAX 512
static void vsay(const char *level, const char *f, va_list ap)
{
	char line[SAY_LINE_MAX];
	size_t n, text;
	ssize_t w;

	line[0] = '[';
	fmt_utc(line + 1, clock_wall());
	n = 1 + FMT_UTC_SIZE - 1;
	n += fmt_fmt(line + n, sizeof line - n, "] init: ");
	text = n;
	n += fmt_fmt(line + n, sizeof line - n, "%s", level);
	n += fmt_vfmt(line + n, sizeof line - n - 1, f, ap);
	line[n++] = '\n';
	do
		w = write(2, line, n);
	while (w < 0 && errno == EINTR);
	/* init.log has its own timestamp and needs no "init: ". */
	line[n - 1] = 0;
	log_note(LOG_INIT, line + text);
}

void say(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay("", f, ap);
	va_end(ap);
}

void say_warn(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay("warning: ", f, ap);
	va_end(ap);
}

void say_error(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay("error: ", f, ap);
	va_end(ap);
}

void say_log_warnings(void)
{
	char msg[SAY_LINE_MAX];
	int chan, level;

	for (chan = 0; chan < LOG_NCHAN; chan++)
		if ((level = log_warning(chan, msg, sizeof msg)) == LOG_WARN_ERROR)
			say_error("%s", msg);
		else if (level == LOG_WARN_WARNING)
			say_warn("%s", msg);
		else if (level)
			say("%s", msg);
}
