# The boot's services wait for the kernel's random pool (entropy.c). The
# host's pool is long ready, so they start at once, and system-status,
# its JSON and the metrics say so, with the hardware RNG the kernel names
# (rng_current, "none" or a device; read here the same way).

hwrng() { cat /sys/class/misc/hw_random/rng_current 2>/dev/null | head -1; }

t_01_ready_and_said() {
	wait_for "web running" 10 has_state web active
	line=$(ctl system-status | grep '^  Entropy: ')
	want=$(hwrng); [ -n "$want" ] || want=none
	expect_match "$line" "^  Entropy: ready \(services waited [0-9]+ ms\), hardware RNG $want\$" "system-status's Entropy line"
	grep -q 'entropy: random pool not ready' "$LOG" && fail "init waited for a pool that is ready"
	return 0
}

t_02_json_and_metrics() {
	js=$(ctl system-status --json) || fail "system-status --json: $js"
	got=$(printf '%s' "$js" | "${PYTHON:-python3}" -c 'import json,sys; d=json.load(sys.stdin); print(d["entropy"], d["entropy_wait_ms"] < 5000, d["hwrng"], d["hwrng_credited_bytes"])')
	want=$(hwrng); [ -n "$want" ] && [ "$want" != none ] || want=None
	expect_eq "$got" "ready True $want 0" "entropy fields of system-status --json"
	# One line, whole: a pattern with newlines would be several to grep,
	# an empty one among them, which matches anything.
	expect_match "$(ctl metrics)" '^enclave_init_entropy_state 2$' "the entropy_state metric"
}
