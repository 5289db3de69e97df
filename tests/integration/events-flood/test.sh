# initctl events under 500 services that crash and restart at once
# (generate writes them: sleepers with Restart=always, RestartSec=1, which
# the scenario kills together: a storm of some 3,000 events, three times
# the ring). A reader that stops reading is dropped while init goes on
# answering; a slow reader is told how many events it missed and goes on
# from there; a fast follower sees every seq in order, a gap only where a
# missed event says so.

py() { "${PYTHON:-python3}" "$@"; }

N=500
sleepers() { ns_pgrep -f '^/bin/sleep 100[0-9]{3}$'; }
active_count() { ctl list | awk 'NR > 2 && $3 == "active"' | wc -l; }
all_active() { [ "$(active_count)" = "$N" ] && [ "$(sleepers | wc -l)" = "$N" ]; }
sysval() { ctl system-status --json | py -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# storm: kill every service's process at once; they are restarted a
# second later, all of them.
storm() {
	local pids
	pids=$(sleepers)
	[ "$(echo "$pids" | wc -l)" = "$N" ] || fail "storm: $(echo "$pids" | wc -l) sleepers, want $N"
	# shellcheck disable=SC2086
	kill -9 $pids || fail "storm: kill"
}

t_01_all_running() {
	wait_for "$N services running" 180 all_active
	expect_eq "$(ctl list --json | py -c 'import json,sys; print(len(json.load(sys.stdin)["services"]))')" "$N" "services in list --json"
}

# pinger FILE STOP: `initctl ping` over and over, a line "ok" or "fail"
# each, until STOP exists.
pinger() {
	while [ ! -e "$2" ]; do
		if ctl ping > /dev/null 2>&1; then echo ok; else echo fail; fi >> "$1"
	done
}

t_02_a_reader_that_stops_reading_is_dropped() {
	local fds0 clients0 stuck ping at_drop out restarts0
	clients0=$(sysval control_clients)
	fds0=$(sysval open_fds)
	expect_eq "$clients0" 1 "control clients before (the asking one)"
	restarts0=$(sysval restarts)
	py "$WORK/bin/stuck.py" "$INIT_SOCKET" "$(cfg_hash)" "$WORK/stuck.ready" "$WORK/stuck.dropped" "$WORK/stuck.go" \
		> "$WORK/stuck.out" 2>&1 & stuck=$!
	wait_for "the stuck reader's request" 10 test -f "$WORK/stuck.ready"
	wait_for "init counting it" 10 eval '[ "$(sysval control_clients)" = 2 ]'
	pinger "$WORK/pings" "$WORK/pings.stop" & ping=$!
	storm
	wait_for "the stuck reader dropped" 60 test -f "$WORK/stuck.dropped"
	at_drop=$(grep -c . "$WORK/pings")
	wait_for "the storm over: $N services running again" 120 all_active
	touch "$WORK/pings.stop"; wait "$ping"
	# init answered throughout, and while the stuck reader was still held.
	expect_eq "$(grep -c fail "$WORK/pings")" 0 "pings that failed"
	[ "$at_drop" -gt 0 ] || fail "no ping answered before the stuck reader was dropped"
	[ "$(($(sysval restarts) - restarts0))" -ge "$N" ] || fail "fewer than $N restarts in the storm"
	echo "INFO: $(grep -c ok "$WORK/pings") pings answered in the storm, $at_drop before the stuck reader was dropped"
	# What it finds when it reads at last: the frames that were in its
	# socket, then the end.
	touch "$WORK/stuck.go"; wait "$stuck"
	out=$(cat "$WORK/stuck.out")
	expect_match "$out" "^(eof|reset) [1-9][0-9]*$" "the stuck reader's end"
	echo "INFO: the stuck reader had $out"
	# init holds nothing of it any more.
	expect_eq "$(sysval control_clients)" 1 "control clients after"
	wait_for "init's descriptors back to $fds0" 10 eval '[ "$(sysval open_fds)" = "$fds0" ]'
	ctl ping > /dev/null || fail "ping after"
}

# slow_caught_up SEQ: the slow reader has read up to SEQ or been told it
# missed events.
slow_state() { [ -f "$WORK/slow.status" ] && cat "$WORK/slow.status"; }
slow_missed() { [ "$(slow_state | awk '{ print $2 }')" -gt 0 ] 2>/dev/null; }
slow_caught_up() { slow_missed || [ "$(slow_state | awk '{ print $5 }')" -ge "$1" ] 2>/dev/null; }

t_03_slow_and_fast_readers() {
	local fast slow slowctl i next st
	"$INITCTL" events > "$WORK/fast.out" & fast=$!
	mkfifo "$WORK/slow.fifo"
	# Reads every 3 s: never idle long enough to be dropped (5 s), never
	# fast enough for 3,000 events in the few seconds of a storm.
	py "$WORK/bin/slow.py" 3 "$WORK/slow.status" "$WORK/slow.stop" "$WORK/slow.log" < "$WORK/slow.fifo" & slow=$!
	"$INITCTL" events > "$WORK/slow.fifo" & slowctl=$!
	wait_for "both followers connected" 10 eval '[ "$(sysval control_clients)" = 3 ]'
	for i in 1 2 3 4; do
		storm
		wait_for "storm $i over" 120 all_active
		next=$(sysval next_event_seq)
		wait_for "the slow reader at $((next - 1)) or told it missed" 60 slow_caught_up $((next - 1))
		slow_missed && break
		echo "INFO: the slow reader kept up with storm $i"
	done
	st=$(slow_state)
	echo "INFO: slow reader (lines, missed events, missed in all, bad seqs, last seq): $st after $i storms"
	slow_missed || fail "the slow reader was never told it missed events: $st"
	[ "$(echo "$st" | awk '{ print $3 }')" -gt 0 ] || fail "missed count: $st"
	expect_eq "$(echo "$st" | awk '{ print $4 }')" 0 "seqs the slow reader got out of order"
	ctl ping > /dev/null || fail "ping"
	touch "$WORK/slow.stop"; wait "$slow"
	kill "$slowctl" "$fast"; wait "$slowctl" "$fast" 2>/dev/null
	# The slow reader's lines: a missed event, then consecutive seqs again.
	out=$(py "$WORK/bin/seqs.py" "$WORK/slow.log") || fail "slow reader's events: $out"
	grep -q '"kind":"missed","service":null,"from":null,"to":null,"code":null,"missed":[1-9]' "$WORK/slow.log" \
		|| fail "no missed event as initctl prints it"
	# The fast one: every seq in order, gaps only where told.
	out=$(py "$WORK/bin/seqs.py" "$WORK/fast.out") || fail "fast follower's events: $out"
	echo "INFO: fast follower (events, missed events, missed in all, first, last): $out"
	[ "$(echo "$out" | awk '{ print $1 }')" -gt 1024 ] || fail "the fast follower saw too few events: $out"
	# A replay asked for from before the ring: told what it missed, then
	# the ring from its first event on, to the end.
	ctl events --since 1 --no-follow > "$WORK/replay" || fail "events --since 1"
	out=$(py "$WORK/bin/seqs.py" "$WORK/replay") || fail "replay: $out"
	expect_match "$(head -1 "$WORK/replay")" '^\{"seq":1,.*"kind":"missed",.*"missed":[1-9][0-9]*\}$' "the replay's first line"
	[ "$(($(wc -l < "$WORK/replay") - 1))" -le 1024 ] || fail "the replay gave more than the ring holds"
	wait_for "followers gone" 10 eval '[ "$(sysval control_clients)" = 1 ]'
}
