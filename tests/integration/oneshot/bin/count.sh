#!/bin/sh
# count.sh NAME CODE: a oneshot's run, counted; exits CODE.
echo run >> @WORK@/runs.$1
exit "$2"
