"""Reproducibility: the same configuration gives the same bytes, whatever
the directory, locale, time zone or hash seed, and the configuration hash
(CFG_HASH_HEX) follows the values, not the comments or the layout."""

import os
import re
import unittest

import lib

# Every good case (expected.yaml) is a configuration to reproduce.
GOOD = sorted(c for c in os.listdir(lib.CASES)
              if os.path.exists(os.path.join(lib.CASES, c, "expected.yaml")))

# The richest of them, for the tests that run the generator many times each.
RICH = ["ok-init-all-keys", "ok-strings-tricky", "ok-svc-all-keys", "ok-order", "ok-env-yaml-words"]

# For the environment test: non-ASCII text, every init key, a dependency graph.
ENV_CASES = ["ok-strings-tricky", "ok-init-all-keys", "ok-order"]

# Environments that must not change a byte of the output.
ENVS = {
    "C, UTC": dict(LC_ALL="C", LANG="C", TZ="UTC", PYTHONHASHSEED="0"),
    "C.UTF-8, Kathmandu": dict(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="Asia/Kathmandu", PYTHONHASHSEED="1"),
    "POSIX, St Johns, dated": dict(LC_ALL="POSIX", TZ="America/St_Johns", PYTHONHASHSEED="4242",
                                   SOURCE_DATE_EPOCH="1700000000"),
    "tr_TR (maybe missing), TZ with offset": dict(LC_ALL="tr_TR.UTF-8", LANG="tr_TR.UTF-8",
                                                  TZ="XYZ-13:30", PYTHONHASHSEED="random"),
    "no locale variables": dict(LC_ALL=None, LANG=None, LC_CTYPE=None, TZ=None, PYTHONHASHSEED="99"),
    "ASCII locale without UTF-8 mode": dict(LC_ALL="C", LANG="C", PYTHONUTF8="0",
                                            PYTHONCOERCECLOCALE="0", PYTHONIOENCODING=None),
}

# A configuration with something of everything, to edit.
BASE_YAML = """\
# base configuration for the hash tests
service_dir: services
log_dir: /log
control:
  unix_socket_path: /run/init.sock
  vsock_enabled: true
  vsock_cid: 4294967295
  max_clients: 8
max_log_size: 1048576
max_log_files: 3
environment:
  TZ: UTC
  MODE: prod
vsock:
  enabled: false
  port: 9000
nsm_driver_path: null
pivot_root: false
pivot_root_dir: /rootfs
"""
BASE_SERVICES = {
    "web.service": """\
# the web front end
ExecStart = "/usr/bin/web --port 8080"
Environment = ["PORT=8080"]
Restart = "always"
RestartSec = 2
TimeoutStopSec = 10
WorkingDirectory = "/srv"
After = ["db"]
Requires = ["db"]
""",
    "db.service": """\
ExecStart = "/usr/bin/db"
Before = ["web"]
""",
    "cron.service.disabled": """\
ExecStart = "/usr/bin/cron"
""",
}


def write_base(root):
    lib.write_text(os.path.join(root, "init.yaml"), BASE_YAML)
    for name, text in BASE_SERVICES.items():
        lib.write_text(os.path.join(root, "services", name), text)
    return root


def edit(root, fname, old, new):
    path = os.path.join(root, fname)
    text = lib.read_text(path)
    if old not in text:
        raise AssertionError(f"test bug: {old!r} not in {fname}")
    lib.write_text(path, text.replace(old, new, 1))


def without_line_tags(ctext):
    """config_gen.c with the `file:line` tags blanked."""
    return re.sub(r"(\.service(?:\.disabled)?):\d+ \*/", r"\1:N */", ctext)


class Reproducible(unittest.TestCase):
    def gen(self, cwd, config="init.yaml", env=None):
        return lib.outputs(lib.generate(self, cwd, config, env=env)[0])

    def test_twice(self):
        """determinism: generating twice gives identical bytes (every good case)"""
        def twice(case):
            d = os.path.join(lib.CASES, case)
            return self.gen(d), self.gen(d)
        for case, (a, b) in zip(GOOD, lib.pmap(twice, GOOD)):
            with self.subTest(case=case):
                self.assertEqual(a, b)

    def test_moved(self):
        """determinism: the same configuration in two other directories gives identical bytes"""
        def moved(case):
            t = lib.tempdir(self)
            one = lib.copy_case(os.path.join(lib.CASES, case), os.path.join(t, "one"))
            two = lib.copy_case(os.path.join(lib.CASES, case),
                                os.path.join(t, "a much", "deeper", "tree with spaces", case))
            return self.gen(os.path.join(lib.CASES, case)), self.gen(one), self.gen(two)
        for case, (want, one, two) in zip(RICH, lib.pmap(moved, RICH)):
            with self.subTest(case=case):
                self.assertEqual(one, want)
                self.assertEqual(two, want)

    def test_config_path_forms(self):
        """determinism: init.yaml named relatively, as ./init.yaml, absolutely or from another cwd: identical bytes"""
        jobs = []
        for case in RICH:
            d = os.path.join(lib.CASES, case)
            parent, base = os.path.split(d)
            elsewhere = lib.tempdir(self)
            jobs += [(case, d, "init.yaml"), (case, d, "./init.yaml"), (case, "/", os.path.join(d, "init.yaml")),
                     (case, parent, os.path.join(base, "init.yaml")),
                     (case, elsewhere, os.path.relpath(os.path.join(d, "init.yaml"), elsewhere))]
        got = lib.pmap(lambda j: self.gen(j[1], j[2]), jobs)
        want = {}
        for (case, cwd, cfg), out in zip(jobs, got):
            want.setdefault(case, out)
            with self.subTest(case=case, cwd=cwd, config=cfg):
                self.assertEqual(out, want[case])

    def test_environment(self):
        """determinism: locale (LC_ALL, LANG), TZ, SOURCE_DATE_EPOCH and the hash seed change no byte"""
        jobs = [(case, None) for case in ENV_CASES] + [(case, label) for case in ENV_CASES for label in ENVS]
        def run(job):
            case, label = job
            d = os.path.join(lib.CASES, case)
            env = lib.base_env(**ENVS[label]) if label else None
            chk = lib.run_gen(d, "--check", "init.yaml", env=env)
            return self.gen(d, env=env), (chk.returncode, chk.stdout, chk.stderr)
        want = {}
        for (case, label), out in zip(jobs, lib.pmap(run, jobs)):
            want.setdefault(case, out)
            with self.subTest(case=case, env=label):
                self.assertEqual(out[0], want[case][0])
                self.assertEqual(out[1], want[case][1], "--check")

    def test_diagnostics(self):
        """determinism: diagnostics are the same in every environment and directory"""
        jobs = []
        for case in ("err-svc-types", "err-cycle-four-kinds"):
            d = os.path.join(lib.CASES, case)
            moved = lib.copy_case(d, os.path.join(lib.tempdir(self), "x y", case))
            jobs += [(case, d, label) for label in ENVS] + [(case, moved, None)]
        def run(job):
            case, where, label = job
            env = lib.base_env(**ENVS[label]) if label else None
            p = lib.run_gen(where, "--check", "init.yaml", env=env)
            return p.returncode, p.stderr
        for (case, where, label), got in zip(jobs, lib.pmap(run, jobs)):
            with self.subTest(case=case, env=label, where=where):
                want = lib.read_text(os.path.join(lib.CASES, case, "expected-errors.txt"))
                self.assertEqual(got, (1, want))


class ConfigHash(unittest.TestCase):
    def base(self):
        root = write_base(os.path.join(lib.tempdir(self), "cfg"))
        out, _ = lib.generate(self, root)
        return root, out

    # (file, old text, new text): each a change of value.
    VALUE_EDITS = [
        ("init.yaml", "log_dir: /log", "log_dir: /log2"),
        ("init.yaml", "service_dir: services", "service_dir: ./services"),
        ("init.yaml", "unix_socket_path: /run/init.sock", "unix_socket_path: /run/init2.sock"),
        ("init.yaml", "vsock_enabled: true", "vsock_enabled: false"),
        ("init.yaml", "vsock_cid: 4294967295", "vsock_cid: 3"),
        ("init.yaml", "max_clients: 8", "max_clients: 9"),
        ("init.yaml", "max_log_size: 1048576", "max_log_size: 1048577"),
        ("init.yaml", "max_log_files: 3", "max_log_files: 4"),
        ("init.yaml", "MODE: prod", "MODE: dev"),
        ("init.yaml", "MODE: prod", "MODE: prod\n  EXTRA: x"),
        ("init.yaml", "  TZ: UTC\n  MODE: prod", "  MODE: prod\n  TZ: UTC"),
        ("init.yaml", "enabled: false", "enabled: true"),
        ("init.yaml", "port: 9000", "port: 9002"),
        ("init.yaml", "nsm_driver_path: null", "nsm_driver_path: nsm.ko"),
        ("init.yaml", "pivot_root: false", "pivot_root: true"),
        ("init.yaml", "pivot_root_dir: /rootfs", "pivot_root_dir: /rootfs2"),
        ("init.yaml", "pivot_root_dir: /rootfs", "pivot_root_dir: /rootfs\nnotify_socket: /run/n"),
        ("init.yaml", "pivot_root_dir: /rootfs", "pivot_root_dir: /rootfs\napp: {health_cmd: /bin/c}"),
        ("services/web.service", "--port 8080", "--port 8081"),
        ("services/web.service", '"/usr/bin/web --port 8080"', '"/usr/bin/web \\"--port 8080\\""'),
        ("services/web.service", '["PORT=8080"]', '["PORT=8081"]'),
        ("services/web.service", 'Restart = "always"', 'Restart = "on-failure"'),
        ("services/web.service", "RestartSec = 2", "RestartSec = 3"),
        ("services/web.service", "TimeoutStopSec = 10", "TimeoutStopSec = 11"),
        ("services/web.service", '"/srv"', '"/srv/web"'),
        ("services/web.service", '"/srv"', '"/srv"\nType = "notify"'),
        ("services/web.service", '"/srv"', '"/srv"\nTimeoutStartSec = 9'),
        ("services/web.service", '"/srv"', '"/srv"\nHealthCmd = "/bin/check"'),
        ("services/web.service", '"/srv"', '"/srv"\nHealthCmd = "/bin/check"\nHealthRetries = 5'),
        ("services/db.service", 'Before = ["web"]', 'Before = ["web"]\nType = "oneshot"'),
        ("services/db.service", 'Before = ["web"]', 'Before = ["web"]\nType = "oneshot"\nRemainAfterExit = true'),
        ("services/web.service", 'After = ["db"]', 'After = ["db"]\nServiceEnable = false'),
        ("services/web.service", 'After = ["db"]', 'After = []'),
        ("services/web.service", 'Requires = ["db"]', 'Requires = []'),
        ("services/db.service", 'Before = ["web"]', 'RequiredBy = ["web"]'),
    ]

    def test_value_changes(self):
        """configuration hash: changes when any value of init.yaml or a service changes"""
        root, out = self.base()

        def edited(change):
            fname, old, new = change
            t = lib.copy_case(root, os.path.join(lib.tempdir(self), "cfg"))
            edit(t, fname, old, new)
            return lib.cfg_hash(lib.generate(self, t)[0])
        seen = {lib.cfg_hash(out): "base"}
        for (fname, old, new), h in zip(self.VALUE_EDITS, lib.pmap(edited, self.VALUE_EDITS)):
            with self.subTest(file=fname, change=f"{old} -> {new}"):
                self.assertNotIn(h, seen, f"same hash as {seen.get(h)}")
                seen[h] = f"{fname}: {new}"

    def test_file_changes(self):
        """configuration hash: changes when a service is added, removed, renamed or disabled"""
        root, out = self.base()
        base_hash = lib.cfg_hash(out)
        moves = [
            ("rename to .disabled", lambda t: os.rename(os.path.join(t, "services/db.service"),
                                                        os.path.join(t, "services/db.service.disabled"))),
            ("enable by renaming", lambda t: os.rename(os.path.join(t, "services/cron.service.disabled"),
                                                       os.path.join(t, "services/cron.service"))),
            ("remove", lambda t: os.remove(os.path.join(t, "services/cron.service.disabled"))),
            ("add", lambda t: lib.write_text(os.path.join(t, "services/new.service"), 'ExecStart = "/bin/new"\n')),
            ("rename", lambda t: os.rename(os.path.join(t, "services/cron.service.disabled"),
                                           os.path.join(t, "services/crond.service.disabled"))),
        ]

        def moved(move):
            t = lib.copy_case(root, os.path.join(lib.tempdir(self), "cfg"))
            move[1](t)
            return lib.cfg_hash(lib.generate(self, t)[0])
        for (label, _), h in zip(moves, lib.pmap(moved, moves)):
            with self.subTest(change=label):
                self.assertNotEqual(h, base_hash)

    # (file, old, new): comments and layout only.
    COSMETIC_EDITS = [
        ("init.yaml", "# base configuration", "# a different comment\n# base configuration"),
        ("init.yaml", "log_dir: /log", "log_dir: /log   # where the logs go"),
        ("init.yaml", "pivot_root_dir: /rootfs\n", "pivot_root_dir: /rootfs\n# trailing comment\n"),
        ("init.yaml", "log_dir: /log", "log_dir: '/log'"),
        ("init.yaml", "max_log_size: 1048576", "max_log_size: 0x100000"),
        ("init.yaml", "vsock:\n  enabled: false\n  port: 9000", "vsock: {enabled: no, port: 9000}"),
        ("init.yaml", "environment:\n  TZ: UTC\n  MODE: prod", "environment: {TZ: 'UTC', MODE: \"prod\"}"),
        ("init.yaml", "service_dir: services\n", "\n\nservice_dir: services\n"),
        ("services/web.service", "# the web front end\n", ""),
        ("services/web.service", 'Restart = "always"', "Restart='always'  # comment"),
        ("services/web.service", '["PORT=8080"]', "[\n  'PORT=8080',  # the port\n]"),
        ("services/web.service", '"/usr/bin/web --port 8080"', "'/usr/bin/web  --port\t8080'"),
        ("services/db.service", 'Before = ["web"]', 'Before = [ "web", ]\n\n# end'),
    ]

    def test_cosmetic_changes(self):
        """configuration hash: unchanged by comments, quoting and layout; config_gen.h unchanged too"""
        root, out = self.base()
        want_h = lib.read_bytes(os.path.join(out, "config_gen.h"))
        want_c = without_line_tags(lib.read_text(os.path.join(out, "config_gen.c")))
        want_hash = lib.cfg_hash(out)

        def edited(change):
            t = lib.copy_case(root, os.path.join(lib.tempdir(self), "cfg"))
            edit(t, *change)
            return lib.generate(self, t)[0]
        for (fname, old, new), o in zip(self.COSMETIC_EDITS, lib.pmap(edited, self.COSMETIC_EDITS)):
            with self.subTest(file=fname, change=f"{old} -> {new}"):
                self.assertEqual(lib.cfg_hash(o), want_hash)
                self.assertEqual(lib.read_bytes(os.path.join(o, "config_gen.h")), want_h)
                if "ExecStart" not in old and "--port" not in old:
                    # Only the file:line tags may move (ExecStart as written is
                    # echoed, so reformatting it shows in the .c, not the hash).
                    self.assertEqual(without_line_tags(lib.read_text(os.path.join(o, "config_gen.c"))), want_c)

    def test_comment_only_same_bytes(self):
        """configuration hash: a comment that moves no line changes no byte of the output"""
        root, out = self.base()
        want = lib.outputs(out)
        t = lib.copy_case(root, os.path.join(lib.tempdir(self), "cfg"))
        edit(t, "init.yaml", "log_dir: /log", "log_dir: /log  # logs")
        edit(t, "services/web.service", "# the web front end", "# the front end, in a comment")
        edit(t, "services/db.service", 'Before = ["web"]', 'Before = ["web"]  # db first')
        self.assertEqual(lib.outputs(lib.generate(self, t)[0]), want)

    def test_alias_same_bytes(self):
        """configuration hash: socket_path (the 0.4 name) gives the same output as control.unix_socket_path"""
        root, out = self.base()
        t = lib.copy_case(root, os.path.join(lib.tempdir(self), "cfg"))
        edit(t, "init.yaml", "  unix_socket_path: /run/init.sock\n", "")
        edit(t, "init.yaml", "log_dir: /log\n", "log_dir: /log\nsocket_path: /run/init.sock\n")
        self.assertEqual(lib.outputs(lib.generate(self, t)[0]), lib.outputs(out))

    def test_check_names_hash(self):
        """configuration hash: --check prints the hash that config_gen.h carries"""
        root, out = self.base()
        p = lib.run_gen(root, "--check", "init.yaml")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"init.yaml: ok, 3 services, configuration hash {lib.cfg_hash(out)}\n")
        self.assertRegex(lib.cfg_hash(out), r"\A[0-9a-f]{16}\Z")


if __name__ == "__main__":
    unittest.main()
