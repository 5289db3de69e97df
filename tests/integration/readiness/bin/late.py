#!/usr/bin/python3
# Waits (as long as it takes) for go.late, then notifies: the test reloads
# init in between, so READY=1 reaches the new init through the handed-over socket.
import os
import time
from systemd import daemon

open("@WORK@/waiting.late", "w").close()
while not os.path.exists("@WORK@/go.late"):
    time.sleep(0.05)
daemon.notify("READY=1")
time.sleep(100000)
