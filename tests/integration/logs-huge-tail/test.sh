# `logs NAME -n <huge>` over a 200 MB log: init scans the kept files
# backwards for the tail's start a slice per pass of its loop, so other
# clients are served while it does (issue 12, defect 4: the scan ran in one
# pass, and ping waited for all of it).

L="$WORK/log"

# The files of the log, oldest first.
all_files() {
	ls "$L"/flood.log.* 2>/dev/null | sort -t. -k3 -rn
	echo "$L/flood.log"
}

flooded() { test -f "$WORK/flooded" && grep -q 'flood 02000000 ' "$L/flood.log"; }

t_01_flood_is_kept() {
	wait_for "the flood to be written and logged" 120 flooded
	local bytes
	bytes=$(cat $(all_files) | wc -c)
	[ "$bytes" -gt 190000000 ] || fail "only $bytes bytes kept"
}

# While the scan goes on, pings from another client are answered. Before
# the fix none could be: the whole scan ran inside one pass of the loop, and
# the reply's first bytes went out in that same pass (bin/racer.py).
t_02_ping_answered_while_the_tail_is_found() {
	wait_for_quiet 120 flooded
	local pings
	pings=$("${PYTHON:-python3}" "$WORK/bin/racer.py" "$INIT_SOCKET" "$(cfg_hash)" flood) || fail "racer: $pings"
	echo "pings answered before the first byte of the reply: $pings"
	[ "$pings" -ge 10 ] || fail "only $pings pings answered while init looked for the tail"
}

# The scan, done in slices, still finds exactly the last N lines, across
# file boundaries and for N beyond everything kept.
t_03_tail_is_exact() {
	wait_for_quiet 120 flooded
	local n want got
	for n in 1 5 1000 700000 1500000 100000000; do
		want=$(cat $(all_files) | tail -n "$n" | md5sum)
		got=$(ctl logs flood -n "$n" | md5sum)
		expect_eq "$got" "$want" "logs -n $n"
	done
}

# A client that asks for everything and hangs up mid-scan costs nothing:
# its descriptors are closed.
t_04_abandoned_scan_releases_its_files() {
	wait_for_quiet 120 flooded
	local pid before after k
	pid=$(init_hostpid)
	before=$(ls "/proc/$pid/fd" | wc -l)
	for k in 1 2 3 4 5 6 7 8; do
		timeout -s KILL 0.05 "$INITCTL" logs flood -n 1000000000 >/dev/null 2>&1
	done
	ctl ping >/dev/null || fail "ping after abandoned scans"
	wait_for "descriptors back to $before" 10 sh -c "[ \$(ls /proc/$pid/fd | wc -l) -le $before ]"
}
