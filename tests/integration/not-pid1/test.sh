# init started as an ordinary process (not PID 1): it is a child subreaper,
# reaps orphans of its services, and at shutdown stops only its own services
# (no kill(-1): that would hit every process of the user) and exits 0.

prepare() {
	bash -c "exec -a $WORK/canary sleep 100000" &
}

start_init() {
	rm -f "$EXITFILE"
	( setsid "$INIT_BIN" >"$LOG" 2>&1; echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

init_hostpid() { pgrep -P "$NS_WRAPPER" -f "$INIT_BIN" | head -1; }

zombies() { ps -o stat= --ppid "$(init_hostpid)" | grep -c '^Z'; }
children() { ps -o pid= --ppid "$(init_hostpid)" | wc -l; }
only_service_left() { [ "$(children)" -eq 1 ] && [ "$(zombies)" -eq 0 ]; }

t_01_knows_it_is_not_pid1() {
	log_lines 'starting as supervisor \(not PID 1\)' >/dev/null || fail "mode not detected"
	expect_eq "$(awk '/^PPid/ {print $2}' /proc/"$(init_hostpid)"/status)" "$NS_WRAPPER" "init's parent"
}

t_02_orphans_reaped_as_subreaper() {
	wait_for "orphans launched" 20 test -f "$WORK/orphans.done"
	wait_for "every orphan reaped by init" 20 only_service_left
}

t_03_shutdown_spares_other_processes() {
	ctl shutdown >/dev/null || fail "shutdown refused"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status"
	pgrep -f "$WORK/canary" >/dev/null || fail "shutdown killed a process that was not init's"
	! pgrep -f "$WORK/bin/orphaner" >/dev/null || fail "service left behind"
}
