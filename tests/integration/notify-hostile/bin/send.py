#!/usr/bin/python3
"""send.py SOCKET KIND COUNT NFDS [DONE-MARKER]: COUNT datagrams of KIND to
the notify socket, each with NFDS descriptors (of /dev/null) passed along
(SCM_RIGHTS). Blocking sends: a full queue paces the sender, as it paces
sd_notify. KIND:
  ready  READY=1               flood  FLOOD=1 (a valid-looking assignment)
  nul    READY=1 with NUL bytes  big  READY=1 then 64 KiB of assignments
  noeq   READY=1 and a line without '='   empty  no bytes at all
Env MARK_STARTED=path: touched after the first 1000 datagrams."""
import os
import socket
import sys

KINDS = {
    "ready": b"READY=1",
    "flood": b"FLOOD=1",
    "nul": b"READY=1\nSTATUS=a NUL \0 byte",
    "big": b"READY=1\n" + b"A=1\n" * 16384,
    "noeq": b"READY=1\nthis line has no equals sign",
    "empty": b"",
}

path, kind, count, nfds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = KINDS[kind]
fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(nfds)]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
rights = b"".join(fd.to_bytes(4, sys.byteorder) for fd in fds)
started = os.environ.get("MARK_STARTED")
for n in range(count):
    if fds:
        s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, rights)], 0, path)
    else:
        s.sendto(data, path)
    if started and n == 999:
        open(started, "w").close()
if len(sys.argv) > 5:
    with open(sys.argv[5], "w") as f:
        f.write("%d\n" % count)
