#!/usr/bin/env python3
"""Send one hand-made frame to init's control socket and report the reply.

Prints "status=<n> msg=<text> closed=<yes|no>": the status and message of
the final (DONE) frame, and whether init closed the connection after it.
Used to check that malformed, truncated, wrong-version and wrong-hash
frames get a clear error and that init survives them.
The layout mirrors include/proto.h (offsets and sizes are the protocol).
"""
import argparse
import os
import socket
import struct
import sys

FRAME = 1024
MAGIC = 0x454E4954
DONE = 0x100


def build(a):
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, a.magic, a.version, a.op, a.hash, a.status, a.flags)
    struct.pack_into(">III", f, 20, a.arg0, a.arg1, a.arg2)
    name = a.name.encode()
    f[32:32 + len(name)] = name
    if a.fill_text:
        f[96:] = b"x" * (FRAME - 96)
    return bytes(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--hash", type=lambda s: int(s, 16), required=True, help="configuration hash, hex")
    ap.add_argument("--magic", type=lambda s: int(s, 0), default=MAGIC)
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--op", type=int, default=1)
    ap.add_argument("--status", type=int, default=0)
    ap.add_argument("--flags", type=int, default=0)
    ap.add_argument("--arg0", type=int, default=0)
    ap.add_argument("--arg1", type=int, default=0)
    ap.add_argument("--arg2", type=int, default=0)
    ap.add_argument("--name", default="")
    ap.add_argument("--fill-text", action="store_true", help="non-zero bytes in the unused text field")
    ap.add_argument("--garbage", action="store_true", help="send 1024 random bytes instead")
    ap.add_argument("--truncate", type=int, help="send only this many bytes, then shut down writing")
    ap.add_argument("--unterminated-name", action="store_true")
    a = ap.parse_args()
    data = os.urandom(FRAME) if a.garbage else build(a)
    if a.unterminated_name:
        data = data[:32] + b"a" * 64 + data[96:]
    if a.truncate is not None:
        data = data[:a.truncate]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(a.socket)
    s.sendall(data)
    if a.truncate is not None:
        s.shutdown(socket.SHUT_WR)
    status, msg = None, ""
    buf = b""
    while True:
        chunk = s.recv(FRAME - len(buf))
        if not chunk:
            break
        buf += chunk
        if len(buf) == FRAME:
            op, st = struct.unpack_from(">H", buf, 6)[0], struct.unpack_from(">H", buf, 16)[0]
            if op == DONE:
                status, msg = st, buf[96:].split(b"\0", 1)[0].decode()
                break
            buf = b""
    closed = "no"
    if status is not None:
        try:
            s.settimeout(3)
            closed = "yes" if s.recv(1) == b"" else "no"
        except socket.timeout:
            closed = "no"
    print(f"status={status} msg={msg} closed={closed}")


if __name__ == "__main__":
    sys.exit(main())
