"""The exceptions the library raises, by cause.

Every one is a ``LocalizeError``, which the command line turns into a single
line, ``Error: <where>: <what> (<what to do>)``, and exit code 2; a caller that
must react to the cause (the review page: wait for a busy lock, say "cannot
write" for a full disk) catches the subclass.  Problems found by checks are
never raised: they are collected as ``Issue`` values.
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


class BadInput(LocalizeError):
    """A file or value that cannot be used as given (empty, binary, malformed, too large)."""


class LockBusy(LocalizeError):
    """Another localize run holds the folder's lock (try again when it is done)."""


class WriteFailed(LocalizeError):
    """A file could not be written (permissions, full disk, not a regular file); nothing was changed."""


class Changed(WriteFailed):
    """A file changed on disk since this run read it (a person saved it): it was left as it is."""


class Stopped(LocalizeError):
    """The engine stopped partway (a translation server gone): ``done`` holds the drafts it
    finished ({the source's index: draft}); ``complete`` (set by the pipeline) the targets whose
    every segment got its draft, which a run still writes, and ``counts`` their drafts."""

    def __init__(self, cause: LocalizeError, done: dict):
        super().__init__(cause.where, cause.what, cause.hint)
        self.done = done
        self.complete: set = set()
        self.counts: tuple[dict, dict] = ({}, {})
