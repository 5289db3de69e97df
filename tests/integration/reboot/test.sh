# initctl reboot in a container: services stopped, init exits 0 (reboot(2)
# is only for PID 1 of a VM); a second request while going down is refused.

t_01_reboot() {
	wait_for "a running" 10 has_state a active
	expect_eq "$(ctl reboot)" "✓ System reboot initiated" "reply"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status"
	log_lines 'initctl: shutting down \(reboot\)' >/dev/null || fail "not logged as a reboot"
	log_lines 'Stopping service a' >/dev/null || fail "a not stopped"
}
