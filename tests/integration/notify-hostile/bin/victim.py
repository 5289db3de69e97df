#!/usr/bin/python3
# Type=notify: first sends, from its own process, malformed datagrams that
# all carry READY=1 (NUL bytes, 64 KiB, a line without '=', none at all):
# init must take none. Then waits for go.victim and notifies properly.
# Until then it echoes the test's say.victim as STATUS= (a barrier).
import os
import socket
import time
from systemd import daemon

path = os.environ["NOTIFY_SOCKET"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for d in (b"READY=1\nSTATUS=a NUL \0 byte", b"READY=1\n" + b"A=1\n" * 16384, b"READY=1\nno equals sign", b""):
    s.sendto(d, path)
daemon.notify("STATUS=malformed sent")
# The test's barrier: say.victim's text comes back as STATUS=, after every
# datagram sent before it (the socket keeps their order).
while not os.path.exists("@WORK@/go.victim"):
    try:
        with open("@WORK@/say.victim") as f:
            text = f.read().strip()
        os.unlink("@WORK@/say.victim")
        daemon.notify("STATUS=" + text)
    except FileNotFoundError:
        pass
    time.sleep(0.05)
daemon.notify("STATUS=victim is ready\nREADY=1")
time.sleep(100000)
