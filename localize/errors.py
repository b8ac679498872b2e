"""The one exception type the library raises for bad input.

The CLI turns it into a single line, ``Error: <where>: <what> (<what to do>)``,
and exit code 2.  Problems found by checks are never raised: they are
collected as ``Issue`` values.
"""

from __future__ import annotations


class LocalizeError(Exception):
    """Bad input or bad usage, with where it happened and what to do about it."""

    def __init__(self, where: str, what: str, hint: str = ""):
        self.where, self.what, self.hint = where, what, hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text} ({self.hint})" if self.hint else text
