#!/bin/bash
# Fetch Debian's cloud kernel for the boot tests, without installing it.
#
#   tests/boot/fetch-kernel.sh DIR
#
# Resolves the package behind the meta-package linux-image-cloud-amd64 with
# `apt-cache depends` (installing the meta-package would pull systemd and
# more), downloads that package with `apt-get download` into DIR/deb, and
# unpacks it with `dpkg-deb -x`. Keeps only what the tests use:
#
#   DIR/vmlinuz                 the kernel
#   DIR/version                 its version (e.g. 6.1.0-57-cloud-amd64)
#   DIR/modules/NAME.ko         vsock.ko, vmw_vsock_virtio_transport_common.ko,
#                               vsock_loopback.ko, pvpanic.ko, pvpanic-mmio.ko
#   DIR/modules/NAME.depends    the module's depends= (from its .modinfo)
#
# Does nothing when DIR already holds a kernel unpacked from the package
# that linux-image-cloud-amd64 currently resolves to (or, when apt knows no
# such package, any kernel already there). Prints one line saying what it
# did; on failure says why on stderr and exits 1.
set -u
dir=${1:?usage: fetch-kernel.sh DIR}
meta=linux-image-cloud-amd64
modules="vsock vmw_vsock_virtio_transport_common vsock_loopback pvpanic pvpanic-mmio"

die() { echo "fetch-kernel: $*" >&2; exit 1; }

resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

pkg=$(resolve)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	# No package lists yet (a fresh container): fetch them once.
	apt-get update -qq >/dev/null 2>&1
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	if [ -s "$dir/vmlinuz" ] && [ -s "$dir/version" ]; then
		echo "fetch-kernel: apt cannot resolve $meta; using the kernel already in $dir ($(cat "$dir/version"))"
		exit 0
	fi
	command -v apt-cache >/dev/null || die "no apt-cache: the boot tests fetch Debian's kernel with apt"
	die "apt-cache depends $meta names no linux-image package (no Debian package lists? run apt-get update)"
fi
if [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/package" 2>/dev/null)" = "$pkg" ]; then
	echo "fetch-kernel: $pkg already in $dir ($(cat "$dir/version"))"
	exit 0
fi

mkdir -p "$dir/deb" || die "cannot create $dir/deb"
# apt-get download drops privileges to _apt when it can write the
# directory; otherwise it warns and downloads as root (harmless).
chmod 0777 "$dir/deb" 2>/dev/null
deb=$(ls "$dir/deb/${pkg}"_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
	out=$(cd "$dir/deb" && apt-get download "$pkg" 2>&1) ||
		die "apt-get download $pkg failed: $(echo "$out" | grep -v '^W: Download is performed unsandboxed' | tail -3)"
	deb=$(ls "$dir/deb/${pkg}"_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $dir/deb"
fi

tmp=$(mktemp -d "$dir/unpack.XXXXXX") || die "mktemp"
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $deb failed"
vmlinuz=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$vmlinuz" ] || die "$deb holds no boot/vmlinuz-*"
ver=${vmlinuz##*/vmlinuz-}
moddir="$tmp/lib/modules/$ver/kernel"
[ -d "$moddir" ] || die "$deb holds no lib/modules/$ver/kernel"

# The module's .modinfo section: NUL-separated key=value strings.
modinfo_field() {  # modinfo_field FILE KEY
	if command -v modinfo >/dev/null; then
		modinfo -F "$2" "$1"
	else
		objcopy -O binary --only-section=.modinfo "$1" "$tmp/modinfo" 2>/dev/null ||
			die "cannot read .modinfo of $1 (no modinfo, and objcopy failed: binutils?)"
		tr '\0' '\n' < "$tmp/modinfo" | sed -n "s/^$2=//p"
	fi
}

rm -rf "$dir/modules" "$dir/vmlinuz" "$dir/version" "$dir/package"
mkdir -p "$dir/modules"
for m in $modules; do
	f=$(find "$moddir" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -1)
	[ -n "$f" ] || die "$ver has no module $m"
	case $f in
	*.xz) xz -dc "$f" > "$dir/modules/$m.ko" || die "xz -d $f" ;;
	*.zst) zstd -qdc "$f" > "$dir/modules/$m.ko" || die "zstd -d $f" ;;
	*) cp "$f" "$dir/modules/$m.ko" ;;
	esac
	modinfo_field "$dir/modules/$m.ko" depends > "$dir/modules/$m.depends"
done
cp "$vmlinuz" "$dir/vmlinuz"
echo "$ver" > "$dir/version"
echo "$pkg" > "$dir/package"
echo "fetch-kernel: $pkg unpacked into $dir (kernel $ver)"
