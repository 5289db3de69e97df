"""Compiler-style diagnostics for the generator.

Every problem in a configuration is reported as `path:line: error: message`
(or `warning:`), the way a C compiler reports a bad source file, so that
editors and CI logs can jump to it. The generator never shows a traceback for
a bad input: errors are collected, printed in file order, and the build stops
with exit status 1.
"""

import errno
import os
import stat
import sys


class Diagnostics:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, path, line, message):
        self.errors.append((path, line or 1, message))

    def warning(self, path, line, message):
        self.warnings.append((path, line or 1, message))

    def print(self, stream=sys.stderr):
        for path, line, msg in self.warnings:
            stream.write(f"{path}:{line}: warning: {msg}\n")
        for path, line, msg in self.errors:
            stream.write(f"{path}:{line}: error: {msg}\n")


class Fatal(Exception):
    """Raised when an input is so broken that checking further is pointless
    (unreadable file, YAML syntax error). Carries one diagnostic."""

    def __init__(self, path, line, message):
        super().__init__(message)
        self.path, self.line, self.message = path, line or 1, message


INPUT_MAX = 1 << 20  # bytes: init.yaml and each service file


def read_input(path, display, what):
    """The bytes of one input file (init.yaml or a service file).

    Only a regular file of at most INPUT_MAX bytes is read: the file is
    opened without blocking (a FIFO would wait for a writer forever) and
    checked with fstat before a byte is read (a link to /dev/zero would be
    read forever). Anything else is a Fatal `cannot read <what>: ...` or
    `<what> is larger than 1 MiB`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as e:
        raise Fatal(display, 1, f"cannot read {what}: {e.strerror}")
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Fatal(display, 1, f"cannot read {what}: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(st.st_mode):
            raise Fatal(display, 1, f"cannot read {what}: not a regular file "
                        f"(a {_file_kind(st.st_mode)}; only regular files are read)")
        chunks, size = [], 0
        while size <= INPUT_MAX:  # the file may grow while it is read
            chunk = os.read(fd, INPUT_MAX + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > INPUT_MAX:
            raise Fatal(display, 1, f"{what} is larger than {INPUT_MAX >> 20} MiB")
        return b"".join(chunks)
    except OSError as e:
        raise Fatal(display, 1, f"cannot read {what}: {e.strerror}")
    finally:
        os.close(fd)


def _file_kind(mode):
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"

