# No log directory at all (its parent is a file): the ring still serves
# `logs`, every line is counted as dropped, init warns once and goes on.

prepare() { echo "not a directory" > "$WORK/notadir"; }

t_01_logs_served_from_the_ring() {
	wait_for "talk 10 in the ring" 10 sh -c "\"$INITCTL\" logs talker | grep -q 'talk 10\$'"
	expect_eq "$(ctl logs talker -n 100 | cut -c23- | grep -c '^talk ')" 10 "talk lines"
	expect_match "$(ctl logs talker -n 100 | head -1)" "^\[[0-9-]{10} [0-9:]{8}\] Starting service talker$" "first line"
	ctl logs init -n 3 >/dev/null || fail "init's own log is in its ring too"
}

t_02_every_line_counted_as_dropped() {
	expect_eq "$(field talker "Log lines dropped")" 12 "dropped (10 lines + 2 lifecycle lines)"
}

t_03_one_warning_per_file_init_survives() {
	expect_eq "$(log_lines "cannot write log file $WORK/notadir/log/talker.log: Not a directory" | wc -l)" 1 "warnings about talker.log"
	ctl ping >/dev/null || fail "ping"
	[ ! -d "$WORK/notadir" ] || fail "log directory appeared"
}

t_04_logs_clear_reports_the_failure() {
	local out rc
	out=$(ctl logs-clear talker 2>&1); rc=$?
	expect_eq "$rc" 1 "exit status"
	expect_eq "$out" "✗ Error: cannot remove $WORK/notadir/log/talker.log: Not a directory" "message"
	expect_eq "$(ctl logs talker | wc -l)" 0 "ring emptied anyway"
}
