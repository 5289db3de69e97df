#!/usr/bin/env python3
"""A reader that stops reading: it asks init to follow its events, reads
nothing, and creates the file DROPPED once init has closed its side (the
kernel says so without a read: POLLRDHUP). When the file GO exists it
reads what is there until the end. Prints "eof FRAMES" (closed: dropped),
"reset FRAMES" (ECONNRESET: dropped too) or "open FRAMES" (still open
after 30 s of reading: not dropped).
Usage: stuck.py SOCKET HASH READY DROPPED GO"""
import os
import select
import socket
import struct
import sys
import time

FRAME = 1024
sock_path, cfg_hash, ready, dropped, go = sys.argv[1], int(sys.argv[2], 16), *sys.argv[3:6]
f = bytearray(FRAME)
# include/proto.h: magic, version, op 24 (events), hash, status, flags;
# arg2 PROTO_EVENTS_FOLLOW.
struct.pack_into(">IHHQHH", f, 0, 0x454E4954, 1, 24, cfg_hash, 0, 0)
struct.pack_into(">III", f, 20, 0, 0, 2)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock_path)
s.sendall(bytes(f))
open(ready, "w").close()
p = select.poll()
p.register(s, select.POLLRDHUP)
while not os.path.exists(go):
    if p.poll(100) and not os.path.exists(dropped):
        open(dropped, "w").close()
        p.unregister(s)
        p = select.poll()
    time.sleep(0.01)
s.settimeout(30)
got = 0
try:
    while True:
        b = s.recv(65536)
        if not b:
            print(f"eof {got // FRAME}")
            break
        got += len(b)
except ConnectionResetError:
    print(f"reset {got // FRAME}")
except socket.timeout:
    print(f"open {got // FRAME}")
