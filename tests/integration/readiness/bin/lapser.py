#!/usr/bin/python3
# WatchdogSec=1: its first run gets ready, pets three times, then stops
# petting (and hangs); later runs never pet at all. The watchdog's SIGABRT
# must end every run; no core file, please.
import os
import resource
import time
from systemd import daemon

resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
with open("@WORK@/runs.lapser", "a") as f:
    f.write("run\n")
with open("@WORK@/runs.lapser") as f:
    first = len(f.readlines()) == 1
with open("@WORK@/env.lapser", "w") as f:
    f.write("%s %s %d\n" % (os.environ.get("WATCHDOG_USEC", "-"), os.environ.get("WATCHDOG_PID", "-"), os.getpid()))
daemon.notify("READY=1")
for _ in range(3 if first else 0):
    time.sleep(0.3)
    daemon.notify("WATCHDOG=1")
with open("@WORK@/stopped-petting.lapser", "a") as f:
    f.write("stopped\n")
time.sleep(100000)
