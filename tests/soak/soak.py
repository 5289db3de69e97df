#!/usr/bin/env python3
"""The soak's load, its samples and its verdict (tests/soak/run.sh drives it).

  soak.py run --seconds S --interval I --pid HOSTPID --socket SOCK --hash H
              --initctl PATH --samples FILE
      Runs the mixed load for S seconds: control traffic (list, status,
      system-status, ps list, logs -n), `restart worker` every 5 s (flappy
      restarts itself all along), a reload every 60 s, two `logs -f`
      followers and one `logs-stream -f` kept running (started again when a
      reload ends them), and every 30 s a burst of hostile peers (garbage,
      silent) for 3 s. Every I seconds it samples init's VmRSS, descriptor
      count and five pings, prints a table row and appends it to FILE (JSON
      lines).
  soak.py report --samples FILE --baseline-fds N --final-fds N [--doc docs/soak.md]
      The verdict: exit 1 on growth. The last third of the samples is
      compared with the first third: VmRSS may not grow by more than 64 KiB
      (its peak), the descriptors may not grow (their median), the
      ping median may not grow tenfold (a ratio, never milliseconds); and
      once the load is gone init must have its baseline descriptors. With
      --doc, the summary replaces the generated part of docs/soak.md.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "hostile-peers"))
import peers  # noqa: E402  (the frame helpers and the hostile clients)

RSS_TOLERANCE_KB = 64
PING_RATIO = 10
BEGIN, END = "<!-- soak:begin (written by tests/soak/run.sh) -->", "<!-- soak:end -->"


class Soak:
    def __init__(self, a):
        self.a = a
        self.end = time.monotonic() + a.seconds
        self.counts = {"requests": 0, "request_errors": 0, "restarts_asked": 0, "reloads": 0,
                       "followers_started": 0, "hostile_bursts": 0}
        self.lock = threading.Lock()
        self.errors = []

    def running(self):
        return time.monotonic() < self.end

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] += n

    def ctl(self, *args, timeout=60):
        try:
            return subprocess.run([self.a.initctl, "-s", self.a.socket, *args], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            self.errors.append(f"initctl {' '.join(args)}: no answer within {timeout}s")
            return 1

    def control(self):
        cmds = [["list"], ["status", "worker"], ["status", "flappy"], ["system-status"], ["ps", "list"],
                ["logs", "flooder", "-n", "200"], ["logs", "chatty", "-n", "20"], ["ping"]]
        rnd = random.Random(1)
        while self.running():
            rc = self.ctl(*rnd.choice(cmds))
            self.count("requests")
            if rc:
                self.count("request_errors")  # refused during a reload's re-exec: counted, not fatal
            time.sleep(0.05)

    def restarts(self):
        while self.running():
            time.sleep(5)
            self.ctl("restart", "worker")
            self.count("restarts_asked")

    def reloads(self):
        while self.running():
            time.sleep(60)
            if not self.running():
                break
            if self.ctl("reload") == 0:
                self.count("reloads")

    def followers(self):
        specs = [["logs", "chatty", "-f", "-n", "5"], ["logs", "flooder", "-f", "-n", "5"],
                 ["logs-stream", "chatty", "-f"]]
        procs = [None] * len(specs)
        while self.running():
            for i, spec in enumerate(specs):
                if procs[i] is None or procs[i].poll() is not None:
                    procs[i] = subprocess.Popen([self.a.initctl, "-s", self.a.socket, *spec],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    self.count("followers_started")
            time.sleep(1)
        for p in procs:
            if p and p.poll() is None:
                p.terminate()
                p.wait()

    def hostile(self):
        me = os.path.abspath(peers.__file__)
        while self.running():
            time.sleep(30)
            if not self.running():
                break
            loads = [subprocess.Popen([sys.executable, me, "load", k, "--socket", self.a.socket,
                                       "--hash", f"{self.a.hash:016x}", "--clients", n],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for k, n in (("garbage", "1"), ("silent", "4"))]
            time.sleep(3)
            for p in loads:
                p.terminate()
                p.wait()
            self.count("hostile_bursts")

    def sample(self, t):
        snap = peers.snapshot(self.a.pid)
        lat = []
        for _ in range(5):
            try:
                lat.append(peers.ping_once(self.a.socket, self.a.hash, 15)[0])
            except (TimeoutError, ValueError) as e:
                self.errors.append(f"ping at {t:.0f}s: {e}")
        row = {"t": round(t), "rss_kb": snap["rss_kb"], "fds": snap["fds"],
               "ping_median_ms": round(statistics.median(lat) * 1000, 2) if lat else None,
               "ping_max_ms": round(max(lat) * 1000, 2) if lat else None, **self.counts}
        return row


def cmd_run(a):
    s = Soak(a)
    threads = [threading.Thread(target=f, daemon=True)
               for f in (s.control, s.restarts, s.reloads, s.followers, s.hostile)]
    for th in threads:
        th.start()
    start = time.monotonic()
    print(f"{'t(s)':>6} {'VmRSS KiB':>10} {'fds':>5} {'ping med ms':>12} {'ping max ms':>12} "
          f"{'requests':>9} {'restarts':>9} {'reloads':>8} {'followers':>10}", flush=True)
    with open(a.samples, "w") as out:
        while s.running():
            row = s.sample(time.monotonic() - start)
            out.write(json.dumps(row) + "\n")
            out.flush()
            print(f"{row['t']:>6} {row['rss_kb']:>10} {row['fds']:>5} {row['ping_median_ms']!s:>12} "
                  f"{row['ping_max_ms']!s:>12} {row['requests']:>9} {row['restarts_asked']:>9} "
                  f"{row['reloads']:>8} {row['followers_started']:>10}", flush=True)
            time.sleep(max(0.0, a.interval - (time.monotonic() - start - row["t"])))
    for th in threads:
        th.join(timeout=120)
    if s.errors:
        print("soak: errors:\n  " + "\n  ".join(s.errors[:20]))
        return 1
    return 0


def verdict(rows, baseline_fds, final_fds):
    """(failures, figures) of the samples."""
    n = len(rows) // 3
    first, last = rows[:n], rows[-n:]
    fails = []
    fig = {"samples": len(rows), "seconds": rows[-1]["t"] if rows else 0}
    if n < 2:
        return ["too few samples to compare thirds (run longer)"], fig
    fig["rss_first_peak"] = max(r["rss_kb"] for r in first)
    fig["rss_last_peak"] = max(r["rss_kb"] for r in last)
    fig["fds_first_median"] = statistics.median(r["fds"] for r in first)
    fig["fds_last_median"] = statistics.median(r["fds"] for r in last)
    fig["fds_max"] = max(r["fds"] for r in rows)
    fig["ping_first"] = statistics.median(r["ping_median_ms"] for r in first if r["ping_median_ms"] is not None)
    fig["ping_last"] = statistics.median(r["ping_median_ms"] for r in last if r["ping_median_ms"] is not None)
    fig["ping_max"] = max(r["ping_max_ms"] for r in rows if r["ping_max_ms"] is not None)
    fig["baseline_fds"], fig["final_fds"] = baseline_fds, final_fds
    fig["totals"] = {k: rows[-1][k] for k in ("requests", "request_errors", "restarts_asked", "reloads",
                                              "followers_started", "hostile_bursts")}
    if fig["rss_last_peak"] > fig["rss_first_peak"] + RSS_TOLERANCE_KB:
        fails.append(f"VmRSS grew: peak {fig['rss_first_peak']} KiB in the first third, "
                     f"{fig['rss_last_peak']} KiB in the last (tolerance {RSS_TOLERANCE_KB} KiB)")
    if fig["fds_last_median"] > fig["fds_first_median"]:
        fails.append(f"descriptors grew: median {fig['fds_first_median']} in the first third, "
                     f"{fig['fds_last_median']} in the last")
    if fig["ping_last"] > PING_RATIO * fig["ping_first"]:
        fails.append(f"ping median grew {fig['ping_last'] / fig['ping_first']:.1f}-fold "
                     f"({fig['ping_first']} -> {fig['ping_last']} ms; at most {PING_RATIO}-fold)")
    if final_fds != baseline_fds:
        fails.append(f"descriptors after the load: {final_fds}, baseline {baseline_fds}")
    return fails, fig


def table(rows, every):
    out = ["| t (s) | VmRSS KiB | fds | ping median ms | ping max ms | requests | restarts asked | reloads |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows[::every] + ([rows[-1]] if (len(rows) - 1) % every else []):
        out.append(f"| {r['t']} | {r['rss_kb']} | {r['fds']} | {r['ping_median_ms']} | {r['ping_max_ms']} | "
                   f"{r['requests']} | {r['restarts_asked']} | {r['reloads']} |")
    return "\n".join(out)


def cmd_report(a):
    with open(a.samples) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    fails, fig = verdict(rows, a.baseline_fds, a.final_fds)
    print(json.dumps(fig))
    for why in fails:
        print(f"soak: FAILED: {why}")
    if a.doc and fig.get("samples", 0) >= 6:
        t = fig["totals"]
        text = "\n".join([
            BEGIN,
            f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {fig['seconds']} s, "
            f"{fig['samples']} samples ({os.cpu_count()} CPUs, kernel {os.uname().release}); "
            f"verdict: **{'FAILED: ' + '; '.join(fails) if fails else 'passed'}**.",
            "",
            f"- load: {t['requests']} control requests ({t['request_errors']} refused or failed, "
            f"around the re-execs), {t['restarts_asked']} `restart worker`, {t['reloads']} reloads, "
            f"{t['followers_started']} followers started, {t['hostile_bursts']} hostile bursts; "
            "`flappy` restarting itself all along, `flooder` writing about 2 MB/s",
            f"- VmRSS peak: {fig['rss_first_peak']} KiB in the first third, {fig['rss_last_peak']} KiB "
            f"in the last (tolerance {RSS_TOLERANCE_KB} KiB)",
            f"- descriptors (the followers' and peers' included): median {fig['fds_first_median']} in the "
            f"first third, {fig['fds_last_median']} in the last, at most {fig['fds_max']}; "
            f"{fig['final_fds']} at rest after the load (baseline {fig['baseline_fds']})",
            f"- ping (median of five, each sample): {fig['ping_first']} ms over the first third, "
            f"{fig['ping_last']} ms over the last; slowest ping {fig['ping_max']} ms",
            "",
            table(rows, max(1, len(rows) // 20)),
            END,
        ])
        with open(a.doc) as f:
            doc = f.read()
        if BEGIN in doc and END in doc:
            doc = doc[:doc.index(BEGIN)] + text + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n" + text + "\n"
        with open(a.doc, "w") as f:
            f.write(doc)
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--interval", type=float, default=5)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--socket", required=True)
    p.add_argument("--hash", type=lambda s: int(s, 16), required=True)
    p.add_argument("--initctl", required=True)
    p.add_argument("--samples", required=True)
    p = sub.add_parser("report")
    p.add_argument("--samples", required=True)
    p.add_argument("--baseline-fds", type=int, required=True)
    p.add_argument("--final-fds", type=int, required=True)
    p.add_argument("--doc")
    a = ap.parse_args()
    return cmd_run(a) if a.cmd == "run" else cmd_report(a)


if __name__ == "__main__":
    sys.exit(main())
