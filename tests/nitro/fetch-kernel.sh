#!/bin/bash
# Fetch the guest kernel of the emulated Nitro Enclave tier, without
# installing it.
#
#   tests/nitro/fetch-kernel.sh DIR
#
# Why this kernel: bookworm-backports' linux-image-6.12.*-cloud-amd64 has
# the NSM driver (CONFIG_NSM=m) that the enclave's virtio-nsm device needs;
# bookworm's 6.1 has none. The ABI series is pinned to 6.12; the exact
# package (the ABI changes with each upload, and the archive keeps only the
# current one) is what bookworm-backports' linux-image-cloud-amd64
# meta-package depends on. Its headers and kbuild packages come along to
# build the helper module (tests/nitro/mmio). All four are fetched with
# `apt-get download` and unpacked with `dpkg-deb -x`. Keeps:
#
#   DIR/vmlinuz              the kernel
#   DIR/version              its version (e.g. 6.12.95+deb12-cloud-amd64)
#   DIR/package              the linux-image package it came from
#   DIR/modules/NAME.ko      nsm, virtio_mmio, the vsock modules and the
#                            modules they depend on (decompressed)
#   DIR/modules/order        those modules in load order (dependencies first)
#   DIR/headers/             the unpacked linux-headers-*-cloud-amd64,
#                            linux-headers-*-common and linux-kbuild-6.12
#                            (DIR/headers/usr/src/linux-headers-VERSION is
#                            what `make -C` wants)
#
# The .deb files are deleted once unpacked. Does nothing when DIR already
# holds what that package gives. Prints one
# line saying what it did; on failure says why on stderr and exits 1.
set -u
dir=${1:?usage: fetch-kernel.sh DIR}
suite=bookworm-backports
meta=linux-image-cloud-amd64
series=6.12
# What the guest loads, besides the helper module: virtio_mmio (the
# transport of the machine's two devices), the vsock stack (the machine's
# vhost-user-vsock device), nsm (/dev/nsm and the nsm-hwrng). Their own
# dependencies are added from each module's depends=.
wanted="virtio_mmio vsock vmw_vsock_virtio_transport_common vmw_vsock_virtio_transport nsm"

die() {
	echo "fetch-kernel: $*" >&2
	exit 1
}

resolve() {
	apt-cache depends "$meta/$suite" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

pkg=$(resolve)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	# No package lists for the suite yet: fetch them once.
	apt-get update -qq >/dev/null 2>&1
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	if [ -s "$dir/vmlinuz" ] && [ -s "$dir/modules/order" ]; then
		echo "fetch-kernel: apt cannot resolve $meta/$suite; using the kernel already in $dir ($(cat "$dir/version"))"
		exit 0
	fi
	die "apt-cache depends $meta/$suite names no linux-image package ($suite not in apt's sources? tests/nitro/build-qemu.sh adds it)"
fi
# linux-image-6.12.95+deb12-cloud-amd64 -> 6.12.95+deb12 (the ABI name).
abi=${pkg#linux-image-}
abi=${abi%-cloud-amd64}
case $abi in
"$series".*) ;;
*) die "$meta/$suite now depends on $pkg, not a $series kernel: review the pin in $0" ;;
esac
if [ -s "$dir/vmlinuz" ] && [ -s "$dir/modules/order" ] && [ "$(cat "$dir/package" 2>/dev/null)" = "$pkg" ]; then
	echo "fetch-kernel: $pkg already in $dir"
	exit 0
fi
pkgs="$pkg linux-headers-$abi-cloud-amd64 linux-headers-$abi-common linux-kbuild-$series.${abi#"$series".}"

mkdir -p "$dir/deb" || die "cannot create $dir/deb"
# apt-get download drops privileges to _apt when it can write the
# directory; otherwise it warns and downloads as root (harmless).
chmod 0777 "$dir/deb" 2>/dev/null
rm -rf "$dir/headers" "$dir/modules" "$dir/vmlinuz" "$dir/version" "$dir/package"
tmp=$(mktemp -d "$dir/unpack.XXXXXX") || die "mktemp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dir/headers"
for p in $pkgs; do
	deb=$(ls "$dir/deb/${p}"_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		if ! out=$(cd "$dir/deb" && apt-get download "$p/$suite" 2>&1); then
			# Stale package lists name an upload the archive has dropped
			# (backports kernels change ABI with each upload): update
			# them once and start again.
			if [ -z "${FETCH_KERNEL_UPDATED:-}" ] && [ "$(id -u)" = 0 ]; then
				apt-get update -qq >/dev/null 2>&1
				rm -rf "$tmp"
				FETCH_KERNEL_UPDATED=1 exec "$0" "$dir"
			fi
			die "apt-get download $p/$suite failed: $(echo "$out" | grep -v '^W: Download is performed unsandboxed' | tail -3)"
		fi
		deb=$(ls "$dir/deb/${p}"_*.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || die "apt-get download $p/$suite left no .deb in $dir/deb"
	fi
	case $p in
	linux-image-*) dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed" ;;
	*) dpkg-deb -x "$deb" "$dir/headers" || die "dpkg-deb -x $deb failed" ;;
	esac
done

vmlinuz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$vmlinuz" ] || die "$pkg holds no boot/vmlinuz-*"
ver=${vmlinuz##*/vmlinuz-}
moddir="$tmp/lib/modules/$ver/kernel"
[ -d "$moddir" ] || die "$pkg holds no lib/modules/$ver/kernel"
hdr="$dir/headers/usr/src/linux-headers-$ver"
[ -d "$hdr" ] || die "no usr/src/linux-headers-$ver in the headers packages"
# The flavour's Makefile includes the common one by its installed path
# (/usr/src/...); point it at the unpacked one, relative to itself (make
# -C runs there), so that nothing needs installing.
sed -i "s|^include /usr/src/\(linux-headers-[^/]*-common\)/Makefile\$|include ../\1/Makefile|" "$hdr/Makefile"
grep -q '^include \.\./linux-headers-.*-common/Makefile$' "$hdr/Makefile" ||
	die "$hdr/Makefile does not include the common headers' Makefile as expected: $(head -1 "$hdr/Makefile")"

# A module's depends= from its .modinfo section (NUL-separated key=value).
depends_of() {
	objcopy -O binary --only-section=.modinfo "$1" "$tmp/modinfo" 2>/dev/null ||
		die "cannot read .modinfo of $1 (binutils?)"
	tr '\0' '\n' < "$tmp/modinfo" | sed -n 's/^depends=//p' | tr ',' ' '
}

# Depth-first: a module goes into the order after its dependencies.
mkdir -p "$dir/modules"
: > "$dir/modules/order"
add_module() {
	local m=$1 f d
	grep -qx "$m" "$dir/modules/order" && return 0
	f=$(find "$moddir" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" \) | head -1)
	if [ -z "$f" ]; then
		# Built in: nothing to load (the kernel's modules.builtin names it).
		grep -q "/$m.ko\$" "$tmp/lib/modules/$ver/modules.builtin" 2>/dev/null && return 0
		die "$ver has no module $m (neither a .ko nor built in)"
	fi
	case $f in
	*.xz) xz -dc "$f" > "$dir/modules/$m.ko" || die "xz -d $f" ;;
	*.zst) zstd -qdc "$f" > "$dir/modules/$m.ko" || die "zstd -d $f" ;;
	*) cp "$f" "$dir/modules/$m.ko" ;;
	esac
	for d in $(depends_of "$dir/modules/$m.ko"); do
		add_module "${d//-/_}"
	done
	echo "$m" >> "$dir/modules/order"
}
for m in $wanted; do
	add_module "$m"
done
cp "$vmlinuz" "$dir/vmlinuz"
echo "$ver" > "$dir/version"
echo "$pkg" > "$dir/package"
# Unpacked, the packages are not needed again (48 MB): a new ABI fetches
# new ones anyway.
rm -rf "$dir/deb"
echo "fetch-kernel: $pkg and its headers unpacked into $dir (kernel $ver; modules: $(echo $(cat "$dir/modules/order")))"
