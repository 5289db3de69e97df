"""gen/graph.py, called directly: resolving dependency names, finding
cycles, and the start order (a topological sort, ties broken by name)."""

import random
import sys
import unittest

import lib

sys.path.insert(0, lib.GEN_DIR)
import graph  # noqa: E402
from diag import Diagnostics  # noqa: E402
from services import Service  # noqa: E402


def svc(name, **deps):
    """A checked service with dependency keys (After=[...], ...), each
    written on line 10 + its position in DEP_KEYS."""
    s = Service(name, f"/x/{name}.service", f"services/{name}.service", True)
    for i, key in enumerate(("After", "Before", "Requires", "RequiredBy")):
        if key in deps:
            s.deps[key] = list(deps[key])
            s.lines[key] = 10 + i
    return s


def resolve(*services):
    d = Diagnostics()
    pred, req = graph.resolve(list(services), d)
    return pred, req, d


def reference_order(pred):
    """The specified order, computed the slow and obvious way: repeatedly
    take the smallest name whose predecessors have all started."""
    done, order = set(), []
    while len(order) < len(pred):
        ready = [n for n in pred if n not in done and pred[n] <= done]
        if not ready:
            return None
        n = min(ready)
        done.add(n)
        order.append(n)
    return order


def random_dag(rng, n):
    names = rng.sample([f"s{i:02d}" for i in range(100)] + ["a", "b", "web", "db", "z-last", "A", "_x"], n)
    rank = list(names)
    rng.shuffle(rank)
    pred = {x: set() for x in names}
    for i, x in enumerate(rank):
        for y in rank[:i]:
            if rng.random() < 0.15:
                pred[x].add(y)
    return pred


class Resolve(unittest.TestCase):
    def test_kinds(self):
        """graph.resolve: After/Requires order the named service first, Before/RequiredBy last"""
        pred, req, d = resolve(svc("web", After=["db"], Requires=["auth"], Before=["proxy"], RequiredBy=["mon"]),
                               svc("db"), svc("auth"), svc("proxy"), svc("mon"))
        self.assertEqual(pred, {"web": {"db", "auth"}, "db": set(), "auth": set(),
                                "proxy": {"web"}, "mon": {"web"}})
        self.assertEqual(req, {"web": {"auth"}, "db": set(), "auth": set(), "proxy": set(), "mon": {"web"}})
        self.assertEqual((d.errors, d.warnings), ([], []))

    def test_unknown_soft(self):
        """graph.resolve: After/Before naming an unknown service warn and drop the edge"""
        pred, req, d = resolve(svc("web", After=["ghost", "db"], Before=["phantom"]), svc("db"))
        self.assertEqual(pred, {"web": {"db"}, "db": set()})
        self.assertEqual(d.errors, [])
        self.assertEqual(d.warnings, [
            ("services/web.service", 10, "After names unknown service 'ghost' (ignored)"),
            ("services/web.service", 11, "Before names unknown service 'phantom' (ignored)"),
        ])

    def test_unknown_hard(self):
        """graph.resolve: Requires/RequiredBy naming an unknown service are errors"""
        pred, req, d = resolve(svc("web", Requires=["ghost"], RequiredBy=["phantom"]))
        self.assertEqual(d.errors, [
            ("services/web.service", 12, "Requires names unknown service 'ghost'"),
            ("services/web.service", 13, "RequiredBy names unknown service 'phantom'"),
        ])
        self.assertEqual(pred, {"web": set()})
        self.assertEqual(req, {"web": set()})

    def test_self(self):
        """graph.resolve: a service naming itself gets an edge to itself"""
        for key in ("After", "Before", "Requires", "RequiredBy"):
            with self.subTest(key=key):
                pred, _, d = resolve(svc("a", **{key: ["a"]}))
                self.assertEqual(pred, {"a": {"a"}})


class FindCycle(unittest.TestCase):
    def test_none(self):
        """graph.find_cycle: no cycle in a DAG (diamond, chain, empty)"""
        self.assertIsNone(graph.find_cycle({}))
        self.assertIsNone(graph.find_cycle({"a": set()}))
        self.assertIsNone(graph.find_cycle({"a": set(), "b": {"a"}, "c": {"a"}, "d": {"b", "c"}}))
        rng = random.Random(7)
        for _ in range(100):
            self.assertIsNone(graph.find_cycle(random_dag(rng, 12)))

    def test_self(self):
        """graph.find_cycle: a self-dependency is the cycle a -> a"""
        self.assertEqual(graph.find_cycle({"a": {"a"}, "b": set()}), ["a", "a"])

    def test_path(self):
        """graph.find_cycle: the cycle as a path where each starts after the next, from its smallest name"""
        # c after b, b after a, a after c: from a, the next is c.
        self.assertEqual(graph.find_cycle({"a": {"c"}, "b": {"a"}, "c": {"b"}}), ["a", "c", "b", "a"])
        self.assertEqual(graph.find_cycle({"x": {"y"}, "y": {"z"}, "z": {"x"}}), ["x", "y", "z", "x"])

    def test_only_the_cycle(self):
        """graph.find_cycle: services leading into a cycle are not part of it"""
        pred = {"a": {"m"}, "m": {"n"}, "n": {"m"}, "z": {"a"}}
        self.assertEqual(graph.find_cycle(pred), ["m", "n", "m"])

    def test_deterministic(self):
        """graph.find_cycle: the same graph gives the same cycle, whatever the insertion order"""
        pred = {"web": {"api"}, "api": {"db"}, "db": {"web", "cache"}, "cache": {"db"}, "lone": set()}
        first = graph.find_cycle(pred)
        self.assertIsNotNone(first)
        rng = random.Random(1)
        for _ in range(50):
            items = list(pred.items())
            rng.shuffle(items)
            shuffled = {k: set(rng.sample(sorted(v), len(v))) for k, v in items}
            self.assertEqual(graph.find_cycle(shuffled), first)

    def test_is_a_cycle(self):
        """graph.find_cycle: what it returns is a real cycle of the graph"""
        rng = random.Random(3)
        for _ in range(200):
            pred = random_dag(rng, 10)
            a, b = rng.sample(sorted(pred), 2)
            pred[a].add(b)  # may or may not close a cycle
            cyc = graph.find_cycle(pred)
            if cyc is None:
                self.assertIsNotNone(reference_order(pred), pred)
                continue
            self.assertIsNone(reference_order(pred))
            self.assertEqual(cyc[0], cyc[-1])
            self.assertEqual(cyc[0], min(cyc))
            self.assertEqual(len(set(cyc[:-1])), len(cyc) - 1)
            for x, y in zip(cyc, cyc[1:]):
                self.assertIn(y, pred[x])

    def test_deep(self):
        """graph.find_cycle: a chain of 20000 services needs no recursion"""
        n = 20000
        names = [f"s{i:05d}" for i in range(n)]
        pred = {names[i]: ({names[i - 1]} if i else set()) for i in range(n)}
        self.assertIsNone(graph.find_cycle(pred))
        pred[names[0]] = {names[-1]}
        cyc = graph.find_cycle(pred)
        self.assertEqual(len(cyc), n + 1)
        self.assertEqual(cyc[0], "s00000")


class StartOrder(unittest.TestCase):
    def test_ties_by_name(self):
        """graph.start_order: independent services start in name order (bytewise)"""
        names = ["web", "db", "A", "_x", "a", "a-b", "a.b", "a_b", "Z", "1st"]
        self.assertEqual(graph.start_order({n: set() for n in names}), sorted(names))
        self.assertEqual(sorted(names), ["1st", "A", "Z", "_x", "a", "a-b", "a.b", "a_b", "db", "web"])

    def test_dependencies_first(self):
        """graph.start_order: dependencies first; among the ready, the smallest name"""
        pred = {"alpha": {"beta", "gamma", "delta"}, "beta": set(), "gamma": set(), "delta": set(),
                "zeta": set(), "mid": {"zeta"}, "omega": {"mid", "alpha"}}
        self.assertEqual(graph.start_order(pred), ["beta", "delta", "gamma", "alpha", "zeta", "mid", "omega"])

    def test_matches_reference(self):
        """graph.start_order: equals the obvious smallest-ready-name order on random graphs"""
        rng = random.Random(11)
        for _ in range(300):
            pred = random_dag(rng, rng.randint(1, 25))
            self.assertEqual(graph.start_order(pred), reference_order(pred), pred)

    def test_deterministic(self):
        """graph.start_order: insertion order of the graph does not matter"""
        rng = random.Random(5)
        for _ in range(50):
            pred = random_dag(rng, 15)
            want = graph.start_order(pred)
            items = list(pred.items())
            rng.shuffle(items)
            self.assertEqual(graph.start_order(dict(items)), want)

    def test_via_resolve(self):
        """graph: resolve then start_order on services with all four kinds"""
        pred, _, d = resolve(svc("web", After=["api"], RequiredBy=["mon"]), svc("api", Requires=["db"]),
                             svc("db"), svc("cache", Before=["db"]), svc("mon"))
        self.assertIsNone(graph.find_cycle(pred))
        self.assertEqual(graph.start_order(pred), ["cache", "db", "api", "web", "mon"])


if __name__ == "__main__":
    unittest.main()
