/* fake_say.c: init's console messages, silenced, for tests that link a
 * module which reports through say.c (app.c, svc.c) but check what it
 * does, not what it says. */
#include "say.h"

void say(const char *f, ...)
{
	(void)f;
}
void say_warn(const char *f, ...)
{
	(void)f;
}
void say_error(const char *f, ...)
{
	(void)f;
}
