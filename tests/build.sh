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
# Sound incremental builds: after each kind of change, one `make` in a tree
# built before must give exactly the bytes of a clean build of the changed
# inputs (the builds are reproducible, so equality is the test).
inc="$out/inc"
mkdir -p "$inc"
(tar cf - Makefile gen include src tools config) | tar xf - -C "$inc"
make -s -C "$inc" -j2 BUILD=b all >/dev/null 2>&1 || echo "FAIL build: incremental: first build"
same_as_clean() {  # same_as_clean [MAKE ARGS...]: the tree's b/ against a clean build
	local clean="$out/clean"
	rm -rf "$clean" && mkdir -p "$clean"
	(cd "$inc" && tar cf - --exclude=./b .) | tar xf - -C "$clean"
	make -s -C "$clean" -j2 BUILD=b "$@" all >/dev/null 2>&1 || { echo "clean build failed"; return 1; }
	local b
	for b in init initctl; do
		cmp "$inc/b/$b" "$clean/b/$b" || { echo "$b differs from a clean build"; return 1; }
	done
}
incremental() {  # incremental NAME EDIT-COMMAND [MAKE ARGS...]: edit, one make, compare
	local name=$1 edit=$2; shift 2
	(cd "$inc" && sh -c "$edit") || { echo "FAIL build: incremental: $name: the edit failed"; return; }
	if ! msg=$(make -s -C "$inc" -j2 BUILD=b "$@" all 2>&1); then
		echo "FAIL build: incremental: $name: make failed"; echo "$msg" | sed 's/^/    /' | tail -10; return
	fi
	check "build: incremental: $name gives the bytes of a clean build" same_as_clean "$@"
}
incremental "init.yaml edited (control.unix_allow narrowed)" \
	"sed -i 's/^control:\$/control:\\n  unix_allow: [read]/' config/init.yaml && grep -q 'unix_allow: \\[read\\]' config/init.yaml"
incremental "four of five services removed" \
	"rm config/services/webapp.service config/services/flaky.service config/services/ticker.service config/services/debug-shell.service.disabled"
incremental "a service added" \
	"printf 'ExecStart = \"/bin/sleep 100\"\nAfter = [\"database\"]\n' > config/services/added.service"
incremental "a service edited" \
	"sed -i 's/sleep 86400/sleep 86401/' config/services/database.service"
incremental "a source edited" \
	"sed -i 's/Pong - init system is responsive/Pong - init system is responsive!/' src/init/ops.c"
incremental "a private header edited" \
	"sed -i 's/#define CTL_TIMEOUT_MS 5000/#define CTL_TIMEOUT_MS 5001/' src/init/ctl.h"
incremental "a shared header edited" \
	"sed -i 's/#define PROTO_WAIT_MAX_SEC 86400/#define PROTO_WAIT_MAX_SEC 86401/' include/proto.h"
incremental "a generator template edited" \
	"sed -i 's/#define CFG_VERSION \"{{ version }}\"/#define CFG_VERSION \"{{ version }}+t\"/' gen/templates/config_gen.h.j2"
incremental "a source file added" \
	"printf '/* extra.c: a test file. */\nint extra_unused(void);\nint extra_unused(void) { return 42; }\n' > src/init/extra.c"
incremental "the source file removed again" "rm src/init/extra.c"
incremental "CFLAGS changed" ":" CFLAGS=-O2
incremental "CFLAGS changed back" ":"
# Another configuration file, older than the last build: the path is an input.
(cd "$inc" && cp -p config/init.yaml config/other.yaml && touch -d '2000-01-01' config/other.yaml &&
 sed -i 's/^max_log_files: 5$/max_log_files: 7/' config/other.yaml && touch -d '2000-01-01' config/other.yaml)
incremental "CONFIG switched to an older file" ":" CONFIG=config/other.yaml
incremental "CONFIG switched back" ":"
# A header that would shadow another in the same include path is refused,
# since the dependency files only name the headers found last time.
cp "$inc/include/proto.h" "$inc/src/init/proto.h"
refuses "build: a header shadowing include/proto.h in src/init is refused" make -s -C "$inc" BUILD=b all
rm -f "$inc/src/init/proto.h"
check "build: a second make has nothing to compile" sh -c \
	"make -C '$inc' BUILD=b all >/dev/null 2>&1 && ! make -C '$inc' BUILD=b all 2>&1 | grep -q -- ' -c -o '"
# Negative control: the comparison must catch stale objects. After a
# configuration change, relink with every object but config_gen.o kept as
# it was (what the old Makefile did); the result must differ.
(cd "$inc" && sed -i 's/sleep 86401/sleep 86402/' config/services/database.service &&
 printf 'ExecStart = "/bin/true"\n' > config/services/second.service)
stale=$(cd "$inc" && for o in b/obj/*/*.o; do printf ' -o %s' "$o"; done)
# shellcheck disable=SC2086
make -s -C "$inc" BUILD=b $stale all >/dev/null 2>&1
refuses "build: incremental: the comparison catches stale objects (negative control)" same_as_clean
exit 0
