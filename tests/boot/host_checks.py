"""tests/boot/host_checks.py BOOT FILE: the host's checks of what the guest
read over VSOCK (tests/boot/guest.sh: health --json, events --since 1
--no-follow, metrics), as a parent instance would read them.

FILE is what the guest wrote to its second serial port (/dev/ttyS1), each
document framed by "@@BEGIN NAME" and "@@END NAME" lines. Prints
tests/boot/run.sh's lines: "PASS boot: BOOT: CHECK", "FAIL boot: BOOT: CHECK:
why" (an excerpt indented below), "INFO boot: BOOT: ...".
"""
import json
import re
import shutil
import subprocess
import sys

BOOT, FILE = sys.argv[1], sys.argv[2]
# every enabled service of tests/boot/config and the app
SERVICES = ["checked", "hello", "notifier", "setup", "consumer", "web", "chatty", "stubborn", "ticker", "guest"]
EVENT_KEYS = {"seq", "time", "time_epoch_ms", "kind", "service", "from", "to", "code", "missed"}
KINDS = {"state", "ready", "health", "exit", "restart", "watchdog", "system", "missed"}


class Bad(Exception):
    def __init__(self, why, excerpt=""):
        super().__init__(why)
        self.excerpt = excerpt


def sections(path):
    """NAME -> text between its @@BEGIN and @@END lines (the serial line's \\r
    removed); a section without its end is left out."""
    out, name, lines = {}, None, []
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace").replace("\r", "")
    for line in text.split("\n"):
        if line.startswith("@@BEGIN "):
            name, lines = line[8:], []
        elif name and line == "@@END " + name:
            out[name] = "\n".join(lines) + "\n"
            name = None
        elif name:
            lines.append(line)
    return out


def check_health(doc):
    lines = doc.strip().split("\n")
    if len(lines) != 1:
        raise Bad(f"{len(lines)} lines, want one JSON document on one line")
    h = json.loads(lines[0])
    if (h.get("health"), h.get("health_code"), h.get("healthy")) != ("healthy", 2, True):
        raise Bad(f"health {h.get('health')!r}, code {h.get('health_code')!r}, healthy {h.get('healthy')!r}")
    if not isinstance(h.get("system"), dict) or h["system"].get("health") != "healthy":
        raise Bad("no system object, or its health is not healthy", lines[0][:300])
    svc = {s["name"]: s for s in h.get("services", [])}
    missing = [n for n in SERVICES if n not in svc]
    if missing:
        raise Bad(f"services missing: {', '.join(missing)}", ", ".join(svc))
    want = {
        "notifier": {"type": "notify", "state": "running", "ready": True},
        "setup": {"type": "oneshot", "state": "exited", "ready": True},
        "consumer": {"state": "running", "ready": True},
        "checked": {"health": "healthy", "health_check": True, "ready": True},
    }
    for name, fields in want.items():
        for k, v in fields.items():
            if svc[name].get(k) != v:
                raise Bad(f"{name}: {k} is {svc[name].get(k)!r}, want {v!r}")
    checks = svc["checked"].get("checks") or [{}]
    if not (checks[0].get("passed") is True and checks[0].get("exit_code") == 0 and checks[0].get("output") == "checked: ok"):
        raise Bad("checked: the newest check did not pass with output 'checked: ok'", json.dumps(checks[0]))
    return f"{len(svc)} services, enclave {h['health']}, {h['system']['notify_accepted']} sd_notify datagram(s) accepted"


def check_events(doc):
    evs = []
    for i, line in enumerate(doc.strip().split("\n"), 1):
        e = json.loads(line)
        if set(e) != EVENT_KEYS:
            raise Bad(f"event {i}: keys {sorted(e)}", line)
        if e["seq"] != i:
            raise Bad(f"line {i} has seq {e['seq']}: seqs are not 1, 2, 3, ...", line)
        if e["kind"] not in KINDS:
            raise Bad(f"event {i}: kind {e['kind']!r}", line)
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]):
            raise Bad(f"event {i}: time {e['time']!r} is not RFC 3339 with milliseconds", line)
        evs.append(e)
    # each service's state events chain: from is the previous to
    last = {}
    for e in evs:
        if e["kind"] != "state":
            continue
        prev = last.get(e["service"], "stopped")
        if e["from"] != prev:
            raise Bad(f"seq {e['seq']}: {e['service']} went from {e['from']!r}, but its last state was {prev!r}")
        last[e["service"]] = e["to"]
    missing = [n for n in SERVICES if n not in last]
    if missing:
        raise Bad(f"no state events for: {', '.join(missing)}")

    def seq(kind, service, to=None):
        for e in evs:
            if e["kind"] == kind and e["service"] == service and (to is None or e["to"] == to):
                return e["seq"]
        raise Bad(f"no {kind} event for {service}" + (f" to {to}" if to else ""))

    start = seq("state", "consumer", "starting")
    if not seq("ready", "notifier") < start or not seq("state", "setup", "exited") < start:
        raise Bad("consumer started before notifier was ready or before setup exited")
    system = [e for e in evs if e["kind"] == "system"]
    if not system or system[0]["from"] != "unknown" or "healthy" not in [e["to"] for e in system]:
        raise Bad("the system events do not start from 'unknown' and reach 'healthy'",
                  "\n".join(json.dumps(e) for e in system))
    return f"{len(evs)} events, {len(last)} services' state chains consistent"


SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def check_metrics(doc):
    out = []
    if shutil.which("promtool"):
        p = subprocess.run(["promtool", "check", "metrics"], input=doc.encode(), capture_output=True)
        said = (p.stdout + p.stderr).decode().strip()
        if p.returncode != 0 or said:
            raise Bad(f"promtool check metrics: exit {p.returncode}", said)
        out.append("promtool check metrics: clean")
    else:
        out.append("promtool not installed: parsed here only")
    typed, samples = {}, {}
    for n, line in enumerate(doc.strip().split("\n"), 1):
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            typed[name] = kind
        elif line.startswith("# HELP ") or not line:
            continue
        else:
            m = SAMPLE.fullmatch(line)
            if not m:
                raise Bad(f"line {n} is not a sample", line)
            name, labels, value = m.group(1), m.group(2) or "", m.group(3)
            if name not in typed:
                raise Bad(f"line {n}: {name} has no # TYPE before it", line)
            float(value)
            lab = dict(LABEL.findall(labels))
            samples[(name, tuple(sorted(lab.items())))] = float(value)

    def get(name, **lab):
        return samples.get((name, tuple(sorted(lab.items()))))

    if get("enclave_init_enclave_health") != 2:
        raise Bad(f"enclave_init_enclave_health is {get('enclave_init_enclave_health')}, want 2 (healthy)")
    for s in SERVICES:
        if get("enclave_init_service_ready", service=s) != 1:
            raise Bad(f"enclave_init_service_ready{{service=\"{s}\"}} is {get('enclave_init_service_ready', service=s)}")
        states = [v for (name, lab), v in samples.items() if name == "enclave_init_service_state" and ("service", s) in lab]
        if len(states) != 8 or sum(states) != 1:
            raise Bad(f"enclave_init_service_state for {s}: {len(states)} samples summing to {sum(states)}, want 8 and 1")
    if get("enclave_init_service_health", service="checked") != 2:
        raise Bad("enclave_init_service_health{service=\"checked\"} is not 2 (healthy)")
    if not get("enclave_init_notify_accepted_total") or not get("enclave_init_health_checks_total"):
        raise Bad("no sd_notify datagram accepted or no health check counted")
    try:
        from prometheus_client.parser import text_string_to_metric_families
        out.append(f"prometheus_client: {len(list(text_string_to_metric_families(doc)))} families")
    except ImportError:
        pass
    return f"{len(samples)} samples of {len(typed)} metrics; " + "; ".join(out)


def main():
    try:
        docs = sections(FILE)
    except OSError as e:
        docs = {}
        print(f"INFO boot: {BOOT}: cannot read {FILE}: {e}")
    for check, name, fn in (("host-health-json", "health-json", check_health), ("host-events", "events", check_events),
                            ("host-metrics", "metrics", check_metrics)):
        if name not in docs:
            print(f"FAIL boot: {BOOT}: {check}: the guest sent no complete '{name}' document on /dev/ttyS1")
            continue
        try:
            said = fn(docs[name])
        except (Bad, ValueError, KeyError, TypeError, AttributeError) as e:
            print(f"FAIL boot: {BOOT}: {check}: {e}")
            excerpt = getattr(e, "excerpt", "") or docs[name][:400]
            for line in excerpt.strip().split("\n")[:12]:
                print("    " + line[:300])
            continue
        print(f"PASS boot: {BOOT}: {check}")
        print(f"INFO boot: {BOOT}: {check}: {said}")


main()
