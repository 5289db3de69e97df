#!/usr/bin/env python3
"""Tests of tools/mkinitramfs.py: prints "PASS tools: ..." / "FAIL tools: ..."
lines (tests/run counts them). The archive is read back by a newc reader
written here from the format's definition, not by the tool's own code."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "tools", "mkinitramfs.py")
results = []


def check(name, fn):
    try:
        fn()
        print(f"PASS tools: {name}")
    except Exception as e:  # a failed check, whatever raised it
        print(f"FAIL tools: {name}: {e}")


def parse(data):
    """[(name, fields dict, data)] of a newc archive, up to the trailer."""
    out, off = [], 0
    keys = ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor",
            "devminor", "rdevmajor", "rdevminor", "namesize", "check"]
    while True:
        assert data[off:off + 6] == b"070701", f"bad magic at {off}"
        f = {k: int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i, k in enumerate(keys)}
        name_start = off + 110
        name = data[name_start:name_start + f["namesize"] - 1].decode()
        assert data[name_start + f["namesize"] - 1] == 0, "name not NUL-terminated"
        off = name_start + f["namesize"]
        off += -off % 4
        body = data[off:off + f["filesize"]]
        off += f["filesize"]
        off += -off % 4
        if name == "TRAILER!!!":
            assert len(data) % 512 == 0, "archive not padded to 512 bytes"
            return out
        out.append((name, f, body))


def build(tmp, *args, env=None):
    out = os.path.join(tmp, "out.cpio")
    p = subprocess.run([sys.executable, TOOL, "-o", out, *args], capture_output=True, text=True,
                       env=env)
    return p, (open(out, "rb").read() if p.returncode == 0 else None)


def tree(tmp, tag):
    """Inputs: an 'init', an 'nsm.ko', a rootfs tree with a subdir, an
    executable, a symlink; file times and the directory name differ by tag."""
    d = os.path.join(tmp, f"src-{tag}")
    os.makedirs(os.path.join(d, "rootfs", "usr", "bin"))
    for rel, text, mode in (("init", b"\x7fELFinit", 0o700), ("nsm.ko", b"module", 0o600),
                            ("rootfs/usr/bin/app", b"#!/bin/sh\necho hi\n", 0o755),
                            ("rootfs/etc.conf", b"k=v\n", 0o640), ("env", b"A=1\nB=two words\n", 0o600)):
        p = os.path.join(d, rel)
        with open(p, "wb") as f:
            f.write(text)
        os.chmod(p, mode)
        os.utime(p, (1000 + len(tag), 1000 + len(tag)))
    os.symlink("usr/bin/app", os.path.join(d, "rootfs", "app"))
    return d


def main():
    tmp = tempfile.mkdtemp(prefix="ei-tools.")
    try:
        a, b = tree(tmp, "a"), tree(tmp, "bbbb")

        def args(d):
            return ["--init", f"{d}/init", "--nsm", f"{d}/nsm.ko", "--rootfs", f"{d}/rootfs",
                    "--env-file", f"{d}/env", "--", "/usr/bin/app", "--flag", "two words"]

        p, data = build(tmp, *args(a))
        assert p.returncode == 0, p.stderr
        entries = parse(data)
        names = [e[0] for e in entries]
        by = {e[0]: e for e in entries}

        def layout():
            for want in ("init", "nsm.ko", "cmd", "env", "dev", "dev/console", "rootfs",
                         "rootfs/usr/bin/app", "rootfs/app", "rootfs/etc.conf"):
                assert want in by, f"{want} missing from {names}"
            assert by["init"][2] == b"\x7fELFinit"
            assert stat.S_IMODE(by["init"][1]["mode"]) == 0o755 and stat.S_ISREG(by["init"][1]["mode"])
            assert by["cmd"][2] == b"/usr/bin/app\n--flag\ntwo words\n", by["cmd"][2]
            assert by["env"][2] == b"A=1\nB=two words\n"
            assert stat.S_ISLNK(by["rootfs/app"][1]["mode"]) and by["rootfs/app"][2] == b"usr/bin/app"
            assert stat.S_IMODE(by["rootfs/usr/bin/app"][1]["mode"]) == 0o755
            assert stat.S_IMODE(by["rootfs/etc.conf"][1]["mode"]) == 0o640
        check("mkinitramfs: nitro-cli layout (/init, /nsm.ko, /rootfs, /cmd one argument per line, /env)", layout)

        def console():
            m = by["dev/console"][1]
            assert stat.S_ISCHR(m["mode"]) and (m["rdevmajor"], m["rdevminor"]) == (5, 1), m
        check("mkinitramfs: /dev/console is the character device 5,1", console)

        def normalised():
            assert names == sorted(names), "entries not sorted"
            for n, f, _ in entries:
                assert (f["uid"], f["gid"], f["mtime"]) == (0, 0, 0), f"{n}: {f}"
                assert (f["devmajor"], f["devminor"]) == (0, 0), n
                if stat.S_ISDIR(f["mode"]):
                    assert stat.S_IMODE(f["mode"]) == 0o755, n
            assert [f["ino"] for _, f, _ in entries] == list(range(1, len(entries) + 1))
        check("mkinitramfs: sorted, owners 0:0, time 0, inodes in order, directories 0755", normalised)

        def reproducible():
            p2, data2 = build(tmp, *args(b))
            assert p2.returncode == 0, p2.stderr
            assert data2 == data, "different bytes from the same inputs in another place and time"
            env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
            p3, data3 = build(tmp, *args(a), env=env)
            assert all(f["mtime"] == 1700000000 for _, f, _ in parse(data3))
        check("mkinitramfs: same inputs give the same bytes (other paths, other file times); SOURCE_DATE_EPOCH", reproducible)

        def with_cpio():
            if not shutil.which("cpio"):
                return  # the reader above is the check; cpio is a second opinion when present
            p = subprocess.run(["cpio", "-it"], input=data, capture_output=True)
            assert p.returncode == 0, p.stderr
            assert sorted(p.stdout.decode().split()) == sorted(names)
        check("mkinitramfs: cpio(1) reads it (when installed)", with_cpio)

        def errors():
            for bad, why in ((["--file", f"{a}/env:init", *args(a)], "given twice"),
                             (["--init", f"{a}/missing"], "No such file"),
                             (["--init", f"{a}/init", "--", "a\nb"], "newline"),
                             (["--init", f"{a}/init", "--rootfs", f"{a}/init"], "not a directory"),
                             (["--init", f"{a}/init", "--file", "x"], "SRC:DEST")):
                p, _ = build(tmp, *bad)
                assert p.returncode == 1 and why in p.stderr and "Traceback" not in p.stderr, \
                    f"{bad}: {p.returncode} {p.stderr!r}"
        check("mkinitramfs: bad inputs get one clear line and status 1", errors)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
