#!/usr/bin/env python3
"""mkinitramfs: a reproducible initramfs (newc cpio) for enclave-init.

    tools/mkinitramfs.py -o OUT.cpio --init build/init [--nsm nsm.ko]
        [--rootfs DIR] [--env-file FILE] [--file SRC:DEST[:MODE]] ...
        [--cmd-file FILE | -- COMMAND [ARG ...]]

Lays the files out the way nitro-cli puts them in an enclave image: `/init`
and `/nsm.ko` at the root (its first ramdisk), the application under
`/rootfs`, and `/cmd` (one argument per line) and `/env` (one KEY=VALUE per
line) at the root (its second ramdisk). The kernel unpacks both into the
same root, so one archive holding everything is equivalent.

Reproducible: entries sorted by path, owners 0:0, every time stamp
SOURCE_DATE_EPOCH (default 0), inode numbers assigned in order, no device
or link counts from the build machine; file modes are kept from the
sources (permission bits only), directories 0755. The same inputs give the
same bytes on any machine. Besides the files it adds the directories the
archive's paths need and the character device /dev/console (5, 1), which
the kernel opens for PID 1's first console before anything is mounted.

Standard library only (the design allows Python at build time).
"""

import argparse
import os
import stat
import sys

TRAILER = "TRAILER!!!"


class ArchiveError(Exception):
    """A bad input; the message is one line for the user (tools/mkeif.py
    imports Archive and reports these under its own name)."""


def fail(msg):
    sys.stderr.write(f"mkinitramfs: {msg}\n")
    sys.exit(1)


class Archive:
    def __init__(self, mtime):
        self.entries = {}  # path -> (mode, data, rdev)
        self.owners = {}  # path -> (uid, gid), when not 0:0 (an image layer's)
        self.mtime = mtime

    def add_dir(self, path, perm=None):
        """The directory and its parents (0755); perm, when given, is the
        directory's own mode (an image layer's /tmp is 1777)."""
        path = path.strip("/")
        if path and perm is not None:
            self.entries[path] = (stat.S_IFDIR | (perm & 0o7777), b"", (0, 0))
        while path:
            self.entries.setdefault(path, (stat.S_IFDIR | 0o755, b"", (0, 0)))
            path = os.path.dirname(path)

    def add_file(self, path, data, perm):
        path = path.strip("/")
        if not path:
            raise ArchiveError("empty destination path")
        if path in self.entries:
            raise ArchiveError(f"/{path} given twice")
        self.add_dir(os.path.dirname(path))
        self.entries[path] = (stat.S_IFREG | (perm & 0o7777), data, (0, 0))

    def add_symlink(self, path, target):
        path = path.strip("/")
        self.add_dir(os.path.dirname(path))
        self.entries[path] = (stat.S_IFLNK | 0o777, os.fsencode(target), (0, 0))

    def add_chardev(self, path, major, minor, perm=0o600):
        path = path.strip("/")
        self.add_dir(os.path.dirname(path))
        self.entries[path] = (stat.S_IFCHR | perm, b"", (major, minor))

    def add_tree(self, src, dest):
        """A directory tree, as it is on disk (regular files, directories,
        symlinks; anything else is an error)."""
        if not os.path.isdir(src):
            raise ArchiveError(f"{src}: not a directory")
        self.add_dir(dest)
        for root, dirs, files in os.walk(src):
            dirs.sort()
            rel = os.path.relpath(root, src)
            base = dest if rel == "." else os.path.join(dest, rel)
            for d in dirs:
                full = os.path.join(root, d)
                if os.path.islink(full):
                    self.add_symlink(os.path.join(base, d), os.readlink(full))
                else:
                    self.add_dir(os.path.join(base, d))
            for f in sorted(files):
                full = os.path.join(root, f)
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    self.add_symlink(os.path.join(base, f), os.readlink(full))
                elif stat.S_ISREG(st.st_mode):
                    with open(full, "rb") as fh:
                        self.add_file(os.path.join(base, f), fh.read(), st.st_mode)
                else:
                    raise ArchiveError(f"{full}: not a regular file, directory or symlink")

    def bytes(self):
        out = bytearray()
        ino = 1
        for path in sorted(self.entries):
            mode, data, (major, minor) = self.entries[path]
            uid, gid = self.owners.get(path, (0, 0))
            out += header(path, ino, mode, len(data), self.mtime, major, minor, uid, gid)
            out += data + pad(len(data))
            ino += 1
        out += header(TRAILER, 0, 0, 0, 0, 0, 0)
        out += b"\0" * (-len(out) % 512)
        return bytes(out)


def pad(n):
    return b"\0" * (-n % 4)


def header(name, ino, mode, size, mtime, rmajor, rminor, uid=0, gid=0):
    """One newc header ("070701", thirteen 8-digit hex fields), the name with
    its NUL, padded so the data starts on a 4-byte boundary."""
    nlink = 2 if stat.S_ISDIR(mode) else 1
    name = os.fsencode(name)
    fields = [ino, mode, uid, gid, nlink, mtime, size, 0, 0, rmajor, rminor, len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08x" % f for f in fields) + name + b"\0"
    return h + pad(len(h))


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        fail(f"{path}: {e.strerror}")


def main():
    try:
        build()
    except ArchiveError as e:
        fail(str(e))


def build():
    ap = argparse.ArgumentParser(description="Build a reproducible initramfs for enclave-init.")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--init", required=True, help="the init binary (becomes /init)")
    ap.add_argument("--nsm", help="the NSM driver (becomes /nsm.ko)")
    ap.add_argument("--rootfs", help="a directory tree (becomes /rootfs)")
    ap.add_argument("--cmd-file", help="a /cmd file as is")
    ap.add_argument("--env-file", help="an /env file as is (KEY=VALUE lines)")
    ap.add_argument("--file", action="append", default=[], metavar="SRC:DEST[:MODE]",
                    help="any other file (mode in octal; default: the source's)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER,
                    help="after --: the application command (becomes /cmd)")
    a = ap.parse_args()
    if a.cmd and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    try:
        mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        fail("SOURCE_DATE_EPOCH is not a number")
    arc = Archive(mtime)
    arc.add_chardev("dev/console", 5, 1)
    arc.add_file("init", read(a.init), 0o755)
    if a.nsm:
        arc.add_file("nsm.ko", read(a.nsm), 0o644)
    if a.rootfs:
        arc.add_tree(a.rootfs, "rootfs")
    if a.cmd and a.cmd_file:
        fail("a command and --cmd-file: give one")
    if a.cmd:
        if any("\n" in x for x in a.cmd):
            fail("the command: an argument contains a newline (/cmd is one argument per line)")
        arc.add_file("cmd", "".join(x + "\n" for x in a.cmd).encode(), 0o644)
    if a.cmd_file:
        arc.add_file("cmd", read(a.cmd_file), 0o644)
    if a.env_file:
        arc.add_file("env", read(a.env_file), 0o644)
    for spec in a.file:
        parts = spec.split(":")
        if len(parts) not in (2, 3):
            fail(f"--file {spec}: want SRC:DEST or SRC:DEST:MODE")
        mode = os.stat(parts[0]).st_mode if os.path.exists(parts[0]) else 0o644
        if len(parts) == 3:
            try:
                mode = int(parts[2], 8)
            except ValueError:
                fail(f"--file {spec}: mode is not octal")
        arc.add_file(parts[1], read(parts[0]), mode)
    data = arc.bytes()
    tmp = a.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
