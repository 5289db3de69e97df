#!/usr/bin/env python3
"""mkeif: a reproducible AWS Nitro Enclaves image (EIF), and its measurements.

    tools/mkeif.py -o OUT.eif --kernel BZIMAGE --cmdline "console=ttyS0 ..."
        --init build/init [--nsm nsm.ko] [--boot-file SRC:DEST[:MODE]] ...
        (--rootfs DIR | --docker-image IMAGE.tar) [--env-file FILE]
        [--cmd-file FILE | -- COMMAND [ARG ...]] [--name NAME] [--version VER]
        [--kernel-config FILE] [--build-time ISO8601] [--json]
    tools/mkeif.py --describe FILE [--json]

Builds the image nitro-cli's build-enclave builds, without Docker and
without nitro-cli: a version-4 EIF holding the kernel, its command line,
a metadata section and two ramdisks (uncompressed newc cpio, as nitro-cli
writes them). The first ramdisk is the "bootstrap" one (/init, /nsm.ko,
--boot-file extras, /dev/console); the second is the application's
(/rootfs, /cmd, /env). The kernel unpacks both into one root.

Prints the measurements nitro-cli prints: PCRn = SHA384(48 zero bytes ||
SHA384(data)), the value a PCR holds after one extend from zero; data is
kernel || cmdline || every ramdisk for PCR0, kernel || cmdline || the first
ramdisk for PCR1, the later ramdisks for PCR2. The metadata section is not
measured.

Reproducible: the ramdisks are built by tools/mkinitramfs.py's Archive
(entries sorted, times SOURCE_DATE_EPOCH or 0, inodes in order), and the
metadata holds no host name and no build time unless --build-time (or
SOURCE_DATE_EPOCH) gives one; the same inputs give the same bytes.

--docker-image reads a `docker save` tarball, or an OCI image layout in a
tarball, with no Docker daemon (tools/ociimage.py): layers applied in order,
whiteouts honoured, the image config's Entrypoint + Cmd become /cmd and its
Env /env.

--describe reads any EIF (nitro-cli's too): header, sections, CRC check,
PCR0/1/2 computed from the sections (PCR8 for a signed one), metadata.

Standard library only (the design allows Python at build time).
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkinitramfs import Archive, ArchiveError  # noqa: E402 (after the path)
from ociimage import ImageError, load_image  # noqa: E402

TOOL_VERSION = "1.0"
EIF_MAGIC = b".eif"
EIF_VERSION = 4
MAX_SECTIONS = 32
# magic, version, flags, default_mem, default_cpus, reserved, num_sections,
# section_offsets[32], section_sizes[32], unused, eif_crc32; big-endian.
HEADER = struct.Struct(">4sHHQQHH32Q32QII")
SECTION = struct.Struct(">HHQ")  # section_type, flags, section_size
assert HEADER.size == 548 and SECTION.size == 12
KERNEL, CMDLINE, RAMDISK, SIGNATURE, METADATA = 1, 2, 3, 4, 5
SECTION_NAMES = {0: "Invalid", KERNEL: "Kernel", CMDLINE: "Cmdline", RAMDISK: "Ramdisk",
                 SIGNATURE: "Signature", METADATA: "Metadata"}
# What nitro-cli's builder writes into the header (the launcher's own
# --memory and --cpu-count decide what an enclave gets).
DEFAULT_MEM = 1024 * 1024 * 1024
DEFAULT_CPUS = 2
# nitro-cli prints the hasher's Debug form, which elides its state.
HASH_ALGORITHM = "Sha384 { ... }"
# The directories nitro-cli creates in the application's root.
ROOTFS_DIRS = ("dev", "proc", "run", "sys", "tmp", "var")


class Error(Exception):
    """A bad input or a bad image: one line for the user, status 1."""


def note(msg):
    sys.stderr.write(f"note: {msg}\n")


def read(path, what=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise Error(f"{path}{' (' + what + ')' if what else ''}: {e.strerror}") from None


# ---------------------------------------------------------------- measurements


def pcr(*parts):
    """The value of a PCR extended once, from zero, with the SHA384 of the
    parts' concatenation."""
    h = hashlib.sha384()
    for p in parts:
        h.update(p)
    return hashlib.sha384(bytes(48) + h.digest()).hexdigest()


def measurements(kernel, cmdline, ramdisks, cert_der=None):
    m = {"HashAlgorithm": HASH_ALGORITHM,
         "PCR0": pcr(kernel, cmdline, *ramdisks),
         "PCR1": pcr(kernel, cmdline, *ramdisks[:1]),
         "PCR2": pcr(*ramdisks[1:])}
    if cert_der is not None:
        m["PCR8"] = pcr(cert_der)
    return m


# ---------------------------------------------------------------- writing


def eif_bytes(kernel, cmdline, ramdisks, metadata):
    """The image, laid out as nitro-cli's builder lays it out: header, then
    kernel, cmdline, metadata, ramdisks, each section a header and its data,
    back to back. The CRC32 (IEEE, zlib's) covers everything but itself:
    the header up to the CRC field, then each section with its header."""
    sections = [(KERNEL, kernel), (CMDLINE, cmdline), (METADATA, metadata)]
    sections += [(RAMDISK, r) for r in ramdisks]
    offsets, sizes, body = [], [], []
    off = HEADER.size
    for kind, data in sections:
        offsets.append(off)
        sizes.append(len(data))
        body.append(SECTION.pack(kind, 0, len(data)))
        body.append(data)
        off += SECTION.size + len(data)
    pad = [0] * (MAX_SECTIONS - len(sections))
    fields = [EIF_MAGIC, EIF_VERSION, 0, DEFAULT_MEM, DEFAULT_CPUS, 0, len(sections),
              *offsets, *pad, *sizes, *pad, 0]
    crc = zlib.crc32(HEADER.pack(*fields, 0)[:-4])
    for chunk in body:
        crc = zlib.crc32(chunk, crc)
    return b"".join([HEADER.pack(*fields, crc), *body])


def kernel_release(kernel, config):
    """(OperatingSystem, KernelVersion) for the metadata. nitro-cli reads
    them from bzImage.config's third line ("# Linux/x86_64 4.14.177-104...
    Kernel Configuration") and keeps the version up to its first '-'; with
    no config file, the same from the bzImage's own version string (the
    setup header's kernel_version field)."""
    if config is not None:
        lines = config.decode("utf-8", "replace").splitlines()
        words = lines[2].replace("/", " ").replace("-", " ").split(" ") if len(lines) > 2 else []
        return (words[1] if len(words) > 1 else "Unknown",
                words[3] if len(words) > 3 else "Unknown")
    if len(kernel) > 0x210 and kernel[0x202:0x206] == b"HdrS":
        ptr = struct.unpack_from("<H", kernel, 0x20E)[0] + 0x200
        if ptr and ptr < len(kernel):
            release = kernel[ptr:ptr + 256].split(b"\0")[0].split(b" ")[0].decode("ascii", "replace")
            return "Linux", release.split("-")[0] or "Unknown"
    return "Unknown", "Unknown"


def build_time(given):
    if given is not None:
        try:
            datetime.datetime.fromisoformat(given)
        except ValueError:
            raise Error(f"--build-time {given}: not an ISO 8601 time "
                        "(say 2024-05-01T12:00:00+00:00)") from None
        return given
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde:
        return datetime.datetime.fromtimestamp(sde_value(), datetime.timezone.utc).isoformat()
    return ""


def sde_value():
    try:
        return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        raise Error("SOURCE_DATE_EPOCH is not a number") from None


def metadata(a, kernel, docker_info, name):
    """nitro-cli's metadata (EifIdentityInfo), compact JSON in its field order."""
    kconfig = read(a.kernel_config, "--kernel-config") if a.kernel_config else None
    os_name, release = kernel_release(kernel, kconfig)
    info = {"ImageName": a.name or name,
            "ImageVersion": a.version,
            "BuildMetadata": {"BuildTime": build_time(a.build_time),
                              "BuildTool": "enclave-init mkeif",
                              "BuildToolVersion": TOOL_VERSION,
                              "OperatingSystem": os_name,
                              "KernelVersion": release},
            "DockerInfo": docker_info,
            "CustomMetadata": None}
    return utf8("the metadata (the image config)", json.dumps(info, separators=(",", ":"), ensure_ascii=False))


def parse_mode(spec, text):
    try:
        return int(text, 8)
    except ValueError:
        raise Error(f"{spec}: mode {text} is not octal") from None


def boot_ramdisk(a, mtime):
    """The first ramdisk: what nitro-cli takes from its blobs (init, nsm.ko)
    plus the extra files the caller names, and /dev/console, which the
    kernel opens for PID 1 before anything is mounted."""
    arc = Archive(mtime)
    arc.add_dir("dev")
    arc.add_chardev("dev/console", 5, 1)
    arc.add_file("init", read(a.init, "--init"), 0o755)
    if a.nsm:
        arc.add_file("nsm.ko", read(a.nsm, "--nsm"), 0o755)
    for spec in a.boot_file:
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise Error(f"--boot-file {spec}: want SRC:DEST or SRC:DEST:MODE")
        data = read(parts[0], "--boot-file")
        mode = parse_mode(f"--boot-file {spec}", parts[2]) if len(parts) == 3 \
            else os.stat(parts[0]).st_mode
        arc.add_file(parts[1], data, mode)
    return arc.bytes()


def command_bytes(argv):
    if not argv:
        raise Error("no command: give -- COMMAND [ARG ...] or --cmd-file "
                    "(or an image with an Entrypoint or Cmd)")
    if any("\n" in x or "\0" in x for x in argv):
        raise Error("the command: an argument contains a newline or a NUL byte "
                    "(/cmd is one argument per line)")
    return utf8("the command", "".join(x + "\n" for x in argv))


def env_bytes(env):
    for e in env:
        if "\n" in e or "\0" in e or "=" not in e:
            raise Error(f"the image's Env entry {e!r} is not one KEY=VALUE line")
    return utf8("the image's Env", "".join(e + "\n" for e in env))


def utf8(what, text):
    """The image config is JSON, which can spell a lone surrogate (\\ud800)."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        raise Error(f"{what}: not valid Unicode (a lone surrogate)") from None


def image_settings_note(user, wd):
    """init, like nitro-cli's, runs /cmd as root in / unless init.yaml's
    app.user and app.working_directory say otherwise (README, "Least
    privilege"): the image's own settings are not read."""
    said = " and ".join(x for x in (f'User "{user}"' if user else "",
                                     f'WorkingDir "{wd}"' if wd else "") if x)
    how = [x for x in (f"set app.user: {user.split(':')[0]}" + (f" and app.group: {user.split(':')[1]}"
                                                                 if ":" in user else "") if user else "",
                       f"set app.working_directory: {wd}" if wd else "") if x]
    return (f"the image's {said} {'are' if user and wd else 'is'} not applied (nor by nitro-cli): "
            f"/cmd runs as root; to honour {'them' if user and wd else 'it'}, {' and '.join(how)} "
            "in init.yaml")


def config_list(cfg, key, a):
    v = cfg.get(key) or []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise Error(f"{a.docker_image}: the image config's {key} is not a list of strings")
    return v


def app_ramdisk(a, mtime):
    """The second ramdisk: /rootfs, /cmd, /env. Returns (bytes, DockerInfo,
    default image name)."""
    arc = Archive(mtime)
    docker_info, name = None, "enclave"
    image_cmd, image_env = None, None
    if a.rootfs:
        if not os.path.isdir(a.rootfs):
            raise Error(f"{a.rootfs} (--rootfs): not a directory")
        arc.add_tree(a.rootfs, "rootfs")
    else:
        image = load_image(a.docker_image, read(a.docker_image, "--docker-image"))
        if image.skipped:
            n = len(image.skipped)
            note(f"skipped {n} device node(s) or FIFO(s) from the image's layers "
                 f"({', '.join(image.skipped[:3])}{', ...' if n > 3 else ''}); "
                 "the enclave's kernel provides /dev")
        image.add_to(arc, "rootfs")
        cfg = image.config.get("config") or {}
        if not isinstance(cfg, dict):
            raise Error(f"{a.docker_image}: the image config's \"config\" is not an object")
        image_cmd = config_list(cfg, "Entrypoint", a) + config_list(cfg, "Cmd", a)
        image_env = config_list(cfg, "Env", a)
        user, wd = str(cfg.get("User") or ""), str(cfg.get("WorkingDir") or "")
        if user or wd:
            note(image_settings_note(user, wd))
        docker_info, name = image.docker_info(), image.name or name
    for d in ROOTFS_DIRS:
        if "rootfs/" + d not in arc.entries:
            arc.add_dir("rootfs/" + d)
    if a.cmd and a.cmd_file:
        raise Error("a command and --cmd-file: give one")
    if a.cmd_file:
        arc.add_file("cmd", read(a.cmd_file, "--cmd-file"), 0o644)
    elif a.cmd or image_cmd is not None:
        arc.add_file("cmd", command_bytes(a.cmd or image_cmd), 0o644)
    if a.env_file:
        arc.add_file("env", read(a.env_file, "--env-file"), 0o644)
    elif image_env is not None:
        arc.add_file("env", env_bytes(image_env), 0o644)
    return arc.bytes(), docker_info, name


def build(a):
    if a.rootfs and a.docker_image or not (a.rootfs or a.docker_image):
        raise Error("give one of --rootfs DIR and --docker-image IMAGE.tar")
    if "\0" in a.cmdline:
        raise Error("--cmdline contains a NUL byte")
    mtime = sde_value()
    kernel = read(a.kernel, "--kernel")
    if not kernel:
        raise Error(f"{a.kernel} (--kernel): empty file")
    cmdline = a.cmdline.encode()
    first = boot_ramdisk(a, mtime)
    second, docker_info, name = app_ramdisk(a, mtime)
    meta = metadata(a, kernel, docker_info, name)
    data = eif_bytes(kernel, cmdline, [first, second], meta)
    tmp = a.output + ".tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, a.output)
    except OSError as e:
        raise Error(f"{a.output}: {e.strerror}") from None
    m = measurements(kernel, cmdline, [first, second])
    if a.json:
        print(json.dumps({"Measurements": m}, indent=2))
    else:
        for k in ("PCR0", "PCR1", "PCR2"):
            print(f"{k}: {m[k]}")


# ---------------------------------------------------------------- describing


def cbor(data, off=0, depth=0):
    """(value, next offset) of one CBOR item: enough of CBOR for the
    signature section (arrays, maps, integers, strings)."""
    if depth > 16 or off >= len(data):
        raise Error("signature section: malformed CBOR")
    major, info = data[off] >> 5, data[off] & 31
    off += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if off + size > len(data):
            raise Error("signature section: malformed CBOR")
        n = int.from_bytes(data[off:off + size], "big")
        off += size
    else:
        raise Error("signature section: unsupported CBOR")
    if major == 0:
        return n, off
    if major == 1:
        return -1 - n, off
    if major in (2, 3):
        if off + n > len(data):
            raise Error("signature section: malformed CBOR")
        v = data[off:off + n]
        return (v if major == 2 else v.decode("utf-8", "replace")), off + n
    if major == 4:
        out = []
        for _ in range(min(n, len(data))):
            v, off = cbor(data, off, depth + 1)
            out.append(v)
        return out, off
    if major == 5:
        out = {}
        for _ in range(min(n, len(data))):
            k, off = cbor(data, off, depth + 1)
            v, off = cbor(data, off, depth + 1)
            out[k if isinstance(k, (str, int)) else repr(k)] = v
        return out, off
    if major == 6:
        return cbor(data, off, depth + 1)
    raise Error("signature section: unsupported CBOR")


def signing_cert_der(sig):
    """The DER of the first signature's certificate (PCR8 measures it);
    nitro-cli stores it as PEM, serialised as an array of byte values."""
    v, _ = cbor(sig)
    try:
        pem = v[0]["signing_certificate"]
        pem = bytes(pem) if isinstance(pem, list) else pem
        text = pem.decode("ascii")
        body = text.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        return base64.b64decode("".join(body.split()))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise Error("signature section: no PEM signing certificate in it") from None


def parse_eif(data, path):
    """The header fields, the sections [(type, flags, data, offset)] in the
    header's order, and the CRC computed as the readers compute it."""
    if len(data) < HEADER.size:
        raise Error(f"{path}: not an EIF: {len(data)} bytes, shorter than its {HEADER.size}-byte header")
    f = HEADER.unpack_from(data)
    if f[0] != EIF_MAGIC:
        raise Error(f"{path}: not an EIF: the magic is {f[0]!r}, not {EIF_MAGIC!r}")
    hdr = {"version": f[1], "flags": f[2], "default_mem": f[3], "default_cpus": f[4],
           "num_sections": f[6], "crc": f[-1]}
    offsets, sizes = f[7:7 + MAX_SECTIONS], f[7 + MAX_SECTIONS:7 + 2 * MAX_SECTIONS]
    if hdr["num_sections"] > MAX_SECTIONS:
        raise Error(f"{path}: bad EIF header: {hdr['num_sections']} sections, at most {MAX_SECTIONS}")
    crc = zlib.crc32(data[:HEADER.size - 4])
    sections = []
    for i in range(hdr["num_sections"]):
        off = offsets[i]
        if off + SECTION.size > len(data):
            raise Error(f"{path}: truncated EIF: section {i}'s header at {off} is past the end "
                        f"({len(data)} bytes)")
        kind, flags, size = SECTION.unpack_from(data, off)
        if kind not in SECTION_NAMES or kind == 0:
            raise Error(f"{path}: bad EIF: section {i} has unknown type {kind}")
        if size != sizes[i]:
            raise Error(f"{path}: bad EIF: section {i} is {size} bytes by its header, "
                        f"{sizes[i]} by the EIF header")
        start = off + SECTION.size
        if start + size > len(data):
            raise Error(f"{path}: truncated EIF: section {i} ({SECTION_NAMES[kind]}) ends at "
                        f"{start + size}, the file at {len(data)}")
        crc = zlib.crc32(data[off:start + size], crc)
        sections.append((kind, flags, data[start:start + size], off))
    return hdr, sections, crc


def describe(path, as_json):
    data = read(path)
    hdr, sections, crc = parse_eif(data, path)
    kinds = [s[0] for s in sections]
    for need in (KERNEL, CMDLINE, RAMDISK):
        if need not in kinds:
            raise Error(f"{path}: bad EIF: no {SECTION_NAMES[need]} section")
    for once in (KERNEL, CMDLINE, METADATA, SIGNATURE):
        if kinds.count(once) > 1:
            raise Error(f"{path}: bad EIF: more than one {SECTION_NAMES[once]} section")
    by = {k: d for k, _, d, _ in sections if k != RAMDISK}
    ramdisks = [d for k, _, d, _ in sections if k == RAMDISK]
    cert = signing_cert_der(by[SIGNATURE]) if SIGNATURE in by else None
    m = measurements(by[KERNEL], by[CMDLINE], ramdisks, cert)
    meta = None
    if METADATA in by:
        try:
            meta = json.loads(by[METADATA])
        except (ValueError, RecursionError):
            raise Error(f"{path}: bad EIF: the metadata section is not JSON (or nested too deep)") from None
    crc_ok = crc == hdr["crc"]
    out = {"EifVersion": hdr["version"], "Measurements": m, "IsSigned": cert is not None,
           "CheckCRC": crc_ok}
    if isinstance(meta, dict):
        out["ImageName"] = meta.get("ImageName")
        out["ImageVersion"] = meta.get("ImageVersion")
        md = meta.get("BuildMetadata") or {}
        if not isinstance(md, dict):
            raise Error(f"{path}: bad EIF: the metadata's BuildMetadata is not an object")
        md = dict(md)
        md["DockerInfo"] = meta.get("DockerInfo")
        if meta.get("CustomMetadata") is not None:
            md["CustomMetadata"] = meta.get("CustomMetadata")
        out["Metadata"] = md
    out["Flags"] = hdr["flags"]
    out["DefaultMemory"] = hdr["default_mem"]
    out["DefaultCpus"] = hdr["default_cpus"]
    out["CRC32"] = {"Header": f"{hdr['crc']:08x}", "Computed": f"{crc:08x}"}
    out["Sections"] = [{"Type": SECTION_NAMES[k], "Offset": o, "Size": len(d),
                        "Flags": fl} for k, fl, d, o in sections]
    end = max(o + SECTION.size + len(d) for _, _, d, o in sections)
    if end < len(data):
        out["TrailingBytes"] = len(data) - end
    if as_json:
        print(json.dumps(out, indent=2))
    else:
        describe_text(out, by.get(CMDLINE, b""), meta)
    return 0 if crc_ok else 1


def describe_text(out, cmdline, meta):
    print(f"EIF version {out['EifVersion']}, flags {out['Flags']:#x}, "
          f"default memory {out['DefaultMemory']} bytes, default cpus {out['DefaultCpus']}")
    print("sections:")
    for s in out["Sections"]:
        print(f"  {s['Type']:<10} {s['Size']:>12} bytes at {s['Offset']}"
              + (f" (flags {s['Flags']:#x})" if s["Flags"] else ""))
    if "TrailingBytes" in out:
        print(f"  (and {out['TrailingBytes']} bytes after the last section)")
    crc = out["CRC32"]
    print(f"CRC32: {crc['Header']} " + ("(correct)" if out["CheckCRC"]
                                        else f"WRONG: the content's is {crc['Computed']}"))
    print("signed: " + ("yes (PCR8 is its certificate's)" if out["IsSigned"] else "no"))
    print(f"cmdline: {cmdline.decode('utf-8', 'replace')}")
    for k in ("PCR0", "PCR1", "PCR2", "PCR8"):
        if k in out["Measurements"]:
            print(f"{k}: {out['Measurements'][k]}")
    print("metadata: " + (json.dumps(meta, indent=2) if meta is not None else "(none)"))


# ---------------------------------------------------------------- main


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="mkeif.py",
        description="Build a reproducible AWS Nitro Enclaves image (EIF), or describe one.")
    ap.add_argument("--describe", metavar="EIF", help="describe an EIF instead of building one")
    ap.add_argument("-o", "--output", help="the EIF to write")
    ap.add_argument("--kernel", help="the kernel (bzImage)")
    ap.add_argument("--kernel-config", help="its .config (for the metadata's OS and version)")
    ap.add_argument("--cmdline", help="the kernel command line")
    ap.add_argument("--init", help="the init binary (becomes /init)")
    ap.add_argument("--nsm", help="the NSM driver (becomes /nsm.ko)")
    ap.add_argument("--boot-file", action="append", default=[], metavar="SRC:DEST[:MODE]",
                    help="another file of the first ramdisk (mode in octal; default: the source's)")
    ap.add_argument("--rootfs", help="the application's tree (becomes /rootfs)")
    ap.add_argument("--docker-image", metavar="IMAGE.tar",
                    help="a `docker save` or OCI layout tarball (becomes /rootfs, /cmd, /env)")
    ap.add_argument("--cmd-file", help="a /cmd file as is")
    ap.add_argument("--env-file", help="an /env file as is (KEY=VALUE lines)")
    ap.add_argument("--name", help="ImageName in the metadata")
    ap.add_argument("--version", default="1.0", help="ImageVersion in the metadata")
    ap.add_argument("--build-time", help="BuildTime in the metadata (default: none)")
    ap.add_argument("--json", action="store_true", help="JSON output, as nitro-cli's")
    ap.add_argument("cmd", nargs=argparse.REMAINDER,
                    help="after --: the application command (becomes /cmd)")
    a = ap.parse_args(argv)
    if a.cmd and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    return a


def main(argv=None):
    a = parse_args(argv)
    try:
        if a.describe:
            return describe(a.describe, a.json)
        missing = [o for o, v in (("-o", a.output), ("--kernel", a.kernel),
                                  ("--cmdline", a.cmdline), ("--init", a.init)) if v is None]
        if missing:
            raise Error(f"missing {', '.join(missing)} (or --describe EIF)")
        build(a)
        return 0
    except (Error, ArchiveError, ImageError) as e:
        sys.stderr.write(f"mkeif: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
