# entropy.require_hwrng names a hardware RNG the kernel does not have: no
# service starts, init says why, and (not a VM: PID 1 of a namespace) stays
# up and answers, so that an operator can see why; in a VM it powers off
# (the boot tier checks that).

t_01_no_service_starts() {
	wait_for "init's refusal" 10 grep -q "entropy: the hardware RNG is '.*', not 'no-such-rng' (entropy.require_hwrng): no service starts" "$LOG"
	sleep 1
	expect_eq "$(state web)" inactive "web's state"
	expect_eq "$(ns_pgrep -c -x sleep)" 0 "sleep processes in init's namespace"
}

t_02_said_and_still_answering() {
	ctl ping >/dev/null || fail "init does not answer"
	# Whole lines: a pattern with newlines would be several to grep, an
	# empty one among them, which matches anything.
	expect_match "$(ctl system-status)" '^  Entropy: refused \(services waited 0 ms\), hardware RNG ' "system-status's Entropy line"
	expect_match "$(ctl metrics)" '^enclave_init_entropy_state 4$' "the entropy_state metric"
}

t_03_an_operator_may_still_start_one() {
	# The refusal is of the boot's start: starting by hand is the operator's call.
	ctl start web >/dev/null || fail "start web refused"
	wait_for "web running" 10 has_state web active
}
