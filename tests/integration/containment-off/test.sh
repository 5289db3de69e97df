# Containment off (cgroup_v2: null, issue 15): today's behaviour. A service
# is its process group: stop ends the group, and a child that left it
# (setsid) survives until init shuts down. Nothing of cgroups in status.
# containment is the same service with cgroup v2.

pid_of() { ns_pgrep -f "^$1\$" | head -1; }

t_01_the_escapee_survives_stop() {
	wait_for "escaper active" 15 has_state escaper active
	wait_for "the escapee" 10 pid_of "sleep 86401"
	local esc main
	esc=$(pid_of "sleep 86401")
	main=$(host_pid "$(field escaper PID)") || fail "escaper: no main process"
	[ -z "$(field escaper Tasks)" ] || fail "a Tasks line without cgroups"
	ctl stop escaper >/dev/null || fail "stop escaper"
	wait_for "escaper stopped" 15 has_state escaper inactive
	wait_for "the main process gone" 10 eval "[ ! -e /proc/$main ]"
	[ -e "/proc/$esc" ] || fail "the escapee is gone: containment without cgroups?"
	[ -z "$(log_lines 'cgroup v2 at ')" ] || fail "cgroup v2 used with cgroup_v2: null"
}
