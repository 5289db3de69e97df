/* Signal names and numbers, as initctl reads and prints them. */
#include <signal.h>

#include "harness.h"
#include "signames.h"

TEST(names_and_numbers)
{
	CHECK_STR(signame(SIGKILL), "KILL");
	CHECK_STR(signame(SIGTERM), "TERM");
	CHECK(signame(0) == 0 && signame(99) == 0);
	CHECK(signum("9") == 9);
	CHECK(signum("KILL") == SIGKILL);
	CHECK(signum("SIGHUP") == SIGHUP);
	CHECK(signum("sigterm") == SIGTERM);
	CHECK(signum("usr1") == SIGUSR1);
	CHECK(signum("0") == 0 && signum("65") == 0 && signum("-9") == 0);
	CHECK(signum("9x") == 0 && signum("NOPE") == 0 && signum("") == 0);
}

RUN_TESTS("signames", T(names_and_numbers))
