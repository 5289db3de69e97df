# Reload: init re-executes itself (a new build, perhaps) and keeps its
# services. PIDs are compared before and after; a second and a third build
# are made here from changed copies of the configuration.

pids() {  # NAME=PID for every service, sorted
	for s in counter steady changed removed offline; do
		echo "$s=$("$INITCTL" status "$s" 2>/dev/null | sed -n 's/^  PID: //p')"
	done
}

# Build WORKDIR's configuration copy DIR into BUILD with extra make args.
build_from() {
	local dir=$1 build=$2; shift 2
	make -s -C "$TOP" CONFIG="$dir/init.yaml" BUILD="$build" "$@" all >/dev/null 2>&1 ||
		fail "build of $dir failed"
}
TOP=$(cd "$TESTS_DIR/../.." && pwd)

# Replace init's binary the way an installer does: a new file renamed over
# the old one (the running init keeps the old inode).
install_init() {
	cp "$1" "$INIT_BIN.new" && mv -f "$INIT_BIN.new" "$INIT_BIN"
}

reloaded() { [ "$(log_lines 'reload: done|adopting running children' | wc -l)" -ge "$1" ]; }

t_01_identical_binary_keeps_every_pid() {
	for s in counter steady changed removed offline; do wait_for "$s running" 10 has_state "$s" active; done
	ctl disable offline >/dev/null || fail "disable"
	ctl start offline >/dev/null || fail "start offline again (disabled, but running)"
	wait_for "offline running" 10 has_state offline active
	local before after
	before=$(pids)
	expect_eq "$(ctl reload)" "✓ Reload initiated: init re-executes itself, services keep running" "reload"
	wait_for "the reload" 10 reloaded 1
	wait_for "init answering" 10 "$INITCTL" ping
	after=$(pids)
	expect_eq "$after" "$before" "PIDs after reload"
	expect_eq "$(ctl list | awk '$1 == "offline" { print $2 }')" disabled "enabled state kept"
	ctl list | awk '$1 != "NAME" && $1 !~ /^-/ && $5 != 0 { exit 1 }' || fail "restart counts changed: $(ctl list)"
}

t_02_log_pipe_kept_no_line_lost() {
	# The counter wrote through the reload: its numbers must be consecutive.
	local n0
	n0=$(ctl logs counter -n 1 | sed 's/.* n //')
	wait_for "more counter lines" 10 sh -c "[ \$(grep -c '] n ' '$WORK/log/counter.log') -gt $((n0 + 20)) ]"
	grep '] n ' "$WORK/log/counter.log" | sed 's/.* n //' |
		awk 'NR > 1 && $1 != prev + 1 { print "gap: " prev " then " $1; exit 1 } { prev = $1 }' ||
		fail "counter lines lost or repeated across the reload"
}

t_03_sighup_reloads() {
	local before
	before=$(pids)
	kill -HUP "$(init_hostpid)" || fail "no init"
	wait_for "the second reload" 10 reloaded 2
	wait_for "init answering" 10 "$INITCTL" ping
	log_lines 'reload requested \(SIGHUP\)' >/dev/null || fail "SIGHUP not logged"
	expect_eq "$(pids)" "$before" "PIDs after SIGHUP"
}

t_04_dry_run_of_a_changed_build() {
	# Configuration 2: 'changed' runs something else, 'removed' is gone,
	# 'added' is new.
	rm -rf "$WORK/config2"; cp -r "$WORK/config" "$WORK/config2"
	printf 'ExecStart = "/bin/sleep 100022"\nRestart = "always"\n' > "$WORK/config2/services/changed.service"
	rm "$WORK/config2/services/removed.service"
	printf 'ExecStart = "/bin/sleep 100005"\nRestart = "always"\n' > "$WORK/config2/services/added.service"
	build_from "$WORK/config2" "$WORK/build2"
	local plan
	plan=$("$WORK/build2/initctl" reload --dry-run 2>/dev/null) || fail "dry-run failed"
	echo "$plan" | grep -Eq '^keep +steady +unchanged, keeps running$' || fail "steady: $plan"
	echo "$plan" | grep -Eq '^restart +changed +configuration changed$' || fail "changed: $plan"
	echo "$plan" | grep -Eq '^stop +removed +no longer configured$' || fail "removed: $plan"
	echo "$plan" | grep -Eq '^start +added +new, enabled$' || fail "added: $plan"
	expect_eq "$(ctl reload --dry-run | grep -vc '^keep\|^ACTION')" 0 "dry run with the same build: all keep"
	has_state removed active || fail "the dry run changed something"
}

t_05_reload_into_the_changed_build() {
	local before steady counter changed
	before=$(pids)
	steady=$(echo "$before" | sed -n 's/^steady=//p')
	counter=$(echo "$before" | sed -n 's/^counter=//p')
	changed=$(echo "$before" | sed -n 's/^changed=//p')
	install_init "$WORK/build2/init"
	ctl reload >/dev/null || fail "reload"
	wait_for "the third reload" 10 reloaded 3
	INITCTL="$WORK/build2/initctl"
	wait_for "init answering" 10 "$INITCTL" ping
	wait_for "added running" 10 has_state added active
	wait_for "changed running again" 10 sh -c "\"$INITCTL\" status changed | grep -q 'PID: ' && ! \"$INITCTL\" status changed | grep -q 'PID: $changed\$'"
	expect_eq "$(field steady PID)" "$steady" "steady PID"
	expect_eq "$(field counter PID)" "$counter" "counter PID"
	expect_eq "$(field changed Command)" "/bin/sleep 100022" "changed command"
	wait_for "removed's process gone" 10 sh -c "! pgrep --ns $(init_hostpid) --nslist pid -f 'sleep 100003\$'"
	expect_eq "$("$INITCTL" status removed 2>&1)" "✗ Error: Service 'removed' not found" "removed service"
	expect_eq "$(ns_pgrep -fc 'sleep 1000(0[1-5]|22)$')" 4 "one process per service (steady, changed, offline, added)"
}

t_06_unreadable_state_adopts_children() {
	# A build whose state format differs cannot read the state: it adopts
	# its children by command line instead, without duplicating them.
	local before
	before=$(INITCTL="$WORK/build2/initctl" pids | grep -v '^counter=')
	build_from "$WORK/config2" "$WORK/build3" EXTRA_CFLAGS=-DHANDOVER_VERSION=99
	install_init "$WORK/build3/init"
	"$WORK/build2/initctl" reload >/dev/null || fail "reload"
	INITCTL="$WORK/build2/initctl"
	wait_for "the fallback" 10 reloaded 4
	log_lines "handed-over state cannot be used \\(another format version, format 3, this init reads 99\\)" >/dev/null ||
		fail "no clear message about the unreadable state"
	wait_for "init answering" 10 "$INITCTL" ping
	for s in steady changed offline added; do
		log_lines "adopting PID [0-9]+ as service $s " >/dev/null || fail "$s not adopted"
		expect_eq "$(pids | grep "^$s=")" "$(echo "$before" | grep "^$s=")" "PID of $s"
	done
	expect_eq "$(ns_pgrep -fc 'sleep 1000(0[1-5]|22)$')" 4 "no duplicates"
	# The counter lost its log pipe with the state: it is restarted and
	# logs again (a new pipe), once.
	wait_for "counter running" 10 has_state counter active
}

fds_at_most() { [ "$(ls "/proc/$(init_hostpid)/fd" | wc -l)" -le "$1" ]; }

t_07_reloads_leak_no_descriptors() {
	# The app slot is empty here (no /cmd outside a VM): its log pipe must not
	# survive the re-exec beside the new one, nor any other descriptor.
	local n fds i
	n=$(log_lines 'reload: done|adopting running children' | wc -l)
	wait_for "init answering" 10 "$INITCTL" ping
	fds=$(ls "/proc/$(init_hostpid)/fd" | wc -l)
	for i in 1 2 3; do
		ctl reload >/dev/null 2>&1 || fail "reload $i"
		wait_for "reload $i" 10 reloaded $((n + i))
		wait_for "init answering" 10 "$INITCTL" ping
	done
	wait_for "at most $fds descriptors after three reloads" 10 fds_at_most "$fds"
}
