"""Containment: systemd's MemoryMax, CPUWeight and TasksMax, limits of a
service's own cgroup (v2), applied by init where the controller is
available (src/init/cgroup.c); init.yaml's cgroup_v2 says where the
hierarchy is.

Values as systemd writes them: MemoryMax bytes with a K, M, G or T suffix
(1024-based) or "infinity"; CPUWeight 1 to 10000; TasksMax a number or
"infinity". systemd's percentages (of RAM, of the kernel's pid limit) are
not taken: init does not know the enclave's size at build time.
"""

import re

INFINITY = "infinity"
C_INFINITY = (1 << 64) - 1  # CFG_LIMIT_INFINITY: written "max" to the cgroup
SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
CPU_WEIGHT = (1, 10000)
FILE_KEYS = ("MemoryMax", "CPUWeight", "TasksMax")


def _count(key, value, byte_sized):
    """MemoryMax or TasksMax: (n, None), C_INFINITY for infinity, or (None,
    error); (None, "") for a value of another type."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        return None, ""
    if text == INFINITY:
        return C_INFINITY, None
    m = re.fullmatch(r"([0-9]+)([KMGT]?)", text)
    if not m or (m.group(2) and not byte_sized):
        what = "bytes, with K, M, G or T (1024-based)" if byte_sized else "a number"
        if "%" in text:
            return None, f"{key} takes {what} or \"{INFINITY}\"; percentages are not supported, not '{text}'"
        return None, f"{key} takes {what} or \"{INFINITY}\", not '{text}'"
    n = int(m.group(1)) * SUFFIXES.get(m.group(2), 1)
    if n == 0:
        return None, f"{key} must be at least 1 (\"{INFINITY}\" for no limit), not '{text}'"
    if n >= C_INFINITY:
        return None, f"{key} value '{text}' is too large (write \"{INFINITY}\")"
    return n, None


def show(n):
    return INFINITY if n == C_INFINITY else str(n)


class Limits:
    """What a service sets (None: not set)."""

    def __init__(self):
        self.memory_max = self.cpu_weight = self.tasks_max = None

    def is_set(self):
        return any(v is not None for v in (self.memory_max, self.cpu_weight, self.tasks_max))

    def doc(self):
        """For the configuration hash: only when set, so that a service
        without these keys hashes as it did before them. Not the exec hash:
        init writes them to the running service's cgroup on reload, no
        restart needed."""
        if not self.is_set():
            return None
        return {"memory_max": self.memory_max, "cpu_weight": self.cpu_weight, "tasks_max": self.tasks_max}


def check_key(limits, key, value, error, type_name):
    """One of FILE_KEYS of a service file into limits; error(message)."""
    if key == "CPUWeight":
        lo, hi = CPU_WEIGHT
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        if isinstance(value, str):
            error(f"CPUWeight must be an integer from {lo} to {hi}, not '{value}'")
        elif not isinstance(value, int) or isinstance(value, bool):
            error(f"CPUWeight must be an integer from {lo} to {hi}, not {type_name(value)}")
        elif not lo <= value <= hi:
            error(f"CPUWeight must be from {lo} to {hi} (systemd's default is 100), not {value}")
        else:
            limits.cpu_weight = value
        return
    n, err = _count(key, value, key == "MemoryMax")
    if err == "":
        err = f"{key} must be a string or an integer, not {type_name(value)}"
    if err:
        error(err)
    elif key == "MemoryMax":
        limits.memory_max = n
    else:
        limits.tasks_max = n
