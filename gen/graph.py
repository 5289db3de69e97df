"""Service dependencies: resolve names, find cycles, sort the start order.

All four kinds order the start: `After = [x]` and `Requires = [x]` put x
first; `Before = [y]` and `RequiredBy = [y]` put this service before y.
After/Before naming an unknown service are soft (a warning, the edge is
dropped); Requires/RequiredBy naming one are errors. The order is one
deterministic topological sort: among services that are ready, the smallest
name (bytewise) comes first.
"""

import heapq


def resolve(services, diag):
    """Returns (pred, requires): for each service name, the sorted names that
    must be started before it, and the names it requires."""
    names = {s.name for s in services}
    pred = {s.name: set() for s in services}
    requires = {s.name: set() for s in services}
    for s in services:
        for key in ("After", "Before", "Requires", "RequiredBy"):
            line = s.line(key)
            for other in s.deps[key]:
                if other not in names:
                    if key in ("After", "Before"):
                        diag.warning(s.display, line, f"{key} names unknown service '{other}' (ignored)")
                    else:
                        diag.error(s.display, line, f"{key} names unknown service '{other}'")
                    continue
                if key in ("After", "Requires"):
                    pred[s.name].add(other)
                else:
                    pred[other].add(s.name)
                if key == "Requires":
                    requires[s.name].add(other)
                elif key == "RequiredBy":
                    requires[other].add(s.name)
    return pred, requires


def find_cycle(pred):
    """A dependency cycle as a list of names [a, b, ..., a] where each
    service starts after the next one, or None. Searches names in sorted
    order so the same graph always reports the same cycle."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {n: WHITE for n in pred}
    for root in sorted(pred):
        if colour[root] != WHITE:
            continue
        # Iterative DFS: PID 1's build must not depend on Python's recursion limit.
        stack = [(root, iter(sorted(pred[root])))]
        path = [root]
        colour[root] = GREY
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = BLACK
                stack.pop()
                path.pop()
            elif colour[nxt] == GREY:
                cycle = path[path.index(nxt):] + [nxt]
                return _rotate(cycle)
            elif colour[nxt] == WHITE:
                colour[nxt] = GREY
                stack.append((nxt, iter(sorted(pred[nxt]))))
                path.append(nxt)
    return None


def _rotate(cycle):
    """Start the printed cycle at its smallest name."""
    ring = cycle[:-1]
    i = ring.index(min(ring))
    ring = ring[i:] + ring[:i]
    return ring + [ring[0]]


def start_order(pred):
    """Kahn's algorithm with a min-heap: deterministic, ties broken by name."""
    indeg = {n: len(p) for n, p in pred.items()}
    succ = {n: [] for n in pred}
    for n, ps in pred.items():
        for p in ps:
            succ[p].append(n)
    ready = [n for n, d in indeg.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = heapq.heappop(ready)
        order.append(n)
        for m in succ[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                heapq.heappush(ready, m)
    return order
