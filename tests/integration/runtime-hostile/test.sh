# Hostile clients against issue 15's runtime features: a time server's
# clients that hang up, idle or send half a frame (it must answer the
# next honest one, and init's samples go on), and more shutdown --wait
# clients than control slots during a long drain (a command must still
# find a slot, and a plain shutdown still ends the drain). init runs
# without CAP_SYS_TIME: this machine's clock is not ours to set.

start_init() { start_init_no_sys_time "$@"; }

SOCK="$WORK/time.sock"

synced_above() { [ "$(clock_json 'd["clock_last_sync"]')" -gt "$1" ]; }

t_01_time_serve_outlives_hostile_clients() {
	local before mode out t0
	before=$(wall_less_mono)
	rm -f "$SOCK"
	"$INITCTL" time-serve --unix "$SOCK" >/dev/null 2>&1 &
	echo $! > "$WORK/server.pid"
	wait_for "the time server's socket" 10 test -S "$SOCK"
	for mode in hangup idle half hangup; do
		out=$("${PYTHON:-python3}" "$WORK/bin/hostile_time.py" "$SOCK" "$mode")
		expect_eq "$out" answered "an honest request after $mode clients"
		kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null || fail "time-serve died of the $mode clients"
	done
	# init's samples go on from the same server: synced, never refused.
	t0=$(clock_json 'd["clock_last_sync"]')
	wait_for "a sample after the hostile clients" 10 synced_above "$t0"
	expect_eq "$(clock_json 'd["clock"]')" synced "the clock's state"
	expect_eq "$(wall_less_mono)" "$before" "this machine's clock (wall less monotonic, s)"
}

t_02_time_serve_removes_only_a_socket() {
	local out rc
	echo precious > "$WORK/not-a-socket"
	# (timeout: one that took the path would serve on until killed)
	out=$(timeout 5 "$INITCTL" time-serve --unix "$WORK/not-a-socket" 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status of time-serve on a regular file"
	expect_match "$out" "cannot listen on $WORK/not-a-socket: Address (already )?in use" "its message"
	expect_eq "$(cat "$WORK/not-a-socket")" precious "the file at the path"
}

answered() { [ "$(find "$WORK" -maxdepth 1 -name 'waiter.*.rc' | wc -l)" -ge "$1" ]; }

t_03_waiters_never_take_every_slot() {
	local k out rc busy=0
	( ctl shutdown --drain 86400 --wait > "$WORK/waiter.0.out" 2>&1; echo $? > "$WORK/waiter.0.rc" ) &
	wait_for "the drain to begin" 10 log_lines 'initctl: draining for 86400 s'
	# As many more waiters as there are slots (control.max_clients: 8).
	for k in 1 2 3 4 5 6 7 8; do
		( ctl shutdown --drain 86400 --wait > "$WORK/waiter.$k.out" 2>&1; echo $? > "$WORK/waiter.$k.rc" ) &
	done
	# Each is either taken or refused at once.
	# shellcheck disable=SC2016 # eval expands them, each time
	wait_for "every waiter taken or refused" 10 eval '[ $(( $(grep -c "shutdown already under way" "$LOG") + $(grep -l "too many" "$WORK"/waiter.*.out 2>/dev/null | wc -l) )) -ge 8 ]'
	# A command still finds a slot: health answers, and says stopping.
	out=$(ctl health 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status of health during the drain"
	expect_match "$out" "stopping" "health during the drain"
	busy=$(grep -l "too many" "$WORK"/waiter.*.out 2>/dev/null | wc -l)
	[ "$busy" -ge 1 ] || fail "every waiter taken: no slot left"
	# A plain shutdown ends the drain; every waiter taken is answered.
	out=$(ctl shutdown 2>&1); rc=$?
	expect_eq "$rc" 0 "exit status of a plain shutdown during the drain"
	expect_eq "$out" "✓ System shutdown: the drain under way ends now" "its reply"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	wait_for "every waiter answered" 10 answered 9
	for k in 0 1 2 3 4 5 6 7 8; do
		if grep -q "too many" "$WORK/waiter.$k.out"; then
			expect_eq "$(cat "$WORK/waiter.$k.rc")" 1 "exit status of refused waiter $k"
		else
			expect_eq "$(cat "$WORK/waiter.$k.rc")" 0 "exit status of waiter $k"
			expect_match "$(cat "$WORK/waiter.$k.out")" "Every service stopped" "waiter $k's answer"
		fi
	done
	[ -f "$WORK/server.pid" ] && kill "$(cat "$WORK/server.pid")" 2>/dev/null
	return 0
}
