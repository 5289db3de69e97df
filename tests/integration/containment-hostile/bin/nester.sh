#!/bin/sh
# A root service that makes cgroups inside its own, two levels deep, and
# moves itself into the deepest.
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
mkdir -p "@WORK@/cg$cg/a/b" && mkdir "@WORK@/cg$cg/c" && echo $$ > "@WORK@/cg$cg/a/b/cgroup.procs" &&
	touch @WORK@/nested
trap 'exit 0' TERM
sleep 86405 & wait
