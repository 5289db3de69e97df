#!/bin/bash
# The emulated Nitro Enclave tier: this project's init as /init of an EIF
# booted by QEMU's nitro-enclave machine, with a real NSM device.
#
# Builds (and caches under $NITRO_BUILD, default build/nitro) QEMU's
# nitro-enclave machine (build-qemu.sh: Debian's QEMU packages lack it),
# fetches bookworm-backports' 6.12 cloud kernel and its headers
# (fetch-kernel.sh), builds the helper module that registers the machine's
# virtio-mmio devices (mmio/), init and initctl from tests/nitro/config/,
# a busybox root file system with guest.sh and nsmpcr, and EIFs with
# tools/mkeif.py; then boots two of them:
#
#   base      the configuration as it is
#   changed   the same with app.restart_sec 5 -> 6 (one byte of init.yaml)
#
# Checks: QEMU builds and the kernel, module, init and EIFs too; the same
# inputs give the same EIF bytes and PCRs; the changed configuration changes
# PCR0 and PCR1, not PCR2; in each boot: the helper module registered the
# devices QEMU announced, init loaded kernel_modules and the real nsm.ko
# (its console line; /dev/nsm and /sys/module/nsm in the guest), the
# hardware RNG is nsm-hwrng and init's entropy step used it, PCR0/1/2 read
# through /dev/nsm equal mkeif.py's prediction, the app ran and the machine
# powered off, no panic; with initctl attest, the nonce and the PCRs of an
# attestation document.
#
# Prints "PASS nitro: <check>" or "FAIL nitro: <check>: <why>" (console
# excerpts indented below) and "INFO nitro: ..." lines with what each step
# cost (information only: no check depends on time). Consoles are kept in
# $NITRO_BUILD/console-<boot>.log. A step that cannot be done (no QEMU
# build, no kernel) is a FAIL saying why, never a silent skip.
#
# The vhost-user-vsock backend is a stub (vhost_user_stub.py): the guest has
# a vsock device but no packet moves, so the heartbeat is off here and the
# VSOCK checks stay in the Debian-kernel boot tier (tests/boot).
#
# Environment: NITRO_BUILD (build/nitro), NITRO_TIMEOUT (seconds per boot,
# 300). Usage: tests/nitro/run.sh [BOOT...]
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
export LC_ALL=C
here=tests/nitro
B=${NITRO_BUILD:-build/nitro}
TMO=${NITRO_TIMEOUT:-300}
PY=${PYTHON:-$(tools/find-python 2>/dev/null)}
QEMU=$B/qemu/bin/qemu-system-x86_64
# The EIF's kernel command line (measured: part of PCR0 and PCR1). No
# "nomodules" (nitro-cli's blobs have it; init loads modules here), a panic
# reboots at once and -no-reboot turns that into QEMU's exit, no PCI.
CMDLINE="console=ttyS0 reboot=t panic=-1 pci=off"
# The nonce of the attestation check (run only when initctl has attest).
NONCE=00112233445566778899aabbccddeeff
boots=("$@")
[ ${#boots[@]} -gt 0 ] || boots=(base changed)

pass() { echo "PASS nitro: $1"; }
fail() { # fail NAME WHY [EXCERPT]: the excerpt indented below
	echo "FAIL nitro: $1: $2"
	[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/    /'
	return 0
}
info() { echo "INFO nitro: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# ---- what the boots need ---------------------------------------------------

prereq() {
	local miss=""
	if ! command -v busybox >/dev/null; then
		miss="$miss busybox (Debian: busybox-static);"
	elif readelf -lW "$(command -v busybox)" 2>/dev/null | grep -q INTERP; then
		miss="$miss a static busybox ($(command -v busybox) is dynamic; Debian: busybox-static);"
	fi
	command -v musl-gcc >/dev/null || miss="$miss musl-gcc (musl-tools);"
	[ -n "$PY" ] || miss="$miss a python3 for tools/mkeif.py;"
	command -v timeout >/dev/null || miss="$miss timeout (coreutils);"
	if [ -n "$miss" ]; then
		fail prerequisites "missing:${miss%;}"
		return 1
	fi
	pass prerequisites
}

# step NAME COMMAND...: run a cached build step; PASS with an INFO line of
# what it did and what it cost, or FAIL with its output
step() {
	local name=$1 t0 out
	shift
	t0=$(now_ms)
	if ! out=$("$@" 2>&1); then
		fail "$name" "$* failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	info "$name: $(echo "$out" | tail -1) ($(secs $(($(now_ms) - t0))))"
	pass "$name"
}

# The configuration copy whose init differs by one byte of init.yaml.
changed_config() {
	local c=$B/config-changed
	rm -rf "$c" && cp -r $here/config "$c" || return 1
	sed -i 's/^\(  restart_sec: \)5 /\16 /' "$c/init.yaml"
	[ "$(cmp -l $here/config/init.yaml "$c/init.yaml" | wc -l)" = 1 ] || {
		echo "the copy of init.yaml does not differ by exactly one byte (app.restart_sec: 5 moved?)"
		return 1
	}
}

build() {
	local out t0
	t0=$(now_ms)
	for v in base changed; do
		local conf=$here/config/init.yaml
		if [ $v = changed ]; then
			out=$(changed_config) || { fail build "$out"; return 1; }
			conf=$B/config-changed/init.yaml
		fi
		if ! out=$(make -s CONFIG="$conf" BUILD="$B/build-$v" all 2>&1); then
			fail build "make CONFIG=$conf BUILD=$B/build-$v failed" "$(echo "$out" | tail -20)"
			return 1
		fi
	done
	if cmp -s "$B/build-base/init" "$B/build-changed/init"; then
		fail build "the changed configuration gave the same init binary"
		return 1
	fi
	if ! out=$(musl-gcc -static -Os -std=c11 -Wall -Wextra -Werror -o "$B/nsmpcr" $here/nsmpcr.c 2>&1); then
		fail build "tests/nitro/nsmpcr.c does not build" "$(echo "$out" | tail -20)"
		return 1
	fi
	info "build: init and initctl for both configurations, nsmpcr ($(secs $(($(now_ms) - t0))))"
	pass build
}

# The modules init loads before nsm.ko, in order: the helper, then what
# fetch-kernel.sh ordered (dependencies first). init.yaml's kernel_modules
# must name the same files.
modules() {
	echo "$B/mmio/nitro_mmio.ko"
	grep -vx nsm "$B/kernel/modules/order" | sed "s|^|$B/kernel/modules/|; s|\$|.ko|"
}

check_module_list() {
	local want have
	want=$(modules | sed 's|.*/|/modules/|')
	have=$(sed -n 's/^  - \(\/modules\/[^ ]*\.ko\).*/\1/p' $here/config/init.yaml)
	if [ "$want" = "$have" ]; then
		pass module-list
	else
		fail module-list "init.yaml's kernel_modules differ from the kernel's load order" \
			"$(diff <(echo "$have") <(echo "$want"))"
		return 1
	fi
}

# The root file system the image switches into: busybox, initctl (as
# built for base: the changed build's differs only in init), nsmpcr, the
# guest checks.
rootfs() {
	local r=$B/rootfs a
	rm -rf "$r"
	mkdir -p "$r"/{bin,nitrotest} || return 1
	cp "$(command -v busybox)" "$r/bin/busybox" || return 1
	for a in $("$r/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
	done
	cp "$B/build-base/initctl" "$B/nsmpcr" "$r/bin/" &&
		install -m 0755 $here/guest.sh "$r/nitrotest/guest.sh"
}

# eif VARIANT OUT: build the EIF of one configuration; its measurements
# (mkeif.py --json) in OUT.json
eif() {
	local v=$1 o=$2 m args=() cmd=(/bin/sh /nitrotest/guest.sh)
	for m in $(modules); do
		args+=(--boot-file "$m:/modules/${m##*/}:0644")
	done
	$has_attest && cmd+=("$NONCE")
	"$PY" tools/mkeif.py -o "$o" --kernel "$B/kernel/vmlinuz" --cmdline "$CMDLINE" \
		--init "$B/build-$v/init" --nsm "$B/kernel/modules/nsm.ko" "${args[@]}" \
		--rootfs "$B/rootfs" --json -- "${cmd[@]}" > "$o.json"
}

# pcr FILE.json N: PCRn of mkeif.py's --json output
pcr() {
	"$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["Measurements"]["PCR" + sys.argv[2]])' "$1" "$2"
}

eifs() {
	local t0 out n
	t0=$(now_ms)
	for v in base changed; do
		if ! out=$(eif $v "$B/$v.eif" 2>&1); then
			fail eif "tools/mkeif.py ($v) failed" "$out"
			return 1
		fi
	done
	info "eif: built base.eif ($(($(stat -c %s "$B/base.eif") / 1024)) KiB) and changed.eif in $(secs $(($(now_ms) - t0)))"
	pass eif

	# the same inputs again, into another file
	if ! out=$(eif base "$B/base-again.eif" 2>&1); then
		fail eif-reproducible "tools/mkeif.py (base, again) failed" "$out"
	elif ! cmp -s "$B/base.eif" "$B/base-again.eif"; then
		fail eif-reproducible "two builds of the same inputs differ" "$(cmp "$B/base.eif" "$B/base-again.eif")"
	elif ! cmp -s "$B/base.eif.json" "$B/base-again.eif.json"; then
		fail eif-reproducible "two builds of the same inputs print different PCRs" "$(diff "$B/base.eif.json" "$B/base-again.eif.json")"
	else
		pass eif-reproducible
		info "eif-reproducible: PCR0 $(pcr "$B/base.eif.json" 0) twice"
	fi
	rm -f "$B/base-again.eif"

	# one byte of init.yaml: init changes, so the first ramdisk does
	local same=() differ=()
	for n in 0 1 2; do
		if [ "$(pcr "$B/base.eif.json" $n)" = "$(pcr "$B/changed.eif.json" $n)" ]; then
			same+=("PCR$n")
		else
			differ+=("PCR$n")
		fi
	done
	if [ "${differ[*]}" = "PCR0 PCR1" ] && [ "${same[*]}" = PCR2 ]; then
		pass config-byte-changes-pcr0-pcr1-not-pcr2
	else
		fail config-byte-changes-pcr0-pcr1-not-pcr2 "changed: ${differ[*]:-none}; unchanged: ${same[*]:-none}"
	fi
}

# ---- one boot ----------------------------------------------------------------

excerpt() {
	grep -E 'init: |nitro_mmio|NITROTEST|Kernel panic|reboot: |BUG|Oops|Call Trace|nsm' "$1" | tail -n "${2:-25}"
}

# in_order FILE RE...: each regular expression matches a line after the
# previous one's; prints the first that does not
in_order() {
	local f=$1
	shift
	awk -v n=$# 'BEGIN { for (i = 1; i <= n; i++) re[i] = ARGV[i]; ARGC = 1; k = 1 }
		k <= n && $0 ~ re[k] { k++ }
		END { if (k <= n) { print re[k]; exit 1 } }' "$@" < "$f"
}

# What the kernel says once PID 1 powered off: without ACPI (the machine
# has none) "reboot: Power off not available: System halted instead".
HALTED='reboot: (Power down|System halted|Power off not available)'

# qemu_boot BOOT: boot BOOT's EIF with the vsock stub; QEMU is killed once
# the console says the machine halted (without ACPI a power-off leaves it
# running). Sets rc, wall_ms, first_ms (host clock from QEMU's start to
# init's first "Starting service"), halted.
qemu_boot() {
	local boot=$1 raw=$B/console-$boot.log.raw sock=$B/vsock-$boot.sock t0 i
	rm -f "$raw" "$sock" "$B/stub-$boot.log"
	"$PY" $here/vhost_user_stub.py "$sock" --log "$B/stub-$boot.log" &
	stub=$!
	for i in $(seq 50); do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	t0=$(now_ms)
	timeout -k 5 "$TMO" "$QEMU" -M nitro-enclave,vsock=vsock0 -accel tcg -m 512M \
		-chardev socket,id=vsock0,path="$sock" \
		-nodefaults -nographic -no-reboot -monitor none -serial "file:$raw" \
		-L "$B/qemu/firmware" -kernel "$B/$boot.eif" < /dev/null > "$B/qemu-$boot.out" 2>&1 &
	qpid=$!
	first_ms="" halted=false
	while kill -0 $qpid 2>/dev/null; do
		if [ -z "$first_ms" ] && grep -q 'init: .*Starting service' "$raw" 2>/dev/null; then
			first_ms=$(($(now_ms) - t0))
		fi
		if grep -qE "$HALTED" "$raw" 2>/dev/null; then
			halted=true
			kill $qpid 2>/dev/null
			break
		fi
		sleep 0.1
	done
	wait $qpid
	rc=$?
	wall_ms=$(($(now_ms) - t0))
	# the stub ends when QEMU closes the connection; if QEMU never made one
	kill $stub 2>/dev/null
	wait $stub 2>/dev/null
	qpid="" stub=""
	tr -d '\r' < "$raw" > "$B/console-$boot.log"
}

# guest_check BOOT NAME: the guest's own result for NAME
guest_check() {
	local boot=$1 name=$2 con=$B/console-$1.log why
	if grep -qx "NITROTEST PASS $name" "$con"; then
		pass "$boot: $name"
	elif why=$(grep -m1 "^NITROTEST FAIL $name: " "$con"); then
		fail "$boot: $name" "${why#NITROTEST FAIL "$name": }" \
			"$(awk -v n="$name" 'index($0, "NITROTEST FAIL " n ": ") == 1 { on = 1; next }
				on && /^NITROTEST \| / { sub(/^NITROTEST \| /, ""); print; next }
				on && /^NITROTEST / { exit }' "$con")"
	else
		fail "$boot: $name" "no result on the console (the guest script never got there)" "$(excerpt "$con")"
	fi
}

run_boot() {
	local boot=$1 con=$B/console-$1.log re n want got up first devs announced out
	qemu_boot "$boot"
	up=$(sed -n 's/^\[ *\([0-9.]*\)\] reboot: .*/\1 s/p' "$con" | head -1)
	info "$boot: QEMU ran $(secs "$wall_ms") wall (killed at the halt: $halted, status $rc); guest uptime at the halt: ${up:-(none)}"

	# the machine
	if $halted; then
		pass "$boot: qemu-boot-and-halt"
	elif [ $rc = 124 ] || [ $rc = 137 ]; then
		fail "$boot: qemu-boot-and-halt" "no halt after ${TMO}s (killed)" "$(cat "$B/qemu-$boot.out"; excerpt "$con")"
	else
		fail "$boot: qemu-boot-and-halt" "QEMU ended with status $rc before the console said it halted" \
			"$(cat "$B/qemu-$boot.out"; tail -5 "$B/stub-$boot.log" 2>/dev/null; excerpt "$con")"
	fi
	if grep -q 'Kernel panic' "$con"; then
		fail "$boot: no-panic" "the kernel panicked" "$(grep -A 3 'Kernel panic' "$con" | head -8)"
	else
		pass "$boot: no-panic"
	fi

	# the helper module registered exactly what QEMU announced on the
	# command line (the kernel prints it at boot)
	announced=$(grep -m1 'Command line:' "$con" | grep -oE 'virtio_mmio\.device=[^ ]+' | sort)
	devs=$(sed -n 's/.*nitro_mmio: \(virtio_mmio\.device=[^ ]*\) .*/\1/p' "$con" | sort)
	if [ -n "$announced" ] && [ "$announced" = "$devs" ]; then
		pass "$boot: mmio-devices"
	else
		fail "$boot: mmio-devices" "the devices nitro_mmio registered are not those on the command line" \
			"$(echo "announced: $announced" | tr '\n' ' '; echo; echo "registered: $devs" | tr '\n' ' '; echo; excerpt "$con" 10)"
	fi

	# init loaded kernel_modules in order (the helper's own lines first),
	# then the real NSM driver, then the app ran
	local mods=() m
	for m in $(modules); do
		mods+=("\\] init: kernel module /modules/${m##*/} loaded")
	done
	if re=$(in_order "$con" 'nitro_mmio: virtio_mmio\.device=' "${mods[@]}"); then
		pass "$boot: kernel-modules-loaded-by-init"
	else
		fail "$boot: kernel-modules-loaded-by-init" "nothing matched /$re/ in order" "$(excerpt "$con")"
	fi
	if re=$(in_order "$con" "${mods[-1]}" '\] init: NSM driver nsm\.ko loaded' 'NITROTEST START'); then
		pass "$boot: nsm-loaded-by-init"
	else
		fail "$boot: nsm-loaded-by-init" "nothing matched /$re/ in order" "$(excerpt "$con")"
	fi
	# init's entropy step met entropy.require_hwrng: nsm-hwrng (services
	# started), and its worker credited the NSM's bytes (a blocking read of
	# the device, so in a child, and reported whenever it is done)
	if re=$(in_order "$con" '\] init: NSM driver nsm\.ko loaded' '\] init: Starting service') &&
		re=$(in_order "$con" '\] init: NSM driver nsm\.ko loaded' \
			'\] init: entropy: credited [1-9][0-9]* bytes of /dev/hwrng \(nsm-hwrng\)'); then
		pass "$boot: entropy-nsm-hwrng"
	else
		fail "$boot: entropy-nsm-hwrng" "nothing matched /$re/ in order" "$(grep -E 'init: .*entropy|init: Starting' "$con" | head)"
	fi
	for n in first-service dev-nsm hwrng entropy-status memory-max pcrs-read; do
		guest_check "$boot" "$n"
	done

	# PCR0/1/2 as the NSM reports them in the guest, against mkeif.py's
	for n in 0 1 2; do
		want=$(pcr "$B/$boot.eif.json" $n)
		got=$(sed -n "s/^NITROTEST PCR$n \([0-9a-f]*\)\$/\1/p" "$con" | head -1)
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			pass "$boot: pcr$n-equals-prediction"
		else
			fail "$boot: pcr$n-equals-prediction" "the NSM reports ${got:-nothing}, mkeif.py predicted ${want:-nothing}"
		fi
	done

	# ---- initctl attest ---------------------------------------------------
	# When initctl has attest, the guest passes the decoded document between
	# NITROTEST ATTEST-BEGIN/END: the nonce must come back and its PCRs must
	# equal the prediction.
	if $has_attest; then
		guest_check "$boot" attest
		sed -n '/^NITROTEST ATTEST-BEGIN$/,/^NITROTEST ATTEST-END$/p' "$con" | sed '1d;$d' > "$B/attest-$boot.json"
		if out=$("$PY" $here/check_attest.py "$B/attest-$boot.json" "$B/$boot.eif.json" "$NONCE" 2>&1); then
			pass "$boot: attest-nonce-and-pcrs"
		else
			fail "$boot: attest-nonce-and-pcrs" "$(echo "$out" | tail -1)" "$(head -c 2000 "$B/attest-$boot.json")"
		fi
	fi
	# -------------------------------------------------------------------------

	# the app ran to its end and init powered the machine off
	if re=$(in_order "$con" 'NITROTEST START' 'NITROTEST DONE' '\] init: .*powering off' "$HALTED"); then
		pass "$boot: app-ran-and-power-off"
	else
		fail "$boot: app-ran-and-power-off" "nothing matched /$re/ in order" "$(excerpt "$con")"
	fi

	# init's own errors, for the record (they are not this tier's checks)
	grep -E '\] init: error: ' "$con" | sed "s/^/INFO nitro: $boot: init logged: /"
	first=$(sed -n 's/^NITROTEST UPTIME first-service \([0-9.]*\)$/\1/p' "$con")
	info "$boot: boot to the first service: guest uptime ${first:-?} s at its start; host clock $( [ -n "$first_ms" ] && secs "$first_ms" || echo '?') from QEMU's start to init's first \"Starting service\" line"
}

# ---- run -----------------------------------------------------------------------

# If this script is stopped, so are the QEMU and the stub it started
# (timeout runs QEMU in a process group of its own).
qpid="" stub=""
trap '[ -z "$qpid" ] || kill $qpid 2>/dev/null; [ -z "$stub" ] || kill $stub 2>/dev/null' EXIT
trap 'exit 130' INT TERM
t_all=$(now_ms)
mkdir -p "$B" || exit 1
prereq || exit 0
step qemu $here/build-qemu.sh "$B/qemu" || exit 0
step kernel $here/fetch-kernel.sh "$B/kernel" || exit 0
step module $here/mmio/build.sh "$B/kernel" "$B/mmio" || exit 0
check_module_list || exit 0
build || exit 0
has_attest=true # the attestation checks (initctl attest) always run
if ! rootfs; then
	fail rootfs "cannot lay out $B/rootfs"
	exit 0
fi
eifs || exit 0
for b in "${boots[@]}"; do
	case $b in
	base | changed) run_boot "$b" ;;
	*)
		echo "tests/nitro/run.sh: unknown boot $b (base, changed)" >&2
		exit 2
		;;
	esac
done
info "the whole tier took $(secs $(($(now_ms) - t_all)))"
