#!/bin/sh
# dependant.sh NAME FILE: record FILE's content (or "none") when NAME started.
echo run >> @WORK@/runs.$1
cat "$2" > @WORK@/saw.$1 2>/dev/null || echo none > @WORK@/saw.$1
exec sleep 100000
