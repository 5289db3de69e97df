#!/bin/bash
# Build suite: the example configuration builds, and the design's claims
# hold on the linked binaries (no heap, no stdio, static, reproducible).
# The checks themselves are tested too: each must fail on a binary that
# breaks its claim, or it proves nothing.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp -d /tmp/ei-build.XXXXXX)
trap 'rm -rf "$out"' EXIT
check() {  # check NAME COMMAND...: PASS when the command succeeds
	local name=$1; shift
	if msg=$("$@" 2>&1); then echo "PASS $name"; else echo "FAIL $name"; echo "$msg" | sed 's/^/    /' | tail -20; fi
}
refuses() {  # refuses NAME COMMAND...: PASS when the command fails
	local name=$1; shift
	if msg=$("$@" 2>&1); then echo "FAIL $name: accepted"; echo "$msg" | sed 's/^/    /' | tail -5; else echo "PASS $name"; fi
}
check "build: example configuration" make -s BUILD="$out/b" all
check "build: check-nomalloc" make -s BUILD="$out/b" check-nomalloc
check "build: check-static" make -s BUILD="$out/b" check-static
check "build: repro (two trees, byte-identical)" tools/repro.sh
check "build: init --version names the configuration hash" \
	sh -c "$out/b/init --version | grep -q \"\$(grep -o '[0-9a-f]\{16\}' $out/b/gen/config_gen.h | head -1)\""
check "build: init --print-config is YAML of the compiled-in configuration" \
	sh -c "$out/b/init --print-config | \$PYTHON -c 'import sys,yaml; d=yaml.safe_load(sys.stdin); assert d[\"control\"][\"unix_socket_path\"]==\"/run/enclave-init/init.sock\"; assert [s[\"name\"] for s in d[\"services\"]][:1]==[\"database\"]'"
# The settings are compiled in as text, the services printed from the
# tables: byte for byte what the generator's own YAML writer says, for the
# example and for every kind of string the generator accepts (quotes,
# backslashes, control characters, UTF-8 beyond U+FFFF).
check "build: init --print-config is exactly the generator's print-config.yaml" \
	cmp "$out/b/gen/print-config.yaml" <("$out/b/init" --print-config)
for c in ok-strings-tricky ok-svc-all-keys ok-no-services ok-env-yaml-words; do
	check "build: init --print-config is exactly print-config.yaml ($c)" sh -c \
		"make -s CONFIG=tests/gen/cases/$c/init.yaml BUILD=$out/$c $out/$c/init >/dev/null &&
		 $out/$c/init --print-config | cmp $out/$c/gen/print-config.yaml -"
done
check "build: init rejects unknown arguments when not PID 1" \
	sh -c "! $out/b/init --bogus 2>/dev/null"

# Negative controls: a binary that does call malloc / is dynamic must be refused.
mkdir -p "$out/neg"
printf '#include <stdlib.h>\nint main(void){return malloc(3)!=0;}\n' > "$out/neg/m.c"
musl-gcc -static -o "$out/neg/init.full" "$out/neg/m.c"
refuses "build: check-nomalloc refuses a binary that links malloc" \
	make -s BUILD="$out/neg" -o "$out/neg/init.full" check-nomalloc
printf 'int main(void){return 0;}\n' > "$out/neg/d.c"
gcc -o "$out/neg/init" "$out/neg/d.c" && cp "$out/neg/init" "$out/neg/initctl"
refuses "build: check-static refuses a dynamic binary" \
	make -s BUILD="$out/neg" -o "$out/neg/init" -o "$out/neg/initctl" check-static
exit 0
