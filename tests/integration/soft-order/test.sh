# After/Before order start attempts, they do not require success (issue 12,
# defect 8): behind a service that cannot start, a service ordered after it
# starts once that service's attempt is over (it failed at exec and waits to
# restart), and the restarts that follow do not hold it back. Requires is
# unchanged: its dependant waits.

# starts NAME: "Starting service NAME" lines on init's console.
starts() { grep -c "init: Starting service $1\$" "$LOG"; }
starts_at_least() { [ "$(starts "$1")" -ge "$2" ]; }

t_01_database_fails_at_exec_and_waits_to_restart() {
	wait_for "database's exec failure" 10 log_lines 'Service database failed to start: exec: No such file or directory'
	wait_for "database waiting to restart" 10 has_state database activating
	expect_eq "$(field database "Last Error")" "exec: No such file or directory" "Last Error"
}

t_02_webapp_starts_behind_it() {
	wait_for "webapp running" 10 has_state webapp active
	expect_eq "$(field webapp State)" running "State"
	wait_for "webapp's first run" 10 runs_at_least webapp 1
	# Only after database's attempt was over.
	a=$(grep -n -m1 'Service database failed to start' "$LOG" | cut -d: -f1)
	b=$(grep -n -m1 'init: Starting service webapp$' "$LOG" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "webapp started (line $b) before database's attempt ended (line $a)"
}

t_03_cache_after_webapp_starts_too() {
	wait_for "cache running" 10 has_state cache active
}

t_04_requires_still_waits() {
	expect_eq "$(field reporter State)" "waiting for dependencies" "reporter's State"
	expect_eq "$(runs reporter)" 0 "runs of reporter"
}

t_05_database_restarts_do_not_hold_webapp_back() {
	pid=$(field webapp PID)
	n=$(starts database)
	wait_for "two more start attempts of database" 30 starts_at_least database $((n + 2))
	expect_eq "$(field webapp PID)" "$pid" "webapp's PID"
	expect_eq "$(runs webapp)" 1 "runs of webapp"
	expect_eq "$(field reporter State)" "waiting for dependencies" "reporter's State"
	# Restarted while database waits to restart: it goes at once.
	out=$(ctl restart webapp --wait --timeout 20) || fail "restart --wait: $out"
	expect_match "$out" "^✓ Service 'webapp' is running \(PID [0-9]+\)\$" "restart --wait"
	expect_eq "$(runs webapp)" 2 "runs of webapp"
}

# start --wait of a service whose start fails and that will try again (no
# restart limit to end it): the start has failed, said at once, as
# systemd's start job fails; it does not wait for its timeout.
t_06_wait_on_a_failing_start_answers() {
	out=$(ctl restart database --wait --timeout 60 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$out" "✗ Error: Service 'database' failed to start: exec: No such file or directory (it will be started again)" "message"
	expect_eq "$(field database State)" "waiting to restart" "State"
}
