#!/bin/sh
# tests/boot/guest.sh MODE [ARG]: the guest side of the boot tests.
#
# init runs this (busybox sh) as the enclave image's /cmd program, i.e. as
# the app service, after switching root into /rootfs. It checks what only
# the guest can see (mounts, the root, its own environment, initctl over
# the Unix socket and over VSOCK, log streams) and writes one line per
# check to /dev/console:
#
#   BOOTTEST PASS name
#   BOOTTEST FAIL name: why
#   BOOTTEST | excerpt line             (after a FAIL: what was seen)
#   BOOTTEST INFO name: text            (after a PASS: what a check saw; its
#                                        "info: " lines)
#
# then "BOOTTEST DONE" and exits 0: the app has ended, so init shuts the
# machine down (app.poweroff_on_exit). tests/boot/run.sh reads the console.
# In the full boot, the health, events and metrics documents read over
# VSOCK also go out on the second serial port, /dev/ttyS1 (see to_host),
# for tests/boot/host_checks.py on the host.
#
# MODE: full (the first boot: everything), noenv (a boot without /env and
# without a heartbeat responder). ARG: an argument with spaces, which
# /cmd (one argument per line) must have passed as one.

# Our environment as init gave it, before this shell adds anything.
PATH=/bin:/sbin
export PATH
environ=$(tr '\0' '\n' < /proc/$$/environ | sort)
mode=${1:-full}
arg=$2

exec 3>/dev/console
exec 2>&1
say() { echo "$*" >&3; echo "$*"; }
out=/tmp/boottest.out

# check NAME FUNCTION: run FUNCTION (its output to $out), PASS if it returns
# 0, else FAIL with its last line as the reason and the rest as excerpt.
check() {
	local _check=$1 _why
	shift
	"$@" > "$out" 2>&1
	if [ $? = 0 ]; then
		say "BOOTTEST PASS $_check"
		sed -n "s/^info: /BOOTTEST INFO $_check: /p" "$out" >&3
	else
		_why=$(tail -n 1 "$out")
		say "BOOTTEST FAIL $_check: ${_why:-failed}"
		sed '$d' "$out" | tail -n 15 | sed 's/^/BOOTTEST | /' >&3
	fi
}

ictl() { timeout 20 /bin/initctl "$@"; }
vctl() { timeout 20 /bin/initctl -p vsock --vsock-cid 1 --vsock-port 9001 "$@"; }

# state NAME: the ACTIVE column of `initctl list`
state() { ictl list | awk -v s="$1" '$1 == s { print $3 }'; }
# field NAME LABEL: one "  Label: value" line of `initctl status`
field() { ictl status "$1" | sed -n "s/^  $2: //p"; }

# wait_until SECONDS CMD...: poll CMD until it succeeds; 1 on timeout
wait_until() {
	local n=$(( $1 * 10 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# ---- what init set up -------------------------------------------------

c_pid1() {
	local comm
	comm=$(cat /proc/1/comm)
	[ "$comm" = enclave-init ] || { echo "PID 1 is '$comm', not enclave-init"; return 1; }
}

c_cmd_args() {
	[ "$arg" = "two words  and spaces" ] ||
		{ echo "argument 2 is '$arg', want 'two words  and spaces' (one /cmd line, one argument)"; return 1; }
}

c_environment() {
	local want
	want=$(sort "/boottest/env.expected.$mode" 2>/dev/null)
	[ "$environ" = "$want" ] && return 0
	echo "got:"; echo "$environ" | sed 's/^/  /'
	echo "want:"; echo "$want" | sed 's/^/  /'
	echo "the environment is not exactly the one from /env"
	return 1
}

# fstype MOUNTPOINT: the type of the top mount there
fstype() { awk -v m="$1" '$2 == m { t = $3 } END { print t }' /proc/mounts; }

c_mounts() {
	local bad="" mp want got
	for x in /dev:devtmpfs /proc:proc /sys:sysfs /run:tmpfs /tmp:tmpfs /dev/shm:tmpfs \
		/dev/pts:devpts /sys/fs/cgroup:tmpfs; do
		mp=${x%%:*} want=${x#*:}
		got=$(fstype "$mp")
		[ "$got" = "$want" ] || bad="$bad $mp(${got:-nothing}, want $want)"
	done
	[ -z "$bad" ] && return 0
	cat /proc/mounts
	echo "not mounted as expected:$bad"
	return 1
}

c_mount_modes() {
	local r c
	r=$(stat -c %a /run) c=$(stat -c %a /sys/fs/cgroup)
	[ "$r" = 755 ] && [ "$c" = 755 ] || { echo "/run is $r, /sys/fs/cgroup is $c (want 755)"; return 1; }
}

c_dev_symlinks() {
	local bad="" l want
	for x in fd:/proc/self/fd stdin:/proc/self/fd/0 stdout:/proc/self/fd/1 stderr:/proc/self/fd/2; do
		l=/dev/${x%%:*} want=${x#*:}
		[ "$(readlink "$l")" = "$want" ] || bad="$bad $l->$(readlink "$l")"
	done
	[ -z "$bad" ] || { echo "wrong or missing:$bad"; return 1; }
}

c_cgroups() {
	local n=0 bad="" name enabled
	# /proc/cgroups: subsys_name hierarchy num_cgroups enabled
	while read -r name _ _ enabled; do
		case $name in '#'*|'') continue ;; esac
		[ "$enabled" = 1 ] || continue
		n=$((n + 1))
		awk -v m="/sys/fs/cgroup/$name" -v c="$name" \
			'$2 == m && $3 == "cgroup" && ("," $4 ",") ~ ("," c ",") { f = 1 } END { exit !f }' \
			/proc/mounts || bad="$bad $name"
	done < /proc/cgroups
	[ $n -gt 0 ] || { echo "no enabled controller in /proc/cgroups"; return 1; }
	[ -z "$bad" ] && return 0
	cat /proc/cgroups; grep cgroup /proc/mounts
	echo "no cgroup hierarchy for:$bad"
	return 1
}

c_switch_root() {
	local root
	[ -f /etc/boottest-rootfs ] || { echo "/etc/boottest-rootfs missing: / is not the image's /rootfs"; return 1; }
	# (/sbin/enclave-init is in both: the image has an impostor there, see
	# c_reload_after_switch_root)
	for f in /init /hbinit.conf /nsm.ko /cmd /env /rootfs; do
		[ -e "$f" ] && { echo "$f is visible: the initramfs root is still /"; return 1; }
	done
	# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT ...
	root=$(awk '$5 == "/" { r = $4 } END { print r }' /proc/self/mountinfo)
	[ "$root" = /rootfs ] || { cat /proc/self/mountinfo; echo "the mount on / has root '$root', want /rootfs"; return 1; }
}

c_nsm_module() {
	grep -q '^vsock_loopback ' /proc/modules ||
		{ cat /proc/modules; echo "vsock_loopback (the image's /nsm.ko) is not loaded"; return 1; }
}

# init brought lo up at boot (loopback: true): IFF_UP set, and the kernel
# gave it 127.0.0.1, which a TCP listener there can be reached on.
c_loopback() {
	local flags
	flags=$(cat /sys/class/net/lo/flags) || { echo "no /sys/class/net/lo"; return 1; }
	[ $((flags & 1)) = 1 ] || { echo "lo is down (flags $flags)"; return 1; }
	busybox ip -4 addr show dev lo | grep -q 'inet 127\.0\.0\.1/' ||
		{ busybox ip -4 addr show dev lo; echo "lo has no 127.0.0.1"; return 1; }
	echo "info: lo flags $flags, 127.0.0.1/8"
}

# The services waited for the random pool, and system-status says so
# (Debian's kernel under QEMU has no hardware RNG: "none").
c_entropy() {
	local line
	line=$(ictl system-status | grep '^  Entropy: ') || { ictl system-status; echo "no Entropy line in system-status"; return 1; }
	echo "$line" | grep -qE '^  Entropy: (ready|gave-up) \(services waited [0-9]+ ms\), hardware RNG none$' ||
		{ echo "unexpected: $line"; return 1; }
	echo "info:${line#  }"
}

# ---- services and initctl over the Unix socket ------------------------

c_unix_ping() {
	ictl ping || { echo "initctl ping over the Unix socket failed"; return 1; }
}

c_services_running() {
	local bad=""
	for s in web chatty ticker stubborn guest; do
		wait_until 10 test "$(state $s)" = active || bad="$bad $s($(state $s))"
	done
	[ -z "$bad" ] && return 0
	ictl list
	echo "not active:$bad"
	return 1
}

c_service_env_and_logs() {
	ictl logs web -n 20 | grep -q 'web: up, GREETING=from-web' ||
		{ ictl logs web -n 20; echo "web's log lacks 'web: up, GREETING=from-web'"; return 1; }
	wait_until 10 sh -c '/bin/initctl logs hello -n 5 | grep -q "hello: done"' ||
		{ ictl logs hello -n 5; echo "hello's log lacks 'hello: done'"; return 1; }
}

c_app_is_service() {
	local pid
	pid=$(field guest PID)
	[ "$pid" = $$ ] || { ictl status guest; echo "initctl status guest: PID '$pid', this script is $$"; return 1; }
}

# ---- initctl over VSOCK (CID 1 inside the guest) ----------------------

# The silent boot's init keeps control.vsock_local_allow's default,
# nothing: a peer inside the guest (a service, whatever its User=) is
# refused over VSOCK, reads included, and told which key decides.
c_vsock_inside_refused() {
	local out
	out=$(vctl ping 2>&1) && { echo "$out"; echo "ping over VSOCK from inside the guest was answered"; return 1; }
	case $out in
	*"'ping' is not allowed over vsock from inside this machine"*"control.vsock_local_allow: nothing"*) ;;
	*) echo "$out"; echo "the refusal does not name control.vsock_local_allow"; return 1 ;;
	esac
	ictl ping > /dev/null || { echo "the Unix socket does not answer afterwards"; return 1; }
	echo "info: $(echo "$out" | tail -n 1)"  # (after initctl's warning: this init's configuration differs)
}

c_vsock_read() {
	local u v
	[ "$mode" = silent ] && { c_vsock_inside_refused; return; }
	vctl ping || { echo "initctl -p vsock ping failed"; return 1; }
	u=$(ictl list | awk 'NR > 1 { print $1 }')
	v=$(vctl list | awk 'NR > 1 { print $1 }')
	[ -n "$v" ] && [ "$u" = "$v" ] || { echo "unix list: $u"; echo "vsock list: $v"; echo "list over VSOCK differs"; return 1; }
	vctl status web | grep -q '^  PID: ' || { vctl status web; echo "status over VSOCK has no PID"; return 1; }
}

c_vsock_initctl_yaml() {
	local out
	printf 'protocol: vsock\nvsock_cid: 1\nvsock_port: 9001\n' > /tmp/initctl.yaml
	out=$(INITCTL_CONFIG=/tmp/initctl.yaml timeout 20 /bin/initctl list 2>&1) ||
		{ echo "$out"; echo "initctl with INITCTL_CONFIG (protocol: vsock, CID 1) failed"; return 1; }
	echo "$out" | grep -q '^web ' || { echo "$out"; echo "list through initctl.yaml has no web"; return 1; }
}

c_vsock_services_allowed() {
	local before after out
	before=$(field web PID)
	out=$(vctl restart web 2>&1) || { echo "$out"; echo "restart web over VSOCK failed"; return 1; }
	wait_until 10 sh -c "p=\$(/bin/initctl status web | sed -n 's/^  PID: //p'); [ -n \"\$p\" ] && [ \"\$p\" != '$before' ]" ||
		{ ictl status web; echo "web's PID is still $before after a restart over VSOCK"; return 1; }
	after=$(field web PID)
	echo "info: web restarted over VSOCK, PID $before -> $after"
	wait_until 10 test "$(state web)" = active || { echo "web not active after restart"; return 1; }
}

c_vsock_policy_refuses() {
	local op out rc
	for op in shutdown reboot; do
		out=$(vctl $op 2>&1); rc=$?
		[ $rc != 0 ] || { echo "$out"; echo "'$op' over VSOCK succeeded (exit 0)"; return 1; }
		case $out in
		*"control policy"*control.vsock_local_allow*) ;;
		*) echo "$out"; echo "'$op' over VSOCK: the refusal does not name the policy"; return 1 ;;
		esac
	done
	echo "info: $out"
	ictl ping >/dev/null || { echo "init no longer answers after the refusals"; return 1; }
}

# the processes group (ps start/stop/kill/restart) is not in the default
# control.vsock_allow; ps list and ps status are reads
c_vsock_policy_processes() {
	local out rc
	out=$(vctl ps list 2>&1) || { echo "$out" | head -5; echo "initctl -p vsock ps list (a read) failed"; return 1; }
	out=$(vctl ps start /bin/sleep 1000 2>&1); rc=$?
	[ $rc != 0 ] || { echo "$out"; echo "'ps start' over VSOCK succeeded (exit 0)"; return 1; }
	case $out in
	*"control policy"*control.vsock_local_allow*) ;;
	*) echo "$out"; echo "'ps start' over VSOCK: the refusal does not name the policy"; return 1 ;;
	esac
	if ictl ps list 2>/dev/null | grep -qE '/bin/[s]leep 1000( |$)'; then  # [s]: not grep's own command line
		echo "a refused 'ps start' started the process anyway"; return 1
	fi
	echo "info: $out"
}

# ---- readiness, health, events, metrics ---------------------------------
#
# setup (oneshot) -> consumer (Requires setup, After notifier); notifier is
# Type = "notify" (tests/boot/notifier.c: READY=1 after 500 ms); checked has
# a HealthCmd. The JSON is looked at with grep and awk here (busybox has no
# JSON parser); the documents read over VSOCK also go to the host on the
# second serial port (to_host), where tests/boot/host_checks.py parses them
# with Python's json and promtool.

# to_host NAME FILE: FILE to the host, framed, on /dev/ttyS1 (only this
# script writes there; the console is shared with init and the kernel)
to_host() {
	{ echo "@@BEGIN $1"; cat "$2"; echo "@@END $1"; } > /dev/ttyS1 ||
		{ echo "cannot write to /dev/ttyS1 (the host's data port)"; return 1; }
}

# want_fields FILE KEY=VALUE...: the first "KEY": in the one-line JSON
# document FILE has VALUE (a string with its quotes); prints what differs
want_fields() {
	awk 'BEGIN { for (i = 2; i < ARGC; i++) want[i - 1] = ARGV[i]; n = ARGC - 2; ARGC = 2 }
		{ for (i = 1; i <= n; i++) {
			e = index(want[i], "="); k = substr(want[i], 1, e - 1); v = substr(want[i], e + 1)
			got = ""
			if ((p = index($0, "\"" k "\":")) > 0) {
				rest = substr($0, p + length(k) + 3)
				if (substr(rest, 1, 1) == "\"") { e = index(substr(rest, 2), "\""); got = substr(rest, 1, e + 1) }
				else { match(rest, /[,}]/); got = substr(rest, 1, RSTART - 1) }
			}
			if (got != v) bad = bad " " k "=" got "(want " v ")"
		} }
		END { if (bad != "") { print bad; exit 1 } }' "$@"
}

c_readiness() {
	local s out bad=""
	# the enclave's health is healthy once every enabled service is ready
	# (a oneshot: exited 0); `health` exits 0 then
	wait_until 20 /bin/initctl health || { ictl health; echo "initctl health did not exit 0 (enclave not healthy) within 20 s"; return 1; }
	for s in notifier setup consumer checked hello; do
		ictl status $s --json > /tmp/st-$s.json  # (exit 3 for hello: not active)
	done
	out=$(want_fields /tmp/st-notifier.json type='"notify"' state='"running"' ready=true \
		status_text='"ready after 500 ms"') || bad="$bad notifier:$out"
	out=$(want_fields /tmp/st-setup.json type='"oneshot"' state='"exited"' active='"active"' exit_code=0) ||
		bad="$bad setup:$out"
	out=$(want_fields /tmp/st-consumer.json state='"running"' ready=true) || bad="$bad consumer:$out"
	out=$(want_fields /tmp/st-checked.json state='"running"' ready=true health='"healthy"' health_check=true) ||
		bad="$bad checked:$out"
	# a oneshot without RemainAfterExit: exited, and not active
	out=$(want_fields /tmp/st-hello.json type='"oneshot"' state='"exited"' active='"inactive"') || bad="$bad hello:$out"
	[ -z "$bad" ] || { ictl list; echo "not as expected:$bad"; return 1; }
	ictl logs consumer -n 5 | grep -q 'consumer: up after setup' ||
		{ ictl logs consumer -n 5; echo "consumer's log lacks 'consumer: up after setup'"; return 1; }
	ictl health checked | grep -q 'passed  exit 0 .* checked: ok' ||
		{ ictl health checked; echo "initctl health checked shows no passed check with output 'checked: ok'"; return 1; }
	echo "info: $(ictl list | awk '$1 ~ /^(setup|hello|notifier|consumer|checked)$/ { printf "%s%s %s", s, $1, $3; s = ", " }')"
}

# seq_of FILE KIND SERVICE [TO]: the seq of the first such event, else 0
seq_of() {
	awk -v k="\"kind\":\"$2\"" -v s="\"service\":\"$3\"" -v to="$4" -v t="\"to\":\"$4\"" \
		'index($0, k) && index($0, s) && (to == "" || index($0, t)) { sub(/^\{"seq":/, ""); print $0 + 0; f = 1; exit }
		END { if (!f) print 0 }' "$1"
}

# Readiness orders the starts: the order is what init's events say.
c_readiness_order() {
	local e=/tmp/ev-unix n_ready s_done c_start c_wait h_ok h_ready g_start
	ictl events --since 1 --no-follow > $e || { head -5 $e; echo "initctl events --since 1 --no-follow failed"; return 1; }
	n_ready=$(seq_of $e ready notifier) s_done=$(seq_of $e state setup exited)
	c_wait=$(seq_of $e state consumer 'waiting for dependencies') c_start=$(seq_of $e state consumer starting)
	h_ok=$(seq_of $e health checked healthy) h_ready=$(seq_of $e ready checked)
	g_start=$(seq_of $e state guest starting)
	echo "info: event seq: consumer waiting $c_wait, setup exited $s_done, notifier ready $n_ready, consumer starting $c_start; checked healthy $h_ok, ready $h_ready; guest starting $g_start"
	for x in "$n_ready:notifier ready" "$s_done:setup exited" "$c_start:consumer starting" \
		"$h_ok:checked healthy" "$h_ready:checked ready" "$g_start:guest starting"; do
		[ "${x%%:*}" != 0 ] || { grep -E '"service":"(notifier|setup|consumer|checked|guest)"' $e | tail -n 12; echo "no event: ${x#*:}"; return 1; }
	done
	[ "$c_start" -gt "$n_ready" ] || { echo "consumer started (seq $c_start) before notifier was ready (seq $n_ready)"; return 1; }
	[ "$c_start" -gt "$s_done" ] || { echo "consumer started (seq $c_start) before setup exited (seq $s_done)"; return 1; }
	[ "$h_ready" -ge "$h_ok" ] || { echo "checked was ready (seq $h_ready) before its first passing check (seq $h_ok)"; return 1; }
	# the app comes after every service: after the last of them was ready
	for x in $n_ready $s_done $h_ready $(seq_of $e ready consumer); do
		[ "$g_start" -gt "$x" ] || { echo "the app started (seq $g_start) before a service's readiness (seq $x)"; return 1; }
	done
}

# The parent's view, read here over VSOCK (CID 1: the loopback; see the
# README): health, events and metrics, then to the host.
c_health_vsock() {
	local h=/tmp/health.json rc
	vctl health > /tmp/health.txt; rc=$?
	[ $rc = 0 ] || { cat /tmp/health.txt; echo "initctl -p vsock health: exit $rc, want 0 (healthy)"; return 1; }
	vctl health --json > $h || { head -c 600 $h; echo "initctl -p vsock health --json failed"; return 1; }
	[ "$(wc -l < $h)" = 1 ] || { echo "health --json gave $(wc -l < $h) lines, want one"; return 1; }
	want_fields $h health='"healthy"' health_code=2 || { echo "health --json over VSOCK: the enclave is not healthy"; return 1; }
	[ "$(ictl health --json | cut -c1-40)" = "$(cut -c1-40 $h)" ] || { echo "health over the Unix socket and over VSOCK differ"; return 1; }
	to_host health-json $h
}

c_events_vsock() {
	local e=/tmp/events.jsonl n
	vctl events --since 1 --no-follow > $e || { head -5 $e; echo "initctl -p vsock events --since 1 --no-follow failed"; return 1; }
	n=$(wc -l < /tmp/ev-unix)
	# the same ring, read later: what the Unix socket gave, then perhaps more
	head -n "$n" $e | cmp -s - /tmp/ev-unix ||
		{ head -n 3 $e; echo "the events over VSOCK do not begin with the $n read over the Unix socket"; return 1; }
	awk '{ if (!sub(/^\{"seq":/, "")) { print "line " NR " has no seq first"; exit 1 }
		if ($0 + 0 != NR) { print "line " NR " has seq " $0 + 0; exit 1 } }' $e ||
		{ echo "event seqs are not 1, 2, 3, ..."; return 1; }
	echo "info: $(wc -l < $e) events over VSOCK ($n over the Unix socket before)"
	to_host events $e
}

c_metrics_vsock() {
	local m=/tmp/metrics.prom x
	vctl metrics > $m || { head -5 $m; echo "initctl -p vsock metrics failed"; return 1; }
	for x in 'enclave_init_enclave_health 2' 'enclave_init_service_ready{service="notifier"} 1' \
		'enclave_init_service_state{service="setup",state="exited"} 1' 'enclave_init_service_health{service="checked"} 2'; do
		grep -qxF "$x" $m || { grep -E "^${x%% *}|^${x%%\{*}" $m | head -n 12; echo "metrics over VSOCK lack '$x'"; return 1; }
	done
	echo "info: $(wc -l < $m) lines, $(grep -c '^# TYPE' $m) metrics"
	to_host metrics $m
}

# ---- log streams --------------------------------------------------------

# stream_ok FILE NAME MIN: every line "[YYYY-MM-DD HH:MM:SS] NAME line N", at
# least MIN lines, N consecutive (nothing lost or repeated in the stream)
stream_ok() {
	awk -v name="$2" -v min="$3" '
		$0 !~ ("^\\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\] " name " line [0-9]+$") {
			print "bad line " NR ": " $0; bad = 1; exit 1 }
		{ n = $NF + 0; if (NR > 1 && n != prev + 1) { print "line " NR ": " name " line " n " after " prev; bad = 1; exit 1 }; prev = n }
		END { if (bad) exit 1; if (NR < min) { print NR " lines, want at least " min; exit 1 } }' "$1"
}

# chatty_lines N: the last N lines of chatty's log are its own (not init's
# "started" note): what a stream of its last N lines may be checked against.
chatty_lines() { [ "$(ictl logs chatty -n "$1" | grep -c ' chatty line [0-9]*$')" -ge "$1" ]; }

c_logs_stream_unix() {
	local rc
	wait_until 20 chatty_lines 3 || { echo "chatty has not written 3 lines"; return 1; }
	ictl logs-stream chatty -n 3 > /tmp/ls-unix; rc=$?
	[ $rc = 0 ] || { head -5 /tmp/ls-unix; echo "logs-stream over the Unix socket: exit $rc"; return 1; }
	stream_ok /tmp/ls-unix chatty 3 || { head -5 /tmp/ls-unix; echo "logs-stream over the Unix socket: bad output"; return 1; }
	[ "$(wc -l < /tmp/ls-unix)" = 3 ] || { cat /tmp/ls-unix; echo "-n 3 gave $(wc -l < /tmp/ls-unix) lines"; return 1; }
}

c_logs_stream_vsock() {
	local rc
	wait_until 20 chatty_lines 5 || { echo "chatty has not written 5 lines"; return 1; }
	vctl logs-stream chatty --listen-cid 1 --listen-port 9100 -n 5 -o /tmp/ls-vsock; rc=$?
	[ $rc = 0 ] || { head -5 /tmp/ls-vsock; echo "logs-stream over VSOCK without -f: exit $rc"; return 1; }
	stream_ok /tmp/ls-vsock chatty 5 || { head -8 /tmp/ls-vsock; echo "logs-stream over VSOCK: bad output"; return 1; }
	[ "$(wc -l < /tmp/ls-vsock)" = 5 ] || { cat /tmp/ls-vsock; echo "-n 5 gave $(wc -l < /tmp/ls-vsock) lines"; return 1; }
}

# last_n FILE: the number on the last line
last_n() { tail -n 1 "$1" 2>/dev/null | awk '{ print $NF + 0 }'; }

c_logs_stream_follow_two() {
	local p1 p2 a1 a2 b1 b2 rc1 rc2 n=0
	rm -f /tmp/f1 /tmp/f2
	timeout 60 /bin/initctl -p vsock --vsock-cid 1 --vsock-port 9001 \
		logs-stream chatty --listen-cid 1 --listen-port 9101 -f -n 2 -o /tmp/f1 & p1=$!
	timeout 60 /bin/initctl -p vsock --vsock-cid 1 --vsock-port 9001 \
		logs-stream ticker --listen-cid 1 --listen-port 9102 -f -n 2 -o /tmp/f2 & p2=$!
	wait_until 15 sh -c 'test -s /tmp/f1 && test -s /tmp/f2' ||
		{ kill -INT $p1 $p2 2>/dev/null; echo "the two follow streams: no lines within 15 s"; return 1; }
	a1=$(last_n /tmp/f1) a2=$(last_n /tmp/f2)
	sleep 2
	b1=$(last_n /tmp/f1) b2=$(last_n /tmp/f2)
	ictl ping > /dev/null || echo "init does not answer while streaming"
	kill -INT $p1 $p2 2>/dev/null
	while kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 100 ] || { kill -9 $p1 $p2 2>/dev/null; echo "initctl logs-stream -f still runs 10 s after SIGINT"; return 1; }
		sleep 0.1
	done
	wait $p1; rc1=$?
	wait $p2; rc2=$?
	echo "info: over 2 s of following, chatty went from line $a1 to $b1, ticker from $a2 to $b2; exit statuses after SIGINT: $rc1, $rc2"
	stream_ok /tmp/f1 chatty 3 || { echo "chatty follow stream: bad output"; return 1; }
	stream_ok /tmp/f2 ticker 3 || { echo "ticker follow stream: bad output"; return 1; }
	[ "$b1" -gt "$a1" ] && [ "$b2" -gt "$a2" ] || { echo "no new lines arrived while following"; return 1; }
	case "$rc1 $rc2" in
	"0 0"|"130 130"|"0 130"|"130 0") ;;
	*) echo "logs-stream -f exit statuses after SIGINT: $rc1, $rc2 (want 0 or 130)"; return 1 ;;
	esac
	ictl ping > /dev/null || { echo "init does not answer after the streams stopped"; return 1; }
}

# A reader that takes nothing (its stdout is a pipe nobody reads): init must
# neither stop draining the flooding service nor stop answering.
c_logs_stream_stalled_reader() {
	local n=0 reader
	rm -f /tmp/stall.pid
	# initctl (its pid in /tmp/stall.pid: timeout execs it) writes into a
	# pipe that sleep never reads
	(sh -c 'echo $$ > /tmp/stall.pid; exec timeout 60 /bin/initctl -p vsock --vsock-cid 1 \
		--vsock-port 9001 logs-stream flood --listen-cid 1 --listen-port 9103 -f -n 0' | sleep 50) &
	# up once init has connected back: init's own log says so
	wait_until 15 sh -c "/bin/initctl logs init -n 50 | grep -q 'log stream of flood to vsock 1:9103 started'" ||
		{ echo "the stream did not start"; return 1; }
	reader=$(cat /tmp/stall.pid)
	ictl start flood > /dev/null || { kill -INT "$reader"; echo "start flood failed"; return 1; }
	# (the log's last line is init's note of the exit; the flood's own comes before)
	until ictl logs flood -n 3 2>/dev/null | grep -q 'flood done'; do
		n=$((n + 1))
		[ $n -lt 300 ] || { kill -INT "$reader"; echo "the flood did not finish within 60 s: init stalled on the reader?"; return 1; }
		sleep 0.2
	done
	timeout 5 /bin/initctl ping > /dev/null || { kill -INT "$reader"; echo "init does not answer with a stalled stream reader"; return 1; }
	echo "info: 50,000 lines logged while the stream's reader read nothing; init answered throughout"
	kill -INT "$reader" 2>/dev/null
	return 0
}

# A reload after the switch root: init must execute itself (its binary is
# in the initramfs, out of sight), not the image's /sbin/enclave-init
# (an impostor script in this rootfs), and keep every service.
c_reload_after_switch_root() {
	local web_before web_after exe
	web_before=$(field web PID)
	ictl reload > /dev/null || { echo "initctl reload failed"; return 1; }
	wait_until 10 sh -c '/bin/initctl ping > /dev/null 2>&1' || { echo "init does not answer after reload"; return 1; }
	web_after=$(field web PID)
	exe=$(readlink /proc/1/exe)
	echo "info: PID 1 runs $exe after the reload; web PID $web_before -> $web_after"
	grep -q 'sleep 100000' /proc/1/cmdline 2>/dev/null && { echo "PID 1 is the impostor"; return 1; }
	[ "$web_before" = "$web_after" ] || { echo "web was restarted by the reload ($web_before -> $web_after)"; return 1; }
	[ "$(state guest)" = active ] || { echo "the app is not active after the reload"; return 1; }
}

# The parent instance holds every control slot it can (vhold: idle VSOCK
# connections, reopened as soon as init drops them): the Unix socket must
# still answer, and one more VSOCK peer is told why it is refused.
c_vsock_cannot_lock_out_unix() {
	local out rc p
	/bin/vhold 8 8 > /tmp/vhold.out & p=$!
	# held once a VSOCK peer finds no slot
	wait_until 6 sh -c '! /bin/initctl -p vsock --vsock-cid 1 --vsock-port 9001 ping >/dev/null 2>&1' ||
		{ kill $p; echo "VSOCK peers never filled the slots"; return 1; }
	timeout 5 /bin/initctl ping > /dev/null || { kill $p; echo "the Unix socket did not answer while VSOCK peers held the slots"; return 1; }
	out=$(vctl ping 2>&1); rc=$?
	wait $p
	echo "info: $(cat /tmp/vhold.out); a 9th VSOCK peer: $out"
	[ $rc != 0 ] || { echo "a VSOCK peer got a slot beyond max_clients - 1"; return 1; }
	case $out in
	*"too many control clients"*) ;;
	*) echo "the refused VSOCK peer was not told why: $out"; return 1 ;;
	esac
	timeout 5 /bin/initctl ping > /dev/null || { echo "init does not answer afterwards"; return 1; }
}

# ---- least privilege per service -----------------------------------------

# proc_field PID KEY: one "Key:<tab>value" line of /proc/PID/status, squeezed
proc_field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s ' \t' ' ' | sed 's/ $//'; }
# limit_of PID NAME: "soft hard" of one /proc/PID/limits row
limit_of() { awk -v n="$2" 'index($0, n) == 1 { print $(NF - 2), $(NF - 1) }' "/proc/$1/limits"; }

# lowpriv.service runs as nobody with its groups, umask, limits and
# no_new_privs as configured, read from the kernel's view of the process
c_least_privilege() {
	local pid got want bad=""
	wait_until 10 test "$(state lowpriv)" = active || { ictl status lowpriv; echo "lowpriv is $(state lowpriv)"; return 1; }
	pid=$(field lowpriv PID)
	[ -n "$pid" ] && [ -r "/proc/$pid/status" ] || { ictl status lowpriv; echo "no main PID for lowpriv ('$pid')"; return 1; }
	for want in "Uid:65534 65534 65534 65534" "Gid:65534 65534 65534 65534" "Groups:15 4000 65534" \
		"Umask:0027" "NoNewPrivs:1"; do
		got=$(proc_field "$pid" "${want%%:*}")
		[ "$got" = "${want#*:}" ] || bad="$bad ${want%%:*}='$got' (want '${want#*:}')"
	done
	for want in "Max open files:256 512" "Max core file size:0 0" "Max processes:50 60"; do
		got=$(limit_of "$pid" "${want%%:*}")
		[ "$got" = "${want#*:}" ] || bad="$bad ${want%%:*}='$got' (want '${want#*:}')"
	done
	[ -z "$bad" ] || { cat "/proc/$pid/status" "/proc/$pid/limits"; echo "lowpriv (pid $pid):$bad"; return 1; }
	echo "info: pid $pid runs as nobody, groups 15 4000 65534, umask 0027, no_new_privs, nofile 256:512"
}

# A user the image does not have fails the start with its reason; the
# command never ran (as root or anyone)
c_privilege_drop_fails() {
	local out reason
	out=$(ictl start ghostuser --wait --timeout 10 2>&1) && { echo "$out"; echo "start ghostuser succeeded"; return 1; }
	reason=$(field ghostuser 'Last Error')
	[ "$reason" = "User 'ghost' not found in /etc/passwd" ] || { echo "$out"; ictl status ghostuser; echo "Last Error '$reason'"; return 1; }
	[ ! -e /tmp/ghostuser.ran ] || { echo "ghostuser's command ran"; return 1; }
	[ "$(state ghostuser)" = failed ] || { echo "ghostuser is $(state ghostuser), want failed"; return 1; }
	ictl stop ghostuser > /dev/null 2>&1
	echo "info: $out"
}

# shutdown --drain 1 --wait over VSOCK, answered only once the last lines
# have gone out to the log streams. As PID 1 of the VM init ends every
# process before it answers, so the check drives a second init (built from
# tests/boot/drain-config, its own socket and VSOCK port 9002) as PID 1 of
# a PID namespace: its client and its streams' listeners, out here, outlive
# it. Streams: `last`'s log (its last words come when it is stopped),
# init's own (its last line, "exiting", comes just before the answer), and
# `gush`'s to a reader that takes nothing, which must not hold the end.
dctl() { timeout 60 /bin/initctl-drain -p vsock --vsock-cid 1 --vsock-port 9002 "$@"; }
c_drain_wait() {
	local out rc n=0 stall early
	unshare -p -f --mount-proc /boottest/drain/init > /tmp/drain-init.log 2>&1 &
	wait_until 60 /bin/initctl-drain -s /run/drain.sock ping ||
		{ tail -5 /tmp/drain-init.log; echo "the drain init does not answer"; return 1; }
	wait_until 60 sh -c "/bin/initctl-drain -s /run/drain.sock logs last -n 5 | grep -q 'last: up'" ||
		{ tail -15 /tmp/drain-init.log; echo "service last did not start"; return 1; }
	dctl logs-stream last --listen-cid 1 --listen-port 9110 -f -n 0 -o /tmp/drain-last & 
	dctl logs-stream init --listen-cid 1 --listen-port 9111 -f -n 0 -o /tmp/drain-own &
	rm -f /tmp/drain-stall.pid
	(sh -c 'echo $$ > /tmp/drain-stall.pid; exec timeout 60 /bin/initctl-drain -p vsock --vsock-cid 1 \
		--vsock-port 9002 logs-stream gush --listen-cid 1 --listen-port 9112 -f -n 0' | sleep 60) &
	for p in 9110 9111 9112; do
		wait_until 15 sh -c "/bin/initctl-drain -s /run/drain.sock logs init -n 50 | grep -q 'to vsock 1:$p started'" ||
			{ echo "the stream to port $p did not start"; return 1; }
	done
	stall=$(cat /tmp/drain-stall.pid)
	/bin/initctl-drain -s /run/drain.sock start gush > /dev/null || { echo "start gush failed"; return 1; }
	until /bin/initctl-drain -s /run/drain.sock logs gush -n 3 2>/dev/null | grep -q 'gush done'; do
		n=$((n + 1))
		[ $n -lt 300 ] || { echo "gush did not finish within 60 s"; return 1; }
		sleep 0.2
	done
	out=$(dctl shutdown --drain 1 --wait 2>&1); rc=$?
	# The listeners' files may lag the answer by a moment (the lines are in
	# their sockets already): what they held at once is only reported.
	early="$(grep -c 'last: goodbye' /tmp/drain-last) $(grep -c '\] exiting$' /tmp/drain-own)"
	kill -INT "$stall" 2>/dev/null
	echo "answer: $out"
	[ $rc = 0 ] || { tail -15 /tmp/drain-init.log; echo "shutdown --drain 1 --wait over VSOCK: exit $rc"; return 1; }
	case $out in
	*"1 log stream(s) still behind after 3 s"*) ;;
	*) tail -15 /tmp/drain-init.log; echo "the answer does not name the stalled stream: $out"; return 1 ;;
	esac
	# The drain: health stopping first, the services stopped after it.
	awk '/draining for 1 s, health stopping/ { d = NR } /Stopping service last/ { s = NR }
		END { exit !(d && s > d) }' /tmp/drain-init.log ||
		{ tail -15 /tmp/drain-init.log; echo "last was not stopped after a drain"; return 1; }
	# Every line that went out before the answer reaches the listeners.
	wait_until 10 grep -q 'last: goodbye' /tmp/drain-last ||
		{ cat /tmp/drain-last; echo "last's last words never reached its stream"; return 1; }
	wait_until 10 grep -q '\] exiting$' /tmp/drain-own ||
		{ tail -5 /tmp/drain-own; echo "init's last line never reached its stream"; return 1; }
	echo "info: $(wc -l < /tmp/drain-last) lines of last's log and $(wc -l < /tmp/drain-own) of init's streamed (the last ones in the files at the answer: ${early% *} and ${early#* }); answer: $out"
}

# The pid of the process whose command line is exactly "sleep 86401".
escapee_pid() {
	local f
	for f in /proc/[0-9]*/cmdline; do
		[ "$(tr '\0' ' ' < "$f" 2>/dev/null)" = "sleep 86401 " ] && { f=${f#/proc/}; echo "${f%/cmdline}"; return 0; }
	done
	return 1
}

# Containment: escaper's child left its session (setsid); with cgroup v2 at
# /sys/fs/cgroup/unified it is in escaper's cgroup all the same, and stop
# ends it.
c_containment() {
	local esc main
	grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/mounts ||
		{ grep cgroup /proc/mounts; echo "no cgroup2 at /sys/fs/cgroup/unified"; return 1; }
	wait_until 10 test "$(state escaper)" = active || { ictl list; echo "escaper is not active"; return 1; }
	wait_until 10 escapee_pid || { ictl status escaper; echo "no escapee (sleep 86401)"; return 1; }
	esc=$(escapee_pid)
	main=$(field escaper PID)
	[ "$(cut -d' ' -f6 "/proc/$esc/stat")" != "$main" ] || { echo "the escapee did not leave the session"; return 1; }
	grep -qx '0::/enclave-init/escaper' "/proc/$esc/cgroup" ||
		{ cat "/proc/$esc/cgroup"; echo "the escapee is not in escaper's cgroup"; return 1; }
	echo "info: escaper: Tasks $(field escaper Tasks), Memory $(field escaper Memory), CPU $(field escaper CPU);" \
		"controllers under enclave-init: $(cat /sys/fs/cgroup/unified/enclave-init/cgroup.subtree_control)"
	[ "$(field escaper Tasks)" = 2 ] || { ictl status escaper; echo "escaper's Tasks is not 2"; return 1; }
	ictl stop escaper > /dev/null || { echo "initctl stop escaper failed"; return 1; }
	wait_until 10 test "$(state escaper)" = inactive || { ictl status escaper; echo "escaper did not stop"; return 1; }
	wait_until 10 test ! -e "/proc/$esc" || { echo "the escapee ($esc) survived stop"; return 1; }
	[ ! -d /sys/fs/cgroup/unified/enclave-init/escaper ] || { echo "escaper's cgroup is left behind"; return 1; }
}

# ---- run ----------------------------------------------------------------

say "BOOTTEST START $mode"
if [ "$mode" = clock ]; then  # the clock boot: its own checks (guest_clock.sh)
	. /boottest/guest_clock.sh
	say "BOOTTEST DONE $mode"
	exit 0
fi
check pid1 c_pid1
check cmd-args c_cmd_args
check environment c_environment
check mounts c_mounts
check mount-modes c_mount_modes
check dev-symlinks c_dev_symlinks
check cgroups c_cgroups
check switch-root c_switch_root
check nsm-module c_nsm_module
check loopback c_loopback
check entropy c_entropy
check unix-ping c_unix_ping
check services-running c_services_running
check app-is-service c_app_is_service
check vsock-read c_vsock_read
if [ "$mode" = full ]; then
	check service-env-and-logs c_service_env_and_logs
	stty -F /dev/ttyS1 raw -echo 2>/dev/null  # the host's data port: bytes as they are
	check readiness c_readiness
	check readiness-order c_readiness_order
	check health-vsock c_health_vsock
	check events-vsock c_events_vsock
	check metrics-vsock c_metrics_vsock
	check vsock-initctl-yaml c_vsock_initctl_yaml
	check vsock-services-allowed c_vsock_services_allowed
	check vsock-policy-refuses c_vsock_policy_refuses
	check vsock-policy-processes c_vsock_policy_processes
	check logs-stream-unix c_logs_stream_unix
	check logs-stream-vsock c_logs_stream_vsock
	check logs-stream-follow-two c_logs_stream_follow_two
	check logs-stream-stalled-reader c_logs_stream_stalled_reader
	check reload-after-switch-root c_reload_after_switch_root
	check vsock-cannot-lock-out-unix c_vsock_cannot_lock_out_unix
	check least-privilege c_least_privilege
	check privilege-drop-fails c_privilege_drop_fails
	check containment c_containment
	check drain-wait c_drain_wait
fi
say "BOOTTEST DONE $mode"
exit 0
