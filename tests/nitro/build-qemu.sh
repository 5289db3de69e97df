#!/bin/bash
# Build QEMU's nitro-enclave machine for the emulated Nitro Enclave tier.
#
#   tests/nitro/build-qemu.sh [DIR]      (default build/nitro/qemu)
#
# Why a build: Debian's QEMU packages are built without libcbor, so they
# lack the nitro-enclave machine and its virtio-nsm device. QEMU 10.0.2
# builds from Debian's own source tarball with Debian build dependencies
# (meson >= 1.5 and python3-pycotap come from bookworm-backports), so
# everything comes through Debian's archive: CI has no other network.
#
# Builds only qemu-system-x86_64 with a device config of just
# CONFIG_NITRO_ENCLAVE=y (Kconfig pulls in microvm, virtio-mmio, the
# vhost-user-vsock and virtio-nsm devices), no docs, no tools. Keeps:
#
#   DIR/bin/qemu-system-x86_64    the binary (stripped)
#   DIR/firmware/                 for -L: qboot.rom (microvm's firmware)
#                                 and linuxboot_dma.bin (the option ROM
#                                 QEMU adds for -kernel; qboot loads the
#                                 kernel itself, so without it QEMU only
#                                 warns). Debian's +ds tarball strips binary
#                                 roms; qemu-system-data ships the ones
#                                 Debian builds from source
#   DIR/stamp                     version + configuration of that binary
#
# The source tree and the build tree (about 1 GB) are deleted after the
# build. A second run with the same stamp does nothing. Prints one line
# saying what it did; on failure says why on stderr (with the tail of
# DIR/build.log) and exits 1.
set -u
dir=${1:-build/nitro/qemu}
version=10.0.2
tarball=qemu_${version}+ds.orig.tar.xz
url=http://deb.debian.org/debian/pool/main/q/qemu/$tarball
# From bookworm-backports' Sources index (qemu 1:10.0.2+ds-2+deb13u1~bpo12+1).
sha256=0901da33844a331bf8b3602b9c1fbd178e60b737c8e3ade678255bd090c9b9f1
# Build dependencies: bookworm's, then the two that must be newer.
deps="build-essential ninja-build pkg-config flex bison python3 python3-venv
	libglib2.0-dev zlib1g-dev libpixman-1-dev libcbor-dev libfdt-dev
	libgnutls28-dev binutils xz-utils curl ca-certificates qemu-system-data"
bpo_deps="meson python3-pycotap"
devices="CONFIG_NITRO_ENCLAVE=y"
# Debian's python3, not whatever python3 comes first in PATH (pyenv):
# meson and pycotap are Debian packages in its dist-packages.
configure_flags="--target-list=x86_64-softmmu --python=/usr/bin/python3
	--without-default-features --without-default-devices
	--with-devices-x86_64=nitro-enclave --disable-download
	--enable-tcg --enable-kvm --enable-fdt=system --enable-libcbor
	--enable-gnutls --enable-vhost-user --enable-pixman
	--disable-docs --disable-tools --disable-user --disable-werror
	--disable-debug-info --disable-install-blobs"
stamp_text="qemu $version+ds sha256:$sha256 devices:$devices configure:$(echo $configure_flags)"

die() {
	echo "build-qemu: $*" >&2
	exit 1
}

firmware="qboot.rom linuxboot_dma.bin"

# The firmware, from qemu-system-data (installed with the build
# dependencies below; checked on every run, it is cheap).
install_firmware() {
	local f
	mkdir -p "$dir/firmware" || die "cannot create $dir/firmware"
	for f in $firmware; do
		[ -s "$dir/firmware/$f" ] && continue
		cp "/usr/share/qemu/$f" "$dir/firmware/" || die "no /usr/share/qemu/$f (Debian: qemu-system-data)"
	done
}

if [ -x "$dir/bin/qemu-system-x86_64" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp_text" ]; then
	install_firmware
	echo "build-qemu: QEMU $version nitro-enclave already built in $dir"
	exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

# bookworm-backports in apt's sources, in its own file, when no source
# names it yet.
add_backports() {
	grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 1
	cat > /etc/apt/sources.list.d/enclave-init-backports.sources <<-'EOF' || die "cannot write /etc/apt/sources.list.d/enclave-init-backports.sources"
		Types: deb
		URIs: http://deb.debian.org/debian
		Suites: bookworm-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	return 0
}

missing=""
for p in $deps; do installed "$p" || missing="$missing $p"; done
bpo_missing=""
for p in $bpo_deps; do installed "$p" || bpo_missing="$bpo_missing $p"; done
# bookworm's meson is 1.0; QEMU 10 needs >= 1.5.
installed meson && ! dpkg --compare-versions "$(dpkg-query -W -f='${Version}' meson)" ge 1.5 &&
	bpo_missing="$bpo_missing meson"
if [ -n "$missing$bpo_missing" ] || ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$missing$bpo_missing (and bookworm-backports in apt's sources): run as root"
	export DEBIAN_FRONTEND=noninteractive
	if add_backports || [ -n "$missing$bpo_missing" ]; then
		apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed"
	fi
	if [ -n "$missing" ]; then
		out=$(apt-get install -y -qq --no-install-recommends $missing 2>&1) ||
			die "apt-get install$missing failed: $(echo "$out" | tail -3)"
	fi
	if [ -n "$bpo_missing" ]; then
		out=$(apt-get install -y -qq --no-install-recommends -t bookworm-backports $bpo_missing 2>&1) ||
			die "apt-get install -t bookworm-backports$bpo_missing failed: $(echo "$out" | tail -3)"
	fi
fi

mkdir -p "$dir" || die "cannot create $dir"
dir=$(cd "$dir" && pwd)
work=$dir/work
log=$dir/build.log
rm -rf "$work" "$dir/bin" "$dir/firmware" "$dir/stamp"
mkdir -p "$work" || die "cannot create $work"
start=$(date +%s)

curl -sSf -o "$work/$tarball" "$url" 2>"$log" || die "download of $url failed: $(tail -1 "$log")"
echo "$sha256  $work/$tarball" | sha256sum -c --quiet - >/dev/null 2>&1 ||
	die "$tarball: sha256 is $(sha256sum < "$work/$tarball" | cut -d' ' -f1), expected $sha256"
tar -xJf "$work/$tarball" -C "$work" || die "cannot unpack $tarball"
rm -f "$work/$tarball"
src=$work/qemu-$version
echo "$devices" > "$src/configs/devices/x86_64-softmmu/nitro-enclave.mak"
# The +ds tarball has no edk2 firmware, yet meson unpacks it for an x86_64
# target whenever bzip2 is installed: turn that off (we boot with qboot).
sed -i 's/^\( *unpack_edk2_blobs = \)bzip2.found()$/\1false/' "$src/meson.build"
! grep -q 'unpack_edk2_blobs = bzip2.found()' "$src/meson.build" ||
	die "cannot turn off the edk2 unpacking in $src/meson.build (a changed meson.build?)"

fail() {
	echo "build-qemu: $1 failed (log: $log):" >&2
	tail -15 "$log" >&2
	exit 1
}
mkdir -p "$src/build"
(cd "$src/build" && ../configure $configure_flags) >>"$log" 2>&1 || fail "configure"
ninja -C "$src/build" -j"$(nproc)" qemu-system-x86_64 >>"$log" 2>&1 || fail "ninja"

mkdir -p "$dir/bin"
cp "$src/build/qemu-system-x86_64" "$dir/bin/" && strip "$dir/bin/qemu-system-x86_64" ||
	die "cannot install qemu-system-x86_64 into $dir/bin"
install_firmware
"$dir/bin/qemu-system-x86_64" -M help 2>/dev/null | grep -q '^nitro-enclave' ||
	die "the built QEMU has no nitro-enclave machine (log: $log)"
rm -rf "$work"
echo "$stamp_text" > "$dir/stamp"
echo "build-qemu: built QEMU $version nitro-enclave into $dir in $(($(date +%s) - start)) s ($(du -sh "$dir/bin/qemu-system-x86_64" | cut -f1))"
