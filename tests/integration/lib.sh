# Helpers for integration scenarios (sourced by run.sh).
# Environment: WORK, INITCTL, INIT_BIN, INIT_SOCKET, LOG, EXITFILE, TESTS_DIR.

ctl() { "$INITCTL" "$@"; }

fail() { echo "$*" >&2; exit 1; }

# start_init [ARGS...]: init as PID 1 of a new PID + mount namespace. Its exit
# status lands in $EXITFILE when it ends.
start_init() {
	rm -f "$EXITFILE"
	( unshare --pid --fork --mount-proc --kill-child "$INIT_BIN" "$@" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

# start_init_no_sys_time [ARGS...]: start_init, but without CAP_SYS_TIME
# (the clock scenarios: this machine's clock is not theirs to set; a step
# init tries fails with EPERM and is logged).
start_init_no_sys_time() {
	rm -f "$EXITFILE"
	( setpriv --bounding-set -sys_time --inh-caps -sys_time \
		unshare --pid --fork --mount-proc --kill-child "$INIT_BIN" "$@" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

# The wall clock less the monotonic one, in whole seconds: it moves only
# when someone sets the clock.
wall_less_mono() { "${PYTHON:-python3}" -c 'import time; print(round(time.time() - time.monotonic()))'; }
# clock_json EXPR: a Python expression over system-status --json's d
clock_json() { ctl system-status --json | "${PYTHON:-python3}" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# stop_init: shut init down through initctl if it still runs; kill it if it
# does not go within the deadline.
stop_init() {
	[ -f "$EXITFILE" ] && return 0
	"$INITCTL" shutdown >/dev/null 2>&1
	if ! wait_for_quiet 30 test -f "$EXITFILE"; then
		echo "    (init did not exit after shutdown; killing it)"
		pkill -9 -f "$INIT_BIN"
		wait_for_quiet 5 test -f "$EXITFILE"
	fi
}

# wait_for_quiet SECONDS CMD...: poll CMD until it succeeds; 1 on timeout.
wait_for_quiet() {
	local t=$1; shift
	local end=$((SECONDS + t))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# wait_for DESCRIPTION SECONDS CMD...: like wait_for_quiet, but fails the step.
wait_for() {
	local desc=$1; shift
	wait_for_quiet "$@" || fail "timed out after $1s waiting for: $desc"
}

# The host PID of init (the namespace's PID 1).
init_hostpid() {
	local u
	u=$(pgrep -P "$NS_WRAPPER" -x unshare | head -1)
	[ -n "$u" ] && pgrep -P "$u" | head -1
}

# host_pid NSPID: the host PID of init's child whose namespace PID is NSPID.
host_pid() {
	local p
	# An empty NSPID would match a child that has just gone (no status).
	[ -n "$1" ] || return 1
	for p in $(pgrep -P "$(init_hostpid)"); do
		[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null)" = "$1" ] && { echo "$p"; return 0; }
	done
	return 1
}

# field SERVICE LABEL: one "  Label: value" line of `initctl status`.
field() { ctl status "$1" | sed -n "s/^  $2: //p"; }

# state SERVICE: the ACTIVE column of `initctl list`.
state() { ctl list | awk -v s="$1" '$1 == s { print $3 }'; }
has_state() { [ "$(state "$1")" = "$2" ]; }

expect_eq() {  # expect_eq GOT WANT WHAT
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

expect_match() {  # expect_match TEXT REGEX WHAT
	printf '%s\n' "$1" | grep -Eq -- "$2" || fail "$3: '$1' does not match /$2/"
}

# runs NAME: how many times a service has run (its script appends a line to $WORK/runs.NAME).
runs() { [ -f "$WORK/runs.$1" ] && wc -l < "$WORK/runs.$1" || echo 0; }
runs_at_least() { [ "$(runs "$1")" -ge "$2" ]; }

# log_lines REGEX: matching lines of init's console, in order.
log_lines() { grep -E -- "$1" "$LOG"; }

# line_of REGEX: the line number of the first match on init's console.
line_of() { grep -n -m1 -E -- "$1" "$LOG" | cut -d: -f1; }

# logged_before A B: the first console line matching A comes before the first matching B.
logged_before() {
	local a b
	a=$(line_of "$1"); b=$(line_of "$2")
	if [ -z "$a" ] || [ -z "$b" ] || [ "$a" -ge "$b" ]; then
		fail "'$1' (line ${a:-none}) not before '$2' (line ${b:-none})"
	fi
}

# frame ARGS...: send a hand-made frame (tests/integration/frame.py).
frame() { "${PYTHON:-python3}" "$TESTS_DIR/frame.py" --socket "$INIT_SOCKET" "$@"; }

# rec SERVICE FIELD: one field of `status SERVICE` as init sends it
# (svcrec.py: state, ready, type, health, health_failures, pid, restarts,
# notify_status, health_cmd), whether or not initctl prints it.
rec() { "${PYTHON:-python3}" "$TESTS_DIR/svcrec.py" --socket "$INIT_SOCKET" --hash "$(cfg_hash)" "$1" | sed -n "s/^$2=//p"; }

# The configuration hash init was built with.
cfg_hash() { "$INIT_BIN" --version | sed -n 's/.*configuration \([0-9a-f]\{16\}\).*/\1/p'; }

# ns_pgrep PGREP-ARGS...: pgrep among the processes of this scenario's PID
# namespace only (another suite may run the same commands beside it).
ns_pgrep() { pgrep --ns "$(init_hostpid)" --nslist pid "$@"; }

# init's open descriptors, its zombie children, its children (host view).
init_fds() { ls "/proc/$(init_hostpid)/fd" | wc -l; }
zombies() { ps -o stat= --ppid "$(init_hostpid)" | grep -c '^Z'; }
children() { ps -o pid= --ppid "$(init_hostpid)" | wc -l; }

# start_init_fifo_dev NAME: start_init, but with /dev replaced (in init's
# namespace only: unshare makes its mounts private) by a tmpfs holding
# null, zero, random, urandom and a FIFO /dev/NAME standing in for a device
# that never answers (the NSM, a hardware RNG): whoever opens it blocks.
start_init_fifo_dev() {
	rm -f "$EXITFILE"
	mkdir -p "$WORK/dev"
	( unshare --pid --fork --mount-proc --kill-child /bin/sh -c '
		mount -t tmpfs -o mode=755 fifo-dev "$1" &&
		cp -a /dev/null /dev/zero /dev/random /dev/urandom "$1"/ &&
		mkfifo -m 600 "$1/$3" && mount --bind "$1" /dev && exec "$2"' sh "$WORK/dev" "$INIT_BIN" "$1" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

