"""Data-driven golden cases: one directory per case under cases/.

Each case holds init.yaml, services/ (or whatever its service_dir names) and
one expectation file. The generator runs with the case directory as its
working directory (`initgen.py init.yaml OUTDIR`), so every path it prints is
relative to the case.

expected-errors.txt
    The configuration is bad. The generator must exit 1, print exactly this
    on stderr (every diagnostic `path:line: error: message`, then its
    summary line), nothing on stdout, no traceback, and write nothing.
    `--check` must say the same.

expected.yaml
    The configuration is good. The generator must exit 0, print nothing on
    stdout and exactly `stderr` (default: nothing) on stderr; `--check`
    must agree and name the same configuration hash. Keys:
      echo:   a partial copy of the YAML echo (`init --print-config`);
              mappings match as subsets, lists exactly; `services` is a
              mapping by service name.
      order:  the service names in start order (the order of cfg_svc[]).
      c, h:   text fragments that must appear in config_gen.c / config_gen.h,
              in this order.
      stderr: the exact warnings expected.
    Every good case is also checked for consistency between the C tables,
    config_gen.h and the YAML echo (every value of the echo must be the one
    compiled into the tables, dependency arrays must match the dependency
    keys, the order must be the name-ordered topological sort), and
    config_gen.c must compile against include/cfg.h under the Makefile's
    warnings.
"""

import heapq
import os
import re
import unittest

import yaml

import lib

TYPE = {"simple": "CFG_TYPE_SIMPLE", "notify": "CFG_TYPE_NOTIFY", "oneshot": "CFG_TYPE_ONESHOT"}
HEALTH_KEYS = (("HealthIntervalSec", "health_interval_sec"), ("HealthStartIntervalSec", "health_start_interval_sec"),
               ("HealthTimeoutSec", "health_timeout_sec"), ("HealthRetries", "health_retries"),
               ("HealthStartPeriodSec", "health_start_period_sec"))
RESTART = {"no": "CFG_RESTART_NO", "always": "CFG_RESTART_ALWAYS",
           "on-failure": "CFG_RESTART_ON_FAILURE", "on-success": "CFG_RESTART_ON_SUCCESS"}


def subset_problems(expected, actual, where="echo"):
    """Where `actual` differs from the partial `expected`."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a mapping, got {actual!r}"]
        out = []
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{where}.{k}: missing")
            else:
                out += subset_problems(v, actual[k], f"{where}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += subset_problems(e, a, f"{where}[{i}]")
        return out
    if expected != actual or type(expected) is not type(actual):
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def fragments_problems(fragments, text, fname):
    pos, out = 0, []
    for frag in fragments or []:
        i = text.find(frag, pos)
        if i < 0:
            where = "anywhere" if text.find(frag) >= 0 else "at all"
            hint = "(found, but out of order)" if where == "anywhere" else "(not found)"
            out.append(f"{fname}: fragment {hint}:\n" + "".join("  | " + line + "\n" for line in frag.rstrip("\n").split("\n")))
        else:
            pos = i + len(frag)
    return out


def expected_graph(services):
    """pred and requires per name, from the dependency keys of the echo."""
    names = [s["name"] for s in services]
    pred = {n: set() for n in names}
    req = {n: set() for n in names}
    for s in services:
        n = s["name"]
        for o in s["After"] + s["Requires"]:
            if o in pred:
                pred[n].add(o)
        for o in s["Before"] + s["RequiredBy"]:
            if o in pred:
                pred[o].add(n)
        for o in s["Requires"]:
            if o in req:
                req[n].add(o)
        for o in s["RequiredBy"]:
            if o in req:
                req[o].add(n)
    return pred, req


def name_ordered_toposort(pred):
    indeg = {n: len(p) for n, p in pred.items()}
    ready = [n for n, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for m in sorted(pred):
            if n in pred[m]:
                indeg[m] -= 1
                if indeg[m] == 0:
                    heapq.heappush(ready, m)
    return order


LIMIT_KEYS = {"LimitNOFILE": "CFG_LIMIT_NOFILE", "LimitNPROC": "CFG_LIMIT_NPROC", "LimitCORE": "CFG_LIMIT_CORE",
              "LimitMEMLOCK": "CFG_LIMIT_MEMLOCK", "LimitSTACK": "CFG_LIMIT_STACK", "LimitAS": "CFG_LIMIT_AS"}


def privs_problems(n, s, t, c):
    """User, Group, ..., Limit* of service n: the echo (s) against its
    table entry's cfg_privs; an entry without one is root, umask 0022, no
    limits."""
    out = []
    ref = t.get("privs", 0)
    if isinstance(ref, tuple):
        t = c["privs"].get(ref[1].lstrip("&"))
        if t is None:
            return [f"{n}: .privs = {ref[1]}: no such cfg_privs"]
    elif ref != 0:
        return [f"{n}: .privs = {ref!r}"]
    else:
        t = {}

    def same(what, want, got):
        if want != got:
            out.append(f"{n}: {what}: echo says {want!r}, tables say {got!r}")
    ptr = lambda v: None if v == 0 else v  # noqa: E731
    same(".user", s["User"], ptr(t.get("user", 0)))
    same(".group", s["Group"], ptr(t.get("group", 0)))
    g = t.get("supplementary_groups", 0)
    same("supplementary_groups[]", s["SupplementaryGroups"], c["arrays"].get(g[1]) if isinstance(g, tuple) else [])
    m = t.get("umask", 0)
    if m == 0:
        got = "0022"
    else:
        mm = re.fullmatch(r"CFG_UMASK_SET \| (0[0-7]{3})", m[1]) if isinstance(m, tuple) else None
        got = "%04o" % int(mm.group(1), 8) if mm else repr(m)
    same(".umask", s["UMask"], got)
    same(".no_new_privileges", int(s["NoNewPrivileges"]), t.get("no_new_privileges", 0))
    lim = t.get("limits", 0)
    rows = c["limits"].get(lim[1], []) if isinstance(lim, tuple) else []
    same(".nlimits", len(rows), t.get("nlimits", 0))
    want = []
    for key, kind in LIMIT_KEYS.items():  # the echo's order is the table's
        if s[key] is not None:
            sides = [None if v == "infinity" else int(v) for v in s[key].split(":")]
            want.append((kind, sides[0], sides[-1]))
    same("limits[]", want, rows)
    return out


def cgroup_problems(n, s, t):
    """MemoryMax, CPUWeight, TasksMax of service n: the echo (s) against
    its table entry (0 or absent: not set; infinity: CFG_LIMIT_INFINITY)."""
    out = []
    for key, field in (("MemoryMax", "memory_max"), ("CPUWeight", "cpu_weight"), ("TasksMax", "tasks_max")):
        v = s[key]
        want = 0 if v is None else ("sym", "CFG_LIMIT_INFINITY") if v == "infinity" else int(v)
        got = t.get(field, 0)
        if want != got:
            out.append(f"{n}: .{field}: echo says {v!r}, tables say {got!r}")
    return out


def consistency_problems(c, h, echo):
    """Every value of the YAML echo must be the one in the C tables."""
    out = []

    def same(what, want, got):
        if want != got:
            out.append(f"{what}: echo says {want!r}, tables say {got!r}")

    ci = c["init"]
    ptr = lambda v: None if v == 0 else v  # noqa: E731 (a 0 pointer is null)
    same("service_dir", echo["service_dir"], ci["service_dir"])
    same("log_dir", echo["log_dir"], ci["log_dir"])
    ctl = echo["control"]
    same("control.unix_socket_enabled", int(ctl["unix_socket_enabled"]), ci["unix_socket_enabled"])
    same("control.unix_socket_path", ctl["unix_socket_path"], ci["unix_socket_path"])
    same("control.vsock_enabled", int(ctl["vsock_enabled"]), ci["vsock_enabled"])
    same("control.vsock_cid", ctl["vsock_cid"], ci["vsock_cid"])
    same("control.vsock_port", ctl["vsock_port"], ci["vsock_port"])
    same("control.max_clients (CFG_MAX_CLIENTS)", str(ctl["max_clients"]), h["CFG_MAX_CLIENTS"])
    same("CFG_UNIX_SOCKET_PATH", ctl["unix_socket_path"], lib.c_unquote(h["CFG_UNIX_SOCKET_PATH"]))
    same("CFG_VSOCK_CID", f"{ctl['vsock_cid']}u", h["CFG_VSOCK_CID"])
    same("CFG_VSOCK_PORT", f"{ctl['vsock_port']}u", h["CFG_VSOCK_PORT"])
    same("CFG_VSOCK_CID_TEXT", f'"{ctl["vsock_cid"]}"', h["CFG_VSOCK_CID_TEXT"])
    same("CFG_VSOCK_PORT_TEXT", f'"{ctl["vsock_port"]}"', h["CFG_VSOCK_PORT_TEXT"])
    same("max_log_size", echo["max_log_size"], ci["max_log_size"])
    same("max_log_files", echo["max_log_files"], ci["max_log_files"])
    same("vsock.enabled", int(echo["vsock"]["enabled"]), ci["heartbeat_enabled"])
    same("vsock.cid", echo["vsock"]["cid"], ci["heartbeat_cid"])
    same("vsock.port", echo["vsock"]["port"], ci["heartbeat_port"])
    same("nsm_driver_path", echo["nsm_driver_path"], ptr(ci["nsm_driver_path"]))
    same("pivot_root", int(echo["pivot_root"]), ci["pivot_root"])
    same("pivot_root_dir", echo["pivot_root_dir"], ci["pivot_root_dir"])

    svcs = echo["services"] or []
    # The sd_notify socket: opened only when something is Type=notify.
    notify = echo["app"]["enabled"] and echo["app"]["type"] == "notify" or \
        any(s["Type"] == "notify" for s in svcs)
    same("CFG_NOTIFY", str(int(notify)), h["CFG_NOTIFY"])
    same("notify_socket", echo["notify_socket"] if notify else None, ptr(ci["notify_socket_path"]))
    same("CFG_NSVC", str(len(svcs)), h["CFG_NSVC"])
    same("number of cfg_svc entries", len(svcs), len(c["svc"]))
    digest = h["CFG_HASH_HEX"].strip('"')
    same("CFG_HASH", f"0x{digest}ULL", h["CFG_HASH"])
    first = c["yaml"].split("\n", 1)[0]
    same("hash in the echo's first line", f"# enclave-init compiled-in configuration, hash {digest}", first)
    pred, req = expected_graph(svcs)
    index = {s["name"]: i for i, s in enumerate(svcs)}
    same("start order", name_ordered_toposort(pred), [s["name"] for s in svcs])
    # config_gen.h names each index: CFG_SVC_ and the name, upper case, in
    # start order (a name that clashes once upper case gets a "_" more).
    same("enum cfg_svc_index", list(range(len(svcs))), list(c["enum"].values()))
    for (e, k), s in zip(c["enum"].items(), svcs):
        base = "CFG_SVC_" + re.sub(r"[^A-Za-z0-9_]", "_", s["name"]).upper()
        if not (e.startswith(base) and e[len(base):].strip("_") == ""):
            out.append(f"enum cfg_svc_index: {e} = {k} does not name service {s['name']!r}")
    for i, (s, t) in enumerate(zip(svcs, c["svc"])):
        n = s["name"]
        same(f"{n}: index", i, t["_index"])
        same(f"{n}: .name", n, t["name"])
        same(f"{n}: .source", s["source"], t["source"])
        same(f"{n}: .exec_text", s["ExecStart"], t["exec_text"])
        argv = c["arrays"].get(t["argv"][1]) if isinstance(t["argv"], tuple) else None
        same(f"{n}: argv[]", s["argv"], argv)
        envp = c["arrays"].get(t["envp"][1]) if isinstance(t["envp"], tuple) else None
        same(f"{n}: envp[]", s["environment"], envp)
        same(f"{n}: .workdir", s["WorkingDirectory"], ptr(t["workdir"]))
        same(f"{n}: .restart", ("sym", RESTART.get(s["Restart"])), t["restart"])
        same(f"{n}: .enabled", int(s["enabled"]), t["enabled"])
        same(f"{n}: .restart_sec", s["RestartSec"], t["restart_sec"])
        same(f"{n}: .stop_timeout_sec", s["TimeoutStopSec"], t["stop_timeout_sec"])
        # null in the echo (neither key set) is 0 in the tables.
        if (s["StartLimitBurst"] is None) != (s["StartLimitIntervalSec"] is None):
            out.append(f"{n}: StartLimitBurst and StartLimitIntervalSec: one null, not both")
        same(f"{n}: .start_limit_burst", s["StartLimitBurst"] or 0, t["start_limit_burst"])
        same(f"{n}: .start_limit_interval_sec", s["StartLimitIntervalSec"] or 0, t["start_limit_interval_sec"])
        same(f"{n}: .type", ("sym", TYPE.get(s["Type"])), t["type"])
        same(f"{n}: .remain_after_exit", int(s["RemainAfterExit"]), t["remain_after_exit"])
        same(f"{n}: .timeout_start_sec", s["TimeoutStartSec"], t["timeout_start_sec"])
        same(f"{n}: .watchdog_sec", s["WatchdogSec"], t["watchdog_sec"])
        # Without HealthCmd: null in the echo, nothing (0) in the tables.
        same(f"{n}: .health_text", s["HealthCmd"], t.get("health_text"))
        hargv = c["arrays"].get(t["health_argv"][1]) if isinstance(t.get("health_argv"), tuple) else []
        same(f"{n}: health_argv[]", s["health_argv"], hargv)
        for key, field in HEALTH_KEYS:
            same(f"{n}: .{field}", s[key], t.get(field))
        action = {None: None, "none": "CFG_HEALTH_NONE", "restart": "CFG_HEALTH_RESTART"}.get(s["HealthAction"], "?")
        same(f"{n}: .health_action", action, t["health_action"][1] if "health_action" in t else None)
        for key, field in (("After", "after_text"), ("Before", "before_text"),
                           ("Requires", "requires_text"), ("RequiredBy", "required_by_text")):
            same(f"{n}: .{field}", ", ".join(s[key]), t[field])
        same(f"{n}: comment tag", s["source"], t["_tag"].rsplit(":", 1)[0])
        for arr, want in (("pred", pred[n]), ("requires", req[n])):
            want_idx = sorted(index[x] for x in want)
            got = c["arrays"].get(t[arr][1], None) if isinstance(t[arr], tuple) else []
            same(f"{n}: {arr}[]", want_idx, got)
            same(f"{n}: n{arr}", len(want_idx), t["n" + arr])
        out += privs_problems(n, s, t, c)
        out += cgroup_problems(n, s, t)
        succ_idx = sorted(index[m] for m in pred if n in pred[m])
        got = c["arrays"].get(t["succ"][1], None) if isinstance(t["succ"], tuple) else []
        same(f"{n}: succ[]", succ_idx, got)
        same(f"{n}: nsucc", len(succ_idx), t["nsucc"])
    return out


class CaseTest(unittest.TestCase):
    def __init__(self, case):
        super().__init__("runTest")
        self.case = case
        self.dir = os.path.join(lib.CASES, case)
        self.case_name = f"case {case}"

    def id(self):
        return f"case.{self.case}"

    def __str__(self):
        return self.case_name

    def runTest(self):
        err = os.path.join(self.dir, "expected-errors.txt")
        ok = os.path.join(self.dir, "expected.yaml")
        if os.path.exists(err) == os.path.exists(ok):
            self.fail("a case needs exactly one of expected-errors.txt and expected.yaml")
        if os.path.exists(err):
            self.bad_case(lib.read_text(err))
        else:
            with open(ok, encoding="utf-8") as f:
                self.good_case(yaml.safe_load(f) or {})

    def bad_case(self, want):
        for line in want.rstrip("\n").split("\n")[:-1]:
            if not lib.DIAG_LINE.match(line):
                self.fail(f"expected-errors.txt: not a `path:line: error: message` line: {line!r}")
        out = os.path.join(lib.tempdir(self), "out")
        for args in (["init.yaml", out], ["--check", "init.yaml"]):
            mode = " ".join(a for a in args if a.startswith("--")) or "generate"
            p = lib.run_gen(self.dir, *args)
            if lib.has_traceback(p.stderr):
                self.fail(f"{mode}: Python traceback instead of a diagnostic\n{p.stderr}")
            if p.stderr != want:
                self.fail(f"{mode}: stderr differs from expected-errors.txt\n"
                          f"--- expected\n{want}--- got\n{p.stderr}")
            self.assertEqual(p.returncode, 1, f"{mode}: exit status {p.returncode}, expected 1")
            self.assertEqual(p.stdout, "", f"{mode}: printed on stdout")
            self.assertFalse(os.path.exists(out), f"{mode}: wrote {out} although the configuration is bad")

    def good_case(self, exp):
        want_err = exp.get("stderr", "") or ""
        out, p = lib.generate(self, self.dir)
        problems = []
        if p.stderr != want_err:
            problems.append(f"stderr differs\n--- expected\n{want_err}--- got\n{p.stderr}")
        if p.stdout:
            problems.append(f"generating printed on stdout: {p.stdout!r}")
        self.assertEqual(sorted(os.listdir(out)), ["config_gen.c", "config_gen.h", "print-config.yaml"])
        ctext = lib.read_text(os.path.join(out, "config_gen.c"))
        htext = lib.read_text(os.path.join(out, "config_gen.h"))
        enum = lib.parse_enum(htext)
        c, h = lib.parse_c(ctext, enum), lib.parse_h(htext)
        c["enum"] = enum
        # The whole echo (`init --print-config`): the settings are compiled
        # in as text (c["yaml"] is where it begins), the services printed
        # from the tables; tests/build.sh compares init's output with it.
        head = c["yaml"]
        c["yaml"] = lib.read_text(os.path.join(out, "print-config.yaml"))
        if not c["yaml"].startswith(head):
            problems.append("print-config.yaml does not begin with the cfg_yaml text of config_gen.c")
        digest = h["CFG_HASH_HEX"].strip('"')
        try:
            echo = yaml.safe_load(c["yaml"])
        except yaml.YAMLError as e:
            self.fail(f"the YAML echo in config_gen.c is not valid YAML: {e}\n{c['yaml']}")

        chk = lib.run_gen(self.dir, "--check", "init.yaml")
        n = len(echo["services"] or [])
        want_ok = f"init.yaml: ok, {n} service{'' if n == 1 else 's'}, configuration hash {digest}\n"
        if chk.returncode != 0 or chk.stdout != want_ok or chk.stderr != want_err:
            problems.append(f"--check: exit {chk.returncode}, stdout {chk.stdout!r} "
                            f"(expected {want_ok!r}), stderr {chk.stderr!r}")

        problems += consistency_problems(c, h, echo)
        # The first line names every source, relative to the case directory.
        sources = ["init.yaml"] + sorted((s["source"] for s in echo["services"] or []),
                                         key=lambda src: src.rsplit("/", 1)[-1].split(".service")[0])
        want_head = "/* Generated by gen/initgen.py from " + ", ".join(sources) + ". Do not edit."
        for fname, text in (("config_gen.c", ctext), ("config_gen.h", htext)):
            if text.split("\n", 1)[0].rstrip(" */") != want_head.rstrip(" */"):
                problems.append(f"{fname}: first line {text.split(chr(10), 1)[0]!r}, expected {want_head!r}")

        if "echo" in exp:
            e = dict(exp["echo"])
            actual = dict(echo)
            if isinstance(e.get("services"), dict):
                actual["services"] = {s["name"]: s for s in echo["services"] or []}
            problems += subset_problems(e, actual)
        if "order" in exp:
            got = [s["name"] for s in echo["services"] or []]
            if got != exp["order"]:
                problems.append(f"start order: expected {exp['order']}, got {got}")
        problems += fragments_problems(exp.get("c"), ctext, "config_gen.c")
        problems += fragments_problems(exp.get("h"), htext, "config_gen.h")
        cc = lib.compile_c(out)
        if cc:
            problems.append("config_gen.c does not compile:\n" + cc)
        if problems:
            self.fail(problems[0].split("\n", 1)[0] + "\n" + "\n".join(problems))


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    for case in sorted(os.listdir(lib.CASES)):
        if os.path.isdir(os.path.join(lib.CASES, case)):
            suite.addTest(CaseTest(case))
    return suite
