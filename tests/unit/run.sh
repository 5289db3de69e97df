#!/bin/bash
# C unit tests: each test_*.c is built (musl, -DEI_TESTING so NEVER()/ALWAYS()
# abort) against the sources it tests, plus fakes where it needs them, and run.
# EI_FLAVOUR=sanitize builds them with the Makefile's sanitize flavour
# (clang, glibc, ASan + UBSan: any report fails the test).
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp -d /tmp/ei-unit.XXXXXX)
trap 'rm -rf "$out"' EXIT
PYTHON=${PYTHON:-$(tools/find-python)}
if ! msg=$("$PYTHON" gen/initgen.py tests/unit/config/init.yaml "$out/gen" 2>&1); then
	echo "FAIL unit: generate test configuration"; echo "$msg" | sed 's/^/    /'; exit 0
fi
# The compiler, its flags and how to link, as the Makefile has them for
# this flavour (musl-gcc, static, by default; -O1 -g below come last).
CC=$(make -s --no-print-directory BUILD="$out/b" FLAVOUR="$EI_FLAVOUR" flavour-cc) || exit 1
CFLAGS="-std=c11 -D_GNU_SOURCE -DEI_TESTING -O1 -g -Wall -Wextra -Werror -Wvla -Wformat=2 -Wno-missing-field-initializers -Iinclude -I$out/gen -Itests/unit"
# Tests follow the layout: each sees its program's folder and include/ only.
INC_init="-Isrc/init -Itests/unit/init"
INC_initctl="-Isrc/initctl -Itests/unit/initctl"
INC_common="-Isrc/common -Itests/unit/common"
build() {  # build PROGRAM NAME SOURCES...: $out/NAME, or 1 after saying why not
	local inc="INC_$1" name=$2 msg; shift 2
	if ! msg=$($CC $CFLAGS ${!inc} -o "$out/$name" "$@" 2>&1); then
		echo "FAIL unit: $name: build"; echo "$msg" | sed 's/^/    /' | head -20; return 1
	fi
}
build_run() {  # build_run PROGRAM NAME SOURCES...
	build "$@" || return
	"$out/$2" || echo "FAIL unit: $2: exited with status $?"
}
build_run common proto tests/unit/common/test_proto.c src/common/proto.c
build_run common cbor tests/unit/common/test_cbor.c src/common/cbor.c
build_run common timeproto tests/unit/common/test_timeproto.c src/common/timeproto.c
build_run init clockplan tests/unit/init/test_clockplan.c src/init/clockplan.c
build_run init fmt tests/unit/init/test_fmt.c src/init/fmt.c
build_run initctl signames tests/unit/initctl/test_signames.c src/initctl/signames.c
build_run init logring tests/unit/init/test_logring.c src/init/logring.c
build_run init logline tests/unit/init/test_logline.c src/init/logline.c
build_run initctl ictlconf tests/unit/initctl/test_ictlconf.c src/initctl/ictlconf.c
build_run initctl stream_client -DACCEPT_TIMEOUT_MS=300 tests/unit/initctl/test_stream_client.c src/initctl/stream_client.c src/common/proto.c \
	-Wl,--wrap=socket,--wrap=bind,--wrap=accept4
build_run initctl list_table tests/unit/initctl/test_list_table.c src/initctl/list_table.c
build_run initctl initctl_ps tests/unit/initctl/test_initctl_ps.c src/initctl/initctl_ps.c src/common/proto.c src/initctl/signames.c src/initctl/words.c src/initctl/json_view.c src/initctl/json.c src/common/utf8.c src/initctl/out.c
build_run initctl json tests/unit/initctl/test_json.c src/initctl/json.c src/common/utf8.c
build_run initctl metrics tests/unit/initctl/test_metrics.c src/initctl/metrics.c src/initctl/words.c
build_run initctl json_view tests/unit/initctl/test_json_view.c src/initctl/json_view.c src/initctl/json.c src/common/utf8.c \
	src/initctl/logjson.c src/initctl/words.c src/initctl/signames.c src/common/proto.c
build_run initctl commands tests/unit/initctl/test_commands.c src/initctl/initctl_health.c \
	src/initctl/initctl_events.c src/initctl/initctl_metrics.c src/initctl/initctl_show.c src/initctl/initctl_ps.c \
	src/initctl/list_table.c src/initctl/json.c src/common/utf8.c src/initctl/json_view.c src/initctl/words.c src/initctl/signames.c \
	src/initctl/metrics.c src/initctl/out.c src/common/proto.c src/initctl/initctl_attest.c src/initctl/attest_doc.c \
	src/initctl/attest_text.c src/initctl/doc_recv.c src/common/cbor.c src/initctl/initctl_opts.c src/initctl/usage.c \
	src/initctl/ictlconf.c
build_run initctl attest_doc tests/unit/initctl/test_attest_doc.c src/initctl/attest_doc.c src/initctl/attest_text.c \
	src/initctl/json_view.c src/initctl/json.c src/common/utf8.c src/initctl/words.c src/initctl/signames.c \
	src/common/proto.c src/common/cbor.c
build_run init app tests/unit/init/test_app.c tests/unit/init/fake_say.c src/init/app.c src/init/fmt.c "$out/gen/config_gen.c"
build_run init svc tests/unit/init/test_svc.c tests/unit/init/fake_sys.c tests/unit/init/fake_say.c tests/unit/init/fake_health.c src/init/svc.c src/init/deps.c src/init/events.c src/init/fmt.c "$out/gen/config_gen.c"
build_run init events tests/unit/init/test_events.c src/init/events.c
build_run init notify_msg tests/unit/init/test_notify_msg.c src/init/notify_msg.c src/common/utf8.c
build_run init passwd tests/unit/init/test_passwd.c src/init/passwd.c
build_run init privs tests/unit/init/test_privs.c src/init/spawn.c src/init/privs.c src/init/passwd.c src/init/fmt.c "$out/gen/config_gen.c"
build_run init health tests/unit/init/test_health.c src/init/health.c src/init/spawn.c src/init/privs.c src/init/passwd.c src/init/clock.c src/init/fmt.c
build_run init nsm tests/unit/init/test_nsm.c src/init/nsm.c src/common/cbor.c src/init/fmt.c -Wl,--wrap=open,--wrap=ioctl
build_run init attest -DATTEST_TIMEOUT_MS=300 tests/unit/init/test_attest.c tests/unit/init/fake_say.c src/init/attest.c \
	src/init/spawn.c src/init/privs.c src/init/passwd.c src/init/nsm.c src/init/clock.c src/init/fmt.c src/common/cbor.c "$out/gen/config_gen.c" \
	-Wl,--wrap=access,--wrap=open,--wrap=ioctl
# initctl's JSON and metrics read by other parsers: Python's json,
# prometheus_client and promtool (Debian's python3-prometheus-client and
# prometheus; each is skipped, and said so, when missing).
if build initctl dump_formats tests/unit/initctl/dump_formats.c src/initctl/json_view.c src/initctl/json.c src/common/utf8.c \
	src/initctl/logjson.c src/initctl/metrics.c src/initctl/words.c src/initctl/signames.c src/common/proto.c &&
	mkdir "$out/formats" && "$out/dump_formats" "$out/formats"; then
	fmt_py=$PYTHON
	/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null && fmt_py=/usr/bin/python3
	"$fmt_py" tests/unit/initctl/check_formats.py "$out/formats"
fi
exit 0
