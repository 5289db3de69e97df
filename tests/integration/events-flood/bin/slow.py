#!/usr/bin/env python3
"""A slow reader of `initctl events` on stdin: it reads in bursts every
PERIOD seconds (never long enough to be dropped, never fast enough to
keep up with a storm), checks every line, and after each burst writes to
STATUS "LINES MISSED_EVENTS MISSED_TOTAL BAD LAST_SEQ" (BAD: seqs that were not
the next one or what a missed event announced). Ends when STOP exists.
Usage: initctl events | slow.py PERIOD STATUS STOP [LOG]"""
import fcntl
import json
import os
import sys
import time

period, status, stop = float(sys.argv[1]), sys.argv[2], sys.argv[3]
log = open(sys.argv[4], "w") if len(sys.argv) > 4 else None
fd = sys.stdin.fileno()
fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
buf = b""
lines = missed_events = missed_total = bad = last = 0
expect = None
while not os.path.exists(stop):
    time.sleep(period)
    while True:
        try:
            b = os.read(fd, 65536)
        except BlockingIOError:
            break
        if not b:
            break
        buf += b
    *done, buf = buf.split(b"\n")
    for raw in done:
        e = json.loads(raw)
        lines += 1
        last = e["seq"]
        if log:
            log.write(raw.decode() + "\n")
        if expect is not None and e["seq"] != expect:
            bad += 1
        if e["kind"] == "missed":
            missed_events += 1
            missed_total += e["missed"]
            if not (isinstance(e["missed"], int) and e["missed"] > 0 and e["service"] is None):
                bad += 1
            expect = e["seq"] + e["missed"]
        else:
            expect = e["seq"] + 1
    with open(status + ".tmp", "w") as f:
        f.write(f"{lines} {missed_events} {missed_total} {bad} {last}\n")
    os.rename(status + ".tmp", status)
