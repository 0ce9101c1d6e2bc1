"""Errors that are the user's to fix: shown as one clear line, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input (a file, an option, a request).

    The message must name the file or option and the problem, e.g.
    ``scenarios/war.toml:12: field 'runs': expected an integer``.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.path = path
        self.hint = hint
        full = f"{path}: {message}" if path else message
        if hint:
            full = f"{full} ({hint})"
        super().__init__(full)
