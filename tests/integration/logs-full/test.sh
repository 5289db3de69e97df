# A full disk (ENOSPC) under the log directory: lines that do not fit are
# counted, never half written; the ring keeps them; init and the service
# carry on; logs-clear makes room and writing resumes.

# The tmpfs exists only in init's mount namespace: look at it through init.
logdir() { echo "/proc/$(init_hostpid)/root$WORK/small/log"; }

start_init() {
	rm -f "$EXITFILE"
	mkdir -p "$WORK/small"
	( unshare --pid --fork --mount-proc --kill-child sh -c \
		'mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2"' sh "$WORK/small" "$INIT_BIN" >"$LOG" 2>&1
	  echo $? > "$EXITFILE" ) &
	NS_WRAPPER=$!
}

dropped() { field filler "Log lines dropped"; }

t_01_full_disk_lines_counted_not_torn() {
	wait_for "filler done" 30 test -f "$WORK/filler.done"
	wait_for "drops counted" 10 sh -c "[ -n \"\$(\"$INITCTL\" status filler | sed -n 's/^  Log lines dropped: //p')\" ]"
	local f n d
	f="$(logdir)/filler.log"
	n=$(wc -l < "$f")
	d=$(dropped)
	[ "$d" -gt 0 ] || fail "no lines dropped on a full disk"
	# Every line is either in the file or counted: 5000 + "Starting" + "started".
	expect_eq "$((n + d))" 5002 "lines in the file ($n) + dropped ($d)"
	[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || fail "the file ends mid-line"
	expect_eq "$(grep -Evc '^\[[0-9-]{10} [0-9:]{8}\] ' "$f")" 0 "torn lines in the file"
}

t_02_ring_still_has_the_newest_lines() {
	expect_eq "$(ctl logs filler -n 2 | cut -c23-29)" "$(printf 'filler \nfiller ')" "ring lines"
	expect_match "$(ctl logs filler -n 1)" "filler 005000 0+$" "newest line"
}

t_03_init_warned_and_survives() {
	log_lines "warning: cannot write log file .*/filler.log: No space left on device" >/dev/null ||
		fail "no warning on the console"
	ctl ping >/dev/null || fail "ping"
	has_state filler active || fail "filler is not running"
}

t_04_logs_clear_makes_room_and_writing_resumes() {
	expect_eq "$(ctl logs-clear filler)" "✓ Logs cleared for service 'filler'" "logs-clear"
	ctl stop filler >/dev/null || fail "stop"
	wait_for "stop written to the cleared file" 10 grep -q "Service filler stopped" "$(logdir)/filler.log"
	expect_eq "$(head -1 "$(logdir)/filler.log" | cut -c23-)" "Stopping service filler (SIGTERM to process group $(grep -o 'started with PID [0-9]*' "$LOG" | tail -1 | awk '{print $4}'))" "first line after the clear"
}
