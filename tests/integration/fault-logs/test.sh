# Log writes failing (ENOSPC, EIO) and log opens failing (EMFILE): logged,
# survived, recovered.

prepare() {
	local f="$WORK/log/chatty.log"
	export EI_FAULTS="write:ENOSPC:match=$f:while=$WORK/enospc,write:EIO:match=$f:while=$WORK/eio,open:EMFILE:match=$f:while=$WORK/emfile"
}

file_lines() { wc -l < "$WORK/log/chatty.log" 2>/dev/null || echo 0; }
grows() { [ "$(file_lines)" -gt "$1" ]; }
said() { [ "$(log_lines "$1" | wc -l)" -ge "${2:-1}" ]; }
# the newest line of chatty in init's memory (initctl logs)
last_line() { ctl logs chatty -n 1 | sed -n 's/.*line \([0-9]*\)$/\1/p' | tail -1; }

# fail_then_recover MARKER ERRNO MESSAGE: with MARKER present the file
# stops growing while init says MESSAGE and keeps the lines in memory;
# without it the file grows again and init says so.
fail_then_recover() {
	local marker=$1 err=$2 msg=$3 before n again
	wait_for "chatty logging" 10 grows 3
	again=$(log_lines "log file .*chatty.log is writable again" | wc -l)
	touch "$WORK/$marker"
	wait_for "injected $err" 10 said "^fault: (write|open)\($WORK/log/chatty.log\): $err"
	wait_for "init's warning" 10 said "cannot write log file .*chatty.log: $msg"
	before=$(file_lines)
	n=$(last_line)
	wait_for "lines kept in memory" 10 eval '[ "$(last_line)" -gt $((n + 5)) ]'
	[ "$(file_lines)" -le "$((before + 1))" ] || fail "the file grew during the fault"
	ctl ping >/dev/null || fail "init stopped answering"
	rm -f "$WORK/$marker"
	wait_for "writable again" 10 said "log file .*chatty.log is writable again; [0-9]+ lines dropped" $((again + 1))
	wait_for "file grows again" 10 grows "$((before + 3))"
}

t_01_enospc() { fail_then_recover enospc ENOSPC "No space left on device"; }
t_02_eio() { fail_then_recover eio EIO "(I/O error|Input/output error)"; }
t_03_emfile_on_reopen() {
	# the file must be reopened for open(2) to fail: an EIO first closes it
	local again eio
	again=$(log_lines "log file .*chatty.log is writable again" | wc -l)
	eio=$(log_lines "^fault: write\($WORK/log/chatty.log\): EIO" | wc -l)
	touch "$WORK/emfile" "$WORK/eio"
	wait_for "injected EIO" 10 said "^fault: write\($WORK/log/chatty.log\): EIO" $((eio + 1))
	rm -f "$WORK/eio"
	wait_for "injected EMFILE" 10 said "^fault: open\($WORK/log/chatty.log\): EMFILE"
	ctl ping >/dev/null || fail "init stopped answering"
	rm -f "$WORK/emfile"
	wait_for "writable again" 10 said "log file .*chatty.log is writable again" $((again + 1))
	local before; before=$(file_lines)
	wait_for "file grows again" 10 grows "$((before + 3))"
}

# A disk that stays full is one warning, not one a second: the file is
# reopened and retried every second, but "writable again" waits for a write
# that works (before: each reopen said it, and each failure warned again).
t_04_one_warning_while_it_lasts() {
	local warned again faults
	wait_for "chatty logging" 10 grows 3
	warned=$(log_lines "cannot write log file .*chatty.log" | wc -l)
	again=$(log_lines "log file .*chatty.log is writable again" | wc -l)
	faults=$(log_lines "^fault: write\($WORK/log/chatty.log\): ENOSPC" | wc -l)
	touch "$WORK/enospc"
	wait_for "four retries failing" 20 said "^fault: write\($WORK/log/chatty.log\): ENOSPC" $((faults + 4))
	expect_eq "$(log_lines "cannot write log file .*chatty.log" | wc -l)" $((warned + 1)) "warnings while the disk is full"
	expect_eq "$(log_lines "log file .*chatty.log is writable again" | wc -l)" "$again" "all-clears while the disk is full"
	rm -f "$WORK/enospc"
	wait_for "writable again" 10 said "log file .*chatty.log is writable again" $((again + 1))
}
