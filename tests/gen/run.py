#!/usr/bin/env python3
"""Generator test suite: `python3 tests/gen/run.py [PATTERN...]` from the repo.

Runs every test in tests/gen/test_*.py (plain unittest, no other package)
and prints exactly one line per test:

    PASS gen: <test name>
    FAIL gen: <test name>: <short reason>
        <details, indented>

It exits 0 even when tests fail: tests/run counts the lines. A PATTERN
keeps only the tests whose name contains it.

A test's name is the first line of its docstring (the data-driven golden
cases under cases/ are named `case <directory>`).
"""

import importlib
import os
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep gen/ and tests/gen/ free of __pycache__


def test_name(test):
    if hasattr(test, "case_name"):
        return test.case_name
    doc = test._testMethodDoc
    if doc and doc.strip():
        return " ".join(doc.strip().split("\n", 1)[0].split())
    return test._testMethodName


def indent(text):
    return "".join("    " + line + "\n" for line in text.rstrip("\n").split("\n"))


def say(line):
    sys.stdout.write(line if line.endswith("\n") else line + "\n")
    sys.stdout.flush()


class Reporter(unittest.TestResult):
    """One PASS/FAIL line per test; subtests fold into their test."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.npass = self.nfail = 0

    def startTest(self, test):
        super().startTest(test)
        self.problems = []

    def _problem(self, kind, err):
        etype, value, tb = err
        if kind == "fail":
            msg = str(value)
            short, _, rest = msg.partition("\n")
            self.problems.append((short or "assertion failed", rest))
        else:
            tbtext = "".join(traceback.format_exception(etype, value, tb))
            self.problems.append((f"{etype.__name__}: {value}".split("\n", 1)[0], tbtext))

    def addFailure(self, test, err):
        self._problem("fail", err)

    def addError(self, test, err):
        if not isinstance(test, unittest.TestCase):
            # A class or module fixture failed: no test ran to carry it.
            etype, value, tb = err
            say(f"FAIL gen: {test.description}: {etype.__name__}: {value}".split("\n", 1)[0])
            say(indent("".join(traceback.format_exception(etype, value, tb))))
            self.nfail += 1
            return
        self._problem("error", err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            kind = "fail" if issubclass(err[0], test.failureException) else "error"
            self._problem(kind, err)
            short, rest = self.problems[-1]
            self.problems[-1] = (f"{subtest._subDescription().strip()} {short}".strip(), rest)

    def addSkip(self, test, reason):
        # Not part of the line protocol: a skipped test is reported as failed
        # so that nothing silently goes untested.
        self.problems.append((f"skipped: {reason}", ""))

    def addExpectedFailure(self, test, err):
        self.problems.append(("expected failure is not allowed here", ""))

    def addUnexpectedSuccess(self, test):
        self.problems.append(("unexpected success", ""))

    def stopTest(self, test):
        super().stopTest(test)
        name = test_name(test)
        if not self.problems:
            say(f"PASS gen: {name}")
            self.npass += 1
            return
        self.nfail += 1
        short = self.problems[0][0]
        say(f"FAIL gen: {name}: {short}")
        details = []
        for i, (s, rest) in enumerate(self.problems):
            if i:
                details.append(s)
            if rest.strip():
                details.append(rest.rstrip())
        if details:
            say(indent("\n".join(details)))


def iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iter_tests(t)
        else:
            yield t


def main(argv):
    # Whatever a failing test prints (surrogates, odd bytes), the line
    # protocol must survive it.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    result = Reporter()
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        modname = fname[:-3]
        try:
            mod = importlib.import_module(modname)
            suite.addTests(loader.loadTestsFromModule(mod))
        except Exception:  # a broken test module is one failure, not a crash
            say(f"FAIL gen: load {modname}: {sys.exc_info()[0].__name__}: {sys.exc_info()[1]}".split("\n")[0])
            say(indent(traceback.format_exc()))
            result.nfail += 1
    if argv:
        kept = [t for t in iter_tests(suite) if any(p in test_name(t) for p in argv)]
        suite = unittest.TestSuite(kept)
    names = {}
    for t in iter_tests(suite):
        names.setdefault(test_name(t), []).append(t.id())
    for n, ids in names.items():
        if len(ids) > 1:
            say(f"FAIL gen: unique test names: '{n}' names {len(ids)} tests ({', '.join(ids)})")
            result.nfail += 1
    suite.run(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
