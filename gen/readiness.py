"""Readiness and health-check settings, the same rules for a service file
(Type, RemainAfterExit, TimeoutStartSec, WatchdogSec, HealthCmd, Health*)
and for init.yaml's app: (type, remain_after_exit, ... in snake_case).

A setting is known here by its field name (the app's key, cfg_svc's
field); a service file writes it in systemd's style (FILE_KEYS). The
checks of one value are the caller's (TOML and YAML report types in their
own words); the rules between settings, and the defaults that depend on
other settings, are resolve()'s.
"""

TYPES = ("simple", "notify", "oneshot")
HEALTH_ACTIONS = ("none", "restart")
SEC_MAX = 86400
TIMEOUT_START_DEFAULT = 90  # systemd's, for notify and for a simple service with a check
INFINITY = "infinity"       # TimeoutStartSec: no limit, compiled in as 0

# The numbers: field -> (lowest, highest, default with a health check).
NUMBERS = {
    "watchdog_sec": (0, SEC_MAX, 0),
    "health_interval_sec": (1, SEC_MAX, 30),
    "health_start_interval_sec": (1, SEC_MAX, 1),  # Docker's --health-start-interval
    "health_timeout_sec": (1, SEC_MAX, 30),
    "health_retries": (1, 10000, 3),
    "health_start_period_sec": (0, SEC_MAX, 0),
}
HEALTH_NUMBERS = [f for f in NUMBERS if f.startswith("health_")]
FILE_KEYS = {
    "type": "Type", "remain_after_exit": "RemainAfterExit", "timeout_start_sec": "TimeoutStartSec",
    "watchdog_sec": "WatchdogSec", "health_cmd": "HealthCmd", "health_interval_sec": "HealthIntervalSec",
    "health_start_interval_sec": "HealthStartIntervalSec", "health_timeout_sec": "HealthTimeoutSec",
    "health_retries": "HealthRetries", "health_start_period_sec": "HealthStartPeriodSec",
    "health_action": "HealthAction",
}
HEALTH_FIELDS = HEALTH_NUMBERS + ["health_action"]


TIMEOUT_WANTED = f"must be an integer number of seconds or \"{INFINITY}\", not "


def timeout_start(value):
    """TimeoutStartSec's value: seconds, or "infinity" (0, no limit).
    Returns (seconds, None), or (None, what is wrong after the key's name),
    or (None, "") for a value of another type (which the caller names in
    its own format's words after TIMEOUT_WANTED)."""
    if value == INFINITY:
        return 0, None
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= SEC_MAX:
            return value, None
        return None, f"must be between 0 and {SEC_MAX} seconds, or \"{INFINITY}\" (got {value})"
    if isinstance(value, str):
        return None, f"{TIMEOUT_WANTED}'{value}'"
    return None, ""


def resolve(given, written, key, restart, error, warning):
    """The compiled values of one service (or the app): a dict of every
    field, plus health_argv, with the defaults that depend on other
    settings filled in.

    given:   field -> value of the settings written with a valid value
             (health_cmd's value is (text, argv));
    written: field -> line of every setting written, valid or not: a bad
             value was reported already and must not cause a second error;
    key(field, value=None): the setting as the file writes it, alone or
             with a value (`Type = "oneshot"`, `app.type: oneshot`);
    restart: (policy, line) (a bad policy comes as "no", which no rule refuses);
    error, warning: (line, message)."""
    type_known = "type" not in written or "type" in given
    kind = given.get("type", "simple")
    this = f"this is {key('type', kind)}" + ("" if "type" in written else ", the default")
    cmd_known = "health_cmd" not in written or "health_cmd" in given
    health = "health_cmd" in given
    if type_known:
        if "remain_after_exit" in given and kind != "oneshot":
            error(written["remain_after_exit"], f"{key('remain_after_exit')} is only for "
                  f"{key('type', 'oneshot')} ({this})")
        if "watchdog_sec" in given and kind != "notify":
            error(written["watchdog_sec"], f"{key('watchdog_sec')} is only for {key('type', 'notify')}, "
                  f"a service that sends WATCHDOG=1 ({this})")
        if kind == "oneshot" and restart[0] in ("always", "on-success"):
            error(restart[1], f"{key('restart', restart[0])} cannot be used with {key('type', 'oneshot')} "
                  "(a oneshot service is done once it exits 0, and restarting it then would never "
                  "finish; use \"no\" or \"on-failure\", as systemd also requires)")
        if kind == "oneshot" and health:
            error(written["health_cmd"], f"{key('health_cmd')} cannot be used with {key('type', 'oneshot')} "
                  "(a oneshot service does its job and exits: there is nothing running to check)")
        if "timeout_start_sec" in given and kind == "simple" and cmd_known and not health:
            warning(written["timeout_start_sec"], f"{key('timeout_start_sec')} has no effect here: "
                    f"without {key('health_cmd')}, a service of {key('type', 'simple')} is running as "
                    "soon as it has started")
    if cmd_known and not health:
        for field in HEALTH_FIELDS:
            if field in written:
                error(written[field], f"{key(field)} needs {key('health_cmd')} (the check to run)")
    default_timeout = TIMEOUT_START_DEFAULT if kind == "notify" or (health and kind != "oneshot") else 0
    out = {
        "type": kind,
        "remain_after_exit": given.get("remain_after_exit", False),
        "timeout_start_sec": given.get("timeout_start_sec", default_timeout),
        "watchdog_sec": given.get("watchdog_sec", 0),
        "health_cmd": given["health_cmd"][0] if health else None,
        "health_argv": given["health_cmd"][1] if health else [],
    }
    # Without a check its settings are not there (null in the echo, 0 in
    # the tables), so that nothing reads an interval of a check never run.
    for field in HEALTH_NUMBERS:
        out[field] = given.get(field, NUMBERS[field][2]) if health else None
    out["health_action"] = given.get("health_action", "none") if health else None
    return out


def defaults():
    """What a service that sets none of these settings compiles to."""
    return resolve({}, {}, lambda f, v=None: f, ("no", 1), None, None)
