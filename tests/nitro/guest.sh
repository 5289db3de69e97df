#!/bin/sh
# tests/nitro/guest.sh: the guest side of the emulated Nitro Enclave tier.
#
# init runs this (busybox sh) as the EIF's /cmd app, after its NSM step and
# the switch into /rootfs. It checks what only the guest can see and writes
# to /dev/console, between "NITROTEST START" and "NITROTEST DONE":
#
#   NITROTEST PASS name
#   NITROTEST FAIL name: why
#   NITROTEST | excerpt line          (after a FAIL: what was seen)
#   NITROTEST PCR<n> <hex>            (read through /dev/nsm by nsmpcr)
#   NITROTEST UPTIME <what> <seconds> (the guest's clock, for INFO lines)
#
# then exits 0: the app has ended, so init powers the machine off
# (app.poweroff_on_exit). tests/nitro/run.sh reads the console and compares
# the PCRs with tools/mkeif.py's prediction.
PATH=/bin:/sbin
export PATH
exec 3>/dev/console
exec 2>&1
say() { echo "$*" >&3; }
out=/tmp/nitrotest.out

# check NAME FUNCTION: PASS if FUNCTION returns 0, else FAIL with its last
# line of output as the reason and the lines before as excerpt.
check() {
	name=$1
	shift
	if "$@" > "$out" 2>&1; then
		say "NITROTEST PASS $name"
	else
		why=$(tail -n 1 "$out")
		say "NITROTEST FAIL $name: ${why:-failed}"
		sed '$d' "$out" | tail -n 15 | sed 's/^/NITROTEST | /' >&3
	fi
}

say "NITROTEST START"
say "NITROTEST UPTIME app $(cut -d' ' -f1 /proc/uptime)"

c_first_service() {
	# stamp.service, a oneshot, wrote its start time; the app starts after it
	[ -s /run/stamp.uptime ] || { echo "no /run/stamp.uptime: stamp.service did not run"; return 1; }
	say "NITROTEST UPTIME first-service $(cat /run/stamp.uptime)"
}
check first-service c_first_service

c_dev_nsm() {
	[ -c /dev/nsm ] || { ls -l /dev; echo "no character device /dev/nsm"; return 1; }
	# the module init's NSM step loaded is the real NSM driver
	[ -d /sys/module/nsm ] || { cat /proc/modules; echo "no /sys/module/nsm: the nsm module is not loaded"; return 1; }
}
check dev-nsm c_dev_nsm

c_hwrng() {
	rng=$(cat /sys/class/misc/hw_random/rng_current 2>&1)
	[ "$rng" = nsm-hwrng ] || { cat /sys/class/misc/hw_random/rng_available 2>&1; echo "rng_current is '$rng', not nsm-hwrng"; return 1; }
}
check hwrng c_hwrng

c_entropy_status() {
	# init saw the NSM's RNG too (entropy.require_hwrng: nsm-hwrng)
	initctl system-status > /tmp/status 2>&1 || { cat /tmp/status; echo "initctl system-status failed"; return 1; }
	grep -q '^  Entropy: ready .*hardware RNG nsm-hwrng$' /tmp/status ||
		{ cat /tmp/status; echo "system-status does not say: Entropy: ready ..., hardware RNG nsm-hwrng"; return 1; }
}
check entropy-status c_entropy_status

c_memory_max() {
	# capped.service: MemoryMax=48M in its own cgroup's memory.max, and
	# status shows its memory use with nothing reported as not applied
	cg=/sys/fs/cgroup/unified/enclave-init/capped
	[ -r "$cg/memory.max" ] || { grep cgroup /proc/mounts; ls "$cg" 2>&1 | head; echo "no $cg/memory.max"; return 1; }
	max=$(cat "$cg/memory.max")
	[ "$max" = 50331648 ] || { echo "memory.max is '$max', want 50331648 (48M)"; return 1; }
	initctl status capped > /tmp/capped 2>&1 || { cat /tmp/capped; echo "initctl status capped failed"; return 1; }
	grep -q '^  Memory: [0-9.]*[BKMG]' /tmp/capped || { cat /tmp/capped; echo "status shows no Memory line"; return 1; }
	! grep -q 'Not Applied' /tmp/capped || { cat /tmp/capped; echo "status says a limit was not applied"; return 1; }
}
check memory-max c_memory_max

c_pcrs() {
	/bin/nsmpcr 0 1 2 > /tmp/pcrs || { cat /tmp/pcrs; echo "nsmpcr 0 1 2 failed"; return 1; }
	sed 's/^/NITROTEST /' /tmp/pcrs >&3
}
check pcrs-read c_pcrs

# ---- initctl attest -------------------------------------------------------
# When initctl has an attest command, ask init for an attestation document
# with a nonce and pass the decoded document to the host, which checks that
# the nonce came back and that its PCRs equal mkeif.py's prediction. The
# nonce is the app's first argument (run.sh chooses it).
nonce=${1:-}
c_attest() {
	printf 'nitro-tier' > /tmp/user-data
	initctl attest --nonce "$nonce" --user-data /tmp/user-data -o /tmp/attest.cose --json > /tmp/attest.json ||
		{ cat /tmp/attest.json; echo "initctl attest --nonce $nonce --json failed"; return 1; }
	[ -s /tmp/attest.cose ] || { echo "-o wrote no document"; return 1; }
	grep -q "\"document_bytes\":$(wc -c < /tmp/attest.cose)[,}]" /tmp/attest.json ||
		{ echo "-o wrote $(wc -c < /tmp/attest.cose) bytes, not the document's size"; return 1; }
	say "NITROTEST ATTEST-BEGIN"
	cat /tmp/attest.json >&3
	echo >&3
	say "NITROTEST ATTEST-END"
}
if [ -n "$nonce" ]; then
	check attest c_attest
fi
# ---------------------------------------------------------------------------

say "NITROTEST DONE"
exit 0
