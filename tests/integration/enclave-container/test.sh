# The enclave pieces that a container can check (the rest is under QEMU,
# tests/boot): nothing of the VM boot runs here, the app slot stays hidden,
# VSOCK control is tried and survived, logs-stream requests get clear
# answers, and init keeps serving throughout.

H() { cfg_hash; }
alive() { ctl ping >/dev/null || fail "init stopped answering ping"; }
talker_logged() { ctl logs talker -n 1 | grep -q 'talker line'; }
reply() { frame --hash "$(H)" "$@" || fail "frame.py failed"; }

prepare() {
	# A file where the NSM driver would be: a container must not load it.
	echo "not a module" > "$WORK/nsm.ko"
	mkdir -p "$WORK/rootfs"
}

t_01_vm_steps_are_skipped_in_a_container() {
	wait_for "talker running" 10 has_state talker active
	grep -q "starting as PID 1 of a container" "$LOG" || fail "mode line missing"
	if grep -Eq "NSM driver|heartbeat|switched root|switch root|app: " "$LOG"; then
		fail "a VM boot step ran in a container: $(grep -E 'NSM|heartbeat|switch|app: ' "$LOG")"
	fi
	[ -f "$WORK/nsm.ko" ] || fail "the NSM driver file was unlinked"
}

t_02_the_app_slot_is_hidden_without_cmd() {
	expect_eq "$(ctl list | tail -n +3 | awk '{print $1}' | tr '\n' ' ')" "talker " "services listed"
	local out
	out=$(ctl status app 2>&1) && fail "status app succeeded: $out"
	expect_eq "$out" "✗ Error: Service 'app' not found" "status app"
	ctl system-status | grep -q "Services: 1 total" || fail "system-status counts the hidden app: $(ctl system-status)"
}

t_03_print_config_shows_the_enclave_settings() {
	local cfg
	cfg=$("$INIT_BIN" --print-config)
	for want in '  vsock_enabled: true' '  vsock_port: 19001' '  vsock_allow: \["read", "services"\]' \
		'  name: "app"' '  poweroff_on_exit: true' 'max_log_streams: 2'; do
		echo "$cfg" | grep -qx -- "$want" || fail "--print-config lacks: $want"
	done
}

t_04_vsock_listener_tried_and_survived() {
	# Whether this machine has AF_VSOCK decides which line; either way the
	# Unix socket serves.
	grep -Eq "listening on vsock 4294967295:19001|vsock control socket" "$LOG" ||
		fail "no word about the vsock listener"
	alive
}

t_05_logs_stream_to_an_unreachable_reader_fails_clearly() {
	local out
	# CID 2 port 1: nobody listens there (or no vsock at all): a clear failure.
	out=$(reply --op 15 --name talker --arg0 2 --arg1 1 --arg2 10)
	expect_match "$out" "^status=9 msg=Failed to connect to VSock 2:1: .* closed=no$" "unreachable reader"
	alive
}

t_06_logs_stream_bad_requests() {
	expect_match "$(reply --op 15 --name nope --arg0 3 --arg1 9100)" \
		"^status=5 msg=Service 'nope' not found closed=no$" "unknown service"
	expect_match "$(reply --op 15 --name talker --arg0 0 --arg1 9100)" \
		"^status=1 msg=bad logs-stream address: CID and port must be real closed=yes$" "CID 0"
	expect_match "$(reply --op 15 --name talker --arg0 4294967295 --arg1 9100)" \
		"^status=1 msg=bad logs-stream address: CID and port must be real closed=yes$" "CID any"
	expect_match "$(reply --op 15 --name talker --arg0 3 --arg1 0)" \
		"^status=1 msg=bad logs-stream address: CID and port must be real closed=yes$" "port 0"
	expect_match "$(reply --op 16 --name talker --arg1 9100)" \
		"^status=7 msg=No active log stream for 'talker' closed=no$" "stop without a stream"
	expect_match "$(reply --op 16 --name talker --arg0 5)" \
		"^status=1 msg=unused request fields must be zero closed=yes$" "stop with arg0"
	expect_match "$(reply --op 15 --name init --arg0 2 --arg1 1)" \
		"^status=9 msg=Failed to connect to VSock 2:1: .* closed=no$" "init's own log"
	alive
	wait_for "talker still logging" 10 talker_logged
}
