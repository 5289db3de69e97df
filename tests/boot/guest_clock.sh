# tests/boot/guest_clock.sh: the clock boot's guest checks, sourced by
# guest.sh in MODE clock (check, ictl and wait_until are its).
#
# The VM started an hour behind (QEMU -rtc base); the service timeserve
# (/boottest/timeserve.sh) serves the host's time over VSOCK port 7300
# (the loopback stands for the parent), and init's clock.source points at
# it, with clock.max_step_ms 900000 and max_backward_ms 2000. Here: the
# clock converges; then a liar an hour... two hours ahead, and one two
# hours behind, move it no more than those bounds a sample. The bounds of
# every step init logged are checked on the host (tests/boot/run.sh).

# init_steps REGEX: how many of init's log lines say "clock: stepped"
# and match REGEX
init_steps() { ictl logs init -n 2000 | grep 'clock: stepped' | grep -cE -- "$1"; }
more_steps() { [ "$(init_steps "$1")" -ge "$2" ]; }
clock_line() { ictl system-status | sed -n 's/^  Clock: //p'; }
synced_small() { clock_line | grep -qE '^synced from vsock:1:7300 \(offset [-+]0\.[0-9]{3} ms'; }

c_clock_converged() {
	wait_until 120 synced_small || { clock_line; echo "not synced within 1 ms of the source: $(clock_line)"; return 1; }
	echo "info: $(clock_line); the wall clock now $(date -u +%s)"
	say "BOOTTEST CLOCK-WALL $(date -u +%s)"
}

# liar OFFSET_MS REGEX N: the honest server stopped, a liar at OFFSET_MS
# until init has logged N more steps matching REGEX; then the honest one
# again.
liar() {
	local before pid
	before=$(init_steps "$2")
	ictl stop timeserve > /dev/null || { echo "cannot stop the honest server"; return 1; }
	/bin/initctl time-serve --port 7300 --test-offset-ms "$1" > /dev/null 2>&1 &
	pid=$!
	wait_until 60 more_steps "$2" $((before + $3))
	rc=$?
	kill "$pid"
	ictl start timeserve > /dev/null
	[ $rc = 0 ] || { ictl logs init -n 20; echo "no $3 steps matching /$2/ within 60 s"; return 1; }
	timeout 5 /bin/initctl ping > /dev/null || { echo "init does not answer afterwards"; return 1; }
}

c_clock_liar_ahead() {
	liar 7200000 '^.*clock: stepped \+900\.000 s \(offset \+7[0-9]{3}\.[0-9]{3} s, rtt [0-9.]+ ms, bounded by clock\.max_step_ms\)' 3
}

c_clock_liar_behind() {
	liar -7200000 '^.*clock: stepped -2\.000 s \(offset -7[0-9]{3}\.[0-9]{3} s, rtt [0-9.]+ ms, bounded by clock\.max_backward_ms\)' 3
}

check clock-converged c_clock_converged
check clock-liar-ahead c_clock_liar_ahead
check clock-liar-behind c_clock_liar_behind
