# Thousands of processes: ps list streams one record per frame, and every
# one of 2,000 sleepers a service forked is listed, with its parent, state
# and command; listings taken while processes come and go (a churn of
# short-lived ones) still complete and still hold every sleeper.

# listed FILE: every PID of $WORK/pids has its row in FILE, as a sleeper
# whose parent is the spawner.
listed() {
	local sp; sp=$(field spawner PID)
	awk -v sp="$sp" 'NR == FNR { want[$1] = 1; n++; next }
		FNR > 2 && ($1 in want) { if ($2 == sp && $3 == "Sleeping" && $6 == "no" && $7 == "-" &&
			$8 == "sleep" && $9 == "100000" && NF == 9) got[$1] = 1; else bad = bad "\n" $0 }
		END { for (p in want) if (!(p in got)) { missing++; if (missing <= 5) print "missing: " p }
			if (bad != "") print "bad rows:" bad; if (missing) print missing " of " n " missing"
			exit (missing > 0 || bad != "" || n != 2000) }' "$WORK/pids" "$1"
}

t_01_two_thousand_processes_listed_completely() {
	local rows n
	wait_for "2,000 sleepers forked" 120 test -f "$WORK/pids"
	expect_eq "$(wc -l < "$WORK/pids")" 2000 "PIDs written by the spawner"
	ctl ps list > "$WORK/list" || fail "ps list: $(head -5 "$WORK/list")"
	listed "$WORK/list" || fail "not every sleeper listed"
	rows=$(tail -n +3 "$WORK/list" | wc -l)
	[ "$rows" -ge 2002 ] || fail "$rows rows: init, the spawner and 2,000 sleepers at least"
	# No PID twice; as many rows as system-status counts processes.
	expect_eq "$(tail -n +3 "$WORK/list" | awk '{ print $1 }' | sort | uniq -d)" "" "PIDs listed twice"
	n=$(ctl system-status | sed -n 's/^  Processes: \([0-9]*\) total$/\1/p')
	expect_eq "$n" "$rows" "system-status's count"
	echo "INFO: $rows rows"
}

t_02_listings_while_processes_come_and_go() {
	local i out
	out=$(ctl ps start "$WORK/bin/churn" 3000) || fail "ps start churn: $out"
	for i in 1 2 3 4 5; do
		ctl ps list > "$WORK/list.$i" || fail "ps list $i during the churn: $(tail -3 "$WORK/list.$i")"
		listed "$WORK/list.$i" || fail "listing $i during the churn"
	done
	ctl ping >/dev/null || fail "init stopped answering"
}

t_03_several_clients_list_at_once() {
	local i pids=()
	for i in 1 2 3 4; do
		ctl ps list > "$WORK/par.$i" & pids+=($!)
	done
	for i in 1 2 3 4; do
		wait "${pids[$((i - 1))]}" || fail "ps list $i of 4 at once failed"
		listed "$WORK/par.$i" || fail "listing $i of 4 at once"
	done
}

# Readers that stop after a few rows (`| head -3`): init drops them (its
# walk of /proc ends, its descriptor with it) and serves the next.
t_04_readers_that_stop_midway() {
	local h before after i
	h=$(init_hostpid) || fail "init's host PID"
	before=$(ls "/proc/$h/fd" | wc -l)
	for i in $(seq 20); do
		ctl ps list 2>/dev/null | head -3 > "$WORK/head.$i"
		expect_eq "$(sed -n 1p "$WORK/head.$i" | cut -c1-12)" "PID      PPI" "head of listing $i"
	done
	ctl ping >/dev/null || fail "init stopped answering"
	ctl ps list > "$WORK/list.after" || fail "ps list after the readers"
	listed "$WORK/list.after" || fail "listing after the readers"
	wait_for "init's descriptors back to $before" 10 eval '[ "$(ls "/proc/$h/fd" | wc -l)" = "$before" ]'
}
