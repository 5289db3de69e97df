# mount, finit_module, socket (heartbeat) and reboot failing in a VM's
# boot and shutdown: logged, survived.

prepare() {
	echo "not a module" > "$WORK/nsm.ko"
	export EI_FAULTS="vm,mount:EPERM,finit_module:ENOEXEC,socket:EMFILE:match=vsock,reboot:EPERM"
}

said() { log_lines "$1" >/dev/null || fail "${2:-console lacks /$1/}"; }

t_01_boot_steps_fail_and_boot_goes_on() {
	said "starting as PID 1 of a VM" "init did not take itself for PID 1 of a VM"
	said "^fault: mount\(/dev\): EPERM"
	said "error: mount devtmpfs on /dev: Operation not permitted"
	said "error: mount proc on /proc: Operation not permitted"
	said "error: mount tmpfs on /run: Operation not permitted"
	said "^fault: finit_module\($WORK/nsm.ko\): ENOEXEC"
	said "error: NSM driver $WORK/nsm.ko: finit_module: Exec format error"
	said "error: heartbeat to vsock 3:9000: socket: .*; booting on"
	wait_for "worker running" 10 has_state worker active
	ctl ping >/dev/null || fail "ping"
}

t_02_a_failed_reboot_leaves_init_up() {
	ctl shutdown >/dev/null 2>&1
	wait_for "the reboot's failure" 30 log_lines "error: reboot\(2\) failed: Operation not permitted; init stays up"
	said "^fault: reboot\(\): EPERM"
	# A round trip through init's loop after the failure: it is still there.
	ctl ping >/dev/null || fail "init stopped answering"
	[ ! -f "$EXITFILE" ] || fail "init exited with status $(cat "$EXITFILE")"
	kill -0 "$(init_hostpid)" || fail "init is gone"
}

t_03_killed_from_outside() {
	kill -9 "$(init_hostpid)" || fail "kill"
	wait_for "init gone" 10 test -f "$EXITFILE"
}
