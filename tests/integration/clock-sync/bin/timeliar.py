#!/usr/bin/env python3
"""A hostile time server on a Unix socket, for the clock-sync scenario.

usage: timeliar.py PATH MODE
  silent    accepts, reads the request, never answers
  half      answers 16 bytes of a good reply, then closes
  nonce     a whole reply, but with another nonce
  huge      a whole reply whose time is 2^63 - 1 ns
  magic     a reply with a wrong magic number
  pieces    an honest reply, one byte at a time
Each connection is answered in turn, forever (killed by the scenario).
"""
import os
import socket
import struct
import sys
import time

MAGIC, VERSION, REPLY = 0x45434C4B, 1, 2


def reply(nonce, t_ns, magic=MAGIC):
    return struct.pack(">IHHQQQ", magic, VERSION, REPLY, nonce, t_ns, 0)


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    held = []
    while True:
        c, _ = srv.accept()
        req = b""
        while len(req) < 32:
            chunk = c.recv(32 - len(req))
            if not chunk:
                break
            req += chunk
        if len(req) < 32:
            c.close()
            continue
        nonce = struct.unpack(">Q", req[8:16])[0]
        now = time.time_ns()
        if mode == "silent":
            held.append(c)  # open, unanswered; init's deadline must end it
            held = held[-16:]
            continue
        if mode == "half":
            c.sendall(reply(nonce, now)[:16])
        elif mode == "nonce":
            c.sendall(reply(nonce ^ 1, now))
        elif mode == "huge":
            c.sendall(reply(nonce, (1 << 63) - 1))
        elif mode == "magic":
            c.sendall(reply(nonce, now, magic=0x45434C4C))
        elif mode == "pieces":
            for b in reply(nonce, now):
                c.sendall(bytes([b]))
        c.close()


if __name__ == "__main__":
    main()
