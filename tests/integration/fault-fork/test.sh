# fork(2) failing (EAGAIN): logged, survived, recovered.

prepare() {
	touch "$WORK/fork-fails"
	export EI_FAULTS="clone:EAGAIN:while=$WORK/fork-fails"
}

injected() { [ "$(log_lines "^fault: clone\(\): EAGAIN" | wc -l)" -ge "$1" ]; }

t_01_failed_forks_are_logged_and_retried() {
	wait_for "three failed forks" 20 injected 3
	log_lines "Service worker failed to start: fork: Resource temporarily unavailable" >/dev/null ||
		fail "no word of the failed start"
	expect_eq "$(runs worker)" 0 "runs of worker"
	ctl ping >/dev/null || fail "init stopped answering"
	expect_match "$(ctl status worker)" "fork: Resource temporarily unavailable" "status of worker"
}

t_02_ad_hoc_start_fails_with_the_reason() {
	local out
	out=$(ctl ps start /bin/true 2>&1) && fail "ps start succeeded: $out"
	expect_match "$out" "fork: Resource temporarily unavailable" "ps start"
}

t_03_forks_work_again_and_the_service_starts() {
	rm -f "$WORK/fork-fails"
	wait_for "worker running" 20 has_state worker active
	wait_for "worker ran" 10 runs_at_least worker 1
	ctl ps start /bin/true >/dev/null || fail "ps start after the fault"
	ctl ping >/dev/null || fail "ping"
}
