# entropy.credit_hwrng_bytes' worker child (entropy.c) against a hardware
# RNG that never answers: init runs in a /dev of the scenario's own (as in
# attest-child), where /dev/hwrng is a FIFO nobody writes, so the worker
# blocks in its open. A reload while it blocks must not leave it behind
# (its pipe closes with the exec, and the new init knows nothing of it:
# it was blocked for good, a process for nothing); and a worker that
# blocks past the credit's timeout is killed and reaped, and init goes on
# answering.

children() { ps -o pid= --ppid "$(init_hostpid)" | wc -l; }
zombies() { ps -o stat= --ppid "$(init_hostpid)" | grep -c '^Z'; }

start_init() {
	rm -f "$EXITFILE"
	mkdir -p "$WORK/dev"
	( unshare --pid --fork --mount-proc --kill-child /bin/sh -c '
		mount -t tmpfs -o mode=755 entropy-dev "$1" &&
		cp -a /dev/null /dev/zero /dev/random /dev/urandom "$1"/ &&
		mkfifo -m 600 "$1/hwrng" && mount --bind "$1" /dev && exec "$2"' sh "$WORK/dev" "$INIT_BIN" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

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
