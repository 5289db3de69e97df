# Restarts for ever unless StartLimitBurst / StartLimitIntervalSec are set
# (issue 12, defect 7): a crash loop is never given up on but paced to a
# start a second, and `status` says so; a periodic job's clean exits are
# never throttled nor limited; a limit that is set gives up as systemd does.
#
# No step compares a duration with a threshold: the pace is checked as an
# upper bound on the number of starts in the time measured around them
# (load can only make starts fewer), everything else by counts and words.

# starts NAME: "Starting service NAME" lines on init's console (written as
# each start begins).
starts() { grep -c "init: Starting service $1\$" "$LOG"; }
starts_at_least() { [ "$(starts "$1")" -ge "$2" ]; }

# until_runs NAME N SECONDS: wait for N runs; fail at once if it fails.
until_runs() {
	local end=$((SECONDS + $3))
	until runs_at_least "$1" "$2"; do
		[ "$(state "$1")" != failed ] || fail "$1 failed after $(runs "$1") runs: $(field "$1" "Last Error")"
		[ $SECONDS -lt $end ] || fail "timed out after $3s: $1 ran $(runs "$1") times, not $2"
		sleep 0.1
	done
}

THROTTLE_LINE='  Restart Throttle: next start in 1s (it ended within 1s of its start)'

t_01_crash_loop_is_never_given_up() {
	# 8 runs: past the old default limit (the first and 5 restarts).
	until_runs looper 8 60
	[ "$(state looper)" != failed ] || fail "looper failed: $(field looper "Last Error")"
	! log_lines 'Service looper not restarted' >/dev/null || fail "looper was given up on"
	n=$(field looper "Restart Count")
	[ "$n" -ge 7 ] || fail "Restart Count $n after $(runs looper) runs"
}

t_02_crash_loop_is_paced_to_a_start_a_second() {
	local s0 s1 c0 c1 n w
	s0=$(date +%s%N)
	c0=$(starts looper)
	wait_for "5 more starts of looper" 30 starts_at_least looper $((c0 + 5))
	c1=$(starts looper)
	s1=$(date +%s%N)
	# Each start comes at least a second after the one before, so n starts
	# take at least n - 1 seconds (less 10 % for the two clocks); without
	# the throttle they come within milliseconds.
	n=$((c1 - c0))
	w=$(((s1 - s0) / 1000000))
	[ $(((n - 1) * 900)) -le "$w" ] || fail "$n starts of looper within ${w} ms"
}

t_03_status_says_it_is_throttled() {
	local out end=$((SECONDS + 20))
	# looper spends about a second of each in the throttled wait.
	# (status exits 3 while looper is not active: the output is what counts)
	until out=$(ctl status looper; true) && printf '%s\n' "$out" | grep -qxF "$THROTTLE_LINE"; do
		[ $SECONDS -lt $end ] || fail "no throttle line in status; last:"$'\n'"$out"
		sleep 0.05
	done
	expect_match "$out" '^  Status: activating \(auto-restart\)$' "Status"
	expect_match "$out" '^  State: waiting to restart$' "State"
	expect_match "$out" '^  Restart Delay: 0s$' "Restart Delay (RestartSec as configured)"
	log_lines 'init: Service looper will restart in 1s \(throttled: it ended within 1s of its start\)$' >/dev/null ||
		fail "no throttled restart on the console"
}

t_04_periodic_clean_job_runs_for_ever() {
	until_runs ticker 8 60
	[ "$(state ticker)" != failed ] || fail "ticker failed: $(field ticker "Last Error")"
	n=$(field ticker "Restart Count")
	[ "$n" -ge 7 ] || fail "Restart Count $n after $(runs ticker) runs"
	! log_lines 'Service ticker will restart in .*throttled' >/dev/null || fail "ticker's clean exits were throttled"
	! ctl status ticker | grep -q 'Restart Throttle' || fail "throttle line in ticker's status"
}

t_05_clean_exits_are_not_throttled() {
	out=$(ctl start quick) || fail "start: $out"
	wait_for "quick to end (its 20th run exits 1)" 60 has_state quick failed
	expect_eq "$(runs quick)" 20 "runs of quick"
	expect_eq "$(log_lines 'init: Service quick will restart in 0s$' | wc -l)" 19 "restarts at once"
	! log_lines 'Service quick will restart in .*throttled' >/dev/null || fail "quick's clean exits were throttled"
	expect_eq "$(field quick "Last Error")" "" "Last Error"
}

t_06_a_set_limit_gives_up_as_systemd_does() {
	out=$(ctl start limited) || fail "start: $out"
	wait_for "limited failed" 30 has_state limited failed
	expect_eq "$(runs limited)" 3 "runs (the first and 2 restarts)"
	expect_eq "$(field limited "Last Error")" "restart limit reached: 2 restarts within 60s" "Last Error"
	expect_eq "$(field limited Status)" "failed (start-limit-hit)" "Status"
	! log_lines 'Service limited will restart in .*throttled' >/dev/null || fail "limited was throttled"
}

t_07_stop_ends_the_loop() {
	ctl stop looper >/dev/null || fail "stop looper"
	wait_for "looper stopped" 10 has_state looper inactive
	n=$(runs looper)
	# ticker is the clock: two more of its runs, and looper has not run.
	t=$(runs ticker)
	until_runs ticker $((t + 2)) 30
	expect_eq "$(runs looper)" "$n" "runs of the stopped looper"
	expect_eq "$(state looper)" inactive "state"
}
