# Two inits in one cgroup (a supervisor started twice, test runs side by
# side) once shared its enclave-init directory: the second one's start of
# a service took the first one's same-named cgroup for leftovers and
# killed its processes. Each init now locks the directory (flock): one
# that finds it locked says so and contains its services by their process
# group only. Here a stand-in for the first init holds the lock. And a
# service that makes cgroups inside its own once left its directory (and
# so enclave-init) behind at every stop, its removal tried at every tick.
# A service named like a file of the interface is not taken for contained.

CG="ei-it-${WORK##*/}" # init's cgroup in the host's hierarchy, one per run

# in_hierarchy SCRIPT ARGS...: SCRIPT run by sh with the hierarchy mounted
# at $1 (in a mount namespace of its own), $2 init's cgroup, then ARGS.
in_hierarchy() {
	local script=$1
	shift
	mkdir -p "$WORK/cgh"
	unshare --mount /bin/sh -c "mount -t cgroup2 none \"\$1\" || exit 2; $script" sh "$WORK/cgh" "$CG" "$@"
}

# The other init: holds the lock on $CG/enclave-init while it lives.
prepare() {
	# shellcheck disable=SC2016 # the inner shell expands them
	in_hierarchy 'mkdir -p "$1/$2/enclave-init" && exec flock -o "$1/$2/enclave-init" sleep 86403' &
	echo $! > "$WORK/holder.pid"
	# shellcheck disable=SC2016
	wait_for_quiet 10 in_hierarchy '! flock -n "$1/$2/enclave-init" true'
}

start_init() {
	rm -f "$EXITFILE"
	mkdir -p "$WORK/cg"
	# shellcheck disable=SC2016 # the inner shell expands them
	( unshare --pid --fork --mount-proc --kill-child /bin/sh -c '
		mount -t cgroup2 none "$1" && mkdir -p "$1/$2" && echo 0 > "$1/$2/cgroup.procs" && exec "$3"' \
		sh "$WORK/cg" "$CG" "$INIT_BIN" >"$LOG" 2>&1
	  echo $? >"$EXITFILE" ) &
	# shellcheck disable=SC2034 # lib.sh's init_hostpid reads it
	NS_WRAPPER=$!
}

cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

t_01_a_locked_directory_is_left_alone() {
	wait_for "sharer active" 15 has_state sharer active
	expect_match "$(log_lines 'cgroup_v2: ')" "cgroup_v2: $WORK/cg/$CG/enclave-init: another init's \(locked\); services are contained by their process group only" "init's line"
	log_lines 'cgroup v2 at ' && fail "init took a locked directory"
	local main
	main=$(host_pid "$(field sharer PID)") || fail "sharer: no main process"
	expect_eq "$(cgroup_of "$main")" "/$CG" "sharer's cgroup (init's own)"
	[ -z "$(field sharer Tasks)" ] || fail "a Tasks line without a cgroup"
}

t_02_the_lock_is_taken_and_kept_across_a_reload() {
	local holder
	holder=$(cat "$WORK/holder.pid")
	pkill -P "$(pgrep -P "$holder" | head -1)" -x sleep 2>/dev/null
	wait_for "the other init gone" 10 sh -c "! kill -0 $holder 2>/dev/null"
	ctl reload >/dev/null || fail "reload"
	wait_for "the reload takes the directory" 10 log_lines 'cgroup v2 at '
	ctl restart sharer >/dev/null || fail "restart sharer"
	wait_for "sharer active" 15 has_state sharer active
	expect_eq "$(cgroup_of "$(host_pid "$(field sharer PID)")")" "/$CG/enclave-init/sharer" "sharer's cgroup"
	# shellcheck disable=SC2016 # the inner shell expands them
	in_hierarchy 'flock -n "$1/$2/enclave-init" true' && fail "init does not hold the lock"
	ctl reload >/dev/null || fail "reload"
	# shellcheck disable=SC2016
	wait_for "the second reload" 10 eval '[ "$(log_lines "cgroup v2 at " | wc -l)" -ge 2 ]'
	log_lines "another init's" | sed -n 2p | grep -q . && fail "a reload found its own lock"
	return 0
}

t_03_nested_cgroups_are_removed_with_the_service() {
	ctl start nester >/dev/null || fail "start nester" # after t_02: with cgroups
	wait_for "nester active" 15 has_state nester active
	wait_for "nester's cgroups" 10 test -f "$WORK/nested"
	expect_eq "$(cgroup_of "$(host_pid "$(field nester PID)")")" "/$CG/enclave-init/nester/a/b" "nester's cgroup"
	ctl stop nester >/dev/null || fail "stop nester"
	wait_for "nester stopped" 15 has_state nester inactive
	# shellcheck disable=SC2016 # the inner shell expands them
	wait_for "nester's directory gone" 10 in_hierarchy '[ ! -e "$1/$2/enclave-init/nester" ]'
}

# A service named like a file of the interface (cpu.stat) finds that file
# where its directory would be: it is contained by its process group only,
# said once, and status does not call it contained.
t_035_a_service_named_like_an_interface_file() {
	ctl restart cpu.stat --wait >/dev/null || fail "restart cpu.stat"
	expect_match "$(log_lines 'service cpu.stat: ')" "service cpu.stat: mkdir .*/enclave-init/cpu.stat: Not a directory; contained by its process group only" "init's line"
	[ -z "$(field cpu.stat Tasks)" ] || fail "cpu.stat has a Tasks line: $(field cpu.stat Tasks)"
	local main
	main=$(host_pid "$(field cpu.stat PID)") || fail "cpu.stat: no main process"
	expect_eq "$(cgroup_of "$main")" "/$CG" "cpu.stat's cgroup (init's own)"
}

t_04_shutdown_removes_the_cgroups() {
	ctl shutdown >/dev/null
	wait_for "init exited" 30 test -f "$EXITFILE"
	# shellcheck disable=SC2016 # the inner shell expands them
	in_hierarchy '[ -d "$1/$2/enclave-init" ] && { echo "enclave-init left behind"; exit 1; }
		rmdir "$1/$2"' || fail "the cgroups after shutdown"
}
