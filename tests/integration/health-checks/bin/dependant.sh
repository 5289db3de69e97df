#!/bin/sh
# dependant.sh NAME FILE: record whether FILE existed when NAME started.
echo run >> @WORK@/runs.$1
if [ -e "$2" ]; then echo yes; else echo no; fi > @WORK@/saw.$1
exec sleep 100000
