"""Each PO's review state (``localize status``, the review page's list of articles), kept between
runs in ``<translations>/.localize-status.sqlite``.

A PO's row (segments, reviewed, drafts, untranslated, its issues by type, its source's state,
its title) costs a parse and a glossary and QA check of every entry: seconds at an archive's
size.  The row is kept with what it was computed from: the PO's size and modification time,
its source article's, and a key of everything else the checks read (the glossaries' bytes and
localize's own checking code).  A row is used again only while all of these are as they were;
a file changed within the last two seconds is never trusted by its time (a second change within
the clock's resolution could leave size and time as they were), so its row is not kept.

The rows are kept in SQLite and read a few hundred at a time, so ``localize status`` holds none of
them but those it computed and has not yet written (``FLUSH`` at most): its memory does not grow
with the archive.  The review server, which answers the list of articles many times, also keeps
in memory the rows it read or made (``keep``).

The file is a cache: a missing, broken or foreign one is an empty cache (a new one is renamed
over it), and failing to write it costs the next run the checks, nothing else.  ``status`` and
the review server share it (a row made with other glossaries or another version of localize is
made again, and replaces it)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from functools import lru_cache
from pathlib import Path

from localize.errors import LocalizeError

NAME = ".localize-status.sqlite"
SCHEMA = "localize-status 2"
SETTLED_NS = 2_000_000_000  # two seconds: more than any file system's clock resolution
FLUSH = 256  # rows computed that a run writes together (and holds until then, at most)
# localize's code that a row depends on: the checks, the review rules, the PO reading and summary
CODE = ("checks", "review.py", "catalog.py", "pipeline.py", "po_syntax.py", "records.py", "files.py", "wording.py",
        "engines/protect.py", "data")
_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE rows(path TEXT PRIMARY KEY, key TEXT, po TEXT, source TEXT, source_path TEXT, row TEXT);
"""


@lru_cache(maxsize=1)
def code_key() -> str:
    """A digest of the code that computes a row: a changed check never reads an old row."""
    from localize import __version__

    root = Path(__file__).parent
    sha = hashlib.sha256(__version__.encode())
    for name in CODE:
        path = root / name
        for file in sorted(item for item in path.rglob("*") if item.is_file() and "__pycache__" not in item.parts) \
                if path.is_dir() else [path]:
            with contextlib.suppress(OSError):
                sha.update(file.name.encode() + b"\0" + file.read_bytes())
    return sha.hexdigest()[:16]


def glossary_key(paths: list[str]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(os.path.abspath(path).encode() + b"\0")
        try:
            sha.update(Path(path).read_bytes())
        except OSError:
            sha.update(b"\0unreadable")  # (term_index will say why when a row is computed)
    return sha.hexdigest()[:16]


def file_stats(path: Path | str) -> list | None:
    """[size, modification time, inode] of a file, or None if it cannot be seen."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def settled(*stats: list | None) -> bool:
    """Neither file was written in the last two seconds: its size and time would show a change."""
    newest = max((stat[1] for stat in stats if stat is not None), default=0)
    return time.time_ns() - newest > SETTLED_NS


def title_of(po) -> str:
    """The article's title: its first entry's English."""
    entry = next((item for item in po if not item.obsolete), None)
    return entry.msgid if entry is not None else ""


class StatusCache:
    """``row(path)``: a PO's status row, from the cache when nothing it depends on changed.

    ``index`` makes the glossary's term index when a row must be computed (never when every
    row is cached).  Safe to share between a server's threads."""

    def __init__(self, folder: str | os.PathLike | None, glossary_files=(), index=None, keep: bool = False):
        """``keep``: also keep the rows read or made in this process (a server, answering the list of
        articles many times: its memory holds every row, as the list does; a command holds none)."""
        from localize import pipeline

        paths = pipeline.glossary_paths(glossary_files)
        self.file = Path(folder) / NAME if folder is not None and Path(folder).is_dir() else None
        self.key = f"{code_key()}-{glossary_key(paths)}"
        self._make_index = index or (lambda: pipeline.term_index(glossary_files, required=False))
        self._index = None
        self._lock = threading.RLock()
        self._database = self._open()
        self._pending: dict[str, tuple | None] = {}  # rows computed, not yet written (None: one to forget)
        self._held: dict[str, tuple] | None = {} if keep else None  # (keep: the rows read or made)
        self._written = False  # (rows were written: forget those of POs gone when saving)
        self.computed = 0  # rows computed (not from the cache) since this cache was made

    def _open(self) -> sqlite3.Connection | None:
        """The folder's cache file; a broken or foreign one is replaced by a new one (renamed over
        it: a run holding the old one keeps it); None where none can be kept (no folder, read-only)."""
        if self.file is None:
            return None
        with contextlib.suppress(sqlite3.Error, OSError):
            database = sqlite3.connect(self.file, isolation_level=None, timeout=30, check_same_thread=False)
            try:
                if database.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA,):
                    return database
            except sqlite3.Error:
                pass
            database.close()
            temporary = self.file.with_name(f"{NAME}.{os.getpid()}.tmp")
            try:
                new = sqlite3.connect(temporary, isolation_level=None)
                new.executescript(_TABLES)
                new.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
                new.close()
                os.replace(temporary, self.file)
            finally:
                with contextlib.suppress(OSError):
                    temporary.unlink(missing_ok=True)
            _ignored(self.file)
            return sqlite3.connect(self.file, isolation_level=None, timeout=30, check_same_thread=False)
        return None

    def index(self):
        with self._lock:
            if self._index is None:
                self._index = self._make_index()
            return self._index

    def _kept(self, names: list[str]) -> dict[str, tuple]:
        """{name: (PO stats, source stats, source path, row)} kept for those of ``names`` with rows of
        this key (one statement for them all)."""
        held = self._held if self._held is not None else {}
        found = {name: kept for name in names if (kept := self._pending.get(name, held.get(name))) is not None}
        wanted = [name for name in names if name not in self._pending and name not in held]
        if self._database is None or not wanted:
            return found
        with contextlib.suppress(sqlite3.Error):
            for name, po, source, source_path, row in self._database.execute(
                    f"SELECT path, po, source, source_path, row FROM rows WHERE key = ? AND path IN "
                    f"({','.join('?' * len(wanted))})", [self.key, *wanted]):
                found[name] = (json.loads(po), json.loads(source), source_path, json.loads(row))
                if self._held is not None:
                    self._held[name] = found[name]
        return found

    def rows(self, paths):
        """``(path, its row)`` for each of ``paths`` in turn, or ``(path, LocalizeError)`` for a PO that
        cannot be read; the rows kept are looked up ``FLUSH`` paths at a time."""
        paths = list(paths)
        folder = os.getcwd()
        for start in range(0, len(paths), FLUSH):
            part = paths[start:start + FLUSH]
            names = [os.path.normpath(os.path.join(folder, path)) for path in part]  # (os.path.abspath's names)
            with self._lock:
                kept = self._kept(names)
            for path, name in zip(part, names, strict=True):
                try:
                    yield path, self._row(path, name, kept.get(name))
                except LocalizeError as error:
                    yield path, error

    def row(self, path: Path | str) -> dict:
        """The status row of the PO at ``path`` (with its ``title``); raises ``LocalizeError`` for a
        PO that cannot be read (never cached: it is read again next time)."""
        name = os.path.abspath(path)
        with self._lock:
            kept = self._kept([name]).get(name)
        return self._row(path, name, kept)

    def _row(self, path: Path | str, name: str, kept: tuple | None) -> dict:
        from localize import pipeline
        from localize.catalog import read_po

        po_stats = file_stats(path)
        if kept is not None and po_stats is not None and kept[0] == po_stats and kept[1] == file_stats(kept[2]):
            return kept[3]
        po = read_po(path)
        source_path = str(pipeline.recorded_path(po.metadata.get("X-Source-File", "")))
        source_stats = file_stats(source_path) if source_path != "." else None
        row = {"title": title_of(po), **pipeline.status_row(po, self.index())}
        with self._lock:
            self.computed += 1
            if po_stats is not None and settled(po_stats, source_stats):
                made = self._pending[name] = (po_stats, source_stats, source_path, row)
                if self._held is not None:
                    self._held[name] = made
            else:
                if kept is not None:
                    self._pending[name] = None
                if self._held is not None:
                    self._held.pop(name, None)
            if len(self._pending) >= FLUSH:
                self._write()
        return row

    def save(self) -> None:
        """Write the rows computed, and forget those of POs that are gone (a failure is silent: it is
        a cache)."""
        with self._lock:
            self._write()
            if not self._written or self._database is None:
                return
            self._written = False
            with contextlib.suppress(sqlite3.Error):
                gone = [(name,) for (name,) in self._database.execute("SELECT path FROM rows")
                        if not os.path.exists(name)]
                if gone:
                    self._database.executemany("DELETE FROM rows WHERE path = ?", gone)

    def _write(self) -> None:
        pending, self._pending = self._pending, {}
        if not pending or self._database is None:
            return
        with contextlib.suppress(sqlite3.Error):
            self._database.execute("BEGIN IMMEDIATE")
            try:
                self._database.executemany("DELETE FROM rows WHERE path = ?",
                                           [(name,) for name, kept in pending.items() if kept is None])
                self._database.executemany(
                    "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?)",
                    [(name, self.key, json.dumps(kept[0]), json.dumps(kept[1]), kept[2],
                      json.dumps(kept[3], ensure_ascii=False)) for name, kept in pending.items() if kept is not None])
                self._database.execute("COMMIT")
                self._written = True
            finally:
                if self._database.in_transaction:
                    self._database.execute("ROLLBACK")


def _ignored(file: Path) -> None:
    """The ``.gitignore`` that ``localize init`` wrote in the folder before this cache was SQLite
    lists the JSON file it replaced: the new name is added to it (a cache is not for version
    control), once.  Any other ``.gitignore`` is the desk's own, and left as it is."""
    from localize.errors import LocalizeError
    from localize.files import write_atomic

    ignore = file.parent / ".gitignore"
    with contextlib.suppress(OSError, UnicodeError, LocalizeError):  # (the cache works without it)
        data = ignore.read_bytes()
        text = data.decode("utf-8")
        lines = text.splitlines()
        if ".localize-status.json" in lines and file.name not in lines:  # (saved meanwhile: left as saved)
            write_atomic(ignore, text + ("" if text.endswith("\n") or not text else "\n") + file.name + "\n",
                         expect=hashlib.sha256(data).hexdigest())
