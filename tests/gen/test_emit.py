"""gen/emit.py and the environment merge, called directly: C string
literals, the YAML echo's scalars, the configuration hash's inputs."""

import sys
import unittest

import yaml

import lib

sys.path.insert(0, lib.GEN_DIR)
import emit  # noqa: E402
import readiness  # noqa: E402
from services import Service, merged_environment  # noqa: E402

ODD = ["", "plain", " lead", "trail ", '"quoted"', "back\\slash", "tab\there", "new\nline", "cr\r",
       "nul-free \x01\x1f", "del\x7f", "nel\x85", "nbsp\u00a0", "ls\u2028ps\u2029", "bom\ufeff",
       "café", "☕", "\U0001F600", "a\U0010FFFFb", "??=", "??/", "???", "*/", "/*", "//",
       "null", "~", "true", "no", "on", "123", "0x1F", "1e3", "-", "- x", ": x", "x: y", "# x",
       "[a]", "{a: b}", "&anchor", "*alias", "!tag", "%pct", "@at", "`tick`", "|", ">", "'", "''"]


class CString(unittest.TestCase):
    def test_values(self):
        """emit.c_string: quotes, backslashes and non-printable bytes are escaped"""
        self.assertEqual(emit.c_string(None), "0")
        self.assertEqual(emit.c_string(""), '""')
        self.assertEqual(emit.c_string('say "hi" \\o/'), r'"say \"hi\" \\o/"')
        self.assertEqual(emit.c_string("a\tb\n"), r'"a\011b\012"')
        self.assertEqual(emit.c_string("é"), r'"\303\251"')

    def test_octal_fixed_width(self):
        """emit.c_string: octal escapes are 3 digits, so a following digit is not swallowed"""
        self.assertEqual(emit.c_string("\x017"), r'"\0017"')
        self.assertEqual(emit.c_string("\n0"), r'"\0120"')

    def test_trigraphs(self):
        """emit.c_string: no trigraph can form (every second ? of a run is escaped)"""
        for s, want in (("??=", r'"?\?="'), ("??/", r'"?\?/"'), ("???", r'"?\?\?"'), ("?a?", '"?a?"')):
            with self.subTest(s=s):
                self.assertEqual(emit.c_string(s), want)
                self.assertNotIn("??", emit.c_string(s))

    def test_roundtrip(self):
        """emit.c_string: reading the literal back gives the same text"""
        for s in ODD:
            with self.subTest(s=s):
                self.assertEqual(lib.c_unquote(emit.c_string(s)), s)

    def test_comment(self):
        """emit.c_comment: text inside a comment cannot end it"""
        self.assertEqual(emit.c_comment("units*/web.service:3"), "units*\\/web.service:3")
        self.assertEqual(emit.c_comment("services/web.service:3"), "services/web.service:3")


class YamlScalar(unittest.TestCase):
    def test_roundtrip(self):
        """emit.yaml_scalar: every string reads back as itself (YAML words, non-BMP, controls)"""
        for s in ODD:
            with self.subTest(s=s):
                self.assertEqual(yaml.safe_load("k: " + emit.yaml_scalar(s))["k"], s)

    def test_other_types(self):
        """emit.yaml_scalar: null, booleans and integers are YAML's own"""
        for v in (None, True, False, 0, 4294967295, 1 << 40):
            with self.subTest(v=v):
                self.assertEqual(yaml.safe_load("k: " + emit.yaml_scalar(v))["k"], v)

    def test_keys(self):
        """emit.yaml_key: environment names read back as the same names"""
        for name in ["on", "Off", "YES", "no", "true", "False", "null", "NULL", "y", "n", "Y", "N",
                     "TZ", "PATH", "_", "a1", "On_1", "yes_no"]:
            with self.subTest(name=name):
                self.assertEqual(yaml.safe_load(f"{emit.yaml_key(name)}: v"), {name: "v"})


def service(name, env=(), **kw):
    s = Service(name, f"/abs/{name}.service", f"services/{name}.service", True)
    s.environment = list(env)
    s.argv, s.exec_text = ["/bin/" + name], "/bin/" + name
    s.source = f"services/{name}.service"
    for k, v in kw.items():
        setattr(s, k, v)
    return s


class Environment(unittest.TestCase):
    def test_order(self):
        """merged_environment: init's environment, then the default PATH, then the service's"""
        s = service("a", [("X", "1")])
        self.assertEqual(merged_environment([("TZ", "UTC"), ("LANG", "C")], s),
                         ["TZ=UTC", "LANG=C", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", "X=1"])

    def test_later_wins(self):
        """merged_environment: a later definition replaces the value, keeping the first place"""
        s = service("a", [("B", "svc"), ("C", "1"), ("C", "2"), ("PATH", "/svc")])
        self.assertEqual(merged_environment([("A", "i"), ("PATH", "/init"), ("B", "i")], s),
                         ["A=i", "PATH=/svc", "B=svc", "C=2"])
        # Without the service's own PATH, the default replaces init's.
        self.assertEqual(merged_environment([("A", "i"), ("PATH", "/init")], service("b")),
                         ["A=i", "PATH=/sbin:/usr/sbin:/bin:/usr/bin"])

    def test_empty(self):
        """merged_environment: with nothing set, only the default PATH"""
        self.assertEqual(merged_environment([], service("a")), ["PATH=/sbin:/usr/sbin:/bin:/usr/bin"])


class Canonical(unittest.TestCase):
    def test_paths_left_out(self):
        """emit.canonical: where the files are does not enter the configuration hash"""
        a, b = service("web"), service("web")
        b.path, b.display, b.source = "/elsewhere/web.service", "x/web.service", "x/web.service"
        b.lines = {"ExecStart": 40}
        cfg = {"service_dir": "services", "environment": []}
        for s in (a, b):
            s.env = merged_environment([], s)
        self.assertEqual(emit.canonical(cfg, [a]), emit.canonical(cfg, [b]))

    def test_values_enter(self):
        """emit.canonical: every value of a service enters the configuration hash"""
        cfg = {"service_dir": "services", "environment": []}
        base = service("web")
        base.env = merged_environment([], base)
        changes = {"argv": ["/bin/other"], "env": ["A=1"], "workdir": "/", "restart": "always",
                   "restart_sec": 6, "timeout_stop_sec": 6, "enable": False, "name": "web2",
                   "deps": {"After": ["x"], "Before": [], "Requires": [], "RequiredBy": []},
                   "ready": dict(readiness.defaults(), type="notify"),
                   "ready ": dict(readiness.defaults(), health_cmd="/bin/check", health_argv=["/bin/check"])}
        want = emit.canonical(cfg, [base])
        for attr, value in changes.items():
            with self.subTest(attr=attr):
                s = service("web")
                s.env = base.env
                setattr(s, attr.strip(), value)
                self.assertNotEqual(emit.canonical(cfg, [s]), want)


class ExecHash(unittest.TestCase):
    def hashed(self, **ready):
        s = service("web", [("A", "1")], workdir="/srv")
        s.env = merged_environment([], s)
        s.ready = dict(readiness.defaults(), **ready)
        return emit.exec_hash(s)

    def test_simple_as_before(self):
        """emit.exec_hash: a simple service hashes as before Type existed (argv, env, workdir)"""
        self.assertEqual(self.hashed(), emit.hash64('[["/bin/web"],["PATH=/sbin:/usr/sbin:/bin:/usr/bin","A=1"],"/srv"]'))

    def test_type_enters(self):
        """emit.exec_hash: a change of Type or WatchdogSec restarts the service at reload"""
        self.assertEqual(len({self.hashed(type=t) for t in readiness.TYPES}), 3)
        self.assertEqual(len({self.hashed(type="notify", watchdog_sec=w) for w in (0, 5, 6)}), 3)

    def test_health_and_timeouts_do_not(self):
        """emit.exec_hash: the health check and the readiness timeouts do not restart it"""
        base = self.hashed(type="notify")
        for change in (dict(health_cmd="/bin/check", health_argv=["/bin/check"], health_interval_sec=5,
                            health_start_interval_sec=2, health_timeout_sec=3, health_retries=9,
                            health_start_period_sec=4, health_action="restart"),
                       dict(timeout_start_sec=5)):
            with self.subTest(change=change):
                self.assertEqual(self.hashed(type="notify", **change), base)


class PrivsHashes(unittest.TestCase):
    """User, Group, ..., Limit*: a process keeps what it was started with,
    so each restarts the service at reload; a service without them hashes
    (configuration and exec hash) as before they existed."""

    def changed(self):
        out = []
        for key, value in (("user", "nobody"), ("group", "33"), ("supplementary_groups", ["audio"]),
                           ("umask", 0o027), ("umask", 0o022), ("no_new_privileges", True),
                           ("limits", {"LimitNOFILE": (10, 20)}), ("limits", {"LimitNOFILE": (10, 30)}),
                           ("limits", {"LimitAS": (10, 20)})):
            s = service("web")
            s.env = merged_environment([], s)
            setattr(s.privs, key, value)
            out.append(s)
        return out

    def test_exec_hash(self):
        """emit.exec_hash: each privilege setting restarts the service at reload; none leaves it as it was"""
        plain = service("web")
        plain.env = merged_environment([], plain)
        self.assertEqual(emit.exec_hash(plain), emit.hash64('[["/bin/web"],["PATH=/sbin:/usr/sbin:/bin:/usr/bin"],null]'))
        hashes = {emit.exec_hash(s) for s in self.changed()}
        self.assertEqual(len(hashes), 9)
        self.assertNotIn(emit.exec_hash(plain), hashes)

    def test_configuration_hash(self):
        """emit.canonical: each privilege setting enters the configuration hash; none adds nothing"""
        cfg = {"service_dir": "services", "environment": []}
        plain = service("web")
        plain.env = merged_environment([], plain)
        self.assertNotIn("privs", emit.canonical(cfg, [plain]))
        texts = {emit.canonical(cfg, [s]) for s in self.changed()}
        self.assertEqual(len(texts), 9)


if __name__ == "__main__":
    unittest.main()
