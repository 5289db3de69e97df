# initctl's own command line: socket selection, help, version, usage errors.

t_01_socket_option_forms() {
	sock=$INIT_SOCKET
	( unset INIT_SOCKET; "$INITCTL" -s "$sock" ping >/dev/null ) || fail "-s PATH"
	( unset INIT_SOCKET; "$INITCTL" --socket "$sock" ping >/dev/null ) || fail "--socket PATH"
	( unset INIT_SOCKET; "$INITCTL" --socket="$sock" ping >/dev/null ) || fail "--socket=PATH"
	# -s wins over INIT_SOCKET
	INIT_SOCKET=/nonexistent "$INITCTL" -s "$sock" ping >/dev/null || fail "-s over INIT_SOCKET"
	out=$(INIT_SOCKET=/nonexistent/x.sock "$INITCTL" ping 2>&1) && fail "bad socket worked"
	expect_eq "$out" "✗ Error: cannot connect to init at /nonexistent/x.sock: No such file or directory (is init running, and is this its control.unix_socket_path? -s, INIT_SOCKET or initctl.yaml name another)" "error"
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

# json FILE PYTHON-EXPRESSION: FILE holds one JSON document (Python's json,
# strictly) for which the expression, over it as d, is true.
json_ok() {
	python3 - "$1" "$2" <<'PY' || fail "$2: $(cat "$1")"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert text.endswith("\n") and text.count("\n") == 1, "one document, one line"
d = json.loads(text)
assert eval(sys.argv[2], {"d": d}), "the expression is false"
PY
}

t_06_read_commands_print_json() {
	ctl list --json > "$WORK/list.json" || fail "list --json"
	json_ok "$WORK/list.json" 'd["services"][0]["name"] == "a" and d["services"][0]["active"] == "active"'
	ctl status a --json > "$WORK/status.json" || fail "status --json"
	json_ok "$WORK/status.json" 'd["name"] == "a" and d["state"] == "running" and d["pid"] > 1 and d["command"]'
	ctl system-status --json > "$WORK/sys.json" || fail "system-status --json"
	json_ok "$WORK/sys.json" 'd["services"] == 1 and d["uptime_sec"] >= 0 and d["log_dir"]'
	ctl ping --json > "$WORK/ping.json" || fail "ping --json"
	json_ok "$WORK/ping.json" 'd["ok"] is True'
	ctl logs a -n 5 --json > "$WORK/logs.json" || fail "logs --json"
	json_ok "$WORK/logs.json" 'd["service"] == "a" and all(l["time_epoch"] > 0 for l in d["lines"])'
	ctl ps list --json > "$WORK/ps.json" || fail "ps list --json"
	json_ok "$WORK/ps.json" 'd["processes"][0]["pid"] == 1'
	ctl ps status 1 --json > "$WORK/ps1.json" || fail "ps status --json"
	json_ok "$WORK/ps1.json" 'd["pid"] == 1 and d["managed"] is False'
	# Text output is unchanged by the option's existence.
	expect_eq "$(ctl status a | head -1)" "Service: a" "text status"
}

t_07_exit_statuses() {
	local rc
	ctl status nosuch >/dev/null 2>&1; rc=$?
	expect_eq "$rc" 4 "status of an unknown service"
	ctl status nosuch --json >"$WORK/err.out" 2>&1; rc=$?
	expect_eq "$rc/$(cat "$WORK/err.out")" "4/✗ Error: Service 'nosuch' not found" "status --json of an unknown service"
	ctl stop a --wait >/dev/null || fail "stop a"
	ctl status a >/dev/null; rc=$?
	expect_eq "$rc" 3 "status of a stopped service"
	ctl status a --json >/dev/null; rc=$?
	expect_eq "$rc" 3 "status --json of a stopped service"
	ctl start a --wait >/dev/null || fail "start a"
	ctl status a >/dev/null || fail "status of a running service: $?"
	INIT_SOCKET=$WORK/nothing.sock "$INITCTL" ping >/dev/null 2>&1; rc=$?
	expect_eq "$rc" 69 "init cannot be reached"
}
