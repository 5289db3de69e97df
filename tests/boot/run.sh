#!/bin/bash
# Boot tests: init as PID 1 of a real kernel (Debian's cloud kernel under
# QEMU, TCG), with every enclave step switched on.
#
# Builds init and initctl from tests/boot/config/, the test shim
# tests/boot/hbinit.c, a busybox root file system (/rootfs) holding initctl
# and tests/boot/guest.sh, fetches the kernel (tests/boot/fetch-kernel.sh),
# then boots three times with initramfs images laid out as nitro-cli does
# (tools/mkinitramfs.py):
#
#   full    heartbeat answered, /cmd + /env, every guest check, shutdown
#           with a service that ignores SIGTERM; readiness (notify, oneshot,
#           a health check); health --json, events and metrics read over
#           VSOCK in the guest and checked on the host (host_checks.py: JSON,
#           promtool), carried out on the guest's second serial port
#   noenv   no /env, nothing listening for the heartbeat (refused at once)
#   silent  the heartbeat connection is accepted and never answered: init's
#           heartbeat timeout must end the wait and boot go on; its init
#           keeps control.vsock_local_allow's default (nothing), so a VSOCK
#           peer inside the guest is refused
#   norng   entropy.require_hwrng names an RNG the VM lacks: no service
#   clock   the VM's clock starts an hour behind (QEMU -rtc base); init's
#           clock.source is a time-serve inside the guest serving the host's
#           time: the clock converges, each step within clock.max_step_ms;
#           liars ahead and behind move it no more than the bounds allow
#
# Prints one line per check, "PASS boot: <boot>: <check>" or "FAIL boot:
# <boot>: <check>: <why>" (console excerpts on following indented lines),
# and "INFO boot: ..." lines with each boot's wall time (information only:
# no check depends on time). Consoles are kept in $BUILD/console-<boot>.log.
#
# Environment: BOOT_BUILD (build/boot), BOOT_TIMEOUT (seconds per boot, 180),
# QEMU (qemu-system-x86_64). Usage: tests/boot/run.sh [BOOT...]
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
export LC_ALL=C
here=tests/boot
B=${BOOT_BUILD:-build/boot}
TMO=${BOOT_TIMEOUT:-180}
QEMU=${QEMU:-qemu-system-x86_64}
PY=${PYTHON:-$(tools/find-python 2>/dev/null)}
boots=("$@")
[ ${#boots[@]} -gt 0 ] || boots=(full noenv silent norng clock)

pass() { echo "PASS boot: $1"; }
fail() {  # fail NAME WHY [EXCERPT]: the excerpt indented below
	echo "FAIL boot: $1: $2"
	[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/    /'
	return 0
}
info() { echo "INFO boot: $*"; }

# ---- what the boots need ---------------------------------------------------

prereq() {
	local miss=""
	command -v "$QEMU" >/dev/null || miss="$miss $QEMU (Debian: apt-get install --no-install-recommends qemu-system-x86);"
	if ! command -v busybox >/dev/null; then
		miss="$miss busybox (Debian: busybox-static);"
	elif readelf -lW "$(command -v busybox)" 2>/dev/null | grep -q INTERP; then
		miss="$miss a static busybox ($(command -v busybox) is dynamic; Debian: busybox-static);"
	fi
	command -v musl-gcc >/dev/null || miss="$miss musl-gcc (musl-tools);"
	[ -n "$PY" ] || miss="$miss a python3 for tools/mkinitramfs.py;"
	command -v timeout >/dev/null || miss="$miss timeout (coreutils);"
	if [ -n "$miss" ]; then
		fail prerequisites "missing:${miss%;}"
		return 1
	fi
	pass prerequisites
}

build() {
	local out
	if ! out=$(make -s CONFIG=$here/config/init.yaml BUILD="$B" all 2>&1); then
		fail build "make CONFIG=$here/config/init.yaml BUILD=$B failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	# norng: the same configuration, but entropy.require_hwrng: nsm-hwrng,
	# which Debian's kernel under QEMU does not have
	rm -rf "$B/norng-config" && cp -r $here/config "$B/norng-config" &&
		printf 'entropy:\n  require_hwrng: nsm-hwrng\n' >> "$B/norng-config/init.yaml"
	if ! out=$(make -s CONFIG="$B/norng-config/init.yaml" BUILD="$B/norng" "$B/norng/init" 2>&1); then
		fail build "make CONFIG=$B/norng-config/init.yaml failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	# silent: the same, but control.vsock_local_allow left at its default
	rm -rf "$B/silent-config" && cp -r $here/config "$B/silent-config" &&
		sed -i '/^  vsock_local_allow:/d' "$B/silent-config/init.yaml"
	if ! out=$(make -s CONFIG="$B/silent-config/init.yaml" BUILD="$B/silent" "$B/silent/init" 2>&1); then
		fail build "make CONFIG=$B/silent-config/init.yaml failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	# the drain check's second init and its initctl (guest.sh c_drain_wait)
	if ! out=$(make -s CONFIG=$here/drain-config/init.yaml BUILD="$B/drain" "$B/drain/init" "$B/drain/initctl" 2>&1); then
		fail build "make CONFIG=$here/drain-config/init.yaml failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	# clock: the same, with a clock: section and a time server service
	rm -rf "$B/clock-config" && cp -r $here/config "$B/clock-config" &&
		cat $here/config/clock.yaml >> "$B/clock-config/init.yaml" &&
		printf 'ExecStart = "/bin/sh /boottest/timeserve.sh"\nRestart = "always"\n' > "$B/clock-config/services/timeserve.service"
	if ! out=$(make -s CONFIG="$B/clock-config/init.yaml" BUILD="$B/clock" "$B/clock/init" 2>&1); then
		fail build "make CONFIG=$B/clock-config/init.yaml failed" "$(echo "$out" | tail -20)"
		return 1
	fi
	if ! out=$(musl-gcc -static -Os -std=c11 -Wall -Wextra -Werror -o "$B/hbinit" $here/hbinit.c 2>&1); then
		fail build "tests/boot/hbinit.c does not build" "$(echo "$out" | tail -20)"
		return 1
	fi
	if ! out=$(musl-gcc -static -Os -std=c11 -Wall -Wextra -Werror -o "$B/vhold" $here/vhold.c 2>&1); then
		fail build "tests/boot/vhold.c does not build" "$(echo "$out" | tail -20)"
		return 1
	fi
	if ! out=$(musl-gcc -static -Os -std=c11 -Wall -Wextra -Werror -o "$B/notifier" $here/notifier.c 2>&1); then
		fail build "tests/boot/notifier.c does not build" "$(echo "$out" | tail -20)"
		return 1
	fi
	pass build
}

kernel() {
	local out
	if ! out=$($here/fetch-kernel.sh "$B/kernel" 2>&1); then
		fail kernel "cannot get Debian's cloud kernel" "$out"
		return 1
	fi
	info "$out"
	pass kernel
}

# load_order MODULE...: the modules' files, each after what it depends on
# (depends= of its .modinfo), each once
load_order() {
	local m d f seen=" "
	_lo() {
		f=$B/kernel/modules/$1
		[ -f "$f.ko" ] || f=$B/kernel/modules/${1//_/-}
		[ -f "$f.ko" ] || { echo "MISSING:$1"; return; }
		case $seen in *" $f "*) return ;; esac
		for d in $(tr ',' ' ' < "$f.depends"); do
			_lo "$d"
		done
		f=$B/kernel/modules/$1
		[ -f "$f.ko" ] || f=$B/kernel/modules/${1//_/-}
		seen="$seen$f "
		echo "$f.ko"
	}
	for m in "$@"; do _lo "$m"; done
}

# The root file system the image switches into: busybox, initctl, the
# guest checks, an expected environment per boot, a marker.
rootfs() {
	local r=$B/rootfs a
	rm -rf "$r"
	mkdir -p "$r"/{bin,etc,boottest,dev,proc,sys,run,tmp} || return 1
	cp "$(command -v busybox)" "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
	done
	cp "$B/initctl" "$r/bin/initctl"
	cp "$B/vhold" "$r/bin/vhold"
	cp "$B/notifier" "$r/bin/notifier"
	cp "$B/drain/initctl" "$r/bin/initctl-drain"
	mkdir -p "$r/boottest/drain"
	cp "$B/drain/init" "$r/boottest/drain/init"
	cp $here/guest.sh $here/guest_clock.sh $here/timeserve.sh "$r/boottest/"
	chmod 755 "$r/boottest/guest.sh" "$r/boottest/timeserve.sh"
	echo "this is the image's /rootfs" > "$r/etc/boottest-rootfs"
	# The image's users, for lowpriv.service (User=nobody) and ghostuser
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
	printf 'root:x:0:\nkmem:x:15:nobody\nnogroup:x:65534:\n' > "$r/etc/group"
	# An image may have its own file where init sits in the initramfs
	# (s6-overlay images ship /init): a reload must never execute it.
	mkdir -p "$r/sbin"
	printf '#!/bin/sh\necho "IMPOSTOR: the image'"'"'s /sbin/enclave-init ran as PID $$" > /dev/console\nexec sleep 100000\n' > "$r/sbin/enclave-init"
	chmod 755 "$r/sbin/enclave-init"
	printf 'BOOTTEST_TOKEN=a=b=c\nEMPTY=\nGREETING=hello from /env\n' > "$B/env-full"
	cp "$B/env-full" "$r/boottest/env.expected.full"
	cp "$B/env-full" "$r/boottest/env.expected.silent"
	: > "$r/boottest/env.expected.noenv"
}

# ---- one boot ----------------------------------------------------------------

# image BOOT: the initramfs of one boot, as nitro-cli lays an EIF out: /init
# (here the shim, which execs init from /sbin/enclave-init), /nsm.ko (the
# vsock loopback transport), /rootfs, /cmd, /env.
image() {
	local boot=$1 conf=$B/hbinit-$boot.conf m mods args=()
	# vsock_loopback's dependencies, then pvpanic (a panic then ends QEMU
	# with a failure status); vsock_loopback itself is /nsm.ko
	mods=$(load_order vsock_loopback pvpanic_mmio)
	case $mods in *MISSING:*) echo "module missing: $mods"; return 1 ;; esac
	{
		for m in $mods; do
			case $m in
			*/vsock_loopback.ko) ;;
			*) echo "module=/hbinit/${m##*/}"; args+=(--file "$m:/hbinit/${m##*/}:0644") ;;
			esac
		done
		case $boot in
		full) echo "responder=echo" ;;
		silent) echo "responder=silent" ;;
		*) echo "responder=none" ;;
		esac
		echo "port=9000"
		echo "exec=/sbin/enclave-init"
	} > "$conf"
	case $boot in
	full|silent) args+=(--env-file "$B/env-full") ;;
	esac
	"$PY" tools/mkinitramfs.py -o "$B/initramfs-$boot.cpio" --init "$B/hbinit" \
		--nsm "$B/kernel/modules/vsock_loopback.ko" --rootfs "$B/rootfs" \
		--file "$conf:/hbinit.conf:0644" --file "$(init_of "$boot"):/sbin/enclave-init:0755" "${args[@]}" \
		-- /bin/sh /boottest/guest.sh "$boot" "two words  and spaces"
}

# init_of BOOT: the init a boot runs (norng's insists on a hardware RNG)
init_of() {
	case $1 in
	norng) echo "$B/norng/init" ;;
	clock) echo "$B/clock/init" ;;
	silent) echo "$B/silent/init" ;;
	*) echo "$B/init" ;;
	esac
}

# console excerpt: the lines that say what happened
excerpt() {
	grep -E 'init: |hbinit: |BOOTTEST|Kernel panic|reboot: |BUG|Oops|Call Trace' "$1" | tail -n "${2:-25}"
}

# in_order FILE RE...: each regular expression matches a line after the
# previous one's; prints the first that does not
in_order() {
	local f=$1; shift
	awk -v n=$# 'BEGIN { for (i = 1; i <= n; i++) re[i] = ARGV[i]; ARGC = 1; k = 1 }
		k <= n && $0 ~ re[k] { k++ }
		END { if (k <= n) { print re[k]; exit 1 } }' "$@" < "$f"
}

GUEST_COMMON="pid1 cmd-args environment mounts mount-modes dev-symlinks cgroups switch-root
	nsm-module loopback entropy unix-ping services-running app-is-service vsock-read"
GUEST_FULL="service-env-and-logs readiness readiness-order health-vsock events-vsock metrics-vsock
	vsock-initctl-yaml vsock-services-allowed vsock-policy-refuses vsock-policy-processes logs-stream-unix
	logs-stream-vsock logs-stream-follow-two logs-stream-stalled-reader reload-after-switch-root vsock-cannot-lock-out-unix
	least-privilege privilege-drop-fails containment drain-wait"

run_boot() {
	local boot=$1 con raw t0 t1 rc ms name why re out up
	con=$B/console-$boot.log
	[ "$boot" = norng ] && { run_norng; return; }
	if ! out=$(image "$boot" 2>&1); then
		fail "$boot: image" "tools/mkinitramfs.py failed" "$out"
		return
	fi
	raw=$con.raw
	data=$B/ttyS1-$boot.log  # the guest's second serial port: documents for host_checks.py
	rm -f "$data"
	t0=$(date +%s%N)
	timeout -k 5 "$TMO" "$QEMU" -accel tcg -m 256 -nodefaults -nographic -no-reboot \
		-monitor none -serial "file:$raw" -serial "file:$data" \
		-kernel "$B/kernel/vmlinuz" -initrd "$B/initramfs-$boot.cpio" \
		-append "console=ttyS0 panic=-1 quiet" \
		-device pvpanic -action panic=exit-failure < /dev/null > "$B/qemu-$boot.out" 2>&1
	rc=$?
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	tr -d '\r' < "$raw" > "$con"
	up=$(sed -n 's/^\[ *\([0-9.]*\)\] reboot: Power down.*/\1 s/p' "$con" | head -1)
	info "$boot: QEMU ran $((ms / 1000)).$(printf %03d $((ms % 1000)) | cut -c1) s wall, exit status $rc; guest uptime at power-down: ${up:-(no power-down)}"

	# the machine
	case $rc in
	0) pass "$boot: qemu-exit" ;;
	124|137) fail "$boot: qemu-exit" "QEMU still ran after ${TMO}s (killed)" "$(excerpt "$con")" ;;
	*) fail "$boot: qemu-exit" "QEMU exit status $rc (1: pvpanic saw a panic)" "$(cat "$B/qemu-$boot.out"; excerpt "$con")" ;;
	esac
	if grep -q 'Kernel panic' "$con"; then
		fail "$boot: no-panic" "the kernel panicked" "$(grep -A 3 'Kernel panic' "$con" | head -8)"
	else
		pass "$boot: no-panic"
	fi
	if re=$(in_order "$con" '\] init: ' 'init: .*powering off' 'reboot: Power down'); then
		pass "$boot: power-off"
	else
		fail "$boot: power-off" "no clean power-off: nothing matched /$re/ in order" "$(excerpt "$con")"
	fi
	if re=$(in_order "$con" 'hbinit: started as PID 1' 'hbinit: exec /sbin/enclave-init' '\] init: '); then
		pass "$boot: init-is-pid1"
	else
		fail "$boot: init-is-pid1" "no init log line after the shim's exec: nothing matched /$re/" "$(excerpt "$con")"
	fi

	# the guest's own checks
	for name in $GUEST_COMMON $( [ "$boot" = full ] && echo "$GUEST_FULL" ); do
		if grep -qx "BOOTTEST PASS $name" "$con"; then
			pass "$boot: $name"
			grep "^BOOTTEST INFO $name: " "$con" | sed "s/^BOOTTEST INFO /INFO boot: $boot: /"
		elif why=$(grep -m1 "^BOOTTEST FAIL $name: " "$con"); then
			fail "$boot: $name" "${why#BOOTTEST FAIL $name: }" \
				"$(awk -v n="$name" 'index($0, "BOOTTEST FAIL " n ": ") == 1 { on = 1; next }
					on && /^BOOTTEST \| / { sub(/^BOOTTEST \| /, ""); print; next }
					on && /^BOOTTEST / { exit }' "$con")"
		else
			fail "$boot: $name" "no result on the console (the guest script never got there)"
		fi
	done
	# what the guest read over VSOCK, checked here as a parent would
	[ "$boot" = full ] && "$PY" $here/host_checks.py "$boot" "$data"
	if grep -qx "BOOTTEST DONE $boot" "$con"; then
		pass "$boot: guest-done"
	else
		fail "$boot: guest-done" "the guest script did not finish" "$(excerpt "$con")"
	fi

	# the heartbeat and the initramfs root, as hbinit's responder saw them
	# init's NSM step loaded /nsm.ko (vsock_loopback) and removed it before
	# the heartbeat
	if re=$(in_order "$con" 'hbinit: exec /sbin/enclave-init' 'init: .*(NSM|nsm).*loaded' 'init: .*heartbeat'); then
		pass "$boot: nsm-loaded"
	else
		fail "$boot: nsm-loaded" "no init line saying /nsm.ko was loaded before the heartbeat: nothing matched /$re/" "$(excerpt "$con")"
	fi
	# lo was up before the first service started
	if re=$(in_order "$con" 'init: loopback: lo up' 'init: Starting service '); then
		pass "$boot: loopback-before-services"
	else
		fail "$boot: loopback-before-services" "init did not bring lo up before the first service: nothing matched /$re/" "$(excerpt "$con")"
	fi
	case $boot in
	full)
		# (init's line and the responder's last one may come in either order)
		if re=$(in_order "$con" 'hbinit: responder: echo, listening' \
			'hbinit: responder: connection from CID 1 .*/nsm.ko is gone' \
			'hbinit: responder: got 0xb7, echoed it'); then
			if grep -qE 'init: (error|warning): .*heartbeat' "$con" || ! grep -qE '\] init: .*heartbeat' "$con"; then
				fail "$boot: heartbeat-0xb7" "the responder echoed 0xb7 but init logged a heartbeat error or nothing" \
					"$(grep -E 'heartbeat|hbinit: responder' "$con")"
			else
				pass "$boot: heartbeat-0xb7"
			fi
		else
			fail "$boot: heartbeat-0xb7" "the responder did not see the heartbeat byte: nothing matched /$re/" "$(excerpt "$con")"
		fi
		;;
	noenv)
		# nothing listens: the connection is refused; init must say so and go on
		if re=$(in_order "$con" 'hbinit: responder: none' \
			'\] init: .*heartbeat.*(fail|error|refused|reset|timed out|timeout|no answer|unexpected)' '^BOOTTEST START'); then
			pass "$boot: heartbeat-failure-logged"
		else
			fail "$boot: heartbeat-failure-logged" "no init line about the failed heartbeat, or the boot did not go on: nothing matched /$re/" "$(excerpt "$con")"
		fi
		;;
	silent)
		# accepted, never answered: only init's timeout ends the wait
		# (the responder's line and init's may share a console line: two
		# writers on one serial port interleave, so no order between them)
		if grep -q 'hbinit: responder: silent: holding' "$con" &&
			re=$(in_order "$con" '\] init: .*heartbeat.*(timed out|timeout|no answer)' '^BOOTTEST START'); then
			pass "$boot: heartbeat-timeout-logged"
		else
			fail "$boot: heartbeat-timeout-logged" "no init line about the heartbeat timing out, or the boot did not go on: nothing matched /$re/" "$(excerpt "$con")"
		fi
		info "$boot: $(grep -m1 -E '\] init: .*heartbeat' "$con") (NSM line at $(grep -m1 -oE '^\[[0-9: -]+\] init: .*(NSM|nsm).*loaded' "$con" | cut -c2-20))"
		;;
	esac
	if grep -q 'hbinit: initramfs root after boot: /nsm.ko gone, /cmd gone, /env gone' "$con"; then
		pass "$boot: initramfs-files-removed"
	else
		fail "$boot: initramfs-files-removed" "/nsm.ko, /cmd or /env still in the initramfs root" "$(grep 'hbinit: ' "$con")"
	fi

	# shutdown after the app exited: stop in reverse order, the stubborn
	# service killed after its TimeoutStopSec, then power off
	if [ "$boot" = full ]; then
		if re=$(in_order "$con" '^BOOTTEST DONE' 'init: .*guest.*(exited|stopped)' 'init: .*shutting down' \
			'init: .*[Ss]top.* stubborn' 'init: .*stubborn.*SIGKILL' 'init: .*stubborn.*(stopped|killed|signal 9)' \
			'init: .*powering off' 'reboot: Power down'); then
			pass "$boot: stubborn-killed"
		else
			fail "$boot: stubborn-killed" "nothing matched /$re/ in order" "$(sed -n '/^BOOTTEST DONE/,$p' "$con" | excerpt /dev/stdin 30)"
		fi
		info "$boot: $(grep -m1 -E 'init: .*Stopping service stubborn' "$con" | cut -c1-21) SIGTERM to stubborn, $(grep -m1 -E 'init: .*stubborn.*SIGKILL' "$con" | cut -c1-21) SIGKILL (TimeoutStopSec = 2)"
		# web comes first (the others are After it), so it stops last
		if re=$(in_order "$con" 'init: .*shutting down' 'init: .*Service (stubborn|chatty|ticker) stopped' \
			'init: .*Service (stubborn|chatty|ticker) stopped' 'init: .*Service (stubborn|chatty|ticker) stopped' \
			'init: .*Stopping service web' 'init: .*powering off'); then
			pass "$boot: stop-order"
		else
			fail "$boot: stop-order" "web did not stop after the services ordered after it: nothing matched /$re/" \
				"$(sed -n '/init: .*shutting down/,$p' "$con" | grep -E 'init: ' | head -20)"
		fi
	fi
}

# norng: entropy.require_hwrng names an RNG the VM lacks: init refuses to
# start any service (the app included) and powers the VM off.
run_norng() {
	local con=$B/console-norng.log rc re out
	if ! out=$(image norng 2>&1); then
		fail "norng: image" "tools/mkinitramfs.py failed" "$out"
		return
	fi
	timeout -k 5 "$TMO" "$QEMU" -accel tcg -m 256 -nodefaults -nographic -no-reboot \
		-monitor none -serial "file:$con.raw" -kernel "$B/kernel/vmlinuz" -initrd "$B/initramfs-norng.cpio" \
		-append "console=ttyS0 panic=-1 quiet" -device pvpanic -action panic=exit-failure \
		< /dev/null > "$B/qemu-norng.out" 2>&1
	rc=$?
	tr -d '\r' < "$con.raw" > "$con"
	if [ "$rc" = 0 ]; then pass "norng: qemu-exit"; else fail "norng: qemu-exit" "QEMU exit status $rc" "$(excerpt "$con")"; fi
	if re=$(in_order "$con" "init: .*entropy: the hardware RNG is 'none', not 'nsm-hwrng' \\(entropy.require_hwrng\\): no service starts" \
		'init: .*powering off' 'reboot: Power down'); then
		pass "norng: refused-and-powered-off"
	else
		fail "norng: refused-and-powered-off" "nothing matched /$re/ in order" "$(excerpt "$con")"
	fi
	if grep -qE 'init: Starting service |BOOTTEST ' "$con"; then
		fail "norng: no-service-started" "a service started without the required RNG" "$(grep -E 'init: Starting service |BOOTTEST ' "$con" | head -5)"
	else
		pass "norng: no-service-started"
	fi
}

# clock: the VM starts an hour behind the host (-rtc base); the host's time
# at QEMU's start goes in on the kernel command line (clock_epoch=) for the
# guest's time server. The guest checks convergence and the liars
# (guest_clock.sh); here every step init logged is checked against the
# bounds of tests/boot/config/clock.yaml, and the wall clock the guest
# reported once synced against the host's.
run_clock() {
	local con=$B/console-clock.log rc re out epoch rtc end wall steps bad name why
	if ! out=$(image clock 2>&1); then
		fail "clock: image" "tools/mkinitramfs.py failed" "$out"
		return
	fi
	epoch=$(date -u +%s)
	rtc=$(date -u -d "@$((epoch - 3600))" +%Y-%m-%dT%H:%M:%S)
	timeout -k 5 "$TMO" "$QEMU" -accel tcg -m 256 -nodefaults -nographic -no-reboot -rtc "base=$rtc" \
		-monitor none -serial "file:$con.raw" -kernel "$B/kernel/vmlinuz" -initrd "$B/initramfs-clock.cpio" \
		-append "console=ttyS0 panic=-1 quiet clock_epoch=$epoch" -device pvpanic -action panic=exit-failure \
		< /dev/null > "$B/qemu-clock.out" 2>&1
	rc=$?
	end=$(date -u +%s)
	tr -d '\r' < "$con.raw" > "$con"
	if [ "$rc" = 0 ]; then pass "clock: qemu-exit"; else fail "clock: qemu-exit" "QEMU exit status $rc" "$(excerpt "$con")"; fi
	for name in clock-converged clock-liar-ahead clock-liar-behind; do
		if grep -qx "BOOTTEST PASS $name" "$con"; then
			pass "clock: $name"
			grep "^BOOTTEST INFO $name: " "$con" | sed "s/^BOOTTEST INFO /INFO boot: clock: /"
		elif why=$(grep -m1 "^BOOTTEST FAIL $name: " "$con"); then
			fail "clock: $name" "${why#BOOTTEST FAIL $name: }" "$(grep -A15 "^BOOTTEST FAIL $name: " "$con" | sed -n 's/^BOOTTEST | //p')"
		else
			fail "clock: $name" "no result on the console (the guest script never got there)" "$(excerpt "$con")"
		fi
	done
	# started an hour wrong: the first step found the source ~3600 s ahead
	if grep -m1 'init: clock: stepped' "$con" | grep -qE 'stepped \+900\.000 s \(offset \+3[0-9]{3}\.[0-9]{3} s, .*bounded by clock\.max_step_ms\)'; then
		pass "clock: started-an-hour-behind"
	else
		fail "clock: started-an-hour-behind" "init's first step is not +900 s of an offset of about an hour" "$(grep -m3 'init: clock: ' "$con")"
	fi
	# every step within its bound: forward 900 s, backward 2 s
	steps=$(grep -oE 'init: clock: stepped [-+][0-9]+\.[0-9]{3} m?s' "$con" | awk '{ print $4, $5 }')
	bad=$(printf '%s\n' "$steps" | awk 'NF { v = $1 + 0; if ($2 == "ms") v /= 1000; if (v > 900 || v < -2) print }')
	if [ -n "$steps" ] && [ -z "$bad" ]; then
		pass "clock: every-step-bounded"
		info "clock: $(printf '%s\n' "$steps" | grep -c .) steps logged, the largest forward $(printf '%s\n' "$steps" | sort -g | tail -1), back $(printf '%s\n' "$steps" | sort -g | head -1)"
	else
		fail "clock: every-step-bounded" "a step beyond clock.max_step_ms (900 s) or max_backward_ms (2 s), or none" "${bad:-no steps}"
	fi
	# once synced, the guest's wall clock is the host's (between the boot's
	# start and its end: an hour behind it would not be)
	wall=$(sed -n 's/^BOOTTEST CLOCK-WALL \([0-9]*\)$/\1/p' "$con" | head -1)
	if [ -n "$wall" ] && [ "$wall" -ge "$epoch" ] && [ "$wall" -le "$end" ]; then
		pass "clock: wall-clock-is-the-hosts"
	else
		fail "clock: wall-clock-is-the-hosts" "the guest's synced wall clock ${wall:-(none)} is not within the boot ($epoch..$end)"
	fi
	if re=$(in_order "$con" '^BOOTTEST DONE clock' 'init: .*powering off' 'reboot: Power down'); then
		pass "clock: power-off"
	else
		fail "clock: power-off" "nothing matched /$re/ in order" "$(excerpt "$con")"
	fi
}

# ---- run -----------------------------------------------------------------------

t_all=$(date +%s)
prereq || exit 0
build || exit 0
kernel || exit 0
if ! rootfs; then fail rootfs "cannot lay out $B/rootfs"; exit 0; fi
for b in "${boots[@]}"; do
	case $b in
	full|noenv|silent|norng) run_boot "$b" ;;
	clock) run_clock ;;
	*) echo "tests/boot/run.sh: unknown boot $b (full, noenv, silent, norng, clock)" >&2; exit 2 ;;
	esac
done
info "all boots and checks took $(( $(date +%s) - t_all )) s"
