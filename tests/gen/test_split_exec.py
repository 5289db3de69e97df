"""split_exec (gen/services.py), called directly: ExecStart -> argv.

Whitespace separates words, double quotes group, a backslash takes the next
character literally (inside quotes too); nothing else is special: no shell.
"""

import sys
import unittest

import lib

sys.path.insert(0, lib.GEN_DIR)
from services import split_exec  # noqa: E402


class SplitExec(unittest.TestCase):
    def check(self, table):
        for text, want in table:
            with self.subTest(text=text):
                self.assertEqual(split_exec(text), (want, None))

    def test_whitespace(self):
        """split_exec: any run of spaces, tabs, CR and LF separates words"""
        self.check([
            ("/bin/true", ["/bin/true"]),
            ("/bin/echo a b", ["/bin/echo", "a", "b"]),
            ("  /bin/echo   a\t\tb  ", ["/bin/echo", "a", "b"]),
            ("/bin/echo\na\r\nb\n", ["/bin/echo", "a", "b"]),
            # Only ASCII whitespace splits: a no-break space is part of a word.
            ("/bin/echo a\u00a0b", ["/bin/echo", "a\u00a0b"]),
            ("/bin/echo\fa", ["/bin/echo\fa"]),
        ])

    def test_quotes(self):
        """split_exec: double quotes group words, "" is an empty argument"""
        self.check([
            ('/usr/bin/app --name "My App"', ["/usr/bin/app", "--name", "My App"]),
            ('/bin/p ""', ["/bin/p", ""]),
            ('/bin/p "" ""', ["/bin/p", "", ""]),
            ('/bin/p " "', ["/bin/p", " "]),
            ('/bin/p a"b c"d', ["/bin/p", "ab cd"]),
            ('/bin/p "a"b"c"', ["/bin/p", "abc"]),
            ('"/opt/my app/bin" --x', ["/opt/my app/bin", "--x"]),
            ('/bin/p "tab\there"', ["/bin/p", "tab\there"]),
            ('/bin/p "new\nline"', ["/bin/p", "new\nline"]),
            # Single quotes are ordinary characters.
            ("/bin/p 'a b'", ["/bin/p", "'a", "b'"]),
        ])

    def test_backslash(self):
        """split_exec: a backslash takes the next character literally"""
        self.check([
            (r"/bin/p a\ b", ["/bin/p", "a b"]),
            (r'/bin/p \"q\"', ["/bin/p", '"q"']),
            (r"/bin/p \\", ["/bin/p", "\\"]),
            (r"/bin/p \x\n", ["/bin/p", "xn"]),
            (r'/bin/p "a \" b"', ["/bin/p", 'a " b']),
            (r'/bin/p "c\\d"', ["/bin/p", "c\\d"]),
            (r"/bin/p \ ", ["/bin/p", " "]),
            ("/bin/p \\\tx", ["/bin/p", "\tx"]),
            # An escaped quote does not open a group.
            (r'/bin/p \"a b', ["/bin/p", '"a', "b"]),
            (r'/usr/bin/app --name \"My App\"', ["/usr/bin/app", "--name", '"My', 'App"']),
        ])

    def test_no_shell(self):
        """split_exec: no shell: $, |, >, ;, *, ~ and backquotes are kept as written"""
        self.check([
            ("/bin/echo $HOME ${X} $(id)", ["/bin/echo", "$HOME", "${X}", "$(id)"]),
            ("/bin/echo a | grep a > /tmp/f; rm *", ["/bin/echo", "a", "|", "grep", "a", ">", "/tmp/f;", "rm", "*"]),
            ("/bin/echo ~ `id` && || &", ["/bin/echo", "~", "`id`", "&&", "||", "&"]),
            ("/bin/echo # not a comment", ["/bin/echo", "#", "not", "a", "comment"]),
            ("FOO=bar /bin/env", ["FOO=bar", "/bin/env"]),
        ])

    def test_empty(self):
        """split_exec: empty or blank text gives no words"""
        for text in ("", " ", "\t\n  \r"):
            with self.subTest(text=text):
                self.assertEqual(split_exec(text), ([], None))

    def test_errors(self):
        """split_exec: an unterminated quote and a trailing backslash are errors"""
        unterminated = "unterminated double quote in ExecStart"
        backslash = "ExecStart ends with a lone backslash"
        for text, err in [
            ('/bin/echo "hello', unterminated),
            ('"', unterminated),
            ('/bin/p "a" "b', unterminated),
            ('/bin/p "a \\"', unterminated),
            ("/bin/p \\", backslash),
            ("\\", backslash),
            ('/bin/p "a\\', backslash),
            ("/bin/p \\\\\\", backslash),
        ]:
            with self.subTest(text=text):
                self.assertEqual(split_exec(text), (None, err))

    def test_roundtrip(self):
        """split_exec: quoting each word with backslashes gives the words back"""
        words = ["/bin/p", "", " ", "a b", 'q"q', "back\\slash", "\t", "$X", "'", "é ☕"]
        text = " ".join('"' + "".join("\\" + ch if ch in '"\\' else ch for ch in w) + '"' for w in words)
        self.assertEqual(split_exec(text), (words, None))


if __name__ == "__main__":
    unittest.main()
