# One-shot services (issue 13): a oneshot has done its job when it exits 0
# (state exited, 7 on the wire); what Requires or comes After it starts
# then. A failing one fails what Requires it; what is only After it starts
# anyway. RemainAfterExit keeps it up until stopped; without it every start
# runs it again. Restart=on-failure retries it; TimeoutStartSec bounds it.

EXITED=7 # enum proto_svc_state

# exited NAME: init says so on the wire; and initctl, once it prints the
# readiness lines (the ctl13 branch: Type:, State: exited).
exited() { [ "$(rec "$1" state)" = $EXITED ]; }
expect_exited() {
	exited "$1" || fail "$1 is not exited: state $(rec "$1" state), $(field "$1" State)"
	if ctl status "$1" | grep -q '^  Type: '; then
		expect_eq "$(field "$1" State)" exited "$1's State"
		expect_eq "$(field "$1" Type)" oneshot "$1's Type"
	fi
}

t_01_initializer_before_webapp() {
	wait_for "webapp's start" 15 test -f "$WORK/saw.webapp"
	expect_eq "$(cat "$WORK/saw.webapp")" s3cr3t "what webapp found at its start"
	wait_for "secrets exited" 10 exited secrets
	expect_exited secrets
	logged_before 'init: Service secrets exited with code 0$' 'init: Starting service webapp$'
	expect_eq "$(runs secrets)" 1 "runs of secrets"
	expect_eq "$(field webapp State)" running "webapp's State"
}

t_02_failing_oneshot_fails_what_requires_it() {
	wait_for "badinit failed" 10 has_state badinit failed
	expect_eq "$(field badinit 'Last Exit Code')" 1 "badinit's Last Exit Code"
	wait_for "needs-bad failed" 10 has_state needs-bad failed
	expect_eq "$(field needs-bad 'Last Error')" "dependency badinit failed" "needs-bad's Last Error"
	expect_eq "$(runs needs-bad)" 0 "runs of needs-bad"
	wait_for "after-bad running" 10 has_state after-bad active
	expect_eq "$(runs after-bad)" 1 "runs of after-bad"
	logged_before 'init: Service badinit exited with code 1$' 'init: Starting service after-bad$'
}

t_03_remain_after_exit() {
	wait_for "keeper exited" 10 exited keeper
	expect_exited keeper
	out=$(ctl start keeper 2>&1); rc=$?
	[ $rc != 0 ] || fail "start of a kept oneshot succeeded: $out"
	expect_eq "$out" "✗ Error: Service 'keeper' is already running" "start keeper"
	expect_eq "$(runs keeper)" 1 "runs of keeper"
	out=$(ctl stop keeper 2>&1) || fail "stop keeper: $out"
	wait_for "keeper stopped" 10 sh -c "'$INITCTL' status keeper | grep -q '^  State: stopped'"
	expect_eq "$(rec keeper state)" 0 "keeper's state on the wire"
	out=$(ctl start keeper --wait --timeout 20 2>&1) || fail "start keeper --wait: $out"
	expect_eq "$out" "✓ Service 'keeper' has run to completion" "start keeper --wait"
	expect_eq "$(runs keeper)" 2 "runs of keeper"
	expect_exited keeper
}

t_04_without_remain_after_exit_each_start_runs_it() {
	expect_eq "$(runs once)" 0 "runs of once (disabled)"
	for n in 1 2 3; do
		out=$(ctl start once --wait --timeout 20 2>&1) || fail "start once --wait ($n): $out"
		expect_eq "$out" "✓ Service 'once' has run to completion" "start once --wait ($n)"
		expect_eq "$(runs once)" $n "runs of once"
		expect_exited once
	done
	out=$(ctl start once 2>&1) || fail "start once: $out"
	wait_for "a fourth run" 10 runs_at_least once 4
	out=$(ctl stop once 2>&1); rc=$?
	[ $rc != 0 ] || fail "stop of an exited oneshot succeeded: $out"
	expect_eq "$out" "✗ Error: Service 'once' is not running" "stop once"
}

t_05_on_failure_retried_until_it_succeeds() {
	wait_for "flaky's third run" 20 runs_at_least flaky 3
	wait_for "flaky exited" 10 exited flaky
	expect_eq "$(field flaky 'Restart Count')" 2 "flaky's Restart Count"
	expect_eq "$(runs flaky)" 3 "runs of flaky"
	# Its dependant waited through the retries and started after the success.
	wait_for "flaky-dep's start" 10 test -f "$WORK/saw.flaky-dep"
	expect_eq "$(cat "$WORK/saw.flaky-dep")" "done" "what flaky-dep found at its start"
	expect_eq "$(runs flaky-dep)" 1 "runs of flaky-dep"
	logged_before 'init: Service flaky exited with code 0$' 'init: Starting service flaky-dep$'
}

t_06_hanging_oneshot_fails_at_timeout_start_sec() {
	wait_for "hang failed" 20 has_state hang failed
	expect_eq "$(field hang 'Last Error')" "not ready within 2s (TimeoutStartSec)" "hang's Last Error"
	wait_for "hang-dep failed" 10 has_state hang-dep failed
	expect_eq "$(field hang-dep 'Last Error')" "dependency hang failed" "hang-dep's Last Error"
	expect_eq "$(runs hang-dep)" 0 "runs of hang-dep"
}

t_07_starting_the_app_again_runs_its_initializer_again() {
	rm -f "$WORK/secret" "$WORK/saw.webapp"
	out=$(ctl stop webapp --wait --timeout 20 2>&1) || fail "stop webapp: $out"
	out=$(ctl start webapp --wait --timeout 20 2>&1) || fail "start webapp --wait: $out"
	expect_match "$out" "^✓ Service 'webapp' is running \(PID [0-9]+\)\$" "start webapp --wait"
	expect_eq "$(runs secrets)" 2 "runs of secrets"
	wait_for "webapp's second start" 10 test -f "$WORK/saw.webapp"
	expect_eq "$(cat "$WORK/saw.webapp")" s3cr3t "what webapp found at its second start"
}
