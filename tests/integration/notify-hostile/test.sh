# Hostile notifiers (issue 13): whose a datagram is comes from the
# kernel's credentials, never from its contents. A stranger's READY=1 (from
# outside init's PID namespace, or from an ad-hoc process inside it), another
# service's, and malformed datagrams (NUL bytes, 64 KiB, a line without
# '=', empty) are ignored; descriptors passed along are closed; a flood of
# datagrams does not stall init, and a READY=1 sent during it is taken.

PY=/usr/bin/python3
NSOCK="$WORK/notify.sock"

notify_status() { rec "$1" notify_status; }
has_notify_status() { [ "$(notify_status "$1")" = "$2" ]; }

# barrier TEXT: victim echoes TEXT as its STATUS=; once init shows it, init
# has read every datagram sent before (one socket, one queue, in order).
barrier() {
	printf '%s\n' "$1" > "$WORK/say.victim.tmp" && mv "$WORK/say.victim.tmp" "$WORK/say.victim"
	wait_for "victim's STATUS=$1" 15 has_notify_status victim "$1"
}

# Neither waiting notify service was made ready: not victim, nor fdstore
# (which waits for the test until step 5), whichever a datagram would
# wrongly be put down to.
victim_still_starting() {
	local s
	for s in victim fdstore; do
		expect_eq "$(field $s State)" starting "$s's State"
		! log_lines "init: Service $s is ready\$" >/dev/null || fail "$s was made ready"
	done
}

init_fds() { ls "/proc/$(init_hostpid)/fd" | wc -l; }

t_01_malformed_datagrams_from_its_own_process_are_ignored() {
	# Sent before its valid STATUS=malformed sent: read before it.
	wait_for "victim's STATUS=malformed sent" 15 has_notify_status victim "malformed sent"
	victim_still_starting
}

t_02_strangers_are_ignored() {
	# From the test's shell, outside init's PID namespace (no PID init can see).
	"$PY" "$WORK/bin/send.py" "$NSOCK" ready 10 0 || fail "send from outside"
	"$PY" "$WORK/bin/send.py" "$NSOCK" ready 10 2 || fail "send with descriptors from outside"
	# From a process inside it that is no service's: an ad-hoc process.
	out=$(ctl ps start "$PY" "$WORK/bin/send.py" "$NSOCK" ready 10 0 "$WORK/adhoc.done" 2>&1) || fail "ps start: $out"
	wait_for "the ad-hoc sender" 15 test -s "$WORK/adhoc.done"
	barrier "after strangers"
	victim_still_starting
}

t_03_another_services_datagrams_are_its_own() {
	wait_for "meddler ready" 15 has_state meddler active
	wait_for "20 sends of meddler" 15 sh -c "[ -s '$WORK/sends.meddler' ] && [ \$(cat '$WORK/sends.meddler') -ge 20 ]"
	barrier "after meddler"
	victim_still_starting
	expect_eq "$(notify_status victim)" "after meddler" "victim's STATUS="
	expect_eq "$(notify_status meddler)" "meddled" "meddler's STATUS= (its own)"
}

t_04_its_own_ready_is_taken() {
	touch "$WORK/go.victim"
	wait_for "victim ready" 15 has_state victim active
	expect_eq "$(field victim State)" running "victim's State"
	expect_eq "$(notify_status victim)" "victim is ready" "victim's STATUS="
}

t_05_passed_descriptors_are_closed() {
	wait_for "fdstore waiting" 15 sh -c "'$INITCTL' status fdstore | grep -q '^  State: starting'"
	before=$(init_fds)
	# From outside too, with every kind of datagram.
	for kind in ready nul big noeq empty flood; do
		"$PY" "$WORK/bin/send.py" "$NSOCK" $kind 40 3 || fail "send $kind with descriptors"
	done
	"$PY" "$WORK/bin/send.py" "$NSOCK" ready 40 20 || fail "send 20 descriptors a datagram"
	# fdstore's own (accepted) datagrams with descriptors, then its READY=1
	# (read after all of them).
	touch "$WORK/go.fdstore"
	wait_for "fdstore ready" 30 has_state fdstore active
	wait_for "init's descriptors back to $before (now $(init_fds))" 10 sh -c "[ \$(ls /proc/$(init_hostpid)/fd | wc -l) -le $before ]"
	expect_eq "$(init_fds)" "$before" "init's descriptors"
}

t_06_flood_does_not_stall_init() {
	ctl start flooder >/dev/null || fail "start flooder"
	wait_for "the flood" 30 test -e "$WORK/flood.started"
	ctl start victim2 >/dev/null || fail "start victim2"
	local ok=0 bad=0 end=$((SECONDS + 180))
	while [ ! -e "$WORK/flood.done" ] && [ $SECONDS -lt $end ]; do
		if "$INITCTL" ping >/dev/null 2>&1; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
	done
	echo "    pings answered during the flood: $ok, failed: $bad"
	[ -e "$WORK/flood.done" ] || fail "the flood did not end"
	expect_eq "$bad" 0 "pings that failed during the flood ($ok answered)"
	[ "$ok" -ge 1 ] || fail "no ping during the flood"
	wait_for "victim2 ready" 30 has_state victim2 active
	expect_eq "$(cat "$WORK/sent.victim2")" during "victim2's READY=1 sent during the flood"
	expect_eq "$(field victim State)" running "victim's State after the flood"
	ctl ping >/dev/null || fail "ping after the flood"
}
