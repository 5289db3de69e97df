# A regular file where the socket should be is never deleted: init says so,
# runs its services without a control socket, and still shuts down on SIGTERM.

prepare() { echo "precious data" > "$INIT_SOCKET"; }

wait_for_quiet() {  # ping cannot work here: wait for the service instead
	local t=$1; shift
	if [ "$1" = "$INITCTL" ]; then set -- test -f "$WORK/a.up"; fi
	local end=$((SECONDS + t))
	until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $end ] || return 1; sleep 0.05; done
}

stop_init() {
	[ -f "$EXITFILE" ] && return 0
	kill -TERM "$(init_hostpid)" 2>/dev/null
	wait_for_quiet 30 test -f "$EXITFILE"
}

t_01_file_kept_and_error_logged() {
	expect_eq "$(cat "$INIT_SOCKET")" "precious data" "the file"
	log_lines "error: $INIT_SOCKET exists and is not a socket; no control socket" >/dev/null || fail "not logged"
}

t_02_sigterm_still_works() {
	kill -TERM "$(init_hostpid)"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status"
}
