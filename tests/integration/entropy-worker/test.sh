# entropy.credit_hwrng_bytes' worker child (entropy.c) against a hardware
# RNG that never answers: init runs in a /dev of the scenario's own (as in
# attest-child), where /dev/hwrng is a FIFO nobody writes, so the worker
# blocks in its open. A reload while it blocks must not leave it behind
# (its pipe closes with the exec, and the new init knows nothing of it:
# it was blocked for good, a process for nothing); and a worker that
# blocks past the credit's timeout is killed and reaped, and init goes on
# answering.

start_init() { start_init_fifo_dev hwrng; }

t_01_a_reload_kills_the_blocked_worker() {
	local out
	wait_for "svc running" 10 has_state svc active
	# The service and the worker, blocked in its open of the FIFO.
	expect_eq "$(children)" 2 "children before the reload (svc, the worker)"
	out=$(ctl reload) || fail "reload: $out"
	wait_for "the reload done" 20 grep -q "reload: done" "$LOG"
	wait_for "the worker gone after the reload" 5 test "$(children)" = 1
	expect_eq "$(zombies)" 0 "zombies"
	ctl ping >/dev/null || fail "init stopped answering ping"
}
