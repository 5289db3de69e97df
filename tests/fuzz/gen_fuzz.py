#!/usr/bin/env python3
"""Fuzz the generator (gen/initgen.py) with mutated configurations.

Seeds: config/ and every case of tests/gen/cases/ (an init.yaml and its
services/). Each input is a seed with a few mutations (bytes flipped,
spans deleted or repeated, lines swapped or spliced from other seeds,
tokens YAML and TOML treat specially, numbers at their limits, deep
nesting, service files added, renamed or removed). The generator must
either generate (and then its C must compile) or fail with exit status 1
and only `path:line: error: ...` / `warning:` lines and its summary on
stderr: never a traceback, another status, or a hang (each run has a
timeout).

Runs are forked from this process with the generator already imported,
so each costs milliseconds, not an interpreter start. Standard library
only. Prints one line: "PASS fuzz: gen: N execs, 0 crashes", or FAIL with
each failing input kept under --out.

Usage: gen_fuzz.py [--count N | --seconds S] [--seed N] [--out DIR]
       gen_fuzz.py --replay DIR   (one input directory: what happens)
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "gen"))
import initgen  # noqa: E402  (after the path is set)

TIMEOUT = 10  # seconds a run may take
DIAG = re.compile(r"^[^\n]*:\d+: (error|warning): ")
SUMMARY = re.compile(r"^initgen: \d+ errors?; nothing generated$")
TOKENS = [
    "[", "]", "{", "}", "\"", "'", "\\", "\n", "=", ":", ": ", "- ", ",", "#", "\t", "\x00", "\xff",
    "&a ", "*a", "<<: *a", "!!binary ", "!!python/object ", "? ", "|", ">", "---\n", "...\n", "%YAML 1.1\n",
    "\"\\ud800\"", "\"\\x00\"", "\"\\U0010ffff\"", "1e999", "-1", "0", "99999999999999999999", "0x10", "0o7",
    "null", "~", "true", "yes", "off", "\"\"\"", "'''", "[[", "]]", "inf", "nan", "1979-05-27T07:32:00Z",
    "é", "\u202e", "/", "..", "../", "a" * 300, "\r\n", "\r",
]
KEYS = [
    "ExecStart", "Environment", "Restart", "RestartSec", "WorkingDirectory", "ServiceEnable", "After",
    "Before", "Requires", "RequiredBy", "TimeoutStopSec", "StartLimitBurst", "StartLimitIntervalSec",
    "service_dir", "log_dir", "control", "unix_socket_path", "max_clients", "unix_allow", "vsock_allow",
    "max_log_size", "max_log_files", "log_ring_size", "max_log_line", "max_log_followers", "environment",
    "vsock", "app", "max_adhoc", "max_log_streams", "socket_path", "pivot_root", "nsm_driver_path",
    "User", "Group", "SupplementaryGroups", "UMask", "NoNewPrivileges", "LimitNOFILE", "LimitNPROC",
    "LimitCORE", "LimitMEMLOCK", "LimitSTACK", "LimitAS", "user", "group", "working_directory",
]


def seeds():
    """Every seed: a dict of relative path -> bytes (init.yaml, services/*)."""
    dirs = [os.path.join(ROOT, "config")]
    cases = os.path.join(ROOT, "tests", "gen", "cases")
    dirs += [os.path.join(cases, c) for c in sorted(os.listdir(cases))]
    out = []
    for d in dirs:
        files = {}
        for base, _, names in os.walk(d):
            for n in names:
                p = os.path.join(base, n)
                rel = os.path.relpath(p, d)
                if n == "init.yaml" or n.endswith((".service", ".service.disabled")):
                    if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) < 65536:
                        with open(p, "rb") as f:
                            files[rel] = f.read()
        if "init.yaml" in files:
            out.append(files)
    return out


def mutate_bytes(rng, b, pool):
    ops = rng.randint(1, 4)
    for _ in range(ops):
        k = rng.randrange(11)
        i = rng.randint(0, len(b))
        j = rng.randint(i, min(len(b), i + 40))
        if k == 0 and b:  # flip a byte
            i = min(i, len(b) - 1)
            b = b[:i] + bytes([b[i] ^ (1 << rng.randrange(8))]) + b[i + 1:]
        elif k == 1:  # delete a span
            b = b[:i] + b[j:]
        elif k == 2:  # repeat a span
            b = b[:j] + b[i:j] * rng.randint(1, 8) + b[j:]
        elif k in (3, 4):  # a special token
            b = b[:i] + rng.choice(TOKENS).encode("utf-8", "surrogatepass") + b[i:]
        elif k == 5:  # a key, with a value
            b = b[:i] + f"\n{rng.choice(KEYS)} = {rng.choice(TOKENS)}\n".encode("utf-8", "surrogatepass") + b[i:]
        elif k == 6:  # swap two lines
            lines = b.split(b"\n")
            x, y = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[x], lines[y] = lines[y], lines[x]
            b = b"\n".join(lines)
        elif k == 7:  # a line from another seed
            other = rng.choice(pool).split(b"\n")
            b = b[:i] + rng.choice(other) + b"\n" + b[i:]
        elif k == 8:  # a number at a limit
            m = list(re.finditer(rb"-?\d+", b))
            if m:
                x = rng.choice(m)
                v = rng.choice([b"0", b"-1", b"1", b"65535", b"65536", b"86400", b"86401", b"4294967295",
                                b"4294967296", b"18446744073709551616", b"9" * 400])
                b = b[:x.start()] + v + b[x.end():]
        elif k == 9:  # deep nesting
            n = rng.choice([10, 100, 300, 2000])
            b = b[:i] + (b"[" * n + b"1" + b"]" * n if rng.random() < 0.5 else b"{a=" * n + b"1" + b"}" * n) + b[i:]
        else:  # indentation
            b = b[:i] + b" " * rng.randint(1, 9) + b[i:]
    return b


def mutate(rng, case, pool):
    case = dict(case)
    for _ in range(rng.randint(1, 2)):
        k = rng.randrange(10)
        names = sorted(case)
        if k < 7:
            name = rng.choice(names)
            case[name] = mutate_bytes(rng, case[name], pool)
        elif k == 7:  # a new service, from another seed's
            src = rng.choice(pool)
            name = f"services/fz{rng.randrange(100)}.service"
            case[name] = src
        elif k == 8:  # rename: enabled <-> disabled, or an odd name
            svcs = [n for n in names if n != "init.yaml"]
            if svcs:
                n = rng.choice(svcs)
                new = (n[:-9] if n.endswith(".disabled") else n + ".disabled") if rng.random() < 0.6 else \
                    f"services/{rng.choice(['-x', '.x', 'init', 'a b', 'x' * 70, 'é'])}.service"
                case[new] = case.pop(n)
        else:  # drop a service
            svcs = [n for n in names if n != "init.yaml"]
            if svcs:
                del case[rng.choice(svcs)]
    return case


def write_case(case, d):
    for rel, b in case.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(b)
    os.makedirs(os.path.join(d, "services"), exist_ok=True)


def run_generator(d):
    """Run initgen on d/init.yaml in a forked child; (status, stderr, hung)."""
    out = os.path.join(d, "out")
    err_path = os.path.join(d, "stderr")
    pid = os.fork()
    if pid == 0:  # the child: as `python3 gen/initgen.py` would behave
        try:
            fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 2)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            sys.stderr = os.fdopen(2, "w", encoding="utf-8", errors="backslashreplace")
            rc = initgen.main([os.path.join(d, "init.yaml"), out])
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except BaseException:  # what the interpreter would print
            traceback.print_exc()
            rc = 1
        try:
            sys.stderr.flush()
        finally:
            os._exit(rc or 0)
    deadline = time.monotonic() + TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, "", True
        time.sleep(0.002)
    with open(err_path, encoding="utf-8", errors="backslashreplace") as f:
        err = f.read()
    return os.waitstatus_to_exitcode(status), err, False


def compiles(d):
    """The generated C is valid C (the build's warnings as errors)."""
    out = os.path.join(d, "out")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return True, ""  # no C compiler here: the generator's own checks only
    r = subprocess.run([cc, "-std=c11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
                        "-Wno-missing-field-initializers", "-I", os.path.join(ROOT, "include"), "-I", out,
                        os.path.join(out, "config_gen.c")], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def judge(d):
    """None when the generator behaved, else why not."""
    rc, err, hung = run_generator(d)
    if hung:
        return f"no answer within {TIMEOUT} s"
    if "Traceback" in err:
        return "traceback:\n" + err
    bad = [ln for ln in err.splitlines() if not DIAG.match(ln) and not SUMMARY.match(ln)]
    if rc not in (0, 1):
        return f"exit status {rc}\n" + err
    if bad:
        return "stderr not in the form path:line: error: ...:\n" + "\n".join(bad[:5])
    if rc == 1 and not any(DIAG.match(ln) and ": error: " in ln for ln in err.splitlines()):
        return "exit status 1 without a path:line: error: line\n" + err
    if rc == 0:
        ok, cerr = compiles(d)
        if not ok:
            return "generated C does not compile:\n" + cerr
    return None


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--out", help="keep failing inputs here")
    ap.add_argument("--replay", help="run one input directory and say what happened")
    a = ap.parse_args(argv)
    if a.replay:
        why = judge(os.path.abspath(a.replay))
        print(why or "ok")
        return 1 if why else 0
    seed = a.seed if a.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    cases = seeds()
    pool = [b for c in cases for b in c.values()]
    count = a.count if a.count is not None else (None if a.seconds else 100)
    end = time.monotonic() + a.seconds if a.seconds else None
    execs, crashes = 0, []
    with tempfile.TemporaryDirectory(prefix="ei-genfuzz.") as tmp:
        while (count is None or execs < count) and (end is None or time.monotonic() < end):
            d = os.path.join(tmp, str(execs))
            write_case(mutate(rng, rng.choice(cases), pool), d)
            why = judge(d)
            execs += 1
            if why:
                kept = d
                if a.out:
                    kept = os.path.join(a.out, f"input-{seed}-{execs}")
                    os.makedirs(a.out, exist_ok=True)
                    shutil.copytree(d, kept, ignore=shutil.ignore_patterns("out", "stderr"))
                crashes.append((kept, why))
            shutil.rmtree(d, ignore_errors=True)
        n = len(crashes)
        status = "PASS" if not n else "FAIL"
        print(f"{status} fuzz: gen: {execs} execs, {n} crash{'' if n == 1 else 'es'} (seed {seed})")
        for kept, why in crashes[:5]:
            print(f"    {kept}: " + "\n      ".join(why.splitlines()[:8]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
