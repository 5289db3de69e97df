# attest's child process for real, in PID 1: init runs in a /dev of the
# scenario's own (a tmpfs bound over /dev in its mount namespace, with
# null, zero, random and urandom, and a FIFO at /dev/nsm), so every request
# forks its child, which opens the "device", fails its ioctl and says so
# through the pipe; init reads it, reaps the child and answers. A hundred
# requests at once meet the four slots: each is answered (the ioctl's
# failure, or busy), pings go on, and afterwards init holds the
# descriptors it held before, has no zombie and no child but its service.
# (No NSM answers here: a document, the timeout and the kill are the unit
# tests' (tests/unit/init/test_attest.c) and the emulated Nitro tier's.)

H() { cfg_hash; }
attest() { "${PYTHON:-python3}" "$TESTS_DIR/attest.py" --socket "$INIT_SOCKET" --hash "$(H)" "$@"; }
alive() { ctl ping >/dev/null || fail "init stopped answering ping"; }
# The C library's words for ENOTTY: musl's, or glibc's in the sanitize and
# valgrind flavours.
IOCTL='attestation: the NSM request failed \(ioctl on /dev/nsm: (Not a tty|Inappropriate ioctl for device)\)'
BUSY='attestation: 4 requests to the NSM are in progress \(at most 4 at once\); try again'

start_init() { start_init_fifo_dev nsm; }

t_01_the_child_asks_and_says_why_not() {
	local out
	wait_for "svc running" 10 has_state svc active
	out=$(attest --nonce-len 32 --user-data-len 100) || fail "attest.py: $out"
	expect_match "$out" "^status=9 msg=$IOCTL doc=0 closed=no$" "attest"
	wait_for "the child reaped" 10 test "$(children)" = 1
	expect_eq "$(zombies)" 0 "zombies"
	alive
}

t_02_a_hundred_at_once() {
	local before pings=0 failed=0 out pid
	before=$(init_fds)
	attest --concurrent 100 --nonce-len 16 > "$WORK/burst.out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if ctl ping >/dev/null 2>&1; then pings=$((pings + 1)); else failed=$((failed + 1)); fi
	done
	wait "$pid" || fail "attest.py --concurrent: $(cat "$WORK/burst.out")"
	out=$(cat "$WORK/burst.out")
	echo "INFO: $(head -1 "$WORK/burst.out"); $pings pings answered during it, $failed refused"
	# Each answered: by its child (the ioctl's failure), or busy (every
	# attestation slot taken, or every client slot).
	expect_match "$(head -1 <<< "$out")" '^replies=100 (8=[0-9]+ )?9=[0-9]+$' "replies"
	while read -r line; do
		expect_match "$line" "^msg=($IOCTL|$BUSY|too many control clients; try again)$" "a reply's message"
	done < <(tail -n +2 <<< "$out")
	alive
	wait_for "init's descriptors back to $before" 10 test "$(init_fds)" = "$before"
	wait_for "every request's child reaped" 10 test "$(children)" = 1
	expect_eq "$(zombies)" 0 "zombies"
	grep -q "did not answer" "$LOG" && fail "a child timed out: $(grep 'did not answer' "$LOG")"
	true
}

t_03_a_reload_between_requests() {
	# The new init answers attest as the old one did (nothing of it is
	# handed over, nothing is needed).
	local out
	out=$(ctl reload) || fail "reload: $out"
	wait_for "the reload done" 20 grep -q "reload: done" "$LOG"
	out=$(attest --nonce-len 1) || fail "attest.py: $out"
	expect_match "$out" "^status=9 msg=$IOCTL doc=0 closed=no$" "attest after the reload"
	wait_for "the child reaped" 10 test "$(children)" = 1
}
