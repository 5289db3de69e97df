# Readiness (issue 13): Type=notify services made ready by real sd_notify
# clients written elsewhere (Debian's systemd-notify, python3-systemd's
# systemd.daemon.notify). Running means ready: a dependant starts only
# after READY=1, start --wait answers only then, a service that never
# notifies fails at TimeoutStartSec, the watchdog kills one that stops
# petting it, and a reload hands the notify socket over.

PY=/usr/bin/python3 # Debian's, with python3-systemd

# Whether this initctl prints the readiness lines (Type:, Notify Status:);
# they come with the ctl13 branch. Until then those assertions are skipped
# and the STATUS= text is read off the wire instead (lib.sh's rec).
initctl_shows_readiness() { ctl status "$1" | grep -q '^  Type: '; }

notify_status() { rec "$1" notify_status; }

t_01_systemd_notify_readies_and_dependant_waits() {
	wait_for "sdnotify ready" 15 log_lines 'init: Service sdnotify is ready$'
	wait_for "sdnotify running" 10 has_state sdnotify active
	expect_eq "$(field sdnotify State)" running "sdnotify's State"
	expect_eq "$(rec sdnotify ready)" 1 "sdnotify's ready (on the wire)"
	expect_eq "$(rec sdnotify type)" 1 "sdnotify's type (on the wire: notify)"
	wait_for "dep-sd's first run" 10 test -f "$WORK/saw.dep-sd"
	expect_eq "$(cat "$WORK/saw.dep-sd")" yes "dep-sd found sdnotify's marker at its start"
	logged_before 'init: Service sdnotify is ready$' 'init: Starting service dep-sd$'
	# sdnotify was started first and waited for: dep-sd's start came after its start.
	logged_before 'init: Starting service sdnotify$' 'init: Starting service dep-sd$'
	# systemd-notify sends BARRIER=1 with a pipe and waits until init has closed
	# its end: it would print "Failed to invoke barrier" after 5 s otherwise.
	! grep -q 'barrier\|systemd-notify failed' "$WORK/log/sdnotify.log" || fail "systemd-notify: $(grep -i 'barrier\|failed' "$WORK/log/sdnotify.log")"
}

t_02_python_systemd_readies_after_dependant_waits() {
	wait_for "pynotify ready" 15 log_lines 'init: Service pynotify is ready$'
	wait_for "dep-py's first run" 10 test -f "$WORK/saw.dep-py"
	expect_eq "$(cat "$WORK/saw.dep-py")" yes "dep-py found pynotify's marker at its start"
	logged_before 'init: Service pynotify is ready$' 'init: Starting service dep-py$'
	! grep -q 'daemon.notify returned False' "$WORK/log/pynotify.log" || fail "pynotify had no NOTIFY_SOCKET"
}

t_03_status_text_is_kept() {
	expect_eq "$(notify_status sdnotify)" "listening on 8080" "sdnotify's STATUS= (TEXT key 12)"
	expect_eq "$(notify_status pynotify)" "python says hello" "pynotify's STATUS= (TEXT key 12)"
	expect_eq "$(notify_status dep-sd)" "" "dep-sd's STATUS= (it sent none)"
	if initctl_shows_readiness sdnotify; then
		expect_eq "$(field sdnotify 'Notify Status')" "listening on 8080" "sdnotify's Notify Status"
		expect_eq "$(field sdnotify Type)" notify "sdnotify's Type"
	else
		echo "    (skipped: this initctl does not print Type:/Notify Status: yet)"
	fi
}

t_04_start_wait_answers_once_ready() {
	[ ! -e "$WORK/marker.slowready" ] || fail "slowready ran before it was started"
	out=$(ctl start slowready --wait --timeout 30 2>&1) || fail "start --wait: $out"
	# The marker is written just before READY=1: it is there when --wait answers.
	[ -e "$WORK/marker.slowready" ] || fail "start --wait answered before READY=1 ($out)"
	expect_match "$out" "^✓ Service 'slowready' is running \(PID [0-9]+\)\$" "start --wait"
	expect_eq "$(field slowready State)" running "slowready's State"
	logged_before 'init: Starting service slowready$' 'init: Service slowready is ready$'
}

t_05_never_ready_fails_at_timeout_start_sec() {
	wait_for "silent failed" 20 has_state silent failed
	expect_eq "$(field silent 'Last Error')" "not ready within 2s (TimeoutStartSec)" "silent's Last Error"
	log_lines 'init: warning: Service silent failed: not ready within 2s \(TimeoutStartSec\)$' >/dev/null ||
		fail "no failure line for silent on the console"
	wait_for "dep-silent failed" 10 has_state dep-silent failed
	expect_eq "$(field dep-silent 'Last Error')" "dependency silent failed" "dep-silent's Last Error"
	expect_eq "$(runs dep-silent)" 0 "runs of dep-silent"
	! log_lines 'init: Service silent is ready$' >/dev/null || fail "silent became ready"
	# Asked to start again with --wait: the answer is the same failure.
	out=$(ctl restart silent --wait --timeout 30 2>&1); rc=$?
	expect_eq "$rc" 1 "restart silent --wait: exit status ($out)"
	expect_eq "$out" "✗ Error: Service 'silent' failed: not ready within 2s (TimeoutStartSec)" "restart silent --wait"
}

pets() { [ -f "$WORK/pets.petter" ] && wc -l < "$WORK/pets.petter" || echo 0; }
pets_at_least() { [ "$(pets)" -ge "$1" ]; }

t_06_watchdog_petted_keeps_running() {
	wait_for "petter running" 15 has_state petter active
	pid=$(field petter PID)
	# 25 pets 0.2 s apart: more than 5 s, five times WatchdogSec.
	wait_for "25 pets" 40 pets_at_least 25
	expect_eq "$(field petter PID)" "$pid" "petter's PID"
	expect_eq "$(field petter 'Restart Count')" 0 "petter's Restart Count"
	expect_eq "$(field petter State)" running "petter's State"
	read -r usec wpid mainpid < "$WORK/env.petter"
	expect_eq "$usec" 1000000 "petter's WATCHDOG_USEC"
	expect_eq "$wpid" "$mainpid" "petter's WATCHDOG_PID"
	! log_lines 'Service petter failed' >/dev/null || fail "petter failed: $(log_lines 'Service petter failed')"
}

t_07_watchdog_lapse_aborts_and_restarts() {
	wait_for "lapser's third run" 40 runs_at_least lapser 3
	wait_for "lapser restarted twice" 10 sh -c "[ \"\$('$INITCTL' status lapser | sed -n 's/^  Restart Count: //p')\" -ge 2 ]"
	log_lines 'init: warning: Service lapser failed: watchdog timeout \(no WATCHDOG=1 within 1s\)$' >/dev/null ||
		fail "no watchdog failure line for lapser"
	log_lines 'init: Service lapser killed by signal 6$' >/dev/null || fail "lapser not killed by SIGABRT"
	# Each run stopped petting before it was killed, and not the other way round.
	[ "$(wc -l < "$WORK/stopped-petting.lapser")" -ge 2 ] || fail "lapser killed before it stopped petting"
	read -r usec wpid mainpid < "$WORK/env.lapser"
	expect_eq "$usec" 1000000 "lapser's WATCHDOG_USEC"
	expect_eq "$wpid" "$mainpid" "lapser's WATCHDOG_PID"
}

t_08_reload_while_waiting_for_ready() {
	wait_for "late waiting" 10 test -f "$WORK/waiting.late"
	expect_eq "$(field late State)" starting "late's State before the reload"
	expect_eq "$(rec late ready)" 0 "late's ready before the reload"
	expect_eq "$(field dep-late State)" "waiting for dependencies" "dep-late's State"
	pid=$(field late PID)
	expect_eq "$(ctl reload)" "✓ Reload initiated: init re-executes itself, services keep running" "reload"
	wait_for "the reload" 15 log_lines 'reload: done'
	wait_for "init answering" 10 "$INITCTL" ping
	expect_eq "$(field late State)" starting "late's State after the reload"
	expect_eq "$(field late PID)" "$pid" "late's PID"
	touch "$WORK/go.late"
	wait_for "late ready after the reload" 15 has_state late active
	wait_for "dep-late's run" 10 test -f "$WORK/saw.dep-late"
	expect_eq "$(cat "$WORK/saw.dep-late")" yes "dep-late started after late's READY=1"
	logged_before 'reload: done' 'init: Service late is ready$'
	logged_before 'init: Service late is ready$' 'init: Starting service dep-late$'
	# The others kept their readiness across the reload.
	expect_eq "$(field sdnotify State)" running "sdnotify's State after the reload"
	expect_eq "$(notify_status sdnotify)" "listening on 8080" "sdnotify's STATUS= after the reload"
}
