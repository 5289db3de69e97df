#!/bin/sh
# Fails its first two runs, succeeds at the third (and writes flaky.ok).
echo run >> @WORK@/runs.flaky
[ "$(wc -l < @WORK@/runs.flaky)" -ge 3 ] || exit 1
echo done > @WORK@/flaky.ok
exit 0
