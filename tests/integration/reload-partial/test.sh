# A reload lands while a service is halfway through a line: the new init
# carries the unfinished line on (issue 12, defect 2: only the second half
# reached the log). Round 2 has two reloads within one line; round 3 holds
# a carriage return that a "\r\n" completes.

L="$WORK/log"
body() { cut -c23- "$L/halves.log"; }
reloads() { grep -c 'reload: done' "$L/init.log"; }

reload_once() {
	local before
	before=$(reloads)
	ctl reload >/dev/null || fail "reload"
	wait_for "reload number $((before + 1))" 10 sh -c "[ \$(grep -c 'reload: done' '$L/init.log') -gt $before ]"
	wait_for "init answering" 10 "$INITCTL" ping
}

round() {  # round N RELOADS
	wait_for "half $1 written" 10 test -f "$WORK/wrote-$1"
	local k
	for k in $(seq "$2"); do reload_once; done
	touch "$WORK/go-$1"
}

t_01_partial_line_survives_reloads() {
	round 1 1
	round 2 2
	round 3 1
	wait_for "the last line" 10 sh -c "cut -c23- '$L/halves.log' | grep -q '^half-3-a'"
	expect_eq "$(body | grep '^half')" "$(printf 'half-1-a half-1-b\nhalf-2-a half-2-b\nhalf-3-a ')" "lines"
	[ "$(reloads)" = 4 ] || fail "expected 4 reloads, init.log has $(reloads)"
}
