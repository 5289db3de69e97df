# An orphan storm: hundreds of children reparented to init; none may be
# left a zombie.

zombies() { ps -o stat= --ppid "$(init_hostpid)" | grep -c '^Z' ; }
children() { ps -o pid= --ppid "$(init_hostpid)" | wc -l; }
no_orphans_left() { [ "$(children)" -eq 1 ] && [ "$(zombies)" -eq 0 ]; }

t_01_storm_happens() {
	wait_for "the storm to be launched" 20 test -f "$WORK/storm.done"
}

t_02_all_reaped() {
	# Only the storm service itself stays a child of init; every orphan has
	# ended and been collected.
	wait_for "no orphan or zombie left under init" 30 no_orphans_left
	expect_eq "$(state storm)" active "storm service still supervised"
}

t_03_second_storm_after_restart() {
	rm -f "$WORK/storm.done"
	ctl restart storm >/dev/null || fail "restart failed"
	wait_for "second storm" 20 test -f "$WORK/storm.done"
	wait_for "no orphan or zombie left under init" 30 no_orphans_left
}
