# shutdown --drain and --wait: the health is stopping at once, the
# services run on through the drain, a plain shutdown cuts it short, they
# stop in reverse order, and a --wait is answered only once they are down
# and init's last line is out; a waiting client that goes away changes
# nothing. (Log streams need VSOCK: the boot tier checks that the last
# lines reach them before the answer.)

# bg NAME ARGS...: initctl ARGS in the background; its output, its exit
# status, and what was stopped and logged when it returned, into $WORK/NAME.*
bg() {
	local n=$1
	shift
	( ctl "$@" > "$WORK/$n.out" 2>&1; rc=$?
	  cp "$WORK/stopped" "$WORK/$n.stopped" 2>/dev/null
	  grep -c 'exiting$' "$LOG" > "$WORK/$n.exiting"
	  echo $rc > "$WORK/$n.rc" ) &
}

t_01_bad_drain_values() {
	for v in abc -1 86401 1x ""; do
		out=$(ctl shutdown --drain "$v" 2>&1); rc=$?
		expect_eq "$rc" 2 "exit status of shutdown --drain '$v'"
		expect_match "$out" "^initctl: --drain takes 0 to 86400 seconds, not '$v'$" "message for '$v'"
	done
	out=$(ctl reboot --drain 2>&1); rc=$?
	expect_eq "$rc" 2 "exit status of reboot --drain without a value"
	out=$(ctl shutdown --timeout 5 2>&1); rc=$?
	expect_eq "$rc" 2 "exit status of shutdown --timeout"
	expect_match "$out" "unknown option: --timeout" "shutdown --timeout"
	# A drain beyond the bound, or unknown wait bits, sent as a raw frame:
	# refused as a bad frame, init goes on.
	out=$(frame --hash "$(cfg_hash)" --op 8 --arg0 86401)
	expect_match "$out" "^status=1 msg=bad shutdown: a drain of 0 to 86400 seconds.* closed=yes$" "frame: drain too long"
	out=$(frame --hash "$(cfg_hash)" --op 9 --arg1 2)
	expect_match "$out" "^status=1 msg=bad shutdown: .* closed=yes$" "frame: unknown wait bits"
	ctl ping >/dev/null || fail "init does not answer after the refused requests"
	has_state front active || fail "front not active"
}

t_02_drain_reports_stopping_and_keeps_running() {
	wait_for "front running" 10 has_state front active
	bg first shutdown --drain 120 --wait
	wait_for "the drain to begin" 10 log_lines 'initctl: draining for 120 s, health stopping'
	# The health says stopping at once (and health exits non-zero), and an
	# event says so.
	out=$(ctl health 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status of health during the drain"
	expect_match "$out" "stopping" "health during the drain"
	ctl events --since 1 --no-follow > "$WORK/events" || fail "events failed"
	grep -q '"kind":"system".*"to":"stopping"' "$WORK/events" || fail "no system event to stopping: $(tail -3 "$WORK/events")"
	# The services run on, nothing is stopped, and the waiter waits.
	has_state front active && has_state back active || fail "a service stopped during the drain: $(ctl list)"
	[ ! -e "$WORK/stopped" ] || fail "stopped during the drain: $(cat "$WORK/stopped")"
	[ ! -e "$WORK/first.rc" ] || fail "shutdown --wait returned during the drain: $(cat "$WORK/first.out")"
	# Without --wait: refused as today, the drain goes on.
	out=$(ctl shutdown --drain 200 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status of a longer drain during a drain"
	expect_match "$out" "already shutting down" "a longer drain during a drain"
	# Two more waiters: one stays, one goes away before the end.
	bg second reboot --drain 200 --wait
	( exec "$INITCTL" shutdown --drain 200 --wait > /dev/null 2>&1 ) & quitter=$!
	# (the refused request above, then these two)
	wait_for "the waiters to be taken" 10 sh -c "[ \$(grep -c 'shutdown already under way' '$LOG') -ge 3 ]"
	kill "$quitter"
	has_state front active || fail "front stopped when a waiter went away"
	[ ! -e "$WORK/first.rc" ] || fail "shutdown --wait returned during the drain"
}

t_03_plain_shutdown_cuts_the_drain_short() {
	out=$(ctl shutdown 2>&1); rc=$?
	expect_eq "$rc" 0 "exit status of a plain shutdown during the drain"
	expect_eq "$out" "✓ System shutdown: the drain under way ends now" "reply"
	wait_for "the waiter's answer" 30 test -f "$WORK/first.rc"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status of init"
}

t_04_wait_answered_at_the_end() {
	expect_eq "$(cat "$WORK/first.rc")" 0 "exit status of shutdown --drain 120 --wait"
	expect_match "$(cat "$WORK/first.out")" "Every service stopped, every log line handed to the log streams; exiting" "its message"
	# Answered after both services had stopped, in reverse order, and
	# after init's last line.
	expect_eq "$(tr '\n' ' ' < "$WORK/first.stopped")" "front back " "stopped when the answer came"
	expect_eq "$(cat "$WORK/first.exiting")" 1 "init's 'exiting' out when the answer came"
	expect_eq "$(cat "$WORK/second.rc")" 0 "exit status of the second waiter"
	expect_eq "$(tr '\n' ' ' < "$WORK/second.stopped")" "front back " "stopped when the second answer came"
	logged_before 'drain ends now' 'Stopping service front' || fail "front stopped before the drain was cut short"
	logged_before 'Service front (stopped|exited|killed)' 'Stopping service back' || fail "back signalled before front was down"
	log_lines 'shutting down \(power off\)' >/dev/null || fail "the kind is not the first request's (power off)"
	# The services' last words reached their logs.
	grep -q 'front: last words' "$WORK/log/front.log" || fail "front's last words not in its log"
}
