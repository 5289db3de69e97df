# Dependencies at run time, enable/disable, --wait and the restart rate
# limit (when set): independent services start in one pass; After/Before order the
# start; Requires fails a dependant whose requirement failed, and an
# operator's stop/restart of a required service takes its dependants down
# first and brings them back; State: words; enable/disable [--now];
# start/stop/restart --wait [--timeout]; StartLimitBurst/IntervalSec; bad
# requests; then more of Requires (a crash, pulling in, a held-back stop).
#
# Order is read from init's console ($LOG), which init writes one line at a
# time as things happen; each step looks only at the lines after a mark
# taken before it acted. No step compares durations with a threshold.

# mark: the console's current line count; since N: the lines after it.
mark() { wc -l < "$LOG"; }
since() { tail -n +"$(($1 + 1))" "$LOG"; }

# first_line TEXT REGEX: number of TEXT's first line matching REGEX (empty if none).
first_line() { printf '%s\n' "$1" | grep -nE -m1 -- "$2" | cut -d: -f1; }

# in_order TEXT A B WHAT: a line matching A comes before the first matching B.
in_order() {
	local a b
	a=$(first_line "$1" "$2"); b=$(first_line "$1" "$3")
	[ -n "$a" ] || fail "$4: no line matching /$2/"
	[ -n "$b" ] || fail "$4: no line matching /$3/"
	[ "$a" -lt "$b" ] || fail "$4: /$2/ (line $a) is not before /$3/ (line $b)"
}

# count TEXT REGEX: how many lines of TEXT match.
count() { printf '%s\n' "$1" | grep -cE -- "$2"; }

# new_pid SERVICE OLD: it is active with a PID other than OLD.
new_pid() {
	local p
	p=$(field "$1" PID)
	[ -n "$p" ] && [ "$p" != "$2" ] && has_state "$1" active
}

enabled_col() { ctl list | awk -v s="$1" '$1 == s { print $2 }'; }

# start_ticks HOSTPID: when the kernel forked it (clock ticks since boot).
start_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $20 }'; }

# --- 1. independent services start together ----------------------------

t_01_independent_services_start_in_one_pass() {
	local s n first_up
	# Each writes a timestamp (date +%s%N) as its first act. Those are not
	# ordered by init: a service is "running" once its exec succeeded,
	# before its first command has run. So the order is checked on init's
	# console and in the kernel's fork times, not on the timestamps.
	for s in par1 par2 par3 par4 joiner; do
		wait_for "$s running" 10 has_state "$s" active
		wait_for "$s start timestamp" 10 test -s "$WORK/ts.$s"
		expect_match "$(cat "$WORK/ts.$s")" '^[0-9]{19}$' "$s timestamp"
	done
	# All four were forked by the boot pass, before init heard back from
	# any exec: their "Starting service" lines precede every
	# "starting -> running".
	first_up=$(grep -n -m1 ': starting -> running$' "$LOG" | cut -d: -f1)
	[ -n "$first_up" ] || fail "no 'starting -> running' in the console"
	for s in par1 par2 par3 par4; do
		n=$(grep -n -m1 "Starting service $s\$" "$LOG" | cut -d: -f1)
		[ -n "$n" ] && [ "$n" -lt "$first_up" ] ||
			fail "$s was not started in the boot pass (line '$n', first running at line $first_up)"
	done
	# joiner comes after each of them: it was forked only once all four ran.
	for s in par1 par2 par3 par4; do
		in_order "$(cat "$LOG")" "service $s: starting -> running\$" "Starting service joiner\$" "joiner after $s"
	done
	# The kernel agrees: each was forked no later than joiner.
	local j jt h
	j=$(host_pid "$(field joiner PID)") || fail "joiner's process not found"
	jt=$(start_ticks "$j")
	for s in par1 par2 par3 par4; do
		h=$(host_pid "$(field "$s" PID)") || fail "$s's process not found"
		[ "$(start_ticks "$h")" -le "$jt" ] || fail "$s forked after joiner"
	done
	for s in par1 par2 par3 par4 joiner; do expect_eq "$(runs "$s")" 1 "runs of $s"; done
}

# --- 2. After / Before ---------------------------------------------------

t_02_after_and_before_order_the_start() {
	local s
	for s in first second early late; do wait_for "$s running" 10 has_state "$s" active; done
	in_order "$(cat "$LOG")" 'service first: starting -> running$' 'Starting service second$' "After"
	in_order "$(cat "$LOG")" 'service early: starting -> running$' 'Starting service late$' "Before"
}

t_03_after_a_failed_service_does_not_block() {
	wait_for "broken failed" 10 has_state broken failed
	wait_for "patient running" 10 has_state patient active
	expect_eq "$(field broken "Last Error")" "exec: No such file or directory" "broken's error"
	in_order "$(cat "$LOG")" 'Service broken failed to start: exec: No such file or directory$' \
		'Starting service patient$' "patient started once broken had failed"
	expect_eq "$(field patient "Last Error")" "" "patient's error"
}

# --- 3. Requires / RequiredBy ---------------------------------------------

t_04_requires_a_failed_service_fails() {
	wait_for "needsbad failed" 10 has_state needsbad failed
	expect_eq "$(field needsbad "Last Error")" "dependency broken failed" "Last Error"
	expect_eq "$(field needsbad Status)" "failed (dependency)" "Status"
	expect_eq "$(field needsbad State)" failed "State"
	expect_eq "$(field needsbad PID)" "" "PID"
	expect_eq "$(runs needsbad)" 0 "runs of needsbad"
	log_lines 'init: warning: Service needsbad not started: dependency broken failed$' >/dev/null ||
		fail "no 'not started' warning on the console"
}

# The operator stops a required service: its dependant goes down first.
stop_required() {  # REQ DEP
	local req=$1 dep=$2 m out
	wait_for "$req running" 10 has_state "$req" active
	wait_for "$dep running" 10 has_state "$dep" active
	field "$dep" PID > "$WORK/$dep.pid0"
	m=$(mark)
	out=$(ctl stop "$req") || fail "stop $req: $out"
	expect_eq "$out" "✓ Service '$req' stop signal sent" "stop message"
	wait_for "$dep stopped" 10 has_state "$dep" inactive
	wait_for "$req stopped" 10 has_state "$req" inactive
	in_order "$(since "$m")" "Stopping service $dep \\(" "Stopping service $req \\(" "stop order"
	in_order "$(since "$m")" "Service $dep stopped\$" "Stopping service $req \\(" \
		"$req signalled only once $dep was down"
	expect_eq "$(field "$dep" State)" stopped "$dep State"
	expect_eq "$(field "$req" State)" stopped "$req State"
}

# Starting it again brings the dependant back, with a new process; the
# required service is started once (not a second time by its dependant).
start_required() {  # REQ DEP
	local req=$1 dep=$2 m out old runs_req
	old=$(cat "$WORK/$dep.pid0")
	runs_req=$(runs "$req")
	m=$(mark)
	out=$(ctl start "$req") || fail "start $req: $out"
	expect_eq "$out" "✓ Service '$req' started" "start message"
	wait_for "$req running" 10 has_state "$req" active
	wait_for "$dep running again with a new PID" 10 new_pid "$dep" "$old"
	in_order "$(since "$m")" "service $req: starting -> running\$" "Starting service $dep\$" \
		"$dep started once $req was running"
	started_once "$req" "$dep" "$m"
	expect_eq "$(runs "$req")" $((runs_req + 1)) "runs of $req"
}

# started_once REQ DEP MARK: one "Starting service" line each since MARK.
started_once() {
	expect_eq "$(count "$(since "$3")" "Starting service $1\$")" 1 "'Starting service $1' lines"
	expect_eq "$(count "$(since "$3")" "Starting service $2\$")" 1 "'Starting service $2' lines"
}

# The operator restarts a required service: both get new processes.
restart_required() {  # REQ DEP
	local req=$1 dep=$2 m out oreq odep
	wait_for "$dep running" 10 has_state "$dep" active
	oreq=$(field "$req" PID); odep=$(field "$dep" PID)
	m=$(mark)
	out=$(ctl restart "$req") || fail "restart $req: $out"
	expect_eq "$out" "✓ Service '$req' restarted" "restart message"
	wait_for "$req running with a new PID" 10 new_pid "$req" "$oreq"
	wait_for "$dep running with a new PID" 10 new_pid "$dep" "$odep"
	in_order "$(since "$m")" "Service $dep stopped\$" "Stopping service $req \\(" "$dep down before $req is stopped"
	in_order "$(since "$m")" "service $req: starting -> running\$" "Starting service $dep\$" \
		"$dep started once $req was running"
	started_once "$req" "$dep" "$m"
}

t_05_stop_required_stops_dependant_first() { stop_required req dep; }

t_06_start_required_brings_dependant_back() { start_required req dep; }

t_07_restart_required_restarts_dependant() { restart_required req dep; }

t_08_required_by_stop() { stop_required rb rbdep; }

t_09_required_by_start() { start_required rb rbdep; }

t_10_required_by_restart() { restart_required rb rbdep; }

# --- 4. State: words -------------------------------------------------------

t_11_state_words() {
	expect_eq "$(field waiter State)" running "running"
	expect_eq "$(field broken State)" failed "failed"
	for s in offboot offflag; do
		expect_eq "$(field "$s" State)" disabled "$s (disabled)"
		expect_eq "$(field "$s" Enabled)" no "$s Enabled"
		expect_eq "$(field "$s" Status)" "inactive (dead)" "$s Status"
		expect_eq "$(enabled_col "$s")" disabled "$s ENABLED column"
		expect_eq "$(state "$s")" inactive "$s ACTIVE column"
		expect_eq "$(runs "$s")" 0 "runs of $s"
	done
	ctl stop late >/dev/null || fail "stop late"
	wait_for "late stopped" 10 has_state late inactive
	expect_eq "$(field late State)" stopped "stopped (enabled)"
	expect_eq "$(field late Status)" "inactive (dead)" "late Status"
	# "waiting for dependencies": t_20.
}

# --- 5. enable / disable -----------------------------------------------------

t_12_disable_a_running_service() {
	wait_for "toggle running" 10 has_state toggle active
	out=$(ctl disable toggle) || fail "disable: $out"
	expect_eq "$out" "✓ Service 'toggle' disabled and stopping" "message"
	expect_eq "$(enabled_col toggle)" disabled "ENABLED column"
	wait_for "toggle stopped" 10 has_state toggle inactive
	expect_eq "$(field toggle State)" disabled "State"
	out=$(ctl disable toggle) || fail "disable again: $out"
	expect_eq "$out" "✓ Service 'toggle' disabled" "message when already stopped"
}

t_13_enable_does_not_start() {
	n=$(runs toggle)
	out=$(ctl enable toggle) || fail "enable: $out"
	expect_eq "$out" "✓ Service 'toggle' enabled" "message"
	expect_eq "$(enabled_col toggle)" enabled "ENABLED column"
	# A start would have been a fork during the request: it would show now.
	expect_eq "$(state toggle)" inactive "ACTIVE column"
	expect_eq "$(field toggle State)" stopped "State"
	expect_eq "$(runs toggle)" "$n" "runs"
}

t_14_enable_now_starts() {
	n=$(runs toggle)
	out=$(ctl enable --now toggle) || fail "enable --now: $out"
	expect_eq "$out" "✓ Service 'toggle' enabled and started" "message"
	wait_for "toggle running" 10 has_state toggle active
	wait_for "toggle's new run" 10 runs_at_least toggle $((n + 1))
	expect_eq "$(enabled_col toggle)" enabled "ENABLED column"
	out=$(ctl enable toggle --now) || fail "enable --now of a running service: $out"
	expect_eq "$out" "✓ Service 'toggle' enabled" "message when already running"
	expect_eq "$(runs toggle)" $((n + 1)) "runs"
}

t_15_enable_now_a_service_disabled_at_boot() {
	out=$(ctl enable --now offboot) || fail "enable --now: $out"
	expect_eq "$out" "✓ Service 'offboot' enabled and started" "message"
	wait_for "offboot running" 10 has_state offboot active
	expect_eq "$(enabled_col offboot)" enabled "ENABLED column"
	expect_eq "$(field offboot Enabled)" yes "Enabled"
	expect_eq "$(runs offboot)" 1 "runs"
}

t_16_enabled_state_kept_across_restart() {
	old=$(field offboot PID)
	ctl restart offboot >/dev/null || fail "restart offboot"
	wait_for "offboot restarted" 10 new_pid offboot "$old"
	expect_eq "$(enabled_col offboot)" enabled "offboot ENABLED after restart"
	# And a disabled one stays disabled when the operator runs it.
	out=$(ctl start offflag) || fail "start offflag: $out"
	wait_for "offflag running" 10 has_state offflag active
	old=$(field offflag PID)
	ctl restart offflag >/dev/null || fail "restart offflag"
	wait_for "offflag restarted" 10 new_pid offflag "$old"
	expect_eq "$(enabled_col offflag)" disabled "offflag ENABLED after restart"
	expect_eq "$(field offflag Enabled)" no "offflag Enabled"
}

# --- 6. --wait ---------------------------------------------------------------

t_17_stop_wait() {
	wait_for "waiter running" 10 has_state waiter active
	out=$(ctl stop waiter --wait) || fail "stop --wait: $out"
	expect_eq "$out" "✓ Service 'waiter' stopped" "message"
	expect_eq "$(state waiter)" inactive "state right after"
	expect_eq "$(field waiter PID)" "" "PID right after"
}

t_18_start_wait() {
	out=$(ctl start waiter --wait) || fail "start --wait: $out"
	expect_match "$out" "^✓ Service 'waiter' is running \\(PID [0-9]+\\)\$" "message"
	pid=$(printf '%s\n' "$out" | sed 's/.*PID \([0-9]*\)).*/\1/')
	expect_eq "$(state waiter)" active "state right after"
	expect_eq "$(field waiter PID)" "$pid" "PID of the message vs status"
	echo "$pid" > "$WORK/waiter.pid"
}

t_19_restart_wait() {
	old=$(cat "$WORK/waiter.pid")
	out=$(ctl restart waiter --wait --timeout 10) || fail "restart --wait: $out"
	expect_match "$out" "^✓ Service 'waiter' is running \\(PID [0-9]+\\)\$" "message"
	pid=$(printf '%s\n' "$out" | sed 's/.*PID \([0-9]*\)).*/\1/')
	[ "$pid" != "$old" ] || fail "same PID $pid after restart"
	expect_eq "$(field waiter PID)" "$pid" "PID of the message vs status"
	expect_eq "$(state waiter)" active "state right after"
}

t_20_start_wait_of_a_service_that_cannot_exec() {
	wait_for "noexec failed" 10 has_state noexec failed
	out=$(ctl start noexec --wait 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$out" "✗ Error: Service 'noexec' failed: exec: No such file or directory" "message"
	expect_eq "$(state noexec)" failed "state"
}

# stubborn ignores SIGTERM (TimeoutStopSec = 30): it stays "stopping" while
# this step looks; follower (After = stubborn) waits for it meanwhile.
t_21_wait_timeouts_and_waiting_for_dependencies() {
	wait_for "stubborn running" 10 has_state stubborn active
	wait_for "follower running" 10 has_state follower active
	out=$(ctl stop follower --wait) || fail "stop follower: $out"
	expect_eq "$out" "✓ Service 'follower' stopped" "message"

	out=$(ctl stop stubborn --wait --timeout 1 2>&1); rc=$?
	expect_eq "$rc" 1 "stop --wait --timeout 1 exit status"
	expect_eq "$out" "✗ Error: timed out waiting for service 'stubborn' to be stopped (it is stopping)" "message"
	expect_eq "$(state stubborn)" deactivating "stubborn ACTIVE"
	expect_eq "$(field stubborn State)" stopping "stubborn State"

	m=$(mark)
	out=$(ctl start follower --wait --timeout 1 2>&1); rc=$?
	expect_eq "$rc" 1 "start --wait --timeout 1 exit status"
	expect_eq "$out" "✗ Error: timed out waiting for service 'follower' to be running (it is waiting for dependencies)" "message"
	expect_eq "$(field follower State)" "waiting for dependencies" "follower State"
	expect_eq "$(field follower Status)" "activating (waiting for dependencies)" "follower Status"
	expect_eq "$(state follower)" activating "follower ACTIVE"
	since "$m" | grep -q 'Service follower waits for stubborn$' || fail "no 'waits for' line"
	expect_eq "$(field stubborn State)" stopping "stubborn still stopping"

	# stubborn goes (SIGKILL from here, by its host PID): follower starts.
	h=$(pgrep -f "$WORK/bin/stubborn stubborn\$") || fail "stubborn's process not found"
	kill -9 $h
	wait_for "stubborn stopped" 10 has_state stubborn inactive
	wait_for "follower running" 10 has_state follower active
	expect_eq "$(field follower State)" running "follower State"
	in_order "$(since "$m")" 'Service stubborn stopped$' 'Starting service follower$' "follower after stubborn"
}

t_22_wait_usage_errors() {
	before=$(field waiter PID)
	out=$(ctl start waiter --timeout 5 2>&1); rc=$?
	expect_eq "$rc" 2 "--timeout without --wait"
	expect_eq "$out" "initctl: --timeout goes with --wait" "message"
	out=$(ctl stop waiter --timeout=3 2>&1); rc=$?
	expect_eq "$rc" 2 "--timeout= without --wait"
	out=$(ctl restart waiter --wait --timeout 0 2>&1); rc=$?
	expect_eq "$rc" 2 "--timeout 0"
	expect_match "$out" "^initctl: --timeout takes 1 to [0-9]+ seconds, not '0'\$" "message"
	out=$(ctl restart waiter --wait --timeout 2>&1); rc=$?
	expect_eq "$rc" 2 "--timeout without a number"
	out=$(ctl status waiter --wait 2>&1); rc=$?
	expect_eq "$rc" 2 "--wait on status"
	# None of them reached init.
	expect_eq "$(field waiter PID)" "$before" "waiter's PID"
}

# --- 7. restart rate limit -------------------------------------------------

t_23_restart_limit_when_set() {
	wait_for "crashy failed" 20 has_state crashy failed
	expect_eq "$(field crashy "Restart Count")" 5 "Restart Count"
	expect_eq "$(field crashy "Last Error")" "restart limit reached: 5 restarts within 10s" "Last Error"
	expect_eq "$(field crashy Status)" "failed (start-limit-hit)" "Status after the restart limit"
	expect_eq "$(field crashy State)" failed "State"
	expect_eq "$(field crashy "Last Exit Code")" 1 "Last Exit Code"
	expect_eq "$(runs crashy)" 6 "runs (the first and 5 restarts)"
	log_lines 'init: warning: Service crashy not restarted: restart limit reached: 5 restarts within 10s$' >/dev/null ||
		fail "no 'not restarted' warning"
}

t_24_operator_start_clears_the_limit() {
	n=$(runs crashy)
	out=$(ctl start crashy) || fail "start: $out"
	expect_eq "$out" "✓ Service 'crashy' started" "message"
	wait_for "crashy to run 6 more times" 20 runs_at_least crashy $((n + 6))
	wait_for "crashy failed again" 20 has_state crashy failed
	expect_eq "$(runs crashy)" $((n + 6)) "runs after the start (1 + 5 restarts)"
	expect_eq "$(field crashy "Last Error")" "restart limit reached: 5 restarts within 10s" "Last Error"
}

t_25_no_limit_with_interval_0() {
	out=$(ctl start nolimit) || fail "start: $out"
	wait_for "nolimit to run 12 times" 30 runs_at_least nolimit 12
	[ "$(state nolimit)" != failed ] || fail "nolimit failed: $(field nolimit "Last Error")"
	! log_lines 'Service nolimit not restarted' >/dev/null || fail "nolimit hit a limit"
	ctl stop nolimit >/dev/null || fail "stop nolimit"
	wait_for "nolimit stopped" 10 has_state nolimit inactive
}

t_26_burst_2() {
	wait_for "burst2 failed" 20 has_state burst2 failed
	expect_eq "$(field burst2 "Restart Count")" 2 "Restart Count"
	expect_eq "$(field burst2 "Last Error")" "restart limit reached: 2 restarts within 60s" "Last Error"
	expect_eq "$(runs burst2)" 3 "runs"
}

# RestartSec (1 s) >= StartLimitIntervalSec (1 s): the limit is counted
# when a restart is due, and its window opens at the first; the next is due
# RestartSec after the exit that follows that restart, so at least 1 s
# later: each restart opens a new window with a count of 1, and the burst
# of 2 is never exceeded.
t_27_restart_sec_not_below_the_window_never_hits_the_limit() {
	out=$(ctl start spaced) || fail "start: $out"
	wait_for "spaced to run 5 times" 30 runs_at_least spaced 5
	[ "$(state spaced)" != failed ] || fail "spaced failed: $(field spaced "Last Error")"
	! log_lines 'Service spaced not restarted' >/dev/null || fail "spaced hit the limit"
	r=$(field spaced "Restart Count")
	[ "$r" -ge 4 ] || fail "Restart Count $r after $(runs spaced) runs"
	ctl stop spaced >/dev/null || fail "stop spaced"
	wait_for "spaced stopped" 10 has_state spaced inactive
}

# --- 8. bad requests ---------------------------------------------------------

t_28_bad_requests() {
	out=$(ctl enable nosuch 2>&1); rc=$?
	expect_eq "$rc" 4 "enable nosuch"
	expect_eq "$out" "✗ Error: Service 'nosuch' not found" "message"
	out=$(ctl disable nosuch 2>&1); rc=$?
	expect_eq "$rc" 4 "disable nosuch"
	expect_eq "$out" "✗ Error: Service 'nosuch' not found" "message"
	out=$(ctl enable 2>&1); rc=$?
	expect_eq "$rc" 2 "enable without a name"
	expect_eq "$out" "initctl: enable takes one SERVICE name" "message"
	out=$(ctl disable toggle --now 2>&1); rc=$?
	expect_eq "$rc" 2 "disable --now"
	expect_eq "$out" "initctl: disable: unknown option: --now" "message"
	out=$(ctl enable toggle waiter 2>&1); rc=$?
	expect_eq "$rc" 2 "enable with two names"
	expect_eq "$(enabled_col toggle)" enabled "toggle untouched"
	expect_eq "$(state toggle)" active "toggle still running"
}


# --- more of Requires ----------------------------------------------------------

# A crash of a required service does not stop its dependant; starting the
# dependant pulls the required service in again.
t_29_crash_of_required_leaves_dependant_running() {
	wait_for "req running" 10 has_state req active
	wait_for "dep running" 10 has_state dep active
	odep=$(field dep PID)
	h=$(host_pid "$(field req PID)") || fail "req's process not found"
	kill -9 "$h"
	wait_for "req failed" 10 has_state req failed
	expect_eq "$(field req Status)" "failed (killed by SIGKILL)" "req Status"
	expect_eq "$(state dep)" active "dep ACTIVE"
	expect_eq "$(field dep PID)" "$odep" "dep PID"
}

t_30_start_of_dependant_pulls_in_required() {
	out=$(ctl stop dep --wait) || fail "stop dep: $out"
	m=$(mark)
	out=$(ctl start dep --wait --timeout 10) || fail "start dep --wait: $out"
	expect_match "$out" "^✓ Service 'dep' is running \\(PID [0-9]+\\)\$" "message"
	expect_eq "$(state req)" active "req pulled in"
	in_order "$(since "$m")" 'service req: starting -> running$' 'Starting service dep$' "dep after req"
	started_once req dep "$m"
}

# A dependant stopped with its required service, then stopped by the
# operator (already down: an error), stays down when that service starts.
t_31_operator_stop_keeps_a_dependency_stopped_service_down() {
	ctl stop req >/dev/null || fail "stop req"
	wait_for "req stopped" 10 has_state req inactive
	wait_for "dep stopped" 10 has_state dep inactive
	out=$(ctl stop dep 2>&1); rc=$?
	expect_eq "$rc" 1 "stop of the stopped dep"
	expect_eq "$out" "✗ Error: Service 'dep' is not running" "message"
	n=$(runs dep)
	out=$(ctl start req --wait) || fail "start req: $out"
	# Bringing dep back would have been part of the start: it would show now.
	expect_eq "$(state dep)" inactive "dep after req started"
	expect_eq "$(runs dep)" "$n" "runs of dep"
}

# slowdep (Requires slowreq) ignores SIGTERM: `stop slowreq` holds slowreq's
# own stop back while slowdep is stopping; a `start slowreq` meanwhile calls
# that stop off: slowreq keeps its process, slowdep comes back once down.
t_32_start_calls_off_a_held_back_stop() {
	wait_for "slowreq running" 10 has_state slowreq active
	wait_for "slowdep running" 10 has_state slowdep active
	oreq=$(field slowreq PID); odep=$(field slowdep PID)
	m=$(mark)
	out=$(ctl stop slowreq) || fail "stop slowreq: $out"
	expect_eq "$out" "✓ Service 'slowreq' stop signal sent" "stop message"
	expect_eq "$(state slowdep)" deactivating "slowdep ACTIVE"
	expect_eq "$(state slowreq)" active "slowreq held back"
	out=$(ctl start slowreq) || fail "start slowreq: $out"
	expect_eq "$out" "✓ Service 'slowreq' keeps running: its pending stop is called off" "start message"
	h=$(pgrep -f "$WORK/bin/stubborn slowdep\$") || fail "slowdep's process not found"
	kill -9 $h
	wait_for "slowdep back with a new PID" 10 new_pid slowdep "$odep"
	expect_eq "$(field slowreq PID)" "$oreq" "slowreq PID"
	! since "$m" | grep -q 'Stopping service slowreq ' || fail "slowreq was stopped"
	# slowdep would hold the shutdown up for 30 s: take it down now.
	ctl stop slowdep >/dev/null || fail "stop slowdep"
	h=$(pgrep -f "$WORK/bin/stubborn slowdep\$") || fail "slowdep's new process not found"
	kill -9 $h
	wait_for "slowdep stopped" 10 has_state slowdep inactive
}

t_33_disabled_required_service_pulled_in_at_boot() {
	wait_for "usesdbx running" 10 has_state usesdbx active
	expect_eq "$(state dbx)" active "dbx ACTIVE"
	expect_eq "$(enabled_col dbx)" disabled "dbx ENABLED"
	expect_eq "$(field dbx State)" running "dbx State"
	in_order "$(cat "$LOG")" 'service dbx: starting -> running$' 'Starting service usesdbx$' "usesdbx after dbx"
}
