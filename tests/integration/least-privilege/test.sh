# Least privilege per service (issue 15): User, Group, SupplementaryGroups,
# UMask, NoNewPrivileges and Limit* as the kernel sees them (the host's
# /proc/PID/status and /proc/PID/limits), names looked up in the image's
# /etc/passwd and /etc/group (this scenario's etc/, bind-mounted in init's
# namespace); every failure to drop (a user or group that is not there, a
# limit the kernel refuses, a directory the user may not enter) fails the
# start with its reason in status and the log, and nothing runs as root in
# its place. The health check runs as the service's user; a Type=notify
# service as nobody becomes ready; ps start --user; and the app slot's
# app.user and app.working_directory.

here_dir="$TESTS_DIR/$SCENARIO"

# init as PID 1 of a new PID and mount namespace (lib.sh's), with the
# image's users and a /run of its own: /run/enclave-init made 0700 with an
# app's /cmd and /env in it, as app.c keeps them for a reload; and a umask
# of 0077, which no service may inherit (systemd's 0022 is the default).
start_init() {
	rm -f "$EXITFILE"
	(
		# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
		unshare --pid --fork --mount-proc --kill-child sh -c '
			mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&
			mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0700 /run/enclave-init &&
			printf "/bin/sleep\n100000\n" > /run/enclave-init/cmd && : > /run/enclave-init/env &&
			umask 0077 && exec "$2"' sh "$here_dir/etc" "$INIT_BIN" >"$LOG" 2>&1
		echo $? >"$EXITFILE"
	) &
	# shellcheck disable=SC2034 # lib.sh's init_hostpid reads it
	NS_WRAPPER=$!
}

prepare() {
	mkdir -p "$WORK/svcdir" "$WORK/appdir"
	chown 1234:1234 "$WORK/svcdir" && chmod 0700 "$WORK/svcdir"
	chmod 0755 "$WORK/appdir"
}

# main_pid SERVICE: the host PID of its main process, as init reports it
# and found among init's children; on stderr why not, and status 1.
main_pid() {
	local ns h
	ns=$(field "$1" PID)
	[[ $ns =~ ^[0-9]+$ ]] || { echo "$1: no main process (PID '$ns'): $(ctl status "$1" 2>&1)" >&2; return 1; }
	h=$(host_pid "$ns") || { echo "$1: PID $ns is not among init's children" >&2; return 1; }
	echo "$h"
}

# status_of SERVICE KEY: a line of the host's /proc/PID/status of its main
# process ("Uid", "Groups", ...), its fields joined by one space.
status_of() {
	local p
	p=$(main_pid "$1") || return 1
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$p/status"
}

# cwd_of SERVICE: the working directory of its main process.
cwd_of() {
	local p
	p=$(main_pid "$1") || return 1
	readlink "/proc/$p/cwd"
}

# limit_of SERVICE NAME: "soft hard" of a limit in /proc/PID/limits.
limit_of() {
	local p
	p=$(main_pid "$1") || return 1
	awk -v n="$2" 'index($0, n) == 1 { s = substr($0, 27); split(s, f, " +"); print f[1], f[2] }' "/proc/$p/limits"
}

all_settled() {
	local s
	for s in asnobody svcuser numeric rooty; do has_state "$s" active || return 1; done
	for s in ghost badgroup badsupp numnogroup toomanyfiles nosearch; do has_state "$s" failed || return 1; done
}

t_01_services_settle() {
	wait_for "every service active or failed" 20 all_settled
}

t_02_nobody_with_its_groups_umask_and_no_new_privs() {
	expect_eq "$(status_of asnobody Uid)" "65534 65534 65534 65534" "asnobody's uids (real, effective, saved, fs)"
	expect_eq "$(status_of asnobody Gid)" "65534 65534 65534 65534" "asnobody's gids"
	expect_eq "$(status_of asnobody Groups)" "110 65534" "asnobody's groups (its own, ssl-cert)"
	expect_eq "$(status_of asnobody Umask)" "0022" "asnobody's umask (systemd's default; init has 0077)"
	expect_eq "$(status_of asnobody NoNewPrivs)" "1" "asnobody's no_new_privs"
	expect_eq "$(status_of asnobody CapEff)" "0000000000000000" "asnobody's effective capabilities"
}

t_03_every_other_setting_as_configured() {
	expect_eq "$(status_of svcuser Uid)" "1234 1234 1234 1234" "svcuser's uids"
	expect_eq "$(status_of svcuser Gid)" "1234 1234 1234 1234" "svcuser's gids"
	# The user's own group, audio, video and ssl-cert (which list it), then
	# staff and 4000 (SupplementaryGroups); the kernel sorts them.
	expect_eq "$(status_of svcuser Groups)" "29 44 50 110 1234 4000" "svcuser's groups"
	expect_eq "$(status_of svcuser Umask)" "0027" "svcuser's umask"
	expect_eq "$(status_of svcuser NoNewPrivs)" "0" "svcuser's no_new_privs (not asked for)"
	expect_eq "$(limit_of svcuser 'Max processes')" "50 60" "LimitNPROC"
	expect_eq "$(limit_of svcuser 'Max core file size')" "0 0" "LimitCORE"
	expect_eq "$(limit_of svcuser 'Max locked memory')" "65536 1048576" "LimitMEMLOCK"
	# memcheck keeps a stack limit to itself (it never reaches the kernel,
	# so the program exec'd does not get it): checked in the plain build.
	has_word "$FLAVOUR" valgrind ||
		expect_eq "$(limit_of svcuser 'Max stack size')" "4194304 8388608" "LimitSTACK"
	expect_eq "$(limit_of svcuser 'Max address space')" "2147483648 unlimited" "LimitAS"
	expect_eq "$(cwd_of svcuser)" "$WORK/svcdir" "svcuser's working directory"
	# A limit not set is init's (what it was started with).
	expect_eq "$(limit_of svcuser 'Max pending signals')" "$(limit_of rooty 'Max pending signals')" "an unset limit"
}

t_03_open_files() {
	if has_word "$FLAVOUR" valgrind; then
		# memcheck refuses any change of the hard limit (its own descriptors
		# sit above it): a refusal, reported as any other.
		wait_for "nofile failed" 10 has_state nofile failed
		expect_eq "$(field nofile 'Last Error')" "setrlimit LimitNOFILE: Operation not permitted" "nofile's Last Error"
		return
	fi
	wait_for "nofile active" 10 has_state nofile active
	expect_eq "$(limit_of nofile 'Max open files')" "100 200" "LimitNOFILE"
	expect_eq "$(status_of nofile Uid)" "1234 1234 1234 1234" "nofile's uids"
}

t_04_numeric_ids_without_entries() {
	expect_eq "$(status_of numeric Uid)" "4321 4321 4321 4321" "numeric's uids"
	expect_eq "$(status_of numeric Gid)" "4321 4321 4321 4321" "numeric's gids"
	expect_eq "$(status_of numeric Groups)" "4321" "numeric's groups"
}

t_05_no_setting_is_root_with_the_default_umask() {
	expect_eq "$(status_of rooty Uid)" "0 0 0 0" "rooty's uids"
	expect_eq "$(status_of rooty Umask)" "0022" "rooty's umask"
}

# failed_with SERVICE REASON: failed, the reason in status and on the
# console, and its command never ran (as root or anyone).
failed_with() {
	expect_eq "$(state "$1")" failed "$1's state"
	expect_eq "$(field "$1" 'Last Error')" "$2" "$1's Last Error"
	log_lines "init: warning: Service $1 failed to start: $2\$" >/dev/null || fail "$1's failure not logged"
	grep -q "failed to start: $2" "$WORK/log/$1.log" || fail "$1's failure not in its log"
	[ ! -e "$WORK/ran.$1" ] || fail "$1's command ran"
	[ -z "$(field "$1" PID)" ] || [ "$(field "$1" PID)" = "N/A" ] || fail "$1 has a PID: $(field "$1" PID)"
}

t_06_failures_to_drop_fail_the_start() {
	failed_with ghost "User 'nobody2' not found in /etc/passwd"
	failed_with badgroup "Group 'nogroup2' not found in /etc/group"
	failed_with badsupp "SupplementaryGroups: group 'wheel' not found in /etc/group"
	failed_with numnogroup "User '4321' not found in /etc/passwd, and no Group= to run it with"
	failed_with toomanyfiles "setrlimit LimitNOFILE: Operation not permitted"
	# Started again, it fails again, the same way.
	out=$(ctl start ghost --wait --timeout 10 2>&1) && fail "start ghost succeeded: $out"
	failed_with ghost "User 'nobody2' not found in /etc/passwd"
}

t_07_directory_entered_as_the_user() {
	failed_with nosearch "chdir: Permission denied"
}

t_08_notify_as_nobody_becomes_ready() {
	wait_for "notifier ready" 20 log_lines 'init: Service notifier is ready$'
	expect_eq "$(state notifier)" active "notifier's state"
	expect_eq "$(rec notifier ready)" 1 "notifier's ready (on the wire)"
	expect_eq "$(rec notifier notify_status)" "ready as 65534" "notifier's STATUS="
	expect_eq "$(status_of notifier Uid)" "65534 65534 65534 65534" "notifier's uids"
	log_lines 'notify socket: /run/enclave-init made searchable by every user' >/dev/null ||
		fail "the socket's directory (0700) was not made searchable"
}

t_09_health_check_runs_as_the_service_user() {
	wait_for "checked healthy" 20 log_lines 'init: Service checked is healthy$'
	out=$(ctl health checked 2>&1) || fail "health checked: $out"
	expect_match "$out" "uid 65534 gid 65534" "the check's output"
}

# ps_pid OUTPUT: the PID of "✓ Process started with PID N (PID: N)".
ps_pid() { local p=${1#✓ Process started with PID }; echo "${p%% *}"; }

t_10_ps_start_user() {
	local out p h
	out=$(ctl ps start --user nobody /bin/sleep 100000 2>&1) || fail "ps start --user nobody: $out"
	h=$(host_pid "$(ps_pid "$out")") || fail "no process for: $out"
	expect_eq "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$h/status")" "65534 65534 65534 65534" "ps start --user nobody: uids"
	expect_eq "$(awk '$1 == "Groups:" { $1 = ""; sub(/^ /, ""); print }' "/proc/$h/status")" "110 65534" "ps start --user nobody: groups"
	expect_eq "$(awk '$1 == "Umask:" { print $2 }' "/proc/$h/status")" "0022" "ps start: umask"
	out=$(ctl ps start --user=1234 /bin/sleep 100000 2>&1) || fail "ps start --user=1234: $out"
	h=$(host_pid "$(ps_pid "$out")") || fail "no process for: $out"
	expect_eq "$(awk '$1 == "Uid:" { print $2 }' "/proc/$h/status")" "1234" "ps start --user=1234: uid"
	out=$(ctl ps start /bin/sleep 100000 2>&1) || fail "ps start: $out"
	h=$(host_pid "$(ps_pid "$out")") || fail "no process for: $out"
	expect_eq "$(awk '$1 == "Uid:" { print $2 }' "/proc/$h/status")" "0" "ps start without --user: root"
	out=$(ctl ps start --user nobody2 /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user nobody2 succeeded: $out"
	expect_eq "$out" "✗ Error: cannot start /bin/sh: User 'nobody2' not found in /etc/passwd" "ps start --user nobody2"
	out=$(ctl ps start --user 4321 /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user 4321 succeeded: $out"
	expect_match "$out" "User '4321' not found in /etc/passwd" "ps start --user 4321"
	[ ! -e "$WORK/ran.ps" ] || fail "a ps start that failed to drop ran"
	log_lines "init: ps start: cannot start /bin/sh: User 'nobody2' not found in /etc/passwd\$" >/dev/null ||
		fail "the failed ps start not logged"
}

t_11_app_runs_as_app_user_in_its_directory() {
	# A container never reads /cmd (the VM boot does); a reload restores
	# the app from /run/enclave-init, where start_init put one.
	out=$(ctl reload 2>&1) || fail "reload: $out"
	wait_for "the app running" 60 has_state theapp active
	expect_eq "$(status_of theapp Uid)" "1234 1234 1234 1234" "the app's uids (app.user: svc)"
	expect_eq "$(status_of theapp Groups)" "29 44 110 1234" "the app's groups"
	expect_eq "$(cwd_of theapp)" "$WORK/appdir" "the app's directory (app.working_directory)"
	# The services kept running across the reload, as themselves.
	expect_eq "$(status_of svcuser Uid)" "1234 1234 1234 1234" "svcuser's uids after the reload"
}
