# Start order follows every dependency kind; shutdown runs in reverse, each
# service stopped only once everything that depends on it is down; then
# init exits 0 as PID 1 of a container.

t_01_start_order() {
	for s in db api web cache metrics zlone; do wait_for "$s running" 10 has_state "$s" active; done
	# Independent services start at once; a service starts only once every
	# service it comes after is running ("starting -> running" logged
	# before its "Starting service").
	for pair in "cache api" "db api" "api web" "metrics web"; do
		set -- $pair
		awk -v a="$1" -v b="$2" '$0 ~ "service " a ": starting -> running" { up = 1 }
			$0 ~ "Starting service " b "$" { if (!up) bad = 1 } END { exit bad }' "$LOG" ||
			fail "$2 started before $1 was running"
	done
	# The free ones did not wait for anything: they started before any
	# service reached running.
	first_up=$(grep -n ': starting -> running' "$LOG" | head -1 | cut -d: -f1)
	for s in cache db metrics zlone; do
		n=$(grep -n "Starting service $s\$" "$LOG" | head -1 | cut -d: -f1)
		[ "$n" -lt "$first_up" ] || fail "$s waited (line $n, first running at line $first_up)"
	done
}

t_02_list_in_start_order() {
	got=$(ctl list | tail -n +3 | awk '{print $1}' | tr '\n' ' ')
	expect_eq "$got" "cache db api metrics web zlone " "list order"
}

t_03_status_shows_dependencies() {
	expect_eq "$(field api Requires)" db "api Requires"
	expect_eq "$(field web After)" api "web After"
	expect_eq "$(field cache Before)" api "cache Before"
	expect_eq "$(field metrics "Required By")" web "metrics Required By"
}

t_04_shutdown_in_reverse_order() {
	ctl shutdown >/dev/null || fail "shutdown refused"
	wait_for "init to exit" 30 test -f "$EXITFILE"
	expect_eq "$(cat "$EXITFILE")" 0 "exit status of init (PID 1 of a container)"
	stops=$(log_lines 'Stopping service' | sed 's/.*Stopping service \([^ ]*\).*/\1/' | tr '\n' ' ')
	# web must go before api and metrics; api before cache and db.
	pos() { echo "$stops" | tr ' ' '\n' | grep -nx "$1" | cut -d: -f1; }
	for pair in "web api" "web metrics" "api cache" "api db"; do
		set -- $pair
		[ "$(pos "$1")" -lt "$(pos "$2")" ] || fail "$1 stopped after $2 ($stops)"
	done
	# And each one only after its dependants were gone, not merely signalled.
	awk '/Stopping service api/ { if (!webgone) bad = 1 } /Service web killed|Service web exited/ { webgone = 1 }
	     END { exit bad }' "$LOG" || fail "api signalled before web was down"
	log_lines 'all services stopped' >/dev/null || fail "no 'all services stopped'"
}
