#!/usr/bin/env python3
"""initgen: init.yaml + service files -> checked C tables for enclave-init.

Usage: initgen.py [--check] [--deps FILE] CONFIG.yaml OUTDIR

Reads CONFIG.yaml and every <name>.service / <name>.service.disabled in its
service_dir (relative to the YAML file when relative), checks everything, and
writes OUTDIR/config_gen.h, OUTDIR/config_gen.c and OUTDIR/print-config.yaml
(what `init --print-config` prints, for the tests). A bad configuration is
reported as `path:line: error: message` and the exit status is 1; nothing is
written then. With --check nothing is written at all. --deps writes a make
fragment naming every input, so the build reruns when one changes.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import emit  # noqa: E402
import graph  # noqa: E402
import initconf  # noqa: E402
import services as svcmod  # noqa: E402
from diag import Diagnostics, Fatal  # noqa: E402

VERSION = "0.1.0"


def generate(yaml_path, diag):
    """Check everything; returns (cfg, services in start order, order_info,
    sources) or None when there were errors."""
    cfg = initconf.load(yaml_path, diag)
    # Fix (tests/gen): where each key was written, for the service_dir error
    # below; taken out, as it is not part of the configuration (nor its hash).
    lines = cfg.pop("_lines")
    app_line = cfg["app"].pop("_line")
    base = os.path.dirname(yaml_path)
    sdir = cfg["service_dir"]
    if sdir is None:  # Fix (tests/gen): written but invalid, already reported
        return None
    read_dir = sdir if os.path.isabs(sdir) else os.path.join(base, sdir)
    display_dir = os.path.normpath(read_dir) if not os.path.isabs(sdir) else sdir
    loaded = []
    for name, path, display, enabled in svcmod.discover(read_dir, display_dir, diag, yaml_path,
                                                           lines.get("service_dir", 1)):
        s = svcmod.load(name, path, display, enabled, diag)
        s.env = svcmod.merged_environment(cfg["environment"], s)
        # Relative to the YAML file's directory: the same wherever the tree lives.
        s.source = os.path.normpath(os.path.relpath(path, base or "."))
        loaded.append(s)
    app = cfg["app"]
    clash = next((s for s in loaded if s.name == app["name"]), None)
    # Only on an otherwise good configuration: the name clash is a choice
    # to make, not a problem to list among real ones.
    if app["enabled"] and clash and not diag.errors:
        diag.error(yaml_path, app_line if "app" in lines else lines.get("service_dir", 1),
                   f"the app (the image's /cmd) is named '{app['name']}', like service "
                   f"{clash.display}; give it another name (app.name) or switch it off "
                   "(app.enabled: false)")
    pred, requires = graph.resolve(loaded, diag)
    cycle = graph.find_cycle(pred)
    if cycle:
        first = next(s for s in loaded if s.name == cycle[0])
        diag.error(first.display, 1, "dependency cycle: " + " -> ".join(cycle))
    if diag.errors:
        return None
    by_name = {s.name: s for s in loaded}
    order = [by_name[n] for n in graph.start_order(pred)]
    succ = {n: set() for n in pred}
    for n, ps in pred.items():
        for p in ps:
            succ[p].add(n)
    info = {n: (pred[n], succ[n], requires[n]) for n in pred}
    sources = [os.path.basename(yaml_path)] + [s.source for s in sorted(loaded, key=lambda s: s.name)]
    return cfg, order, info, sources


def main(argv):
    ap = argparse.ArgumentParser(prog="initgen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="check only, write nothing")
    ap.add_argument("--deps", help="write a make dependency fragment here")
    ap.add_argument("--target", default="config_gen.c", help="make target named in --deps")
    ap.add_argument("config")
    ap.add_argument("outdir", nargs="?")
    args = ap.parse_args(argv)
    if not args.check and not args.outdir:
        ap.error("OUTDIR is required unless --check is given")
    diag = Diagnostics()
    try:
        result = generate(args.config, diag)
    except Fatal as f:
        diag.error(f.path, f.line, f.message)
        result = None
    diag.print()
    if result is None:
        n = len(diag.errors)
        sys.stderr.write(f"initgen: {n} error{'s' if n != 1 else ''}; nothing generated\n")
        return 1
    cfg, order, info, sources = result
    digest, files = emit.render(cfg, order, info, sources, VERSION)
    if args.check:
        print(f"{args.config}: ok, {len(order)} service{'' if len(order) == 1 else 's'}, "
              f"configuration hash {digest}")
        return 0
    os.makedirs(args.outdir, exist_ok=True)
    for fname, text in files.items():
        write_if_changed(os.path.join(args.outdir, fname), text)
    if args.deps:
        write_deps(args, cfg)
    return 0


def write_if_changed(path, text):
    """Leave an identical file untouched, so make does not rebuild for nothing."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_deps(args, cfg):
    base = os.path.dirname(args.config)
    sdir = cfg["service_dir"]
    read_dir = sdir if os.path.isabs(sdir) else os.path.join(base, sdir)
    inputs = [args.config, read_dir]
    inputs += [os.path.join(read_dir, f) for f in sorted(os.listdir(read_dir))
               if f.endswith(svcmod.SUFFIXES)]
    esc = [p.replace(" ", "\\ ") for p in inputs]
    text = f"{args.target}: " + " ".join(esc) + "\n" + "".join(f"{p}:\n" for p in esc)
    write_if_changed(args.deps, text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
