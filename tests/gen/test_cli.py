"""initgen.py as a command: what it writes, when it writes nothing, --check,
--deps, and configurations that cannot live in the repository as golden
cases (absolute paths, odd directory names)."""

import os
import subprocess
import sys
import time
import unittest

import lib

WEB = 'ExecStart = "/bin/web"\n'


def tree(testcase, yaml_text="service_dir: services\n", services=None, name="cfg"):
    root = os.path.join(lib.tempdir(testcase), name)
    lib.write_text(os.path.join(root, "init.yaml"), yaml_text)
    for fname, text in (services if services is not None else {"web.service": WEB}).items():
        lib.write_text(os.path.join(root, "services" if "/" not in fname else "", fname), text)
    os.makedirs(os.path.join(root, "services"), exist_ok=True)
    return root


class Cli(unittest.TestCase):
    def test_check_writes_nothing(self):
        """cli: --check writes nothing, even given an OUTDIR"""
        root = tree(self)
        out = os.path.join(lib.tempdir(self), "out")
        p = lib.run_gen(root, "--check", "init.yaml", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"\Ainit.yaml: ok, 1 service, configuration hash [0-9a-f]{16}\n\Z")
        self.assertEqual(p.stderr, "")
        self.assertFalse(os.path.exists(out))
        self.assertEqual(sorted(os.listdir(root)), ["init.yaml", "services"])

    def test_outdir_required(self):
        """cli: without --check an OUTDIR is required (usage error, status 2)"""
        p = lib.run_gen(tree(self), "init.yaml")
        self.assertEqual(p.returncode, 2)
        self.assertIn("OUTDIR is required", p.stderr)
        self.assertFalse(lib.has_traceback(p.stderr))

    def test_writes_two_files(self):
        """cli: generating writes config_gen.c, config_gen.h and print-config.yaml only, creating OUTDIR"""
        out = os.path.join(lib.tempdir(self), "new", "dir")
        p = lib.run_gen(tree(self), "init.yaml", out)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        self.assertEqual(sorted(os.listdir(out)), ["config_gen.c", "config_gen.h", "print-config.yaml"])

    def test_unchanged_untouched(self):
        """cli: regenerating an unchanged configuration leaves the files untouched (make does not rebuild)"""
        root = tree(self)
        out, _ = lib.generate(self, root)
        paths = [os.path.join(out, f) for f in ("config_gen.c", "config_gen.h")]
        for pth in paths:
            os.utime(pth, (1000000000, 1000000000))
        p = lib.run_gen(root, "init.yaml", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([os.stat(pth).st_mtime for pth in paths], [1000000000] * 2)
        self.assertEqual(sorted(os.listdir(out)), ["config_gen.c", "config_gen.h", "print-config.yaml"])  # no .tmp left

    def test_bad_keeps_old_output(self):
        """cli: a bad configuration leaves an earlier OUTDIR exactly as it was"""
        root = tree(self)
        out, _ = lib.generate(self, root)
        before = lib.outputs(out)
        lib.write_text(os.path.join(root, "services", "web.service"), 'ExecStart = "/bin/web\n')
        p = lib.run_gen(root, "init.yaml", out)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(lib.outputs(out), before)

    def test_missing_config(self):
        """cli: a configuration file that does not exist is one diagnostic, status 1"""
        p = lib.run_gen(lib.tempdir(self), "--check", "nope/init.yaml")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, "nope/init.yaml:1: error: cannot read configuration: No such file or directory\n"
                                   "initgen: 1 error; nothing generated\n")

    def test_config_path_in_diagnostics(self):
        """cli: diagnostics name files as the user named the configuration"""
        root = tree(self, "service_dir: services\nlog_dir: x\n", {"web.service": "Restart = 1\n"})
        parent = os.path.dirname(root)
        want = ("{0}init.yaml:2: error: log_dir must be an absolute path, not 'x'\n"
                "{0}services/web.service:1: error: Restart must be a string, not an integer\n"
                "{0}services/web.service:1: error: missing ExecStart (the command to run)\n"
                "initgen: 3 errors; nothing generated\n")
        for cwd, cfg, prefix in ((root, "init.yaml", ""), (parent, "cfg/init.yaml", "cfg/"),
                                 ("/", os.path.join(root, "init.yaml"), root + "/")):
            with self.subTest(config=cfg):
                p = lib.run_gen(cwd, "--check", cfg)
                self.assertEqual((p.returncode, p.stderr), (1, want.format(prefix)))

    def test_deps(self):
        """cli: --deps writes a make fragment naming init.yaml, service_dir and every service file"""
        root = tree(self, "service_dir: my services\n",
                    {"my services/web.service": WEB, "my services/old.service.disabled": WEB,
                     "my services/notes.txt": "not a service\n"})
        out = os.path.join(lib.tempdir(self), "out")
        deps = os.path.join(out, "config.d")
        p = lib.run_gen(root, "--deps", deps, "--target", "build/gen/config_gen.c", "init.yaml", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(lib.read_text(deps),
                         "build/gen/config_gen.c: init.yaml my\\ services my\\ services/old.service.disabled "
                         "my\\ services/web.service\n"
                         "init.yaml:\nmy\\ services:\nmy\\ services/old.service.disabled:\n"
                         "my\\ services/web.service:\n")

    def test_service_dir_absolute(self):
        """cli: an absolute service_dir is read as is and named as is in diagnostics"""
        sdir = os.path.join(lib.tempdir(self), "units")
        lib.write_text(os.path.join(sdir, "web.service"), WEB)
        lib.write_text(os.path.join(sdir, "bad.service"), 'ExecStart = "/bin/bad"\nRestartSec = -2\n')
        root = tree(self, f"service_dir: {sdir}\n", {})
        p = lib.run_gen(root, "--check", "init.yaml")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, f"{sdir}/bad.service:2: error: RestartSec must not be negative (got -2)\n"
                                   "initgen: 1 error; nothing generated\n")
        os.remove(os.path.join(sdir, "bad.service"))
        out, _ = lib.generate(self, root)
        echo = lib.yaml_echo(out)
        self.assertEqual(echo["service_dir"], sdir)
        self.assertEqual([s["name"] for s in echo["services"]], ["web"])
        # The service dir is not empty and not missing: the table names it.
        self.assertIn(f'.service_dir = "{sdir}",', lib.read_text(os.path.join(out, "config_gen.c")))

    def test_odd_directory_names(self):
        """cli: a service_dir named with '*/', '??/' or a newline still gives C that compiles"""
        for sdir in ("units*", "units*/more*", "a??/b", "with\nnewline", "sp ace"):
            with self.subTest(service_dir=sdir):
                root = tree(self, "service_dir: " + lib_yaml_str(sdir) + "\n", {}, name="c")
                lib.write_text(os.path.join(root, sdir, "web.service"), WEB)
                out, _ = lib.generate(self, root)
                self.assertIsNone(lib.compile_c(out))
                echo = lib.yaml_echo(out)
                self.assertEqual(echo["services"][0]["source"], os.path.join(sdir, "web.service"))
                self.assertEqual(echo["service_dir"], sdir)

    def test_no_traceback_on_odd_input(self):
        """cli: odd but possible inputs give diagnostics, never a traceback"""
        cases = {
            "empty init.yaml and missing /service": ("", None),
            "YAML alias and merge key": ("base: &b {log_dir: /x}\n<<: *b\nservice_dir: services\n", None),
            "binary junk": ("\x00\x01\x02service_dir: services\n", None),
            "deep nesting": ("service_dir: services\ncontrol: " + "[" * 200 + "]" * 200 + "\n", None),
            "huge integer": ("service_dir: services\nmax_log_size: " + "9" * 400 + "\n", None),
            "tag": ("service_dir: !!binary aGVsbG8=\n", None),
            "python tag": ("service_dir: !!python/object:os.system x\n", None),
            "directory as a service": ("service_dir: services\n", {"dir.service/x": ""}),
            "TOML table of tables": ("service_dir: services\n", {"a.service": "[[ExecStart]]\nx = 1\n"}),
            "TOML dotted key": ("service_dir: services\n", {"a.service": 'ExecStart.x = "1"\n'}),
            "TOML huge int": ("service_dir: services\n", {"a.service": 'ExecStart = "/a"\nRestartSec = 99999999999999999999999\n'}),
            "TOML inf": ("service_dir: services\n", {"a.service": 'ExecStart = "/a"\nRestartSec = inf\n'}),
        }
        for label, (yml, svcs) in cases.items():
            with self.subTest(input=label):
                root = tree(self, yml, {k: v for k, v in (svcs or {}).items() if "/" not in k}, name="t")
                for k, v in (svcs or {}).items():
                    if "/" in k:
                        lib.write_text(os.path.join(root, "services", k), v)
                p = lib.run_gen(root, "--check", "init.yaml")
                self.assertFalse(lib.has_traceback(p.stderr), p.stderr)
                self.assertIn(p.returncode, (0, 1), p.stderr)
                if p.returncode == 1:
                    lines = p.stderr.rstrip("\n").split("\n")
                    for line in lines[:-1]:
                        self.assertRegex(line, lib.DIAG_LINE)
                    self.assertRegex(lines[-1], r"\Ainitgen: \d+ errors?; nothing generated\Z")

    def test_service_file_not_regular(self):
        """cli: a FIFO or a link to /dev/zero named .service is an error, not a hang"""
        for label in ("FIFO", "link to /dev/zero", "FIFO as init.yaml"):
            with self.subTest(input=label):
                root = tree(self, name="t")
                sdir = os.path.join(root, "services")
                config = "init.yaml"
                if label == "FIFO":
                    os.mkfifo(os.path.join(sdir, "x.service"))
                    where = "services/x.service:1: error: "
                elif label == "link to /dev/zero":
                    os.symlink("/dev/zero", os.path.join(sdir, "y.service"))
                    where = "services/y.service:1: error: "
                else:
                    os.mkfifo(os.path.join(root, "fifo.yaml"))
                    config = "fifo.yaml"
                    where = "fifo.yaml:1: error: "
                p = subprocess.run([sys.executable, lib.INITGEN, "--check", config], cwd=root,
                                   env=lib.base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, timeout=20, encoding="utf-8",
                                   errors="replace")
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertFalse(lib.has_traceback(p.stderr), p.stderr)
                lines = p.stderr.rstrip("\n").split("\n")
                self.assertTrue(lines[0].startswith(where + "cannot read "), p.stderr)
                self.assertIn(": not a regular file (a ", lines[0], p.stderr)
                for line in lines[:-1]:
                    self.assertRegex(line, lib.DIAG_LINE)
                self.assertRegex(lines[-1], r"\Ainitgen: \d+ errors?; nothing generated\Z")

    def test_input_too_large(self):
        """cli: an init.yaml or service file over 1 MiB is an error, read no further"""
        big = "# " + "x" * (1 << 20) + "\n"
        for label in ("init.yaml", "service file"):
            with self.subTest(input=label):
                if label == "init.yaml":
                    root = tree(self, "service_dir: services\n" + big, name="t")
                    where = "init.yaml:1: error: configuration is larger than 1 MiB"
                else:
                    root = tree(self, services={"web.service": WEB + big}, name="t")
                    where = "services/web.service:1: error: service file is larger than 1 MiB"
                p = lib.run_gen(root, "--check", "init.yaml")
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertEqual(p.stderr.split("\n")[0], where, p.stderr)

    def test_speed(self):
        """cli: 200 services generate in well under the time a build can wait (10 s)"""
        svcs = {f"s{i:03d}.service": f'ExecStart = "/bin/s{i}"\nAfter = ["s{max(i - 1, 0):03d}"]\n'
                for i in range(1, 200)}
        svcs["s000.service"] = WEB
        root = tree(self, "service_dir: services\n", svcs)
        t = time.monotonic()
        out, _ = lib.generate(self, root)
        self.assertLess(time.monotonic() - t, 10)
        echo = lib.yaml_echo(out)
        self.assertEqual([s["name"] for s in echo["services"]], [f"s{i:03d}" for i in range(200)])


def lib_yaml_str(s):
    import json
    return json.dumps(s)


if __name__ == "__main__":
    unittest.main()
