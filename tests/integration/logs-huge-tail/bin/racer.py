#!/usr/bin/env python3
"""Ask for the whole of a big log, then ping init on a second connection
again and again until the first byte of the log arrives; print how many
pings were answered meanwhile.

While init looks for the tail's start it must go on serving others: before
the scan was done in slices, no ping could be answered between the request
and the reply's first frame (both came from one pass of the loop).
Usage: racer.py SOCKET HASH-HEX SERVICE
"""
import select
import socket
import struct
import sys

FRAME, MAGIC, OP_PING, OP_LOGS = 1024, 0x454E4954, 1, 10


def frame(op, cfg_hash, name=b"", arg0=0):
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, MAGIC, 1, op, cfg_hash, 0, 0)
    struct.pack_into(">III", f, 20, arg0, 0, 0)
    f[32:32 + len(name)] = name
    return bytes(f)


def recv_frame(s):
    buf = b""
    while len(buf) < FRAME:
        chunk = s.recv(FRAME - len(buf))
        if not chunk:
            sys.exit("init closed the connection")
        buf += chunk
    return buf


def main():
    path, cfg_hash, name = sys.argv[1], int(sys.argv[2], 16), sys.argv[3].encode()
    logs = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    logs.connect(path)
    logs.sendall(frame(OP_LOGS, cfg_hash, name, 0xFFFFFFFF))
    pings = 0
    while not select.select([logs], [], [], 0)[0]:
        p = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        p.settimeout(60)
        p.connect(path)
        p.sendall(frame(OP_PING, cfg_hash))
        if struct.unpack_from(">H", recv_frame(p), 16)[0] != 0:
            sys.exit("ping failed")
        p.close()
        pings += 1
    print(pings)


main()
