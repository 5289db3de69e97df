# The wall clock kept near a source's (timesync.c), within bounds, against
# a source that lies, stalls or sends garbage. This machine's clock must
# never change: init runs without CAP_SYS_TIME (its bounding set drops
# it), so every step it tries fails with EPERM, is logged with its size
# and leaves the clock alone; what is checked is the bounded adjustment
# init computed, and that init survives every source and answers on.

# init without CAP_SYS_TIME: the test machine's clock is not ours to set.
start_init() { start_init_no_sys_time "$@"; }

SOCK="$WORK/time.sock"


# serve ARGS...: a time server on $SOCK (initctl time-serve, or the liar
# with "liar MODE"), replacing the one before.
serve() {
	[ -f "$WORK/server.pid" ] && kill "$(cat "$WORK/server.pid")" 2>/dev/null
	rm -f "$SOCK"
	if [ "$1" = liar ]; then
		"${PYTHON:-python3}" "$WORK/bin/timeliar.py" "$SOCK" "$2" >/dev/null 2>&1 &
	else
		"$INITCTL" time-serve --unix "$SOCK" "$@" >/dev/null 2>&1 &
	fi
	echo $! > "$WORK/server.pid"
	wait_for "the time server's socket" 10 test -S "$SOCK"
}

# clock_is EXPR WANT: clock_json EXPR prints WANT (for wait_for, which
# runs its command anew each time).
clock_is() { [ "$(clock_json "$1")" = "$2" ]; }
more_lines() { [ "$(grep -cE -- "$1" "$LOG")" -gt "$2" ]; }
refused_above() { [ "$(clock_json 'd["clock_refused"]')" -gt "$1" ]; }


t_01_no_source_unreachable() {
	wait_for "an attempt that finds no source" 10 grep -q "init: warning: clock: cannot reach unix:$SOCK: No such file or directory; clock left as it is" "$LOG"
	expect_match "$(ctl system-status | grep '^  Clock: ')" "^  Clock: unreachable from unix:$SOCK \(no sample yet, 0 refused\)\$" "system-status's Clock line"
	ctl ping >/dev/null || fail "init does not answer ping"
}

t_02_an_hour_ahead_bounded_never_set() {
	before=$(wall_less_mono)
	serve --test-offset-ms 3600000
	wait_for "a step init tried" 15 grep -q 'clock: unable to step the clock by +900.000 s (offset +3[56][0-9][0-9]\.[0-9]* s' "$LOG"
	line=$(grep -m1 'clock: unable to step' "$LOG")
	expect_match "$line" 'by \+900\.000 s \(offset \+3(599|600)\.[0-9]{3} s, rtt [0-9]+\.[0-9]{3} ms\): Operation not permitted' "the logged, bounded step"
	expect_eq "$(clock_json 'd["clock"], abs(d["clock_offset_us"] - 3600000000) < 2000000, d["clock_adjustments"]')" \
		"failed True 0" "clock, offset and adjustments of system-status --json"
	expect_eq "$(wall_less_mono)" "$before" "this machine's clock (wall less monotonic, s)"
	ctl ping >/dev/null || fail "init does not answer ping"
}

t_03_behind_never_back() {
	serve --test-offset-ms -3600000
	wait_for "a backward offset refused" 15 grep -qE 'init: warning: clock: offset -3(599|600)\.[0-9]{3} s \(rtt [0-9.]+ ms\) not corrected: bounded by clock.max_backward_ms' "$LOG"
	expect_eq "$(clock_json 'd["clock"]')" "bounded" "the clock's state"
	grep -q 'unable to step the clock by -' "$LOG" && fail "init tried to step the clock back"
	return 0
}

# hostile MODE REGEX: a liar's answers are refused with REGEX, counted,
# and init answers on.
hostile() {
	local before lines
	before=$(clock_json 'd["clock_refused"]')
	lines=$(grep -cE -- "$2" "$LOG")
	serve liar "$1"
	wait_for "the $1 source refused" 15 more_lines "$2" "$lines"
	wait_for "the refusal counted" 10 refused_above "$before"
	ctl ping >/dev/null || fail "init does not answer ping after the $1 source"
	ctl list >/dev/null || fail "init does not list after the $1 source"
}

t_04_silent_source() { hostile silent "no answer from unix:$SOCK: no answer within 500 ms"; }
t_05_half_frame() { hostile half "no answer from unix:$SOCK: closed after 16 of 32 bytes"; }
t_06_wrong_nonce() { hostile nonce "refused the answer of unix:$SOCK: it does not carry our nonce"; }
t_07_huge_time() { hostile huge "refused the answer of unix:$SOCK: not a valid reply frame"; }
t_08_wrong_magic() { hostile magic "refused the answer of unix:$SOCK: not a valid reply frame"; }

t_09_reply_in_pieces_taken() {
	serve liar pieces
	wait_for "a sample taken from a reply in pieces" 15 clock_is 'd["clock"]' synced
	expect_eq "$(clock_json 'abs(d["clock_offset_us"]) < 1000000')" True "the honest source's offset is small"
}

t_10_metrics() {
	m=$(ctl metrics)
	# (one line each: grep takes a pattern's newlines as between patterns)
	expect_match "$m" '^enclave_init_clock_state 3$' "clock_state"
	expect_match "$m" '^enclave_init_clock_offset_seconds -?0\.[0-9]{6}$' "clock_offset_seconds"
	expect_match "$m" '^enclave_init_clock_rtt_seconds 0\.[0-9]{6}$' "clock_rtt_seconds"
	expect_match "$m" '^enclave_init_clock_refused_total [1-9][0-9]*$' "clock_refused_total"
	expect_match "$m" '^enclave_init_clock_adjustments_total 0$' "no adjustment was made (no CAP_SYS_TIME)"
	expect_match "$m" '^enclave_init_clock_adjusted_seconds_total 0\.000000$' "nothing adjusted"
	expect_eq "$(ns_pgrep -c -f "$INIT_BIN")" 1 "init is still there"
}
