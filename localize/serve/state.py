"""What one review app holds between requests: the translations folder, the reviewer, the
access and CSRF tokens, and the glossary's index and issue finder (built on first use), with
the finder's answers and the glossary's matches cached by the text they were computed from.

``create_app`` stores one ``ServeState`` in ``app.extensions["localize"]``; a view gets it
with ``current()``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app

from localize.errors import LocalizeError

EXTENSION = "localize"  # the key in app.extensions
CACHED = 8192  # entries' check results (and English texts' glossary matches) kept: a few long articles
PARSED = 4  # POs kept parsed for the article page (a reviewer moves between a few)
MEMORY_FRESH = 5.0  # seconds a thread's memory serves pages before the folder is looked at again


@dataclass
class ServeState:
    folder: Path  # the translations folder: only the POs found below it are served
    reviewer: str = ""  # who approves (the PO's Last-Translator, the approval note)
    token: str | None = None  # the access token every request needs, if any
    csrf: str = ""  # the page's token every state-changing request sends back
    glossary_files: tuple = ()
    _index: object = field(default=None, repr=False)
    _find: object = field(default=None, repr=False)
    _status: object = field(default=None, repr=False)
    _memories: threading.local = field(default_factory=threading.local, repr=False)
    saves: int = 0  # PO writes by this app: a thread's memory older than the last one is opened again
    entry_html: object = field(default=None, repr=False)  # the article page's entries, by what they show
    _parsed: dict = field(default_factory=dict, repr=False)  # {path: (stats, PO)}: the last PARSED pages' POs

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

    def status(self):
        """The POs' status rows, shared with ``localize status`` (``<folder>/.localize-status.sqlite``):
        the list of articles checks only the POs changed since they were last seen."""
        if self._status is None:
            from localize.statuscache import StatusCache

            self._status = StatusCache(self.folder, self.glossary_files, index=self.terms, keep=True)
        return self._status

    def memory(self):
        """(the translation memory for the page's suggestions, a token of its content).  Opening it
        walks the folder for changed POs: a thread keeps its own (SQLite connections are not
        shared) for ``MEMORY_FRESH`` seconds, or until this app writes a PO.  The token changes
        with any PO or TMX file the memory holds, so pages cached with it stay true."""
        from localize.serve.entries import open_memory

        held = getattr(self._memories, "held", None)
        now = time.monotonic()
        if held is None or now - held[2] > MEMORY_FRESH or held[3] != self.saves:
            if held is not None:
                held[0].close()
            memory = open_memory(self.folder)
            held = (memory, memory.token(), now, self.saves)
            self._memories.held = held
        return held[0], held[1]

    def catalogs(self) -> dict[str, Path]:
        """Every PO below the folder, by its path there (``ar/story.po``)."""
        from localize import pipeline

        folder = self.folder
        if not folder.is_dir():
            return {}
        top = folder.as_posix()  # (rglob's paths are the folder's, then theirs: their name is what follows)
        start = 0 if top == "." else len(top.rstrip("/")) + 1
        return {path.as_posix()[start:]: path for path in pipeline.po_files([folder])}

    def po_path(self, name: str) -> Path:
        """The PO named ``name``; 404 if it is not one of ``catalogs()``.  A plain name (no ``.`` or
        ``..`` part, no symlinked folder on the way) is looked up directly, not by listing every PO:
        an archive's article page costs one stat, not thousands."""
        parts = name.split("/")
        path = self.folder.joinpath(*parts)
        plain = name.endswith(".po") and all(part not in ("", ".", "..") and "\\" not in part for part in parts)
        if plain:
            try:
                direct = not any(folder.is_symlink() for folder in list(path.parents)[:len(parts) - 1])
                if direct and path.is_file():
                    return path
            except (OSError, ValueError):  # a name too long for the file system ...
                direct = True
        if not plain or not direct:
            listed = self.catalogs().get(name)
            if listed is not None:
                return listed
        abort(404, description=f"no PO {name} under {self.folder}")

    def load(self, name: str):
        """(path, the PO read) for a page (read only: never written back); 404 as ``po_path``, 422
        if it cannot be read.  The last few POs read are kept by their size, time and inode, once
        settled (as the status cache): reloading an article does not parse it again."""
        from localize.catalog import read_po
        from localize.statuscache import file_stats, settled

        path = self.po_path(name)
        stats = file_stats(path)
        kept = self._parsed.get(str(path))
        if kept is not None and stats is not None and kept[0] == stats:
            return path, kept[1]
        try:
            po = read_po(path)
        except LocalizeError as error:
            abort(422, description=error.message)
        if stats is not None and settled(stats):
            self._parsed[str(path)] = (stats, po)
            while len(self._parsed) > PARSED:
                self._parsed.pop(next(iter(self._parsed)), None)
        return path, po


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
