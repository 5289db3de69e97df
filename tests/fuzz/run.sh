#!/bin/bash
# The fuzz targets (README, "Fuzzing"): build each with Debian's clang and
# libFuzzer, ASan and UBSan, run it for a bounded time from its corpus in
# tests/fuzz/corpus/TARGET/, and print one line a target:
#   PASS fuzz: request: 123456 execs, 0 crashes
#   FAIL fuzz: request: 123456 execs, 1 crash: <artifact> (details indented)
# The generator target (gen) is tests/fuzz/gen_fuzz.py, in Python.
#
# Usage: tests/fuzz/run.sh [-t SECONDS] [-o DIR] [TARGET...]
#   -t  seconds per target (default 5: the bounded run of `make test`)
#   -o  keep the build, the grown corpora (DIR/corpus/TARGET: new inputs
#       found go there, never into the repository) and crash inputs
#       (DIR/crashes/TARGET) in DIR; default: a temporary directory
cd "$(dirname "$0")/../.." || exit 1
seconds=5 out=""
while getopts t:o: o; do
	case $o in
	t) seconds=$OPTARG ;;
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request reply ictlconf app procfs notify passwd cbor attest_doc timeproto gen)
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/ei-fuzz.XXXXXX)
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out/bin" "$out/log"
PYTHON=${PYTHON:-$(tools/find-python)}
CC=${FUZZ_CC:-clang}

if ! msg=$("$PYTHON" gen/initgen.py tests/unit/config/init.yaml "$out/gen" 2>&1); then
	echo "FAIL fuzz: generate test configuration"; echo "$msg" | sed 's/^/    /'; exit 0
fi
# glibc, not musl: the sanitizers need it. Each target sees its program's
# folder and include/ only, as the build does.
CFLAGS="-std=c11 -D_GNU_SOURCE -DEI_TESTING -O1 -g -Wall -Wextra -Werror -Wno-missing-field-initializers
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -I$out/gen -Itests/fuzz"
init_srcs() { for f in "$@"; do echo "src/init/$f.c"; done; }

# build TARGET PROGRAM SOURCES... [LINKER FLAGS]
build() {
	local name=$1 prog=$2; shift 2
	local inc="-Isrc/$prog"
	# shellcheck disable=SC2086
	if ! msg=$($CC $CFLAGS $inc -o "$out/bin/fuzz_$name" "$@" 2>&1); then
		echo "FAIL fuzz: $name: build"; echo "$msg" | sed 's/^/    /' | head -20
		return 1
	fi
}

build_target() {
	case $1 in
	request) build request init tests/fuzz/fuzz_request.c tests/fuzz/fake_world.c src/common/proto.c src/common/utf8.c \
		$(init_srcs ops ops_svc ops_ps ops_logs ops_obs ops_attest ops_records ctlstats events notify notify_msg paths reply fmt \
			svc deps pslist procfs log logread logring logline stream nsm entropy cgroup timesync clockplan) src/common/cbor.c \
		src/common/timeproto.c tests/unit/init/fake_health.c \
		"$out/gen/config_gen.c" \
		-Wl,--wrap=open,--wrap=mkdir,--wrap=unlink,--wrap=rename,--wrap=kill,--wrap=socket,--wrap=connect \
		-Wl,--wrap=access,--wrap=ioctl ;;
	reply) build reply initctl -Dmain=initctl_main tests/fuzz/fuzz_reply.c src/common/proto.c src/common/utf8.c \
		src/common/cbor.c src/common/timeproto.c src/initctl/*.c \
		"$out/gen/config_gen.c" -Wl,--wrap=socket,--wrap=connect ;;
	ictlconf) build ictlconf initctl tests/fuzz/fuzz_ictlconf.c src/initctl/ictlconf.c ;;
	app) build app init tests/fuzz/fuzz_app.c tests/unit/init/fake_say.c src/init/app.c src/init/fmt.c "$out/gen/config_gen.c" ;;
	procfs) build procfs init tests/fuzz/fuzz_procfs.c src/init/procfs.c src/init/pslist.c src/init/fmt.c \
		-Wl,--wrap=open,--wrap=read,--wrap=close,--wrap=syscall ;;
	notify) build notify init tests/fuzz/fuzz_notify.c src/init/notify_msg.c src/common/utf8.c ;;
	attest_doc) build attest_doc initctl tests/fuzz/fuzz_attest_doc.c src/initctl/attest_doc.c src/initctl/attest_text.c \
		src/initctl/json_view.c src/initctl/json.c src/initctl/words.c src/initctl/signames.c src/common/utf8.c \
		src/common/proto.c src/common/cbor.c ;;
	cbor) build cbor init tests/fuzz/fuzz_cbor.c src/common/cbor.c src/init/nsm.c src/init/fmt.c ;;
	passwd) build passwd init tests/fuzz/fuzz_passwd.c src/init/passwd.c ;;
	timeproto) build timeproto init tests/fuzz/fuzz_timeproto.c src/common/timeproto.c src/init/clockplan.c ;;
	*) echo "FAIL fuzz: $1: no such target"; return 1 ;;
	esac
}

# Inputs up to a few frames' worth (app: /cmd and /env past their limits).
max_len() {
	case $1 in
	request | reply) echo 8192 ;;
	app) echo 48000 ;;
	attest_doc) echo 16384 ;; # initctl's document buffer
	cbor) echo 16384 ;; # the NSM's largest reply is 12 KiB
	*) echo 4096 ;;
	esac
}

plural() { [ "$1" = 1 ] && echo "$1 $2" || echo "$1 ${2}es"; }

run_target() {
	local t=$1 log="$out/log/$1.log" crashes="$out/crashes/$1" work="$out/corpus/$1"
	mkdir -p "$crashes" "$work"
	# New inputs go to the first directory (the work copy); the
	# repository's corpus, with its regressions, is read and run first.
	"$out/bin/fuzz_$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" -artifact_prefix="$crashes/" -print_final_stats=1 \
		>"$log" 2>&1
	local rc=$?
	local execs n found
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
	n=$(find "$crashes" -type f | wc -l)
	found=$(find "$crashes" -type f | head -1)
	if [ "$rc" = 0 ] && [ "$n" = 0 ]; then
		echo "PASS fuzz: $t: ${execs:-0} execs, 0 crashes"
		return
	fi
	echo "FAIL fuzz: $t: ${execs:-0} execs, $(plural "$n" crash)${found:+: $found} (libFuzzer status $rc)"
	grep -E '^(==[0-9]+==|SUMMARY|    #[0-9] )|runtime error|libFuzzer: (deadly|timeout|out-of-memory)' "$log" |
		head -14 | sed 's/^ */    /'
	[ -z "$found" ] || echo "    reproduce: tests/fuzz/run.sh -o DIR $t; DIR/bin/fuzz_$t FILE"
}

for t in "${targets[@]}"; do
	if [ "$t" = gen ]; then
		# The generator: inputs counted (make test) or for a time (make fuzz).
		if [ "$seconds" -le 5 ]; then n="--count 40"; else n="--seconds $seconds"; fi
		# shellcheck disable=SC2086
		"$PYTHON" tests/fuzz/gen_fuzz.py $n --out "$out/crashes/gen"
		continue
	fi
	build_target "$t" && run_target "$t"
done
exit 0
