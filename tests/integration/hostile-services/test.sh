# Hostile services (issue 12): a crash loop of thousands of restarts, an
# orphan storm, a service that closes its stdout and stderr, a 1 GB log
# flood (every numbered line accounted for in the kept files), a service
# that ignores SIGTERM, and one whose child leaves its process group with
# setsid. A well-behaved client pings throughout each (every ping answered
# within 15 s, a correctness bound; the latencies are INFO lines); after
# each, init has the descriptors it had before (but the service's own log
# file, opened at its first line and kept) and no zombie.

# shellcheck source=../hostile-peers/hostile.sh
source "$TESTS_DIR/hostile-peers/hostile.sh"
L="$WORK/log"

# A descriptor open (without close-on-exec) in whatever starts init, as a
# container runtime may leave one: fd 7 on /dev/null (see t_09).
prepare() { hostile_prepare; exec 7</dev/null; }

# fd_targets: what each of init's descriptors points at, one per line.
fd_targets() { local p; p=$(init_hostpid); for f in /proc/"$p"/fd/*; do readlink "$f"; done; }
# fds_but NAME: init's descriptors other than NAME's log file.
fds_but() { fd_targets | grep -vcx -- "$L/$1.log"; }
fds_but_is() { [ "$(fds_but "$1")" = "$2" ]; }
# fds_nolog: init's descriptors other than log files.
fds_nolog() { fd_targets | grep -vc -- "^$L/"; }

# Processes under init (host PIDs) and its zombies.
children() { ps -o pid= --ppid "$(init_hostpid)" | wc -l; }
zombies() { ps -o stat= --ppid "$(init_hostpid)" | grep -c '^Z'; }
active_services() { ctl list | awk '$3 == "active"' | wc -l; }
# Only the services' main processes are left under init, none a zombie.
only_services_left() { [ "$(zombies)" = 0 ] && [ "$(children)" = "$(active_services)" ]; }

# pinger_start NAME / pinger_stop NAME WHAT: ping while something happens.
pinger_start() {
	rm -f "$WORK/stop.$1"
	pings "$1" 20 "$WORK/stop.$1" &
	echo $! > "$WORK/pinger.$1"
}
pinger_stop() {
	touch "$WORK/stop.$1"
	wait "$(cat "$WORK/pinger.$1")"
	local rc=$?
	info "ping during $2: $(figures "$1" 2>/dev/null || cat "$WORK/lat.$1.json")"
	[ $rc = 0 ] || fail "ping during $2: $(cat "$WORK/lat.$1.json")"
}

restarts() { field "$1" 'Restart Count'; }
restarts_at_least() { [ "$(restarts "$1")" -ge "$2" ]; }
seconds_of() { date -u -d "$(echo "$1" | cut -c2-20)" +%s; }

# all_files NAME: the files of a log, oldest first (.N ... .1, then current).
all_files() {
	ls "$L/$1".log.* 2>/dev/null | awk -F. '{ print $NF "\t" $0 }' | sort -rn | cut -f2
	echo "$L/$1.log"
}

t_01_baseline() {
	wait_for "mute, deaf and escape up" 20 sh -c "grep -q 'mute before' '$L/mute.log' && grep -q 'deaf up' '$L/deaf.log' && grep -q 'escape up' '$L/escape.log'"
	fds_nolog > "$WORK/base.nolog"
	rss > "$WORK/base.rss"
	pings idle || fail "idle ping: $(cat "$WORK/lat.idle.json")"
	info "ping idle: $(figures idle)"
	info "  baseline: descriptors $(fds) ($(cat "$WORK/base.nolog") besides log files), VmRSS $(cat "$WORK/base.rss") KiB"
}

t_02_crash_loop_of_thousands_of_restarts() {
	local before t0 t1 n starts exits
	before=$(fds_but crashloop)
	pinger_start crash
	t0=$(date +%s.%N)
	ctl start crashloop >/dev/null || fail "start crashloop"
	wait_for "3000 restarts of crashloop" 300 restarts_at_least crashloop 3000
	t1=$(date +%s.%N)
	ctl stop crashloop --wait --timeout 30 >/dev/null || fail "stop crashloop: $(ctl status crashloop)"
	pinger_stop crash "a crash loop (RestartSec 0)"
	n=$(restarts crashloop)
	info "  crashloop: $n restarts in $(echo "$t1 - $t0" | bc | cut -c1-5) s before the stop"
	expect_eq "$(state crashloop)" inactive "crashloop after stop"
	wait_for "init's descriptors back to $before (now $(fds_but crashloop)) besides crashloop.log" 20 fds_but_is crashloop "$before"
	wait_for "no zombie, only the services left under init" 20 only_services_left
	# Every process init started, it saw end, and said so, in order.
	# shellcheck disable=SC2046
	starts=$(cat $(all_files crashloop) | grep -c "Service crashloop started with PID")
	# shellcheck disable=SC2046
	exits=$(cat $(all_files crashloop) | grep -Ec "Service crashloop (exited with code|killed by)")
	expect_eq "$exits" "$starts" "exits logged for the $starts starts"
	[ "$starts" -gt "$n" ] || fail "$starts starts logged for $n restarts"
	alive
}

t_03_orphan_storm() {
	local before
	before=$(fds_but storm)
	pinger_start storm
	ctl start storm >/dev/null || fail "start storm"
	wait_for "the storm of 2000 orphans launched" 180 test -f "$WORK/storm.done"
	wait_for "every orphan reaped: no zombie, only the services under init (now $(children) children, $(zombies) zombies)" 60 only_services_left
	pinger_stop storm "an orphan storm (2000 re-parented grandchildren)"
	expect_eq "$(state storm)" active "storm after its storm"
	ctl stop storm --wait >/dev/null || fail "stop storm"
	wait_for "init's descriptors back to $before besides storm.log" 20 fds_but_is storm "$before"
}

t_04_closed_stdout_and_stderr() {
	local before
	before=$(fds_but mute)
	expect_eq "$(state mute)" active "mute with its output closed"
	! grep -q "into a closed" "$L/mute.log" || fail "lines written to closed descriptors reached the log"
	ctl restart mute >/dev/null || fail "restart mute"
	wait_for "mute's second start logged" 10 sh -c "[ \$(grep -c 'mute before' '$L/mute.log') = 2 ]"
	expect_eq "$(state mute)" active "mute after a restart"
	expect_eq "$(ctl logs mute -n 2 | cut -c23-)" "$(printf 'Service mute started with PID %s\nmute before' "$(field mute PID)")" "mute's last log lines"
	wait_for "init's descriptors back to $before besides mute.log" 20 fds_but_is mute "$before"
	alive
}

t_05_flood_of_a_gigabyte_every_line_kept() {
	local t0 t1 files n got
	pinger_start flood
	t0=$(date +%s.%N)
	ctl start flood >/dev/null || fail "start flood"
	wait_for "flood to write its 10,000,000 lines and exit" 900 grep -q "Service flood exited with code 0" "$L/flood.log"
	t1=$(date +%s.%N)
	pinger_stop flood "a 1 GB log flood"
	files=$(all_files flood)
	n=$(echo "$files" | wc -l)
	# shellcheck disable=SC2086
	info "  flood: $(cat $files | wc -c) bytes in $n files in $(echo "$t1 - $t0" | bc | cut -c1-5) s"
	for f in $files; do
		[ "$(stat -c %s "$f")" -le 16777216 ] || fail "$f is larger than max_log_size"
	done
	[ "$n" -le 100 ] || fail "$n files: more than max_log_files + 1"
	# Every number from 1 to 10,000,000 once, in order, across the files.
	# shellcheck disable=SC2086
	got=$(cat $files | awk '$3 == "flood" { n++; if ($4 + 0 != n) { print "line " n " is number " $4; exit 1 } } END { print n }') ||
		fail "flood lines out of order or missing: $got"
	expect_eq "$got" 10000000 "flood lines in the files"
	expect_eq "$(field flood 'Log lines dropped')" "" "dropped lines (shown only when some were)"
	alive
}

t_06_ignores_sigterm_killed_after_timeout() {
	local child out stop kill
	child=$(pgrep -f '^sleep 100002$')
	[ -n "$child" ] || fail "deaf's child not found"
	out=$(ctl stop deaf --wait --timeout 60) || fail "stop deaf: $out"
	expect_eq "$out" "✓ Service 'deaf' stopped" "stop --wait"
	expect_eq "$(field deaf 'Last Exit Code')" "137 (killed by SIGKILL)" "how deaf ended"
	! kill -0 "$child" 2>/dev/null || fail "deaf's child (same group, SIGTERM ignored) survived the stop"
	# SIGKILL came TimeoutStopSec (3 s) after SIGTERM, by the log's clock
	# (whole seconds: at least 2 apart).
	stop=$(grep "Stopping service deaf" "$L/deaf.log" | tail -1)
	kill=$(grep -E "Service deaf (was )?killed by SIGKILL|SIGKILL" "$L/deaf.log" | tail -1)
	{ [ -n "$stop" ] && [ -n "$kill" ]; } || fail "no stop/kill lines in deaf.log: $(tail -5 "$L/deaf.log")"
	[ $(($(seconds_of "$kill") - $(seconds_of "$stop"))) -ge 2 ] || fail "SIGKILL before TimeoutStopSec: $stop / $kill"
	info "  deaf: '$(echo "$stop" | cut -c23-)' then '$(echo "$kill" | cut -c23-)'"
	ctl start deaf >/dev/null || fail "start deaf again"
}

t_07_setsid_child_escapes_stop() {
	# What stop does, without cgroup v2 (cgroup_v2: null here; see the
	# containment scenario for it), with a child that left the service's
	# process group: nothing. SIGTERM and SIGKILL go to the group; the escapee lives on,
	# re-parented to init, and still writes into the service's log pipe.
	# It is an ordinary process then: ps kill ends it (or shutdown does).
	local esc ns before
	before=$(fds_but escape)
	esc=$(pgrep -f "echo escapee alive" | head -1)
	[ -n "$esc" ] || fail "no escapee"
	ctl stop escape --wait >/dev/null || fail "stop escape"
	kill -0 "$esc" 2>/dev/null || fail "the escapee died with the stop (now it does not escape: update docs/SECURITY.md)"
	expect_eq "$(awk '/^PPid:/ { print $2 }' "/proc/$esc/status")" "$(init_hostpid)" "escapee's parent after the stop"
	local mark; mark=$(wc -l < "$L/escape.log")
	wait_for "the escapee's lines still reach escape.log" 10 sh -c "tail -n +$((mark + 1)) '$L/escape.log' | grep -q 'escapee alive'"
	ns=$(awk '/^NSpid:/ { print $NF }' "/proc/$esc/status")
	ctl ps list | grep -Eq "^$ns +1 +.* no +- +/bin/sh -c while" || fail "escapee not in ps list as init's unmanaged child: $(ctl ps list | grep "^$ns ")"
	ctl ps kill "$ns" -s KILL >/dev/null || fail "ps kill the escapee"
	wait_for "the escapee gone and reaped" 10 sh -c "! kill -0 $esc 2>/dev/null"
	info "  escape: stop left its setsid child $ns running, re-parented to init and logging; ps kill ended it"
	ctl start escape >/dev/null || fail "start escape again"
	wait_for "escape up again" 10 sh -c "[ \$(grep -c 'escape up' '$L/escape.log') = 2 ]"
	wait_for "no zombie, only the services under init" 20 only_services_left
	wait_for "init's descriptors back to $before besides escape.log" 20 fds_but_is escape "$before"
}

t_08_afterwards_init_is_whole() {
	alive
	local s
	for s in crashloop storm mute flood deaf escape; do
		ctl status "$s" >/dev/null || [ $? = 3 ] || fail "status $s" # 3: answered, not active
	done
	expect_eq "$(fds_nolog)" "$(cat "$WORK/base.nolog")" "descriptors besides log files, as at the start"
	[ "$(fd_targets | grep -c -- "^$L/")" -le 7 ] || fail "more log files open than channels: $(fd_targets | grep -- "^$L/")"
	info "  afterwards: descriptors $(fds) ($(fds_nolog) besides log files), VmRSS $(rss) KiB (baseline $(cat "$WORK/base.rss") KiB)"
	wait_for "no zombie" 10 sh -c "[ \$(ps -o stat= --ppid $(init_hostpid) | grep -c '^Z') = 0 ]"
}

t_09_services_get_no_inherited_descriptors() {
	# A service gets stdin, stdout and stderr and nothing else: what init
	# itself inherited (fd 7 here, opened before init started) must not
	# reach the services' programs.
	local pid fds
	pid=$(host_pid "$(field deaf PID)") || fail "deaf's process not found"
	fds=$(ls "/proc/$pid/fd" | sort -n | paste -sd' ')
	[ "$(ls -l "/proc/$(init_hostpid)/fd/7" 2>/dev/null | sed 's/.*-> //')" = /dev/null ] ||
		fail "the control is broken: init did not inherit fd 7"
	expect_eq "$fds" "0 1 2" "descriptors of deaf's process ($(for f in /proc/"$pid"/fd/*; do printf '%s->%s ' "${f##*/}" "$(readlink "$f")"; done))"
}
