#!/usr/bin/python3
# Notifies while the flood runs (once it has begun); records whether the
# flood was still running when it sent READY=1.
import os
import time
from systemd import daemon

while not os.path.exists("@WORK@/flood.started"):
    time.sleep(0.01)
during = not os.path.exists("@WORK@/flood.done")
daemon.notify("READY=1")
with open("@WORK@/sent.victim2", "w") as f:
    f.write("during\n" if during else "after\n")
time.sleep(100000)
