#!/bin/bash
# Lint suite: `make lint`'s four tools, one test each (cppcheck, gcc
# -fanalyzer, clang-tidy, clang-format), over every source with the example
# configuration's generated header. A finding fails its test; the
# findings follow, indented.
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp -d /tmp/ei-lint.XXXXXX)
trap 'rm -rf "$out"' EXIT
jobs=$(nproc 2>/dev/null || echo 2)
if ! msg=$(make -s BUILD="$out/b" "$out/b/gen/config_gen.h" 2>&1); then
	echo "FAIL lint: generate the configuration header"; echo "$msg" | sed 's/^/    /' | tail -20; exit 0
fi
for t in cppcheck analyzer tidy format; do
	name=$t
	[ "$t" = tidy ] && name=clang-tidy
	[ "$t" = analyzer ] && name="gcc -fanalyzer"
	[ "$t" = format ] && name="clang-format (the code is as .clang-format says)"
	# -k: every finding of the tool, not only the first file's
	if msg=$(make -s -k -j"$jobs" BUILD="$out/b" "lint-$t" 2>&1); then
		echo "PASS lint: $name"
	else
		echo "FAIL lint: $name"
		# the findings, one line each (not the notes and source lines after them)
		echo "$msg" | sed "s|^$PWD/||" |
			grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: (error|warning|style|performance|portability)' |
			sort -u | sed 's/^/    /' | head -60
	fi
done
exit 0
