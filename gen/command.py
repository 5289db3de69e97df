"""Command lines written as text: ExecStart and HealthCmd (and the app's
health_cmd), split at build time, the same way for all of them. No shell.
"""

EXEC_MAX = 4096  # a command as written, bytes


def split_exec(text, key="ExecStart"):
    """Split a command into argv: whitespace separates words, double quotes
    group, a backslash takes the next character literally. No shell.
    Returns (argv, error); key names the setting in the error."""
    argv, word, in_word, quoted, i = [], [], False, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 == len(text):
                return None, f"{key} ends with a lone backslash"
            word.append(text[i + 1])
            in_word = True
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
            in_word = True
        elif ch in " \t\n\r" and not quoted:
            if in_word:
                argv.append("".join(word))
                word, in_word = [], False
        else:
            word.append(ch)
            in_word = True
        i += 1
    if quoted:
        return None, f"unterminated double quote in {key}"
    if in_word:
        argv.append("".join(word))
    return argv, None


def check_command(text, key):
    """The argv of a command setting, or (None, the problem)."""
    if "\0" in text:
        return None, f"{key} contains a NUL byte"
    if len(text.encode()) > EXEC_MAX:
        return None, f"{key} is longer than {EXEC_MAX} bytes"
    argv, err = split_exec(text, key)
    if err:
        return None, err
    if not argv:
        return None, f"{key} is empty"
    if argv[0] == "":
        return None, f"{key}'s program name is empty (\"\")"
    return argv, None
