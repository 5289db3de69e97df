#!/bin/bash
# make soak: init as PID 1 of a PID namespace under a mixed load for
# SOAK_SECONDS (600 by default), sampled every SOAK_INTERVAL seconds (5):
# VmRSS, descriptors, ping latency. Fails on growth (tests/soak/soak.py
# says how it judges) and when init does not come back to its baseline
# descriptors once the load is gone. Prints the samples as a table and
# writes a summary into docs/soak.md (SOAK_DOC=none: do not).
# Prints "PASS soak" or "FAIL soak: why", as a test suite does.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
export LC_ALL=C
PYTHON=${PYTHON:-$(tools/find-python)} || exit 1
SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_INTERVAL=${SOAK_INTERVAL:-5}
SOAK_DOC=${SOAK_DOC:-docs/soak.md}
[ "$SOAK_DOC" = none ] && SOAK_DOC=

WORK=$(mktemp -d /tmp/ei-soak.XXXXXX)
chmod 755 "$WORK"
export WORK INITCTL="$WORK/build/initctl" INIT_BIN="$WORK/build/init" INIT_SOCKET="$WORK/init.sock"
export LOG="$WORK/console.log" EXITFILE="$WORK/init.exit" TESTS_DIR="$top/tests/integration"
# shellcheck source=../integration/lib.sh
source "$top/tests/integration/lib.sh"

finish() {
	[ -n "$NS_WRAPPER" ] && stop_init
	pkill -9 -f "$WORK/" 2>/dev/null
	rm -rf "$WORK"
}
trap finish EXIT
failed() { echo "FAIL soak: $*"; exit 1; }

mkdir -p "$WORK/config/services"
for f in tests/soak/init.yaml tests/soak/services/*; do
	sed "s|@WORK@|$WORK|g" "$f" > "$WORK/config/${f#tests/soak/}"
done
out=$(make -s CONFIG="$WORK/config/init.yaml" BUILD="$WORK/build" all 2>&1) || failed "build: $out"

start_init
wait_for_quiet 20 "$INITCTL" ping || failed "init did not answer ping: $(tail -5 "$LOG")"
pid=$(init_hostpid)
fds() { ls "/proc/$pid/fd" | wc -l; }
# flappy's restarts hold an exec pipe for a moment now and then: at rest
# is the least of ten looks, a tenth of a second apart.
fds_at_rest() {
	local n least=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		n=$(fds)
		[ -z "$least" ] || [ "$n" -lt "$least" ] && least=$n
		sleep 0.1
	done
	echo "$least"
}
# What each descriptor points at: shown when the count does not come back.
fd_list() { local f; for f in /proc/"$pid"/fd/*; do echo "${f##*/} -> $(readlink "$f")"; done | sort -n; }
# At rest: every service has started and written (its log file is open).
wait_for_quiet 30 sh -c "grep -q 'flooder 0000020000' '$WORK/log/flooder.log' && grep -q 'worker up' '$WORK/log/worker.log'" ||
	failed "services did not start: $(tail -5 "$LOG")"
base=$(fds_at_rest)
fd_list > "$WORK/fds.base"
echo "soak: init (host PID $pid) at rest: $base descriptors; load for ${SOAK_SECONDS}s, a sample every ${SOAK_INTERVAL}s"

"$PYTHON" tests/soak/soak.py run --seconds "$SOAK_SECONDS" --interval "$SOAK_INTERVAL" --pid "$pid" \
	--socket "$INIT_SOCKET" --hash "$(cfg_hash)" --initctl "$INITCTL" --samples "$WORK/samples.jsonl"
rc=$?
[ "$(init_hostpid)" = "$pid" ] || failed "init is gone (or another process is PID 1): $(tail -5 "$LOG")"

# The load is gone: followers, streams and peers closed; init comes back
# to the descriptors it had at rest (closed peers are dropped at once,
# silent ones within the 5 s frame deadline).
end=$((SECONDS + 20))
until final=$(fds_at_rest); [ "$final" -le "$base" ] || [ $SECONDS -ge $end ]; do :; done
if [ "$final" != "$base" ]; then
	echo "soak: init's descriptors at rest before the load (<) and after it (>):"
	fd_list | diff "$WORK/fds.base" - | sed 's/^/    /'
fi
"$PYTHON" tests/soak/soak.py report --samples "$WORK/samples.jsonl" --baseline-fds "$base" --final-fds "$final" \
	${SOAK_DOC:+--doc "$SOAK_DOC"} || failed "growth (above)"
[ $rc = 0 ] || failed "the load saw errors (above)"
echo "PASS soak"
