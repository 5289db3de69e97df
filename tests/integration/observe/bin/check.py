#!/usr/bin/env python3
"""The observe scenario's checks of initctl's machine-readable output, read
by other people's parsers: Python's json (strictly: no NaN, no duplicate
keys, valid UTF-8, one document on one line) and prometheus_client's text
parser. Each subcommand reads files the scenario's step wrote and exits 1
with a message naming what is wrong.

Usage: check.py SUBCOMMAND FILE...   (see the functions below)
"""
import json
import sys
from datetime import datetime, timezone

STATES = ["stopped", "starting", "running", "stopping", "waiting to restart", "failed",
          "waiting for dependencies", "exited"]
HEALTH = ["none", "starting", "healthy", "unhealthy"]
SYS_HEALTH = {"starting": 1, "healthy": 2, "degraded": 3, "unhealthy": 4, "stopping": 5}
KINDS = ["state", "ready", "health", "restart", "watchdog", "system", "exit", "missed"]


class Bad(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Bad(what)


def strict(text):
    """Python's json, refusing what it would let by: NaN and Infinity,
    duplicate keys."""
    def pairs(kv):
        need(len({k for k, _ in kv}) == len(kv), f"duplicate keys in {[k for k, _ in kv]}")
        return dict(kv)
    return json.loads(text, object_pairs_hook=pairs, parse_constant=lambda c: need(False, f"not JSON: {c}"))


def doc(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    need(text.endswith("\n") and text.count("\n") == 1, f"{path}: not one document on one line")
    return strict(text)


def text_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def typed(o, fields, where):
    """fields: name -> type spec: int, str, bool, 'int?', 'str?', list, dict, float."""
    for k, t in fields.items():
        need(k in o, f"{where}: field {k} missing")
        v = o[k]
        nullable = isinstance(t, str) and t.endswith("?")
        base = t[:-1] if nullable else t
        if nullable and v is None:
            continue
        ok = {"int": is_int(v), "str": isinstance(v, str), "bool": isinstance(v, bool),
              "num": (is_int(v) or isinstance(v, float)),
              int: is_int(v), str: isinstance(v, str), bool: isinstance(v, bool),
              list: isinstance(v, list), dict: isinstance(v, dict)}[base]
        need(ok, f"{where}: {k} = {v!r} is not {base if isinstance(base, str) else base.__name__}"
                 f"{' or null' if nullable else ''}")


def rfc3339(s, where):
    """Seconds since the epoch of an RFC 3339 UTC time (with or without
    milliseconds)."""
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            pass
    raise Bad(f"{where}: {s!r} is not an RFC 3339 UTC time")


def time_pair(o, key, where, ms=False):
    """X and X_epoch (or X_epoch_ms): both null, or the same instant."""
    ek = key + ("_epoch_ms" if ms else "_epoch")
    t, e = o[key], o[ek]
    if t is None or e is None:
        need(t is None and e is None, f"{where}: {key} {t!r} but {ek} {e!r}")
        return None
    need(is_int(e), f"{where}: {ek} {e!r} not a whole number")
    secs = rfc3339(t, f"{where}: {key}")
    if ms:
        need(t.count(".") == 1 and len(t.split(".")[1]) == 4, f"{where}: {key} {t!r}: not three decimals")
        need(round(secs * 1000) == e, f"{where}: {key} {t} is not {ek} {e}")
    else:
        need(int(secs) == e, f"{where}: {key} {t} is not {ek} {e}")
    return e / 1000 if ms else e


SVC_FIELDS = {
    "name": str, "enabled": bool, "active": str, "state": str, "state_code": int, "state_sec": int,
    "type": str, "ready": bool, "pid": "int?", "start_time": "str?", "start_time_epoch": "int?",
    "restart": str, "restart_sec": int, "restarts": int, "exit_code": "int?", "exit_signal": "int?",
    "exit_signal_name": "str?", "stop_timeout_sec": int, "timeout_start_sec": int, "watchdog_sec": int,
    "health": str, "health_code": int, "health_check": bool, "health_interval_sec": int,
    "health_failures": int, "health_action": str, "log_bytes": int, "log_lines": int,
    "log_dropped_lines": int,
}
STATUS_FIELDS = {
    "command": str, "working_directory": "str?", "after": list, "requires": list, "before": list,
    "required_by": list, "last_error": "str?", "restart_throttle": "str?", "status_text": "str?",
    "health_cmd": "str?",
}
SYSTEM_FIELDS = {
    "health": str, "health_code": int, "uptime_sec": int, "boot_time": str, "boot_time_epoch": int,
    "services": int, "enabled": int, "active": int, "processes": int, "rss_kb": int, "open_fds": int,
    "control_clients": int, "requests": int, "notify_accepted": int, "notify_rejected": int,
    "health_checks": int, "next_event_seq": int, "restarts": int,
}
CHECK_FIELDS = {"time": str, "time_epoch_ms": int, "duration_ms": int, "exit_code": int,
                "timed_out": bool, "passed": bool, "output": str}
PROC_FIELDS = {
    "pid": int, "ppid": int, "state": str, "state_code": str, "name": str, "cpu_percent": "num",
    "rss_kb": int, "start_time": "str?", "start_time_epoch": "int?", "command": str, "managed": bool,
    "service": "str?", "adhoc": bool, "kernel_thread": bool,
}
EVENT_FIELDS = {"seq": int, "time": str, "time_epoch_ms": int, "kind": str, "service": "str?",
                "from": "str?", "to": "str?", "code": "int?", "missed": "int?"}


def check_service(s, status=False):
    w = f"service {s.get('name')}"
    typed(s, SVC_FIELDS, w)
    if status:
        typed(s, STATUS_FIELDS, w)
    need(s["state_code"] < len(STATES), f"{w}: state_code {s['state_code']}")
    want = STATES[s["state_code"]]
    if want == "stopped" and not s["enabled"]:
        want = "disabled"
    need(s["state"] == want, f"{w}: state {s['state']!r} but state_code {s['state_code']} ({want})")
    need(s["health"] == HEALTH[s["health_code"]], f"{w}: health {s['health']} / code {s['health_code']}")
    need(s["active"] in ("active", "activating", "deactivating", "failed", "inactive"), f"{w}: active")
    need(s["type"] in ("simple", "notify", "oneshot"), f"{w}: type")
    if s["state"] == "running":
        need(is_int(s["pid"]) and s["pid"] > 1, f"{w}: running without a pid")
    elif s["state"] not in ("starting", "stopping"):
        need(s["pid"] is None, f"{w}: pid {s['pid']} in state {s['state']}")
    st = time_pair(s, "start_time", w)
    if st is not None:
        need(st <= datetime.now(timezone.utc).timestamp() + 1, f"{w}: start_time in the future")
    need(s["health_check"] == (s["health"] != "none"), f"{w}: health_check {s['health_check']} / {s['health']}")
    for k in ("after", "requires", "before", "required_by"):
        if k in s:
            need(all(isinstance(x, str) for x in s[k]), f"{w}: {k} not names")


def by_name(services):
    return {s["name"]: s for s in services}


# -- subcommands ----------------------------------------------------------


def list_(json_path, text_path, text_after_path):
    """list --json against `list` taken before and after it, and against
    what the configuration says each service is."""
    d = doc(json_path)
    need(list(d) == ["services"], f"list: keys {list(d)}")
    for s in d["services"]:
        check_service(s)
    j = by_name(d["services"])
    need(sorted(j) == ["bad", "crasher", "good", "off", "setup"], f"list: names {sorted(j)}")

    def rows(path):
        r = {}
        for line in text_lines(path)[2:]:
            f = line.split()
            r[f[0]] = f
        return r
    before, after = rows(text_path), rows(text_after_path)
    for n, s in j.items():
        b, a = before[n], after[n]
        need(b[1] == ("enabled" if s["enabled"] else "disabled"), f"{n}: ENABLED {b[1]} vs {s['enabled']}")
        need(b[3] == s["restart"], f"{n}: RESTART {b[3]} vs {s['restart']}")
        need(int(b[4]) <= s["restarts"] <= int(a[4]), f"{n}: RESTARTS {b[4]}..{a[4]} vs {s['restarts']}")
        if n != "crasher":  # the crash loop moves between the calls
            need(b[2] == s["active"] == a[2], f"{n}: ACTIVE {b[2]} vs {s['active']}")
    g, bad, setup, off, cr = j["good"], j["bad"], j["setup"], j["off"], j["crasher"]
    need(g["state"] == "running" and g["ready"] and g["health"] == "healthy" and g["health_failures"] == 0
         and is_int(g["pid"]) and g["health_check"] and g["health_interval_sec"] == 1
         and g["timeout_start_sec"] == 90 and g["restarts"] == 0, f"good: {g}")
    need(bad["state"] == "running" and bad["ready"] and bad["health"] == "unhealthy"
         and bad["health_failures"] >= 2, f"bad: {bad}")
    need(setup["state"] == "exited" and setup["active"] == "active" and setup["ready"]
         and setup["type"] == "oneshot" and setup["pid"] is None and setup["exit_code"] == 0, f"setup: {setup}")
    need(off["state"] == "disabled" and not off["enabled"] and off["active"] == "inactive"
         and off["pid"] is None and off["start_time"] is None and off["log_bytes"] == 0, f"off: {off}")
    need(cr["restart"] == "always" and cr["restart_sec"] == 1 and cr["restarts"] >= 2
         and cr["exit_code"] == 3 and cr["exit_signal"] is None and cr["exit_signal_name"] is None
         and cr["log_lines"] > 0, f"crasher: {cr}")
    for n in ("good", "bad"):
        print(n, j[n]["pid"])


def grows(first, second, name, field):
    """`field` of service `name` grew from one list --json to the next."""
    a, b = by_name(doc(first)["services"])[name][field], by_name(doc(second)["services"])[name][field]
    need(b > a, f"{name}'s {field} did not grow: {a} then {b}")


def status(json_path, text_path, rc_json, rc_text):
    """status NAME --json against `status NAME` and its exit status."""
    s = doc(json_path)
    check_service(s, status=True)
    t = {}
    for line in text_lines(text_path)[1:]:
        k, _, v = line.strip().partition(": ")
        t[k] = v
    n = s["name"]
    need(text_lines(text_path)[0] == f"Service: {n}", f"{n}: first line")
    # Each call's exit status against what it printed (the crash loop may
    # be running for one and waiting for the other).
    need(rc_json == ("0" if s["active"] == "active" else "3"), f"{n}: exit status {rc_json} when {s['active']}")
    need(rc_text == ("0" if t["Status"].startswith("active ") else "3"), f"{n}: exit status {rc_text}, {t['Status']}")
    if n != "crasher":
        need(t["Status"].split(" ")[0] == s["active"], f"{n}: Status {t['Status']!r} vs {s['active']}")
    need(t["Enabled"] == ("yes" if s["enabled"] else "no"), f"{n}: Enabled")
    need(t["Command"] == s["command"], f"{n}: Command {t['Command']!r} vs {s['command']!r}")
    need(t["Restart Policy"] == s["restart"], f"{n}: Restart Policy")
    need(t["Restart Delay"] == f"{s['restart_sec']}s", f"{n}: Restart Delay")
    need(t.get("Health Check") == s["health_cmd"], f"{n}: Health Check {t.get('Health Check')!r}")
    need(("Type" in t) == (s["type"] != "simple") and t.get("Type", s["type"]) == s["type"], f"{n}: Type")
    if n != "crasher":
        need(t["State"] == s["state"], f"{n}: State {t['State']!r} vs {s['state']!r}")
        need(t.get("PID") == (None if s["pid"] is None else str(s["pid"])), f"{n}: PID {t.get('PID')}")
        need(t["Restart Count"] == str(s["restarts"]), f"{n}: Restart Count")
        need(t.get("Last Exit Code") == (None if s["exit_code"] is None else str(s["exit_code"])),
             f"{n}: Last Exit Code {t.get('Last Exit Code')!r} vs {s['exit_code']}")
        if s["health"] != "none":
            need(t["Health"].split(" ")[0] == s["health"], f"{n}: Health {t['Health']!r}")


def logs(json_path, text_path, name):
    """logs NAME --json against `logs NAME`: the same lines, times parsed."""
    d = doc(json_path)
    need(list(d) == ["service", "lines"] and d["service"] == name, f"logs: {list(d)} {d.get('service')}")
    text = text_lines(text_path)
    need(len(text) == len(d["lines"]) > 0, f"logs: {len(text)} text lines, {len(d['lines'])} in JSON")
    for t, line in zip(text, d["lines"]):
        typed(line, {"time": "str?", "time_epoch": "int?", "text": str}, "log line")
        e = time_pair(line, "time", "log line")
        stamp = datetime.fromtimestamp(e, timezone.utc).strftime("[%Y-%m-%d %H:%M:%S] ")
        need(t == stamp + line["text"], f"logs: {t!r} vs {line}")
    need(any(line["text"] == f"{name}: serving" or line["text"] == f"{name}: done" for line in d["lines"]),
         f"logs: the service's own line missing: {d['lines']}")


def ps(list_path, text_path, status_path, status_text_path, pid, service):
    """ps list --json and ps status PID --json against the text, and the
    service's process in both."""
    d = doc(list_path)
    need(list(d) == ["processes"], f"ps list: keys {list(d)}")
    procs = {}
    for p in d["processes"]:
        typed(p, PROC_FIELDS, f"process {p.get('pid')}")
        time_pair(p, "start_time", f"process {p['pid']}")
        need((p["service"] is not None) == p["managed"], f"process {p['pid']}: managed / service")
        procs[p["pid"]] = p
    need(procs[1]["ppid"] == 0 and procs[1]["name"] == "init" and not procs[1]["managed"], f"pid 1: {procs.get(1)}")
    text_pids = {int(line.split()[0]) for line in text_lines(text_path)[2:]}
    pid = int(pid)
    for p in (1, pid):
        need(p in text_pids and p in procs, f"pid {p}: not in both listings")
    need(procs[pid]["managed"] and procs[pid]["service"] == service and procs[pid]["ppid"] == 1,
         f"{service}'s process: {procs[pid]}")
    s = doc(status_path)
    typed(s, PROC_FIELDS, "ps status")
    need(s["pid"] == pid and s["service"] == service and s["state"] == procs[pid]["state"], f"ps status: {s}")
    t = dict(line.strip().partition(": ")[::2] for line in text_lines(status_text_path)[1:])
    need(text_lines(status_text_path)[0] == f"Process: {pid}", "ps status: first line")
    need(any(v == s["command"] for v in t.values()), f"ps status: command {s['command']!r} not in {t}")
    print(s["command"])


def system(json_path, text_path, list_path, now):
    """system-status --json against the text, the clock and list --json."""
    s = doc(json_path)
    typed(s, SYSTEM_FIELDS, "system")
    typed(s, {"service_dir": str, "log_dir": str}, "system")
    need(SYS_HEALTH.get(s["health"]) == s["health_code"], f"system: health {s['health']} code {s['health_code']}")
    boot = time_pair(s, "boot_time", "system")
    # The same instant, one second either way: uptime and the wall clock are
    # read at different moments and rounded down.
    need(abs(boot + s["uptime_sec"] - int(now)) <= 2, f"system: boot {boot} + uptime {s['uptime_sec']} vs now {now}")
    svcs = doc(list_path)["services"]
    need(s["services"] == len(svcs) == 5, f"system: services {s['services']}")
    need(s["enabled"] == sum(x["enabled"] for x in svcs), f"system: enabled {s['enabled']}")
    active = sum(x["active"] == "active" for x in svcs if x["name"] != "crasher")
    need(active <= s["active"] <= active + 1, f"system: active {s['active']}, list says {active} (+ crasher)")
    need(s["processes"] >= 3 and s["rss_kb"] > 0 and s["open_fds"] > 3 and s["control_clients"] >= 1
         and s["requests"] > 0 and s["health_checks"] > 0 and s["next_event_seq"] > 1, f"system: {s}")
    t = dict(line.strip().partition(": ")[::2] for line in text_lines(text_path)[1:])
    tn, _, ta = t["Services"].rpartition(", ")
    need(tn == f"{s['services']} total, {s['enabled']} enabled", f"system: text {t['Services']!r}")
    need(ta in (f"{active} active", f"{active + 1} active"), f"system: text {t['Services']!r}, list says {active}")
    need(t["Service Directory"] == s["service_dir"] and t["Log Directory"] == s["log_dir"], "system: dirs")


def ping(path):
    need(doc(path) == {"ok": True, "message": "Pong - init system is responsive"}, "ping --json")


def health(path, want, service, rc):
    """health [NAME] --json: the verdict, every service, their checks."""
    d = doc(path)
    typed(d, {"health": str, "health_code": int, "service": "str?", "system": dict, "services": list,
              "healthy": bool}, "health")
    typed(d["system"], SYSTEM_FIELDS, "health's system")
    need(d["health"] == d["system"]["health"] == want and SYS_HEALTH[want] == d["health_code"],
         f"health: {d['health']} / {d['system']['health']}, want {want}")
    service = service or None
    need(d["service"] == service, f"health: service {d['service']}")
    names = [s["name"] for s in d["services"]]
    need(names == ([service] if service else ["bad", "crasher", "good", "off", "setup"]), f"health: {names}")
    for s in d["services"]:
        check_service(s)
        typed(s, {"healthy": bool, "checks": list}, s["name"])
        need(s["health_check"] or not s["checks"], f"{s['name']}: checks without a HealthCmd")
        last = None
        for c in s["checks"]:
            typed(c, CHECK_FIELDS, f"{s['name']}'s check")
            t = time_pair(c, "time", f"{s['name']}'s check", ms=True)
            need(last is None or t <= last, f"{s['name']}: checks not newest first")
            last = t
            need(c["passed"] == (c["exit_code"] == 0 and not c["timed_out"]), f"{s['name']}: check {c}")
        if s["name"] == "good":
            need(s["healthy"] and s["checks"] and all(c["passed"] and c["output"] == "all fine" for c in s["checks"]),
                 f"good: {s}")
        if s["name"] == "bad" and s["health"] == "unhealthy":
            need(not s["healthy"] and s["checks"][0]["exit_code"] == 7 and s["checks"][0]["output"] == "broken"
                 and not s["checks"][0]["passed"], f"bad: {s}")
        if s["name"] == "setup":
            need(s["healthy"], "setup: an exited oneshot kept active is healthy")
        if s["name"] == "off":
            need(not s["healthy"], "off: a disabled service is not healthy")
    verdict = d["healthy"]
    need(verdict == ((d["health"] == "healthy") if not service else d["services"][0]["healthy"]),
         f"health: healthy {verdict}")
    need(rc == ("0" if verdict else "1"), f"health: exit status {rc} with healthy {verdict}")


def metrics(prom_path, before_path, after_path, system_path):
    """metrics parsed by prometheus_client, against list --json taken just
    before and after it (equal where nothing moves, between them where
    something does)."""
    from prometheus_client.parser import text_string_to_metric_families
    with open(prom_path, encoding="utf-8") as f:
        text = f.read()
    m = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            m[(s.name, tuple(sorted(s.labels.items())))] = s.value

    def v(name, **labels):
        return m.get(("enclave_init_" + name, tuple(sorted(labels.items()))))
    before, after = by_name(doc(before_path)["services"]), by_name(doc(after_path)["services"])
    sysd = doc(system_path)
    need(v("services") == 5, f"services {v('services')}")
    need(v("enclave_health") == sysd["health_code"], f"enclave_health {v('enclave_health')} vs {sysd['health']}")
    # Both are the wall clock less the uptime, each rounded down when read.
    need(abs(v("boot_time_seconds") - sysd["boot_time_epoch"]) <= 1, "boot_time_seconds")
    need(v("events_total") is not None and v("events_total") >= sysd["next_event_seq"] - 1, "events_total")
    need(v("restarts_total") >= sysd["restarts"], "restarts_total")
    for n, b in before.items():
        a = after[n]

        def between(metric, field):
            x = v(metric, service=n)
            need(x is not None and b[field] <= x <= a[field], f"{n}: {metric} {x}, JSON {b[field]}..{a[field]}")
        between("service_restarts_total", "restarts")
        between("service_log_bytes_total", "log_bytes")
        between("service_log_lines_total", "log_lines")
        between("service_log_dropped_lines_total", "log_dropped_lines")
        between("service_health_failures", "health_failures")
        need(v("service_enabled", service=n) == int(b["enabled"]), f"{n}: enabled")
        if n == "crasher":
            continue
        need(v("service_up", service=n) == int(b["active"] == "active"), f"{n}: up")
        need(v("service_ready", service=n) == int(b["ready"]), f"{n}: ready")
        need(v("service_health", service=n) == b["health_code"], f"{n}: health")
        need(v("service_last_exit_code", service=n) == b["exit_code"], f"{n}: last_exit_code")
        need(v("service_start_time_seconds", service=n) == b["start_time_epoch"], f"{n}: start_time")
        for code, word in enumerate(STATES):
            need(v("service_state", service=n, state=word) == int(code == b["state_code"]),
                 f"{n}: state {word} {v('service_state', service=n, state=word)}, state_code {b['state_code']}")
    print(v("service_log_bytes_total", service="crasher"))


def events(path, since="1", first_state=None):
    """events output: every field of every event, seqs in order without a
    gap from `since`, each service's state events a chain (each `from` the
    `to` before). Prints the last state of each service."""
    seqs, last_state, last_sys = [], {}, None
    for line in text_lines(path):
        e = strict(line)
        typed(e, EVENT_FIELDS, f"event {line}")
        need(list(e) == list(EVENT_FIELDS), f"event fields out of order: {list(e)}")
        need(e["kind"] in KINDS, f"event kind {e['kind']}")
        time_pair(e, "time", f"event {e['seq']}", ms=True)
        seqs.append(e["seq"])
        if e["kind"] == "state":
            need(e["from"] in STATES + ["disabled"] and e["to"] in STATES + ["disabled"], f"event {line}")
            prev = last_state.get(e["service"])
            need(prev is None or prev == e["from"], f"event {e['seq']}: {e['service']} from {e['from']}, was {prev}")
            last_state[e["service"]] = e["to"]
        if e["kind"] == "system":
            need(e["service"] is None and e["to"] in SYS_HEALTH, f"event {line}")
            need(last_sys is None or last_sys == e["from"], f"event {e['seq']}: system from {e['from']}, was {last_sys}")
            last_sys = e["to"]
        if e["kind"] in ("exit", "restart"):
            need(is_int(e["code"]) and e["from"] is None, f"event {line}")
    need(seqs, "no events")
    need(seqs[0] == int(since) and seqs == list(range(seqs[0], seqs[0] + len(seqs))),
         f"seqs from {seqs[0]}, want {since}, in order without gaps: {seqs[:20]}...")
    for n, s in sorted(last_state.items()):
        print(n, s.replace(" ", "_"))
    print("system", last_sys)


def ordered(path, *wants):
    """Events of `path` include, in this order, events matching each
    KIND:SERVICE[:FROM>TO] of `wants` (others may come between)."""
    evs = [strict(line) for line in text_lines(path)]
    i = 0
    for w in wants:
        kind, svc, *ft = w.split(":")
        while i < len(evs):
            e = evs[i]
            i += 1
            if e["kind"] == kind and (e["service"] or "") == svc and (
                    not ft or f"{e['from']}>{e['to']}" == ft[0]):
                break
        else:
            raise Bad(f"no {w} (in order {' '.join(wants)}) in {len(evs)} events")


if __name__ == "__main__":
    try:
        {"list": list_}.get(sys.argv[1], globals().get(sys.argv[1]))(*sys.argv[2:])
    except Bad as e:
        print(f"check {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
