# Containment (issue 15): with cgroup v2 each service has a cgroup of its
# own, so stop ends a child that left the service's process group
# (setsid), status and metrics show its CPU and tasks, a reload keeps the
# cgroups, and a main process that ends on its own takes what it left with
# it. The machine's memory, cpu and pids controllers are bound to cgroup v1
# (and init's cgroup holds init, so it could not pass them down anyway):
# the limits are reported as not applied, the start does not fail.
# containment-off is the same service without cgroups.

CG="ei-it-${WORK##*/}" # init's cgroup in the host's hierarchy, one per run

start_init() {
	rm -f "$EXITFILE"
	mkdir -p "$WORK/cg"
	# shellcheck disable=SC2016 # the inner shell expands them
	( unshare --pid --fork --mount-proc --kill-child /bin/sh -c '
		mount -t cgroup2 none "$1" && mkdir "$1/$2" && echo 0 > "$1/$2/cgroup.procs" && exec "$3"' \
		sh "$WORK/cg" "$CG" "$INIT_BIN" >"$LOG" 2>&1
	  echo $? >"$EXITFILE" ) &
	# shellcheck disable=SC2034 # lib.sh's init_hostpid reads it
	NS_WRAPPER=$!
}

# The host PID of the one process in init's namespace whose command line is $1.
pid_of() { ns_pgrep -f "^$1\$" | head -1; }
sid_of() { awk '{ print $6 }' "/proc/$1/stat"; }
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }
gone() { [ ! -e "/proc/$1" ]; }

t_01_a_cgroup_per_service() {
	wait_for "escaper active" 15 has_state escaper active
	wait_for "the escapee" 10 pid_of "sleep 86401"
	local main esc
	main=$(host_pid "$(field escaper PID)") || fail "escaper: no main process"
	esc=$(pid_of "sleep 86401")
	[ "$(sid_of "$esc")" != "$(sid_of "$main")" ] || fail "the escapee did not leave the session"
	expect_eq "$(cgroup_of "$main")" "/$CG/enclave-init/escaper" "the main process's cgroup"
	expect_eq "$(cgroup_of "$esc")" "/$CG/enclave-init/escaper" "the escapee's cgroup"
	expect_match "$(log_lines 'cgroup v2 at ')" "a cgroup per service in $WORK/cg/$CG/enclave-init" "init's line"
}

t_02_status_and_metrics_show_its_use() {
	expect_eq "$(field escaper Tasks)" 2 "escaper's Tasks"
	expect_match "$(field escaper CPU)" '^[0-9]+ms$|^[0-9]+\.[0-9]{3}s$' "escaper's CPU"
	# memory is bound to cgroup v1 here: no Memory line.
	[ -z "$(field escaper Memory)" ] || fail "a Memory line without a memory controller"
	local j m
	j=$(ctl status escaper --json)
	expect_eq "$(echo "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cgroup"], d["tasks"], d["memory_bytes"], type(d["cpu_usec"]).__name__)')" \
		"True 2 None int" "status --json's cgroup, tasks, memory_bytes, cpu_usec"
	m=$(ctl metrics)
	echo "$m" | grep -qx 'enclave_init_service_tasks{service="escaper"} 2' || fail "no tasks sample: $(echo "$m" | grep tasks)"
	echo "$m" | grep -qE '^enclave_init_service_cpu_seconds_total\{service="escaper"\} [0-9]+\.[0-9]{6}$' ||
		fail "no CPU sample: $(echo "$m" | grep cpu_seconds)"
	echo "$m" | grep -q '^enclave_init_service_memory_bytes{' && fail "a memory sample without a memory controller"
	return 0
}

t_03_limits_not_applied_are_reported() {
	wait_for "limited active" 15 has_state limited active
	expect_eq "$(field limited 'Limits Not Applied')" "MemoryMax, CPUWeight, TasksMax" "limited's limits"
	expect_eq "$(field escaper 'Limits Not Applied')" "" "escaper sets none"
	expect_eq "$(log_lines 'no memory controller here' | wc -l)" 1 "said once"
}

t_04_reload_keeps_the_cgroups() {
	local main esc
	main=$(field escaper PID)
	esc=$(pid_of "sleep 86401")
	expect_eq "$(ctl reload)" "✓ Reload initiated: init re-executes itself, services keep running" "reload"
	# shellcheck disable=SC2016 # eval expands them, each time
	wait_for "the reload" 10 eval '[ "$(log_lines "cgroup v2 at " | wc -l)" -ge 2 ]'
	wait_for "escaper active again" 10 has_state escaper active
	expect_eq "$(field escaper PID)" "$main" "escaper's PID after reload"
	expect_eq "$(field escaper Tasks)" 2 "escaper's Tasks after reload"
	expect_eq "$(pid_of "sleep 86401")" "$esc" "the escapee after reload"
}

t_05_stop_ends_the_escapee() {
	local esc
	esc=$(pid_of "sleep 86401")
	[ -n "$esc" ] || fail "no escapee"
	ctl stop escaper >/dev/null || fail "stop escaper"
	wait_for "escaper stopped" 15 has_state escaper inactive
	wait_for "the escapee gone" 10 gone "$esc"
	[ -z "$(field escaper Tasks)" ] || fail "a stopped service with a cgroup"
}

t_06_leftovers_of_a_main_that_exits_are_killed() {
	wait_for "leaver active" 15 has_state leaver active
	wait_for "leaver's child" 10 pid_of "sleep 86402"
	local esc
	esc=$(pid_of "sleep 86402")
	touch "$WORK/go"
	wait_for "leaver exited" 15 has_state leaver inactive
	wait_for "leaver's child gone" 10 gone "$esc"
	expect_match "$(log_lines 'service leaver: processes left in its cgroup killed')" . "the log says so"
}

t_07_shutdown_removes_the_cgroups() {
	ctl shutdown >/dev/null
	wait_for "init exited" 30 test -f "$EXITFILE"
	mkdir -p "$WORK/cg2"
	# shellcheck disable=SC2016 # the inner shell expands them
	unshare --mount /bin/sh -c '
		mount -t cgroup2 none "$1" || exit 2
		[ -d "$1/$2/enclave-init" ] && { echo "enclave-init left behind"; exit 1; }
		rmdir "$1/$2"' sh "$WORK/cg2" "$CG" || fail "the cgroups after shutdown"
}
