#!/bin/bash
# Benchmark `initctl ps list` against procps's `ps -e`, with init as PID 1
# of its own PID namespace and a service that forks N sleepers (2,000 by
# default), so both list the same N + 2 processes. Prints a Markdown report
# on stdout (progress on stderr): the median wall time of each command over
# R interleaved runs, and the ratios. Figures only, no threshold.
#
#   tools/bench/ps.sh [--procs N] [--reps R] [-o FILE]
#   tools/bench/run --only ps [...]          (the same)
#
# Both commands run inside init's namespaces through nsenter (ps must: it
# reads /proc), so both pay nsenter's setns and fork; `initctl ps list`
# alone (from outside, over the socket) is timed too. `ps -e -o ...` asks
# procps for the columns ps list shows (state, CPU%, RSS, command line),
# which makes it read the same /proc files as init does, not only stat.
# Runs as root (PID namespaces); everything is killed and removed on exit.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
procs=2000 reps=21 output=""
while [ $# -gt 0 ]; do
	case $1 in
	--procs) procs=$2; shift ;;
	--reps) reps=$2; shift ;;
	-o | --output) output=$2; shift ;;
	*) echo "usage: tools/bench/ps.sh [--procs N] [--reps R] [-o FILE]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$(id -u)" != 0 ]; then
	echo "bench ps: must run as root (it creates PID namespaces)" >&2
	exit 1
fi
for t in make musl-gcc unshare nsenter ps; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench ps: missing $t (tools/deps.sh bench)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ei-bench-ps.XXXXXX)
chmod 755 "$work"
wrapper=""
cleanup() {
	[ -n "$wrapper" ] && kill -9 "$wrapper" 2>/dev/null
	[ -n "${inithost:-}" ] && kill -9 "$inithost" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The configuration: one service forking the sleepers.
mkdir -p "$work/config/services"
cat > "$work/config/init.yaml" <<EOF
service_dir: services
log_dir: $work/log
control:
  unix_socket_path: $work/init.sock
vsock: {enabled: false}
nsm_driver_path: null
pivot_root: false
app: {enabled: false}
EOF
cat > "$work/spawn" <<'EOF'
#!/bin/sh
n=0
while [ "$n" -lt "$1" ]; do sleep 100000 & n=$((n + 1)); done
: > "$2"
wait
EOF
chmod +x "$work/spawn"
echo "ExecStart = \"$work/spawn $procs $work/ready\"" > "$work/config/services/spawner.service"

echo "bench ps: building init and initctl" >&2
make -s -C "$top" CONFIG="$work/config/init.yaml" BUILD="$work/build" all >&2
initctl="$work/build/initctl"
export INIT_SOCKET="$work/init.sock"

echo "bench ps: starting init and $procs sleepers" >&2
unshare --pid --fork --mount-proc --kill-child "$work/build/init" > "$work/console.log" 2>&1 &
wrapper=$!
for _ in $(seq 600); do [ -f "$work/ready" ] && break; sleep 0.1; done
[ -f "$work/ready" ] || { echo "bench ps: the sleepers did not start; console:" >&2; tail "$work/console.log" >&2; exit 1; }
inithost=$(pgrep -P "$wrapper" | head -1)  # unshare --fork's child: init
[ -n "$inithost" ] || { echo "bench ps: init's PID not found" >&2; exit 1; }

inns() { nsenter --target "$inithost" --pid --mount -- "$@"; }
# The four commands, by name.
run_cmd() {
	case $1 in
	ctl-ns) inns "$initctl" ps list ;;
	ps-e) inns ps -e ;;
	ps-cols) inns ps -e -o pid,ppid,stat,pcpu,rss,args ;;
	ctl) "$initctl" ps list ;;
	esac
}
names=(ctl-ns ps-e ps-cols ctl)

# Same processes for both: the row counts agree.
rows_ctl=$(($(run_cmd ctl-ns | wc -l) - 2))
rows_ps=$(($(run_cmd ps-e | wc -l) - 1))
echo "bench ps: ps list has $rows_ctl rows, ps -e $rows_ps (each counts itself or not)" >&2

# Microseconds from $EPOCHREALTIME (seconds.micro).
usec() { local s=${1%.*} u=${1#*.}; echo $((s * 1000000 + 10#$u)); }
init_ticks() { sed 's/.*) //' "/proc/$inithost/stat" | awk '{ print $12 + $13 }'; }

declare -A times
ticks0=$(init_ticks)
ctl_runs=0
for r in $(seq "$reps"); do
	# The order rotates each round, so machine noise hits every command.
	for k in 0 1 2 3; do
		n=${names[$(((k + r) % 4))]}
		t0=$EPOCHREALTIME
		run_cmd "$n" > /dev/null
		t1=$EPOCHREALTIME
		times[$n]+="$(($(usec "$t1") - $(usec "$t0"))) "
		case $n in ctl | ctl-ns) ctl_runs=$((ctl_runs + 1)) ;; esac
	done
	printf '.' >&2
done
echo >&2
ticks=$(($(init_ticks) - ticks0))
hz=$(getconf CLK_TCK)

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A med
for n in "${names[@]}"; do med[$n]=$(median <<< "${times[$n]}"); done

report() {
	echo "# initctl ps list against procps ps"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, kernel $(uname -r), $(ps --version | head -1);"
	echo "init as PID 1 of a PID namespace holding $rows_ctl processes ($procs sleepers);"
	echo "median wall time of $reps interleaved runs of each command, output to /dev/null."
	echo
	echo "| command | median | vs \`ps -e\` |"
	echo "|---|---:|---:|"
	echo "| \`initctl ps list\` (inside, through nsenter) | $(ms "${med[ctl-ns]}") ms | $(ratio "${med[ctl-ns]}" "${med[ps-e]}") |"
	echo "| \`ps -e\` (inside, through nsenter) | $(ms "${med[ps-e]}") ms | 1.00 |"
	echo "| \`ps -e -o pid,ppid,stat,pcpu,rss,args\` (the same columns) | $(ms "${med[ps-cols]}") ms | $(ratio "${med[ps-cols]}" "${med[ps-e]}") |"
	echo "| \`initctl ps list\` (from outside, over the socket) | $(ms "${med[ctl]}") ms | $(ratio "${med[ctl]}" "${med[ps-e]}") |"
	echo
	echo "init's own CPU time per listing: $(awk -v t="$ticks" -v hz="$hz" -v n="$ctl_runs" \
		'BEGIN { printf "%.2f ms", t * 1000 / hz / n }') (utime + stime of PID 1 over the $ctl_runs listings, in ${hz} Hz ticks)."
	echo "\`initctl ps list\` / \`ps -e -o ...\`: $(ratio "${med[ctl-ns]}" "${med[ps-cols]}")."
}
if [ -n "$output" ]; then report | tee "$output"; else report; fi
