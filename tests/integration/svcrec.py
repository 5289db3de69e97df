#!/usr/bin/env python3
"""svcrec.py --socket SOCKET --hash HASH NAME: what init's reply to
`status NAME` says, read off the wire, one "field=value" a line: the SVC
record's state, ready, type, health, health_failures, pid, restarts, and
the TEXT records' notify_status (key 12) and health_cmd (key 13).

For the readiness and health scenarios (issue 13), which must assert what
init reports before initctl prints all of it. The layout mirrors
include/proto.h and src/common/proto_layout.h: frames of 1024 bytes,
big-endian; op at 6, status at 16, arg0 at 20, name at 32, text at 96;
STATUS is op 3; replies are SVC (0x101) and TEXT (0x102) records, then DONE
(0x100).
"""
import argparse
import socket
import struct
import sys

FRAME = 1024
SVC_FIELDS = {  # name: (offset, struct format)
    "state": (96, "B"), "pid": (100, "I"), "restarts": (104, "I"), "type": (144, "B"),
    "ready": (145, "B"), "health": (146, "B"), "health_failures": (164, "I"),
}
TEXT_KEYS = {12: "notify_status", 13: "health_cmd"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--hash", type=lambda s: int(s, 16), required=True)
    ap.add_argument("name")
    a = ap.parse_args()
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, 0x454E4954, 1, 3, a.hash, 0, 0)
    f[32:32 + len(a.name)] = a.name.encode()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(a.socket)
    s.sendall(f)
    out = {v: b"" for v in TEXT_KEYS.values()}
    buf = b""
    while True:
        chunk = s.recv(FRAME - len(buf))
        if not chunk:
            sys.exit("svcrec: connection closed before DONE")
        buf += chunk
        if len(buf) < FRAME:
            continue
        op = struct.unpack_from(">H", buf, 6)[0]
        if op == 0x100:
            st = struct.unpack_from(">H", buf, 16)[0]
            if st:
                sys.exit("svcrec: status %d: %s" % (st, buf[96:].split(b"\0", 1)[0].decode()))
            break
        if op == 0x101:
            for k, (off, fmt) in SVC_FIELDS.items():
                out[k] = struct.unpack_from(">" + fmt, buf, off)[0]
        elif op == 0x102:
            key = struct.unpack_from(">I", buf, 20)[0]
            if key in TEXT_KEYS:
                out[TEXT_KEYS[key]] += buf[96:].split(b"\0", 1)[0]
        buf = b""
    for k, v in out.items():
        print("%s=%s" % (k, v.decode() if isinstance(v, bytes) else v))


if __name__ == "__main__":
    main()
