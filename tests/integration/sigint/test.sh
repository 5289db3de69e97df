# SIGINT (Ctrl+C on a console) shuts down like SIGTERM; a second request
# while shutting down is refused clearly.

t_01_sigint_shuts_down() {
	wait_for "a running" 10 has_state a active
	kill -INT "$(init_hostpid)"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status"
	log_lines 'all services stopped' >/dev/null || fail "services not stopped"
}
