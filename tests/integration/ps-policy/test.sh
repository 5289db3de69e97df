# The control policy compiled in: here the Unix socket may read, drive
# services and shut down (the harness needs that), not touch processes.
# ps list and ps status are reads and work; ps start, run, stop, kill and
# restart are refused with the policy's words, and nothing happens: no
# process starts, the service keeps its PID.

refused() {  # refused OP ARGS...: the exact refusal, exit status 1
	local op=$1 out rc; shift
	out=$(ctl "$@" 2>&1); rc=$?
	expect_eq "$rc/$out" "4/✗ Error: '$op' is not allowed over the unix socket by this image's control policy (control.unix_allow: read, services, system)" "$*"
}

t_01_reads_are_allowed() {
	local p
	wait_for "webapp running" 10 has_state webapp active
	p=$(field webapp PID)
	ctl ps list | awk -v p="$p" '$1 == p && $6 == "yes" && $7 == "webapp" { ok = 1 } END { exit !ok }' ||
		fail "ps list"
	expect_eq "$(ctl ps status "$p" | sed -n 's/^  Service: //p')" webapp "ps status"
}

t_02_process_operations_are_refused() {
	local p
	p=$(field webapp PID)
	refused "ps start" ps start /bin/sleep 4242
	refused "ps start" ps run /bin/sleep 4242 -e A=1
	refused "ps stop" ps stop "$p"
	refused "ps kill" ps kill "$p" -s KILL
	refused "ps restart" ps restart "$p"
	# The policy comes before any check of the PID.
	refused "ps kill" ps kill -1
	refused "ps stop" ps stop 1
	ctl ps list | grep -q 'sleep 4242' && fail "a refused ps start started its process"
	ls "$WORK/log" | grep -q '^adhoc-' && fail "a refused ps start made a log"
	expect_eq "$(field webapp PID)" "$p" "webapp untouched"
	ctl ping >/dev/null || fail "init stopped answering"
}
