#!/bin/bash
# C unit tests: each test_*.c is built (musl, -DEI_TESTING so NEVER()/ALWAYS()
# abort) against the sources it tests, plus fakes where it needs them, and run.
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp -d /tmp/ei-unit.XXXXXX)
trap 'rm -rf "$out"' EXIT
PYTHON=${PYTHON:-$(tools/find-python)}
if ! msg=$("$PYTHON" gen/initgen.py tests/unit/config/init.yaml "$out/gen" 2>&1); then
	echo "FAIL unit: generate test configuration"; echo "$msg" | sed 's/^/    /'; exit 0
fi
CFLAGS="-std=c11 -D_GNU_SOURCE -DEI_TESTING -O1 -g -Wall -Wextra -Werror -Wno-missing-field-initializers -Iinclude -I$out/gen -Itests/unit"
build_run() {  # build_run NAME SOURCES...
	local name=$1; shift
	if ! msg=$(musl-gcc $CFLAGS -static -o "$out/$name" "$@" 2>&1); then
		echo "FAIL unit: $name: build"; echo "$msg" | sed 's/^/    /' | head -20; return
	fi
	"$out/$name" || echo "FAIL unit: $name: exited with status $?"
}
build_run proto tests/unit/test_proto.c src/proto.c
build_run fmt tests/unit/test_fmt.c src/fmt.c
build_run signames tests/unit/test_signames.c src/signames.c
build_run logring tests/unit/test_logring.c src/logring.c
build_run logline tests/unit/test_logline.c src/logline.c
build_run ictlconf tests/unit/test_ictlconf.c src/ictlconf.c
build_run stream_client -DACCEPT_TIMEOUT_MS=300 tests/unit/test_stream_client.c src/stream_client.c src/proto.c \
	-Wl,--wrap=socket,--wrap=bind,--wrap=accept4
build_run initctl_ps tests/unit/test_initctl_ps.c src/initctl_ps.c src/proto.c src/signames.c
build_run app tests/unit/test_app.c src/app.c src/fmt.c "$out/gen/config_gen.c"
build_run svc tests/unit/test_svc.c tests/unit/fake_sys.c src/svc.c src/deps.c src/fmt.c "$out/gen/config_gen.c"
exit 0
