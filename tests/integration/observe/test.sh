# The parent's view against a real init: every read command's --json
# parsed by Python's json and checked against the text output and against
# what runs (bin/check.py), `initctl metrics` through promtool and
# prometheus_client, `initctl events` replayed and followed, and the exit
# statuses (0/1 of health, 3 of status, 4 of an unknown name, 69 of a
# socket nobody listens on). Services: good (its check passes), bad (its
# first check passes, the others fail: unhealthy), setup (a oneshot kept
# active), crasher (exits 3, restarted every second), off (disabled).

py() { "${PYTHON:-python3}" "$@"; }
check() { py "$WORK/bin/check.py" "$@"; }

# A python3 that has prometheus_client (python3-prometheus-client): the one
# tests/run found first, else the system's.
prom_python() {
	local p
	for p in "${PYTHON:-}" python3 /usr/bin/python3; do
		[ -n "$p" ] && "$p" -c 'import prometheus_client' 2>/dev/null && { command -v "$p"; return 0; }
	done
	return 1
}

# json NAME CMD...: CMD's stdout to $WORK/NAME, its exit status to $WORK/NAME.rc.
json() {
	local n=$1; shift
	ctl "$@" > "$WORK/$n"; echo $? > "$WORK/$n.rc"
}
rc_of() { cat "$WORK/$1.rc"; }

health_rc() { ctl health "$@" >/dev/null 2>&1; echo $?; }
health_is() { [ "$(ctl health --json 2>/dev/null | py -c 'import json,sys; print(json.load(sys.stdin)["health"])')" = "$1" ]; }
svc_health_is() { ctl status "$1" --json 2>/dev/null | grep -q "\"health\":\"$2\""; }

t_01_settled() {
	wait_for "good healthy" 20 svc_health_is good healthy
	wait_for "bad unhealthy" 20 svc_health_is bad unhealthy
	wait_for "setup exited" 20 has_state setup active
	wait_for "crasher's second restart" 20 runs_at_least crasher 3
	expect_eq "$(field setup State)" exited "setup's State"
}

t_02_list() {
	local pids p hp
	ctl list > "$WORK/list.txt"
	json list.json list --json
	ctl list > "$WORK/list2.txt"
	expect_eq "$(rc_of list.json)" 0 "list --json exit status"
	pids=$(check list "$WORK/list.json" "$WORK/list.txt" "$WORK/list2.txt") || fail "list --json"
	# The PIDs it gives are real: init's children in the namespace, running
	# the configured commands.
	while read -r name p; do
		hp=$(host_pid "$p") || fail "$name's PID $p is not a child of init"
		grep -q "sleep" "/proc/$hp/cmdline" || fail "$name's PID $p runs $(tr '\0' ' ' < "/proc/$hp/cmdline")"
	done <<< "$pids"
}

t_03_restarts_grow_for_the_crash_loop() {
	local n
	json l1 list --json
	n=$(runs crasher)
	wait_for "crasher's next run" 20 runs_at_least crasher $((n + 1))
	wait_for "crasher's restart after it" 20 eval '[ "$(field crasher "Restart Count")" -gt "$(sed "s/.*\"name\":\"crasher\"[^}]*\"restarts\":\([0-9]*\).*/\1/" "$WORK/l1")" ]'
	json l2 list --json
	check grows "$WORK/l1" "$WORK/l2" crasher restarts || fail "restarts"
	check grows "$WORK/l1" "$WORK/l2" crasher log_bytes || fail "log_bytes"
	check grows "$WORK/l1" "$WORK/l2" crasher start_time_epoch || fail "start_time"
}

t_04_status_of_each() {
	local s rc
	for s in good bad setup crasher off; do
		ctl status "$s" > "$WORK/st.$s.txt"; rc=$?
		json "st.$s.json" status "$s" --json
		check status "$WORK/st.$s.json" "$WORK/st.$s.txt" "$(rc_of "st.$s.json")" "$rc" || fail "status $s"
	done
	expect_eq "$rc" 3 "status of a disabled service"
}

t_05_logs() {
	local s
	for s in good setup; do
		ctl logs "$s" > "$WORK/lg.$s.txt" || fail "logs $s"
		json "lg.$s.json" logs "$s" --json
		expect_eq "$(rc_of "lg.$s.json")" 0 "logs $s --json exit status"
		check logs "$WORK/lg.$s.json" "$WORK/lg.$s.txt" "$s" || fail "logs $s --json"
	done
	# The crash loop's log: well-formed while it grows.
	json lg.crasher.json logs crasher --json -n 7
	py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["lines"]) == 7, d' "$WORK/lg.crasher.json" || fail "logs -n 7 --json"
}

t_06_ps() {
	local pid cmd hp
	pid=$(field good PID)
	json ps.json ps list --json
	ctl ps list > "$WORK/ps.txt" || fail "ps list"
	json pss.json ps status "$pid" --json
	ctl ps status "$pid" > "$WORK/pss.txt" || fail "ps status"
	expect_eq "$(rc_of ps.json) $(rc_of pss.json)" "0 0" "exit statuses"
	cmd=$(check ps "$WORK/ps.json" "$WORK/ps.txt" "$WORK/pss.json" "$WORK/pss.txt" "$pid" good) || fail "ps --json"
	hp=$(host_pid "$pid") || fail "good's process $pid"
	expect_eq "$(tr '\0' ' ' < "/proc/$hp/cmdline" | sed 's/ $//')" "$cmd" "the command ps status gives"
	ctl ps status 99999 --json > "$WORK/none" 2>&1; expect_eq "$?" 4 "ps status of no process"
}

t_07_system_status_and_ping() {
	json ls.json list --json
	json sys.json system-status --json
	ctl system-status > "$WORK/sys.txt" || fail "system-status"
	check system "$WORK/sys.json" "$WORK/sys.txt" "$WORK/ls.json" "$(date +%s)" || fail "system-status --json"
	json ping.json ping --json
	expect_eq "$(rc_of ping.json)" 0 "ping --json exit status"
	check ping "$WORK/ping.json" || fail "ping --json"
}

t_08_health() {
	json h.json health --json
	check health "$WORK/h.json" degraded "" "$(rc_of h.json)" || fail "health --json"
	expect_eq "$(rc_of h.json)" 1 "health exit status when degraded"
	json hg.json health good --json
	check health "$WORK/hg.json" degraded good "$(rc_of hg.json)" || fail "health good --json"
	expect_eq "$(rc_of hg.json)" 0 "health good"
	json hb.json health bad --json
	check health "$WORK/hb.json" degraded bad "$(rc_of hb.json)" || fail "health bad --json"
	expect_eq "$(rc_of hb.json)" 1 "health bad"
	expect_eq "$(health_rc good)" 0 "health good (text)"
	expect_eq "$(health_rc bad)" 1 "health bad (text)"
	expect_eq "$(health_rc)" 1 "health (text)"
	expect_match "$(ctl health)" "^Health: degraded" "health's first line"
}

t_09_exit_statuses() {
	local out rc
	out=$(ctl status nosuch 2>&1); rc=$?
	expect_eq "$rc" 4 "status of an unknown service"
	expect_match "$out" "Service 'nosuch' not found" "its message"
	out=$(ctl status nosuch --json 2>/dev/null); rc=$?
	expect_eq "$rc:$out" "4:" "status --json of an unknown service: status, nothing on stdout"
	expect_eq "$(health_rc nosuch)" 4 "health of an unknown service"
	ctl start nosuch >/dev/null 2>&1; expect_eq "$?" 4 "start of an unknown service"
	for how in "-s $WORK/nobody.sock" "env"; do
		if [ "$how" = env ]; then
			out=$(INIT_SOCKET="$WORK/nobody.sock" "$INITCTL" ping --json 2>&1 >/dev/null); rc=$?
		else
			# shellcheck disable=SC2086 # "-s PATH": two words
			out=$(ctl $how health 2>&1); rc=$?
		fi
		expect_eq "$rc" 69 "exit status without init ($how)"
		expect_match "$out" "cannot connect to init at $WORK/nobody.sock: No such file or directory \(is init running" "message ($how)"
	done
}

t_10_metrics() {
	local py2 bytes1 bytes2 n
	py2=$(prom_python) || fail "no python3 with prometheus_client (python3-prometheus-client; tools/deps.sh test)"
	command -v promtool >/dev/null || fail "no promtool (Debian package prometheus; tools/deps.sh test)"
	json m0.json list --json
	json msys.json system-status --json
	ctl metrics > "$WORK/m.prom" || fail "metrics"
	json m1.json list --json
	out=$(promtool check metrics < "$WORK/m.prom" 2>&1) || fail "promtool check metrics: $out"
	expect_eq "$out" "" "promtool's remarks"
	bytes1=$("$py2" "$WORK/bin/check.py" metrics "$WORK/m.prom" "$WORK/m0.json" "$WORK/m1.json" "$WORK/msys.json") || fail "metrics against JSON"
	# Log bytes grow when the service logs.
	n=$(runs crasher)
	wait_for "crasher's next run" 20 runs_at_least crasher $((n + 1))
	wait_for "its line logged" 10 eval '[ "$(ctl logs crasher -n 1000 | grep -c "crasher: run")" -gt "$n" ]'
	json m2.json list --json
	ctl metrics > "$WORK/m2.prom" || fail "metrics"
	json m3.json list --json
	bytes2=$("$py2" "$WORK/bin/check.py" metrics "$WORK/m2.prom" "$WORK/m2.json" "$WORK/m3.json" "$WORK/msys.json") || fail "metrics against JSON"
	[ "${bytes2%.0}" -gt "${bytes1%.0}" ] || fail "crasher's log bytes: $bytes1 then $bytes2"
}

t_11_events_replayed() {
	local next n
	ctl events --no-follow > "$WORK/ev.all" || fail "events --no-follow"
	# Without --since only new events come: none with --no-follow.
	expect_eq "$(wc -l < "$WORK/ev.all")" 0 "events --no-follow without --since"
	ctl events --since 1 --no-follow > "$WORK/ev.all" || fail "events --since 1 --no-follow"
	json evsys.json system-status --json
	next=$(py -c 'import json,sys; print(json.load(open(sys.argv[1]))["next_event_seq"])' "$WORK/evsys.json")
	[ "$next" -lt 1024 ] || fail "the ring wrapped already ($next events): the scenario expects it not to"
	check events "$WORK/ev.all" 1 > "$WORK/ev.last" || fail "events"
	n=$(wc -l < "$WORK/ev.all")
	[ "$((n + 1))" -le "$next" ] || fail "$n events, next seq $next"
	# Each service's last state event is the state it is in.
	for s in good bad setup; do
		expect_eq "$(awk -v s="$s" '$1 == s { print $2 }' "$WORK/ev.last")" "$(field "$s" State)" "$s's last state event"
	done
	check ordered "$WORK/ev.all" "state:good:stopped>starting" "health:good:starting>healthy" "ready:good" \
		|| fail "good's start"
	check ordered "$WORK/ev.all" "state:setup:stopped>starting" "exit:setup" "state:setup:starting>exited" "ready:setup" \
		|| fail "setup's run"
	check ordered "$WORK/ev.all" "exit:crasher" "state:crasher:running>waiting to restart" "restart:crasher" \
		"state:crasher:waiting to restart>starting" || fail "crasher's restart"
	check ordered "$WORK/ev.all" "health:bad:starting>healthy" "health:bad:healthy>unhealthy" || fail "bad's health"
	# The first system event comes from "unknown" (to starting, or to
	# degraded when the crash loop's first exit came first).
	expect_match "$(grep -m1 '"kind":"system"' "$WORK/ev.all")" '"service":null,"from":"unknown","to":"(starting|degraded)"' "the first system event"
	grep -q '"kind":"system".*"to":"degraded"' "$WORK/ev.all" || fail "no system event to degraded"
	# --since N replays from N: the same events as the full replay from there.
	ctl events --since 10 --no-follow > "$WORK/ev.10" || fail "events --since 10"
	check events "$WORK/ev.10" 10 > /dev/null || fail "events --since 10"
	expect_eq "$(head -n $((n - 9)) "$WORK/ev.10" | md5sum)" "$(tail -n +10 "$WORK/ev.all" | md5sum)" "replay from 10"
	# Beyond the newest: nothing, and no error.
	out=$(ctl events --since 1000000 --no-follow) || fail "events --since beyond the ring"
	expect_eq "$out" "" "events --since beyond the ring"
}

# follower_has EVENT...: the background follower's file holds them in order.
follower_has() { check ordered "$WORK/follow" "$@" 2>/dev/null; }

t_12_follower_and_the_aggregate() {
	local f
	"$INITCTL" events > "$WORK/follow" & f=$!  # not ctl: $! must be initctl itself
	# The follower holds a connection: init counts it.
	wait_for "the follower connected" 10 eval 'ctl system-status --json | grep -q "\"control_clients\":2"'
	# A manual restart: good's states in order.
	ctl restart good --wait --timeout 20 > /dev/null || fail "restart good"
	wait_for "good's restart followed" 20 follower_has "state:good:running>stopping" "state:good:stopping>stopped" \
		"state:good:stopped>starting" "health:good:starting>healthy" "state:good:starting>running" "ready:good"
	# An automatic restart: restart, then the state events.
	wait_for "crasher's restart followed" 20 follower_has "exit:crasher" "restart:crasher" \
		"state:crasher:waiting to restart>starting" "state:crasher:starting>running"
	# Stop the crash loop: a stopped service exits 3; still degraded by bad.
	ctl disable crasher > /dev/null || fail "disable crasher"
	ctl stop crasher > /dev/null 2>&1
	wait_for "crasher stopped" 20 eval '[ "$(field crasher State)" = disabled ]'
	ctl status crasher > /dev/null; expect_eq "$?" 3 "status of a stopped service"
	ctl status crasher --json > /dev/null; expect_eq "$?" 3 "status --json of a stopped service"
	wait_for "degraded (bad is unhealthy)" 10 health_is degraded
	expect_eq "$(health_rc)" 1 "health while degraded"
	# bad's check passes again: healthy, and the follower sees both changes.
	touch "$WORK/bad.heal"
	wait_for "healthy" 20 health_is healthy
	expect_eq "$(health_rc)" 0 "health when healthy"
	expect_eq "$(health_rc bad)" 0 "health bad when it passes"
	json hh.json health --json
	check health "$WORK/hh.json" healthy "" "$(rc_of hh.json)" || fail "health --json when healthy"
	wait_for "the follower saw it" 10 follower_has "health:bad:unhealthy>healthy" "system::degraded>healthy"
	# Failing again: degraded, followed.
	rm "$WORK/bad.heal"
	wait_for "degraded again" 20 health_is degraded
	wait_for "the follower saw it" 10 follower_has "system::degraded>healthy" "health:bad:healthy>unhealthy" "system::healthy>degraded"
	# Only healthy services enabled: healthy.
	ctl disable bad > /dev/null || fail "disable bad"
	ctl stop bad > /dev/null 2>&1
	wait_for "healthy with bad disabled" 20 health_is healthy
	expect_eq "$(health_rc)" 0 "health with only healthy services enabled"
	json sys2.json system-status --json
	py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert (d["health"], d["health_code"], d["enabled"], d["active"]) == ("healthy", 2, 2, 2), d' "$WORK/sys2.json" \
		|| fail "system-status --json with good and setup only"
	ctl metrics | grep -qx 'enclave_init_enclave_health 2' || fail "metrics' enclave health"
	wait_for "the follower saw it" 10 follower_has "system::healthy>degraded" "state:bad:running>stopping" "system::degraded>healthy"
	# What the follower saw is what the ring holds.
	kill "$f"; wait "$f" 2>/dev/null
	check events "$WORK/follow" "$(head -1 "$WORK/follow" | sed 's/{"seq":\([0-9]*\).*/\1/')" > /dev/null || fail "followed events"
	ctl events --since "$(head -1 "$WORK/follow" | sed 's/{"seq":\([0-9]*\).*/\1/')" --no-follow > "$WORK/replay"
	expect_eq "$(head -n "$(wc -l < "$WORK/follow")" "$WORK/replay" | md5sum)" "$(md5sum < "$WORK/follow")" "followed vs replayed"
	wait_for "the follower's connection closed" 10 eval 'ctl system-status --json | grep -q "\"control_clients\":1"'
}
