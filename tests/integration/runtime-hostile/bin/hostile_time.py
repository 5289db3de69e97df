#!/usr/bin/env python3
"""Hostile clients of a time server on a Unix socket.

hostile_time.py SOCK MODE: MODE is
  hangup  -- 100 clients that send a whole request and close at once
  idle    -- 200 clients that connect and never send (held open 3 s)
  half    -- 100 clients that send half a frame and wait (held open 3 s)
then one honest request, which must be answered: prints "answered" or
why not.
"""
import socket
import struct
import sys
import time


def request(nonce):
    return b"ECLK" + struct.pack(">HHQQQ", 1, 1, nonce, 0, 0)


def conn(path):
    # A blocking connect: it waits while the listener's backlog is full
    # (a non-blocking one would fail with EAGAIN then).
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(5)
    return s


def honest(path):
    s = conn(path)
    s.sendall(request(0x1234))
    f = b""
    while len(f) < 32:
        b = s.recv(32 - len(f))
        if not b:
            return "closed after %d bytes" % len(f)
        f += b
    if f[:4] != b"ECLK" or struct.unpack(">Q", f[8:16])[0] != 0x1234:
        return "a bad reply"
    return "answered"


def main():
    path, mode = sys.argv[1], sys.argv[2]
    held = []
    try:
        for i in range(200 if mode == "idle" else 100):
            s = conn(path)
            if mode == "hangup":
                s.sendall(request(i + 1))
                s.close()
            elif mode == "half":
                s.sendall(request(i + 1)[:16])
                held.append(s)
            else:
                held.append(s)
        print(honest(path))
    except OSError as e:
        print("error: %s" % e)
    time.sleep(3 if held else 0)


main()
