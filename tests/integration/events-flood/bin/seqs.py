#!/usr/bin/env python3
"""Check a followed `initctl events` output: every line JSON, seqs strictly
increasing, each the one after the last, except right after a missed
event, where it is the missed event's seq + its count. Prints "EVENTS
MISSED_EVENTS MISSED_TOTAL FIRST LAST"; exits 1 naming the first break.
Usage: seqs.py FILE"""
import json
import sys

n = me = mt = 0
expect = first = last = None
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        if expect is not None and e["seq"] != expect:
            sys.exit(f"seq {e['seq']} after {last}: want {expect}")
        first = e["seq"] if first is None else first
        last = e["seq"]
        n += 1
        if e["kind"] == "missed":
            if not (isinstance(e["missed"], int) and e["missed"] > 0):
                sys.exit(f"missed event without a count: {line}")
            me += 1
            mt += e["missed"]
            expect = e["seq"] + e["missed"]
        else:
            expect = e["seq"] + 1
print(n, me, mt, first, last)
