# Process management (manual 002, "Process Management"), driven by initctl:
# ps list holds init, every service (its name, "yes") and ad-hoc processes
# ("no"); ps status of a known CPU burn and a known resident size, checked
# against the kernel's own counters read from the host's /proc; ps start
# with arguments and environment (argv, environ, the adhoc-<pid>.log);
# stop and kill by number and by name (the ended process's status says
# which signal); restart of a service by PID, refused for an ad-hoc one;
# PID 1, 0 and -1 refused; PIDs that do not exist; a missing program; the
# max_adhoc limit; the manual's process-monitor.sh and service-health.sh,
# unchanged; bad input of every kind while init keeps answering.

here_dir="$TESTS_DIR/$SCENARIO"

# adhoc ARGS...: `ps start ARGS`, checks the message, prints the new PID
# (as the namespace numbers it) and remembers it in $WORK/adhoc.pids.
adhoc() {
	local out p
	out=$(ctl ps start "$@" 2>&1) || { echo "ps start $*: $out" >&2; return 1; }
	p=${out#✓ Process started with PID }
	p=${p%% *}
	[ "$out" = "✓ Process started with PID $p (PID: $p)" ] || { echo "ps start message: '$out'" >&2; return 1; }
	echo "$p" >> "$WORK/adhoc.pids"
	echo "$p"
}

# psfield PID LABEL: one "  Label: value" line of `ps status`.
psfield() { ctl ps status "$1" | sed -n "s/^  $2: //p"; }
# row PID: the `ps list` row of PID.
row() { ctl ps list | awk -v p="$1" '$1 == p'; }
col() { awk -v n="$2" '{ print $n }' <<< "$1"; }  # col ROW N

# kib "12.5M": the KiB a MEM cell stands for (its lower bound: it is truncated).
kib() {
	awk -v m="$1" 'BEGIN { u = substr(m, length(m)); v = substr(m, 1, length(m) - 1);
		f = u == "K" ? 1 : u == "M" ? 1024 : u == "G" ? 1048576 : -1; printf "%d\n", v * f }'
}

# ended_as PID STATE: ps status says the ad-hoc process ended so.
ended_as() { [ "$(psfield "$1" State)" = "$2" ]; }
# not_running PID: ended, forgotten or never there.
not_running() { ! ctl ps status "$1" 2>/dev/null | grep -qE '^  State: (Running|Sleeping)$'; }

all_active() {
	local s
	for s in webapp database worker memhog; do has_state "$s" active || return 1; done
}

t_01_list_has_init_every_service_and_an_adhoc_process() {
	local list a r s p
	wait_for "services active" 20 all_active
	a=$(adhoc /bin/sleep 100000) || fail "ps start"
	list=$(ctl ps list) || fail "ps list: $list"
	expect_eq "$(sed -n 1p <<< "$list")" "PID      PPID     STATE        CPU%   MEM      MANAGED    SERVICE    COMMAND" "header"
	expect_eq "$(sed -n 2p <<< "$list")" "$(printf '%100s' '' | tr ' ' -)" "rule"
	r=$(awk '$1 == 1' <<< "$list")
	expect_match "$r" "^1        0        (Sleeping|Running) +[0-9]+\.[0-9] +[0-9.]+[KM] +no         -          $INIT_BIN\$" "init's row"
	for s in webapp database worker memhog; do
		p=$(field "$s" PID)
		r=$(awk -v p="$p" '$1 == p' <<< "$list")
		[ -n "$r" ] || fail "$s (PID $p) not listed: $list"
		expect_eq "$(col "$r" 2)/$(col "$r" 6)/$(col "$r" 7)" "1/yes/$s" "$s's PPID/MANAGED/SERVICE"
	done
	r=$(awk -v p="$a" '$1 == p' <<< "$list")
	expect_match "$r" "^$a +1 +Sleeping +0\.0 +[0-9.]+[KM] +no +- +/bin/sleep 100000\$" "the ad-hoc process's row"
	# Every row: 8 or more fields, a known state word, CPU% and MEM in form.
	tail -n +3 <<< "$list" | awk '
		NF < 8 || $3 !~ /^(Running|Sleeping|Disk-sleep|Zombie|Stopped|Tracing|Dead|Wakekill|Waking|Parked|Idle)$/ ||
		$4 !~ /^[0-9]+\.[0-9]$/ || $5 !~ /^[0-9]+(\.[0-9])?[KMG]$/ || $6 !~ /^(yes|no)$/ { print "bad row: " $0; bad = 1 }
		END { exit bad }' || fail "malformed rows"
	ctl ps stop "$a" >/dev/null || fail "ps stop $a"
}

# The kernel's CPU% of host PID h over its lifetime, as manual 002 defines it.
kernel_cpu() {
	local hz; hz=$(getconf CLK_TCK)
	awk -v hz="$hz" -v up="$(cut -d' ' -f1 /proc/uptime)" '{
		sub(/.*\) /, ""); t = ($12 + $13) / hz; age = up - $20 / hz;
		printf "%.1f\n", (age > 0 ? t * 100 / age : 0) }' "/proc/$1/stat"
}
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
burnt() { [ "$(cpu_ticks "$1")" -ge "$2" ]; }  # burnt HOSTPID TICKS
# Its start time in seconds since the epoch: boot time + start ticks / HZ.
kernel_start() {
	awk -v hz="$(getconf CLK_TCK)" -v bt="$(awk '/^btime/ { print $2 }' /proc/stat)" \
		'{ sub(/.*\) /, ""); printf "%d\n", bt + $20 / hz }' "/proc/$1/stat"
}
vmrss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# within A B TOL WHAT: |A - B| <= TOL (numbers with decimals).
within() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' ||
		fail "$4: $1 and $2 differ by more than $3"
}

t_02_status_of_a_cpu_burn() {
	local p h st k cpu
	out=$(ctl start burner) || fail "start burner: $out"
	wait_for "burner active" 10 has_state burner active
	p=$(field burner PID)
	h=$(host_pid "$p") || fail "burner's process not found"
	# Two seconds of CPU burnt, by the kernel's count.
	wait_for "burner to burn 2 s of CPU" 60 burnt "$h" "$((2 * $(getconf CLK_TCK)))"
	st=$(ctl ps status "$p") || fail "ps status $p: $st"
	k=$(kernel_cpu "$h")
	expect_eq "$(sed -n 1p <<< "$st")" "Process: $p" "first line"
	expect_eq "$(sed -n 's/^  Name: //p' <<< "$st")" sh "Name"
	expect_eq "$(sed -n 's/^  Parent PID: //p' <<< "$st")" 1 "Parent PID"
	expect_eq "$(sed -n 's/^  State: //p' <<< "$st")" Running "State"
	expect_eq "$(sed -n 's/^  Command: //p' <<< "$st")" "/bin/sh -c while :; do :; done" "Command"
	expect_eq "$(sed -n 's/^  Managed by Init: //p' <<< "$st")" yes "Managed by Init"
	expect_eq "$(sed -n 's/^  Service: //p' <<< "$st")" burner "Service"
	cpu=$(sed -n 's/^  CPU: \([0-9.]*\)%$/\1/p' <<< "$st")
	[ -n "$cpu" ] || fail "CPU line: $st"
	within "$cpu" "$k" 5 "CPU% against the kernel's counters"
	awk -v c="$cpu" 'BEGIN { exit !(c >= 25) }' || fail "a busy loop at $cpu% CPU"
	# The kernel's own boot time (btime) and start ticks: exactly, and the
	# same at every call (not the wall clock minus an uptime read apart).
	expect_eq "$(sed -n 's/^  Start Time: //p' <<< "$st")" "$(kernel_start "$h")" "Start Time"
	expect_eq "$(for i in 1 2 3 4 5 6 7 8 9 10; do ctl ps status "$p" | sed -n 's/^  Start Time: //p'; done | sort -u | wc -l)" 1 \
		"distinct Start Times over ten calls"
	within "$(kib "$(sed -n 's/^  Memory: //p' <<< "$st")")" "$(vmrss "$h")" 1024 "Memory of sh (KiB)"
	expect_eq "$(sed -n '$p' <<< "$st")" "  Service: burner" "last line"
	echo "burner: CPU $cpu% (kernel: $k%)"
}

t_03_status_of_a_known_memory_size() {
	local p h st m want
	wait_for "memhog to fill its 600 MiB" 60 test -f "$WORK/memhog.ready"
	p=$(field memhog PID)
	h=$(host_pid "$p") || fail "memhog's process not found"
	st=$(ctl ps status "$p") || fail "ps status $p: $st"
	m=$(sed -n 's/^  Memory: //p' <<< "$st")
	expect_match "$m" '^6[0-9][0-9](\.[0-9])?M$' "Memory of 600 MiB and an interpreter"
	[ "$(kib "$m")" -ge $((600 * 1024)) ] || fail "Memory $m is below the 600 MiB written"
	within "$(kib "$m")" "$(vmrss "$h")" 1024 "Memory against VmRSS (KiB)"
	expect_eq "$(sed -n 's/^  State: //p' <<< "$st")" Sleeping "State"
	want="/usr/bin/python3 -c import signal; b = b'x' * (600 << 20); open('$WORK/memhog.ready', 'w').close(); signal.pause()"
	expect_eq "$(sed -n 's/^  Command: //p' <<< "$st")" "$want" "Command: the whole command line"
	expect_eq "$(col "$(row "$p")" 5)" "$m" "MEM in the list"
	expect_eq "$(row "$p" | cut -c70-)" "${want:0:30}..." "COMMAND in the list: cut at 30 characters"
}

# The monitor as the manual prints it, with initctl on PATH. A process is
# reported when its CPU% is over 80 (in the listings before and after the
# run: CPU% moves), never when under in both; memhog's 600 MiB is over 500.
t_04_the_manuals_process_monitor_runs_unchanged() {
	local before after out err p c1 c2 r
	mkdir -p "$WORK/path" && ln -sf "$INITCTL" "$WORK/path/initctl"
	before=$(ctl ps list | tail -n +3)
	out=$(PATH="$WORK/path:$PATH" bash "$here_dir/manual/process-monitor.sh" 2>"$WORK/monitor.err") ||
		fail "process-monitor.sh failed: $out $(cat "$WORK/monitor.err")"
	after=$(ctl ps list | tail -n +3)
	[ ! -s "$WORK/monitor.err" ] || fail "process-monitor.sh wrote errors: $(cat "$WORK/monitor.err")"
	echo "$out"
	while read -r p c1; do
		c2=$(awk -v p="$p" '$1 == p { print $4 }' <<< "$after")
		[ -n "$c2" ] || continue
		r=$(awk -v p="$p" '$1 == p' <<< "$before")
		if awk -v a="$c1" -v b="$c2" 'BEGIN { exit !(a > 80 && b > 80) }'; then
			grep -q "^HIGH CPU: PID=$p CPU=[0-9.]*% MANAGED=$(col "$r" 6) SERVICE=$(col "$r" 7)\$" <<< "$out" ||
				fail "PID $p at $c1/$c2% CPU not reported"
		elif awk -v a="$c1" -v b="$c2" 'BEGIN { exit !(a <= 80 && b <= 80) }'; then
			grep -q "^HIGH CPU: PID=$p " <<< "$out" && fail "PID $p at $c1/$c2% CPU reported"
		fi
	done < <(awk '{ print $1, $4 }' <<< "$before")
	p=$(field memhog PID)
	r=$(awk -v p="$p" '$1 == p' <<< "$before")
	grep -qx "HIGH MEM: PID=$p MEM=$(col "$r" 5) MANAGED=yes SERVICE=memhog" <<< "$out" ||
		fail "memhog not reported as HIGH MEM"
	grep -A1 "^HIGH MEM: PID=$p " <<< "$out" | grep -qxF "  Command: $(cut -d' ' -f8- <<< "$(echo $r)")" ||
		fail "memhog's command not reported"
	expect_eq "$(grep -c '^HIGH MEM' <<< "$out")" 1 "HIGH MEM lines (memhog only)"
	ctl stop burner >/dev/null || fail "stop burner"
}

t_05_the_manuals_service_health_check_runs_unchanged() {
	local out s p want=""
	wait_for "services active" 20 all_active
	out=$(PATH="$WORK/path:$PATH" bash "$here_dir/manual/service-health.sh" 2>&1) || fail "service-health.sh: $out"
	echo "$out"
	for s in webapp database worker; do
		p=$(field "$s" PID)
		want+="Checking $s..."$'\n'"  ✓ Active \(PID: $p, CPU: [0-9]+\.[0-9]%, MEM: [0-9]+(\.[0-9])?[KM]\)"$'\n'
	done
	[[ "$out"$'\n' =~ ^$want$ ]] || fail "service-health.sh said: $out"
	ctl stop database >/dev/null || fail "stop database"
	wait_for "database stopped" 10 has_state database inactive
	out=$(PATH="$WORK/path:$PATH" bash "$here_dir/manual/service-health.sh" 2>&1)
	expect_eq "$(sed 's/Active (.*)$/Active (...)/' <<< "$out")" "Checking webapp...
  ✓ Active (...)
Checking database...
  ✗ Inactive
Checking worker...
  ✓ Active (...)" "with database stopped"
	ctl start database >/dev/null || fail "start database"
	wait_for "database active" 10 has_state database active
}

t_06_start_with_arguments_and_environment() {
	local p h q script='printf "<%s>\n" "$0" "$@"; env; echo to-stderr >&2; sleep 100000; :'
	p=$(adhoc /bin/sh -c "$script" zero "a b" "" -e FOO=bar -e "SPACED=a b c" --env=EMPTY= -- -e notanoption) ||
		fail "ps start"
	wait_for "its output" 10 grep -q to-stderr "$WORK/log/adhoc-$p.log"
	# What it printed: its arguments, its environment, stderr too.
	expect_eq "$(grep '^<' "$WORK/log/adhoc-$p.log")" "<zero>
<a b>
<>
<-e>
<notanoption>" "argv as the process saw it"
	grep -qx FOO=bar "$WORK/log/adhoc-$p.log" || fail "FOO not in its environment"
	# The kernel's view: argv word for word; the environment is init's
	# environment:, PATH, and the -e ones (sh has not exec'd anything).
	h=$(host_pid "$p") || fail "process $p not found"
	expect_eq "$(tr '\0' '|' < "/proc/$h/cmdline")" "/bin/sh|-c|$script|zero|a b||-e|notanoption|" "/proc/PID/cmdline"
	expect_eq "$(tr '\0' '\n' < "/proc/$h/environ" | sort)" "EMPTY=
FOO=bar
MARK=from-init
PATH=/sbin:/usr/sbin:/bin:/usr/bin
SPACED=a b c" "/proc/PID/environ"
	expect_eq "$(psfield "$p" Command)" "/bin/sh -c $script zero a b  -e notanoption" "ps status Command"
	expect_eq "$(col "$(row "$p")" 6)/$(col "$(row "$p")" 7)" "no/-" "MANAGED/SERVICE"
	# An exec shows in the command line.
	q=$(adhoc /bin/sh -c 'exec sleep 100000') || fail "ps start"
	wait_for "sh to exec sleep" 10 eval '[ "$(psfield "$q" Command)" = "sleep 100000" ]'
	ctl ps stop "$p" >/dev/null && ctl ps stop "$q" >/dev/null || fail "stop"
	# -e replaces a variable of init's; PATH is then searched for the command.
	p=$(adhoc -e PATH=/nowhere:/bin -e MARK=mine sleep 100000) || fail "ps start with PATH"
	h=$(host_pid "$p") || fail "process $p not found"
	expect_eq "$(tr '\0' '\n' < "/proc/$h/environ" | sort)" "MARK=mine
PATH=/nowhere:/bin" "environ with replaced variables"
	expect_eq "$(tr '\0' ' ' < "/proc/$h/cmdline")" "sleep 100000 " "cmdline of a command found on PATH"
	ctl ps stop "$p" >/dev/null || fail "stop"
}

# signalled HOW MESSAGE STATE: an ad-hoc sleeper, `ps HOW` ({} is its PID),
# the message, then ps status says how it ended.
signalled() {
	local p out msg=$2 state=$3
	p=$(adhoc /bin/sleep 100000) || fail "ps start"
	out=$(ctl ps ${1//\{\}/$p} 2>&1) || fail "ps ${1//\{\}/$p}: $out"
	expect_eq "$out" "✓ ${msg//\{\}/$p}" "ps ${1//\{\}/$p}"
	wait_for "$p to end: $state" 10 ended_as "$p" "$state"
}

t_07_stop_and_kill_by_number_and_name() {
	signalled "stop {}" "SIGTERM sent to process {}" "Killed (signal 15: SIGTERM)"
	signalled "kill {}" "Signal 15 sent to process {}" "Killed (signal 15: SIGTERM)"
	signalled "kill {} --signal 9" "Signal 9 sent to process {}" "Killed (signal 9: SIGKILL)"
	signalled "kill {} -s 1" "Signal 1 sent to process {}" "Killed (signal 1: SIGHUP)"
	signalled "kill -s KILL {}" "Signal 9 sent to process {}" "Killed (signal 9: SIGKILL)"
	signalled "kill {} -s SIGUSR1" "Signal 10 sent to process {}" "Killed (signal 10: SIGUSR1)"
	signalled "kill {} --signal=term" "Signal 15 sent to process {}" "Killed (signal 15: SIGTERM)"
	signalled "kill {} -s hup" "Signal 1 sent to process {}" "Killed (signal 1: SIGHUP)"
	signalled "kill {} -s Sigint" "Signal 2 sent to process {}" "Killed (signal 2: SIGINT)"
	# A service's process, by name: it ends, and its policy restarts it.
	local w out
	w=$(field worker PID)
	out=$(ctl ps kill "$w" -s KILL) || fail "ps kill worker: $out"
	expect_eq "$out" "✓ Signal 9 sent to process $w" "kill worker"
	wait_for "worker back with a new PID" 10 eval '[ "$(field worker PID)" != "$w" ] && has_state worker active'
	expect_eq "$(field worker "Last Exit Code")" "137 (killed by SIGKILL)" "worker's last exit"
}

t_08_exit_codes_of_ended_adhoc_processes() {
	local p
	p=$(adhoc /bin/sh -c 'exit 3') || fail "ps start"
	wait_for "exit 3" 10 ended_as "$p" "Exited (code 3)"
	expect_eq "$(ctl ps status "$p")" "Process: $p
  State: Exited (code 3)
  Command: /bin/sh -c exit 3
  Managed by Init: no" "the status of an ended process"
	p=$(adhoc /bin/true) || fail "ps start"
	wait_for "exit 0" 10 ended_as "$p" "Exited (code 0)"
	p=$(adhoc /bin/sh -c 'kill -SEGV $$') || fail "ps start"
	wait_for "SIGSEGV" 10 ended_as "$p" "Killed (signal 11: SIGSEGV)"
	# An ended process is not in the list (it is not in /proc).
	[ -z "$(row "$p")" ] || fail "ended process $p listed"
}

t_09_restart_a_service_by_pid_not_an_adhoc_process() {
	local w out a
	w=$(field webapp PID)
	out=$(ctl ps restart "$w") || fail "ps restart $w: $out"
	expect_eq "$out" "✓ Service 'webapp' restarted" "ps restart"
	wait_for "webapp with a new PID" 10 eval '[ "$(field webapp PID)" != "$w" ] && has_state webapp active'
	a=$(adhoc /bin/sleep 100000) || fail "ps start"
	out=$(ctl ps restart "$a" 2>&1); rc=$?
	expect_eq "$rc/$out" "1/✗ Error: Process $a is not managed by init, cannot restart" "restart of an ad-hoc process"
	expect_eq "$(psfield "$a" State)" Sleeping "the ad-hoc process untouched"
	ctl ps stop "$a" >/dev/null || fail "stop"
}

refused() {  # refused WANT ARGS...: exit status $RC (default 1) and exactly this error
	local want=$1 out rc; shift
	out=$(ctl "$@" 2>&1); rc=$?
	expect_eq "$rc/$out" "${RC:-1}/✗ Error: $want" "$*"
}

t_10_pid_1_0_and_negative_pids_refused() {
	refused "refusing to stop PID 1: it is init itself" ps stop 1
	refused "refusing to signal PID 1: it is init itself" ps kill 1 -s 9
	refused "refusing to restart PID 1: it is init itself" ps restart 1
	refused "refusing to stop PID 0: not a process (kill(2) would take it for the caller's process group)" ps stop 0
	refused "refusing to signal PID 0: not a process (kill(2) would take it for the caller's process group)" ps kill 0
	refused "refusing to restart PID 0: not a process (kill(2) would take it for the caller's process group)" ps restart 0
	refused "refusing to signal PID -1: not a process (a negative PID names a process group)" ps kill -1
	refused "refusing to signal PID -1: not a process (a negative PID names a process group)" ps kill -1 -s KILL
	refused "refusing to stop PID -1: not a process (a negative PID names a process group)" ps stop -1
	refused "refusing to signal PID -42: not a process (a negative PID names a process group)" ps kill -s 9 -42
	refused "refusing to show PID 0: not a process (kill(2) would take it for the caller's process group)" ps status 0
	refused "refusing to show PID -1: not a process (a negative PID names a process group)" ps status -1
	# ps status 1 is a question, not an act: init answers about itself.
	local st
	st=$(ctl ps status 1) || fail "ps status 1: $st"
	expect_eq "$(sed -n '1,3p' <<< "$st")" "Process: 1
  Name: init
  Parent PID: 0" "ps status 1"
	expect_eq "$(sed -n 's/^  Command: //p' <<< "$st")" "$INIT_BIN" "init's command"
	expect_eq "$(sed -n 's/^  Managed by Init: //p' <<< "$st")" no "init is not a service"
	ctl ping >/dev/null || fail "init stopped answering"
	all_active || fail "a service went down"
}

t_11_pids_that_do_not_exist() {
	local n
	for n in 4194304 2147483647; do
		# exit status 4, systemctl's for a unit that does not exist
		RC=4 refused "Process $n: no such process" ps status "$n"
		RC=4 refused "Process $n: no such process" ps stop "$n"
		RC=4 refused "Process $n: no such process" ps kill "$n" -s 9
		RC=4 refused "Process $n: no such process" ps restart "$n"
	done
}

t_12_starts_that_fail() {
	refused "cannot start /nonexistent/prog: exec: No such file or directory" ps start /nonexistent/prog
	refused "cannot start no-such-command-here: exec: No such file or directory" ps run no-such-command-here -x
	printf 'not a program\n' > "$WORK/notexec" && chmod 644 "$WORK/notexec"
	refused "cannot start $WORK/notexec: exec: Permission denied" ps start "$WORK/notexec"
	refused "cannot start /: exec: Permission denied" ps start /
	ctl ping >/dev/null || fail "init stopped answering"
}

usage() {  # usage WANT ARGS...: exit status 2 and exactly this message
	local want=$1 out rc; shift
	out=$(ctl "$@" 2>&1); rc=$?
	expect_eq "$rc/$out" "2/$want" "$*"
}

t_13_bad_command_lines() {
	local long
	usage "initctl: ps: needs a command: list, status, start, run, stop, kill, restart" ps
	usage "initctl: ps: unknown command 'frob' (list, status, start, run, stop, kill, restart)" ps frob
	usage "initctl: ps list: takes no arguments" ps list -a
	usage "initctl: ps status: needs a PID" ps status
	usage "initctl: ps status: 'abc' is not a PID (a decimal number)" ps status abc
	usage "initctl: ps stop: '12x' is not a PID (a decimal number)" ps stop 12x
	usage "initctl: ps stop: '99999999999' is not a PID (a decimal number)" ps stop 99999999999
	usage "initctl: ps stop: takes one PID, not '3' as well" ps stop 2 3
	usage "initctl: ps kill: takes one PID, not '5' as well (a signal goes with -s, e.g. -s 9)" ps kill -9 5
	usage "initctl: ps kill: 'BOGUS' is not a signal: 1 to 64, or a name such as KILL, SIGHUP, term" ps kill 5 -s BOGUS
	usage "initctl: ps kill: '65' is not a signal: 1 to 64, or a name such as KILL, SIGHUP, term" ps kill 5 --signal 65
	usage "initctl: ps kill: -s needs a signal: 1 to 64, or a name such as KILL" ps kill 5 -s
	usage "initctl: ps restart: unknown option: --force" ps restart --force 5
	usage "initctl: ps start: needs a COMMAND" ps start
	usage "initctl: ps start: needs a COMMAND" ps start -e A=1
	usage "initctl: ps start: -e takes KEY=VALUE, not 'NOEQUALS' (after --, every word is the command's own)" ps start /bin/true -e NOEQUALS
	usage "initctl: ps run: -e '=x': the variable name is empty" ps run /bin/true -e =x
	usage "initctl: ps start: --env needs KEY=VALUE" ps start /bin/true --env
	usage "initctl: ps start: the command must not be empty" ps start ""
	usage "initctl: ps start: unknown option before the command: -x (use -- before a command that starts with -)" ps start -x /bin/true
	long=$(printf '%0900d' 0)
	usage "initctl: ps start: command line and environment too long: 934 bytes, at most 928" ps start /bin/echo "$long" -e "K=$(printf '%020d' 0)"
	ctl ping >/dev/null || fail "init stopped answering"
}

# Hand-made frames the command line cannot make: init answers each with an
# error, closes that connection, and goes on serving.
t_14_bad_frames() {
	local h; h=$(cfg_hash)
	expect_eq "$(frame --hash "$h" --op 21 --arg0 5 --arg1 0)" "status=1 msg=bad signal: 1 to 64 closed=yes" "signal 0"
	expect_eq "$(frame --hash "$h" --op 21 --arg0 5 --arg1 65)" "status=1 msg=bad signal: 1 to 64 closed=yes" "signal 65"
	expect_match "$(frame --hash "$h" --op 20 --arg0 5 --arg1 1)" "^status=1 msg=.* closed=yes$" "ps stop with arg1"
	expect_match "$(frame --hash "$h" --op 19)" "^status=1 msg=bad ps start.* closed=yes$" "ps start without text"
	expect_match "$(frame --hash "$h" --op 19 --arg0 1 --arg2 928 --fill-text)" "^status=1 msg=bad ps start text.* closed=yes$" "ps start with unterminated text"
	expect_match "$(frame --hash "$h" --op 17)" "^status=0 msg=.* closed=(yes|no)$" "ps list by hand"
	ctl ping >/dev/null || fail "init stopped answering"
	all_active || fail "a service went down"
}

t_15_the_adhoc_limit() {
	local p ps=() out rc
	# End every ad-hoc process still running, then fill the 4 slots.
	for p in $(cat "$WORK/adhoc.pids" 2>/dev/null); do ctl ps stop "$p" >/dev/null 2>&1; done
	for p in $(cat "$WORK/adhoc.pids" 2>/dev/null); do wait_for "$p ended" 10 not_running "$p"; done
	for p in 1 2 3 4; do ps+=("$(adhoc /bin/sleep 100000)") || fail "ps start $p"; done
	out=$(ctl ps start /bin/sleep 100000 2>&1); rc=$?
	expect_eq "$rc/$out" "1/✗ Error: too many ad-hoc processes running (at most 4 at once, max_adhoc)" "a fifth"
	# One ends: its slot takes the next.
	ctl ps kill "${ps[0]}" -s KILL >/dev/null || fail "kill"
	wait_for "${ps[0]} ended" 10 ended_as "${ps[0]}" "Killed (signal 9: SIGKILL)"
	p=$(adhoc /bin/sleep 100000) || fail "a start once a slot is free"
	[ ! -e "$WORK/log/adhoc-${ps[0]}.log" ] || fail "the evicted process's output file is still there"
	[ -e "$WORK/log/adhoc-$p.log" ] || fail "no output file for $p"
	local files
	files=$(ls "$WORK/log" | grep -c '^adhoc-')
	[ "$files" -le 4 ] || fail "$files adhoc-*.log files with max_adhoc 4: $(ls "$WORK/log")"
	for p in "${ps[@]:1}" "$p"; do ctl ps stop "$p" >/dev/null || fail "stop $p"; done
}

t_16_help_and_system_status() {
	local h n rows i
	h=$("$INITCTL" --help)
	for w in "ps list" "ps status PID" "ps start|run COMMAND" "ps stop PID" "ps kill PID [-s|--signal N|NAME]" "ps restart PID"; do
		grep -qF "  $w" <<< "$h" || fail "--help lacks $w"
	done
	# The process count of system-status is the number of rows of ps list
	# (asked until two answers in a row agree: processes come and go).
	for i in 1 2 3 4 5 6 7 8 9 10; do
		n=$(ctl system-status | sed -n 's/^  Processes: \([0-9]*\) total$/\1/p')
		rows=$(ctl ps list | tail -n +3 | wc -l)
		[ "$n" = "$rows" ] && break
		sleep 0.2
	done
	expect_eq "$n" "$rows" "system-status's process count against ps list"
}

# Anyone who can open the socket may list; changing anything needs root or
# init's user (the socket is opened to everyone for this step only).
t_17_a_peer_that_is_not_root_may_only_read() {
	local p out rc
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$INITCTL" "$@"; }
	p=$(field webapp PID)
	chmod 0666 "$INIT_SOCKET" || fail "chmod"
	out=$(as_nobody ps list) || { chmod 0600 "$INIT_SOCKET"; fail "ps list as nobody: $out"; }
	out+=$'\n'$(as_nobody ps status "$p") || { chmod 0600 "$INIT_SOCKET"; fail "ps status as nobody: $out"; }
	for op in "kill $p -s KILL" "stop $p" "restart $p" "start /bin/sleep 4243"; do
		out=$(as_nobody ps $op 2>&1); rc=$?
		[ "$rc/$out" = "4/✗ Error: permission denied: 'ps ${op%% *}' changes state and needs root or init's own user" ] ||
			{ chmod 0600 "$INIT_SOCKET"; fail "ps $op as nobody: $rc/$out"; }
	done
	chmod 0600 "$INIT_SOCKET"
	expect_eq "$(field webapp PID)" "$p" "webapp untouched"
	ctl ps list | grep -q 'sleep 4243' && fail "a refused ps start started its process"
	true
}
