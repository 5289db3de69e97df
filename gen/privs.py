"""Least privilege per service: systemd's User, Group, SupplementaryGroups,
UMask, NoNewPrivileges and the resource limits LimitNOFILE, LimitNPROC,
LimitCORE, LimitMEMLOCK, LimitSTACK and LimitAS; the app's user and group
in init.yaml take the same values.

Only the shape of a name is checked here: init resolves names at start time
from the image's /etc/passwd and /etc/group (the build machine's users mean
nothing inside the enclave). A numeric id needs no entry.
"""

import re

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
NAME_MAX = 63         # the protocol's name field (`ps start --user`) with its NUL; src/init/passwd.h
ID_MAX = 4294967294   # (uid_t)-1 means "leave unchanged" to setuid and its kin
GROUPS_MAX = 64       # SupplementaryGroups entries
UMASK_DEFAULT = 0o022  # systemd's; what a service that sets no UMask gets
INFINITY = "infinity"
RLIM_INFINITY = (1 << 64) - 1
# Limit key -> (C enumerator, counts bytes: takes K, M, G, T, P, E (base 1024)).
# Their order is include/cfg.h's enum cfg_limit_kind, and the order printed.
LIMITS = {
    "LimitNOFILE": ("CFG_LIMIT_NOFILE", False),
    "LimitNPROC": ("CFG_LIMIT_NPROC", False),
    "LimitCORE": ("CFG_LIMIT_CORE", True),
    "LimitMEMLOCK": ("CFG_LIMIT_MEMLOCK", True),
    "LimitSTACK": ("CFG_LIMIT_STACK", True),
    "LimitAS": ("CFG_LIMIT_AS", True),
}
SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50, "E": 1 << 60}
FILE_KEYS = ("User", "Group", "SupplementaryGroups", "UMask", "NoNewPrivileges") + tuple(LIMITS)


def _text(value, what):
    """A string, or an integer that is not negative as its digits: (text,
    None); else (None, what is wrong), or (None, "") for another type."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            return None, f"{what} must not be negative (got {value})"
        return str(value), None
    return (value, None) if isinstance(value, str) else (None, "")


def ident(value, what):
    """A user or group as written: a name, or a numeric id (a TOML or YAML
    integer, or a string of digits). Returns (text, None) or (None, what
    is wrong, after `what`); (None, "") for a value of another type,
    which the caller names in its format's words."""
    value, err = _text(value, what)
    if err is not None:
        return None, err
    if value == "":
        return None, f"{what} must not be empty"
    if value.isascii() and value.isdigit():
        if int(value) > ID_MAX:
            return None, f"{what} {value} is too large (ids go up to {ID_MAX})"
        return str(int(value)), None
    if not NAME.match(value) or len(value) > NAME_MAX:
        return None, (f"{what} '{value}' is neither a name (letters, digits, '_', '.', '-', "
                      f"starting with a letter or '_', at most {NAME_MAX} characters) nor a numeric id")
    return value, None


def umask(value):
    """UMask's value: a string of octal digits. Returns (mask, None) or
    (None, what is wrong after the key's name)."""
    if isinstance(value, str) and re.fullmatch(r"[0-7]{1,4}", value) and int(value, 8) <= 0o777:
        return int(value, 8), None
    if isinstance(value, str):
        return None, f"must be an octal mask from \"0000\" to \"0777\", such as \"0027\", not '{value}'"
    return None, ""


def _one_limit(text, key, byte_sized, value):
    """One side (text) of a limit (value): a count (of bytes, with a
    suffix), or infinity."""
    if text == INFINITY:
        return RLIM_INFINITY, None
    m = re.fullmatch(r"([0-9]+)([KMGTPE]?)", text)
    if not m or (m.group(2) and not byte_sized):
        what = "a number, a number with K, M, G, T, P or E (1024-based)" if byte_sized else "a number"
        return None, f"{key} takes {what} or \"{INFINITY}\", as \"SOFT:HARD\" or one value for both; not '{value}'"
    n = int(m.group(1)) * SUFFIXES.get(m.group(2), 1)
    if n >= RLIM_INFINITY:
        return None, f"{key} value '{text}' is too large (write \"{INFINITY}\")"
    return n, None


def limit(key, value):
    """A Limit* value: an integer, or a string "SOFT:HARD" or one value for
    both (systemd's syntax). Returns ((soft, hard), None) or (None, error);
    (None, "") for a value of another type."""
    byte_sized = LIMITS[key][1]
    value, err = _text(value, key)
    if err is not None:
        return None, err
    parts = value.split(":")
    if len(parts) > 2:
        return None, f"{key} takes \"SOFT:HARD\" or one value, not '{value}'"
    got = []
    for p in parts:
        n, err = _one_limit(p, key, byte_sized, value)
        if err:
            return None, err
        got.append(n)
    soft, hard = got[0], got[-1]
    if soft > hard:
        return None, f"{key}'s soft limit ({show(soft)}) is above its hard limit ({show(hard)})"
    if key == "LimitNOFILE" and hard == RLIM_INFINITY:
        # The kernel refuses more open files than fs.nr_open (1048576 by
        # default); systemd quietly lowers infinity to it, init would fail
        # the start. Say so now.
        return None, (f"LimitNOFILE cannot be \"{INFINITY}\": the kernel allows at most fs.nr_open "
                      "open files (1048576 unless changed); give a number")
    return (soft, hard), None


def show(n):
    return INFINITY if n == RLIM_INFINITY else str(n)


def limit_text(pair):
    """A limit as printed (the YAML echo, init --print-config): "SOFT:HARD",
    or one value when both are the same."""
    soft, hard = pair
    return show(soft) if soft == hard else f"{show(soft)}:{show(hard)}"


def groups(value, type_name=type):
    """SupplementaryGroups: a list of names or ids, or a string of them
    separated by spaces (systemd's form). Returns (list, None) or (None,
    error); duplicates are dropped."""
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list):
        return None, ""
    out = []
    for item in value:
        g, err = ident(item, "SupplementaryGroups entry")
        if err is not None:
            return None, err or f"SupplementaryGroups entries must be names or numeric ids, not {type_name(item)}"
        if g not in out:
            out.append(g)
    if len(out) > GROUPS_MAX:
        return None, f"SupplementaryGroups has more than {GROUPS_MAX} groups"
    return out, None


class Privs:
    """What a service sets (None: not set; limits: only those set)."""

    def __init__(self):
        self.user = self.group = None
        self.supplementary_groups = []
        self.umask = None
        self.no_new_privileges = False
        self.limits = {}

    def is_set(self):
        return bool(self.user or self.group or self.supplementary_groups or self.umask is not None
                    or self.no_new_privileges or self.limits)

    def doc(self):
        """For the configuration hash and the exec hash: only when set, so
        that a service without these keys hashes as it did before them."""
        if not self.is_set():
            return None
        return {"user": self.user, "group": self.group, "groups": self.supplementary_groups,
                "umask": self.umask, "nnp": self.no_new_privileges,
                "limits": {k: list(v) for k, v in self.limits.items()}}


def check_key(privs, key, value, error, type_name):
    """One of FILE_KEYS of a service file into privs; error(message)."""
    wanted = {"User": "a user name or numeric id", "Group": "a group name or numeric id",
              "SupplementaryGroups": "an array of group names or ids (or a string of them)",
              "UMask": "an octal string such as \"0027\"", "NoNewPrivileges": "a boolean (true or false)"}
    if key in ("User", "Group"):
        v, err = ident(value, key)
        if v is not None:
            setattr(privs, key.lower(), v)
    elif key == "SupplementaryGroups":
        v, err = groups(value, type_name)
        if v is not None:
            privs.supplementary_groups = v
    elif key == "UMask":
        v, err = umask(value)
        if v is not None:
            privs.umask = v
        elif err:
            err = f"UMask {err}"
    elif key == "NoNewPrivileges":
        v, err = (value, None) if isinstance(value, bool) else (None, "")
        if v is not None:
            privs.no_new_privileges = v
    else:
        v, err = limit(key, value)
        if v is not None:
            privs.limits[key] = v
        wanted[key] = "\"SOFT:HARD\", one value or an integer"
    if err == "":
        err = f"{key} must be {wanted[key]}, not {type_name(value)}"
    if err:
        error(err)
