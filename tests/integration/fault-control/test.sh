# socket(2) and accept4(2) failing: logged, survived, recovered.

prepare() {
	touch "$WORK/no-socket"
	export EI_FAULTS="socket:EMFILE:match=unix:while=$WORK/no-socket,accept4:EMFILE:while=$WORK/no-accept"
}

# Boot without the control socket; then, the fault over, init opens it on
# its own (it tries again at doubling intervals): only then can the
# harness's ping get through.
eval "boot_$(declare -f start_init)"
start_init() {
	boot_start_init "$@"
	wait_for_quiet 20 grep -Eq "error: control socket: (Too many open files|No file descriptors available)" "$LOG" || return 0
	wait_for_quiet 10 runs_at_least worker 1
	wait_for_quiet 10 grep -q "control: trying again in 2 s" "$LOG"
	rm -f "$WORK/no-socket"
}

said() { [ "$(log_lines "$1" | wc -l)" -ge "${2:-1}" ]; }

t_01_boot_without_a_control_socket_goes_on() {
	log_lines "^fault: socket\(unix\): EMFILE" >/dev/null || fail "socket(2) did not fail"
	log_lines "error: control socket: (Too many open files|No file descriptors available)" >/dev/null || fail "no word of the missing socket"
	log_lines "Service worker started" >/dev/null || fail "the service was not started without the socket"
}

t_02_it_opens_once_the_fault_is_over() {
	log_lines "control: trying again in 1 s" >/dev/null || fail "no word of a retry"
	log_lines "listening on $INIT_SOCKET" >/dev/null || fail "not listening"
	! log_lines "reload" >/dev/null || fail "a reload happened"
	ctl ping >/dev/null || fail "ping"
	expect_eq "$(runs worker)" 1 "runs of worker"
}

t_03_accept_failing_then_working_again() {
	local pid
	touch "$WORK/no-accept"
	ctl ping > "$WORK/ping.out" 2>&1 & pid=$!
	wait_for "accept failing" 10 said "^fault: accept4\(\): EMFILE" 3
	said "cannot accept control client: (Too many open files|No file descriptors available)" || fail "no word of the failed accept"
	kill -0 "$pid" 2>/dev/null || fail "the waiting client ended: $(cat "$WORK/ping.out")"
	rm -f "$WORK/no-accept"
	wait "$pid" || fail "the waiting client failed: $(cat "$WORK/ping.out")"
	ctl ping >/dev/null || fail "ping after the fault"
}
