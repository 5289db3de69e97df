"""Load and check `init.yaml`.

The YAML is composed into nodes (not loaded into plain values) so that every
key and value keeps its line number for diagnostics. The schema below is the
whole configuration reference of manual 002, plus the few keys this design
adds (marked "extension"); anything else is an unknown key.
"""

import datetime
import re

import yaml
from yaml.constructor import SafeConstructor

import privs
import readiness
from command import EXEC_MAX, check_command
from diag import Fatal, read_input

U32_MAX = 0xFFFFFFFF
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
SUN_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 for the NUL
CLOCK_SOURCE_MAX = 47  # the SYSTEM record's clock_source field (include/proto.h)
CLOCK_MS_MAX = 366 * 86400 * 1000  # a year: more is no bound at all
LOG_DIR_MAX = 192  # leaves room for "/<name>.log.NN" in init's fixed path buffers (src/init/log.c)


class Str:
    def __init__(self, absolute=False, max_len=4095, nullable=False):
        self.absolute, self.max_len, self.nullable = absolute, max_len, nullable


class Bool:
    pass


class Int:
    def __init__(self, lo, hi, unit=""):
        self.lo, self.hi, self.unit = lo, hi, unit


class Env:
    pass


class Ident:
    """A user or group: a name or a numeric id (gen/privs.py)."""
    pass


class Timeout:
    """Seconds, or "infinity" (no limit, 0): TimeoutStartSec."""
    pass


# Groups of control operations a transport may allow (see README, "Control
# policy"): part of the measured image, so the parent of an enclave cannot
# widen them.
POLICY_GROUPS = ("read", "services", "processes", "system")


class Groups:
    """A list of policy group names."""
    pass


class Paths:
    """A list of absolute paths (kernel_modules)."""
    pass


class Section:
    def __init__(self, fields):
        self.fields = fields


# (type, default) per key; the defaults are manual 002's.
SCHEMA = Section({
    "service_dir": (Str(), "/service"),
    "log_dir": (Str(absolute=True, max_len=LOG_DIR_MAX), "/log"),
    "socket_path": (Str(absolute=True, max_len=SUN_PATH_MAX), None),  # 0.4 name
    "control": (Section({
        "unix_socket_enabled": (Bool(), True),
        "unix_socket_path": (Str(absolute=True, max_len=SUN_PATH_MAX), "/run/init.sock"),
        "vsock_enabled": (Bool(), False),
        "vsock_cid": (Int(0, U32_MAX), 3),
        "vsock_port": (Int(0, U32_MAX), 9001),
        "max_clients": (Int(1, 64), 8),  # extension: control client slots
        # extension: what each transport may do (POLICY_GROUPS)
        "unix_allow": (Groups(), list(POLICY_GROUPS)),
        "vsock_allow": (Groups(), ["read", "services"]),
        # extension: VSOCK peers inside this machine (a loopback transport:
        # CID 1, or the enclave's own CID), which may be its own services
        "vsock_local_allow": (Groups(), []),
    }), None),
    "max_log_size": (Int(1, 1 << 40, " bytes"), 10485760),
    "max_log_files": (Int(0, 99), 5),
    # extensions: the fixed log memory of init (see README, "Logging")
    "log_ring_size": (Int(4096, 64 << 20, " bytes"), 131072),
    "max_log_line": (Int(80, 65536, " bytes"), 4096),
    "max_log_followers": (Int(0, 63), None),
    "environment": (Env(), None),
    "vsock": (Section({
        "enabled": (Bool(), True),
        "cid": (Int(0, U32_MAX), 3),
        "port": (Int(0, U32_MAX), 9000),
    }), None),
    # extension: modules loaded in this order before the NSM driver (a
    # kernel whose virtio or vsock transport is modular)
    "kernel_modules": (Paths(), []),
    "nsm_driver_path": (Str(nullable=True), "nsm.ko"),
    "pivot_root": (Bool(), True),
    # extension: the boot's services wait for the random pool (entropy.c)
    "entropy": (Section({
        "wait_sec": (Int(0, 3600), 30),
        "require_hwrng": (Str(nullable=True, max_len=63), None),
        "credit_hwrng_bytes": (Int(0, 512), 0),
    }), None),
    # extension: the wall clock kept near a source's, within bounds (timesync.c)
    "clock": (Section({
        "source": (Str(nullable=True, max_len=CLOCK_SOURCE_MAX), None),
        "interval_sec": (Int(1, 86400), 64),
        "max_rtt_ms": (Int(1, 60000), 100),
        "max_step_ms": (Int(1, CLOCK_MS_MAX), 1000),
        "max_backward_ms": (Int(0, CLOCK_MS_MAX), 0),
        "slew_below_ms": (Int(0, CLOCK_MS_MAX), 500),
    }), None),
    # extension: bring lo up at boot (enclave mode)
    "loopback": (Bool(), True),
    # extension: a cgroup per service (src/init/cgroup.c); null: none, the
    # process group alone. In a VM init mounts cgroup2 there; elsewhere it
    # uses it when it already is a cgroup2 mount.
    "cgroup_v2": (Str(absolute=True, nullable=True, max_len=127), "/sys/fs/cgroup/unified"),
    "pivot_root_dir": (Str(absolute=True), "/rootfs"),
    # extension: the /cmd + /env of an enclave image become a service
    "app": (Section({
        "enabled": (Bool(), True),
        "name": (Str(max_len=63), "app"),
        "restart": (Str(), "no"),
        "restart_sec": (Int(0, 86400), 5),
        "stop_timeout_sec": (Int(1, 3600), 5),
        "poweroff_on_exit": (Bool(), True),
        # Readiness and health checks, as a service file's Type, ... (the
        # defaults that depend on other keys: readiness.resolve)
        "type": (Str(), "simple"),
        "remain_after_exit": (Bool(), False),
        "timeout_start_sec": (Timeout(), None),
        "watchdog_sec": (Int(*readiness.NUMBERS["watchdog_sec"][:2]), 0),
        "health_cmd": (Str(max_len=EXEC_MAX), None),
        **{f: (Int(*readiness.NUMBERS[f][:2]), None) for f in readiness.HEALTH_NUMBERS},
        "health_action": (Str(), None),
        # Least privilege: nitro-cli drops the image's USER and WORKDIR
        # (gen/privs.py; null: root, init's own directory)
        "user": (Ident(), None),
        "group": (Ident(), None),
        "working_directory": (Str(absolute=True), None),
    }), None),
    # extension: log streams over VSOCK at once (initctl logs-stream)
    "max_log_streams": (Int(0, 16), 4),
    # extension: ad-hoc processes (initctl ps start) init keeps track of
    "max_adhoc": (Int(1, 256), 16),
    # extension: the sd_notify socket of Type=notify services (NOTIFY_SOCKET)
    "notify_socket": (Str(absolute=True, max_len=SUN_PATH_MAX), "/run/enclave-init/notify"),
})

_constructor = SafeConstructor()


def _line(node):
    return node.start_mark.line + 1


def _scalar(node):
    """The Python value of a scalar node, as YAML 1.1 (PyYAML) resolves it."""
    return _constructor.construct_object(node, deep=True)


def _type_name(node):
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    v = _scalar(node)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a number"
    # Fix (tests/gen): YAML's dates and !!binary, which read "must be a
    # string, not a string" before.
    if isinstance(v, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(v, bytes):
        return "binary data"
    return "a string"


def check_string(value, spec, where, diag, path, line):
    if "\0" in value:
        diag.error(path, line, f"{where} contains a NUL byte")
    elif value == "":
        diag.error(path, line, f"{where} must not be empty")
    elif len(value.encode()) > spec.max_len:
        diag.error(path, line, f"{where} is longer than {spec.max_len} bytes")
    elif spec.absolute and not value.startswith("/"):
        diag.error(path, line, f"{where} must be an absolute path, not '{value}'")
    else:
        return True
    return False


def _value(node, spec, where, diag, path):
    """Check one value node against its spec; return the value or None."""
    line = _line(node)
    if isinstance(spec, Section):
        if not isinstance(node, yaml.MappingNode):
            diag.error(path, line, f"{where} must be a mapping, not {_type_name(node)}")
            return None
        return _section(node, spec, where + ".", diag, path)
    if isinstance(spec, Env):
        return _environment(node, where, diag, path)
    if isinstance(spec, Groups):
        return _groups(node, where, diag, path)
    if isinstance(spec, Paths):
        return _paths(node, where, diag, path)
    if isinstance(spec, Timeout):
        v = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        secs, err = readiness.timeout_start(v)
        if secs is None:
            diag.error(path, line, f"{where} {err or readiness.TIMEOUT_WANTED + _type_name(node)}")
        return secs
    if not isinstance(node, yaml.ScalarNode):
        diag.error(path, line, f"{where} must be {_expected(spec)}, not {_type_name(node)}")
        return None
    v = _scalar(node)
    if isinstance(spec, Ident):
        if v is None:
            return None
        if isinstance(v, int) and not isinstance(v, bool) and node.value != str(v):
            # YAML 1.1 reads 0700 as 448 and 1:0 as 60: not the id written.
            diag.error(path, line, f"{where} {node.value} reads as the number {v} in YAML; write the id in "
                       f"decimal digits without a leading zero, or quote it (\"{node.value}\")")
            return None
        text, err = privs.ident(v, where)
        if err is not None:
            diag.error(path, line, err or f"{where} must be {_expected(spec)}, not {_type_name(node)}")
        return text
    if isinstance(spec, Bool):
        if isinstance(v, bool):
            return v
    elif isinstance(spec, Int):
        if isinstance(v, int) and not isinstance(v, bool):
            if v < spec.lo:
                what = "must not be negative" if v < 0 <= spec.lo else f"must be at least {spec.lo}"
                diag.error(path, line, f"{where} {what} (got {v})")
                return None
            if v > spec.hi:
                diag.error(path, line, f"{where} must be at most {spec.hi}{spec.unit} (got {v})")
                return None
            return v
    elif isinstance(spec, Str):
        if v is None and spec.nullable:
            return None
        if isinstance(v, str):
            return v if check_string(v, spec, where, diag, path, line) else None
    diag.error(path, line, f"{where} must be {_expected(spec)}, not {_type_name(node)}")
    return None


def _expected(spec):
    if isinstance(spec, Bool):
        return "a boolean (true or false)"
    if isinstance(spec, Int):
        return "an integer"
    if isinstance(spec, Str):
        return "a string or null" if spec.nullable else "a string"
    if isinstance(spec, Ident):
        return "a user or group name or a numeric id"
    return "a mapping"


def _section(node, spec, prefix, diag, path):
    seen = {}
    out = {}
    for knode, vnode in node.value:
        kline = _line(knode)
        if knode.tag == "tag:yaml.org,2002:merge":
            # Fix (tests/gen): constructing `<<` raised (a traceback).
            diag.error(path, kline, "YAML merge keys (<<) are not supported; write the keys out")
            continue
        key = _scalar(knode) if isinstance(knode, yaml.ScalarNode) else None
        if not isinstance(key, str):
            diag.error(path, kline, f"keys must be strings, not {_type_name(knode)}")
            continue
        if key in seen:
            diag.error(path, kline, f"duplicate key '{prefix}{key}' (first on line {seen[key]})")
            continue
        seen[key] = kline
        if key not in spec.fields:
            known = ", ".join(sorted(spec.fields))
            diag.error(path, kline, f"unknown key '{prefix}{key}' (known keys: {known})")
            continue
        out[key] = (_value(vnode, spec.fields[key][0], prefix + key, diag, path), kline)
    return out


def _groups(node, where, diag, path):
    known = ", ".join(POLICY_GROUPS)
    if not isinstance(node, yaml.SequenceNode):
        diag.error(path, _line(node), f"{where} must be a list of groups ({known}), not {_type_name(node)}")
        return None
    out = []
    for item in node.value:
        v = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
        if not isinstance(v, str) or v not in POLICY_GROUPS:
            diag.error(path, _line(item), f"{where}: unknown group {v!r} (groups: {known})")
            return None
        if v in out:
            diag.error(path, _line(item), f"{where}: group '{v}' given twice")
            return None
        out.append(v)
    return out


def _paths(node, where, diag, path):
    if isinstance(node, yaml.ScalarNode) and _scalar(node) is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        diag.error(path, _line(node), f"{where} must be a list of paths, not {_type_name(node)}")
        return None
    out = []
    for item in node.value:
        v = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
        if not isinstance(v, str):
            diag.error(path, _line(item), f"{where}: each entry must be a path (a string), not {_type_name(item)}")
            return None
        if not check_string(v, Str(), f"{where} entry", diag, path, _line(item)):
            return None
        if v in out:
            diag.error(path, _line(item), f"{where}: '{v}' given twice")
            return None
        out.append(v)
    return out


def _environment(node, where, diag, path):
    if isinstance(node, yaml.ScalarNode) and _scalar(node) is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        diag.error(path, _line(node), f"{where} must be a mapping of NAME: value, not {_type_name(node)}")
        return []
    env, seen = [], {}
    for knode, vnode in node.value:
        line = _line(knode)
        name = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if name is None or not ENV_NAME.match(name):
            diag.error(path, line, f"{where}: '{name}' is not a valid environment variable name")
            continue
        if name in seen:
            diag.error(path, line, f"{where}: duplicate variable '{name}' (first on line {seen[name]})")
            continue
        seen[name] = line
        # The value as written, so that `DEBUG: true` stays "true", not "True".
        if not isinstance(vnode, yaml.ScalarNode) or (vnode.tag.endswith(":null") and vnode.value in ("", "~", "null", "Null", "NULL")):
            diag.error(path, _line(vnode), f"{where}.{name} must be a string, number or boolean")
            continue
        if "\0" in vnode.value:
            diag.error(path, _line(vnode), f"{where}.{name} contains a NUL byte")
            continue
        env.append((name, vnode.value))
    return env


def _check_scalars(root, path):
    """Every key and value must be Unicode text UTF-8 can hold: a double-quoted
    escape can name a lone surrogate ("\\ud800"), which is no character at all
    and cannot be written into the C tables. Walked without recursion, so a
    deep tree that compose() accepted is no trouble here."""
    todo = [root] if root is not None else []
    seen = set()  # an alias shares its anchor's node; a recursive one loops
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            bad = next((ch for ch in node.value if "\ud800" <= ch <= "\udfff"), None)
            if bad is not None:
                raise Fatal(path, _line(node), f"string contains \\u{ord(bad):04x}, a lone surrogate, which "
                            "is not a Unicode character (an escape must name one: U+0000 to "
                            "U+D7FF or U+E000 to U+10FFFF)")
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                todo.extend((v, k))


def load(path, diag):
    """Parse and check init.yaml. Returns a dict of resolved settings
    (defaults filled in) plus '_lines' for later diagnostics."""
    raw = read_input(path, path, "configuration")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fatal(path, raw[:e.start].count(b"\n") + 1, "configuration is not valid UTF-8")
    # Fix (tests/gen): the checks below construct scalars, which raises for
    # a merge key (<<) or an unknown tag (!custom), so they are inside the
    # try too; and a reader error (a NUL or other control character) or a
    # nesting too deep for PyYAML's recursion got a traceback or a message
    # spanning two lines.
    try:
        root = yaml.compose(text)
        _check_scalars(root, path)
        if root is None:
            tree = {}
        elif isinstance(root, yaml.MappingNode):
            tree = _section(root, SCHEMA, "", diag, path)
        else:
            raise Fatal(path, _line(root), f"configuration must be a mapping of keys, not {_type_name(root)}")
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = e.problem or e.context
        if e.context and msg.startswith("but "):
            # Fix (tests/gen): "but found another document" alone says
            # nothing; PyYAML's context is the first half of the sentence.
            msg = f"{e.context}, {msg}"
        kind = "YAML" if isinstance(e, yaml.constructor.ConstructorError) else "YAML syntax"
        raise Fatal(path, mark.line + 1 if mark else 1, f"{kind}: {msg}")
    except yaml.reader.ReaderError as e:
        line = text[:e.position].count("\n") + 1 if isinstance(e.position, int) else 1
        what = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise Fatal(path, line, f"YAML: unacceptable character {what}: {e.reason}")
    except yaml.YAMLError as e:
        raise Fatal(path, 1, "YAML: " + " ".join(str(e).split()))
    except RecursionError:
        raise Fatal(path, 1, "YAML: nested too deeply")
    return _resolve(tree, path, diag)


def _check_hwrng_name(name, ent, path, diag):
    """init compares require_hwrng with the first line of rng_current,
    trimmed of nothing: a name with a control character (a newline) or
    with spaces around it can never match, and would stop every service of
    the image, at every boot."""
    if name is None:
        return
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in name) or name != name.strip():
        diag.error(path, ent["require_hwrng"][1],
                   f"entropy.require_hwrng {name!r} can never match the kernel's rng_current "
                   "(a control character, or spaces around it)")


CLOCK_KINDS = {"vsock": 1, "unix": 2, "ptp": 3}  # enum cfg_clock_source
CLOCK_VSOCK = re.compile(r"vsock:(\d{1,10}):(\d{1,10})\Z")


def _clock_source(source, clk, path, diag):
    """clock.source: vsock:CID:PORT (the parent's `initctl time-serve`),
    unix:PATH (the same frame over a Unix socket) or ptp:PATH (a PTP clock
    device), parsed into what init's table holds."""
    out = {"kind": 0, "cid": 0, "port": 0, "path": None}
    if source is None:
        return out
    kind, _, rest = source.partition(":")
    m = CLOCK_VSOCK.match(source)
    if m and int(m[1]) <= U32_MAX and int(m[2]) <= U32_MAX:
        out.update(kind=1, cid=int(m[1]), port=int(m[2]))
    elif kind in ("unix", "ptp") and rest.startswith("/") and "\0" not in rest \
            and (kind == "ptp" or len(rest.encode()) <= SUN_PATH_MAX):
        out.update(kind=CLOCK_KINDS[kind], path=rest)
    else:
        diag.error(path, clk["source"][1], f"clock.source '{source}' must be vsock:CID:PORT, "
                   f"unix:PATH or ptp:PATH (an absolute path; a socket's at most {SUN_PATH_MAX} bytes)")
    return out


def _get(tree, key, default):
    v = tree.get(key)
    return default if v is None or v[0] is None else v[0]


# Room for the timestamp prefix and newline around a line (see src/log*.c).
LOG_LINE_OVERHEAD = 32


def _check_log_limits(cfg, tree, path, diag):
    """Cross-key rules of the log memory; fills the follower default. A rule
    is checked only when its keys are valid (a key written with a bad value
    has already been reported; its default must not cause a second error)."""
    ctl = tree.get("control", (None, 0))[0]
    invalid = {k for k, v in tree.items() if v[0] is None}
    if "control" in tree and (ctl is None or ("max_clients" in ctl and ctl["max_clients"][0] is None)):
        invalid.add("max_clients")
    line = cfg["max_log_line"]
    need = 4 * (line + LOG_LINE_OVERHEAD)
    if cfg["log_ring_size"] < need and not invalid & {"log_ring_size", "max_log_line"}:
        where = tree.get("log_ring_size", tree.get("max_log_line", (None, 1)))[1]
        diag.error(path, where, f"log_ring_size ({cfg['log_ring_size']}) must hold at least four "
                   f"lines of max_log_line ({line}) plus {LOG_LINE_OVERHEAD} bytes each: "
                   f"at least {need} bytes")
    slots = cfg["control"]["max_clients"]
    if cfg["max_log_followers"] is None:
        cfg["max_log_followers"] = min(4, slots - 1)
    elif cfg["max_log_followers"] >= slots and "max_clients" not in invalid:
        diag.error(path, tree["max_log_followers"][1],
                   f"max_log_followers ({cfg['max_log_followers']}) must be less than "
                   f"control.max_clients ({slots}), so that commands still find a slot")


APP_RESTART = ("no", "always", "on-failure", "on-success")
APP_NAME = re.compile(r"[A-Za-z0-9_.@-]+\Z")


def _app(tree, path, diag):
    """The app: section, with the rules the service files have for the
    same things (the name must be a service name, Restart one of four)."""
    fields = SCHEMA.fields["app"][0].fields
    app = {k: _get(tree, k, d) for k, (_, d) in fields.items()}
    name = tree.get("name")
    if name and name[0] is not None and (not APP_NAME.match(name[0]) or name[0] == "init"):
        diag.error(path, name[1], f"app.name '{name[0]}' is not a service name (letters, digits, "
                   "_ . @ -; 'init' is reserved)")
    restart = tree.get("restart")
    if restart and restart[0] is not None and restart[0] not in APP_RESTART:
        diag.error(path, restart[1], "app.restart must be one of no, always, on-failure, "
                   f"on-success, not '{restart[0]}'")
    app.update(_app_readiness(tree, app, path, diag))
    app["_line"] = name[1] if name else 1
    return app


def _check_notify_socket(cfg, tree, ctl, path, diag):
    """The sd_notify socket is a socket of its own: on the control
    socket's path, one of them would replace the other at boot."""
    ns, cs = tree.get("notify_socket", (True, 1)), ctl.get("unix_socket_path", (True, 1))
    if ns[0] is None or cs[0] is None:  # bad, and reported
        return
    if cfg["notify_socket"] == cfg["control"]["unix_socket_path"]:
        line = ns[1] if "notify_socket" in tree else cs[1]
        diag.error(path, line, f"notify_socket and control.unix_socket_path are both "
                   f"'{cfg['notify_socket']}'; the sd_notify socket needs a path of its own")


def _app_readiness(tree, app, path, diag):
    """The app's type and health check: a service file's rules
    (gen/readiness.py), its keys in snake_case."""
    given, written = {}, {}
    for field in readiness.FILE_KEYS:
        if field in tree:
            value, written[field] = tree[field]
            if value is not None:
                given[field] = value
    for field, allowed in (("type", readiness.TYPES), ("health_action", readiness.HEALTH_ACTIONS)):
        if given.get(field) not in (None,) + allowed:
            diag.error(path, written[field], f"app.{field} must be one of {', '.join(allowed)}, "
                       f"not '{given.pop(field)}'")
    if "health_cmd" in given:
        argv, err = check_command(given["health_cmd"], "app.health_cmd")
        if err:
            diag.error(path, written["health_cmd"], err)
            del given["health_cmd"]
        else:
            given["health_cmd"] = (given["health_cmd"], argv)

    def key(field, value=None):
        return f"app.{field}" if value is None else f"app.{field}: {value}"
    restart = (app["restart"], tree.get("restart", (None, 1))[1])
    return readiness.resolve(given, written, key, restart, lambda line, msg: diag.error(path, line, msg),
                             lambda line, msg: diag.warning(path, line, msg))


def _resolve(tree, path, diag):
    ctl = _get(tree, "control", {})
    hb = _get(tree, "vsock", {})
    cfields = SCHEMA.fields["control"][0].fields
    hfields = SCHEMA.fields["vsock"][0].fields
    c = {k: _get(ctl, k, d) for k, (_, d) in cfields.items()}
    old = tree.get("socket_path")
    if old and old[0] is not None:
        new = ctl.get("unix_socket_path")
        if new and new[0] is not None and new[0] != old[0]:
            diag.error(path, old[1], "socket_path (the 0.4 name) and control.unix_socket_path "
                       f"disagree ('{old[0]}' vs '{new[0]}'); keep only control.unix_socket_path")
        else:
            c["unix_socket_path"] = old[0]
    cfg = {k: _get(tree, k, d) for k, (_, d) in SCHEMA.fields.items()
           if k not in ("control", "vsock", "socket_path", "environment", "app", "entropy", "clock")}
    cfg["app"] = _app(_get(tree, "app", {}), path, diag)
    # nsm_driver_path: null disables loading, so an explicit null is kept.
    if "nsm_driver_path" in tree:
        cfg["nsm_driver_path"] = tree["nsm_driver_path"][0]
    if "cgroup_v2" in tree:  # the same: null turns containment off
        cfg["cgroup_v2"] = tree["cgroup_v2"][0]
    cfg["control"] = c
    _check_notify_socket(cfg, tree, ctl, path, diag)
    _check_log_limits(cfg, tree, path, diag)
    cfg["vsock"] = {k: _get(hb, k, d) for k, (_, d) in hfields.items()}
    ent = _get(tree, "entropy", {})
    cfg["entropy"] = {k: _get(ent, k, d) for k, (_, d) in SCHEMA.fields["entropy"][0].fields.items()}
    _check_hwrng_name(cfg["entropy"]["require_hwrng"], ent, path, diag)
    clk = _get(tree, "clock", {})
    cfg["clock"] = {k: _get(clk, k, d) for k, (_, d) in SCHEMA.fields["clock"][0].fields.items()}
    cfg["clock"].update(_clock_source(cfg["clock"]["source"], clk, path, diag))
    cfg["environment"] = _get(tree, "environment", [])
    # Fix (tests/gen): a service_dir that is written but invalid was already
    # reported; keep it None so that the generator does not go on to read the
    # default /service in its place (a second, misleading error).
    if "service_dir" in tree and tree["service_dir"][0] is None:
        cfg["service_dir"] = None
    # Fix (tests/gen): the '_lines' the docstring of load() promises, so that
    # "cannot read service_dir" points at the service_dir line, not line 1.
    # The generator takes it out before the configuration is hashed.
    cfg["_lines"] = {k: line for k, (_, line) in tree.items()}
    return cfg
