#!/bin/sh
# probe.sh WORK NAME: into WORK/out/NAME.caps the capability and id lines of
# its status, into WORK/out/NAME.suid the effective uid a setuid-root copy of
# id(1) runs with; then sleep (its descriptors are looked at from outside).
w=$1/out n=$2
grep -E '^(Cap|NoNewPrivs|Uid|Gid|Groups)' /proc/$$/status >"$w/$n.caps.tmp"
"$1/suid-id" -u >"$w/$n.suid.tmp" 2>&1
mv "$w/$n.caps.tmp" "$w/$n.caps" && mv "$w/$n.suid.tmp" "$w/$n.suid"
exec sleep 100000
