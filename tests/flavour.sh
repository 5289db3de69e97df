#!/bin/bash
# The suites again on a test flavour of the build (the Makefile's FLAVOUR):
# sanitize runs the unit and integration suites on the ASan + UBSan build,
# valgrind the integration suite with init and initctl under memcheck. A
# test's line is the suite's own with the flavour's name in front.
# Usage: tests/flavour.sh sanitize|valgrind [SCENARIO...]
cd "$(dirname "$0")/.." || exit 1
export EI_FLAVOUR=$1
shift
case $EI_FLAVOUR in
sanitize) [ $# -gt 0 ] || tests/unit/run.sh ;;
valgrind) ;;
*) echo "usage: tests/flavour.sh sanitize|valgrind [SCENARIO...]" >&2; exit 2 ;;
esac 2>&1 | sed -u "s/^\(PASS\|FAIL\) /\1 $EI_FLAVOUR: /"
tests/integration/run.sh "$@" 2>&1 | sed -u "s/^\(PASS\|FAIL\) /\1 $EI_FLAVOUR: /"
