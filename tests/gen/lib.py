"""Helpers for the generator tests: run gen/initgen.py as a user would, and
read back what it wrote (the C tables, config_gen.h and the YAML echo).

The generator is always run as a subprocess, so that exit status, stdout and
stderr are exactly what a user sees. Its output directory is a fresh
temporary directory outside the repository.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# GEN_DIR=/some/copy/of/gen runs the suite against another copy of the
# generator (for instance the last commit's, to see which tests it fails).
GEN_DIR = os.path.abspath(os.environ.get("GEN_DIR") or os.path.join(REPO, "gen"))
INITGEN = os.path.join(GEN_DIR, "initgen.py")
CASES = os.path.join(HERE, "cases")
INCLUDE = os.path.join(REPO, "include")

# One line of a diagnostic: path:line: error|warning: message
DIAG_LINE = re.compile(r"[^\n]+:[1-9][0-9]*: (error|warning): [^\n]+\Z")


def base_env(**overrides):
    """The environment the generator runs in: the caller's, without byte
    code written into gen/, plus any overrides (None removes a variable)."""
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for k, v in overrides.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run_gen(cwd, *args, env=None):
    """Run `python3 gen/initgen.py ARGS...` in cwd; returns CompletedProcess
    with text stdout/stderr."""
    return subprocess.run([sys.executable, INITGEN, *args], cwd=cwd, env=env or base_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=60,
                          encoding="utf-8", errors="replace")


def tempdir(testcase, prefix="ei-gen-"):
    """A temporary directory removed when the test ends."""
    d = tempfile.mkdtemp(prefix=prefix)
    testcase.addCleanup(shutil.rmtree, d, True)
    return d


def copy_case(src, dst):
    shutil.copytree(src, dst, symlinks=True)
    return dst


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_text(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(testcase, cwd, config="init.yaml", env=None):
    """Generate into a fresh directory; fail the test unless it succeeds.
    Returns (outdir, CompletedProcess)."""
    out = os.path.join(tempdir(testcase), "out")
    p = run_gen(cwd, config, out, env=env)
    if p.returncode != 0:
        testcase.fail(f"generator exited {p.returncode}: {first_line(p.stderr)}\n{p.stderr}")
    return out, p


def outputs(outdir):
    """{file name: bytes} of everything the generator wrote."""
    return {f: read_bytes(os.path.join(outdir, f)) for f in sorted(os.listdir(outdir))}


def first_line(text):
    text = text.strip()
    return text.split("\n", 1)[0] if text else "(no output)"


def has_traceback(text):
    return "Traceback (most recent call last)" in text


# ---- reading the generated C ------------------------------------------------

_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "?": "?", "'": "'",
              "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def c_unquote(lit):
    """The bytes of one C string literal (with its quotes), as UTF-8 text."""
    assert lit[0] == '"' and lit[-1] == '"', lit
    s, out, i = lit[1:-1], bytearray(), 0
    while i < len(s):
        ch = s[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        nxt = s[i + 1]
        if nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", s[i + 1:])
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        elif nxt in _C_ESCAPES:
            out += _C_ESCAPES[nxt].encode()
            i += 2
        else:
            raise ValueError(f"unexpected escape \\{nxt} in {lit}")
    return out.decode("utf-8")


_STR = r'"(?:[^"\\\n]|\\.)*"'


def c_value(tok):
    """A C initializer token as Python: a string literal gives str, an
    integer (with or without its suffix) int, anything else (an enumerator,
    an array's name) ("sym", name). A null pointer is the integer 0."""
    tok = tok.strip()
    if tok.startswith('"'):
        return c_unquote(tok)
    m = re.fullmatch(r"(0x[0-9a-fA-F]+|[0-9]+)(?:u|ull|ULL|u?ll)?", tok)
    if m:
        return int(m.group(1), 0)
    return ("sym", tok)


def parse_fields(body):
    """`.field = value,` pairs of a designated initializer, in order."""
    return {m.group(1): c_value(m.group(2))
            for m in re.finditer(r"\.(\w+) = (" + _STR + r"|[^,\n]+),", body)}


def parse_enum(htext):
    """config_gen.h's enum cfg_svc_index: {CFG_SVC_NAME: index}."""
    m = re.search(r"enum cfg_svc_index \{\n(.*?)\n\};", htext, re.S)
    return {k: int(v) for k, v in re.findall(r"^\t(\w+) = (\d+),", m.group(1), re.M)} if m else {}


def parse_c(text, enum=None):
    """The tables of config_gen.c as Python values (dependency lists as
    indices, through enum, config_gen.h's parse_enum()):
    {"init": {...}, "svc": [{...}, ...], "arrays": {name: [values]},
     "limits": {name: [(kind, soft, hard)]}, "privs": {name: {...}},
     "yaml": the cfg_yaml text, "comments": [(name, tag)]}."""
    res = {}
    m = re.search(r"const struct cfg_init cfg_init = \{\n(.*?)\n\};", text, re.S)
    res["init"] = parse_fields(m.group(1)) if m else None
    res["arrays"] = {}
    for m in re.finditer(r"static const char \*const (\w+)\[\] = \{\n(.*?)\t0,\n\};", text, re.S):
        res["arrays"][m.group(1)] = [c_unquote(x) for x in re.findall(r"^\t(" + _STR + "),$", m.group(2), re.M)]
    # Dependency lists name services by config_gen.h's enum (CFG_SVC_*).
    for m in re.finditer(r"static const unsigned short (\w+)\[\] = \{ ([\w, ]*) \};", text):
        res["arrays"][m.group(1)] = [(enum or {}).get(x, x) for x in m.group(2).split(", ")]
    # Limit*= rows: {name: [(CFG_LIMIT_..., soft, hard)]}, infinity as None.
    res["limits"] = {}
    for m in re.finditer(r"static const struct cfg_limit (\w+)\[\] = \{\n(.*?)\n\};", text, re.S):
        res["limits"][m.group(1)] = [
            (k, None if a == "CFG_LIMIT_INFINITY" else c_value(a), None if b == "CFG_LIMIT_INFINITY" else c_value(b))
            for k, a, b in re.findall(r"^\t\{ (\w+), (\w+), (\w+) \},$", m.group(2), re.M)]
    # A service's privileges: {name: {field: value}}.
    res["privs"] = {m.group(1): parse_fields(m.group(2) + "\n") for m in
                    re.finditer(r"static const struct cfg_privs (\w+) = \{\n(.*?)\n\};", text, re.S)}
    res["svc"] = []
    m = re.search(r"const struct cfg_svc cfg_svc\[CFG_NSVC_SLOTS\] = \{\n(.*?)\n\};", text, re.S)
    if m:
        for e in re.finditer(r"\t\[(\d+)\] = \{ /\* (.*?) \*/\n(.*?)\n\t\},", m.group(1), re.S):
            f = parse_fields(e.group(3))
            f["_index"], f["_tag"] = int(e.group(1)), e.group(2)
            res["svc"].append(f)
    m = re.search(r"const char cfg_yaml\[\] =\n(.*?);\n", text, re.S)
    res["yaml"] = "".join(c_unquote(x) for x in re.findall(r"^\t(" + _STR + ")", m.group(1), re.M)) if m else None
    res["comments"] = re.findall(r"^/\* ([^:\n]+): (\S+) \*/$", text, re.M)
    return res


def parse_h(text):
    """#define NAME value of config_gen.h, values as written."""
    return dict(re.findall(r"^#define (\w+) (.+)$", text, re.M))


def cfg_hash(outdir):
    h = parse_h(read_text(os.path.join(outdir, "config_gen.h")))
    return h["CFG_HASH_HEX"].strip('"')


def yaml_echo(outdir):
    """The YAML echo (`init --print-config`) of a generated config_gen.c,
    parsed."""
    import yaml
    return yaml.safe_load(read_text(os.path.join(outdir, "print-config.yaml")))


def compiler():
    for cc in ("cc", "gcc", "clang", "musl-gcc"):
        if shutil.which(cc):
            return cc
    return None


# The Makefile's warnings: the generated C must compile under them.
CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wvla", "-Wformat=2",
          "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wno-missing-field-initializers"]


def compile_c(outdir):
    """Compile config_gen.c against include/cfg.h (syntax and warnings only).
    Returns None when it compiles, else the compiler's complaint."""
    cc = compiler()
    if cc is None:
        return "no C compiler (cc, gcc, clang, musl-gcc) on PATH"
    p = subprocess.run([cc, *CFLAGS, "-fsyntax-only", "-I" + INCLUDE, "-I" + outdir,
                        os.path.join(outdir, "config_gen.c")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return None if p.returncode == 0 else p.stdout.strip() or f"{cc} exited {p.returncode}"


def pmap(fn, items):
    """[fn(x) for x in items], run on a few threads: most of the time of a
    generator run is Python starting up, and it is spent in a subprocess."""
    from concurrent.futures import ThreadPoolExecutor
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 1))) as ex:
        return list(ex.map(fn, items))
