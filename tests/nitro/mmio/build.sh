#!/bin/bash
# Build the helper module nitro_mmio.ko (see nitro_mmio.c) with Kbuild
# against the headers tests/nitro/fetch-kernel.sh unpacked.
#
#   tests/nitro/mmio/build.sh KERNELDIR OUTDIR
#
# KERNELDIR is fetch-kernel.sh's DIR. The sources are copied to OUTDIR
# (Kbuild writes its objects next to them) and OUTDIR/nitro_mmio.ko is
# the result. Rebuilds only when the sources or the kernel changed.
# Prints one line; on failure the tail of the build's output on stderr.
set -u
kdir=${1:?usage: build.sh KERNELDIR OUTDIR}
out=${2:?usage: build.sh KERNELDIR OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
ver=$(cat "$kdir/version" 2>/dev/null) || { echo "mmio: no kernel in $kdir (run fetch-kernel.sh)" >&2; exit 1; }
headers=$(cd "$kdir/headers/usr/src/linux-headers-$ver" 2>/dev/null && pwd) ||
	{ echo "mmio: no headers for $ver in $kdir/headers" >&2; exit 1; }
mkdir -p "$out" || exit 1
stamp="$ver $(cat "$src/Kbuild" "$src/nitro_mmio.c" | sha256sum | cut -d' ' -f1)"
if [ -s "$out/nitro_mmio.ko" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "mmio: nitro_mmio.ko already built for $ver"
	exit 0
fi
rm -rf "${out:?}"/* && cp "$src/Kbuild" "$src/nitro_mmio.c" "$out/" || exit 1
# Debian's kernel was built with bookworm's gcc-12; the kbuild package's
# scripts are host binaries from the same release. No BTF for the module
# (it would need pahole, and nothing here reads it).
if ! log=$(make -C "$headers" M="$(cd "$out" && pwd)" CONFIG_DEBUG_INFO_BTF_MODULES= modules 2>&1); then
	echo "mmio: building nitro_mmio.ko against $headers failed:" >&2
	echo "$log" | tail -15 >&2
	exit 1
fi
echo "$stamp" > "$out/stamp"
echo "mmio: built nitro_mmio.ko for $ver"
