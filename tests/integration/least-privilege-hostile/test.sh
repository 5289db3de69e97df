# Least privilege against a hostile image, client and service (issue 15).
# The image's /etc/passwd and /etc/group are written by prepare into
# $WORK/etc (a 1 MiB line, a member list of 1 MiB, 10000 groups, NULs,
# NIS lines, duplicates, ids that are (uid_t)-1, no newline at the end) and
# bind-mounted over the real ones in init's mount namespace; later steps
# mount a FIFO with no writer or /dev/zero there instead (nsenter into
# init's namespace). A service as nobody looks for a way back to root, with
# init started as a careless launcher might: with ambient capabilities and
# SECBIT_NO_SETUID_FIXUP (setuid then keeps them, and exec too). Every
# failure says why and runs nothing; init answers ping throughout and holds
# as many descriptors at the end as after its start.

start_init() {
	rm -f "$EXITFILE"
	(
		# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
		unshare --pid --fork --mount-proc --kill-child sh -c '
			mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&
			exec setpriv --securebits +no_setuid_fixup --inh-caps "$3" --ambient-caps "$3" "$2"' \
			sh "$WORK/etc" "$INIT_BIN" +chown,+dac_override,+kill,+setuid >"$LOG" 2>&1
		echo $? >"$EXITFILE"
	) &
	# shellcheck disable=SC2034 # lib.sh's init_hostpid reads it
	NS_WRAPPER=$!
}

# A gecos, or a member list, of 1 MiB.
mib() { head -c 1048576 /dev/zero | tr '\0' "$1"; }

prepare() {
	local i
	mkdir -p "$WORK/etc" && mkdir -m 1777 "$WORK/out"
	{
		printf 'root:x:0:0:root:/root:/bin/sh\n+::::::\n+nis:x:0:0:::\n-minus:x:0:0:::\n'
		printf 'dup:x:2001:2001:the first dup:/:/bin/sh\ndup:x:0:0:the second dup, as root:/:/bin/sh\n'
		printf '1000:x:0:0:a user named with digits, as root:/:/bin/sh\n'
		printf 'huge:x:2002:2002:'; mib g; printf ':/:/bin/sh\n'
		printf 'nul\0:x:0:0:a NUL in a name:/:/bin/sh\n'
		printf 'badid:x:4294967295:2003:::\nbadgid:x:2004:4294967295:::\n'
		printf 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'
		printf 'crowd:x:2005:2005:::\nmany:x:2006:2006:::\n'
		printf 'last:x:2007:2007:no newline after me:/:/bin/sh'
	} >"$WORK/etc/passwd"
	{
		printf 'root:x:0:\nnogroup:x:65534:\n+:::\n+nis:x:0:huge,last\n'
		printf 'big:x:3000:'; mib w; printf ',huge\n'
		printf 'nul:x:3001:la\0st,\0last,last\n'
		for ((i = 0; i < 10000; i++)); do
			if ((i < 1000)); then printf 'g%d:x:%d:crowd,many\n' "$i" $((10000 + i)); else printf 'g%d:x:%d:crowd\n' "$i" $((10000 + i)); fi
		done
		printf 'lastgroup:x:3002:last'
	} >"$WORK/etc/group"
	cp /usr/bin/id "$WORK/suid-id" && chown 0:0 "$WORK/suid-id" && chmod 4755 "$WORK/suid-id"
}

# in_init CMD...: CMD in init's mount namespace.
in_init() { nsenter --target "$(init_hostpid)" --mount "$@"; }

# status_of SERVICE KEY: a line of /proc/PID/status of its main process.
status_of() {
	local h
	h=$(host_pid "$(field "$1" PID)") || { echo "$1: no process" >&2; return 1; }
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$h/status"
}

# fds_of HOSTPID: its descriptors, "N -> TARGET" each, sorted.
fds_of() {
	local f
	for f in /proc/"$1"/fd/*; do echo "${f##*/} -> $(readlink "$f")"; done | sort -n
}

# only_stdio HOSTPID WHAT: its descriptors are 0 (/dev/null), 1 and 2 (one
# pipe, or the file given as $3), nothing else of init's.
only_stdio() {
	local fds out
	fds=$(fds_of "$1")
	out=$(echo "$fds" | awk '{ print $1 }' | tr '\n' ' ')
	expect_eq "$out" "0 1 2 " "$2's descriptors ($fds)"
	expect_eq "$(echo "$fds" | sed -n 's/^0 -> //p')" /dev/null "$2's stdin"
	expect_eq "$(echo "$fds" | sed -n 's/^1 -> //p')" "$(echo "$fds" | sed -n 's/^2 -> //p')" "$2's stdout and stderr"
}

ping_ok() { ctl ping >/dev/null 2>&1 || fail "init does not answer ping"; }

settled() {
	local s
	for s in probe suid dup huge last many late; do has_state "$s" active || return 1; done
	for s in crowd digits badid badgid; do has_state "$s" failed || return 1; done
	[ -f "$WORK/out/probe.suid" ] && [ -f "$WORK/out/suid.suid" ]
}

t_01_services_settle() {
	wait_for "every service active or failed" 30 settled
	fds_of "$(init_hostpid)" >"$WORK/fds.start"
}

t_02_no_way_back_to_root() {
	expect_eq "$(awk '$1 == "CapAmb:" { print $2 }' "/proc/$(init_hostpid)/status")" 00000000000000a3 \
		"init's ambient capabilities (chown, dac_override, kill, setuid)"
	expect_eq "$(grep -E '^Cap(Inh|Prm|Eff|Amb):' "$WORK/out/probe.caps" | awk '{ print $2 }' | tr '\n' ' ')" \
		"0000000000000000 0000000000000000 0000000000000000 0000000000000000 " "probe's capabilities"
	expect_eq "$(cat "$WORK/out/probe.suid")" 65534 "a setuid-root binary under no_new_privs"
	# The contrast: without no_new_privs the same binary is root, so the
	# probe above could have seen it.
	expect_eq "$(cat "$WORK/out/suid.suid")" 0 "a setuid-root binary without no_new_privs"
	local h
	for s in probe suid dup; do
		h=$(host_pid "$(field "$s" PID)") || fail "$s: no process"
		only_stdio "$h" "$s"
	done
}

t_03_control_socket_closed_to_the_service() {
	local h out
	h=$(host_pid "$(field probe PID)") || fail "probe: no process"
	# As the probe's user, in its namespaces: the control socket is 0600.
	out=$(nsenter --target "$h" --mount --pid --setuid 65534 --setgid 65534 "$INITCTL" ps start /bin/true 2>&1) &&
		fail "nobody ran ps start: $out"
	expect_match "$out" "ermission denied" "nobody's ps start"
}

t_04_hostile_lines_of_the_image() {
	expect_eq "$(status_of dup Uid)" "2001 2001 2001 2001" "dup: the first line"
	expect_eq "$(status_of huge Uid)" "2002 2002 2002 2002" "huge: after its 1 MiB gecos"
	# big (3000) lists huge after 1 MiB of members; +nis (0) is no group.
	expect_eq "$(status_of huge Groups)" "2002 3000" "huge's groups"
	expect_eq "$(status_of last Uid)" "2007 2007 2007 2007" "last, without a newline"
	# nul (3001) lists last after "la\0st" and "\0last"; lastgroup (3002)
	# lists it on the file's last line, without a newline.
	expect_eq "$(status_of last Groups)" "2007 3001 3002" "last's groups"
	expect_eq "$(status_of many Groups | wc -w)" 1001 "many's groups (its own and 1000)"
	failed_with crowd "User 'crowd' is in more than 1024 groups"
	failed_with digits "User '1000' not found in /etc/passwd, and no Group= to run it with"
	failed_with badid "User 'badid' not found in /etc/passwd"
	failed_with badgid "User 'badgid' not found in /etc/passwd"
	ping_ok
}

# failed_with SERVICE REASON: failed with that reason in status and its
# log, and its command never ran (as root: touch would have worked).
failed_with() {
	expect_eq "$(state "$1")" failed "$1's state"
	expect_eq "$(field "$1" 'Last Error')" "$2" "$1's Last Error"
	grep -qF "failed to start: $2" "$WORK/log/$1.log" || fail "$1's failure not in its log"
	[ ! -e "$WORK/ran.$1" ] || fail "$1's command ran"
}

# over FILE WHAT: mount WHAT (a path of the host) over /etc/FILE in init's
# namespace, or put the prepared file back (WHAT: -).
over() {
	in_init umount "/etc/$1" 2>/dev/null
	in_init mount --bind "$([ "$2" = - ] && echo "$WORK/etc/$1" || echo "$2")" "/etc/$1" || fail "cannot mount $2 over /etc/$1"
}

# late_fails REASON: starting late again fails at once with REASON, as does a
# ps start --user nobody; nothing ran; init still answers.
late_fails() {
	local out
	! has_state late active || ctl stop late >/dev/null || fail "stop late"
	out=$(ctl start late --wait --timeout 10 2>&1) && fail "start late succeeded: $out"
	wait_for "late failed" 10 has_state late failed
	expect_eq "$(field late 'Last Error')" "$1" "late's Last Error"
	out=$(ctl ps start --user nobody /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user nobody succeeded: $out"
	expect_eq "$out" "✗ Error: cannot start /bin/sh: $1" "ps start --user nobody"
	if [ -e "$WORK/ran.late" ] || [ -e "$WORK/ran.ps" ]; then fail "a start that failed ran"; fi
	ping_ok
}

t_05_passwd_a_fifo_without_writer() {
	mkfifo -m 0644 "$WORK/fifo"
	over passwd "$WORK/fifo"
	late_fails "cannot read /etc/passwd: not a regular file"
}

t_06_passwd_is_dev_zero() {
	over passwd /dev/zero
	late_fails "cannot read /etc/passwd: not a regular file"
}

t_07_group_a_fifo_or_dev_zero() {
	over passwd -
	over group "$WORK/fifo"
	late_fails "cannot read /etc/group: not a regular file"
	over group /dev/zero
	late_fails "cannot read /etc/group: not a regular file"
	over group -
	local out
	out=$(ctl start late --wait --timeout 10 2>&1) || fail "start late with the files back: $out"
	expect_eq "$(status_of late Uid)" "65534 65534 65534 65534" "late's uids"
}

t_08_odd_users_from_a_client() {
	local out u long
	long=$(printf 'u%.0s' {1..64})
	for u in "" "$long" -1 "a b" "../../etc/passwd" "nobody:x" "@nobody" "$(printf 'nobody\nx')"; do
		out=$(ctl ps start --user "$u" /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user '$u' succeeded: $out"
		expect_match "$out" "is not a user name or numeric id" "ps start --user '$u'"
	done
	out=$(ctl ps start --user 4294967295 /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user 4294967295 succeeded: $out"
	expect_eq "$out" "✗ Error: cannot start /bin/sh: User '4294967295' not found in /etc/passwd" "ps start --user 4294967295"
	out=$(ctl ps start --user 1000 /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user 1000 succeeded: $out"
	expect_match "$out" "User '1000' not found in /etc/passwd" "ps start --user 1000 (a uid, not the user named 1000)"
	out=$(ctl ps start --user crowd /bin/sh -c "touch $WORK/ran.ps" 2>&1) && fail "ps start --user crowd succeeded: $out"
	expect_match "$out" "User 'crowd' is in more than 1024 groups" "ps start --user crowd"
	[ ! -e "$WORK/ran.ps" ] || fail "a ps start that failed ran"
	# A name of 63 bytes is taken (and not found); the frame cannot hold 64.
	out=$(ctl ps start --user "${long:1}" /bin/true 2>&1) && fail "ps start --user (63 bytes) succeeded: $out"
	expect_match "$out" "User '${long:1}' not found" "ps start --user of 63 bytes"
	out=$(ctl ps start --user many /bin/sleep 100000 2>&1) || fail "ps start --user many: $out"
	local p=${out#✓ Process started with PID } h
	h=$(host_pid "${p%% *}") || fail "no process for: $out"
	expect_eq "$(awk '$1 == "Uid:" { print $2 }' "/proc/$h/status")" 2006 "ps start --user many: uid"
	only_stdio "$h" "ps start --user many"
	expect_eq "$(awk '$1 == "CapEff:" || $1 == "CapAmb:" { print $2 }' "/proc/$h/status" | tr '\n' ' ')" \
		"0000000000000000 0000000000000000 " "ps start --user many: capabilities (effective, ambient)"
	ping_ok
}

t_09_init_holds_what_it_held() {
	ping_ok
	local now
	now=$(fds_of "$(init_hostpid)")
	expect_eq "$(echo "$now" | wc -l)" "$(wc -l <"$WORK/fds.start")" "init's descriptors (now: $now; at the start: $(cat "$WORK/fds.start"))"
}
