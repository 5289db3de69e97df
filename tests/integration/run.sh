#!/bin/bash
# Integration suite: every directory here with a test.sh is a scenario.
#
# For each scenario the harness copies its init.yaml, services/ and bin/ into
# a fresh work directory (replacing @WORK@ with that directory's path, so
# sockets and markers never collide), builds init and initctl from that
# configuration, starts init as PID 1 of a new PID and mount namespace, waits
# for it to answer ping, and runs the scenario's t_* functions in name order,
# each in its own subshell, reporting "PASS integration: <scenario>: <step>"
# or "FAIL ...". Finally it shuts init down (if a step has not already) and
# checks that it went away. Every wait has a deadline. EI_FLAVOUR=sanitize
# (or valgrind) builds every scenario as that test flavour and fails the
# scenarios its tools report on; a scenario may name a flavour of its own
# in a file `flavour` (flavour.sh).
# Usage: [EI_FLAVOUR=sanitize|valgrind] tests/integration/run.sh [SCENARIO...]
top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/integration"
cd "$top" || exit 1
export TESTS_DIR="$here"
# shellcheck source=flavour.sh
source "$here/flavour.sh"

scenarios=("$@")
if [ ${#scenarios[@]} = 0 ]; then
	for d in "$here"/*/; do [ -f "$d/test.sh" ] && scenarios+=("$(basename "$d")"); done
fi

# step FUNCTION: run one t_* function in a subshell, killed if it has not
# finished after STEP_LIMIT seconds (every wait in a step has its own,
# shorter deadline; this catches a step that hangs anyway).
STEP_LIMIT=300
step() {
	( "$1" ) & local pid=$!
	# The watchdog's output goes nowhere: an orphaned sleep holding the
	# caller's $(...) pipe open would make every step last STEP_LIMIT.
	( sleep "$STEP_LIMIT"; kill -9 "$pid" ) >/dev/null 2>&1 &
	local dog=$! rc
	wait "$pid"; rc=$?
	pkill -P "$dog" -x sleep 2>/dev/null
	kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
	[ "$rc" = 137 ] && echo "step killed after ${STEP_LIMIT}s (or by SIGKILL)" >&2
	return "$rc"
}

run_scenario() {
	local name=$1 dir="$here/$1"
	local WORK; WORK=$(mktemp -d /tmp/ei-it.XXXXXX)
	chmod 755 "$WORK"
	export WORK SCENARIO="$name"
	export INITCTL="$WORK/build/initctl" INIT_BIN="$WORK/build/init"
	export INIT_SOCKET="$WORK/init.sock" LOG="$WORK/console.log" EXITFILE="$WORK/init.exit"
	mkdir -p "$WORK/config/services" "$WORK/bin"
	for f in "$dir"/init.yaml "$dir"/services/* "$dir"/bin/*; do
		[ -f "$f" ] || continue
		local rel=${f#"$dir"/}
		mkdir -p "$(dirname "$WORK/config/$rel")"
		sed "s|@WORK@|$WORK|g" "$f" > "$WORK/config/$rel"
	done
	[ -d "$WORK/config/bin" ] && mv "$WORK/config/bin/"* "$WORK/bin/" 2>/dev/null
	chmod +x "$WORK/bin/"* 2>/dev/null
	local out
	# A scenario of too many files to commit one by one writes them into
	# $WORK/config before the build: its executable `generate WORK`.
	if [ -x "$dir/generate" ] && ! out=$("$dir/generate" "$WORK" 2>&1); then
		echo "FAIL integration: $name: generate"; echo "$out" | sed 's/^/    /' | tail -20
		rm -rf "$WORK"; return
	fi
	export FLAVOUR; FLAVOUR=$(flavour_of "$name")
	if ! out=$(make -s CONFIG="$WORK/config/init.yaml" BUILD="$WORK/build" FLAVOUR="$FLAVOUR" all 2>&1); then
		echo "FAIL integration: $name: build"; echo "$out" | sed 's/^/    /' | tail -20
		rm -rf "$WORK"; return
	fi
	local cg; cg=$(scenario_cgroup "$name")
	(
		cgroup_enter "$cg"
		flavour_prepare "$FLAVOUR"
		# shellcheck source=/dev/null
		source "$here/lib.sh"
		source "$dir/test.sh"
		declare -F prepare >/dev/null && { prepare || echo "FAIL integration: $name: prepare"; }
		start_init
		if ! wait_for_quiet 20 "$INITCTL" ping; then
			echo "FAIL integration: $name: init did not answer ping"; sed 's/^/    /' "$LOG" | tail -20
			stop_init; exit 0
		fi
		for t in $(declare -F | awk '{print $3}' | grep '^t_' | sort); do
			local msg ok=0
			# To a file, not $(...): a process a failed step leaves behind
			# must not hold the harness up by keeping a pipe open.
			step "$t" > "$WORK/step.out" 2>&1 && ok=1
			msg=$(cat "$WORK/step.out")
			if [ $ok = 1 ]; then
				echo "PASS integration: $name: ${t#t_}"
			else
				echo "FAIL integration: $name: ${t#t_}"
				echo "$msg" | sed 's/^/    /' | tail -25
				echo "    --- init console (last lines):"
				sed 's/^/    /' "$LOG" | tail -15
			fi
		done
		stop_init
	)
	# Nothing of this scenario may outlive it.
	pkill -9 -f "$WORK/" 2>/dev/null
	cgroup_remove "$cg"
	flavour_reports "$name"
	rm -rf "$WORK"
}

# Where the machine has cgroup2 at init's default cgroup_v2 path (systemd's
# hybrid layout mounts it at /sys/fs/cgroup/unified), each scenario runs in
# a cgroup of its own: init makes its services' cgroups below its own, so no
# two scenarios, nor two runs at once, share or clean up each other's.
CG_ROOT=/sys/fs/cgroup/unified
scenario_cgroup() {
	[ "$(stat -fc %T "$CG_ROOT" 2>/dev/null)" = cgroup2fs ] && echo "$CG_ROOT/ei-it.$$.$1"
	return 0
}
cgroup_enter() { [ -z "$1" ] || { mkdir -p "$1" && echo "$BASHPID" > "$1/cgroup.procs"; }; }
# cgroup_remove DIR: end what is left in it, then its directories, deepest first.
cgroup_remove() {
	local n=50
	[ -n "$1" ] && [ -d "$1" ] || return 0
	[ -e "$1/cgroup.kill" ] && echo 1 > "$1/cgroup.kill"
	while grep -q '^populated 1' "$1/cgroup.events" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
	[ ! -d "$1" ] || echo "    (cgroup $1 is left behind)"
}

for s in "${scenarios[@]}"; do
	run_scenario "$s"
done
exit 0
