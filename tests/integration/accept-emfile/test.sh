# accept(2) under EMFILE: the reserve descriptor (ctl.c's turn_away).

# cpu_ticks HOSTPID: user + system time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# lowest_free HOSTPID: the lowest descriptor number the process has free.
lowest_free() {
	local n=0
	while [ -e "/proc/$1/fd/$n" ]; do n=$((n + 1)); done
	echo "$n"
}

# Lower init's (soft) limit to the lowest free number: every number below
# it is taken, so the next descriptor init asks for fails with EMFILE. The
# old limit is kept in $WORK/nofile.
fill_table() {
	local h=$1 n
	n=$(lowest_free "$h")
	prlimit --pid "$h" --nofile --output SOFT --noheadings > "$WORK/nofile" || fail "prlimit"
	prlimit --pid "$h" --nofile="$n:" || fail "prlimit"
}

# A client that connects and waits for init to close the connection (an
# EOF), for at most 10 seconds: 0 when it was closed.
closed_by_init() {
	"${PYTHON:-python3}" - "$INIT_SOCKET" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(10)
try:
    sys.exit(0 if s.recv(1) == b"" else 1)
except (socket.timeout, ConnectionResetError) as e:
    sys.exit(0 if isinstance(e, ConnectionResetError) else 2)
PY
}

t_01_full_table_turns_clients_away_without_spinning() {
	local h t0 t1 b0 b1 busy i warned
	wait_for "svc running" 10 has_state svc active
	h=$(init_hostpid) || fail "init's host PID"
	fill_table "$h"
	# Five clients in a row: each is closed by init at once, not left queued.
	for i in 1 2 3 4 5; do
		closed_by_init || fail "client $i was not closed by init (status $?)"
	done
	# One client left queued for a while, if init only paused on EMFILE;
	# over the same interval a busy loop's CPU time is the yardstick.
	t0=$(cpu_ticks "$h")
	( while :; do :; done ) & busy=$!
	b0=$(cpu_ticks "$busy")
	closed_by_init || fail "client 6 was not closed by init"
	sleep 2
	b1=$(cpu_ticks "$busy"); t1=$(cpu_ticks "$h")
	kill "$busy"; wait "$busy" 2>/dev/null
	[ $((b1 - b0)) -gt 0 ] || fail "the busy loop got no CPU time"
	[ $(((t1 - t0) * 20)) -lt $((b1 - b0)) ] ||
		fail "init used $((t1 - t0)) ticks while a busy loop used $((b1 - b0)): it spins"
	# One warning for the whole episode, not one per pass or per client.
	warned=$(log_lines 'control clients are turned away|cannot accept control client' | wc -l)
	expect_eq "$warned" 1 "warnings while the table was full"
}

t_02_clients_are_served_again_once_descriptors_are_free() {
	local h
	h=$(init_hostpid) || fail "init's host PID"
	prlimit --pid "$h" --nofile="$(tr -d ' ' < "$WORK/nofile"):" || fail "prlimit"
	ctl ping >/dev/null || fail "ping after the table has room again"
	wait_for "the all-clear" 5 log_lines 'control clients accepted again \(6 turned away while out of file descriptors\)'
	ctl status svc >/dev/null || fail "status"
}
