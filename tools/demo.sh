#!/bin/sh
# The README's first command: run init with the example configuration as
# PID 1 of a fresh PID namespace, show it supervising through initctl, then
# shut it down cleanly. Usage: tools/demo.sh [BUILD]
set -eu
build=${1:-build}
ctl="$build/initctl"
sock=$("$build/init" --print-config | sed -n 's/^  unix_socket_path: "\(.*\)"$/\1/p')
log=$(mktemp /tmp/enclave-init-demo.XXXXXX)
export INIT_SOCKET="$sock"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || true; }

echo "Starting $build/init as PID 1 of a new PID namespace (its console: $log)"
unshare --pid --fork --mount-proc --kill-child "$build/init" >"$log" 2>&1 &
ns=$!
i=0
until "$ctl" ping >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "init did not come up:"; cat "$log"; exit 1; }
	sleep 0.1
done
sleep 1   # let the demo services get going: ticker ticks, flaky fails
step "$ctl" list
step "$ctl" status webapp
step "$ctl" status flaky
step "$ctl" system-status
step "$ctl" health
step "$ctl" status migrate
step "$ctl" ps list
step "$ctl" ps start /bin/sh -c 'echo hello from an ad-hoc process; sleep 1' -e GREETING=hi
step "$ctl" ps status 1
step "$ctl" logs webapp
step "$ctl" logs ticker -n 3
step "$ctl" stop ticker
step "$ctl" start ticker
step "$ctl" shutdown
wait $ns && rc=0 || rc=$?
printf '\ninit exited with status %s. Its console (also in its log directory as init.log):\n' "$rc"
cat "$log"
rm -f "$log"
