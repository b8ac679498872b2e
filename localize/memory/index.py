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

Every lookup is answered by SQLite: a run keeps nothing of the memory but the
counts of the words its segments use (``WORDS_KEPT`` at most) and SQLite's own
page cache, however many lookups it makes and however large the memory.  The
ratio is computed for ``VERIFY`` units at most, found so:

- the index keeps, for each pair of consecutive words of the units' English (in
  lower case, every number written 0, a word cut to its first 6 letters: an
  updated figure or a plural still matches), the units holding it as a packed
  array (each unit's id, the length of its English and a 64-bit sketch of its
  words; and those added since it was written, a row of ``more`` for each fold
  of ``recent`` that added some, joined every ``_CLASSES`` folds: see
  ``_compact``), and how many units hold each word; the postings of the units
  that the latest refreshes added (a night's reviewed articles) are kept apart,
  in small rows of ``recent``, each sorted by pair (past ``_RECENT_BYTES``, the
  first run that looks up folds them into the pairs, a row of ``more`` for each
  pair they hold: as SQLite's full-text index keeps its segments), so that a
  night's refresh writes a few rows, not one for each of its 40,000 pairs;
- a lookup takes the English's rarest pairs by their words' counts (``PAIRS``
  at most, first those sharing no word, so that a changed word costs one of them
  at most; ``TOUCH`` postings in all at most), keeps their units within the
  lengths a 75% ratio allows, and scores those whose sketch is most like the
  English's (then those sharing the most pairs): a unit 75% like the English
  shares most of its words, most of them in order.

``bench/memory_index.py`` measures the recall against scoring every unit.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import struct
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from functools import reduce
from itertools import accumulate, chain, compress, islice, pairwise, repeat
from operator import add, and_, itemgetter, le, lshift, not_, or_, rshift, sub
from pathlib import Path
from typing import IO

from localize.errors import LocalizeError
from localize.memory.tm import FUZZY_MIN, Suggestion, Unit, _key

NAME = ".localize-memory.sqlite"
LOCK = ".localize-memory.lock"  # held while the index file is built or changed (never removed)
SCHEMA = "localize-memory 6"
PAIRS = 10  # the English's rarest word pairs (first those sharing no word) whose units are candidates
TOUCH = 4_000  # ... holding no more postings than this in all, by their words' counts (the rarest one always)
VERIFY = 32  # units scored at most a lookup: the most like the English by their words' sketch
QUERIES = 64  # lookups answered together at most (their postings are held at once; 128 at most: see _picked)
FETCH = 512  # lookups whose candidates' English is read at once (in the index's order: each page once)
WORDS_KEPT = 1 << 16  # words' counts a run keeps for its later lookups (then it forgets them all)
_SPILL = 10_000  # postings (a unit in a pair) a refresh holds in memory, then spills (a build's memory)
_HELD = 1 << 14  # words' codes cached, and words' counts a refresh holds before writing them (a build's memory)
_RECENT = 128  # rows of postings kept apart (in ``recent``: the units the latest refreshes added) before they are
_RECENT_BYTES = 4 << 20  # folded into the pairs' arrays, or bytes of them (a night's 100 articles: 1 MiB, 23 rows)
_UNFOLDED = 2  # ... by a run that looks up (numpy at hand), or by a refresh (plain Python) at twice those
_CLASSES = 8  # a fold also joins the rows of ``more`` of one range of pairs in this many, in turn (a pair then
# has this many rows of ``more`` at most: what a fold and a lookup cost stays bounded however long the index lives)
_WHOLE = 4  # ... its rows joined into its array once they hold a quarter of its size, else into one row
_COMPACTED = 256  # pairs whose rows (and arrays) such a rewrite holds at once
_FOLDED = 2_500  # postings of a range of pairs folded at once (their rows of ``more`` grouped in memory)
_ENGLISH = 2_048  # units whose English a refresh holds to write it by key (a night's 100 articles: 1,700)
_ROWS = 100  # rows of ``more`` a fold's statement inserts
_FOLD_CACHE = 256  # KiB of SQLite's page cache while a fold writes its rows (most written once, never read again)
_APART_ROW = 1 << 15  # bytes of postings a row of ``recent`` holds at most (each row is sorted as it is written)
_BUILD_CACHE = 1024  # KiB of SQLite's page cache (and sorter) while a new index is built (its default: 2,000)
_BUCKETS = 128  # ranges of pairs the spilled postings are kept in, each merged into the index at once, in order
# (their bounds: the first spill's pairs cut in _BUCKETS parts of as many postings each, so that a range holds
# about as much as another however common a first word is: "the" begins 8% of a news archive's pairs)
_SIGN = 1 << 63

_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(path TEXT PRIMARY KEY, kind INTEGER, size INTEGER, mtime_ns INTEGER);
CREATE TABLE units(id INTEGER PRIMARY KEY, file TEXT, kind INTEGER, position INTEGER,
                   source TEXT, target TEXT, origin TEXT, ignores TEXT);
CREATE TABLE english(id INTEGER PRIMARY KEY, key TEXT);
CREATE TABLE pairs(pair INTEGER PRIMARY KEY, count INTEGER, postings BLOB);
CREATE TABLE more(pair INTEGER, part INTEGER, postings BLOB, PRIMARY KEY (pair, part)) WITHOUT ROWID;
CREATE TABLE words(word INTEGER PRIMARY KEY, count INTEGER);
CREATE TABLE recent(part INTEGER PRIMARY KEY, first INTEGER, last INTEGER, pairs BLOB, postings BLOB);
"""
_INDEXES = ("CREATE INDEX IF NOT EXISTS units_file ON units(file)",  # (made once a new index is filled: faster)
            "CREATE INDEX IF NOT EXISTS english_key ON english(key)")
_INDEX_NAMES = tuple(statement.split()[5] for statement in _INDEXES)  # (units_file, english_key)


class MemoryIndex:
    """``match``, ``suggest`` and ``len`` as ``tm.Memory``, from the index of ``folder``."""

    def __init__(self, folder: str | os.PathLike, warn=None):
        """``warn(line)``: told of each file that cannot serve as memory (default: kept in
        ``warnings``, for the caller to show)."""
        self.folder = Path(folder)
        self.warnings: list[str] = []
        self.warn = warn or self.warnings.append
        self.scored = 0  # units whose ratio the lookups computed (VERIFY a lookup at most)
        self._words: dict[int, int] = {}  # units holding each word, as lookups asked (WORDS_KEPT at most)
        self._parts: dict[int, tuple] = {}  # the parts of ``recent`` read (see _recent)
        sources = self._sources()  # one walk of the folder, for both
        self.shared = False  # the index is the folder's file (not built in memory for this run)
        try:
            self.database = self._open(any(kind == 0 for kind, _ in sources.values()), sources)
            self._refresh(sources)
        except sqlite3.Error:  # a full disk, a file-size limit, an I/O error: the cache is not worth the run;
            with contextlib.suppress(Exception):  # build it in memory for this run instead (the file stays:
                self.database.close()  # another run may hold it, and the next one tries it again)
            self.shared = False
            self.database = _created(sqlite3.connect(":memory:", isolation_level=None))
            self._refresh(sources)
        row = self.database.execute("SELECT value FROM meta WHERE key = 'size'").fetchone()
        self.size = int(row[0]) if row else 0

    def __len__(self) -> int:
        return self.size

    def close(self) -> None:
        self.database.close()

    # --- lookups ---------------------------------------------------------------------------

    def match(self, source: str) -> Unit | None:
        return self.match_many([source])[0]

    def match_many(self, sources: list[str]) -> list[Unit | None]:
        """``match`` of each of ``sources``, in a few statements."""
        keys = [_key(source) for source in sources]
        with self._reading():
            units = self._first_units(sorted(set(keys)))
        return [units.get(key) for key in keys]

    def suggest(self, source: str, limit: int = 3) -> list[Suggestion]:
        """Close matches (ratio 75 or more), best first, exact ones excluded."""
        return self.suggest_many([source], limit)[0]

    def suggest_many(self, sources: list[str], limit: int = 3) -> list[list[Suggestion]]:
        """``suggest`` of each of ``sources``, answered together: ``QUERIES`` at a time, a few
        statements and array operations for all of them (not a few for each), and the English of
        the candidates of ``FETCH`` of them read at once, in the index's order (a page of the
        index read once for all the candidates it holds, not once for each)."""
        from rapidfuzz import fuzz, process

        keys = list(dict.fromkeys(_key(source) for source in sources))
        if not self.size or not keys:
            return [[] for _ in sources]
        self._fold_apart()
        found: dict[str, list] = {}
        with self._reading():
            for start in range(0, len(keys), FETCH):
                part = keys[start:start + FETCH]
                for key, candidates in zip(part, self._candidates(part), strict=True):
                    self.scored += len(candidates)
                    scored = process.extract(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None)
                    scored.sort(key=lambda item: (-item[1], item[0]))  # ties by text, as tm.Memory does
                    found[key] = scored[:limit]
            units = self._first_units(sorted({text for scored in found.values() for text, _, _ in scored}))
        return [[Suggestion(int(score), units[text]) for text, score, _ in found[_key(source)]] for source in sources]

    @contextlib.contextmanager
    def _reading(self):
        """A lookup's statements in one read transaction: one file lock, not one per statement (and
        none held between lookups: another run may bring the index up to date meanwhile)."""
        if self.database.in_transaction:
            yield
            return
        self.database.execute("BEGIN")
        try:
            yield
        finally:
            self.database.execute("COMMIT")

    def _fold_apart(self) -> None:
        """Fold the postings kept apart (``recent``) into the pairs, once it holds more than ``_RECENT``
        rows or ``_RECENT_BYTES``: here, in array operations, before this run's lookups (a run that
        looks up imports numpy anyway: 0.28 s at 4 MiB with its ``_compact``, where the refresh's
        plain Python fold takes 0.40 s, most of both SQLite's writes; a refresh folds only what no
        lookup folded, at twice as much, and a night's refresh stays a night's).  Under the index
        lock; a run that cannot write the file (a folder read-only to it, a file busy past its
        timeout) leaves them apart: its lookups read them there, as any run's; lookups never wait
        for the lock (a run that holds it is bringing the index up to date, or folding them itself)."""
        if not self.shared or self.database.in_transaction or not _over(self.database,
                                                                          _recent_parts(self.database)):
            return
        try:
            with self._writing(wait=False):
                self.database.execute("BEGIN IMMEDIATE")
                try:
                    parts = _recent_parts(self.database)
                    if _over(self.database, parts):  # (another run may have folded them meanwhile)
                        with _fold_cache(self.database):
                            _fold_arrays(self.database, parts)
                        self.database.execute("INSERT OR REPLACE INTO meta VALUES ('recent', '')")
                    self.database.execute("COMMIT")
                except BaseException:
                    if self.database.in_transaction:
                        self.database.execute("ROLLBACK")
                    raise
        except (sqlite3.Error, OSError):
            pass

    def _candidates(self, keys: list[str]) -> list[list[str]]:
        """For each of ``keys``, the English of VERIFY units at most (the key aside) to score against it."""
        numpy = _numpy()

        picked = [self._picked(keys[start:start + QUERIES]) for start in range(0, len(keys), QUERIES)]
        query = numpy.concatenate([query + start for (query, _), start in zip(picked, range(0, len(keys), QUERIES),
                                                                              strict=True)])
        ids = numpy.concatenate([ids for _, ids in picked])
        english = dict(_rows(self.database, "SELECT id, key FROM english WHERE id IN ({})",
                             numpy.unique(ids).tolist()))
        found: list[list[str]] = [[] for _ in keys]
        for number, unit in zip(query.tolist(), ids.tolist(), strict=True):
            found[number].append(english[unit])
        return [sorted(set(texts) - {key}) for key, texts in zip(keys, found, strict=True)]

    def _picked(self, keys: list[str]):
        """(query, id): the VERIFY units at most of each of ``keys`` (QUERIES at most, each its number
        in ``query``) whose English to score against it."""
        numpy = _numpy()

        none = numpy.empty(0, numpy.int64)
        chosen_of, sketches = self._chosen(keys)
        wanted = sorted({pair for chosen in chosen_of for pair in chosen})
        blobs: dict[int, list] = {}
        for table in ("pairs", "more"):  # (a pair's array, then the postings added to it since: see _merge)
            for pair, blob in _rows(self.database, f"SELECT pair, postings FROM {table} WHERE pair IN ({{}})", wanted):
                blobs.setdefault(pair, []).append(blob)
        recent = self._recent()
        if recent and wanted:  # (then those kept apart since)
            sought = numpy.array(wanted, numpy.int64)
            for pairs, postings in recent:
                starts, ends = numpy.searchsorted(pairs, sought), numpy.searchsorted(pairs, sought, "right")
                for number in numpy.flatnonzero(ends > starts).tolist():
                    blobs.setdefault(wanted[number], []).append(postings[starts[number]:ends[number]].tobytes())
        held = [[blob for pair in chosen for blob in blobs.get(pair, ())] for chosen in chosen_of]
        postings = numpy.frombuffer(b"".join(blob for blobs_of in held for blob in blobs_of), "<i8").reshape(-1, 2)
        if not len(postings):
            return none, none
        query = numpy.repeat(numpy.arange(len(keys)), [sum(map(len, blobs_of)) // 16 for blobs_of in held])
        lengths, sizes = postings[:, 0] & 0xFFFFFFFF, numpy.array([len(key) for key in keys])[query]
        kept = (lengths >= sizes * 0.6 - 1) & (lengths <= sizes / 0.6 + 1)  # what a 75% ratio allows
        postings, query = postings[kept], query[kept]
        if not len(postings):
            return none, none
        units = query << 56 | postings[:, 0] >> 32  # (a query's number, under 128, then a unit's id, under 2**56)
        order = units.argsort()  # each query's postings of each unit together
        units, theirs = units[order], postings[order, 1]
        heads = numpy.empty(len(units), bool)
        heads[0] = True
        numpy.not_equal(units[1:], units[:-1], out=heads[1:])
        starts = heads.nonzero()[0]
        shared, units, theirs = numpy.diff(starts, append=len(units)), units[starts], theirs[starts]
        # a query's units whose words' sketch is most like its English's, then sharing most pairs (VERIFY at most)
        query = units >> 56
        ours = sketches.view("<i8")[query]
        alike = (_bits(theirs & ours) << 10) // numpy.maximum(_bits(theirs | ours), 1) + shared * 51
        order = (query << 16 | (1 << 16) - 1 - alike).argsort(kind="stable")  # (ties: the smaller id first)
        query, ids = query[order], units[order] & (1 << 56) - 1
        rank = numpy.arange(len(query)) - numpy.searchsorted(query, query)
        return query[rank < VERIFY], ids[rank < VERIFY]

    def _chosen(self, keys: list[str]):
        """(the pairs each of ``keys`` looks up, as ``_rarest`` chooses them; each one's words as one bit
        each of 64): made for all of them together, in array operations."""
        numpy = _numpy()

        codes = _codes(keys)
        kept = self._counts([code for code in codes if code])
        values = numpy.array([*codes, 0], numpy.int64)
        sizes = numpy.diff(numpy.flatnonzero(values == 0), prepend=-1) - 1  # each key's number of words
        words = values[values != 0]
        starts, owner, pairs, paired, sketches = _pairs(words, sizes)
        counts = numpy.array([kept[word] for word in words.tolist()], numpy.int64)
        counted = numpy.zeros(len(words), numpy.int64)  # the next word's count (a key's last word: its own)
        counted[:-1] = counts[1:]
        alone = (starts + sizes - 1)[sizes > 0]
        counted[alone] = counts[alone]
        estimate = numpy.minimum(counts, counted)  # (the pair's words' smaller count: a word alone, its own)
        at = numpy.arange(len(words)) - starts[owner]
        chosen = paired & (estimate > 0)
        pairs, at, estimate, owner = pairs[chosen], at[chosen], estimate[chosen], owner[chosen]
        order = numpy.lexsort((at, pairs, owner))  # a pair twice in an English: its first place
        first = numpy.ones(len(order), bool)
        first[1:] = (pairs[order][1:] != pairs[order][:-1]) | (owner[order][1:] != owner[order][:-1])
        order = order[first]
        order = order[numpy.lexsort((pairs[order], estimate[order], owner[order]))]  # each key's, rarest first
        ranked = list(zip(pairs[order].tolist(), at[order].tolist(), estimate[order].tolist(), strict=True))
        bounds = numpy.searchsorted(owner[order], numpy.arange(len(keys) + 1)).tolist()
        chosen_of = [_rarest(ranked[bounds[number]:bounds[number + 1]]) for number in range(len(keys))]
        return chosen_of, sketches

    def _recent(self) -> list:
        """The postings kept apart (``recent``'s parts: each one's pairs, sorted, and its postings in the
        same order), read once a run (each part is written once, never changed)."""
        numpy = _numpy()

        parts = _recent_parts(self.database)
        missing = [part for part in parts if part not in self._parts]
        for part, held, raw in _rows(self.database, "SELECT part, pairs, postings FROM recent WHERE part IN ({})",
                                     missing):
            self._parts[part] = (numpy.frombuffer(held, "<i8"), numpy.frombuffer(raw, "<i8").reshape(-1, 2))
        for part in self._parts.keys() - set(parts):
            del self._parts[part]
        return [self._parts[part] for part in parts if part in self._parts]

    def _counts(self, words: list[int]) -> dict[int, int]:
        """How many units hold each of ``words`` (0: none), kept for the run's later lookups."""
        kept = self._words
        missing = {word for word in words if word not in kept}
        if missing and len(kept) + len(missing) > WORDS_KEPT:
            kept.clear()  # (a run of many articles: what it keeps stays bounded)
            missing = set(words)
        if missing:
            kept.update(dict.fromkeys(missing, 0))
            kept.update(_rows(self.database, "SELECT word, count FROM words WHERE word IN ({})", list(missing)))
        return kept

    def _first_units(self, keys: list[str]) -> dict[str, Unit]:
        """The first unit (PO files by path, then TMX files) of each English."""
        if not keys:
            return {}
        first = _first_rows(_rows(self.database, f"SELECT {_ROW} FROM english JOIN units USING (id) "
                                                 "WHERE english.key IN ({})", keys))
        return {key: _unit(row[4:]) for key, row in first.items()}

    # --- keeping the index -------------------------------------------------------------------

    def _open(self, has_pos: bool, sources: dict) -> sqlite3.Connection:
        """The folder's index, or a new one.  A missing, corrupt, foreign or old-schema file is never
        trusted and never unlinked (another run may hold it open): a new index is built whole into
        a temporary file and renamed over it, under the folder's index lock, so the shards of a
        batch starting together build it once: the first builds, the others wait (and say so),
        then open what it built."""
        path = self.folder / NAME
        if not ((has_pos or path.exists()) and os.access(self.folder, os.W_OK)):  # a folder of no PO gets no file
            return _created(sqlite3.connect(":memory:", isolation_level=None))
        try:
            database = _current(path)
            if database is not None:
                self.shared = True
                return database
            with self._writing():
                database = _current(path)  # (built by the run this one waited for)
                if database is not None:
                    self.shared = True
                    return database
                temporary = path.with_name(f"{NAME}.{os.getpid()}.tmp")
                temporary.unlink(missing_ok=True)  # (a killed run's, with this pid: no one holds it)
                try:
                    self.database = _created(sqlite3.connect(temporary, isolation_level=None))
                    self.database.execute(f"PRAGMA cache_size = -{_BUILD_CACHE}")
                    self._refresh(sources, locked=True)
                    self.database.close()
                    os.replace(temporary, path)  # whole or not at all
                finally:
                    with contextlib.suppress(OSError):
                        temporary.unlink(missing_ok=True)
            database = _current(path)
            if database is not None:
                self.shared = True
                return database
        except OSError:  # not a file we can use (a folder in the way ...)
            pass
        return _created(sqlite3.connect(":memory:", isolation_level=None))

    def _writing(self, wait: bool = True):
        """The folder's index lock (``LOCK``), for building or changing the index file: one run at a
        time; a run that must wait says so once (``wait`` False: BlockingIOError instead)."""
        from localize.files import exclusive

        return exclusive(self.folder / LOCK, wait=wait, on_wait=lambda: self.warn(
            f"{self.folder / NAME}: another localize run is building or updating the memory index; waiting for it"))

    def token(self) -> tuple:
        """What the index holds, in one value: its files' count, sizes and times (any change of a PO
        or TMX file that serves as memory changes it), for caches of what lookups answered."""
        return tuple(self.database.execute(
            "SELECT count(*), total(size), total(mtime_ns), max(rowid) FROM files").fetchone())

    def _sources(self) -> dict:
        """{name: (kind, path)} of the PO files (kind 0, in every folder below, hidden ones too, as
        ``Path.rglob`` finds and names them) and imported TMX files (kind 1, in ``tm``)."""
        files = {}
        top = self.folder.as_posix()
        folders = [(top, "" if top == "." else top.rstrip("/") + "/")] if self.folder.is_dir() else []
        while folders:  # (os.scandir: a folder of thousands of POs is listed without a Path for each)
            folder, name = folders.pop()
            with contextlib.suppress(OSError), os.scandir(folder) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{name}{entry.name}/"))
                    elif entry.name.endswith(".po"):
                        files[name + entry.name] = (0, entry.path)
        tm = self.folder / "tm"
        for path in tm.glob("*.tmx") if tm.is_dir() else ():
            files[path.as_posix()] = (1, str(path))
        return files

    def _changes(self, files: dict, seen: list | None = None) -> tuple[list, list]:
        """(the files changed since the index read them, or new to it; the files whose units it holds
        and must drop: those gone, and those changed).  ``seen``: the files changed when the index was
        last looked at, in this run (before its lock was held): only those are looked at again (the
        others matched the index then; a run that brought them up to date meanwhile found them as
        they are), each file stat-ed once a run."""
        known = {row[0]: row[1:] for row in self.database.execute("SELECT path, size, mtime_ns FROM files")}
        if seen is not None:
            changed = [change for change in seen if known.get(change[0]) != change[3]]
        else:
            changed = []
            for name, (kind, path) in sorted(files.items()):
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                size_time = (stat.st_size, stat.st_mtime_ns)
                if known.get(name) != size_time:
                    changed.append((name, kind, path, size_time))  # (not the stat: 800 bytes of Python objects)
        return changed, [name for name in known if name not in files] + [name for name, *_ in changed if name in known]

    def _refresh(self, files: dict, locked: bool = False, seen: list | None = None) -> None:
        """Bring the index up to date with the PO and TMX files (by size and mtime); the folder's
        file is changed under its index lock (what changed is looked at again once it is held)."""
        changed, stale = self._changes(files, seen)
        if not changed and not stale:
            return
        if self.shared and not locked:
            with self._writing():
                self._refresh(files, locked=True, seen=changed)
            return
        database = self.database
        database.execute("BEGIN IMMEDIATE")  # another run refreshing the file: wait for it (timeout)
        try:
            if stale and len(stale) * 2 >= database.execute("SELECT COUNT(*) FROM files").fetchone()[0]:
                changed, stale = self._emptied(files)  # (half of it stale or more: a build costs less)
            postings = _Postings(database)
            counting = not postings.fresh  # (a new index's English is counted once it is filled)
            if counting:  # the English of the units dropped (removed 1) and added, to count its change
                database.execute("CREATE TEMP TABLE IF NOT EXISTS touched(key TEXT PRIMARY KEY, removed INTEGER)")
            dropped = self._drop(stale, postings, counting)
            if not postings.fresh:  # (a new index's postings are written into the pairs' arrays as they come)
                postings.keep_apart(_recent_parts(database), dropped)
            ids = held = database.execute("SELECT max(id) FROM units").fetchone()[0] or 0  # (held: the units kept)
            english: list[tuple[str, int]] = []  # (key, id) of the units added, written by key: see _english
            for name, kind, path, (size, mtime) in changed:
                units = _units(Path(path), name, kind, self.warn)
                keys = [_key(unit.source) for unit in units]
                database.executemany("INSERT INTO units VALUES (?,?,?,?,?,?,?,?)", [
                    (ids + 1 + position, name, kind, position, unit.source, unit.target, unit.origin,
                     "\n".join(unit.ignores)) for position, unit in enumerate(units)])
                english += zip(keys, range(ids + 1, ids + 1 + len(keys)), strict=True)
                if len(english) > _ENGLISH or not counting:  # (a new index has no index on it yet: as they come)
                    self._english(english, counting)
                postings.note(True, list(enumerate(keys, ids + 1)))
                ids += len(units)
                database.execute("INSERT INTO files VALUES (?, ?, ?, ?)", (name, kind, size, mtime))
            self._english(english, counting)
            postings.finish()
            for statement in _INDEXES:
                database.execute(statement)
            if counting:  # the English held before and after, of the units changed only (counting all of it
                # takes 1.7 s at 200,000 entries: more than the rest of a refresh of 100 files)
                size = int(database.execute("SELECT value FROM meta WHERE key = 'size'").fetchone()[0])
                size += database.execute(
                    "SELECT COALESCE(SUM(EXISTS (SELECT 1 FROM english WHERE english.key = touched.key)) - SUM("
                    "removed OR EXISTS (SELECT 1 FROM english WHERE english.key = touched.key AND english.id <= ?)), 0)"
                    " FROM touched", (held,)).fetchone()[0]
                database.execute("DELETE FROM touched")
            else:
                size = database.execute("SELECT COUNT(DISTINCT key) FROM english").fetchone()[0]
            database.execute("INSERT OR REPLACE INTO meta VALUES ('size', ?)", (str(size),))
            database.execute("COMMIT")
        except BaseException:
            if database.in_transaction:
                database.execute("ROLLBACK")
            raise


    def _english(self, english: list[tuple[str, int]], counting: bool) -> None:
        """Write the English of the units added (``english``: (key, id), emptied), in order of key: the
        index on it (and ``touched``) changed page by page, not a page read for each unit."""
        english.sort()
        self.database.executemany("INSERT INTO english VALUES (?, ?)", map(itemgetter(1, 0), english))
        if counting:
            self.database.executemany("INSERT OR IGNORE INTO touched VALUES (?, 0)", map(itemgetter(slice(0, 1)),
                                                                                          english))
        english.clear()

    def _drop(self, stale: list, postings: _Postings, counting: bool) -> set[int]:
        """Drop the units of the ``stale`` files (noted as removed: and their English as touched, if
        ``counting``); a new file has nothing to drop, and a build drops nothing.  (the units' ids)"""
        database = self.database
        ids: set[int] = set()
        for name in stale:
            dropped = database.execute("SELECT id, key FROM units JOIN english USING (id) WHERE file = ?",
                                       (name,)).fetchall()
            postings.note(False, dropped)
            ids.update(unit for unit, _ in dropped)
            if counting:
                database.executemany("INSERT INTO touched VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET removed = 1",
                                     [(key,) for _, key in dropped])
            database.execute("DELETE FROM english WHERE id IN (SELECT id FROM units WHERE file = ?)", (name,))
            database.execute("DELETE FROM units WHERE file = ?", (name,))
            database.execute("DELETE FROM files WHERE path = ?", (name,))
        return ids

    def _emptied(self, files: dict) -> tuple[list, list]:
        """Empty the index (in the refresh's transaction), to be built again from every file: where
        half the files it holds or more changed (the folder named otherwise, every PO rewritten),
        dropping their units one by one and adding them again costs twice a build.  (every file, as
        ``_changes`` gives it; none to drop)."""
        for name in _INDEX_NAMES:  # (made again once the index is filled, as a build makes them: faster)
            self.database.execute(f"DROP INDEX IF EXISTS {name}")
        for table in ("files", "units", "english", "pairs", "more", "words", "recent"):
            self.database.execute(f"DELETE FROM {table}")
        self.database.execute("INSERT OR REPLACE INTO meta VALUES ('recent', '')")
        return self._changes(files)


class _Postings:
    """The changes of one refresh to the pairs' postings and the words' counts.  Each pair's array
    (its units by id: the id with its English's length, and the sketch of its words) is read,
    changed and written once, at the end; the postings noted are held in memory, each pair's
    together, up to ``_SPILL``, then spilled to a temporary file, a section for each of ``_BUCKETS``
    ranges of pairs, merged into the index range by range (a build's memory stays bounded however
    large the archive).  Plain Python, not numpy: a pair's postings are grouped by a dict as they
    come (in order of unit, as they are kept), so that only the pairs are sorted, never each
    posting; and importing numpy would cost a build more memory (15 MiB) than all it holds.  An index
    already built gets the postings of the units added apart (``keep_apart``): noted flat, as they
    come, and written as sorted rows of ``recent``."""

    def __init__(self, database: sqlite3.Connection):
        self.database = database
        self._empty()
        self.spilled: IO[bytes] | None = None  # the temporary file the postings are spilled to (once _SPILL are held)
        self.sections: defaultdict[tuple[bool, int], array] = defaultdict(lambda: array("q"))  # (removed or added,
        # range of pairs): where each spill's run of them lies in that file (offset, size, ...: 16 bytes a run)
        self.bounds: list[int] | None = None  # the ranges' first pairs (but the first range's), from the first spill
        self.counts: dict[bool, Counter] = {False: Counter(), True: Counter()}  # the units removed / added holding
        # each word, noted since they were last written (at the end, or when _HELD words are held)
        self.fresh = not database.execute(  # (a new index: it holds no posting, none to read or to drop)
            "SELECT EXISTS (SELECT 1 FROM pairs) OR EXISTS (SELECT 1 FROM more) OR EXISTS (SELECT 1 FROM recent)"
        ).fetchone()[0]
        self.flat: tuple[array, bytearray] | None = None  # where the postings added are kept apart: those noted
        # since the last row of ``recent`` written (each one's pair; its posting), in order of unit
        self.recent: list[int] = []  # the rows of ``recent`` held before (see keep_apart)
        self.made: list[int] = []  # ... and those written since
        self.last_part: int | None = None  # the last part of ``recent`` written in this index (meta's 'recent made')

    def _empty(self) -> None:
        # removed / added: {pair (unsigned: less _SIGN, the index's key of it): its postings (_POSTING each)}
        self.noted: dict[bool, defaultdict[int, bytearray]] = {False: defaultdict(bytearray),
                                                                True: defaultdict(bytearray)}
        self.held = 0  # postings noted since the last spill

    def note(self, added: bool, units: list[tuple[int, str]]) -> None:
        """Note the units (id, English key) added (or removed): their words as ``_words`` makes them,
        for all of them at once (one pass over their English, "\x01" between two), and their pairs
        (each once a unit) and sketches as ``_pairs`` makes them."""
        if not units:
            return
        codes = _codes([key for _, key in units])  # (0 between two units' words; a word's code is never 0)
        size = len(codes)
        ends = [*compress(range(size), map(not_, codes)), size]
        following = list(map(add, map(lshift, codes, repeat(32, size)), chain(islice(codes, 1, None), (0,))))
        bits = list(map(lshift, repeat(1, size), map(and_, codes, repeat(63, size))))
        noted, held = self.noted[added], []
        start = 0
        for (unit, key), end in zip(units, ends, strict=True):
            if end > start:  # (an English of no word has no pair)
                posting = _POSTING.pack(unit << 32 | len(key), reduce(or_, bits[start:end]))
                found = set(following[start:end - 1]) if end - start > 1 else following[start:end]
                if self.flat is not None:
                    self.flat[0].extend(found)
                    self.flat[1].extend(posting * len(found))
                else:
                    for pair in found:  # (a word alone: its pair with 0, as the separator after it)
                        noted[pair] += posting
                    self.held += len(found)
                held.append(set(codes[start:end]))
            start = end + 1
        self.counts[added].update(chain.from_iterable(held))
        if self.held > _SPILL:
            self._spill()
        if self.flat is not None and len(self.flat[1]) >= _APART_ROW:
            self._apart()
        if len(self.counts[False]) + len(self.counts[True]) > _HELD:
            self._write_counts()

    def _spill(self) -> None:
        """Append the postings noted to the temporary file, a section for each one's range of pairs:
        a run of the range's pairs in order, each with its postings (a range's runs come in order of
        unit)."""
        if self.spilled is None:
            self.spilled = tempfile.TemporaryFile(prefix="localize-memory-")  # noqa: SIM115 (closed by finish)
        if self.bounds is None:
            self.bounds = _bounds(self.noted, _BUCKETS)
        for added in (False, True):
            noted = self.noted[added]
            pairs = sorted(noted)
            cuts = [0, *(bisect_left(pairs, bound) for bound in self.bounds), len(pairs)]
            for bucket in range(len(cuts) - 1):
                if cuts[bucket] < cuts[bucket + 1]:
                    part = pairs[cuts[bucket]:cuts[bucket + 1]]
                    postings = list(map(noted.__getitem__, part))
                    head = array("Q", [len(part), *chain.from_iterable(zip(part, map(len, postings), strict=True))])
                    self.sections[added, bucket].extend((self.spilled.tell(), head.itemsize * len(head)
                                                         + sum(map(len, postings))))
                    self.spilled.write(head.tobytes())
                    self.spilled.write(b"".join(postings))
        self._empty()

    def finish(self) -> None:
        """Write every pair's array changed (or the postings kept apart, folded into the pairs' arrays
        once ``recent`` holds too many), and the words' counts."""
        if self.spilled is None:
            self._merge(self.noted[False], self.noted[True])
            self._empty()
        else:
            self._spill()
            with self.spilled:
                for bucket in range(len(self.bounds or ()) + 1):
                    self._merge(*(self._spilled(added, bucket) for added in (False, True)))
        if self.flat is not None:
            self._apart()
            parts = [*self.recent, *self.made]
            if _over(self.database, parts, _UNFOLDED):  # (a run that looks up folds them first, at half as much)
                self._fold(parts)
                parts = []
            self.database.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
                ("recent", " ".join(map(str, parts))),
                *([("recent made", str(self.last_part))] if self.last_part is not None else [])])
        self._write_counts()

    def keep_apart(self, recent: list[int], dropped: set[int]) -> None:
        """Keep the postings of the units added apart, after the rows of ``recent`` (``recent``); those
        rows that hold a unit ``dropped`` are written again without it (as a new row: a part, once
        written, never changes)."""
        self.flat = (array("Q"), bytearray())
        self.recent = recent
        if not (dropped and recent):
            return
        gone = sorted(dropped)
        spans = {part: (first, last) for part, first, last in _rows(
            self.database, "SELECT part, first, last FROM recent WHERE part IN ({})", recent)}
        for at, part in enumerate(recent):
            first, last = spans[part]
            if bisect_left(gone, first) == bisect_left(gone, last + 1):
                continue  # (none of its units dropped)
            held, blob = self.database.execute("SELECT pairs, postings FROM recent WHERE part = ?", (part,)).fetchone()
            pairs = _native(held, "q")
            kept = [number for number, posting in enumerate(_native(blob)[0::2]) if posting >> 32 not in dropped]
            self.database.execute("DELETE FROM recent WHERE part = ?", (part,))
            recent[at] = self._write_recent(array("q", map(pairs.__getitem__, kept)), b"".join(
                [blob[16 * number:16 * number + 16] for number in kept])) if kept else 0
        self.recent = [part for part in recent if part]

    def _apart(self) -> None:
        """Write the postings added since the last such row (none removed) as a row of ``recent``,
        sorted by pair (each pair's in order of unit), the pairs' arrays untouched (a night's articles
        hold 40,000 pairs: as many rows of ``more``)."""
        assert self.flat is not None
        pairs, raw = self.flat[0], bytes(self.flat[1])  # (slices of bytes: half the memory of a bytearray's)
        self.flat = (array("Q"), bytearray())
        if pairs:
            size = len(pairs)
            shift = size.bit_length()  # (each pair's key with its place after it: sorted, by unit within a pair)
            keys = map(sub, pairs, repeat(_SIGN, size))
            keyed = sorted(map(or_, map(lshift, keys, repeat(shift, size)), range(size)))
            self.made.append(self._write_recent(array("q", map(rshift, keyed, repeat(shift, size))), b"".join(
                [raw[at:at + 16] for at in map(lshift, map(and_, keyed, repeat((1 << shift) - 1, size)),
                                               repeat(4, size))])))

    def _write_recent(self, pairs: array, postings: bytes) -> int:
        """Write a row of ``recent`` (its pairs' keys, as the index's: sorted; their postings); its part:
        one more than any written before in this index (a run's lookups keep the parts they read by
        number)."""
        if self.last_part is None:
            row = self.database.execute("SELECT value FROM meta WHERE key = 'recent made'").fetchone()
            self.last_part = int(row[0]) if row else 0
        self.last_part += 1
        units = _native(postings)[0::2]
        self.database.execute("INSERT INTO recent VALUES (?, ?, ?, ?, ?)",
                              (self.last_part, min(units) >> 32, max(units) >> 32, _little(pairs), postings))
        return self.last_part

    def _fold(self, parts: list[int]) -> None:
        """Fold the rows of ``recent`` (``parts``, in order: of unit) into the pairs: a row of ``more``
        for each pair they hold, with its postings of every row.  The pairs are cut in ranges of about
        ``_FOLDED`` postings (by a sample of the rows' pairs), each row's slice of a range (its pairs
        are sorted) written to a temporary file, then each range's postings grouped, in memory, and
        written: a fold holds little, however many rows it folds."""
        with _fold_cache(self.database):
            self._folded(parts)

    def _folded(self, parts: list[int]) -> None:
        total = self.database.execute("SELECT total(length(pairs)) FROM recent").fetchone()[0] // 8
        ranges = max(1, int(total) // _FOLDED)
        bounds: list[int] = []
        if ranges > 1:
            sample = sorted(chain.from_iterable(_native(held, "q")[::64] for (held,) in _rows(
                self.database, "SELECT pairs FROM recent WHERE part IN ({})", parts)))
            bounds = sorted({sample[len(sample) * cut // ranges] for cut in range(1, ranges)} - {sample[0]})
        sections: list[array] = [array("q") for _ in range(len(bounds) + 1)]  # (offset, postings, ...) of each range
        with tempfile.TemporaryFile(prefix="localize-memory-") as spilled:
            for part in parts:
                held, blob = self.database.execute("SELECT pairs, postings FROM recent WHERE part = ?",
                                                   (part,)).fetchone()
                pairs = _native(held, "q")
                cuts = [0, *(bisect_left(pairs, bound) for bound in bounds), len(pairs)]
                for number, (start, end) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
                    if start < end:
                        sections[number].extend((spilled.tell(), end - start))
                        spilled.write(pairs[start:end].tobytes())
                        spilled.write(blob[16 * start:16 * end])
            generation = _generation(self.database)
            for section in sections:
                noted: defaultdict[int, bytearray] = defaultdict(bytearray)
                for offset, count in zip(section[0::2], section[1::2], strict=True):
                    spilled.seek(offset)
                    raw = memoryview(spilled.read(24 * count))
                    pairs = array("q")
                    pairs.frombytes(raw[:8 * count])
                    _group(noted, pairs, raw, range(8 * count, 24 * count + 16, 16))
                keys = sorted(noted)
                _insert_more(self.database, keys, generation, map(noted.pop, keys))
        _compact(self.database, generation)
        self.database.execute("DELETE FROM recent")

    def _spilled(self, added: bool, bucket: int) -> dict[int, bytearray]:
        """{pair: its postings} of the runs spilled for a range of pairs, each pair's postings of one
        run after another's (in order of unit)."""
        merged: defaultdict[int, bytearray] = defaultdict(bytearray)
        sections = self.sections.pop((added, bucket), ())
        for start, size in zip(sections[0::2], sections[1::2], strict=True):
            assert self.spilled is not None
            self.spilled.seek(start)
            raw = memoryview(self.spilled.read(size))
            count = int.from_bytes(raw[:8], sys.byteorder)
            head = array("Q")
            head.frombytes(raw[8:8 + 16 * count])
            _group(merged, head[0::2], raw, list(accumulate(head[1::2], initial=8 + 16 * count)))
        return merged

    def _write_counts(self) -> None:
        removed, added = self.counts[False], self.counts[True]
        self.counts = {False: Counter(), True: Counter()}
        added.subtract(removed)  # (each word's change; streamed to the statements, not held as rows)
        self.database.executemany("INSERT INTO words VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET count = count + "
                                  "excluded.count", sorted(filter(itemgetter(1), added.items())))
        self.database.executemany("DELETE FROM words WHERE word = ? AND count <= 0",
                                  ((word,) for word, change in added.items() if change < 0))

    def _merge(self, removed: dict, added: dict) -> None:
        """Write the arrays of the pairs of the postings removed and added ({pair: postings, in order of
        unit}, emptied as they are written).  Only a new index (``fresh``) notes postings added here:
        every pair is new, written as it comes, and none is removed; an index already built keeps
        those added apart (``keep_apart``), and a pair that loses a unit has its array read (with its
        rows of ``more``), changed and written whole (``count``: the units of the array)."""
        assert not (removed if self.fresh else added)
        if self.fresh:
            self.database.executemany("INSERT INTO pairs VALUES (?, ?, ?)", (
                (pair - _SIGN, len(postings) // 16, postings) for pair in sorted(added)
                for postings in (added.pop(pair),)))
            return
        whole = [pair - _SIGN for pair in sorted(removed)]  # (the index's keys of the pairs that lose units)
        pieces: dict[int, list] = {key: [] for key in whole}  # (its array, then its rows of ``more``)
        for table in ("pairs", "more"):
            for key, blob in _rows(self.database, f"SELECT pair, postings FROM {table} WHERE pair IN ({{}}) "
                                                  "ORDER BY pair" + (", part" if table == "more" else ""), whole):
                pieces[key].append(blob)
        written: list[tuple] = []  # (pair, count, array): a pair's array written whole
        emptied: list[tuple] = []
        for key in whole:
            now = _without(_native(_joined(pieces.pop(key))),
                           sorted({posting >> 32 for posting in _native(removed[key + _SIGN])[0::2]}))
            if now:
                written.append((key, len(now) // 2, _little(now)))
            else:
                emptied.append((key,))
        self.database.executemany("DELETE FROM more WHERE pair = ?", [(key,) for key in whole])
        self.database.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)", written)
        self.database.executemany("DELETE FROM pairs WHERE pair = ?", emptied)


def _group(noted: defaultdict[int, bytearray], pairs, raw: memoryview, ends) -> None:
    """noted[pair] += its postings, for each of ``pairs`` in turn, its postings ``raw[ends[n]:ends[n + 1]]``
    (at C speed: no Python step for each)."""
    deque(map(bytearray.extend, map(noted.__getitem__, pairs),
              map(raw.__getitem__, map(slice, ends, islice(ends, 1, None)))), 0)


def _recent_parts(database: sqlite3.Connection) -> list[int]:
    """The parts of ``recent`` (the postings kept apart), oldest first."""
    row = database.execute("SELECT value FROM meta WHERE key = 'recent'").fetchone()
    return [int(part) for part in row[0].split()] if row else []


def _over(database: sqlite3.Connection, parts: list[int], factor: int = 1) -> bool:
    """Whether the rows of ``recent`` (``parts``) are more than ``factor`` times ``_RECENT``, or hold
    more than that many times ``_RECENT_BYTES`` (their blobs' lengths, from the rows' headers:
    none read)."""
    return len(parts) > _RECENT * factor or sum(size for size, in _rows(
        database, "SELECT length(pairs) + length(postings) FROM recent WHERE part IN ({})", parts)) > (
        _RECENT_BYTES * factor)


@contextlib.contextmanager
def _fold_cache(database: sqlite3.Connection):
    """SQLite's page cache held to ``_FOLD_CACHE`` while a fold writes its rows (most written once,
    never read again), then put back as it was."""
    cache = database.execute("PRAGMA cache_size").fetchone()[0]
    database.execute(f"PRAGMA cache_size = -{_FOLD_CACHE}")
    try:
        yield
    finally:
        database.execute(f"PRAGMA cache_size = {int(cache)}")


def _generation(database: sqlite3.Connection) -> int:
    """The number of a fold's rows of ``more``: above every earlier one's (noted in ``meta``)."""
    row = database.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    generation = int(row[0]) + 1 if row else 1
    database.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(generation),))
    return generation


def _insert_more(database: sqlite3.Connection, keys: list[int], generation: int, postings) -> None:
    """A row of ``more`` for each of ``keys`` (sorted: the table's pages written in order), numbered
    ``generation``, with its ``postings`` (an iterable of blobs, in the same order): ``_ROWS`` rows a
    statement (a quarter less time than one each)."""
    rows = list(chain.from_iterable(zip(keys, repeat(generation), postings)))
    whole = len(rows) // (3 * _ROWS) * 3 * _ROWS
    database.executemany("INSERT INTO more VALUES " + ",".join(["(?, ?, ?)"] * _ROWS),
                         (rows[at:at + 3 * _ROWS] for at in range(0, whole, 3 * _ROWS)))
    database.executemany("INSERT INTO more VALUES (?, ?, ?)", (rows[at:at + 3] for at in range(whole, len(rows), 3)))


def _fold_arrays(database: sqlite3.Connection, parts: list[int]) -> None:
    """``_Postings._fold`` in array operations, for a run that has numpy at hand (one that looks up):
    the same rows of ``more`` (each pair's postings in order of part, then as its part holds them:
    a stable sort), in about 0.7 of the Python fold's time (SQLite's writes are most of both)."""
    numpy = _numpy()

    held = {part: (pairs, postings) for part, pairs, postings in _rows(
        database, "SELECT part, pairs, postings FROM recent WHERE part IN ({})", parts)}
    parts = [part for part in parts if part in held]
    pairs = numpy.concatenate([numpy.frombuffer(held[part][0], "<i8") for part in parts] or [numpy.empty(0, "<i8")])
    postings = numpy.concatenate([numpy.frombuffer(held[part][1], "<u8").reshape(-1, 2) for part in parts]
                                 or [numpy.empty((0, 2), "<u8")])
    held.clear()
    order = pairs.argsort(kind="stable")
    pairs, raw = pairs[order], postings[order].tobytes()
    del postings, order
    heads = numpy.empty(len(pairs), bool)
    heads[:1] = True
    numpy.not_equal(pairs[1:], pairs[:-1], out=heads[1:])
    starts = heads.nonzero()[0]
    keys = pairs[starts].tolist()
    offsets = [*(starts * 16).tolist(), len(raw)]
    del pairs, heads, starts
    generation = _generation(database)
    for start in range(0, len(keys), 1 << 14):  # (the rows of 16,384 pairs at a time: their blobs held at once)
        end = min(start + (1 << 14), len(keys))
        _insert_more(database, keys[start:end], generation, map(raw.__getitem__, map(
            slice, offsets[start:end], offsets[start + 1:end + 1])))
    _compact(database, generation)
    database.execute("DELETE FROM recent")


def _compact(database: sqlite3.Connection, generation: int) -> None:
    """Join the rows of ``more`` of the pairs of one range in ``_CLASSES`` (the ``generation``'s, in
    turn: by the top bits of the pair's first word's code, a CRC): into one row, numbered
    ``generation`` (a pair of one row is left as it is), or, once they hold a ``_WHOLE``th of the
    pair's array or more (a pair new since the index was built: always), into its array,
    written whole (a common pair's array, megabytes, is written again only once the archive has
    grown by that share, not every ``_CLASSES`` folds).  Without it every fold adds a row to each
    pair it holds, and the rows of ``more`` (hence each fold's inserts, which land among them, and
    the lookups that read them) grow with every night the index lives.  A range's rows and arrays
    lie together in their tables, read and written in order; they are joined as bytes (each row is
    in order of unit, and a row's units come after those before it: checked at each joint)."""
    width = (1 << 64) // _CLASSES
    low = generation % _CLASSES * width - _SIGN
    found = database.execute("SELECT pair, count(*), total(length(postings)) FROM more WHERE pair BETWEEN ? AND ? "
                             "GROUP BY pair ORDER BY pair", (low, low + width - 1)).fetchall()
    whole: set[int] = set()  # (the pairs whose array is written whole: a new pair's is its rows)
    touched: list[int] = []  # (and those whose rows are joined into one: a pair of one row is left as it is)
    for start in range(0, len(found), _CHUNK):
        part = found[start:start + _CHUNK]
        sizes = dict(_rows(database, "SELECT pair, length(postings) FROM pairs WHERE pair IN ({})",
                           [key for key, _, _ in part]))
        for key, rows, size in part:
            if size * _WHOLE >= sizes.get(key, 0):
                whole.add(key)
                touched.append(key)
            elif rows > 1:
                touched.append(key)
    for start in range(0, len(touched), _COMPACTED):
        chunk = touched[start:start + _COMPACTED]
        pieces: dict[int, list] = {key: [] for key in chunk}
        for key, blob in _rows(database, "SELECT pair, postings FROM pairs WHERE pair IN ({})",
                               [key for key in chunk if key in whole]):
            pieces[key].append(blob)
        for key, blob in database.execute("SELECT pair, postings FROM more WHERE pair BETWEEN ? AND ? "
                                          "ORDER BY pair, part", (chunk[0], chunk[-1])):
            if key in pieces:
                pieces[key].append(blob)
        joined = {key: _joined(pieces.pop(key)) for key in chunk}
        database.executemany("DELETE FROM more WHERE pair = ?", [(key,) for key in chunk])
        database.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)", [
            (key, len(blob) // 16, blob) for key, blob in joined.items() if key in whole])
        database.executemany("INSERT INTO more VALUES (?, ?, ?)", [
            (key, generation, blob) for key, blob in joined.items() if key not in whole])


def _joined(blobs: list) -> bytes:
    """A pair's postings of ``blobs`` (its array, then its rows of ``more``, each in order of unit)
    joined, in order of unit (sorted, where a row's first unit is not past the last before it)."""
    blobs = [blob for blob in blobs if blob]
    joined = b"".join(blobs)
    if any(int.from_bytes(before[-12:-8], "little") >= int.from_bytes(after[4:8], "little")
           for before, after in pairwise(blobs)):  # (a unit's id: a posting's high half)
        joined = bytes(_little(_in_order(_native(joined))))
    return joined


def _in_order(postings: array) -> array:
    """A pair's postings (posting, sketch, ...) in order of unit: as they are, or sorted (the units
    added to a pair come after those it holds, but for units added with ids below them)."""
    ids = postings[0::2]
    if all(map(le, ids, islice(ids, 1, None))):
        return postings
    return array("Q", chain.from_iterable(sorted(zip(ids, postings[1::2], strict=True))))


_POSTING = struct.Struct("<QQ")  # a unit's posting in a pair's array: its id << 32 | its English's length, its sketch


def _bounds(noted: dict[bool, defaultdict[int, bytearray]], ranges: int) -> list[int]:
    """The first pairs of the ranges (but the first range's): the pairs noted cut in ``ranges`` parts of
    as many postings each, so that a range holds about as much as another however common a first
    word is ("the" begins 8% of a news archive's pairs)."""
    sizes: Counter = Counter()
    for postings in noted.values():
        sizes.update({pair: len(held) for pair, held in postings.items()})
    pairs = sorted(sizes)
    if not pairs:
        return []
    total = list(accumulate(map(sizes.__getitem__, pairs)))
    return sorted({pairs[min(bisect_left(total, total[-1] * part // ranges), len(pairs) - 1)]
                   for part in range(1, ranges)})


def _little(values: array) -> bytes | memoryview:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return memoryview(values).cast("B")


def _native(raw, typecode: str = "Q") -> array:
    values = array(typecode)
    values.frombytes(raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _without(postings: array, units: list[int]) -> array:
    """A pair's postings (posting, sketch, ...: by unit) less those of ``units`` (in order), each found
    by bisection, not by reading them all (a common pair holds thousands)."""
    ids = postings[0::2]
    drop = [at for unit in units for at in (bisect_left(ids, unit << 32),) if at < len(ids) and ids[at] >> 32 == unit]
    kept, start = array("Q"), 0
    for at in drop:
        kept += postings[start * 2:at * 2]
        start = at + 1
    kept += postings[start * 2:]
    return kept


def _current(path: Path) -> sqlite3.Connection | None:
    """The index at ``path``, opened, if it is there with this version's schema; else None."""
    if not path.is_file():
        return None
    database = sqlite3.connect(path, isolation_level=None, timeout=600)  # (a commit of another run: wait)
    if _schema(database) == SCHEMA:
        return database
    database.close()
    return None


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
    from localize.catalog import read_entries
    from localize.files import read_input
    from localize.memory.tm import read_tmx, units_from_catalog

    try:
        if kind == 0:
            return [unit for unit in units_from_catalog(read_entries(path), name) if unit.source.strip()
                    and unit.target.strip()]
        return [unit for unit in read_tmx(read_input(path, "TMX file"), name) if unit.source.strip()
                and unit.target.strip()]
    except LocalizeError as error:  # its own article's run reports it; the memory just goes without
        warn(f"{error.message}; not used as translation memory")
        return []


_WORD = re.compile(r"\w+")
_CODES: dict = {}  # each word's code (str, or bytes when ASCII), as _words makes it (_HELD words at most)
_ASCII_WORDS = bytes(byte if chr(byte).isalnum() or byte in b"_\x01" or not chr(byte).isascii() else 32
                     for byte in range(256)).replace(b"123456789", b"000000000")  # an ASCII letter, digit (as 0)
# or _ kept, and the bytes of characters past ASCII; else a space
_RUNS_OF_ZEROS = re.compile(rb"0+")  # (every number written 0: _NUMBER's rule, on digits made 0)
_MARKS = "’‘“”—–…«»"  # news' punctuation past ASCII, no part of a word: spaces, as the rest of it
_NUMBER = re.compile(r"\d+")
_ROW = "kind, file, position, key, source, target, origin, ignores"
_CHUNK = 512  # values bound to one statement at most


def _numpy():
    """numpy, imported (the first time) with one BLAS thread unless the user chose how many: the
    index does array arithmetic and sorting, never linear algebra, and the OpenBLAS that numpy
    loads starts a thread for each core, spinning for a while (a tenth of a second of CPU on
    two cores, as much as importing numpy itself; more the more cores).  Only that one import
    sees the setting: the environment is put back as it was."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        import numpy

        return numpy
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy
    finally:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)
    return numpy


def _codes(keys: list[str]) -> list[int]:
    """The words of each of ``keys`` as ``_words`` makes them, one list for all of them, 0 between
    two keys: made in one pass over their English ("\x01" between two), ASCII words by bytes
    operations, each word's code looked up in a bounded cache of the words seen."""
    codes = _CODES
    if len(codes) > _HELD:
        codes.clear()
    text = " \x01 ".join(key for key in keys).lower()
    tokens: list = []
    if text.count("\x01") != len(keys) - 1:  # (a key holding the separator: one at a time)
        for key in keys:
            tokens += [*_split(key.lower()), "\x01"]
        tokens.pop()
    else:  # C-speed bytes operations give _WORD's words (digits as 0): ASCII ones as bytes, and the
        for mark in _MARKS:
            if mark in text:
                text = text.replace(mark, " ")
        tokens = text.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS).split()
        if not text.isascii():  # others, holding a character past ASCII, split again as _words does
            tokens = [word for token in tokens for word in
                      ((token,) if token.isascii() else _split(token.decode("utf-8", "surrogatepass")))]
    codes[b"\x01"] = codes["\x01"] = 0  # (between two units: a word's code is never 0)
    found: list = list(map(codes.get, tokens))
    if None in found:  # words not seen before (as bytes: ASCII ones, every number still to write as 0)
        new = {token: zlib.crc32(_RUNS_OF_ZEROS.sub(b"0", token)[:6] if isinstance(token, bytes) else
                                 token[:6].encode("utf-8", "surrogatepass")) or 1
               for token, code in zip(tokens, found, strict=True) if code is None}
        codes.update(new)  # (another thread may clear the cache meanwhile: these keys' codes are in new)
        found = [new[token] if code is None else code for token, code in zip(tokens, found, strict=True)]
    return found


def _pairs(words, sizes):
    """Of words (codes) one English after another, ``sizes`` words each: (where each English begins,
    each word's English, each word's pair with the next word of its English (0 after the last) as
    one signed 64-bit number, whether that pair is one (an English's last word begins none, unless
    it is its only one), each English's words as one bit each of 64 (0 for none)); what the build
    notes and a lookup looks up."""
    numpy = _numpy()

    starts = numpy.cumsum(sizes) - sizes
    owner = numpy.repeat(numpy.arange(len(sizes)), sizes)
    following = numpy.zeros(len(words), numpy.uint64)
    following[:-1] = words[1:]
    following[(starts + sizes - 1)[sizes > 0]] = 0
    paired = numpy.ones(len(words), bool)
    paired[(starts + sizes - 1)[sizes > 1]] = False
    pairs = ((words.astype(numpy.uint64) << numpy.uint64(32) | following) ^ numpy.uint64(_SIGN)).view("<i8")
    sketches = numpy.zeros(len(sizes), numpy.uint64)
    if len(words):
        sketches[sizes > 0] = numpy.bitwise_or.reduceat(numpy.uint64(1) << (words & 63).astype(numpy.uint64),
                                                        starts[sizes > 0])
    return starts, owner, pairs, paired, sketches


def _rows(database: sqlite3.Connection, query: str, values: list) -> list:
    """The rows of ``query`` with its ``IN ({})`` bound to ``values``, a chunk at a time (padded to
    a power of two with the last value: a few statements, each prepared once)."""
    rows: list = []
    for start in range(0, len(values), _CHUNK):
        part = values[start:start + _CHUNK]
        part += part[-1:] * ((1 << (len(part) - 1).bit_length()) - len(part))
        rows += database.execute(query.format(",".join("?" * len(part))), part)
    return rows


def _words(key: str) -> list[int]:
    """The words of an English as the index counts them: in lower case, every number written 0, cut
    to their first 6 letters (a plural is its singular), each as its CRC-32 (never 0).  The rule
    written plainly, for one English: the build and the lookups make the same words with ``_codes``,
    many Englishes at a time, and the tests hold ``_codes`` to this."""
    return [zlib.crc32(word[:6].encode("utf-8", "surrogatepass")) or 1
            for word in _split(key.lower())]


def _split(text: str) -> list[str]:
    """The words of a lower-cased text, every number written 0 (the words ``_words`` codes)."""
    return _WORD.findall(_NUMBER.sub("0", text))


def _bits(values):
    """How many bits are set in each of the 64-bit ``values``."""
    numpy = _numpy()

    values = numpy.ascontiguousarray(values).view(numpy.uint64)
    if hasattr(numpy, "bitwise_count"):  # numpy 2
        return numpy.bitwise_count(values).astype(numpy.int64)
    return numpy.unpackbits(values.view(numpy.uint8).reshape(-1, 8), axis=1).sum(axis=1, dtype=numpy.int64)


def _rarest(ranked: list[tuple[int, int, int]]) -> list[int]:
    """Of the English's pairs ((pair, position, estimated count), rarest first, then by pair), up to
    PAIRS, holding TOUCH postings at most by their estimates (the rarest one whatever it holds): first
    those sharing no word with one chosen before, then (a short English) the others."""
    chosen: dict[int, None] = {}
    used: set[int] = set()
    touched = 0
    for apart in (True, False):
        for pair, at, estimate in ranked:
            if pair in chosen or (apart and (at in used or at + 1 in used)) or (chosen and touched + estimate > TOUCH):
                continue
            chosen[pair] = None
            used.update((at, at + 1))
            touched += estimate
            if len(chosen) == PAIRS:
                return list(chosen)
    return list(chosen)


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
