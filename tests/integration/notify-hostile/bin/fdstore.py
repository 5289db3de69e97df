#!/usr/bin/python3
# Type=notify: once told (go.fdstore), passes descriptors along with its own
# notifications (FDSTORE=1, which init does not keep), more than init takes
# at once, with datagrams too long, and with malformed ones; then READY=1.
# Every descriptor must be closed by init: the test counts init's.
import os
import socket
import time
from systemd import daemon

path = os.environ["NOTIFY_SOCKET"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
while not os.path.exists("@WORK@/go.fdstore"):
    time.sleep(0.05)


def send(data, n):
    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(n)]
    s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, b"".join(fd.to_bytes(4, "little") for fd in fds))], 0, path)
    for fd in fds:
        os.close(fd)


for _ in range(100):
    send(b"FDSTORE=1\nFDNAME=x", 5)
for _ in range(50):
    send(b"FDSTORE=1", 20)  # more than init's 16 per datagram
for _ in range(20):
    send(b"FDSTORE=1\n" + b"A=1\n" * 16384, 3)  # longer than any notification
for _ in range(20):
    send(b"FDSTORE=1\0", 3)  # malformed
daemon.notify("READY=1")
time.sleep(100000)
