#!/bin/sh
# Install the Debian packages the build and the tests need, when missing.
# Run as root on Debian (or with sudo); does nothing when all are present.
# Usage: tools/deps.sh [build|test|bench]
set -e
need="make musl-tools python3 python3-yaml python3-jinja2 binutils util-linux"
opts=""
case "${1:-build}" in
# the lint suite (tests/lint.sh) needs cppcheck, clang-tidy and clang-format; the
# fuzz suite (tests/fuzz) and the sanitize suite clang, its libFuzzer and sanitizer
# runtimes and LLVM's symbolizer; make test-valgrind valgrind; the boot tests
# (tests/boot) need QEMU and a static busybox; the readiness scenarios (tests/integration)
# systemd (only for /usr/bin/systemd-notify: installed, never booted) and python3-systemd
# (systemd.daemon.notify); the metrics checks promtool (prometheus) and
# python3-prometheus-client; the emulated Nitro Enclave tier (tests/nitro) QEMU
# 10's build dependencies from bookworm (tests/nitro/build-qemu.sh adds
# bookworm-backports and installs meson and python3-pycotap from there); their
# recommended packages are not needed
test) need="$need procps bc cppcheck clang-tidy clang-format clang libclang-rt-14-dev llvm valgrind qemu-system-x86 busybox-static systemd python3-systemd prometheus python3-prometheus-client
	build-essential ninja-build pkg-config flex bison python3-venv libglib2.0-dev zlib1g-dev libpixman-1-dev libcbor-dev libfdt-dev libgnutls28-dev xz-utils curl ca-certificates qemu-system-data"; opts="--no-install-recommends" ;;
bench) need="$need procps s6 runit tini dumb-init hyperfine" ;;
esac
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $opts $missing >/dev/null
