#!/usr/bin/python3
"""status_text.py SOCKET HASH NAME KEY: the TEXT records of key KEY in
init's reply to `status NAME`, joined (include/proto.h: frames of 1024
bytes, op at 6, status at 16, arg0 at 20, text at 96; STATUS is op 3,
TEXT records 0x102, DONE 0x100). Used for key 12 (PROTO_KEY_NOTIFY_STATUS)
until initctl prints it."""
import socket
import struct
import sys

sock, h, name, key = sys.argv[1], int(sys.argv[2], 16), sys.argv[3], int(sys.argv[4])
f = bytearray(1024)
struct.pack_into(">IHHQHH", f, 0, 0x454E4954, 1, 3, h, 0, 0)
f[32:32 + len(name)] = name.encode()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sock)
s.sendall(f)
out, buf = b"", b""
while True:
    chunk = s.recv(1024 - len(buf))
    if not chunk:
        sys.exit("connection closed before DONE")
    buf += chunk
    if len(buf) < 1024:
        continue
    op = struct.unpack_from(">H", buf, 6)[0]
    if op == 0x100:
        st = struct.unpack_from(">H", buf, 16)[0]
        if st != 0:
            sys.exit("status %d: %s" % (st, buf[96:].split(b"\0", 1)[0].decode()))
        break
    if op == 0x102 and struct.unpack_from(">I", buf, 20)[0] == key:
        out += buf[96:].split(b"\0", 1)[0]
    buf = b""
print(out.decode())
