#!/usr/bin/python3
# Type=notify with python3-systemd's sd_notify binding, from the main process.
import os
import time
from systemd import daemon

with open("@WORK@/runs.pynotify", "a") as f:
    f.write("run\n")
time.sleep(1)
open("@WORK@/marker.pynotify", "w").close()
if not daemon.notify("STATUS=python says hello\nREADY=1"):
    print("daemon.notify returned False (no NOTIFY_SOCKET?)", flush=True)
time.sleep(100000)
