# initctl's own command line: socket selection, help, version, usage errors.

t_01_socket_option_forms() {
	sock=$INIT_SOCKET
	( unset INIT_SOCKET; "$INITCTL" -s "$sock" ping >/dev/null ) || fail "-s PATH"
	( unset INIT_SOCKET; "$INITCTL" --socket "$sock" ping >/dev/null ) || fail "--socket PATH"
	( unset INIT_SOCKET; "$INITCTL" --socket="$sock" ping >/dev/null ) || fail "--socket=PATH"
	# -s wins over INIT_SOCKET
	INIT_SOCKET=/nonexistent "$INITCTL" -s "$sock" ping >/dev/null || fail "-s over INIT_SOCKET"
	out=$(INIT_SOCKET=/nonexistent/x.sock "$INITCTL" ping 2>&1) && fail "bad socket worked"
	expect_eq "$out" "✗ Error: cannot connect to init at /nonexistent/x.sock: No such file or directory" "error"
}

t_02_help_and_version() {
	"$INITCTL" --help | grep -q '^usage: initctl' || fail "--help"
	expect_match "$("$INITCTL" --version)" '^initctl 0\.1\.0 \(configuration [0-9a-f]{16}\)$' "--version"
	expect_eq "$("$INITCTL" -V)" "$("$INITCTL" --version)" "-V"
}

t_03_usage_errors_exit_2() {
	for args in "" "frobnicate" "status" "status a b" "list extra" "--bogus list" "-s"; do
		"$INITCTL" $args >/dev/null 2>&1
		expect_eq "$?" 2 "exit status of 'initctl $args'"
	done
	out=$("$INITCTL" frobnicate 2>&1)
	expect_match "$out" '^initctl: unknown command: frobnicate$' "message"
}

t_04_no_colour_when_not_a_terminal() {
	out=$(ctl ping)
	expect_eq "$out" "✓ Pong - init system is responsive" "plain output"
	out=$(script -qc "NO_COLOR= $INITCTL -s $INIT_SOCKET ping" /dev/null | tr -d '\r')
	expect_match "$out" $'\033\\[32m' "colour on a terminal"
}

t_05_output_errors_are_errors() {
	# A full disk on stdout is a failure, said on stderr, as for any tool.
	for args in "--help" "--version" "ping" "list" "system-status"; do
		# shellcheck disable=SC2086
		err=$("$INITCTL" $args 2>&1 >/dev/full)
		expect_eq "$?" 1 "exit status of 'initctl $args >/dev/full'"
		expect_match "$err" 'initctl: error writing standard output: No space left on device$' \
			"message of 'initctl $args >/dev/full'"
	done
}
