# Event followers hold a slot with no deadline while nothing waits for
# them, as log followers do; log followers are capped below
# control.max_clients (8 here) so that commands still find a slot. So must
# event followers be: with as many `initctl events` as there are slots,
# the operator must still get an answer to ping (and so to shutdown).

init_fds() { ls "/proc/$(init_hostpid)/fd" | wc -l; }

t_01_followers_leave_a_slot_for_commands() {
	wait_for "steady running" 10 has_state steady active
	local before k pids="" out
	before=$(init_fds)
	for k in 1 2 3 4 5 6 7 8; do
		"$INITCTL" events > "$WORK/follower.$k" 2>&1 &
		pids="$pids $!"
	done
	echo "$pids" > "$WORK/followers"
	# Every follower either holds a slot (init's descriptor) or was told no.
	wait_for "8 followers connected or refused" 15 sh -c \
		"[ \$((\$(ls /proc/$(init_hostpid)/fd | wc -l) - $before + \$(cat $WORK/follower.* | grep -c .))) -ge 8 ]"
	out=$(ctl ping 2>&1) || { kill $pids 2>/dev/null; fail "ping refused with 8 event followers: $out"; }
	kill $pids 2>/dev/null
	cat "$WORK"/follower.* | grep -q 'too many followers' || fail "no follower was told why: $(cat "$WORK"/follower.*)"
}

t_02_init_answers_after_they_go() {
	wait_for "ping" 15 ctl ping
	# Their slots are free again, and the count with them: one follows.
	"$INITCTL" events > "$WORK/again" 2>&1 & local p=$!
	# It follows from when it connected: restart until one of its events
	# arrives (a restart before its connect is not sent to it).
	wait_for "an event for the new follower" 15 sh -c \
		"'$INITCTL' restart steady >/dev/null; sleep 0.3; grep -q steady '$WORK/again'"
	kill $p
}
