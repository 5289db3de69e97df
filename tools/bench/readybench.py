"""Readiness and health checks: enclave-init's sd_notify and HealthCmd against s6.

Used by bench.py (`tools/bench/run --only readiness`). Every supervisor runs as
PID 1 of its own PID namespace, as in the rest of the benchmark (bench.Instance);
the services are ready.c (static). In short:

- Readiness latency. A notifier waits DELAY_MS after its start, stores
  CLOCK_MONOTONIC into a mapped file and signals at once: enclave-init
  (`Type = "notify"`) gets READY=1 on $NOTIFY_SOCKET, s6 (`notification-fd`
  = 3) a newline on descriptor 3. A dependant takes CLOCK_MONOTONIC as its
  first act. enclave-init: `Requires = After = ["n"]`. s6: the dependant's
  `run` script waits for the notifier's supervise/status (s6-svwait needs it),
  then `s6-svwait -U NOTIFIER && exec DEPENDANT` (s6-rc, which would do the
  same, is not in Debian). Latency = dependant's stamp − notifier's stamp.
  Measured on one CPU (like the restart figures of the main report) and on
  every CPU.
- Cold start of N notify services: the clock starts just before the
  benchmark launches the supervisor and stops at the first act of a final
  service that waits for all N to be ready (enclave-init: `Requires` all N;
  s6: `s6-svwait -U` on all N directories, started once their supervise/status
  files exist). Each notifier signals at once.
- init's CPU with N services each health-checked every second (`HealthCmd =
  "/bin/true"`, `HealthIntervalSec = HealthStartIntervalSec = 1`): after all
  are healthy, init's CPU time (/proc/PID/schedstat: nanoseconds on a CPU)
  over windows of HEALTH_WINDOW_S, and the checks' own (the children's
  utime + stime init collects when it reaps them). Checks are counted from the
  namespace's PID numbers (a probe started in the namespace with nsenter
  before and after each window: every process in between is a check). The
  same init with N services and no check gives the idle figure. No peer: s6,
  runit and systemd have no periodic health check (s6-notifyoncheck polls
  only until the service is ready, then exits).
- No threshold: figures and ratios only.
"""
import os
import shutil
import statistics
import struct
import subprocess
import time

DELAY_MS = 200          # the notifier's start → READY=1 (s6-svwait is listening by then)
N = 100                 # services in the cold-start and health setups
HEALTH_WINDOW_S = 5
HEALTH_WINDOWS = 4      # 20 s of checks
IDLE_WINDOWS = 2
RUN_TIMEOUT_S = 60
IN_CLOSE_WRITE = 0x8
PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def _names(n):
    return [f"s{i:03d}" for i in range(1, n + 1)]


def _write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def _stamp(path):
    """A ready.c stamp (nanoseconds of CLOCK_MONOTONIC), in seconds; None if not written."""
    try:
        with open(path, "rb") as f:
            b = f.read(8)
    except OSError:
        return None
    t = struct.unpack("=Q", b)[0] if len(b) == 8 else 0
    return t / 1e9 if t else None


class Setups:
    """The configurations, written into the work directory once."""

    def __init__(self, work, b):
        self.b, self.top = b, os.path.join(work, "ready-setups")
        self.ready = b.build_svc(work, "ready")
        self.stamps = {k: os.path.join(work, "stamps", k) for k in ("enclave-init", "s6")}
        for d in self.stamps.values():
            os.makedirs(d)
        self.ei = {k: self._ei(k) for k in ("readiness", "cold", "health")}
        self.s6 = {"readiness": self._s6_readiness(), "cold": self._s6_cold()}

    def _ei(self, what):
        d = os.path.join(self.top, "ei-" + what)
        sv = os.path.join(d, "services")
        os.makedirs(sv)
        _write(os.path.join(d, "init.yaml"),
               f"service_dir: services\nlog_dir: {d}/log\ncontrol:\n  unix_socket_path: {d}/init.sock\n"
               f"vsock: {{enabled: false}}\nnsm_driver_path: null\npivot_root: false\nnotify_socket: {d}/notify\n")
        st, r = self.stamps["enclave-init"], self.ready
        if what == "readiness":
            _write(os.path.join(sv, "n.service"),
                   f'Type = "notify"\nExecStart = "{r} notify {st}/n {DELAY_MS}"\n')
            _write(os.path.join(sv, "dep.service"),
                   f'ExecStart = "{r} stamp {st}/dep"\nRequires = ["n"]\nAfter = ["n"]\n')
        elif what == "cold":
            for name in _names(N):
                _write(os.path.join(sv, name + ".service"), f'Type = "notify"\nExecStart = "{r} notify - 0"\n')
            deps = ", ".join(f'"{x}"' for x in _names(N))
            _write(os.path.join(sv, "all.service"),
                   f'ExecStart = "{r} stamp {st}/all"\nRequires = [{deps}]\nAfter = [{deps}]\n')
        else:
            for name in _names(N):
                _write(os.path.join(sv, name + ".service"),
                       f'ExecStart = "{r} stamp {st}/{name}"\nHealthCmd = "/bin/true"\n'
                       "HealthIntervalSec = 1\nHealthStartIntervalSec = 1\n")
        return {"dir": d, "build": self.b.build(os.path.join(d, "init.yaml"), os.path.join(d, "build"))}

    def _s6_readiness(self):
        scan, st, r = os.path.join(self.top, "s6-readiness"), self.stamps["s6"], self.ready
        os.makedirs(os.path.join(scan, "n"))
        os.makedirs(os.path.join(scan, "dep"))
        _write(os.path.join(scan, "n", "run"), f"#!/bin/sh\nexec {r} fd {st}/n {DELAY_MS}\n", 0o755)
        _write(os.path.join(scan, "n", "notification-fd"), "3\n")
        _write(os.path.join(scan, "dep", "run"),
               f"#!/bin/sh\n{r} await {scan}/n/supervise/status {scan}/n/event\n{r} mark {st}/pre\n"
               f"s6-svwait -U {scan}/n && exec {r} stamp {st}/dep\n", 0o755)
        return scan

    def _s6_cold(self):
        scan, st, r = os.path.join(self.top, "s6-cold"), self.stamps["s6"], self.ready
        for name in _names(N):
            os.makedirs(os.path.join(scan, name))
            os.symlink(r, os.path.join(scan, name, "run"))  # ready.c as `run`: "fd - 0"
            _write(os.path.join(scan, name, "notification-fd"), "3\n")
        os.makedirs(os.path.join(scan, "all"))
        dirs = " ".join(os.path.join(scan, x) for x in _names(N))
        status = " ".join(os.path.join(scan, x, "supervise", "status") for x in _names(N))
        _write(os.path.join(scan, "all", "run"),
               f"#!/bin/sh\n{r} await {status}\ns6-svwait -U {dirs} && exec {r} stamp {st}/all\n", 0o755)
        return scan

    def argv(self, key, what):
        if key == "enclave-init":
            return [os.path.join(self.ei[what]["build"], "init")]
        return ["s6-svscan", self.s6[what]]


def _clear(d):
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))


def _s6_fresh(scan):
    """What s6-svscan and s6-supervise left in SCAN (supervise/, event/,
    .s6-svscan/) goes, as on a boot with the scan directory on a tmpfs: a
    status file left by the previous run must not answer s6-svwait."""
    for name in os.listdir(scan):
        for sub in ("supervise", "event") if name != ".s6-svscan" else ("",):
            shutil.rmtree(os.path.join(scan, name, sub), ignore_errors=True)


def _run_until(b, setups, key, what, last, logpath, keep=False):
    """Start KEY's WHAT setup; wait until the stamp LAST has been written.
    Returns (monotonic time of the launch, instance if keep)."""
    st = setups.stamps[key]
    _clear(st)
    if key == "s6":
        _s6_fresh(setups.s6[what])

    def wait(ino, t0):
        deadline = t0 + RUN_TIMEOUT_S
        while last not in ino.names(deadline - time.monotonic()):
            if time.monotonic() >= deadline:
                raise RuntimeError(f"timed out waiting for {last}")

    t0, _, inst = b.launch_and_wait(b.Inotify(st, IN_CLOSE_WRITE),
                                    lambda: b.Instance(setups.argv(key, what), logpath, {"PATH": PATH}), wait)
    if keep:
        return t0, inst
    inst.stop()
    return t0, None


def readiness_once(b, setups, key, logpath):
    _run_until(b, setups, key, "readiness", "dep", logpath)
    st = setups.stamps[key]
    n, dep = _stamp(os.path.join(st, "n")), _stamp(os.path.join(st, "dep"))
    if n is None or dep is None:
        raise RuntimeError("a stamp is missing")
    if key == "s6":
        pre = _stamp(os.path.join(st, "pre"))
        if pre is None or pre >= n:
            raise RuntimeError("s6-svwait started after the notifier signalled (not counted)")
    return dep - n


def spawn_once(setups):
    """The floor: the benchmark itself posix_spawns the dependant; seconds
    from just before the call to the dependant's first act."""
    f = os.path.join(setups.stamps["enclave-init"], "floor")
    if os.path.exists(f):
        os.unlink(f)  # the last round's
    t0 = time.monotonic()
    pid = os.posix_spawn(setups.ready, [setups.ready, "stamp", f], {"PATH": PATH})
    try:
        end = t0 + RUN_TIMEOUT_S
        while _stamp(f) is None:
            if time.monotonic() > end:
                raise RuntimeError("the dependant spawned alone wrote no stamp")
            time.sleep(0.001)
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return _stamp(f) - t0


def cold_once(b, setups, key, logpath):
    t0, _ = _run_until(b, setups, key, "cold", "all", logpath)
    t1 = _stamp(os.path.join(setups.stamps[key], "all"))
    if t1 is None:
        raise RuntimeError("the final service's stamp is missing")
    return t1 - t0


def _cpu(pid1):
    """(init's own CPU seconds from schedstat, its own utime+stime and its
    reaped children's cutime+cstime from stat, in seconds)."""
    with open(f"/proc/{pid1}/schedstat") as f:
        run_ns = int(f.read().split()[0])
    with open(f"/proc/{pid1}/stat") as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    hz = os.sysconf("SC_CLK_TCK")
    return run_ns / 1e9, (int(fields[11]) + int(fields[12])) / hz, (int(fields[13]) + int(fields[14])) / hz


def _ns_probe(pid1):
    """The PID, in the namespace, of a process started there now."""
    out = subprocess.run(["nsenter", "-t", str(pid1), "-p", "--", "/bin/sh", "-c", "echo $$"],
                         check=True, capture_output=True, text=True).stdout
    return int(out)


def cpu_windows(pid1, windows):
    """init's CPU over `windows` windows of HEALTH_WINDOW_S each."""
    out = []
    for _ in range(windows):
        p0 = _ns_probe(pid1)
        c0, t0 = _cpu(pid1), time.monotonic()
        time.sleep(HEALTH_WINDOW_S)
        c1, t1 = _cpu(pid1), time.monotonic()
        p1 = _ns_probe(pid1)
        wall = t1 - t0
        out.append({"wall": wall, "cpu": c1[0] - c0[0], "ticks": c1[1] - c0[1], "children": c1[2] - c0[2],
                    "checks": p1 - p0 - 1})
    return out


def _wait_log(path, needle, count, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open(path, errors="replace") as f:
            if f.read().count(needle) >= count:
                return
        time.sleep(0.05)
    raise RuntimeError(f"timed out: fewer than {count} lines with {needle!r} in {path}")


def health_cpu(b, setups, logs):
    """init's CPU with N checked services, and with N services and no check."""
    res = {}
    # N health-checked services: every one healthy first.
    logpath = os.path.join(logs, "ready-ei-health.log")
    _clear(setups.stamps["enclave-init"])
    inst = b.Instance(setups.argv("enclave-init", "health"), logpath, {"PATH": PATH})
    try:
        _wait_log(logpath, " is healthy", N, RUN_TIMEOUT_S)
        time.sleep(1.0)
        res["health"] = cpu_windows(inst.pid1(), HEALTH_WINDOWS)
    finally:
        inst.stop()
    # The idle figure: the cold-start setup (N notify services, no check), all ready.
    _, inst = _run_until(b, setups, "enclave-init", "cold", "all", os.path.join(logs, "ready-ei-idle.log"),
                         keep=True)
    try:
        time.sleep(1.0)
        res["idle"] = cpu_windows(inst.pid1(), IDLE_WINDOWS)
    finally:
        inst.stop()
    return res


def _rounds(b, keys, reps, once, what, got, problems):
    """One warm-up round, then `reps` rounds of once(key) for every key, the
    order rotating each round so that machine noise hits all of them; the
    seconds go into got[key]."""
    for rep in range(reps + 1):
        for k in b.rotate(keys, rep):
            try:
                v = once(k)
            except RuntimeError as e:
                problems.append(f"{what}, {k}: {e}")
                continue
            if rep:
                got[k].append(v)


def measure(work, b, reps):
    """Every figure of this section. b: the bench module (Instance, Inotify,
    build, rotate, log)."""
    setups = Setups(work, b)
    logs = os.path.join(work, "logs")
    keys = ["enclave-init", "s6"]
    res = {"reps": reps, "lat": {}, "cold": {k: [] for k in keys}, "problems": []}
    all_cpus = os.sched_getaffinity(0)
    res["pin"] = pin = max(all_cpus)

    def latency(k):
        if k == "floor":
            return spawn_once(setups)
        return readiness_once(b, setups, k, os.path.join(logs, f"ready-{k}-readiness.log"))

    for cpus, label in (({pin}, "one"), (all_cpus, "all")):
        b.log(f"bench: readiness latency, {'CPU %d' % pin if label == 'one' else 'every CPU'} "
              f"(1 warm-up + {reps} runs each)")
        got = {k: [] for k in keys + ["floor"]}
        os.sched_setaffinity(0, cpus)
        try:
            _rounds(b, keys + ["floor"], reps, latency, f"readiness latency, {label} CPU", got, res["problems"])
        finally:
            os.sched_setaffinity(0, all_cpus)
        res["lat"].update({(k, label): v for k, v in got.items()})
    b.log(f"bench: cold start of {N} notify services (1 warm-up + {reps} runs each)")
    _rounds(b, keys, reps, lambda k: cold_once(b, setups, k, os.path.join(logs, f"ready-{k}-cold.log")),
            "cold start", res["cold"], res["problems"])
    b.log(f"bench: init's CPU with {N} services checked every second "
          f"({HEALTH_WINDOWS} × {HEALTH_WINDOW_S} s), then idle ({IDLE_WINDOWS} × {HEALTH_WINDOW_S} s)")
    try:
        res.update(health_cpu(b, setups, logs))
    except (RuntimeError, subprocess.CalledProcessError) as e:
        res["problems"].append(f"health checks: {e}")
    return res


# --- report ---------------------------------------------------------------------------

def _median(xs):
    return statistics.median(xs) if xs else None


def _us(s):
    return "n/a" if s is None else (f"{s * 1e6:.0f} µs" if s < 0.01 else f"{s * 1e3:.1f} ms")


def _ms(s):
    return "n/a" if s is None else f"{s * 1e3:.1f} ms"


def _ratio(a, b):
    return "n/a" if a is None or not b else f"{a / b:.2f}"


def _spread(xs, fmt):
    return f"{fmt(min(xs))} – {fmt(max(xs))}" if xs else "n/a"


def _cpu_figures(ws):
    """Median over the windows: % of one CPU, CPU per check, checks per
    second, the checks' own CPU per check."""
    pct = [w["cpu"] / w["wall"] * 100 for w in ws]
    per = [w["cpu"] / w["checks"] for w in ws if w["checks"] > 0]
    rate = [w["checks"] / w["wall"] for w in ws]
    kids = [w["children"] / w["checks"] for w in ws if w["checks"] > 0]
    tick = [w["ticks"] / w["wall"] * 100 for w in ws]
    return {"pct": pct, "per": per, "rate": rate, "kids": kids, "tick": tick}


def summary_rows(res):
    """Rows of `| measure | enclave-init | s6 | ratio |`."""
    e, s = "enclave-init", "s6"
    rows = []
    for label, what in (("one", f"one CPU"), ("all", "every CPU")):
        a, b = _median(res["lat"].get((e, label), [])), _median(res["lat"].get((s, label), []))
        rows.append(f"| readiness latency, READY=1 → the dependant's exec ({what}) | {_us(a)} | {_us(b)} | "
                    f"{_ratio(a, b)} |")
    a, b = _median(res["cold"].get(e, [])), _median(res["cold"].get(s, []))
    rows.append(f"| cold start, {N} notify services → all ready (the dependant's exec) | {_ms(a)} | {_ms(b)} | "
                f"{_ratio(a, b)} |")
    if res.get("health"):
        f = _cpu_figures(res["health"])
        rows.append(f"| init's CPU, {N} services health-checked every second | "
                    f"{_median(f['pct']):.2f} % of one CPU, {_us(_median(f['per']))} per check | "
                    "n/a (no health checks) | |")
    return rows


def render(res, section):
    out = []
    w = out.append
    e, s = "enclave-init", "s6"
    w(f"## {section}. Readiness and health checks\n")
    w("| measure | enclave-init | s6 | ratio enclave-init / s6 |")
    w("|---|---:|---:|---:|")
    out += summary_rows(res)
    w("")
    w(f"### {section}.1 Readiness latency (the notifier's signal → the dependant's first instruction)\n")
    w("| CPUs | enclave-init (median) | min – max | s6 (median) | min – max | runs | ratio |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for label, what in (("one", f"one (CPU {res['pin']})"), ("all", "every CPU")):
        a, b = res["lat"].get((e, label), []), res["lat"].get((s, label), [])
        w(f"| {what} | {_us(_median(a))} | {_spread(a, _us)} | {_us(_median(b))} | {_spread(b, _us)} | "
          f"{len(a)} / {len(b)} | {_ratio(_median(a), _median(b))} |")
    w("")
    fl = [f"{what}: {_us(_median(res['lat'].get(('floor', label), [])))} "
          f"({_spread(res['lat'].get(('floor', label), []), _us)})" for label, what in (("one", "one CPU"),
                                                                                      ("all", "every CPU"))]
    w("The floor under both, no supervisor: the benchmark `posix_spawn`s the dependant itself, from just before "
      "the call to the dependant's first act (median, min – max): " + "; ".join(fl) + ".\n")
    w(f"Each run starts the supervisor afresh (PID 1 of a new PID namespace) with two services, a notifier and "
      f"a dependant. The notifier (tools/bench/ready.c, static) waits {DELAY_MS} ms, stores CLOCK_MONOTONIC into "
      "a file it mapped beforehand and signals at once: enclave-init, `Type = \"notify\"`: `READY=1` in one "
      "datagram to `$NOTIFY_SOCKET`; s6, `notification-fd` = 3: a newline on descriptor 3. The dependant "
      "stores CLOCK_MONOTONIC as its first act. enclave-init: `Requires = [\"n\"]`, `After = [\"n\"]`; init "
      "starts it from the loop pass that reads the datagram. s6: its `run` script waits until the notifier's "
      "`supervise/status` exists, then runs `s6-svwait -U NOTIFIER && exec DEPENDANT` (s6-supervise turns "
      "the newline into a `U` event in the notifier's event fifodir, s6-ftrigrd passes it to s6-svwait, "
      "which exits; the shell then execs the dependant); a run where s6-svwait started after the signal would "
      "be discarded (a stamp taken before it is checked). s6-rc, which does the same for s6, is not in "
      "Debian. One CPU: the benchmark and everything it starts pinned to one CPU (as the restart figures), "
      "so that no wake-up waits for an idle virtual CPU; every CPU: no pinning.\n")
    w(f"### {section}.2 Cold start of {N} notify services (launch of the supervisor → a service that waits "
      "for all of them runs)\n")
    a, b = res["cold"].get(e, []), res["cold"].get(s, [])
    w("| enclave-init (median) | min – max | s6 (median) | min – max | runs | ratio |")
    w("|---:|---:|---:|---:|---:|---:|")
    w(f"| {_ms(_median(a))} | {_spread(a, _ms)} | {_ms(_median(b))} | {_spread(b, _ms)} | {len(a)} / {len(b)} | "
      f"{_ratio(_median(a), _median(b))} |")
    w("")
    w(f"The clock starts just before the benchmark launches `unshare … SUPERVISOR` and stops at the first "
      f"instruction of a final service (its CLOCK_MONOTONIC stamp). Each of the {N} notifiers signals as soon "
      "as it runs (ready.c with no delay). enclave-init: the final service `Requires` and comes `After` all "
      f"{N}. s6: each service directory has `notification-fd` (3) and `run` a symlink to ready.c; the final "
      f"service's `run` waits until the {N} `supervise/status` files exist (looking every millisecond: "
      f"s6-svwait cannot wait on a service whose supervisor has not started yet), then `s6-svwait -U` on the "
      f"{N} directories `&& exec` the final service. Before each s6 run (here and in the latency runs) the "
      "`supervise` and `event` directories and `.s6-svscan` left by the previous run are removed, as on a boot "
      "with the scan directory on a tmpfs, so that a stale status file cannot answer s6-svwait. All CPUs.\n")
    w(f"### {section}.3 init's CPU with {N} services health-checked every second\n")
    if not res.get("health"):
        w("Not measured (see the problems below).\n")
        return out

    def row(setup, ws, per_check):
        f = _cpu_figures(ws)
        tail = f"{_us(_median(f['per']))} | {_us(_median(f['kids']))} |" if per_check else " | |"
        w(f"| {setup} | {len(ws)} × {HEALTH_WINDOW_S} s | {_median(f['pct']):.3f} % | "
          f"{min(f['pct']):.3f} – {max(f['pct']):.3f} % | {_median(f['tick']):.2f} % | "
          f"{_median(f['rate']):.1f} | " + tail)
    w("| setup | windows | init's CPU (% of one CPU) | min – max | by utime + stime | checks per second | "
      "init's CPU per check | the check's own CPU (`/bin/true`) |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    row(f"{N} services, `HealthCmd = \"/bin/true\"` every second", res["health"], True)
    if res.get("idle"):
        row(f"{N} services, no check (idle)", res["idle"], False)
    w("")
    w(f"After every service is healthy (its `Service … is healthy` line on init's console) and one more "
      f"second, init's CPU time is read from `/proc/PID/schedstat` (nanoseconds on a CPU; the utime + stime "
      f"column is the same from `/proc/PID/stat`, in ticks of 10 ms) at the start and end of each "
      f"{HEALTH_WINDOW_S}-second window; the median window is shown. init's own time counts forking each check, "
      "its output pipe, reaping it and judging the result; the check's exec and run are the child's "
      "(collected by init's wait: cutime + cstime). Checks are counted from PID numbers in the namespace: "
      "`nsenter -t PID1 -p` starts a probe there before and after each window, and every process created in "
      "between is a check (the services do not fork). Each service's next check is due one second after "
      "its last one ended (Docker's rule), hence a little under one per second. No peer: s6, runit, tini and "
      "systemd have no periodic health check (s6-notifyoncheck polls a check only until the service is "
      "ready, then exits), and a loop per service running `sleep 1; /bin/true` would measure that loop's "
      f"processes, not the supervisor. The idle row is the same init with {N} `Type = \"notify\"` services "
      "and no check, all ready.\n")
    return out
