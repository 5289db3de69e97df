"""Compiler-style diagnostics for the generator.

Every problem in a configuration is reported as `path:line: error: message`
(or `warning:`), the way a C compiler reports a bad source file, so that
editors and CI logs can jump to it. The generator never shows a traceback for
a bad input: errors are collected, printed in file order, and the build stops
with exit status 1.
"""

import sys


class Diagnostics:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, path, line, message):
        self.errors.append((path, line or 1, message))

    def warning(self, path, line, message):
        self.warnings.append((path, line or 1, message))

    def print(self, stream=sys.stderr):
        for path, line, msg in self.warnings:
            stream.write(f"{path}:{line}: warning: {msg}\n")
        for path, line, msg in self.errors:
            stream.write(f"{path}:{line}: error: {msg}\n")


class Fatal(Exception):
    """Raised when an input is so broken that checking further is pointless
    (unreadable file, YAML syntax error). Carries one diagnostic."""

    def __init__(self, path, line, message):
        super().__init__(message)
        self.path, self.line, self.message = path, line or 1, message
