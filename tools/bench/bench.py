#!/usr/bin/python3
"""enclave-init benchmark: enclave-init against s6, runit, tini and dumb-init.

Started by tools/bench/run (which checks root and the tools). Prints a
Markdown report on stdout (and to -o FILE), progress on stderr.

Method, in short (docs/bench.md says it at length):

- Every supervisor runs as PID 1 of its own PID and mount namespace:
  `unshare --pid --fork --mount-proc --kill-child SUPERVISOR ...`, started with
  PR_SET_PDEATHSIG so that even a SIGKILLed benchmark takes them down. A run
  ends with SIGKILL to that PID 1, which makes the kernel kill the whole
  namespace; the benchmark waits until unshare has reaped it.
- Every service of every supervisor is the same: either a shell script
      #!/bin/sh
      : > MARKERS/NAME.$$
      exec sleep 100000
  or svc.c (static, no shell) doing the same. "The service has started" is
  the creation of its marker file, seen through inotify (no polling
  interval); a restarted service leaves a new marker (a new PID).
- Each figure is the median of several runs; supervisors are interleaved
  (the order rotates each round) so that machine noise hits all of them.
- Log throughput (logbench.py): enclave-init's log capture against s6-log
  and svlogd, 200,000 lines of 100 bytes, with the lines lost; alone with
  `--only logs`.
- Readiness and health checks (readybench.py): the latency from READY=1 to a
  dependant's exec and the cold start of 100 notify services, against s6's
  notification-fd and s6-svwait; init's CPU with 100 services health-checked
  every second; alone with `--only readiness`.
- No threshold anywhere: figures and ratios only.
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import logbench
import readybench

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
SERVICE_SCRIPT = '#!/bin/sh\n: > {markers}/{name}.$$\nexec sleep 100000\n'
# For s6 with readiness notification: the same, then "ready" on fd 3.
SERVICE_SCRIPT_READY = '#!/bin/sh\n: > {markers}/{name}.$$\necho >&3\nexec sleep 100000 3>&-\n'
SETTLE_S = 1.0        # idle time before reading memory
RESTART_GAP_S = 1.5   # a service lives this long before it is killed (> the 1 s throttles)
START_TIMEOUT_S = 60  # a run that takes longer than this is reported as failed
RESTART_SVC = "s050"  # the service killed in the restart test (of 100)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def pdeathsig():
    """In the forked child, before exec: die with the benchmark."""
    LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:          # the parent is already gone
        os._exit(1)


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw).stdout


def try_sh(*argv):
    try:
        return sh(*argv).strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


# --- inotify -----------------------------------------------------------------

IN_CREATE = 0x100
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000


class Inotify:
    """Names created (or, by mask, closed after writing...) in one directory, as it happens."""

    def __init__(self, path, mask=IN_CREATE):
        self.fd = LIBC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if LIBC.inotify_add_watch(self.fd, path.encode(), mask) < 0:
            os.close(self.fd)
            raise OSError(ctypes.get_errno(), "inotify_add_watch " + path)

    def names(self, timeout):
        """Wait up to timeout seconds; return the names created (maybe none)."""
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return []
        buf = os.read(self.fd, 1 << 16)
        out, off = [], 0
        while off < len(buf):
            _wd, _mask, _cookie, n = struct.unpack_from("iIII", buf, off)
            out.append(buf[off + 16:off + 16 + n].rstrip(b"\0").decode())
            off += 16 + n
        return out

    def drain(self):
        while self.names(0):
            pass

    def close(self):
        os.close(self.fd)


# --- processes -----------------------------------------------------------------

def proc_table():
    """pid -> (ppid, comm) for every process."""
    t = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        r = s.rindex(")")
        t[int(d)] = (int(s[r + 2:].split()[1]), s[s.index("(") + 1:r])
    return t


def children(pid, table):
    return [p for p, (pp, _) in table.items() if pp == pid]


def ns_pid(pid):
    """A process's PID in its innermost PID namespace."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    return None


def memory(pids):
    """Summed PSS, RSS and USS (private) in KiB from smaps_rollup."""
    tot = {"Pss": 0, "Rss": 0, "Uss": 0}
    for p in pids:
        with open(f"/proc/{p}/smaps_rollup") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("Pss", "Rss"):
                    tot[k] += int(v.split()[0])
                elif k in ("Private_Clean", "Private_Dirty"):
                    tot["Uss"] += int(v.split()[0])
    return tot


class Instance:
    """One supervisor as PID 1 of a new PID namespace."""

    live = set()

    def __init__(self, argv, logpath, env):
        self.argv = UNSHARE + argv
        with open(logpath, "ab") as lf:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=lf,
                                         stderr=subprocess.STDOUT, preexec_fn=pdeathsig,
                                         start_new_session=True, env=env)
        Instance.live.add(self)
        self._pid1 = None

    def pid1(self):
        """Host PID of the namespace's PID 1 (unshare's one child)."""
        if self._pid1 is None:
            end = time.monotonic() + 10
            while time.monotonic() < end:
                c = children(self.proc.pid, proc_table())
                if c:
                    self._pid1 = c[0]
                    break
                time.sleep(0.005)
            else:
                raise RuntimeError("no PID 1 under unshare %d" % self.proc.pid)
        return self._pid1

    def stop(self):
        """SIGKILL to PID 1 tears the namespace down; unshare reaps it."""
        if self.proc.poll() is None:
            target = self._pid1
            if target is None:
                c = children(self.proc.pid, proc_table())
                target = c[0] if c else None
            try:
                os.kill(target if target else self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        Instance.live.discard(self)

    @classmethod
    def stop_all(cls):
        for i in list(cls.live):
            try:
                i.stop()
            except Exception as e:  # cleanup must go on
                log(f"bench: cleanup: {e}")
                try:
                    i.proc.kill()
                except OSError:
                    pass


# --- the services ------------------------------------------------------------------
#
# Two kinds of service, the same for every supervisor:
#   "sh"   a shell script:  #!/bin/sh / : > MARKERS/NAME.$$ / exec sleep 100000
#          what a real service start looks like (a dynamically linked shell);
#   "min"  svc.c, static:   creates MARKERS/NAME.PID, then pause()s;
#          so that a start costs the supervisor's work plus one small exec.

KINDS = ("sh", "min")
KIND_LABEL = {"sh": "shell service", "min": "minimal service"}


def write_script(path, markers, name, ready=False):
    with open(path, "w") as f:
        f.write((SERVICE_SCRIPT_READY if ready else SERVICE_SCRIPT).format(markers=markers, name=name))
    os.chmod(path, 0o755)


# --- the supervisors ---------------------------------------------------------------

class Supervisor:
    key = label = ""
    own = ()          # comm names of the supervisor's own processes below PID 1
    env = {}

    def __init__(self, work, svc):
        self.work, self.svc = work, svc
        self.markers = os.path.join(work, "markers", self.key)
        os.makedirs(self.markers, exist_ok=True)

    def start(self, n, kind):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "MARKERS": self.markers, **self.env}
        return Instance(self.argv(n, kind), os.path.join(self.work, "logs", f"{self.key}-{n}-{kind}.log"), env)

    def own_pids(self, inst):
        """The supervisor's processes (not the services)."""
        p1 = inst.pid1()
        t = proc_table()
        return [p1] + [c for c in children(p1, t) if t[c][1] in self.own]


class EnclaveInit(Supervisor):
    key, label = "enclave-init", "enclave-init"

    def __init__(self, work, svc, setups):
        super().__init__(work, svc)
        self.builds = {}
        for n, kind in setups:
            d = self.dir(n, kind)
            os.makedirs(os.path.join(d, "services"))
            os.makedirs(os.path.join(d, "run"))
            with open(os.path.join(d, "init.yaml"), "w") as f:
                f.write(f"service_dir: services\nlog_dir: {d}/log\n"
                        f"control:\n  unix_socket_path: {d}/init.sock\n"
                        "vsock: {enabled: false}\nnsm_driver_path: null\npivot_root: false\n")
            for i in range(1, n + 1):
                name = f"s{i:03d}"
                if kind == "sh":
                    cmd = os.path.join(d, "run", name)
                    write_script(cmd, self.markers, name)
                else:
                    cmd = f"{svc} {self.markers} {name}"
                with open(os.path.join(d, "services", name + ".service"), "w") as f:
                    f.write(f'ExecStart = "{cmd}"\nRestart = "always"\nRestartSec = 0\n')
            self.builds[(n, kind)] = build(os.path.join(d, "init.yaml"), os.path.join(d, "build"))

    def dir(self, n, kind):
        return os.path.join(self.work, "ei", f"n{n}-{kind}")

    def argv(self, n, kind):
        return [os.path.join(self.builds[(n, kind)], "init")]

    def status_cmd(self, n, kind, name):
        return (f"{os.path.join(self.builds[(n, kind)], 'initctl')} -s "
                f"{os.path.join(self.dir(n, kind), 'init.sock')} status {name}")


class DirSupervisor(Supervisor):
    """s6 and runit: a scan directory of one directory per service."""
    ready = False

    def __init__(self, work, svc, setups):
        super().__init__(work, svc)
        for n, kind in setups:
            for i in range(1, n + 1):
                name = f"s{i:03d}"
                d = os.path.join(self.scandir(n, kind), name)
                os.makedirs(d)
                if kind == "sh":
                    write_script(os.path.join(d, "run"), self.markers, name, self.ready)
                else:
                    os.symlink(svc, os.path.join(d, "run"))
                if self.ready:
                    with open(os.path.join(d, "notification-fd"), "w") as f:
                        f.write("3\n")

    def scandir(self, n, kind):
        return os.path.join(self.work, self.key, f"n{n}-{kind}")


class S6(DirSupervisor):
    key, label, own = "s6", "s6", ("s6-supervise",)

    def argv(self, n, kind):
        return ["s6-svscan", self.scandir(n, kind)]

    def status_cmd(self, n, kind, name):
        return f"s6-svstat {self.scandir(n, kind)}/{name}"


class S6Ready(S6):
    """s6 with readiness notification. s6-supervise (2.11) waits one second
    before every restart unless the service notified readiness more than one
    second before it died; this variant notifies (notification-fd = 3)."""
    key, label, ready = "s6-ready", "s6, readiness notified", True
    env = {"READY_FD": "3"}


class Runit(DirSupervisor):
    key, label, own = "runit", "runit", ("runsv",)

    def argv(self, n, kind):
        return ["runsvdir", self.scandir(n, kind)]

    def status_cmd(self, n, kind, name):
        return f"sv status {self.scandir(n, kind)}/{name}"


class OneChild(Supervisor):
    """tini, tini-static, dumb-init: one child (the shell service)."""

    def __init__(self, work, svc, key, argv0):
        self.key = self.label = key
        self.argv0 = argv0
        super().__init__(work, svc)
        self.script = os.path.join(work, "one", key, "s001")
        os.makedirs(os.path.dirname(self.script))
        write_script(self.script, self.markers, "s001")

    def argv(self, n, kind):
        return self.argv0 + [self.script]


# --- building -----------------------------------------------------------------------

def build(config, builddir):
    log(f"bench: building enclave-init from {config}")
    r = subprocess.run(["make", "-s", "-C", TOP, f"CONFIG={config}", f"BUILD={builddir}", "all"],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"make CONFIG={config} failed:\n{r.stdout}{r.stderr}")
    return builddir


def build_svc(work, name="svc"):
    """tools/bench/NAME.c, built static into the work directory."""
    out = os.path.join(work, name)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".c")
    r = subprocess.run(["musl-gcc", "-static", "-Os", "-s", "-o", out, src], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"musl-gcc {src} failed:\n{r.stderr}")
    return out


# --- measurements --------------------------------------------------------------------

def wait_markers(ino, want, deadline, prefix=None, exclude=()):
    """Until `want` distinct services (or, with prefix, one new marker of that
    service) have created a marker. Returns the monotonic time of the last one
    and the marker names."""
    seen = {}
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"timed out: {len(seen)} of {want} services started")
        for name in ino.names(left):
            now = time.monotonic()
            svc = name.split(".")[0]
            if prefix is not None and (svc != prefix or name in exclude):
                continue
            seen.setdefault(svc, (now, name))
        if len(seen) >= want:
            return max(t for t, _ in seen.values()), [nm for _, nm in seen.values()]


def clear(d):
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))


def launch_and_wait(ino, start, wait):
    """start() an instance, then wait(ino, t0) for what it should do; the
    instance is stopped if that fails, ino closed in any case. Returns t0
    (monotonic, just before the start), wait's result and the instance."""
    try:
        t0 = time.monotonic()
        inst = start()
        try:
            got = wait(ino, t0)
        except Exception:
            inst.stop()
            raise
    finally:
        ino.close()
    return t0, got, inst


def cold_start(sup, n, kind, keep=False, mem=False):
    """Seconds from launching the supervisor until all n services have started.
    With keep, returns the running instance too; with mem, reads the
    supervisor's memory after SETTLE_S of idling, then stops it."""
    clear(sup.markers)
    t0, (t1, _), inst = launch_and_wait(Inotify(sup.markers), lambda: sup.start(n, kind),
                                        lambda ino, t0: wait_markers(ino, n, t0 + START_TIMEOUT_S))
    if keep:
        return t1 - t0, inst
    m = None
    if mem:
        time.sleep(SETTLE_S)
        pids = sup.own_pids(inst)
        m = memory(pids)
        m["nprocs"] = len(pids)
    inst.stop()
    return t1 - t0, m


def service_start_alone(argv, markers):
    """The floor under every restart figure: seconds from posix_spawn of the
    service by the benchmark itself until its marker exists."""
    clear(markers)
    ino = Inotify(markers)
    try:
        t0 = time.monotonic()
        pid = os.posix_spawn(argv[0], argv, {"PATH": "/usr/bin:/bin"})
        try:
            t1, _ = wait_markers(ino, 1, t0 + 30)
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        ino.close()
    return t1 - t0


def find_by_ns_pid(inst, want):
    """Host PID of the process below the instance's PID 1 whose PID in the
    namespace is `want`."""
    t = proc_table()
    todo = [inst.pid1()]
    while todo:
        for c in children(todo.pop(), t):
            try:
                if ns_pid(c) == want:
                    return c
            except OSError:
                continue
            todo.append(c)
    return None


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def rotate(seq, k):
    k %= len(seq)
    return seq[k:] + seq[:k]


# --- sizes ---------------------------------------------------------------------------

def elf_facts(path):
    """(size, static?, stripped?, [shared libraries with their sizes])"""
    size = os.stat(path).st_size
    hdr = try_sh("readelf", "-lW", path)
    static = "INTERP" not in hdr
    stripped = ".symtab" not in try_sh("readelf", "-SW", path)
    libs = []
    if not static:
        for line in try_sh("ldd", path).splitlines():
            line = line.strip()
            p = line.split("=>")[1].split("(")[0].strip() if "=>" in line else line.split("(")[0].strip()
            if p.startswith("/") and os.path.exists(p):
                rp = os.path.realpath(p)
                libs.append((os.path.basename(p), os.stat(rp).st_size))
    return size, static, stripped, libs


def symbol_size(full, sym):
    for line in try_sh("nm", "-S", full).splitlines():
        f = line.split()
        if len(f) == 4 and f[3] == sym:
            return int(f[1], 16)
    return None


# --- report ------------------------------------------------------------------------

def kib(b):
    return f"{b / 1024:.1f} KiB"


def ms(s):
    return "n/a" if s is None else (f"{s * 1000:.2f} ms" if s < 0.1 else f"{s * 1000:.0f} ms")


def ratio(a, b):
    return "n/a" if a is None or b in (None, 0) else f"{a / b:.2f}"


def spread(xs, fmt):
    xs = [x for x in xs if x is not None]
    return f"{fmt(min(xs))} – {fmt(max(xs))}" if xs else "n/a"


def machine_facts():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = f.readline().split()[1]
    try:
        with open("/etc/debian_version") as f:
            deb = f.read().strip()
    except OSError:
        deb = "?"
    vers = try_sh("dpkg-query", "-W", "-f=${Package} ${Version}\n",
                  "s6", "runit", "tini", "dumb-init", "hyperfine", "libskarnet2.13", "musl-tools")
    head = try_sh("git", "-C", TOP, "rev-parse", "--short", "HEAD")
    dirty = try_sh("git", "-C", TOP, "status", "--porcelain", "--untracked-files=no", "--", "src", "include", "gen")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": try_sh("nproc"),
        "kernel": platform.release(),
        "uname": try_sh("uname", "-srvm"),
        "cpu": cpu,
        "mem": f"{int(mem) // 1024} MiB",
        "debian": deb,
        "loadavg": open("/proc/loadavg").read().split()[:3],
        "versions": vers.splitlines(),
        "commit": head + (" (src/include/gen modified)" if dirty else ""),
    }


SHM = "/dev/shm"  # the log throughput test also runs with its logs on a tmpfs


def shm_workdir():
    """A directory on /dev/shm when that is a tmpfs (and /tmp is not), else None."""
    if not os.path.isdir(SHM) or logbench._fstype(SHM) != "tmpfs" \
            or logbench._fstype(tempfile.gettempdir()) == "tmpfs":
        return None
    d = tempfile.mkdtemp(prefix="ei-bench.", dir=SHM)
    os.chmod(d, 0o755)
    with open(os.path.join(d, "owner.pid"), "w") as f:
        f.write(f"{os.getpid()}\n")
    return d


def remove_stale_workdirs():
    """A benchmark killed by SIGKILL cannot remove its directory (its
    processes do go: see pdeathsig); the next run removes it."""
    for tmp, d in [(t, d) for t in (tempfile.gettempdir(), SHM) if os.path.isdir(t) for d in os.listdir(t)]:
        path = os.path.join(tmp, d)
        if not d.startswith("ei-bench."):
            continue
        try:
            with open(os.path.join(path, "owner.pid")) as f:
                owner = int(f.read())
        except (OSError, ValueError):
            continue
        try:
            with open(f"/proc/{owner}/cmdline", "rb") as f:
                if b"bench.py" in f.read():
                    continue  # another benchmark run is using it
        except OSError:
            pass
        log(f"bench: removing {path}, left by a killed run")
        shutil.rmtree(path, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=7, help="runs per figure (median); default 7")
    ap.add_argument("--status-runs", type=int, default=300, help="hyperfine runs per status command")
    ap.add_argument("-o", "--output", help="also write the report to this file")
    ap.add_argument("--keep", action="store_true",
                    help="keep the work directory (configurations, logs) for inspection")
    ap.add_argument("--only", choices=("all", "logs", "readiness"), default="all",
                    help="logs: only the log throughput test (about a minute); readiness: only readiness "
                    "latency, cold start of notify services and health-check CPU (about 2½ minutes)")
    ap.add_argument("--ready-reps", type=int, default=15,
                    help="runs per readiness figure (median); default 15")
    ap.add_argument("--log-reps", type=int, default=5,
                    help="runs of each logger per log throughput figure (median); default 5")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: must run as root")
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    remove_stale_workdirs()
    work = tempfile.mkdtemp(prefix="ei-bench.")
    os.chmod(work, 0o755)
    with open(os.path.join(work, "owner.pid"), "w") as f:
        f.write(f"{os.getpid()}\n")
    os.makedirs(os.path.join(work, "logs"))
    shm = None
    t_start = time.monotonic()
    try:
        shm = shm_workdir()
        report = run(work, shm, args)
    except Interrupted as e:
        log(f"bench: interrupted ({e}); cleaning up")
        return 130
    except Exception as e:
        log(f"bench: {e}")
        logs = os.path.join(work, "logs")
        for f in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            tail = open(os.path.join(logs, f), errors="replace").read()[-600:]
            if tail.strip():
                log(f"--- {f} (end) ---\n{tail}")
        return 1
    finally:
        # Ignore further signals while cleaning up, so cleanup is not cut short.
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        Instance.stop_all()
        for d in (work, shm):
            if not d:
                continue
            if args.keep:
                os.unlink(os.path.join(d, "owner.pid"))
                log(f"bench: kept {d}")
            else:
                shutil.rmtree(d, ignore_errors=True)
    report += f"\n_Whole run: {time.monotonic() - t_start:.0f} s._\n"
    sys.stdout.write(report)
    if args.output:
        with open(args.output, "w") as f:
            f.write(report)
    return 0


def run(work, shm, args):
    R = max(args.reps, 1)
    RR = 2 * R + 1  # restarts are cheap to repeat and noisy: more rounds
    facts = machine_facts()
    if args.only == "logs":
        logs = logbench.measure(work, shm, build, max(args.log_reps, 1))
        return render_logs_only(facts, logs, args)
    if args.only == "readiness":
        return render_readiness_only(facts, readybench.measure(work, sys.modules[__name__],
                                                               max(args.ready_reps, 1)))
    counts = (10, 100)
    svc = build_svc(work)
    setups = [(n, k) for k in KINDS for n in counts]
    ei = EnclaveInit(work, svc, [(1, "sh")] + setups)
    example = build(os.path.join(TOP, "config", "init.yaml"), os.path.join(work, "ei", "example"))
    s6, runit = S6(work, svc, setups), Runit(work, svc, setups)
    s6ready = S6Ready(work, svc, [(100, k) for k in KINDS])
    sups = [ei, s6, runit]
    rsups = [ei, s6, s6ready, runit]   # the restart test also runs s6 with readiness
    ones = [OneChild(work, svc, "tini", ["tini", "--"]),
            OneChild(work, svc, "tini-static", ["tini-static", "--"]),
            OneChild(work, svc, "dumb-init", ["dumb-init"])]
    ones = [o for o in ones if shutil.which(o.argv0[0])]
    problems = []

    # 1. sizes
    log("bench: sizes")
    sizes = []
    for label, paths in [
            ("enclave-init `init`, example config (4 services)", [os.path.join(example, "init")]),
            ("enclave-init `init`, 10 services", [os.path.join(ei.builds[(10, 'sh')], "init")]),
            ("enclave-init `init`, 100 services", [os.path.join(ei.builds[(100, 'sh')], "init")]),
            ("s6: s6-svscan + s6-supervise", [shutil.which("s6-svscan"), shutil.which("s6-supervise")]),
            ("runit: runsvdir + runsv", [shutil.which("runsvdir"), shutil.which("runsv")]),
            ("tini", [shutil.which("tini")]),
            ("tini-static", [shutil.which("tini-static")]),
            ("dumb-init", [shutil.which("dumb-init")])]:
        if not all(paths):
            continue
        fs = [elf_facts(p) for p in paths]
        libs = {}
        for f in fs:
            libs.update(dict(f[3]))
        sizes.append({"label": label, "size": sum(f[0] for f in fs),
                      "static": all(f[1] for f in fs), "stripped": all(f[2] for f in fs), "libs": libs})
    yaml_bytes = {n: symbol_size(os.path.join(ei.builds[(n, 'sh')], "init.full"), "cfg_yaml") for n in counts}
    yaml_bytes["example"] = symbol_size(os.path.join(example, "init.full"), "cfg_yaml")

    # 2 + 3. cold start; idle memory at 100 (shell services)
    cold = {(s.key, n, k): [] for s in sups for n in counts for k in KINDS}
    mem100 = {s.key: [] for s in sups}
    for kind in KINDS:
        for n in counts:
            log(f"bench: cold start of {n} services, {KIND_LABEL[kind]} (1 warm-up + {R} runs each)")
            for rep in range(R + 1):
                for s in rotate(sups, rep):
                    want_mem = rep > 0 and n == 100 and kind == "sh"
                    try:
                        t, m = cold_start(s, n, kind, mem=want_mem)
                    except RuntimeError as e:
                        problems.append(f"cold start, {s.label}, {n} services, {KIND_LABEL[kind]}: {e}")
                        continue
                    if rep == 0:
                        continue  # warm-up: page cache, dentries
                    cold[(s.key, n, kind)].append(t)
                    if want_mem:
                        mem100[s.key].append(m)

    log("bench: idle memory with one child (tini, dumb-init, enclave-init)")
    mem1 = {}
    one_sups = ones + [ei]
    for rep in range(min(R, 3)):
        for s in rotate(one_sups, rep):
            try:
                _, m = cold_start(s, 1, "sh", mem=True)
                mem1.setdefault(s.key, []).append(m)
            except RuntimeError as e:
                problems.append(f"one child, {s.label}: {e}")

    # 4 + 5. restart latency (and, with shell services, status calls):
    # the four supervisors up at once with 100 services each.
    restart = {(s.key, k): [] for s in rsups for k in KINDS}
    for k in KINDS:
        restart[("floor", k)] = []
    floor_dir = os.path.join(work, "markers", "floor")
    os.makedirs(floor_dir)
    floor_argv = {"sh": [os.path.join(work, "floor-" + RESTART_SVC)], "min": [svc, floor_dir, RESTART_SVC]}
    write_script(floor_argv["sh"][0], floor_dir, RESTART_SVC)
    status, status_cmdline, ei_status_sample = {}, "", ""
    # One CPU for this phase (the benchmark, the supervisors and their
    # services): a wake-up then never waits for an idle CPU to come back,
    # which on a VM costs milliseconds at random.
    all_cpus = os.sched_getaffinity(0)
    pin_cpu = max(all_cpus)
    os.sched_setaffinity(0, {pin_cpu})
    for kind in KINDS:
        log(f"bench: restart latency, {KIND_LABEL[kind]} ({RR} kills each)"
            + (" and status calls" if kind == "sh" else ""))
        running, inos = {}, {}
        try:
            for s in rsups:
                _, running[s.key] = cold_start(s, 100, kind, keep=True)
                inos[s.key] = Inotify(s.markers)
            last = {s.key: [f for f in os.listdir(s.markers) if f.startswith(RESTART_SVC + ".")][0]
                    for s in rsups}
            for rep in range(RR):
                time.sleep(RESTART_GAP_S)
                for s in rotate(rsups, rep):
                    old = last[s.key]
                    victim = find_by_ns_pid(running[s.key], int(old.split(".")[1]))
                    if victim is None:
                        problems.append(f"restart, {s.label}: no process for marker {old}")
                        continue
                    ino = inos[s.key]
                    ino.drain()
                    t0 = time.monotonic()
                    os.kill(victim, signal.SIGKILL)
                    try:
                        t1, names = wait_markers(ino, 1, t0 + 30, prefix=RESTART_SVC, exclude={old})
                    except RuntimeError as e:
                        problems.append(f"restart, {s.label}, {KIND_LABEL[kind]}: {e}")
                        continue
                    restart[(s.key, kind)].append(t1 - t0)
                    last[s.key] = names[0]
                try:
                    restart[("floor", kind)].append(service_start_alone(floor_argv[kind], floor_dir))
                except RuntimeError as e:
                    problems.append(f"service start alone, {KIND_LABEL[kind]}: {e}")
            if kind == "sh":
                # One hyperfine run over the three status commands, same conditions.
                cmds = [s.status_cmd(100, kind, RESTART_SVC) for s in sups]
                for c in cmds:  # each must work before it is timed
                    r = subprocess.run(c.split(), capture_output=True, text=True)
                    if r.returncode:
                        problems.append(f"`{c}` exited {r.returncode}: {(r.stderr or r.stdout).strip()}")
                js = os.path.join(work, "hyperfine.json")
                hf = ["hyperfine", "-N", "--warmup", "20", "--runs", str(args.status_runs)]
                status_cmdline = " ".join(hf + [f"'{c}'" for c in cmds])
                subprocess.run(hf + ["--export-json", js] + cmds, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                with open(js) as f:
                    for s, res in zip(sups, json.load(f)["results"]):
                        status[s.key] = res
                ei_status_sample = try_sh(*cmds[0].split())
        finally:
            for ino in inos.values():
                ino.close()
            for inst in running.values():
                inst.stop()
    os.sched_setaffinity(0, all_cpus)

    # 6. log throughput (every CPU: the writer and the logger run side by side)
    logs = logbench.measure(work, shm, build, max(args.log_reps, 1))
    problems += logs["problems"]

    return render(facts, sups, rsups, ones, sizes, yaml_bytes, cold, mem100, mem1, restart, status,
                  status_cmdline, ei_status_sample, problems, R, RR, args, ei, pin_cpu, logs)


def header(facts, w):
    w(f"- date: {facts['date']}")
    w(f"- machine: `nproc` = {facts['nproc']}, {facts['cpu']}, {facts['mem']} RAM, "
      f"load average at start {' '.join(facts['loadavg'])}, at the end "
      f"{' '.join(open('/proc/loadavg').read().split()[:3])} (the machine is shared: other work shows up here)")
    w(f"- kernel: `{facts['uname']}`; Debian {facts['debian']}")
    w(f"- enclave-init: commit {facts['commit']}; built with `make CONFIG=... BUILD=...` "
      "(musl-gcc, -Os, static, stripped)")
    w("- peers (Debian packages): " + ", ".join(facts["versions"]))


def render_logs_only(facts, logs, args):
    out = []
    w = out.append
    w("# enclave-init benchmark report: log throughput only\n")
    header(facts, w)
    w(f"- each figure is the median of {logs['reps']} runs of each logger (after one warm-up run)\n")
    w("## Target\n")
    w(logbench.target_line(logs) + "\n")
    out += logbench.render(logs, section="1")
    command_and_problems(w, logs["problems"])
    return "\n".join(out)


def command_and_problems(w, problems):
    """The end of a report of one test alone."""
    w("## Command\n")
    w("```\n" + ("tools/bench/run " + " ".join(sys.argv[1:])).strip() + "\n```\n")
    if problems:
        w("## Problems during the run\n")
        for p in problems:
            w(f"- {p}")
        w("")


def render_readiness_only(facts, res):
    out = []
    w = out.append
    w("# enclave-init benchmark report: readiness and health checks\n")
    header(facts, w)
    w(f"- each readiness latency and cold-start figure is the median of {res['reps']} runs (after one "
      "warm-up run); ratio = enclave-init / s6, lower is better\n")
    out += readybench.render(res, section="1")
    command_and_problems(w, res["problems"])
    return "\n".join(out)


def render(facts, sups, rsups, ones, sizes, yaml_bytes, cold, mem100, mem1, restart, status,
           status_cmdline, ei_status_sample, problems, R, RR, args, ei, pin_cpu, logs):
    out = []
    w = out.append
    e = "enclave-init"
    w("# enclave-init benchmark report\n")
    header(facts, w)
    w(f"- each cold-start figure is the median of {R} runs (after one warm-up run), each restart figure "
      f"the median of {RR} kills; status calls: hyperfine, {args.status_runs} runs each")
    w("- services: *shell service* = `#!/bin/sh` script that creates its marker file and "
      "`exec sleep 100000`; *minimal service* = a small static C program (tools/bench/svc.c) that "
      "creates its marker and pauses, so that the supervisor's own work is not hidden behind a shell's "
      "start-up\n")

    ex = sizes[0]
    s6s = next(x for x in sizes if x["label"].startswith("s6"))
    rus = next(x for x in sizes if x["label"].startswith("runit"))
    m = {k: median([x["Pss"] for x in v]) for k, v in mem100.items()}
    rs = {key: median(v) for key, v in restart.items()}
    st = {k: v["median"] for k, v in status.items()}
    cm = {key: median(v) for key, v in cold.items()}

    def row(what, f, fmt):
        return (f"| {what} | {fmt(f[e])} | {fmt(f['s6'])} | {fmt(f['runit'])} | "
                f"{ratio(f[e], f['s6'])} | {ratio(f[e], f['runit'])} |")

    def kib0(v):
        return "n/a" if v is None else f"{v:.0f} KiB"

    w("## Summary (medians; ratio = enclave-init / peer, lower is better)\n")
    w("| measure | enclave-init | s6 | runit | ratio vs s6 | ratio vs runit |")
    w("|---|---:|---:|---:|---:|---:|")
    w(row("supervisor binaries on disk (stripped; example config)",
          {e: ex["size"], "s6": s6s["size"], "runit": rus["size"]}, kib))
    for kind in KINDS:
        for n in (10, 100):
            w(row(f"cold start, {n} services, {KIND_LABEL[kind]}", {s.key: cm[(s.key, n, kind)] for s in sups}, ms))
    w(row("idle PSS of the supervisor, 100 services", m, kib0))
    for kind in KINDS:
        w(row(f"restart after `kill -9`, {KIND_LABEL[kind]} (s6: readiness notified)",
              {e: rs[(e, kind)], "s6": rs[("s6-ready", kind)], "runit": rs[("runit", kind)]}, ms))
    w(row("restart after `kill -9`, shell service (s6: default, pauses 1 s)",
          {e: rs[(e, "sh")], "s6": rs[("s6", "sh")], "runit": rs[("runit", "sh")]}, ms))
    if st:
        w(row("one status call (`initctl status` / `s6-svstat` / `sv status`)", st, ms))
    w("")

    # Targets
    w("## Targets\n")

    def verdict(ok):
        return "n/a (no figure)" if ok is None else ("**met**" if ok else "**missed**")

    def at_most(a, b, frac):
        return None if a is None or not b else a / b <= frac
    sz10 = next(x for x in sizes if x["label"].endswith(" 10 services"))["size"]
    sz100 = next(x for x in sizes if x["label"].endswith(" 100 services"))["size"]
    w(f"- size of `init` ≤ 48 KiB: example configuration {kib(ex['size'])}: {verdict(ex['size'] <= 48 * 1024)}; "
      f"10 services {kib(sz10)}: {verdict(sz10 <= 48 * 1024)}; "
      f"100 services {kib(sz100)}: {verdict(sz100 <= 48 * 1024)} (see §1: the compiled-in configuration text).")
    w(f"- idle memory at 100 services ≤ 1/10 of s6: ratio {ratio(m[e], m['s6'])}: "
      f"{verdict(at_most(m[e], m['s6'], 0.1))}.")
    parts = []
    for kind in KINDS:
        a, b = rs[(e, kind)], rs[("s6-ready", kind)]
        parts.append(f"{KIND_LABEL[kind]}, against s6 with readiness notification (its fastest restart): "
                     f"ratio {ratio(a, b)}: {verdict(at_most(a, b, 0.5))}")
    a, b = rs[(e, "sh")], rs[("s6", "sh")]
    parts.append(f"against s6 as configured by default (one-second pause before each restart): "
                 f"ratio {ratio(a, b)}: {verdict(at_most(a, b, 0.5))}")
    w("- restart latency ≤ 1/2 of s6: " + "; ".join(parts) + ".")
    w(logbench.target_line(logs) + "\n")

    # Details
    w("## 1. Binary size\n")
    w("| binary | bytes | size | linked | shared libraries it loads (their size) | + libraries | "
      "ratio enclave-init (example) / this |")
    w("|---|---:|---:|---|---|---:|---:|")
    for x in sizes:
        libs = ", ".join(f"{k} ({kib(v)})" for k, v in sorted(x["libs"].items())) or "none"
        total = x["size"] + sum(x["libs"].values())
        link = ("static" if x["static"] else "dynamic") + ("" if x["stripped"] else ", not stripped")
        w(f"| {x['label']} | {x['size']} | {kib(x['size'])} | {link} | {libs} | {kib(total)} | "
          f"{ratio(ex['size'], x['size'])} |")
    w("")
    w("enclave-init compiles its configuration in, and `init --print-config` prints it back: that YAML text "
      f"(`cfg_yaml`) is {yaml_bytes['example']} bytes of the example build, {yaml_bytes[10]} bytes at 10 "
      f"services and {yaml_bytes[100]} bytes at 100 services (about "
      f"{(yaml_bytes[100] - yaml_bytes[10]) / 90:.0f} bytes per service), so the binary grows with the number "
      "of services. The peers read their configuration at run time and do not grow.\n")

    w("## 2. Cold start (launch of the supervisor → every service has created its marker)\n")
    w("| services | enclave-init | s6 (s6-svscan) | runit (runsvdir) | ratio vs s6 | ratio vs runit |")
    w("|---|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        for n in (10, 100):
            c = {s.key: cm[(s.key, n, kind)] for s in sups}
            w(f"| {n}, {KIND_LABEL[kind]} | {ms(c[e])} | {ms(c['s6'])} | {ms(c['runit'])} | "
              f"{ratio(c[e], c['s6'])} | {ratio(c[e], c['runit'])} |")
    w("")
    w("Range (min – max) over the runs: " + "; ".join(
        f"{s.label} {n} {kind}: {spread(cold[(s.key, n, kind)], ms)}"
        for kind in KINDS for n in (10, 100) for s in sups) + ".")
    w("The clock starts just before the benchmark launches `unshare … SUPERVISOR` and stops when inotify "
      "reports the last of the N marker files. tini and dumb-init supervise one child, not a set of "
      "services: not comparable here.\n")

    w("## 3. Idle memory (supervisor's own processes, services not counted)\n")
    w("| supervisor | processes counted | PSS | RSS | USS (private) | PSS ratio enclave-init / this |")
    w("|---|---|---:|---:|---:|---:|")
    names = {e: "init", "s6": "s6-svscan + each s6-supervise", "runit": "runsvdir + each runsv"}
    for s in sups:
        v = mem100[s.key]
        if not v:
            w(f"| {s.label}, 100 services | n/a | | | | |")
            continue
        med = {k: median([x[k] for x in v]) for k in ("Pss", "Rss", "Uss", "nprocs")}
        w(f"| {s.label}, 100 services | {names[s.key]} ({med['nprocs']:.0f}) | {med['Pss']:.0f} KiB | "
          f"{med['Rss']:.0f} KiB | {med['Uss']:.0f} KiB | {ratio(m[e], med['Pss'])} |")
    for s in ones + [ei]:
        v = mem1.get(s.key)
        if not v:
            continue
        med = {k: median([x[k] for x in v]) for k in ("Pss", "Rss", "Uss")}
        w(f"| {s.label}, 1 child | {'init' if s is ei else s.label} (1) | {med['Pss']:.0f} KiB | "
          f"{med['Rss']:.0f} KiB | {med['Uss']:.0f} KiB | |")
    w("")
    w(f"Read from /proc/PID/smaps_rollup {SETTLE_S:.0f} s after the last (shell) service started; median of the "
      "runs. PSS charges each process its share of the pages it maps, so the dynamically linked peers' share "
      "of libc pages depends on what else runs on the machine; USS (private pages only) does not.\n")

    w("## 4. Restart latency (`kill -9` of a running service → its new process has started)\n")
    w("| supervisor | service | median | min – max | kills | ratio enclave-init / this | "
      "minus the service's own start |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        fl = rs[("floor", kind)]
        for s in rsups:
            v = rs[(s.key, kind)]
            own = None if v is None or fl is None else v - fl
            own_s = ms(own) if own is None or own > 0 else "≈ 0 (within noise)"
            w(f"| {s.label} | {KIND_LABEL[kind]} | {ms(v)} | {spread(restart[(s.key, kind)], ms)} | "
              f"{len(restart[(s.key, kind)])} | {ratio(rs[(e, kind)], v)} | {own_s} |")
        w(f"| (no supervisor: the benchmark `posix_spawn`s the service) | {KIND_LABEL[kind]} | {ms(fl)} | "
          f"{spread(restart[('floor', kind)], ms)} | {len(restart[('floor', kind)])} | | |")
    w("")
    w(f"Service `{RESTART_SVC}` of 100; the four supervisors run at once and are killed in turn. The clock "
      "starts just before kill(2) and stops when inotify reports the new process's marker file. "
      "enclave-init: `Restart = \"always\"`, `RestartSec = 0`. runsv and s6-supervise restart at once, "
      "except that runsv sleeps one second when the service ran for less than one second, and s6-supervise "
      "(2.11) waits one second before every restart unless the service notified readiness more than one "
      f"second before it died. So before each kill the service has been running for at least {RESTART_GAP_S} s "
      "(no runsv pause), and s6 is measured twice: as configured by default (no readiness notification: the "
      "one-second pause is in the figure) and with readiness notification (`notification-fd` containing 3 "
      "in each service directory; the service writes a newline to fd 3 right after creating its marker), "
      "which restarts at once and is the fair comparison. The last column subtracts the median time the "
      "service takes to start when the benchmark spawns it itself (last row of each group): a derived "
      "estimate of the supervisor's own share, not a measurement. This phase (and §5) runs on one CPU "
      f"(CPU {pin_cpu}, by sched_setaffinity, inherited by everything started), so that no wake-up waits "
      "for an idle virtual CPU; the cold starts of §2 use every CPU.\n")

    w("## 5. Status call\n")
    w("| command | median | mean ± σ | min – max | ratio enclave-init / this |")
    w("|---|---:|---:|---:|---:|")
    for s in sups:
        r = status.get(s.key)
        if not r:
            continue
        w(f"| `{r['command']}` | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'])} | "
          f"{ms(r['min'])} – {ms(r['max'])} | {ratio(st.get(e), r['median'])} |")
    w("")
    w("Against the instances of §4 (100 shell services each). `initctl status` asks init over its Unix "
      "socket (a request/reply round trip through PID 1); `s6-svstat` and `sv status` read the "
      "supervise/status file that the supervisor keeps on disk (and check that the supervisor is alive); "
      "both are dynamically linked (`s6-svstat` loads libs6 and libskarnet), `initctl` is static. Output of "
      "the timed `initctl status`:\n")
    w("```\n" + ei_status_sample + "\n```\n")

    out += logbench.render(logs, section="6")

    w("## Commands\n")
    w("```")
    w(("tools/bench/run " + " ".join(sys.argv[1:])).strip())
    w("# every supervisor:  " + " ".join(UNSHARE) + " SUPERVISOR ...")
    w("#   enclave-init:    BUILD/init   (make CONFIG=DIR/init.yaml BUILD=DIR/build; each service file:")
    w("#                    ExecStart = \"SERVICE\", Restart = \"always\", RestartSec = 0)")
    w("#   s6:              s6-svscan SCANDIR    (SCANDIR/sNNN/run = SERVICE)")
    w("#   runit:           runsvdir SCANDIR     (SCANDIR/sNNN/run = SERVICE)")
    w("#   one child:       tini -- SERVICE; tini-static -- SERVICE; dumb-init SERVICE; enclave-init, 1 service")
    for what, scr in (("shell service", SERVICE_SCRIPT),
                      ("shell service, s6 with readiness (+ notification-fd: 3)", SERVICE_SCRIPT_READY)):
        w(f"# {what}: " + scr.replace("\n", "; ").strip("; ")
          .replace("{markers}", "MARKERS").replace("{name}", "NAME"))
    w("# minimal service:   musl-gcc -static -Os -s -o svc tools/bench/svc.c; enclave-init: svc MARKERS NAME;")
    w("#                    s6, runit: run -> svc (MARKERS and, for s6 with readiness, READY_FD=3 in the environment)")
    if status_cmdline:
        w(status_cmdline)
    w("```\n")
    if problems:
        w("## Problems during the run\n")
        for p in problems:
            w(f"- {p}")
        w("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
