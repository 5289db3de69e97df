# Health checks (issue 13, Docker's HEALTHCHECK rules): passing, failing
# after HealthRetries, timing out, flapping both ways, HealthAction=restart,
# readiness at the first passing check, HealthStartPeriodSec, and checks
# with endless output that must not stall init. What init reports is read
# off the wire (lib.sh's rec: health 1 starting, 2 healthy, 3 unhealthy)
# and from its console ("Service X is healthy"); initctl's Health: line is
# checked when this initctl prints it (the ctl13 branch).

STARTING=1 HEALTHY=2 UNHEALTHY=3 # enum proto_health

prepare() { touch "$WORK/ok.pass" "$WORK/ok.flap" "$WORK/ok.restarter"; }

count_lines() { grep -c -E -- "$1" "$LOG"; }
lines_at_least() { [ "$(count_lines "$1")" -ge "$2" ]; }

failures_at_least() { [ "$(rec "$1" health_failures)" -ge "$2" ]; }

# expect_health NAME WORD NUMBER
expect_health() {
	expect_eq "$(rec "$1" health)" "$3" "$1's health on the wire"
	if ctl status "$1" | grep -q '^  Health: '; then
		expect_match "$(field "$1" Health)" "^$2( |\$)" "$1's Health"
	fi
}

# First: graced's start period (15 s) runs from boot.
t_00_start_period_failures_do_not_count() {
	# Both started at boot with the same failing check; ungraced is unhealthy
	# at its first check, graced not within its start period.
	wait_for "ungraced unhealthy" 15 log_lines 'init: warning: Service ungraced is unhealthy$'
	expect_eq "$(rec graced health)" $STARTING "graced's health while ungraced is unhealthy"
	expect_eq "$(rec graced health_failures)" 0 "graced's failures counted within its start period"
}

t_01_passing_check_healthy_and_ready() {
	wait_for "pass healthy" 15 log_lines 'init: Service pass is healthy$'
	expect_health pass healthy $HEALTHY
	wait_for "pass running" 10 has_state pass active
	expect_eq "$(field pass State)" running "pass's State"
	log_lines 'init: Service pass is ready$' >/dev/null || fail "pass's readiness not logged"
	expect_eq "$(rec pass health_cmd)" "/bin/sh -c \"test -f $WORK/ok.pass\"" "pass's HealthCmd (TEXT key 13)"
}

t_02_failing_check_unhealthy_after_retries() {
	wait_for "failing unhealthy" 15 log_lines 'init: warning: Service failing is unhealthy$'
	expect_health failing unhealthy $UNHEALTHY
	[ "$(rec failing health_failures)" -ge 2 ] || fail "failing's failures in a row: $(rec failing health_failures)"
	# Never passed: never ready.
	expect_eq "$(field failing State)" starting "failing's State"
	! log_lines 'Service failing is (healthy|ready)' >/dev/null || fail "failing became healthy or ready"
}

t_03_check_past_its_timeout_fails() {
	# `sleep 60` would pass at 60 s: it is unhealthy only if the timeouts count.
	wait_for "slowcheck unhealthy" 20 log_lines 'init: warning: Service slowcheck is unhealthy$'
	expect_health slowcheck unhealthy $UNHEALTHY
	! log_lines 'Service slowcheck is healthy' >/dev/null || fail "slowcheck was healthy"
	# The killed checks are gone (init kills the check's group).
	n=$(ns_pgrep -f '^/bin/sleep 60$' | wc -l)
	[ "$n" -le 1 ] || fail "timed-out checks left behind: $n of them"
}

t_04_flapping_both_ways() {
	wait_for "flap healthy" 15 log_lines 'init: Service flap is healthy$'
	rm "$WORK/ok.flap"
	wait_for "flap unhealthy" 15 log_lines 'init: warning: Service flap is unhealthy$'
	expect_health flap unhealthy $UNHEALTHY
	touch "$WORK/ok.flap"
	wait_for "flap healthy again" 15 lines_at_least 'init: Service flap is healthy$' 2
	expect_health flap healthy $HEALTHY
	rm "$WORK/ok.flap"
	wait_for "flap unhealthy again" 15 lines_at_least 'init: warning: Service flap is unhealthy$' 2
	# In that order: healthy, unhealthy, healthy, unhealthy.
	got=$(grep -E 'init: (warning: )?Service flap is (healthy|unhealthy)$' "$LOG" | sed 's/.* is //' | head -4 | tr '\n' ' ')
	expect_eq "$got" "healthy unhealthy healthy unhealthy " "flap's transitions"
	# HealthAction none: it keeps running, never restarted.
	expect_eq "$(runs flap)" 1 "runs of flap"
	expect_eq "$(field flap State)" running "flap's State"
}

t_05_health_action_restart() {
	wait_for "restarter healthy" 15 log_lines 'init: Service restarter is healthy$'
	pid=$(field restarter PID)
	rm "$WORK/ok.restarter"
	wait_for "restarter's second run" 20 runs_at_least restarter 2
	touch "$WORK/ok.restarter"
	log_lines 'init: warning: Service restarter failed: unhealthy after 1 failed checks in a row \(HealthAction=restart\)$' >/dev/null ||
		fail "no failure line for restarter"
	wait_for "restarter healthy again" 20 lines_at_least 'init: Service restarter is healthy$' 2
	wait_for "restarter running" 10 has_state restarter active
	[ "$(field restarter PID)" != "$pid" ] || fail "restarter's PID unchanged ($pid)"
	[ "$(field restarter 'Restart Count')" -ge 1 ] || fail "restarter's Restart Count: $(field restarter 'Restart Count')"
}

t_06_ready_at_first_passing_check() {
	wait_for "two failed checks of gated" 15 failures_at_least gated 2
	expect_eq "$(field gated State)" starting "gated's State before its check passes"
	expect_eq "$(rec gated ready)" 0 "gated's ready"
	expect_eq "$(field gated-dep State)" "waiting for dependencies" "gated-dep's State"
	expect_eq "$(runs gated-dep)" 0 "runs of gated-dep"
	touch "$WORK/ok.gated"
	wait_for "gated running" 15 has_state gated active
	expect_eq "$(rec gated ready)" 1 "gated's ready"
	wait_for "gated-dep's start" 10 test -f "$WORK/saw.gated-dep"
	expect_eq "$(cat "$WORK/saw.gated-dep")" yes "gated-dep found ok.gated at its start"
	logged_before 'init: Service gated is ready$' 'init: Starting service gated-dep$'
}

t_07_graced_unhealthy_after_its_start_period() {
	wait_for "graced unhealthy after its start period" 30 log_lines 'init: warning: Service graced is unhealthy$'
	logged_before 'Service ungraced is unhealthy$' 'Service graced is unhealthy$'
	expect_health graced unhealthy $UNHEALTHY
}

t_08_endless_output_does_not_stall_init() {
	local ok=0 bad=0 end=$((SECONDS + 60)) f0
	wait_for "yes unhealthy" 15 log_lines 'init: warning: Service yes is unhealthy$'
	# Ping while checks with endless output run (yes's and spew's, every
	# second), until yes has failed three more times.
	f0=$(rec yes health_failures)
	until failures_at_least yes $((f0 + 3)) || [ $SECONDS -ge $end ]; do
		if "$INITCTL" ping >/dev/null 2>&1; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	done
	echo "    pings answered: $ok, failed: $bad"
	expect_eq "$bad" 0 "pings that failed"
	[ "$ok" -ge 1 ] || fail "no ping answered"
	expect_health yes unhealthy $UNHEALTHY
	expect_health spew healthy $HEALTHY
	# Nothing of the checks is left behind.
	n=$(ns_pgrep -x yes | wc -l)
	[ "$n" -le 2 ] || fail "checks' yes processes left behind: $n of them"
	ctl ping >/dev/null || fail "ping"
}
