#!/bin/sh
# Build the same sources and configuration twice, from two copies of the tree
# at different paths (different lengths, different names), and compare the
# bytes of the binaries. Any path, time or user leaking into a binary shows
# up as a difference. Usage: tools/repro.sh [CONFIG]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
config=${1:-config/init.yaml}
tmp=$(mktemp -d /tmp/ei-repro.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
case "$config" in /*) ;; *) config="$top/$config" ;; esac
for d in a/x long-directory-name/b; do
	mkdir -p "$tmp/$d"
	(cd "$top" && tar cf - Makefile gen include src tools) | tar xf - -C "$tmp/$d"
	cp -r "$(dirname "$config")" "$tmp/$d/config"
	make -s -C "$tmp/$d" CONFIG="config/$(basename "$config")" BUILD=out all >/dev/null
done
status=0
for b in init initctl; do
	if cmp -s "$tmp/a/x/out/$b" "$tmp/long-directory-name/b/out/$b"; then
		echo "repro: $b identical ($(sha256sum < "$tmp/a/x/out/$b" | cut -c1-16), $(wc -c < "$tmp/a/x/out/$b") bytes)"
	else
		echo "repro: $b DIFFERS between the two builds"; status=1
	fi
done
exit $status
