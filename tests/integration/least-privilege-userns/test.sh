# A drop the kernel refuses (issue 15): init as PID 1 of a PID, mount and
# user namespace that maps root alone and denies setgroups, as an
# unprivileged container would. A service with User= or Group= fails with
# the kernel's reason ("setgroups: Operation not permitted") in status and
# the log, each retry the same, and its command never runs; ps start
# --user too; what asks for no privilege change runs.

start_init() {
	rm -f "$EXITFILE"
	( unshare --user --map-root-user --pid --fork --mount-proc --kill-child "$INIT_BIN" >"$LOG" 2>&1
	  echo $? >"$EXITFILE" ) &
	# shellcheck disable=SC2034 # lib.sh's init_hostpid reads it
	NS_WRAPPER=$!
}

t_01_the_namespace_denies_setgroups() {
	wait_for "plain running" 15 has_state plain active
	local p
	p=$(host_pid "$(field plain PID)") || fail "plain: no process"
	expect_eq "$(cat "/proc/$p/setgroups")" deny "setgroups in init's user namespace"
	wait_for "plain's command ran" 10 test -e "$WORK/ran.plain"
}

t_02_a_refused_drop_fails_the_start() {
	# Restart=on-failure retries it (each start fails the same way) until
	# its start limit, which is then its last error.
	wait_for "dropper failed for good" 30 has_state dropper failed
	expect_eq "$(grep -c 'init: warning: Service dropper failed to start: setgroups: Operation not permitted$' "$LOG")" 4 \
		"dropper's failures logged (the start and three retries)"
	expect_eq "$(field dropper 'Last Error')" "restart limit reached: 3 restarts within 60s" "dropper's Last Error"
	[ ! -e "$WORK/ran.dropper" ] || fail "dropper's command ran"
	wait_for "grouponly failed" 10 has_state grouponly failed
	expect_eq "$(field grouponly 'Last Error')" "setgroups: Operation not permitted" "grouponly's Last Error"
	[ ! -e "$WORK/ran.grouponly" ] || fail "grouponly's command ran"
}

t_03_ps_start_user_refused_too() {
	local out
	out=$(ctl ps start --user nobody /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user nobody succeeded: $out"
	expect_eq "$out" "✗ Error: cannot start /bin/sh: setgroups: Operation not permitted" "ps start --user nobody"
	[ ! -e "$WORK/ran.ps" ] || fail "the refused ps start ran"
	out=$(ctl ps start /bin/sh -c "touch $WORK/ran.ps" 2>&1) || fail "ps start as root: $out"
	wait_for "ps start as root ran" 10 test -e "$WORK/ran.ps"
}
