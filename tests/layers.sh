#!/bin/bash
# Layers suite: no module of init or initctl depends on itself through
# others (make check-layers, from the objects' symbols). The check is
# tested too: it must fail on objects that do call each other, tiny ones
# and the real tree with one edge added, or it proves nothing.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp -d /tmp/ei-layers.XXXXXX)
trap 'rm -rf "$out"' EXIT
PY=${PYTHON:-python3}
check() {  # check NAME COMMAND...: PASS when the command succeeds
	local name=$1; shift
	if msg=$("$@" 2>&1); then echo "PASS $name"; else echo "FAIL $name"; echo "$msg" | sed 's/^/    /' | tail -20; fi
}
refuses() {  # refuses NAME PATTERN COMMAND...: PASS when it fails and says PATTERN
	local name=$1 pattern=$2; shift 2
	if msg=$("$@" 2>&1); then echo "FAIL $name: accepted"; echo "$msg" | sed 's/^/    /' | tail -5
	elif ! grep -q -- "$pattern" <<<"$msg"; then echo "FAIL $name: does not say '$pattern'"; echo "$msg" | sed 's/^/    /' | tail -5
	else echo "PASS $name"; fi
}
cc() { musl-gcc -c -O1 -w -o "$out/$1.o" -x c - <<<"$2"; }

check "layers: make check-layers (init, initctl)" make -s BUILD="$out/b" check-layers
# The last layer of each program is its main module.
check "layers: the report orders the modules, main's last" sh -c \
	"make -s BUILD=$out/b check-layers | awk '/^check-layers/ { if (last) print last; last = \"\"; next } { last = \$2 } END { print last }' |
	 tr '\\n' ' ' | grep -qx 'init initctl '"

# Negative controls. Two modules that call each other; three in a ring;
# a chain (must pass). Then the real init with one module added that
# closes a ring: it defines a symbol clock.o uses and calls loop_run.
cc a 'void b(void); void a(void) { b(); }'
cc b 'void a(void); void b(void) { a(); }'
cc x 'void y(void); void x(void) { y(); }'
cc y 'void z(void); void y(void) { z(); }'
cc z 'void x(void); void z(void) { x(); }'
cc top 'void x1(void); int main(void) { x1(); return 0; }'
cc x1 'void x2(void); void x1(void) { x2(); }'
cc x2 'void x2(void) { }'
refuses "layers: refuses two modules that call each other" "{a, b}: 1 cycle" \
	"$PY" tools/check-layers.py --program neg "$out/a.o" "$out/b.o"
refuses "layers: refuses three modules in a ring, and names the ring" "x (y) -> y (z) -> z (x) -> x" \
	"$PY" tools/check-layers.py --program neg "$out/x.o" "$out/y.o" "$out/z.o"
check "layers: accepts a chain and prints it in layers" sh -c \
	"'$PY' tools/check-layers.py --program pos '$out/top.o' '$out/x1.o' '$out/x2.o' | tr -s ' ' | grep -qx ' 2 top'"
# a leaf's references are not edges: config_gen may name anything
cp "$out/b.o" "$out/config_gen.o"
check "layers: generated data (config_gen) is a leaf" \
	"$PY" tools/check-layers.py --program leaf "$out/a.o" "$out/config_gen.o"
clock_uses=$(nm -P "$out/b/obj/init/clock.o" | awk '$2 == "U" { print $1; exit }')
if [ -z "$clock_uses" ]; then
	echo "FAIL layers: negative control: clock.o uses no outside symbol to hijack"
else
	cc evil "void loop_run(int); void $clock_uses(void) { loop_run(-1); }"
	refuses "layers: refuses the real init with one edge that closes a ring" "evil" \
		"$PY" tools/check-layers.py --program init $(ls "$out"/b/obj/common/*.o "$out"/b/obj/init/*.o) \
		"$out/b/obj/config_gen.o" "$out/evil.o"
fi
exit 0
