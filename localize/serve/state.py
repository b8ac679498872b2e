"""What one review app holds between requests: the translations folder, the reviewer, the
access and CSRF tokens, and the glossary's index and issue finder (built on first use), with
the finder's answers and the glossary's matches cached by the text they were computed from.

``create_app`` stores one ``ServeState`` in ``app.extensions["localize"]``; a view gets it
with ``current()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app

from localize.errors import LocalizeError

EXTENSION = "localize"  # the key in app.extensions
CACHED = 8192  # entries' check results (and English texts' glossary matches) kept: a few long articles


@dataclass
class ServeState:
    folder: Path  # the translations folder: only the POs found below it are served
    reviewer: str = ""  # who approves (the PO's Last-Translator, the approval note)
    token: str | None = None  # the access token every request needs, if any
    csrf: str = ""  # the page's token every state-changing request sends back
    glossary_files: tuple = ()
    _index: object = field(default=None, repr=False)
    _find: object = field(default=None, repr=False)

    def terms(self):
        """The glossary's term index, built once; its ``find`` cached by the English."""
        if self._index is None:
            from localize import pipeline

            self._index = _CachedTerms(pipeline.term_index(self.glossary_files, required=False))
        return self._index

    def finder(self):
        """``check``'s issue finder, built once (it gathers the glossary's do-not-translate words),
        its answers cached by what they depend on: the English, the Arabic, the translator comment
        (``# ignore:`` lines) and the ``ignore-`` flags.  The page of a 300-segment article asks
        for every entry at each load; only what changed is checked again."""
        if self._find is None:
            from localize import pipeline

            self._find = _CachedFinder(pipeline.issue_finder(self.terms()))
        return self._find

    def catalogs(self) -> dict[str, Path]:
        """Every PO below the folder, by its path there (``ar/story.po``)."""
        from localize import pipeline

        folder = self.folder
        return {path.relative_to(folder).as_posix(): path for path in pipeline.po_files([folder])} \
            if folder.is_dir() else {}

    def po_path(self, name: str) -> Path:
        """The PO named ``name``; 404 if it is not one of ``catalogs()``."""
        path = self.catalogs().get(name)
        if path is None:
            abort(404, description=f"no PO {name} under {self.folder}")
        return path

    def load(self, name: str):
        """(path, the PO read); 404 as ``po_path``, 422 if it cannot be read."""
        from localize.catalog import read_po

        path = self.po_path(name)
        try:
            return path, read_po(path)
        except LocalizeError as error:
            abort(422, description=error.message)


def current() -> ServeState:
    """The state of the app handling this request."""
    return current_app.extensions[EXTENSION]


class _CachedTerms:
    """A ``TermIndex`` whose ``find`` answers, and the page's English marked with them, are kept
    by text (they depend on nothing else)."""

    def __init__(self, index):
        from localize.serve.entries import marked_english, term_list

        self.index = index
        self.find = lru_cache(maxsize=CACHED)(lambda text: tuple(index.find(text)))  # (a tuple: shared)
        self.english = lru_cache(maxsize=CACHED)(
            lambda text: (marked_english(text, self.find(text)), term_list(self.find(text))))

    def __getattr__(self, name):
        return getattr(self.index, name)


class _CachedFinder:
    """``find(entry)`` answered from a cache keyed by the entry's text, comment and flags."""

    def __init__(self, find):
        import polib

        @lru_cache(maxsize=CACHED)
        def issues(msgid: str, msgstr: str, tcomment: str, flags: tuple) -> tuple:
            return tuple(find(polib.POEntry(msgid=msgid, msgstr=msgstr, tcomment=tcomment, flags=list(flags))))

        self.cache = issues  # (for tests and the curious: cache_info())

    def __call__(self, entry) -> list:
        flags = tuple(flag for flag in entry.flags if flag.startswith("ignore-"))
        return list(self.cache(entry.msgid, entry.msgstr, entry.tcomment or "", flags))
