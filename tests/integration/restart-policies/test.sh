# Each restart policy against exit 0, exit 1 and death by SIGKILL.
# Restarting services run again and again (RestartSec = 0); the others must
# have run exactly once by the time the restarting ones have run many times.

restarting="always-ok always-fail always-sig onfail-fail onfail-sig onsucc-ok"
once="onfail-ok onsucc-fail onsucc-sig no-ok no-fail no-sig"

t_01_restarting_policies_restart() {
	for s in $restarting; do
		wait_for "$s to run 5 times" 20 runs_at_least "$s" 5
	done
}

t_02_other_policies_ran_once() {
	for s in $once; do
		expect_eq "$(runs "$s")" 1 "runs of $s"
		expect_eq "$(field "$s" "Restart Count")" 0 "restart count of $s"
	done
}

t_03_restart_count_tracked() {
	for s in $restarting; do
		n=$(field "$s" "Restart Count")
		[ "$n" -ge 4 ] || fail "$s: Restart Count $n after $(runs "$s") runs"
	done
}

t_04_final_states() {
	expect_eq "$(state onfail-ok)" inactive "onfail-ok (exit 0, on-failure)"
	expect_eq "$(state no-ok)" inactive "no-ok"
	for s in onsucc-fail onsucc-sig no-fail no-sig; do
		expect_eq "$(state "$s")" failed "$s"
	done
}

t_05_exit_codes_and_signals() {
	expect_eq "$(field no-fail "Last Exit Code")" 1 "no-fail exit code"
	expect_eq "$(field no-ok "Last Exit Code")" 0 "no-ok exit code"
	expect_eq "$(field no-sig "Last Exit Code")" "137 (killed by SIGKILL)" "no-sig exit"
	expect_eq "$(field no-sig "Status")" "failed (killed by SIGKILL)" "no-sig status"
	expect_eq "$(field no-fail "Status")" "failed (exit code 1)" "no-fail status"
	expect_eq "$(field no-ok "Status")" "inactive (dead)" "no-ok status"
}

t_06_list_shows_policies() {
	expect_eq "$(ctl list | awk '$1 == "onsucc-ok" { print $4 }')" on-success "RESTART column"
	expect_eq "$(ctl list | awk '$1 == "no-sig" { print $2 }')" enabled "ENABLED column"
}
