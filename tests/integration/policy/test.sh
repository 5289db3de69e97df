# The control policy compiled into the image: here the Unix socket may read
# and shut down, nothing else. Refusals name the policy; init is unchanged.

refused() {  # refused OP ARGS...: the exact refusal, exit status 4
	local out rc
	out=$(ctl "$@" 2>&1); rc=$?
	expect_eq "$rc" 4 "exit status of $*"
	expect_eq "$out" "✗ Error: '$1' is not allowed over the unix socket by this image's control policy (control.unix_allow: read, system)" "$*"
}

t_01_reads_are_allowed() {
	wait_for "app running" 10 has_state app active
	ctl ping >/dev/null || fail "ping"
	ctl status app >/dev/null || fail "status"
	ctl system-status >/dev/null || fail "system-status"
	ctl logs app -n 1 >/dev/null || fail "logs"
}

t_02_service_operations_are_refused() {
	local pid
	pid=$(field app PID)
	refused stop app
	refused start app
	refused restart app
	refused enable app
	refused disable app
	refused logs-clear app
	refused reload
	expect_eq "$(field app PID)" "$pid" "app untouched"
	expect_eq "$(state app)" active "app still active"
}

t_03_print_config_shows_the_policy() {
	"$INIT_BIN" --print-config | grep -qx '  unix_allow: \["read", "system"\]' || fail "unix_allow not in --print-config"
	"$INIT_BIN" --print-config | grep -qx '  vsock_allow: \["read", "services"\]' || fail "vsock_allow default not shown"
}

t_04_system_is_allowed() {
	expect_eq "$(ctl shutdown)" "✓ System shutdown initiated" "shutdown"
	wait_for "init to exit" 30 test -f "$EXITFILE"
}
