"""Log throughput: enclave-init's log capture against s6-log and svlogd.

Used by bench.py (the "Log throughput" section of the report, alone with
`tools/bench/run --only logs`). docs/bench.md describes the method; in short:

- The writer (logw.c, static) writes LINES lines of exactly 100 bytes, each
  with a unique sequence number, as fast as it can, and exits 0. It notes
  CLOCK_MONOTONIC when it starts: that is the start of every figure.
- enclave-init: one service (`Restart = "no"`) running the writer, its
  log_dir in the setup's directory, `max_log_size` = 1 MiB, `max_log_files` =
  99. The clock stops when init says `Service logw exited with code 0` on
  its console (a pipe the benchmark reads): init takes what is left in the
  service's pipe and writes it to the file before it says so (log_drain()
  before the exit note, src/init/svc.c).
- s6-log: `logw | s6-log T s1048576 n99 DIR`; svlogd: `logw | svlogd -tt DIR`
  with DIR/config = `s1048576`, `n99`. Both exit at the end of their input,
  after writing everything; the clock stops when wait4() returns the logger.
- Afterwards every file (rotated ones, oldest first, then the current one) is
  read back: every sequence number must be there exactly once, in order, the
  line intact and with its logger's timestamp prefix.
- No threshold: figures, ratios, and the count of lines lost.
"""
import ctypes
import fcntl
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import threading
import time

LINES = 200_000
LINE_BYTES = 100                 # 99 characters and '\n'
BODY = LINE_BYTES - 1
MAX_SIZE = 1 << 20               # rotation size for every logger (bytes)
MAX_FILES = 99                   # rotated files kept: 200,000 lines need about 25
SERVICE = "logw"
RUN_TIMEOUT_S = 120
MODES = ("block", "line")
MODE_LABEL = {"block": "4 KiB writes", "line": "one write(2) per line"}
LOGGERS = ("enclave-init", "s6-log", "svlogd")
ABC = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Characters 15..98 of line k are ABC[(k + i) % 62]: one filler per k % 62.
FILLERS = [bytes(ABC[(r + i) % len(ABC)] for i in range(15, BODY)) for r in range(len(ABC))]
STAMP_EI = re.compile(rb"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] ")       # [2026-11-22 01:00:00]
STAMP_S6 = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}  ")         # s6-log T
STAMP_SV = re.compile(rb"\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} ")          # svlogd -tt
NO_STAMP = re.compile(rb"")
# The peers: what runs at the end of the pipe (DIR appended), the pipe's size
# (None: the default, 64 KiB, as s6-svscan and runsv create it), the prefix
# of each line. The last three are reference variants, run on the first
# setup only: they show where the peers' time goes, not the issue's figure.
PEERS = {
    "s6-log": (["s6-log", "T", f"s{MAX_SIZE}", f"n{MAX_FILES}"], None, STAMP_S6),
    "svlogd": (["svlogd", "-tt"], None, STAMP_SV),
    "s6-log (no timestamps)": (["s6-log", f"s{MAX_SIZE}", f"n{MAX_FILES}"], None, NO_STAMP),
    "s6-log T (256 KiB pipe)": (["s6-log", "T", f"s{MAX_SIZE}", f"n{MAX_FILES}"], 256 * 1024, STAMP_S6),
    "svlogd -tt -b 65536": (["svlogd", "-tt", "-b", "65536"], None, STAMP_SV),
}
VARIANTS = ("s6-log (no timestamps)", "s6-log T (256 KiB pipe)", "svlogd -tt -b 65536")
PREFIX = {"enclave-init": STAMP_EI, **{k: v[2] for k, v in PEERS.items()}}
# init's own lines about the service, in the service's log (not counted as lines of the writer).
LIFECYCLE = re.compile(rb"\[[^]]*\] (Starting service logw|Service logw started with PID \d+|"
                       rb"Service logw exited with code 0)")
EXITED = re.compile(r"init: Service logw (exited with code (\d+)|killed by signal (\d+))")


_LIBC = ctypes.CDLL("libc.so.6", use_errno=True)


def _log(msg):
    print(msg, file=sys.stderr, flush=True)


def _pdeathsig():
    """In the forked child, before exec: die with the benchmark."""
    _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:
        os._exit(1)


def _rmtree_contents(d):
    import shutil
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)


# --- checking what a logger wrote ------------------------------------------------------

def log_files(logger, d):
    """The files a logger wrote, oldest first."""
    names = os.listdir(d)
    if logger == "enclave-init":
        rotated = sorted((int(n.rsplit(".", 1)[1]) for n in names
                          if n.startswith(SERVICE + ".log.") and n.rsplit(".", 1)[1].isdigit()), reverse=True)
        out = [f"{SERVICE}.log.{k}" for k in rotated]
        if f"{SERVICE}.log" in names:
            out.append(f"{SERVICE}.log")
    else:
        # s6-log and svlogd: archives @TAI64N.s (or .u) sort by time; then "current".
        out = sorted(n for n in names if n.startswith("@"))
        if "current" in names:
            out.append("current")
    return [os.path.join(d, n) for n in out]


def check(logger, d, n=LINES):
    """Read back every file: count the writer's lines, lost, duplicated, ..."""
    prefix = PREFIX[logger]
    seen = bytearray(n)
    r = {"lines": 0, "dup": 0, "order": 0, "damaged": 0, "bad_prefix": 0, "lifecycle": 0,
         "other": [], "files": 0, "bytes": 0, "largest": 0, "unterminated": 0, "after_exit": 0}
    exited = False
    last = -1
    for path in log_files(logger, d):
        with open(path, "rb") as f:
            data = f.read()
        r["files"] += 1
        r["bytes"] += len(data)
        r["largest"] = max(r["largest"], len(data))
        lines = data.split(b"\n")
        if lines[-1]:
            r["unterminated"] += 1
        for line in lines[:-1] + ([lines[-1]] if lines[-1] else []):
            body = line[-BODY:]
            if len(line) >= BODY and body[:4] == b"seq=" and body[4:14].isdigit():
                k = int(body[4:14])
                if k >= n or body[14:15] != b" " or body[15:] != FILLERS[k % len(ABC)]:
                    r["damaged"] += 1
                    continue
                r["lines"] += 1
                r["after_exit"] += exited
                if not prefix.fullmatch(line[:-BODY]):
                    r["bad_prefix"] += 1
                if seen[k]:
                    r["dup"] += 1
                seen[k] = 1
                if k <= last:
                    r["order"] += 1
                last = max(last, k)
            elif b"seq=" in line:
                r["damaged"] += 1
            elif logger == "enclave-init" and LIFECYCLE.fullmatch(line):
                r["lifecycle"] += 1
                exited = exited or line.endswith(b" exited with code 0")
            else:
                r["other"].append(line[:200].decode(errors="replace"))
    r["lost"] = n - sum(seen)
    return r


# --- one run of each logger -------------------------------------------------------------

def read_times(path):
    with open(path) as f:
        v = [int(x) for x in f.read().split()]
    return v[0] / 1e9, (v[1] / 1e9 if len(v) > 1 else None)


class Setup:
    """One filesystem and one write mode: a directory per logger."""

    def __init__(self, root, fs_label, mode, logw, build):
        self.root, self.fs_label, self.mode, self.logw = root, fs_label, mode, logw
        self.key = f"{fs_label}/{mode}"
        self.timefile = os.path.join(root, "t0")
        self.dirs = {k: os.path.join(root, re.sub(r"[^A-Za-z0-9.-]+", "_", k).strip("_")) for k in PEERS}
        self.ei = os.path.join(root, "ei")
        self.ei_log = os.path.join(self.ei, "log")
        os.makedirs(os.path.join(self.ei, "services"))
        with open(os.path.join(self.ei, "init.yaml"), "w") as f:
            f.write(f"service_dir: services\nlog_dir: {self.ei_log}\n"
                    f"control:\n  unix_socket_path: {self.ei}/init.sock\n"
                    f"max_log_size: {MAX_SIZE}\nmax_log_files: {MAX_FILES}\n"
                    "vsock: {enabled: false}\nnsm_driver_path: null\npivot_root: false\n")
        with open(os.path.join(self.ei, "services", SERVICE + ".service"), "w") as f:
            f.write(f'ExecStart = "{logw} {LINES} {mode} {self.timefile}"\nRestart = "no"\n')
        self.build = build(os.path.join(self.ei, "init.yaml"), os.path.join(self.ei, "build"))

    def writer_argv(self):
        return [self.logw, str(LINES), self.mode, self.timefile]

    def run(self, logger):
        """One run: (seconds, logger CPU seconds, check result, extra)."""
        if os.path.exists(self.timefile):
            os.unlink(self.timefile)
        if logger == "enclave-init":
            return self._run_ei()
        d = self.dirs[logger]
        _rmtree_contents(d)
        argv, pipe_size, _ = PEERS[logger]
        argv = argv + [d]
        if argv[0] == "svlogd":  # svlogd reads its settings from DIR/config
            with open(os.path.join(d, "config"), "w") as f:
                f.write(f"s{MAX_SIZE}\nn{MAX_FILES}\n")
        rfd, wfd = os.pipe()
        if pipe_size:
            fcntl.fcntl(wfd, fcntl.F_SETPIPE_SZ, pipe_size)
        lg = wr = None
        try:
            lg = subprocess.Popen(argv, stdin=rfd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  preexec_fn=_pdeathsig)
            wr = subprocess.Popen(self.writer_argv(), stdout=wfd, stdin=subprocess.DEVNULL,
                                  preexec_fn=_pdeathsig)
            os.close(rfd)
            os.close(wfd)
            rfd = wfd = -1
            guard = threading.Timer(RUN_TIMEOUT_S, lg.kill)  # a logger that hangs is killed
            guard.start()
            try:
                _, status, ru = os.wait4(lg.pid, 0)
                t1 = time.monotonic()
            finally:
                guard.cancel()
            lg.returncode = os.waitstatus_to_exitcode(status)
            if lg.returncode == -signal.SIGKILL:
                raise RuntimeError(f"{logger} still running after {RUN_TIMEOUT_S} s (killed)")
            err = lg.stderr.read().decode(errors="replace").strip()
            if wr.wait(timeout=30) != 0:
                raise RuntimeError(f"writer exited {wr.returncode} under {logger}")
            if lg.returncode != 0:
                raise RuntimeError(f"{logger} exited {lg.returncode}: {err}")
            t0, tw = read_times(self.timefile)
            cpu = ru.ru_utime + ru.ru_stime
            return t1 - t0, cpu, check(logger, d), {"writer_done": tw - t0, "stderr": err}
        finally:
            for fd in (rfd, wfd):
                if fd >= 0:
                    os.close(fd)
            for p in (wr, lg):
                if p and p.poll() is None:
                    p.kill()
                    p.wait()
            if lg and lg.stderr:
                lg.stderr.close()

    def _run_ei(self):
        _rmtree_contents(self.ei_log)
        sock = os.path.join(self.ei, "init.sock")
        argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                os.path.join(self.build, "init")]
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, preexec_fn=_pdeathsig, start_new_session=True,
                             env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        console = b""
        try:
            deadline = time.monotonic() + RUN_TIMEOUT_S
            m = None
            fd = p.stdout.fileno()
            while not m:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no exit of the writer after {RUN_TIMEOUT_S} s; console:\n"
                                       + console.decode(errors="replace")[-1000:])
                r, _, _ = select.select([fd], [], [], left)
                if not r:
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise RuntimeError("init ended before the writer did; console:\n"
                                       + console.decode(errors="replace")[-1000:])
                console += chunk
                m = EXITED.search(console.decode(errors="replace"))
            t1 = time.monotonic()
            init_pid = _child_of(p.pid)
            cpu = None
            if init_pid:
                with open(f"/proc/{init_pid}/schedstat") as f:
                    cpu = int(f.read().split()[0]) / 1e9
            if m.group(2) != "0":
                raise RuntimeError(f"writer under enclave-init: {m.group(1)}")
            # The service's own log gets the same note right after the console.
            end = time.monotonic() + 5
            while time.monotonic() < end:
                with open(os.path.join(self.ei_log, SERVICE + ".log"), "rb") as f:
                    if b"exited with code" in f.read()[-200:]:
                        break
                time.sleep(0.01)
            status = subprocess.run([os.path.join(self.build, "initctl"), "-s", sock, "status", SERVICE],
                                    capture_output=True, text=True).stdout
            dropped = 0
            for line in status.splitlines():
                if line.strip().startswith("Log lines dropped:"):
                    dropped = int(line.split(":")[1])
            t0, tw = read_times(self.timefile)
            res = check("enclave-init", self.ei_log)
            return t1 - t0, cpu, res, {"writer_done": tw - t0, "dropped_counter": dropped,
                                       "status": status}
        finally:
            _stop(p)
            p.stdout.close()


def _child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            c = f.read().split()
        return int(c[0]) if c else None
    except OSError:
        return None


def _stop(p):
    """SIGKILL to the namespace's PID 1 takes everything in it; unshare reaps it."""
    if p.poll() is None:
        c = _child_of(p.pid)
        try:
            os.kill(c or p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# --- the whole measurement ----------------------------------------------------------------

def build_logw(work):
    out = os.path.join(work, "logw")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logw.c")
    r = subprocess.run(["musl-gcc", "-static", "-O2", "-s", "-o", out, src], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"musl-gcc {src} failed:\n{r.stderr}")
    return out


def filesystems(work, shm):
    """(label, directory, description) of each filesystem the logs go to."""
    out = []
    fs = _fstype(work)
    out.append(("disk" if fs != "tmpfs" else "tmpfs", work, f"{fs} ({_mountpoint(work)})"))
    if shm and fs != "tmpfs":
        out.append(("tmpfs", shm, f"tmpfs ({_mountpoint(shm)})"))
    return out


def _mountinfo(path):
    path = os.path.realpath(path)
    best = ("", "?")
    with open("/proc/self/mountinfo") as f:
        for line in f:
            a = line.split()
            mp = a[4]
            fstype = a[a.index("-") + 1]
            if (path == mp or path.startswith(mp.rstrip("/") + "/")) and len(mp) >= len(best[0]):
                best = (mp, fstype)
    return best


def _fstype(path):
    return _mountinfo(path)[1]


def _mountpoint(path):
    return _mountinfo(path)[0]


def measure(work, shm, build, reps):
    """Run every logger on every setup; returns the data render() takes."""
    logw = build_logw(work)
    setups = []
    for label, root, desc in filesystems(work, shm):
        for mode in MODES:
            d = os.path.join(root, "logs-" + label + "-" + mode)
            os.makedirs(d)
            s = Setup(d, label, mode, logw, build)
            s.fs_desc = desc
            # The reference variants run on the first setup only.
            s.loggers = LOGGERS + (VARIANTS if not setups else ())
            setups.append(s)
    results = {(s.key, lg): [] for s in setups for lg in s.loggers}
    problems = []
    for s in setups:
        _log(f"bench: log throughput, {s.fs_label}, {MODE_LABEL[s.mode]}: {'; '.join(s.loggers)} "
             f"(1 warm-up + {reps} runs of each)")
        for rep in range(reps + 1):
            k = rep % len(s.loggers)
            for lg in s.loggers[k:] + s.loggers[:k]:
                try:
                    secs, cpu, chk, extra = s.run(lg)
                except RuntimeError as e:
                    problems.append(f"log throughput, {s.key}, {lg}: {e}")
                    continue
                if rep == 0:
                    continue
                results[(s.key, lg)].append({"secs": secs, "cpu": cpu, **chk, **extra})
    return {"setups": setups, "results": results, "problems": problems, "reps": reps}


# --- report ---------------------------------------------------------------------------------

def _med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _rate(secs):
    return None if not secs else LINES / secs


def _klps(v):
    return "n/a" if v is None else f"{v / 1000:.0f} k"


def _mbps(secs):
    return "n/a" if not secs else f"{LINES * LINE_BYTES / secs / 1e6:.1f}"


def _ms(s):
    return "n/a" if s is None else f"{s * 1000:.0f} ms"


def _ratio(a, b):
    return "n/a" if a is None or not b else f"{a / b:.2f}"


def summary(data):
    """{setup key: {logger: median lines/s}}."""
    out = {}
    for s in data["setups"]:
        out[s.key] = {lg: _rate(_med([r["secs"] for r in data["results"][(s.key, lg)]])) for lg in LOGGERS}
    return out


def target_line(data):
    """The issue's target, one verdict per setup."""
    sm = summary(data)
    parts = []
    for s in data["setups"]:
        rs = data["results"][(s.key, "enclave-init")]
        e, p = sm[s.key]["enclave-init"], sm[s.key]["s6-log"]
        lost = sum(r["lost"] + r["dup"] + r["damaged"] for r in rs)
        ok = None if e is None or p is None or not rs else (e >= p and lost == 0)
        v = "n/a (no figure)" if ok is None else ("**met**" if ok else "**missed**")
        parts.append(f"{s.fs_label}, {MODE_LABEL[s.mode]}: ratio {_ratio(e, p)}, "
                     f"{lost} lines lost, duplicated or damaged: {v}")
    return ("- log throughput ≥ s6-log's, with zero loss (200,000 × 100-byte lines, timestamps, "
            "rotation at 1 MiB): " + "; ".join(parts) + ".")


def render(data, section="6"):
    """The report's section, as a list of Markdown lines."""
    out = []
    w = out.append
    reps = data["reps"]
    sm = summary(data)
    w(f"## {section}. Log throughput ({LINES:,} lines × {LINE_BYTES} bytes; timestamps and rotation on)\n")
    w("Throughput = lines / (time from the writer's start until the last line is in the logger's "
             "files); MB/s counts the writer's bytes (20 MB per run). **Ratio = enclave-init / peer: "
             "above 1 means enclave-init is faster.** Medians of "
             f"{reps} runs of each logger (after one warm-up run each), interleaved.\n")
    w("| filesystem | writes | enclave-init | s6-log | svlogd | ratio vs s6-log | ratio vs svlogd |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for s in data["setups"]:
        f = sm[s.key]
        w(f"| {s.fs_label} | {MODE_LABEL[s.mode]} | {_klps(f['enclave-init'])} lines/s | "
                 f"{_klps(f['s6-log'])} lines/s | {_klps(f['svlogd'])} lines/s | "
                 f"{_ratio(f['enclave-init'], f['s6-log'])} | {_ratio(f['enclave-init'], f['svlogd'])} |")
    w("")
    s0 = data["setups"][0]
    ref = [lg for lg in s0.loggers if lg in VARIANTS]
    if ref:
        e = _rate(_med([r["secs"] for r in data["results"][(s0.key, "enclave-init")]]))
        w(f"Reference variants of the peers ({s0.fs_label}, {MODE_LABEL[s0.mode]}; not the issue's "
          "configuration, but where the peers' time goes): without timestamps (s6-log with no `T`), with "
          "the 256 KiB pipe enclave-init gives its services (the peers above get the 64 KiB default, as "
          "s6-svscan and runsv do), svlogd with a 64 KiB buffer instead of its default 1024 bytes.\n")
        w("| peer variant | lines/s | ratio enclave-init / this (above 1: enclave-init faster) |")
        w("|---|---:|---:|")
        for lg in ("s6-log", "svlogd") + tuple(ref):
            v = _rate(_med([r["secs"] for r in data["results"][(s0.key, lg)]]))
            label = {"s6-log": "s6-log T (as above)", "svlogd": "svlogd -tt (as above)"}.get(lg, lg)
            w(f"| {label} | {_klps(v)} | {_ratio(e, v)} |")
        w("")
    w("| filesystem | writes | logger | lines/s | MB/s | time: median (min – max) | logger CPU | "
             "writer done after | lines found | lost | duplicated | out of order | damaged | files | "
             "largest file | bytes written |")
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in data["setups"]:
        for lg in s.loggers:
            rs = data["results"][(s.key, lg)]
            if not rs:
                w(f"| {s.fs_label} | {MODE_LABEL[s.mode]} | {lg} | n/a | | | | | | | | | | | | |")
                continue
            secs = [r["secs"] for r in rs]
            med = _med(secs)

            def tot(k):
                return sum(r[k] for r in rs)

            def same(k):
                v = sorted({r[k] for r in rs})
                return str(v[0]) if len(v) == 1 else f"{v[0]}–{v[-1]}"
            w(f"| {s.fs_label} | {MODE_LABEL[s.mode]} | {lg} | {_klps(_rate(med))} | {_mbps(med)} | "
                     f"{_ms(med)} ({_ms(min(secs))} – {_ms(max(secs))}) | "
                     f"{_ms(_med([r['cpu'] for r in rs]))} | {_ms(_med([r['writer_done'] for r in rs]))} | "
                     f"{same('lines')} | {tot('lost')} | {tot('dup')} | {tot('order')} | {tot('damaged')} | "
                     f"{same('files')} | {_med([r['largest'] for r in rs]) / 1024:.0f} KiB | "
                     f"{_med([r['bytes'] for r in rs]) / 1e6:.1f} MB |")
    w("")
    w("Lost, duplicated, out of order and damaged are totals over the runs; lines found, files, "
             "largest file and bytes written are per run (a range when they differ). *Logger CPU*: "
             "user + system time of the logger (wait4) or of init (`/proc/PID/schedstat`, which also "
             "counts init's own start-up, well under a millisecond). *Writer done after*: when the "
             "writer's last write(2) returned, from its start: the rest of the time the logger was "
             "catching up with what the pipe held.")
    fs = sorted({(s.fs_label, s.fs_desc) for s in data["setups"]})
    w("Filesystems: " + "; ".join(f"{a} = {b}" for a, b in fs) + ".")
    extra = []
    for s in data["setups"]:
        rs = data["results"][(s.key, "enclave-init")]
        dc = sum(r.get("dropped_counter", 0) for r in rs)
        lc = sorted({r["lifecycle"] for r in rs})
        extra.append(f"{s.key}: 'Log lines dropped' {dc}, init's lifecycle lines in the service log "
                     f"{'/'.join(map(str, lc))} per run")
        for lg in s.loggers:
            rs = data["results"][(s.key, lg)]
            others = [o for r in rs for o in r["other"]]
            bp = sum(r["bad_prefix"] for r in rs)
            un = sum(r["unterminated"] for r in rs)
            ae = sum(r["after_exit"] for r in rs)
            if others or bp or un or ae:
                extra.append(f"{s.key}, {lg}: {len(others)} unexpected lines"
                             + (f" (first: `{others[0]}`)" if others else "")
                             + f", {bp} lines without the timestamp prefix, {un} files not ending in a newline, "
                             f"{ae} of the writer's lines after init's exit line")
    w("enclave-init's own counters: " + "; ".join(extra) + ".\n")
    w("```")
    w(f"# writer: musl-gcc -static -O2 -s -o logw tools/bench/logw.c; logw {LINES} block|line TIMEFILE")
    w(f"# enclave-init: max_log_size: {MAX_SIZE}, max_log_files: {MAX_FILES}, log_dir: DIR/ei/log;")
    w(f"#               {SERVICE}.service: ExecStart = \"logw {LINES} MODE TIMEFILE\", Restart = \"no\"")
    w("#               unshare --pid --fork --mount-proc --kill-child BUILD/init")
    w(f"logw {LINES} MODE TIMEFILE | s6-log T s{MAX_SIZE} n{MAX_FILES} DIR/s6-log")
    w(f"logw {LINES} MODE TIMEFILE | svlogd -tt DIR/svlogd      # DIR/svlogd/config: s{MAX_SIZE} n{MAX_FILES}")
    w("```\n")
    return out
