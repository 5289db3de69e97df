# Hostile attest clients (attest_hostile.py) against init as PID 1 with a FIFO for
# /dev/nsm (as in attest-child): clients that request and close at once,
# that request and never read, that send a ping right behind their
# request, that send half a request; rounds of them. Afterwards init
# answers ping, holds the descriptors it held before, has no zombie and no
# child but its service, and a well-behaved request is answered by its
# child (every attestation slot was given back).

H() { cfg_hash; }
IOCTL='attestation: the NSM request failed \(ioctl on /dev/nsm: (Not a tty|Inappropriate ioctl for device)\)'

start_init() { start_init_fifo_dev nsm; }

t_01_hostile_rounds_leave_nothing_behind() {
	local before out round
	wait_for "svc running" 10 has_state svc active
	before=$(init_fds)
	for round in 1 2 3; do
		out=$("${PYTHON:-python3}" "$TESTS_DIR/attest_hostile.py" "$INIT_SOCKET" "$(H)" 15 2>&1) ||
			fail "attest_hostile.py, round $round: $out"
		ctl ping >/dev/null || fail "init stopped answering ping after round $round"
	done
	wait_for "init's descriptors back to $before" 10 test "$(init_fds)" = "$before"
	wait_for "every request's child reaped" 10 test "$(children)" = 1
	expect_eq "$(zombies)" 0 "zombies"
	out=$("${PYTHON:-python3}" "$TESTS_DIR/attest.py" --socket "$INIT_SOCKET" --hash "$(H)" --nonce-len 8) ||
		fail "attest.py: $out"
	expect_match "$out" "^status=9 msg=$IOCTL doc=0 closed=no$" "a request after the hostile ones"
}
