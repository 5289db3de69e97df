#!/usr/bin/env python3
"""check-layers: the module graph of each program must have no cycle.

A module is one object file (one .c). The graph is read from the objects'
symbols, not from the sources, so it is the graph that is really linked:
module A depends on module B when A has an undefined symbol that B defines.
Generated data (config_gen.o) is a leaf: its references are not edges.

    check-layers.py [--nm NM] [--leaf NAME]... --program NAME OBJ... [--program ...]

Fails (status 1) on any cycle, printing each strongly connected set of
modules and one cycle through it, every edge with a symbol that makes it.
When there is none, prints each program's modules layer by layer: layer 0
depends on nothing of ours, layer n only on layers below n.
Standard library only: it runs with any python3.
"""
import argparse
import os
import subprocess
import sys

UNDEFINED = set("Uw")           # w: weak undefined
DEFINED = set("TDBRCVWGSuvi")   # global definitions (lower case t/d/b are file-local)


def read_symbols(nm, obj):
    """Return (defined, undefined) global symbol sets of one object file."""
    out = subprocess.run([nm, "-P", obj], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("check-layers: %s -P %s: %s" % (nm, obj, out.stderr.strip()))
    defined, undefined = set(), set()
    for line in out.stdout.splitlines():
        f = line.split()
        if len(f) < 2 or f[0].endswith(":"):
            continue
        name, kind = f[0], f[1]
        if kind in UNDEFINED:
            undefined.add(name)
        elif kind in DEFINED:
            defined.add(name)
    return defined, undefined


def module_graph(nm, objs, leaves):
    """Edges {A: {B: symbol}} between the modules named by objs' basenames."""
    syms = {}
    for obj in objs:
        mod = os.path.basename(obj)[:-2] if obj.endswith(".o") else os.path.basename(obj)
        if mod in syms:
            sys.exit("check-layers: two objects make module %s" % mod)
        syms[mod] = read_symbols(nm, obj)
    owner = {}
    for mod, (defined, _) in sorted(syms.items()):
        for s in defined:
            owner.setdefault(s, mod)
    graph = {mod: {} for mod in syms}
    for mod, (_, undefined) in syms.items():
        if mod in leaves:
            continue
        for s in sorted(undefined):
            dep = owner.get(s)
            if dep is not None and dep != mod:
                graph[mod].setdefault(dep, s)
    return graph


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns the sets of two or more modules."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    scc.append(m)
                    if m == node:
                        break
                if len(scc) > 1:
                    sccs.append(sorted(scc))
    return sorted(sccs)


def one_cycle(graph, scc):
    """A shortest cycle through the first module of scc (breadth first)."""
    members = set(scc)
    start = scc[0]
    prev = {start: None}
    queue = [start]
    for node in queue:
        for dep in sorted(graph[node]):
            if dep == start:
                path = [node]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if dep in members and dep not in prev:
                prev[dep] = node
                queue.append(dep)
    return [start]


def count_cycles(graph, scc, cap=10000):
    """Elementary cycles within scc (each counted once, from its least
    module), up to cap: how tangled the set is."""
    order = {m: k for k, m in enumerate(scc)}
    count = 0
    for start in scc:
        # paths from start through modules after it in scc, back to start
        stack = [(start, iter(sorted(graph[start])))]
        on_path = {start}
        while stack and count < cap:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(node)
            elif child == start:
                count += 1
            elif child in order and order[child] > order[start] and child not in on_path:
                on_path.add(child)
                stack.append((child, iter(sorted(graph[child]))))
    return count


def layers(graph):
    """Layer of each module of an acyclic graph: 1 + the highest of its deps."""
    layer = {}

    def visit(m):
        if m not in layer:
            layer[m] = 0  # acyclic: never read before it is set below
            layer[m] = 1 + max((visit(d) for d in graph[m]), default=-1)
        return layer[m]

    for m in sorted(graph):
        visit(m)
    return layer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--leaf", action="append", default=["config_gen"],
                    help="a module whose references are not edges (generated data)")
    ap.add_argument("--program", action="append", nargs="+", required=True,
                    metavar=("NAME", "OBJ"))
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    failed = False
    for name, *objs in args.program:
        if not objs:
            sys.exit("check-layers: program %s has no objects" % name)
        graph = module_graph(args.nm, objs, set(args.leaf))
        sccs = strongly_connected(graph)
        if sccs:
            failed = True
            print("check-layers: %s: FAILED: %d set(s) of modules in a cycle, %d cycle(s) in all:"
                  % (name, len(sccs), sum(count_cycles(graph, s) for s in sccs)))
            for scc in sccs:
                cyc = one_cycle(graph, scc)
                steps = " -> ".join(
                    "%s (%s)" % (a, graph[a][b]) for a, b in zip(cyc, cyc[1:]))
                print("  {%s}: %d cycle(s)" % (", ".join(scc), count_cycles(graph, scc)))
                print("    e.g. %s -> %s" % (steps, cyc[-1]))
            continue
        layer = layers(graph)
        print("check-layers: %s: %d modules, no cycle; layers (each uses only those above it):"
              % (name, len(graph)))
        for n in range(max(layer.values()) + 1):
            print("  %2d  %s" % (n, " ".join(sorted(m for m in layer if layer[m] == n))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
