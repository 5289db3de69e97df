#!/usr/bin/env python3
"""initctl's formats read by other people's parsers: the JSON that
dump_formats wrote (Python's json module, strictly: no NaN, no duplicate
keys, valid UTF-8), and its metrics (prometheus_client's parser and
`promtool check metrics`, each when installed: a missing one is a
skipped test, said so). Usage: check_formats.py DIR. Prints PASS/FAIL lines."""
import json
import os
import shutil
import subprocess
import sys

D = sys.argv[1]
failed = False


def report(name, why=None):
    global failed
    if why is None:
        print(f"PASS unit: formats: {name}")
    else:
        failed = True
        print(f"FAIL unit: formats: {name}: {why}")


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate keys in {keys}")
    return dict(pairs)


def strict(text):
    def bad_constant(c):
        raise ValueError(f"not JSON: {c}")
    return json.loads(text, object_pairs_hook=no_dups, parse_constant=bad_constant)


def read(name):
    with open(os.path.join(D, name), "rb") as f:
        raw = f.read()
    return raw.decode("utf-8")  # strict: a byte that is not UTF-8 fails here


def check(name, fn):
    try:
        fn()
        report(name)
    except Exception as e:  # noqa: BLE001 - any failure is the test's
        report(name, f"{type(e).__name__}: {e}")


def doc(name):
    text = read(name)
    assert text.endswith("\n") and text.count("\n") == 1, "one document, one line"
    return strict(text)


def svc_keys(s):
    for k in ("name", "enabled", "active", "state", "state_code", "type", "ready", "pid", "health",
              "restarts", "exit_code", "log_bytes", "log_lines", "log_dropped_lines", "start_time",
              "start_time_epoch"):
        assert k in s, f"{k} missing"
    assert isinstance(s["enabled"], bool) and isinstance(s["state_code"], int)
    assert s["health"] in ("none", "starting", "healthy", "unhealthy")


def t_list():
    d = doc("list.json")
    assert len(d["services"]) == 16
    for s in d["services"]:
        svc_keys(s)
    assert d["services"][3]["log_lines"] == 2**64 - 1 - 3, "u64 kept whole"
    assert d["services"][2]["exit_signal_name"] == "SIGKILL"
    assert d["services"][0]["start_time"] is None
    assert d["services"][1]["start_time"] == "2026-12-05T22:40:01Z"


def t_status():
    s = doc("status.json")
    svc_keys(s)
    assert s["command"] == '/bin/sh -c "echo \\"hi\\"\tthere"'
    assert s["after"] == ["a", "b", "c"] and s["requires"] == []
    assert s["last_error"] == "exec: No such file \x01 or \ufffd directory"
    assert s["status_text"] == "caf\u00e9 \u20ac \ufffd\ufffd\ufffd"


def t_system():
    s = doc("system.json")
    assert s["health"] == "degraded" and s["uptime_sec"] == 259200 and s["rss_kb"] == 560
    assert s["boot_time"] == "2026-12-05T22:40:00Z" and s["boot_time_epoch"] == 1796510400


def t_events():
    lines = read("events.jsonl").splitlines()
    kinds = []
    for ln in lines:
        e = strict(ln)
        assert set(e) == {"seq", "time", "time_epoch_ms", "kind", "service", "from", "to", "code", "missed"}
        kinds.append(e["kind"])
    assert kinds == ["unknown", "state", "ready", "health", "restart", "watchdog", "system", "missed",
                     "exit", "unknown"], kinds
    e = strict(lines[7])
    assert e["missed"] == 70 and e["service"] is None
    assert strict(lines[1])["time"] == "2026-12-05T22:40:00.001Z"


def t_logs():
    d = doc("logs.json")
    texts = [ln["text"] for ln in d["lines"]]
    assert texts == ['hello "world"', "tab\there \u00e9 \ufffd\ufffd \x1b[31mred\x1b[0m", "no prefix line",
                     "nul \x00 inside"], texts
    assert d["lines"][2]["time"] is None and d["lines"][1]["time_epoch"] == 1796510401
    follow = [strict(ln) for ln in read("logs-follow.jsonl").splitlines()]
    assert follow == d["lines"]


def t_check_ps():
    h = doc("check.json")
    assert h["timed_out"] is True and h["output"] == "timed out \u2028 \x7f" and h["duration_ms"] == 5000
    p = doc("ps.json")
    assert p["cpu_percent"] == 123.45 and p["state"] == "Disk sleep" and p["name"] == "x\ny"
    assert p["command"] == "/bin/x \ufffd"


def t_attest():
    d = doc("attest.json")
    assert d["module_id"] == 'i-"quoted"\ufffd-enc' and d["digest"] == "SHA384"
    assert d["time"] == "2026-12-05T22:58:37.180Z" and d["time_epoch_ms"] == 1796511517180
    assert list(d["pcrs"]) == [str(i) for i in range(32)], "every PCR, in numeric order"
    assert d["pcrs"]["0"] == "ab" + "00" * 62 + "01" and d["pcrs"]["1"] == "ab" + "00" * 47
    assert d["nonce"] == "" and d["user_data"] is None and d["public_key"] == "010203"
    assert d["cabundle_certificates"] == 4 and d["document_bytes"] == 4467 and d["tagged"] is False


def families():
    from prometheus_client.parser import text_string_to_metric_families
    return {f.name: f for f in text_string_to_metric_families(read("metrics.prom"))}


def t_prometheus_client():
    fams = families()
    up = fams["enclave_init_service_up"]
    assert up.type == "gauge" and len(up.samples) == 16
    r = fams["enclave_init_service_restarts"]  # the parser drops _total from a counter's family name
    assert r.type == "counter"
    assert {s.labels["service"] for s in r.samples} == {f"svc-{k}.x@y_{k}" for k in range(16)}
    st = fams["enclave_init_service_state"]
    assert len(st.samples) == 16 * 8 and sum(s.value for s in st.samples) == 16
    rss = fams["enclave_init_resident_memory_bytes"].samples[0].value
    assert rss == 560 * 1024


def promtool(name):
    out = subprocess.run(["promtool", "check", "metrics"], input=read(name).encode(), capture_output=True)
    assert out.returncode == 0 and not out.stdout.strip() and not out.stderr.strip(), \
        (out.returncode, out.stdout.decode(), out.stderr.decode())


for name, fn in (("list json", t_list), ("status json", t_status), ("system json", t_system),
                 ("events json lines", t_events), ("logs json", t_logs), ("check and ps json", t_check_ps),
                 ("attest json", t_attest)):
    check(name, fn)
try:
    import prometheus_client  # noqa: F401
    check("metrics parsed by prometheus_client", t_prometheus_client)
except ImportError:
    print("PASS unit: formats: metrics parsed by prometheus_client (skipped: python3-prometheus-client "
          "is not installed)")
if shutil.which("promtool"):
    check("promtool check metrics", lambda: promtool("metrics.prom"))
    check("promtool check metrics, no services", lambda: promtool("metrics-empty.prom"))
else:
    print("PASS unit: formats: promtool check metrics (skipped: promtool, Debian's prometheus, "
          "is not installed)")
sys.exit(0)
