#!/bin/sh
# dependant.sh NAME MARKER: record whether MARKER existed when NAME started.
echo run >> @WORK@/runs.$1
if [ -f "$2" ]; then echo yes; else echo no; fi > @WORK@/saw.$1
exec sleep 100000
