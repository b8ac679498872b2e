"""The translation memory, kept in an SQLite index in the translations folder.

The PO files and imported TMX files stay the source of truth; the index
(``<folder>/.localize-memory.sqlite``) is a cache of their reviewed units that
a run brings up to date from the files whose size or modification time
changed (as git's index does), instead of parsing every PO of the archive on
every run.  A corrupt, foreign or old-schema index is deleted and rebuilt,
never trusted; deleting it loses nothing.  Where it cannot be written (a
read-only folder), it is built in memory for the run.

Lookups keep ``tm.Memory``'s meaning: an exact match is the first unit for an
English (PO files by path, then TMX files); fuzzy suggestions are the units
whose ``rapidfuzz.fuzz.ratio`` with the English is at least 75, best first.
The ratio is computed only for the units that SQLite's FTS5 full-text index
finds sharing the English's rarest words (one of them, two when it has four
or more: a unit 75% like the English shares most of its words), within the
lengths a 75% ratio allows, so a lookup does not compare against every unit
of a large archive.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from localize.errors import LocalizeError
from localize.memory.tm import FUZZY_MIN, Suggestion, Unit, _key

if TYPE_CHECKING:
    import numpy

NAME = ".localize-memory.sqlite"
SCHEMA = "localize-memory 2"
PRELOAD = 1000  # lookups after which a run reads what lookups need at once
RAREST = 8  # the query's rarest words (in the memory) that candidates must share one of
_SHARE_TWO = 4  # ... or two of, when it has this many rare words or more

_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(path TEXT PRIMARY KEY, kind INTEGER, size INTEGER, mtime_ns INTEGER);
CREATE TABLE units(id INTEGER PRIMARY KEY, file TEXT, kind INTEGER, position INTEGER,
                   key TEXT, source TEXT, target TEXT, origin TEXT, ignores TEXT);
CREATE INDEX units_key ON units(key, kind, file, position);
CREATE INDEX units_file ON units(file);
CREATE VIRTUAL TABLE words USING fts5(key, tokenize = 'unicode61');
CREATE VIRTUAL TABLE vocabulary USING fts5vocab(words, 'row');
"""


class MemoryIndex:
    """``match``, ``suggest`` and ``len`` as ``tm.Memory``, from the index of ``folder``."""

    def __init__(self, folder: str | os.PathLike, warn=None):
        """``warn(line)``: told of each file that cannot serve as memory (default: kept in
        ``warnings``, for the caller to show)."""
        self.folder = Path(folder)
        self.warnings: list[str] = []
        self.warn = warn or self.warnings.append
        sources = self._sources()  # one walk of the folder, for both
        self.database = self._open(any(kind == 0 for kind, _ in sources.values()))
        try:
            self._refresh(sources)
        except sqlite3.Error as error:  # a full disk, a file-size limit, an I/O error: the cache is not
            self.database.close()  # worth the run; build it in memory for this run instead
            if "locked" not in str(error):  # (a locked one is another run's, busy for over a minute)
                with contextlib.suppress(OSError):
                    (self.folder / NAME).unlink(missing_ok=True)
            self.database = _created(sqlite3.connect(":memory:", isolation_level=None))
            self._refresh(sources)
        self.size = self.database.execute("SELECT COUNT(DISTINCT key) FROM units").fetchone()[0]
        self._frequency: dict[str, int] = {}  # words' document frequencies, as asked for
        self._keys: dict[int, str] = {}  # units' English by id, as asked for
        self._postings: dict[str, object] = {}  # units holding a word, as asked for
        self._lookups = 0
        # after PRELOAD lookups: (every English's first row, lengths by id)
        self._all: tuple[dict[str, tuple], numpy.ndarray] | None = None

    def __len__(self) -> int:
        return self.size

    def close(self) -> None:
        self.database.close()

    # --- lookups ---------------------------------------------------------------------------

    def match(self, source: str) -> Unit | None:
        key = _key(source)
        self._counted()
        if self._all is not None:
            row = self._all[0].get(key)
            return None if row is None else _unit(row[4:])
        return self._first_units([key]).get(key)

    def suggest(self, source: str, limit: int = 3) -> list[Suggestion]:
        """Close matches (ratio 75 or more), best first, exact ones excluded."""
        import numpy
        from rapidfuzz import fuzz, process

        key = _key(source)
        words = _words(key)
        if not words or not self.size:
            return []
        self._counted()
        frequencies = self._frequencies(words)
        common = max(50, self.size // 50)  # a word in 2% of the units narrows little down
        ranked = sorted(frequencies, key=frequencies.__getitem__)
        rarest = [word for word in ranked[:RAREST] if frequencies[word] <= common] or ranked[:3]
        if not rarest:
            return []
        ids = numpy.concatenate([self._holding(word) for word in rarest])
        ids.sort(kind="stable")  # a merge of the sorted postings
        if len(rarest) >= _SHARE_TWO:  # a unit 75% like the English shares most of its rare words: two at least
            ids = ids[1:][ids[1:] == ids[:-1]]
        ids = ids[numpy.concatenate(([True], ids[1:] != ids[:-1]))] if len(ids) else ids  # each once
        low, high = len(key) * 0.6 - 1, len(key) / 0.6 + 1  # the lengths a 75% ratio allows
        if self._all is not None:
            lengths = self._all[1][ids]
            ids = ids[(lengths >= low) & (lengths <= high)]
        keys = self._english(ids.tolist())
        candidates = list({text for text in keys if low <= len(text) <= high} - {key})
        found = process.extract(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None)
        found.sort(key=lambda item: (-item[1], item[0]))  # ties by text, as tm.Memory does
        found = found[:limit]
        units = self._first_units([text for text, _, _ in found])
        return [Suggestion(int(score), units[text]) for text, score, _ in found]

    def _counted(self) -> None:
        """Count a lookup; after PRELOAD of them (a batch of many articles), read what lookups
        need at once instead of asking SQLite each time."""
        self._lookups += 1
        if self._all is not None or self._lookups <= PRELOAD:
            return
        import numpy

        self._keys = dict(self.database.execute("SELECT id, key FROM units"))
        lengths = numpy.zeros(max(self._keys, default=0) + 1, dtype=numpy.int32)
        lengths[list(self._keys)] = [len(key) for key in self._keys.values()]
        self._frequency = dict(self.database.execute("SELECT term, doc FROM vocabulary"))
        self._all = (_first_rows(self.database.execute(f"SELECT {_ROW} FROM units")), lengths)

    def _first_units(self, keys: list[str]) -> dict[str, Unit]:
        """The first unit (PO files by path, then TMX files) of each English."""
        if self._all is not None:
            return {key: _unit(self._all[0][key][4:]) for key in keys if key in self._all[0]}
        if not keys:
            return {}
        first = _first_rows(self.database.execute(f"SELECT {_ROW} FROM units WHERE key IN (%s)"
                                                  % ",".join("?" * len(keys)), keys))
        return {key: _unit(row[4:]) for key, row in first.items()}

    def _english(self, ids: list[int]) -> list[str]:
        """The English of the units ``ids`` (asked for once per run)."""
        keys = self._keys
        missing = [unit for unit in ids if unit not in keys]
        for chunk in range(0, len(missing), 500):
            part = missing[chunk:chunk + 500]
            keys.update(self.database.execute(f"SELECT id, key FROM units WHERE id IN ({','.join('?' * len(part))})",
                                              part))
        return [keys[unit] for unit in ids]

    def _holding(self, word: str):
        """The ids of the units holding ``word`` (FTS5's postings, kept for the run: a batch's
        articles share most of their words)."""
        import numpy

        postings = self._postings.get(word)
        if postings is None:
            rows = self.database.execute("SELECT rowid FROM words WHERE words MATCH ?", (f'"{word}"',))
            postings = self._postings[word] = numpy.fromiter((unit for (unit,) in rows), dtype=numpy.int64)
        return postings

    def _frequencies(self, words: list[str]) -> dict[str, int]:
        """How many units hold each word (FTS5's vocabulary); words no unit holds are left out."""
        frequency = self._frequency
        if self._all is None:
            for word in words:
                if word not in frequency:
                    row = self.database.execute("SELECT doc FROM vocabulary WHERE term = ?", (word,)).fetchone()
                    frequency[word] = row[0] if row else 0
        return {word: frequency[word] for word in words if frequency.get(word)}

    # --- keeping the index -------------------------------------------------------------------

    def _open(self, has_pos: bool) -> sqlite3.Connection:
        path = self.folder / NAME
        if (has_pos or path.exists()) and os.access(self.folder, os.W_OK):  # a folder of no PO gets no file
            try:
                database = sqlite3.connect(path, isolation_level=None, timeout=60)  # (batch shards at once)
                if _schema(database) == SCHEMA:
                    return database
                database.close()
                path.unlink(missing_ok=True)  # corrupt, foreign or old: rebuilt, never trusted
                return _created(sqlite3.connect(path, isolation_level=None, timeout=60))
            except (sqlite3.Error, OSError):  # not a file we can use (a folder in the way ...)
                pass
        return _created(sqlite3.connect(":memory:", isolation_level=None))

    def _sources(self) -> dict:
        """{name: (kind, path)} of the PO files (kind 0) and imported TMX files (kind 1)."""
        files = {}
        if self.folder.is_dir():
            for path in self.folder.rglob("*.po"):
                files[path.as_posix()] = (0, path)
            tm = self.folder / "tm"
            for path in tm.glob("*.tmx") if tm.is_dir() else ():
                files[path.as_posix()] = (1, path)
        return files

    def _refresh(self, files: dict) -> None:
        """Bring the index up to date with the PO and TMX files (by size and mtime)."""
        known = {row[0]: row[1:] for row in self.database.execute("SELECT path, size, mtime_ns FROM files")}
        changed = []
        for name, (kind, path) in files.items():
            try:
                stat = path.stat()
            except OSError:
                continue
            if known.get(name) != (stat.st_size, stat.st_mtime_ns):
                changed.append((name, kind, path, stat))
        gone = [name for name in known if name not in files]
        if not changed and not gone:
            return
        database = self.database
        database.execute("BEGIN IMMEDIATE")  # another run refreshing the file: wait for it (timeout)
        try:
            for name in gone + [name for name, *_ in changed]:
                database.execute("DELETE FROM words WHERE rowid IN (SELECT id FROM units WHERE file = ?)", (name,))
                database.execute("DELETE FROM units WHERE file = ?", (name,))
                database.execute("DELETE FROM files WHERE path = ?", (name,))
            for name, kind, path, stat in changed:
                for position, unit in enumerate(_units(path, name, kind, self.warn)):
                    cursor = database.execute(
                        "INSERT INTO units(file, kind, position, key, source, target, origin, ignores) "
                        "VALUES (?,?,?,?,?,?,?,?)", (name, kind, position, _key(unit.source), unit.source,
                                                     unit.target, unit.origin, "\n".join(unit.ignores)))
                    database.execute("INSERT INTO words(rowid, key) VALUES (?, ?)",
                                     (cursor.lastrowid, _key(unit.source)))
                database.execute("INSERT INTO files VALUES (?, ?, ?, ?)", (name, kind, stat.st_size, stat.st_mtime_ns))
            database.execute("COMMIT")
        except BaseException:
            if database.in_transaction:
                database.execute("ROLLBACK")
            raise


def _schema(database: sqlite3.Connection) -> str | None:
    try:
        row = database.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _created(database: sqlite3.Connection) -> sqlite3.Connection:
    database.executescript(_TABLES)
    database.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
    return database


def _units(path: Path, name: str, kind: int, warn) -> list[Unit]:
    from localize.catalog import read_po
    from localize.files import read_input
    from localize.memory.tm import read_tmx, units_from_catalog

    try:
        if kind == 0:
            return [unit for unit in units_from_catalog(read_po(path), name) if unit.source.strip()
                    and unit.target.strip()]
        return [unit for unit in read_tmx(read_input(path, "TMX file"), name) if unit.source.strip()
                and unit.target.strip()]
    except LocalizeError as error:  # its own article's run reports it; the memory just goes without
        warn(f"{error.message}; not used as translation memory")
        return []


_WORD = re.compile(r"\w+")
_ROW = "kind, file, position, key, source, target, origin, ignores"


def _first_rows(rows) -> dict:
    """{English: its first row (PO files by path, then TMX files)} of rows of ``_ROW``."""
    first: dict = {}
    for row in rows:
        if row[3] not in first or row[:3] < first[row[3]][:3]:
            first[row[3]] = row
    return first


def _unit(row) -> Unit:
    source, target, origin, ignores = row
    return Unit(source, target, origin, tuple(filter(None, ignores.split("\n"))))


def _words(key: str) -> list[str]:
    """The English's words as FTS5's unicode61 tokenizer makes them (lower case, no punctuation)."""
    return list(dict.fromkeys(_WORD.findall(key.lower())))
