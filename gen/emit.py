"""Turn a checked configuration into C source, its hash and its YAML echo.

Everything here is a pure function of the configuration: no time, user, host
or absolute path reaches the output, so the same input gives the same bytes.
"""

import hashlib
import json
import os
import re

import jinja2

import cgroup
import privs
import readiness
from initconf import POLICY_GROUPS

TYPE_ENUM = {"simple": "CFG_TYPE_SIMPLE", "notify": "CFG_TYPE_NOTIFY", "oneshot": "CFG_TYPE_ONESHOT"}
HEALTH_ENUM = {None: "CFG_HEALTH_NONE", "none": "CFG_HEALTH_NONE", "restart": "CFG_HEALTH_RESTART"}
RESTART_ENUM = {"no": "CFG_RESTART_NO", "always": "CFG_RESTART_ALWAYS",
                "on-failure": "CFG_RESTART_ON_FAILURE", "on-success": "CFG_RESTART_ON_SUCCESS"}


def c_string(s):
    """A C string literal for s (UTF-8), escaping everything that is not
    printable ASCII with fixed-width octal so no escape can swallow the next
    character, and breaking '??' so no trigraph can form."""
    if s is None:
        return "0"
    out = ['"']
    prev = ""
    for b in s.encode("utf-8"):
        ch = chr(b)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "?" and prev == "?":
            out.append("\\?")
        elif 0x20 <= b < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % b)
        prev = ch
    out.append('"')
    return "".join(out)


def c_comment(text):
    """Text for inside a /* */ comment. Fix (tests/gen): a path such as
    `units*/web.service` (service_dir "units*") ended the comment early and
    the generated C did not compile."""
    return text.replace("*/", "*\\/")


def c_ident(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def canonical(cfg, services):
    """The whole configuration as one canonical JSON text. Paths of the files
    it came from are left out: moving a config tree keeps its hash."""
    doc = {
        "init": {k: v for k, v in cfg.items() if k != "environment"},
        "environment": cfg["environment"],
        "services": [service_doc(s) for s in services],
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def service_doc(s):
    doc = {"name": s.name, "argv": s.argv, "env": s.env, "workdir": s.workdir,
           "restart": s.restart, "restart_sec": s.restart_sec,
           "timeout_stop_sec": s.timeout_stop_sec, "enabled": s.enabled,
           "start_limit": list(s.start_limit),
           "deps": {k: s.deps[k] for k in sorted(s.deps)}, "ready": s.ready}
    if s.privs.is_set():  # only then: the hash of a service without them is unchanged
        doc["privs"] = s.privs.doc()
    if s.limits.is_set():  # the same
        doc["cgroup"] = s.limits.doc()
    return doc


def hash64(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def exec_hash(s):
    """What the running process depends on: a change here means restart.
    Type too (a service told to notify runs differently), and WatchdogSec
    (systemd tells the process its interval in WATCHDOG_USEC, read once);
    each written only when set, so that the hash of a service that sets
    neither is what it was before they existed (a reload into this init
    restarts none of them). So too the privileges (User, Limit*, ...): a
    process keeps those it was started with. Not the health check:
    changing a check must not restart the service it checks."""
    r = s.ready
    extra = [r["type"]] if r["type"] != "simple" else []
    extra += [r["watchdog_sec"]] if r["watchdog_sec"] else []
    extra += [s.privs.doc()] if s.privs.is_set() else []
    return hash64(json.dumps([s.argv, s.env, s.workdir] + extra, separators=(",", ":")))


def notify_used(cfg, services):
    """Whether init needs its sd_notify socket (CFG_NOTIFY)."""
    app = cfg["app"]["enabled"] and cfg["app"]["type"] == "notify"
    return app or any(s.ready["type"] == "notify" for s in services)


def yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_scalar(x) for x in v) + "]"
    # Fix (tests/gen): a JSON string is a YAML string, except that JSON
    # writes a character beyond U+FFFF as a surrogate pair (\ud83d\ude00),
    # which YAML reads as two lone surrogates. So escape every non-ASCII
    # character (and DEL) here: \uXXXX, or \UXXXXXXXX beyond U+FFFF. Any
    # other string comes out as json.dumps(v, ensure_ascii=True) wrote it.
    text = json.dumps(v, ensure_ascii=False)
    return "".join(ch if ord(ch) < 0x7F else
                   ("\\u%04x" % ord(ch) if ord(ch) <= 0xFFFF else "\\U%08x" % ord(ch))
                   for ch in text)


# Words a YAML (1.1) reader takes for a boolean or null when written bare.
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def yaml_key(name):
    """An environment variable name as a YAML key. Fix (tests/gen): names
    are taken as written from init.yaml, so `on:` there is the variable
    "on"; written bare in the echo it read back as the boolean true."""
    return yaml_scalar(name) if name.lower() in YAML_WORDS else name


def yaml_echo(cfg, services, digest):
    """The compiled-in configuration as YAML, for `init --print-config`."""
    out = [f"# enclave-init compiled-in configuration, hash {digest}"]
    for key in ("service_dir", "log_dir"):
        out.append(f"{key}: {yaml_scalar(cfg[key])}")
    out.append("control:")
    for k, v in cfg["control"].items():
        out.append(f"  {k}: {yaml_scalar(v)}")
    for key in ("max_log_size", "max_log_files", "log_ring_size", "max_log_line", "max_log_followers"):
        out.append(f"{key}: {yaml_scalar(cfg[key])}")
    out.append("environment:" + ("" if cfg["environment"] else " {}"))
    for k, v in cfg["environment"]:
        out.append(f"  {yaml_key(k)}: {yaml_scalar(v)}")
    out.append("vsock:")
    for k, v in cfg["vsock"].items():
        out.append(f"  {k}: {yaml_scalar(v)}")
    out.append("kernel_modules: [" + ", ".join(yaml_scalar(m) for m in cfg["kernel_modules"]) + "]")
    for key in ("nsm_driver_path", "pivot_root", "pivot_root_dir", "loopback", "cgroup_v2"):
        out.append(f"{key}: {yaml_scalar(cfg[key])}")
    out.append("entropy:")
    for k, v in cfg["entropy"].items():
        out.append(f"  {k}: {yaml_scalar(v)}")
    out.append("clock:")
    for k in ("source", "interval_sec", "max_rtt_ms", "max_step_ms", "max_backward_ms", "slew_below_ms"):
        out.append(f"  {k}: {yaml_scalar(cfg['clock'][k])}")
    out.append("app:")
    for k, v in cfg["app"].items():
        out.append(f"  {k}: {yaml_scalar(v)}")
    out.append(f"max_log_streams: {yaml_scalar(cfg['max_log_streams'])}")
    out.append(f"max_adhoc: {yaml_scalar(cfg['max_adhoc'])}")
    out.append(f"notify_socket: {yaml_scalar(cfg['notify_socket'])}")
    out.append("services:" + ("" if services else " []"))
    for s in services:
        out.append(f"  - name: {yaml_scalar(s.name)}")
        out.append(f"    source: {yaml_scalar(s.source)}")
        out.append(f"    enabled: {yaml_scalar(s.enabled)}")
        out.append(f"    ExecStart: {yaml_scalar(s.exec_text)}")
        out.append("    argv: [" + ", ".join(yaml_scalar(a) for a in s.argv) + "]")
        out.append("    environment: [" + ", ".join(yaml_scalar(e) for e in s.env) + "]")
        out.append(f"    Restart: {yaml_scalar(s.restart)}")
        out.append(f"    RestartSec: {s.restart_sec}")
        out.append(f"    TimeoutStopSec: {s.timeout_stop_sec}")
        # Not set (null): never give up. printcfg.c prints the same from
        # the tables, where (0, 0) means not set.
        burst, interval = s.start_limit if s.start_limit != (0, 0) else (None, None)
        out.append(f"    StartLimitBurst: {yaml_scalar(burst)}")
        out.append(f"    StartLimitIntervalSec: {yaml_scalar(interval)}")
        r = s.ready
        out.append(f"    Type: {yaml_scalar(r['type'])}")
        out.append(f"    RemainAfterExit: {yaml_scalar(r['remain_after_exit'])}")
        out.append(f"    TimeoutStartSec: {r['timeout_start_sec']}")
        out.append(f"    WatchdogSec: {r['watchdog_sec']}")
        out.append(f"    WorkingDirectory: {yaml_scalar(s.workdir)}")
        for k in ("After", "Before", "Requires", "RequiredBy"):
            out.append(f"    {k}: [" + ", ".join(yaml_scalar(n) for n in s.deps[k]) + "]")
        # Without HealthCmd the other Health* are null (0 in the tables).
        out.append(f"    HealthCmd: {yaml_scalar(r['health_cmd'])}")
        out.append(f"    health_argv: {yaml_scalar(r['health_argv'])}")
        for field in readiness.HEALTH_FIELDS:  # printcfg.c's order too
            out.append(f"    {readiness.FILE_KEYS[field]}: {yaml_scalar(r[field])}")
        p = s.privs
        out.append(f"    User: {yaml_scalar(p.user)}")
        out.append(f"    Group: {yaml_scalar(p.group)}")
        out.append(f"    SupplementaryGroups: {yaml_scalar(p.supplementary_groups)}")
        umask = privs.UMASK_DEFAULT if p.umask is None else p.umask
        out.append(f"    UMask: {yaml_scalar('%04o' % umask)}")
        out.append(f"    NoNewPrivileges: {yaml_scalar(p.no_new_privileges)}")
        for key in privs.LIMITS:  # printcfg.c's order too
            pair = p.limits.get(key)
            out.append(f"    {key}: {yaml_scalar(privs.limit_text(pair) if pair else None)}")
        g = s.limits
        out.append(f"    MemoryMax: {yaml_scalar(None if g.memory_max is None else cgroup.show(g.memory_max))}")
        out.append(f"    CPUWeight: {yaml_scalar(g.cpu_weight)}")
        out.append(f"    TasksMax: {yaml_scalar(None if g.tasks_max is None else cgroup.show(g.tasks_max))}")
    return "\n".join(out) + "\n"


def render(cfg, services, order_info, sources, version):
    """Returns {filename: text} for the build directory."""
    digest = hash64(canonical(cfg, services))
    index = {s.name: i for i, s in enumerate(services)}
    idents, used = {}, set()
    for s in services:
        ident = c_ident(s.name)
        while ident in used:
            ident += "_"
        used.add(ident)
        idents[s.name] = ident
    # CFG_SVC_<NAME>: each service's index as a name, unique once upper
    # case (web and Web would both be WEB).
    enums, used = {}, set()
    for s in services:
        e = "CFG_SVC_" + c_ident(s.name).upper()
        while e in used:
            e += "_"
        used.add(e)
        enums[s.name] = e
    names = [enums[s.name] for s in services]
    rows = []
    for i, s in enumerate(services):
        pred, succ, req = order_info[s.name]
        rows.append({
            "i": i, "s": s, "id": idents[s.name], "enum": enums[s.name], "comment_name": c_comment(s.name),
            "tag": c_comment(f"{s.source}:{s.line('ExecStart')}"),
            "name": c_string(s.name), "source": c_string(s.source),
            "exec_text": c_string(s.exec_text),
            "argv": [c_string(a) for a in s.argv],
            "env": [c_string(e) for e in s.env],
            "workdir": c_string(s.workdir),
            "texts": {k: c_string(", ".join(s.deps[k])) for k in s.deps},
            "pred": [names[k] for k in sorted(index[n] for n in pred)],
            "succ": [names[k] for k in sorted(index[n] for n in succ)],
            "req": [names[k] for k in sorted(index[n] for n in req)],
            "restart": RESTART_ENUM[s.restart],
            "start_limit": s.start_limit,
            "exec_hash": exec_hash(s),
            "ready": s.ready, "type": TYPE_ENUM[s.ready["type"]],
            "health_action": HEALTH_ENUM[s.ready["health_action"]],
            "health_text": c_string(s.ready["health_cmd"]),
            "health_argv": [c_string(a) for a in s.ready["health_argv"]],
            "privs": privs_row(s.privs),
            "cgroup": cgroup_row(s.limits),
        })
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(__file__), "templates")),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    base_env = {}
    for name, value in list(cfg["environment"]) + [("PATH", "/sbin:/usr/sbin:/bin:/usr/bin")]:
        base_env[name] = value
    ctx = {"cfg": cfg, "rows": rows,
           "base_env": [c_string(f"{k}={v}") for k, v in base_env.items()], "app_restart": RESTART_ENUM.get(cfg["app"]["restart"]),
           "app_type": TYPE_ENUM[cfg["app"]["type"]], "app_health_action": HEALTH_ENUM[cfg["app"]["health_action"]],
           "app_health_argv": [c_string(a) for a in cfg["app"]["health_argv"]],
           "notify": notify_used(cfg, services), "digest": digest, "sources": [c_comment(x) for x in sources],
           "version": version, "c": c_string, "policy_mask": policy_mask, "policy_bits": POLICY_BITS,
           "yaml_lines": [c_string(line + "\n") for line in yaml_head(cfg, services, digest).splitlines()]}
    return digest, {
        "config_gen.h": env.get_template("config_gen.h.j2").render(ctx),
        "config_gen.c": env.get_template("config_gen.c.j2").render(ctx),
        # What `init --print-config` prints: the head above, then the
        # services printed from the tables by src/init/printcfg.c (the build
        # tests compare the two byte for byte).
        "print-config.yaml": yaml_echo(cfg, services, digest),
    }


def privs_row(p):
    """The table entries of User, Group, ..., Limit*: None when the service
    sets none of them (and so gets the defaults of cfg.h's zeros)."""
    if not p.is_set():
        return None
    return {"user": c_string(p.user), "group": c_string(p.group),
            "groups": [c_string(g) for g in p.supplementary_groups],
            "umask": "CFG_UMASK_SET | 0%03o" % p.umask if p.umask is not None else "0",
            "nnp": int(p.no_new_privileges),
            "limits": [(privs.LIMITS[k][0], c_limit(p.limits[k][0]), c_limit(p.limits[k][1]))
                       for k in privs.LIMITS if k in p.limits]}


def cgroup_row(g):
    """MemoryMax, CPUWeight, TasksMax as table entries (0: not set)."""
    def count(n):
        return "0" if n is None else c_limit(n)
    return {"memory_max": count(g.memory_max), "cpu_weight": g.cpu_weight or 0, "tasks_max": count(g.tasks_max)}


def c_limit(n):
    return "CFG_LIMIT_INFINITY" if n == privs.RLIM_INFINITY else f"{n}ull"


# Group k is bit k, in initconf's order; config_gen.c checks each against
# include/proto.h's PROTO_GROUP_* (a _Static_assert per group).
POLICY_BITS = {g: 1 << k for k, g in enumerate(POLICY_GROUPS)}


def policy_mask(groups):
    """A policy list as the bits of include/proto.h's PROTO_GROUP_*."""
    return sum(POLICY_BITS[g] for g in groups)


def yaml_head(cfg, services, digest):
    """The part of the echo before the services, compiled in as text (the
    services are printed from the tables at run time)."""
    text = yaml_echo(cfg, [], digest)
    return text[:text.rindex("services:")]
