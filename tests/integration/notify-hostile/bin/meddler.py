#!/usr/bin/python3
# Another Type=notify service: ready itself, then it sends READY=1 and a
# STATUS= over and over, as if for victim. Its datagrams are its own:
# they must not make victim ready nor set victim's status.
import time
from systemd import daemon

daemon.notify("READY=1\nSTATUS=meddler is ready")
n = 0
while True:
    daemon.notify("READY=1\nSTATUS=meddled")
    n += 1
    with open("@WORK@/sends.meddler", "w") as f:
        f.write("%d\n" % n)
    time.sleep(0.05)
