"""Load and check the `.service` files of `service_dir`.

Service files are TOML (read with Python's own tomllib). tomllib does not keep
line numbers, so a key's line is found in the text: good enough to point an
editor at `RestartSec = -1`, which is all a diagnostic needs.
"""

import datetime
import os
import re
import tomllib

import cgroup
import privs
import readiness
from command import EXEC_MAX, check_command, split_exec  # noqa: F401 (split_exec: tests/gen)
from diag import Fatal, read_input
from initconf import ENV_NAME

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@-]*\Z")
NAME_MAX = 63          # fits the protocol's 64-byte name field with its NUL
RESTART_SEC_MAX = 86400
TIMEOUT_STOP_MAX = 3600
RESTART_POLICIES = ("no", "always", "on-failure", "on-success")
DEP_KEYS = ("After", "Before", "Requires", "RequiredBy")
KEYS = ("ExecStart", "Environment", "Restart", "RestartSec", "WorkingDirectory",
        "ServiceEnable", "TimeoutStopSec", "StartLimitBurst", "StartLimitIntervalSec") + DEP_KEYS \
    + tuple(readiness.FILE_KEYS.values()) + privs.FILE_KEYS + cgroup.FILE_KEYS
# Readiness and health settings: key -> field (gen/readiness.py).
READY_FIELDS = {k: f for f, k in readiness.FILE_KEYS.items()}
START_LIMIT_BURST_MAX = 10000
START_LIMIT_INTERVAL_MAX = 86400
START_LIMIT_BURST_DEFAULT = 5      # systemd's, for a service that sets only the interval
START_LIMIT_INTERVAL_DEFAULT = 10  # and for one that sets only the burst
DEFAULT_PATH = "PATH=/sbin:/usr/sbin:/bin:/usr/bin"
SUFFIXES = (".service", ".service.disabled")


class Service:
    """One service as checked: values plus the line each came from."""

    def __init__(self, name, path, display, enabled_by_file):
        self.name, self.path, self.display = name, path, display
        self.enabled_by_file = enabled_by_file
        self.lines = {}
        self.exec_text = ""
        self.argv = []
        self.environment = []
        self.restart = "no"
        self.restart_sec = 5
        self.timeout_stop_sec = 5
        # None: not set. Giving up is opt-in: without either key a service
        # is restarted for ever (a crash loop throttled to about one start
        # a second, at run time); with one of them, systemd's rate limit,
        # the other at systemd's default (5 starts in 10 s).
        self.start_limit_burst = None
        self.start_limit_interval_sec = None  # 0: no limit
        self.workdir = None
        self.enable = True
        self.deps = {k: [] for k in DEP_KEYS}
        # Readiness and health: what was written (field -> value), then
        # what is compiled in (readiness.resolve, every field).
        self.given = {}
        self.ready = readiness.defaults()
        # User, Group, ..., Limit* (gen/privs.py).
        self.privs = privs.Privs()
        # MemoryMax, CPUWeight, TasksMax (gen/cgroup.py).
        self.limits = cgroup.Limits()

    @property
    def enabled(self):
        return self.enabled_by_file and self.enable

    @property
    def start_limit(self):
        """(burst, interval) as compiled in: (0, 0) when neither key is set."""
        if self.start_limit_burst is None and self.start_limit_interval_sec is None:
            return (0, 0)
        return (START_LIMIT_BURST_DEFAULT if self.start_limit_burst is None else self.start_limit_burst,
                START_LIMIT_INTERVAL_DEFAULT if self.start_limit_interval_sec is None
                else self.start_limit_interval_sec)

    def line(self, key):
        return self.lines.get(key, 1)


def _find_line(lines, key):
    # Fix (tests/gen): a quoted key needs both its quotes, so that an array
    # entry such as `"ExecStart=1",` is not taken for the ExecStart key.
    k = re.escape(key)
    pat = re.compile(r"\s*(\[+\s*)?(" + k + r"|\"" + k + r"\"|'" + k + r"')\s*(=|\.|\])")
    for n, text in enumerate(lines, 1):
        if pat.match(text):
            return n
    return 1


def _find_item_line(lines, start, item):
    # Fix (tests/gen): look for the entry as a quoted string first, so that
    # "" or "A=1" is not found in the first line that merely contains it.
    for needle in (f'"{item}"', f"'{item}'", item):
        for n in range(start, len(lines) + 1):
            if needle in lines[n - 1]:
                return n
    return start


def _type_name(v):
    # Fix (tests/gen): TOML's dates and times, which read "not date" before.
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table", datetime.datetime: "a date-time",
            datetime.date: "a date", datetime.time: "a time"}.get(type(v), type(v).__name__)


def discover(service_dir, display_dir, diag, yaml_path, yaml_line):
    """The service files in service_dir, sorted by name (bytewise)."""
    try:
        entries = sorted(os.listdir(service_dir))
    except OSError as e:
        raise Fatal(yaml_path, yaml_line, f"cannot read service_dir '{display_dir}': {e.strerror}")
    found = {}
    for fname in entries:
        for suffix in SUFFIXES:
            if fname.endswith(suffix) and len(fname) > len(suffix):
                name = fname[: -len(suffix)]
                display = os.path.join(display_dir, fname)
                if name in found:
                    diag.error(display, 1, f"service '{name}' is defined twice "
                               f"(also {found[name][1]})")
                    continue
                found[name] = (os.path.join(service_dir, fname), display, suffix == ".service")
    return [(name,) + found[name] for name in sorted(found)]


def load(name, path, display, enabled_by_file, diag):
    svc = Service(name, path, display, enabled_by_file)
    if not NAME.match(name) or len(name) > NAME_MAX:
        diag.error(display, 1, f"service name '{name}' is not a safe file name (use letters, digits, "
                   f"'_', '.', '@', '-', not starting with '.', '@' or '-'; at most {NAME_MAX} characters)")
    elif name == "init":
        diag.error(display, 1, "service name 'init' is reserved (init.log is init's own log)")
    raw = read_input(path, display, "service file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Fatal(display, raw[:e.start].count(b"\n") + 1, "service file is not valid UTF-8")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        line = int(m.group(1)) if m else 1
        if not m and "(at end of document)" in msg:
            # Fix (tests/gen): point at the last line, not the first.
            line = len(text.splitlines()) or 1
        diag.error(display, line, f"TOML syntax: {msg}")
        return svc
    except RecursionError:
        # Fix (tests/gen): tomllib recurses once per level of nested arrays
        # and inline tables; a few hundred levels got a traceback.
        diag.error(display, _deepest_line(text), "TOML: arrays or inline tables nested too deeply")
        return svc
    lines = text.split("\n")
    for key in doc:
        svc.lines[key] = _find_line(lines, key)
    for key, value in doc.items():
        line = svc.lines[key]
        if key not in KEYS:
            diag.error(display, line, f"unknown key '{key}' (known keys: {', '.join(sorted(KEYS))})")
            continue
        _check_key(svc, key, value, line, lines, diag)
    if "ExecStart" not in doc:
        diag.error(display, 1, "missing ExecStart (the command to run)")
    _finish(svc, diag)
    return svc


def _deepest_line(text):
    """The line where the brackets of arrays and inline tables nest deepest,
    counted roughly (brackets inside strings and comments count too): where
    to look for the nesting that tomllib could not follow."""
    depth = best = 0
    line = best_line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch in "[{":
            depth += 1
            if depth > best:
                best, best_line = depth, line
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return best_line


def _want(svc, key, value, kind, line, diag):
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        names = {str: "a string", int: "an integer", bool: "a boolean (true or false)", list: "an array"}
        diag.error(svc.display, line, f"{key} must be {names[kind]}, not {_type_name(value)}")
    return ok


def _check_key(svc, key, value, line, lines, diag):
    d = svc.display
    if key == "ExecStart":
        if _want(svc, key, value, str, line, diag):
            argv, err = check_command(value, key)
            if err:
                diag.error(d, line, err)
            else:
                svc.exec_text, svc.argv = value, argv
    elif key in READY_FIELDS:
        _check_ready_key(svc, key, READY_FIELDS[key], value, line, diag)
    elif key in privs.FILE_KEYS:
        privs.check_key(svc.privs, key, value, lambda msg: diag.error(d, line, msg), _type_name)
    elif key in cgroup.FILE_KEYS:
        cgroup.check_key(svc.limits, key, value, lambda msg: diag.error(d, line, msg), _type_name)
    elif key == "Environment":
        if not _want(svc, key, value, list, line, diag):
            return
        pos = line
        for item in value:
            # Fix (tests/gen): entries are written in order; search on from
            # the previous one, so two equal bad entries get their own lines.
            iline = pos = _find_item_line(lines, pos, str(item))
            if not isinstance(item, str):
                diag.error(d, iline, f"Environment entries must be strings \"NAME=value\", not {_type_name(item)}")
            elif "=" not in item:
                diag.error(d, iline, f"Environment entry '{item}' has no '=' (expected NAME=value)")
            elif not ENV_NAME.match(item.split("=", 1)[0]):
                diag.error(d, iline, f"Environment entry '{item}': '{item.split('=', 1)[0]}' "
                           "is not a valid variable name")
            elif "\0" in item:
                diag.error(d, iline, "Environment entry contains a NUL byte")
            else:
                svc.environment.append(tuple(item.split("=", 1)))
    elif key == "Restart":
        if _want(svc, key, value, str, line, diag):
            if value not in RESTART_POLICIES:
                diag.error(d, line, f"Restart must be one of {', '.join(RESTART_POLICIES)}, not '{value}'")
            else:
                svc.restart = value
    elif key in ("RestartSec", "TimeoutStopSec"):
        lo, hi = (0, RESTART_SEC_MAX) if key == "RestartSec" else (1, TIMEOUT_STOP_MAX)
        if _want(svc, key, value, int, line, diag):
            if value < 0:
                diag.error(d, line, f"{key} must not be negative (got {value})")
            elif not lo <= value <= hi:
                diag.error(d, line, f"{key} must be between {lo} and {hi} seconds (got {value})")
            elif key == "RestartSec":
                svc.restart_sec = value
            else:
                svc.timeout_stop_sec = value
    elif key in ("StartLimitBurst", "StartLimitIntervalSec"):
        hi = START_LIMIT_BURST_MAX if key == "StartLimitBurst" else START_LIMIT_INTERVAL_MAX
        lo = 1 if key == "StartLimitBurst" else 0
        if _want(svc, key, value, int, line, diag):
            if not lo <= value <= hi:
                unit = "" if key == "StartLimitBurst" else " seconds"
                diag.error(d, line, f"{key} must be between {lo} and {hi}{unit} (got {value})")
            elif key == "StartLimitBurst":
                svc.start_limit_burst = value
            else:
                svc.start_limit_interval_sec = value
    elif key == "WorkingDirectory":
        if _want(svc, key, value, str, line, diag):
            if "\0" in value or not value.startswith("/"):
                diag.error(d, line, f"WorkingDirectory must be an absolute path, not '{value}'")
            else:
                svc.workdir = value
    elif key == "ServiceEnable":
        if _want(svc, key, value, bool, line, diag):
            svc.enable = value
    elif key in DEP_KEYS:
        if _want(svc, key, value, list, line, diag):
            for item in value:
                if not isinstance(item, str):
                    diag.error(d, line, f"{key} entries must be service names (strings), not {_type_name(item)}")
                elif item not in svc.deps[key]:
                    svc.deps[key].append(item)


def _check_ready_key(svc, key, field, value, line, diag):
    """One readiness or health setting (the rules between them: finish())."""
    d = svc.display
    if field == "timeout_start_sec":
        secs, err = readiness.timeout_start(value)
        if secs is None:
            diag.error(d, line, f"{key} {err or readiness.TIMEOUT_WANTED + _type_name(value)}")
        else:
            svc.given[field] = secs
    elif field in ("type", "health_action"):
        allowed = readiness.TYPES if field == "type" else readiness.HEALTH_ACTIONS
        if _want(svc, key, value, str, line, diag):
            if value not in allowed:
                diag.error(d, line, f"{key} must be one of {', '.join(allowed)}, not '{value}'")
            else:
                svc.given[field] = value
    elif field == "remain_after_exit":
        if _want(svc, key, value, bool, line, diag):
            svc.given[field] = value
    elif field == "health_cmd":
        if _want(svc, key, value, str, line, diag):
            argv, err = check_command(value, key)
            if err:
                diag.error(d, line, err)
            else:
                svc.given[field] = (value, argv)
    elif _want(svc, key, value, int, line, diag):
        lo, hi, _ = readiness.NUMBERS[field]
        if not lo <= value <= hi:
            unit = "" if field == "health_retries" else " seconds"
            diag.error(d, line, f"{key} must be between {lo} and {hi}{unit} (got {value})")
        else:
            svc.given[field] = value


def _finish(svc, diag):
    """The rules between settings, and the defaults that follow from them."""
    names = dict(readiness.FILE_KEYS, restart="Restart")

    def key(field, value=None):
        return names[field] if value is None else f'{names[field]} = "{value}"'
    written = {f: svc.line(k) for k, f in READY_FIELDS.items() if k in svc.lines}
    # A bad Restart left "no", which no rule refuses.
    svc.ready = readiness.resolve(svc.given, written, key, (svc.restart, svc.line("Restart")),
                                  lambda line, msg: diag.error(svc.display, line, msg),
                                  lambda line, msg: diag.warning(svc.display, line, msg))


def merged_environment(init_env, svc):
    """init's `environment:`, then the default PATH, then the service's own;
    a later definition of a name replaces the earlier value in place."""
    env = {}
    for name, value in list(init_env) + [tuple(DEFAULT_PATH.split("=", 1))] + svc.environment:
        env[name] = value  # dict keeps first position, takes the last value
    return [f"{k}={v}" for k, v in env.items()]
