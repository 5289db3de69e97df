# SIGTERM to init (PID 1 of a container): every service stopped in reverse
# order, then exit 0. Also: unknown kernel-style arguments do not stop init.

prepare() { INIT_ARGS="nomodules quiet foo=bar --unknown"; }
start_init() {  # as lib.sh, with the arguments the kernel might pass
	rm -f "$EXITFILE"
	( unshare --pid --fork --mount-proc --kill-child "$INIT_BIN" $INIT_ARGS >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

t_01_unknown_arguments_ignored_as_pid1() {
	wait_for "a and b running" 10 sh -c "$INITCTL list | grep -q '^b .* active'"
}

t_02_sigterm_shuts_down() {
	kill -TERM "$(init_hostpid)"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status"
	expect_eq "$(log_lines 'Stopping service' | sed 's/.*Stopping service \([^ ]*\).*/\1/' | tr '\n' ' ')" "b a " "stop order"
	log_lines 'SIGTERM/SIGINT: shutting down' >/dev/null || fail "not logged"
	! pgrep -f "$INIT_BIN" >/dev/null || fail "init still running"
}
