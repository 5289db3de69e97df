# Start, stop, restart; RestartSec; stop timeout; process groups; failures
# to start; environment, working directory and argv; signal state.

# init is started with signals ignored, as a careless parent might leave
# them (SIGCHLD among them): it must still see its children exit, and its
# services must start with every disposition at the default.
start_init() {
	rm -f "$EXITFILE"
	( trap '' CHLD USR1 HUP PIPE
	  unshare --pid --fork --mount-proc --kill-child "$INIT_BIN" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

t_01_sleeper_runs() {
	wait_for "sleeper running" 10 has_state sleeper active
	expect_match "$(field sleeper Status)" '^active \(running\)$' "status"
	expect_match "$(field sleeper PID)" '^[0-9]+$' "PID"
}

t_02_stop_and_not_restarted() {
	out=$(ctl stop sleeper) || fail "stop failed: $out"
	expect_eq "$out" "✓ Service 'sleeper' stop signal sent" "stop message"
	wait_for "sleeper stopped" 10 has_state sleeper inactive
	# Restart = always, RestartSec = 0: had it been restarted, it would be by
	# now; let the pacer restart 5 more times to be sure the loop moved on.
	n=$(runs pacer)
	wait_for "pacer to run 5 more times" 10 runs_at_least pacer $((n + 5))
	expect_eq "$(runs sleeper)" 1 "runs of the stopped sleeper"
	expect_eq "$(state sleeper)" inactive "state after a while"
}

t_03_stop_when_stopped_is_an_error() {
	out=$(ctl stop sleeper 2>&1) && fail "stop of a stopped service succeeded"
	expect_eq "$out" "✗ Error: Service 'sleeper' is not running" "message"
}

t_04_start_again() {
	out=$(ctl start sleeper) || fail "start failed: $out"
	expect_eq "$out" "✓ Service 'sleeper' started" "start message"
	wait_for "sleeper running again" 10 has_state sleeper active
	expect_eq "$(runs sleeper)" 2 "runs"
	out=$(ctl start sleeper 2>&1) && fail "second start succeeded"
	expect_eq "$out" "✗ Error: Service 'sleeper' is already running" "message"
}

t_05_restart_gives_a_new_pid() {
	old=$(field sleeper PID)
	out=$(ctl restart sleeper) || fail "restart failed: $out"
	expect_eq "$out" "✓ Service 'sleeper' restarted" "message"
	wait_for "a new sleeper" 10 runs_at_least sleeper 3
	wait_for "sleeper active" 10 has_state sleeper active
	new=$(field sleeper PID)
	[ -n "$new" ] && [ "$new" != "$old" ] || fail "PID $old -> '$new'"
	# An operator restart is not an automatic one.
	expect_eq "$(field sleeper "Restart Count")" 0 "restart count"
}

t_06_restart_sec_honoured() {
	wait_for "three runs of delayed" 15 runs_at_least delayed 3
	awk 'NR > 1 { d = $1 - prev; if (d < 1.95) { print "gap " d "s"; bad = 1 } } { prev = $1 }
	     END { exit bad }' "$WORK/runs.delayed" || fail "runs closer than RestartSec = 2"
}

t_07_stop_timeout_escalates_to_sigkill() {
	wait_for "stubborn running" 10 has_state stubborn active
	ctl stop stubborn >/dev/null || fail "stop failed"
	wait_for "stubborn stopped" 10 has_state stubborn inactive
	expect_eq "$(field stubborn "Last Exit Code")" "137 (killed by SIGKILL)" "exit"
	log_lines "Service stubborn did not stop within 1s: sending SIGKILL" >/dev/null || fail "no escalation logged"
}

t_08_stop_kills_the_whole_group() {
	wait_for "family running" 10 has_state family active
	wait_for "family helpers" 10 pgrep -f "$WORK-ignorer"
	ns_pgrep -f "sleep 100001" >/dev/null || fail "helper sleep missing"
	ctl stop family >/dev/null || fail "stop failed"
	wait_for "family stopped" 10 has_state family inactive
	! pgrep -f "$WORK-ignorer" >/dev/null || fail "TERM-ignoring helper survived the stop"
	! ns_pgrep -f "sleep 100001" >/dev/null || fail "helper sleep survived the stop"
}

t_09_exec_failure_shows_why() {
	wait_for "noexec failed" 10 has_state noexec failed
	expect_eq "$(field noexec "Last Error")" "exec: No such file or directory" "reason"
	expect_eq "$(field noexec Status)" "failed (start failed)" "status"
	expect_eq "$(field noexec "Last Exit Code")" 127 "exit code"
}

t_10_bad_working_directory_shows_why() {
	wait_for "badcwd failed" 10 has_state badcwd failed
	expect_eq "$(field badcwd "Last Error")" "chdir: No such file or directory" "reason"
}

t_11_environment_and_cwd() {
	wait_for "envdump output" 10 test -s "$WORK/cwd.out"
	expect_eq "$(cat "$WORK/cwd.out")" /tmp "working directory"
	want='EMPTY=
GREETING=hello
PATH=/sbin:/usr/sbin:/bin:/usr/bin
PWD=/tmp
QUOTED=a b
SHARED=from-service'
	expect_eq "$(grep -v '^SHLVL=\|^_=' "$WORK/env.out")" "$want" "environment"
}

t_12_argv_split_without_shell() {
	wait_for "argv output" 10 test -s "$WORK/argv.out"
	want='[one]
[two words]
[three four]
[quote"d]
[$HOME;x]'
	expect_eq "$(cat "$WORK/argv.out")" "$want" "argv"
}

t_13_own_session_signals_unblocked_stdin_null() {
	# The probes write to stdout, which is the service's log: lines there
	# carry a 22-byte "[YYYY-MM-DD HH:MM:SS] " prefix, cut off here.
	local d="$WORK/log" probe="$WORK/probe.txt"
	wait_for "the probes' output" 10 sh -c "grep -q '] SigIgn:' '$d/sigmask.log' && grep -q ' (cat) ' '$d/session.log' && grep -q '] stdin: ' '$d/stdin.log'"
	cat "$d/sigmask.log" "$d/session.log" "$d/stdin.log" | cut -c23- > "$probe"
	expect_eq "$(grep '^SigBlk:' "$probe")" "$(printf 'SigBlk:\t0000000000000000')" "blocked signals"
	expect_eq "$(grep '^SigIgn:' "$probe")" "$(printf 'SigIgn:\t0000000000000000')" "ignored signals (none, whatever init inherited or ignores itself)"
	grep ' (cat) ' "$probe" | awk '{ if ($1 != $5 || $1 != $6) exit 1 }' || fail "not its own session and group: $(grep ' (cat) ' "$probe")"
	expect_match "$(grep '^stdin: ' "$probe")" "-> '/dev/null'$" "stdin"
}

# A deactivating row (12 characters in the 10 of ACTIVE) widens the column
# for every row: each row's cells start where the header's titles do.
list_aligned() {
	awk 'NR == 1 { for (c = 1; c <= NF; c++) at[c] = index($0, $c); next }
	     NR == 2 { next }
	     { n = split($0, w, / +/); if (n != 5) { print "not 5 cells: " $0; bad = 1 }
	       for (c = 1; c <= 5; c++) if (substr($0, at[c], length(w[c])) != w[c]) { print "shifted: " $0; bad = 1 } }
	     END { exit bad }'
}

t_14_deactivating_row_keeps_the_columns() {
	local out
	wait_for "lingerer running" 10 has_state lingerer active
	ctl stop lingerer >/dev/null || fail "stop lingerer"
	wait_for "lingerer deactivating" 10 has_state lingerer deactivating
	out=$(ctl list)
	printf '%s\n' "$out" | grep -q ' deactivating ' || fail "no deactivating row:"$'\n'"$out"
	printf '%s\n' "$out" | list_aligned || fail "columns shifted:"$'\n'"$out"
	# The manual's widths otherwise: a list without a longer cell is as before.
	touch "$WORK/release"
	wait_for "lingerer stopped" 10 has_state lingerer inactive
	out=$(ctl list)
	expect_eq "$(printf '%s\n' "$out" | head -2)" "NAME                      ENABLED    ACTIVE     RESTART         RESTARTS
---------------------------------------------------------------------------" "header"
	printf '%s\n' "$out" | list_aligned || fail "columns shifted:"$'\n'"$out"
}
