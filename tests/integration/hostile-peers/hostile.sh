# Helpers of the hostile-* scenarios (sourced by their test.sh, after lib.sh).

PEERS="$TESTS_DIR/hostile-peers/peers.py"
py() { "${PYTHON:-python3}" "$@"; }
peers() { py "$PEERS" "$@"; }

# INFO lines go to the harness's own output (fd 3, a copy of the scenario
# shell's stdout sharing its file offset), so they show whether the step
# passes or fails; tests/run counts only PASS and FAIL lines. init and its
# services inherit fd 3 too (see hostile-services t_09).
hostile_prepare() { exec 3>&1; }
prepare() { hostile_prepare; }
info() { echo "INFO integration: $SCENARIO: $*" >&3; }

# jget FILE KEY...: values of a JSON object's keys, one per line.
jget() { py -c 'import json, sys; d = json.load(open(sys.argv[1])); print("\n".join(str(d.get(k, "")) for k in sys.argv[2:]))' "$@"; }

fds() { ls "/proc/$(init_hostpid)/fd" | wc -l; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$(init_hostpid)/status"; }
fds_are() { [ "$(fds)" = "$1" ]; }

# figures NAME: "median X ms, p95 Y ms, max Z ms (N pings; retried: ...)"
figures() { peers figures "$WORK/lat.$1.json"; }

# pings NAME [COUNT [UNTIL-FILE]]: the well-behaved client (50 pings, or
# more until the file exists); fails when a ping is not answered within
# the bound (15 s: a correctness bound, not a performance threshold).
pings() {
	peers ping --socket "$INIT_SOCKET" --hash "$(cfg_hash)" --count "${2:-50}" --interval 0.1 --deadline 15 \
		${3:+--until "$3"} --times "$WORK/times.$1.json" > "$WORK/lat.$1.json" 3>&-
}

alive() { ctl ping >/dev/null || fail "init stopped answering initctl ping"; }
