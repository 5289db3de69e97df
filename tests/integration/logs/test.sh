# Service logs: capture, line handling, rotation, the ring, `logs`,
# `logs-clear` and followers. Output patterns come from bin/emit.

L="$WORK/log"
TS='\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] '

# body FILE...: the lines without their 22-byte timestamp prefix.
body() { cat "$@" | cut -c23-; }

# all_files NAME: the files of a log, oldest first (.N ... .1, then current).
all_files() {
	ls "$L/$1".log.* 2>/dev/null | awk -F. '{ print $NF "\t" $0 }' | sort -rn | cut -f2
	echo "$L/$1.log"
}

exited() { grep -q "Service $1 exited with code 0" "$L/$1.log"; }

# The expected flood: the same lines bin/emit writes.
flood_lines() { seq -f "$1 %06g $(printf '%088d' 0)" 1 "$2"; }

t_01_stdout_and_stderr_both_captured() {
	wait_for "both lines in both.log" 10 sh -c "grep -q 'out: hello' '$L/both.log' && grep -q 'err: world' '$L/both.log'"
	grep -Eq "^${TS}out: hello\$" "$L/both.log" || fail "stdout line: $(grep 'out:' "$L/both.log")"
	grep -Eq "^${TS}err: world\$" "$L/both.log" || fail "stderr line: $(grep 'err:' "$L/both.log")"
	# Nothing else in the file but timestamped lines.
	[ "$(grep -Evc "^$TS" "$L/both.log")" = 0 ] || fail "a line without timestamp: $(grep -Ev "^$TS" "$L/both.log")"
	# Not on init's console any more.
	! grep -q 'out: hello' "$LOG" || fail "service output still on the console"
}

t_02_timestamps_are_utc_now() {
	local stamp then now
	stamp=$(grep 'out: hello' "$L/both.log" | cut -c2-20)
	then=$(date -u -d "$stamp" +%s) || fail "not a date: $stamp"
	now=$(date -u +%s)
	[ $((now - then)) -ge 0 ] && [ $((now - then)) -lt 600 ] || fail "timestamp $stamp is not UTC now ($(date -u))"
}

t_03_lifecycle_events_in_the_service_log() {
	local pid
	pid=$(field both PID)
	grep -Eq "^${TS}Starting service both\$" "$L/both.log" || fail "no 'Starting service both'"
	grep -Eq "^${TS}Service both started with PID $pid\$" "$L/both.log" || fail "no 'started with PID $pid'"
	wait_for "junk to exit" 10 exited junk
	grep -Eq "^${TS}Service junk exited with code 0\$" "$L/junk.log" || fail "no exit line"
	# init's own messages go to init.log too.
	grep -Eq "^${TS}listening on $INIT_SOCKET\$" "$L/init.log" || fail "init.log: $(head -3 "$L/init.log")"
}

t_04_partial_lines_held_and_flushed_at_exit() {
	wait_for "partial to exit" 10 exited partial
	body "$L/partial.log" | grep -v '^Starting service\|^Service partial started' > "$WORK/p.txt"
	expect_eq "$(cat "$WORK/p.txt")" "$(printf 'abcdef\ntail-no-newline\nService partial exited with code 0')" "partial lines"
}

t_05_control_bytes_escaped_file_stays_text() {
	wait_for "junk to exit" 10 exited junk
	expect_eq "$(body "$L/junk.log" | sed -n '3,5p')" "$(printf 'a\\x00b\\x01c\tt\nnext\n\\x7fdel')" "escaped lines"
	[ "$(tr -d '\000' < "$L/junk.log" | wc -c)" = "$(wc -c < "$L/junk.log")" ] || fail "NUL byte in the file"
}

t_06_megabyte_line_split_never_dropped() {
	wait_for "bigline to exit" 20 exited bigline
	# shellcheck disable=SC2046
	body $(all_files bigline) | grep "^x" > "$WORK/x.txt"
	local pieces longest total
	pieces=$(wc -l < "$WORK/x.txt")
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$WORK/x.txt")
	total=$(tr -d '\n' < "$WORK/x.txt" | wc -c)
	expect_eq "$total" 1048576 "bytes of the line that reached the log"
	expect_eq "$longest" 4096 "longest piece (max_log_line)"
	expect_eq "$pieces" 256 "pieces"
}

t_07_flood_200000_lines_rotated_none_lost_or_repeated() {
	ctl start flood >/dev/null || fail "start flood"
	wait_for "flood to finish" 120 exited flood
	local files n
	files=$(all_files flood)
	n=$(echo "$files" | wc -l)
	[ "$n" -ge 50 ] || fail "only $n files: rotation at 300000 bytes should make ~80"
	for f in $files; do
		[ "$(wc -c < "$f")" -le 300000 ] || fail "$f is larger than max_log_size"
	done
	# shellcheck disable=SC2086
	body $files | grep '^line ' > "$WORK/flood.got"
	flood_lines line 200000 > "$WORK/flood.want"
	cmp -s "$WORK/flood.got" "$WORK/flood.want" ||
		fail "flood differs: $(wc -l < "$WORK/flood.got") lines; first difference: $(cmp "$WORK/flood.got" "$WORK/flood.want" 2>&1 | head -1)"
	# shellcheck disable=SC2086
	expect_eq "$(cat $files | grep -Evc "^$TS")" 0 "lines without a timestamp"
	expect_eq "$(field flood 'Log lines dropped')" "" "dropped lines (shown only when some were)"
}

t_08_logs_n_reads_across_rotated_files() {
	wait_for "flood to finish" 120 exited flood
	local files
	files=$(all_files flood)
	# shellcheck disable=SC2086
	cat $files > "$WORK/flood.all"
	ctl logs flood -n 150000 > "$WORK/logs.150k" || fail "logs -n 150000"
	tail -n 150000 "$WORK/flood.all" | cmp -s - "$WORK/logs.150k" || fail "logs -n 150000 is not the last 150000 lines"
	ctl logs flood --lines 3 > "$WORK/logs.3" || fail "logs --lines 3"
	tail -n 3 "$WORK/flood.all" | cmp -s - "$WORK/logs.3" || fail "logs -n 3: $(cat "$WORK/logs.3")"
	ctl logs flood -n 4000000000 > "$WORK/logs.all" || fail "logs -n 4000000000"
	cmp -s "$WORK/flood.all" "$WORK/logs.all" || fail "logs -n 4000000000 is not the whole log"
	expect_eq "$(ctl logs flood | wc -l)" 50 "default line count"
	expect_eq "$(ctl logs flood -n 0 | wc -c)" 0 "logs -n 0"
}

t_09_logs_clear_while_the_service_writes() {
	local before after first
	wait_for "chatty writing" 10 sh -c "[ \$(wc -l < '$L/chatty.log') -gt 5 ]"
	before=$(ctl logs chatty -n 1 | sed 's/.*chatty //')
	expect_eq "$(ctl logs-clear chatty)" "✓ Logs cleared for service 'chatty'" "logs-clear output"
	ls "$L"/chatty.log.* >/dev/null 2>&1 && fail "rotated files left"
	wait_for "chatty writing again" 10 sh -c "[ \$(wc -l < '$L/chatty.log') -ge 3 ]"
	first=$(body "$L/chatty.log" | head -1 | sed 's/chatty //')
	[ "$first" -gt "$before" ] || fail "old line $first in the cleared log (last before clear: $before)"
	after=$(ctl logs chatty -n 1000 | head -1 | sed 's/.*chatty //')
	[ "$after" -gt "$before" ] || fail "the ring still has line $after from before the clear"
	has_state chatty active || fail "chatty stopped"
}

t_10_follow_prints_new_lines_until_interrupted() {
	"$INITCTL" logs chatty -f -n 1 > "$WORK/follow.out" 2>&1 &
	local pid=$! rc
	wait_for "20 followed lines" 10 sh -c "[ \$(wc -l < '$WORK/follow.out') -ge 20 ]"
	kill -INT $pid
	wait_for "initctl to end on SIGINT" 5 sh -c "! kill -0 $pid"
	wait $pid; rc=$?
	expect_eq "$rc" 0 "exit status after Ctrl+C"
	# Consecutive numbers: nothing lost between the tail and the new lines.
	body "$WORK/follow.out" | sed 's/chatty //' | awk 'NR > 1 && $1 != prev + 1 { print "gap after " prev ": " $1; exit 1 } { prev = $1 }' ||
		fail "followed lines not consecutive"
}

t_11_several_followers_and_the_limit() {
	"$INITCTL" logs chatty -f -n 0 > "$WORK/f1.out" 2>&1 & local p1=$!
	"$INITCTL" logs both -f -n 0 > "$WORK/f2.out" 2>&1 & local p2=$!
	wait_for "first follower gets lines" 10 sh -c "[ \$(wc -l < '$WORK/f1.out') -ge 5 ]"
	local out rc
	out=$(ctl logs chatty -f 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status of a follower over the limit"
	expect_eq "$out" "✗ Error: too many log followers (at most 2 at once); try again later" "over the limit"
	ctl ping >/dev/null || fail "commands must still work with the followers connected"
	kill $p1; wait $p1 2>/dev/null
	"$INITCTL" logs chatty -f -n 0 > "$WORK/f3.out" 2>&1 & local p3=$!
	wait_for "a new follower once a slot is free" 10 sh -c "[ \$(wc -l < '$WORK/f3.out') -ge 5 ]"
	ctl stop both >/dev/null
	wait_for "the stop reaches the second follower" 10 grep -q "Service both stopped" "$WORK/f2.out"
	kill $p2 $p3; wait $p2 $p3 2>/dev/null
	true
}

t_12_stalled_follower_blocks_neither_init_nor_the_service() {
	# A follower whose output nobody reads: initctl blocks writing to the
	# pipe, stops reading its socket, and init must go on without it.
	( "$INITCTL" logs burst -f -n 0 | python3 -c 'import time; time.sleep(1000)' "$WORK/stall" ) &
	local stalled=$!
	sleep 0.5
	ctl start burst >/dev/null || fail "start burst"
	local i
	for i in 1 2 3 4 5; do
		ctl ping >/dev/null || fail "ping $i failed while burst floods"
		sleep 0.2
	done
	wait_for "burst done (the service was not blocked)" 60 test -f "$WORK/burst.done"
	ctl ping >/dev/null || fail "ping after the flood"
	# Every line reached the files (all 200,000 fit in the 99 kept).
	wait_for "200000 burst lines in the files" 20 sh -c "[ \$(cat \$(ls '$L'/burst.log*) | grep -c '] burst ') = 200000 ]"
	pkill -f "$WORK/stall"; wait $stalled 2>/dev/null
	true
}

t_13_bad_requests_get_clear_errors() {
	local out rc
	out=$(ctl logs nosuch 2>&1); rc=$?
	expect_eq "$rc/$out" "4/✗ Error: Service 'nosuch' not found" "unknown service"
	out=$(ctl logs-clear nosuch 2>&1); rc=$?
	expect_eq "$rc/$out" "4/✗ Error: Service 'nosuch' not found" "logs-clear unknown service"
	ctl logs >/dev/null 2>&1; expect_eq "$?" 2 "logs without a name"
	ctl logs both -n -1 >/dev/null 2>&1; expect_eq "$?" 2 "negative -n"
	ctl logs both -n abc >/dev/null 2>&1; expect_eq "$?" 2 "-n abc"
	ctl logs both -n 4294967296 >/dev/null 2>&1; expect_eq "$?" 2 "-n too large"
	ctl logs both --bogus >/dev/null 2>&1; expect_eq "$?" 2 "unknown option"
	ctl logs both other >/dev/null 2>&1; expect_eq "$?" 2 "two names"
	out=$(frame --hash "$(cfg_hash)" --op 10 --name both --arg1 2)
	expect_match "$out" "^status=1 msg=unknown logs option bits closed=yes$" "unknown logs flag"
	out=$(frame --hash "$(cfg_hash)" --op 10 --name both --arg2 1)
	expect_match "$out" "^status=1 msg=unused request fields must be zero closed=yes$" "arg2 set"
	out=$(frame --hash "$(cfg_hash)" --op 11 --name both --arg0 1)
	expect_match "$out" "^status=1 msg=unused request fields must be zero closed=yes$" "logs-clear with an argument"
	ctl ping >/dev/null || fail "init did not survive"
}

t_14_init_has_a_log_of_its_own() {
	ctl logs init -n 5 > "$WORK/init.tail" || fail "logs init"
	expect_eq "$(wc -l < "$WORK/init.tail")" 5 "lines"
	grep -Evq "^$TS" "$WORK/init.tail" && fail "untimestamped line in init's log"
	true
}
