"""Each PO's review state (``localize status``, the review page's list of articles), kept between
runs in ``<translations>/.localize-status.json``.

A PO's row (segments, reviewed, drafts, untranslated, its issues by type, its source's state,
its title) costs a parse and a glossary and QA check of every entry: seconds at an archive's
size.  The row is kept with what it was computed from: the PO's size and modification time,
its source article's, and a key of everything else the checks read (the glossaries' bytes and
localize's own checking code).  A row is used again only while all of these are as they were;
a file changed within the last two seconds is never trusted by its time (a second change within
the clock's resolution could leave size and time as they were), so its row is not kept.

The file is a cache: a missing, broken or foreign one is an empty cache, and failing to write it
costs the next run the checks, nothing else.  ``status`` and the review server share it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from functools import lru_cache
from pathlib import Path

from localize.errors import LocalizeError

NAME = ".localize-status.json"
VERSION = 1
SETTLED_NS = 2_000_000_000  # two seconds: more than any file system's clock resolution
# localize's code that a row depends on: the checks, the review rules, the PO reading and summary
CODE = ("checks", "review.py", "catalog.py", "pipeline.py", "po_syntax.py", "records.py", "files.py", "wording.py",
        "engines/protect.py", "data")


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

    def __init__(self, folder: str | os.PathLike | None, glossary_files=(), index=None):
        from localize import pipeline

        paths = pipeline.glossary_paths(glossary_files)
        self.file = Path(folder) / NAME if folder is not None and Path(folder).is_dir() else None
        self.key = f"{code_key()}-{glossary_key(paths)}"
        self._make_index = index or (lambda: pipeline.term_index(glossary_files, required=False))
        self._index = None
        self._lock = threading.RLock()
        self._rows = self._read()
        self._changed = False
        self.computed = 0  # rows computed (not from the cache) since this cache was made

    def _read(self) -> dict:
        if self.file is None:
            return {}
        try:
            with open(self.file, encoding="utf-8") as stream:
                data = json.load(stream)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("key") != self.key \
                or not isinstance(data.get("rows"), dict):
            return {}
        return data["rows"]

    def index(self):
        with self._lock:
            if self._index is None:
                self._index = self._make_index()
            return self._index

    def row(self, path: Path | str) -> dict:
        """The status row of the PO at ``path`` (with its ``title``); raises ``LocalizeError`` for a
        PO that cannot be read (never cached: it is read again next time)."""
        from localize import pipeline
        from localize.catalog import read_po

        name = os.path.abspath(path)
        po_stats = file_stats(path)
        kept = self._rows.get(name)
        if kept is not None and po_stats is not None and kept.get("po") == po_stats \
                and kept.get("source") == file_stats(kept["source_path"]):
            return kept["row"]
        po = read_po(path)
        source_path = str(pipeline.recorded_path(po.metadata.get("X-Source-File", "")))
        source_stats = file_stats(source_path) if source_path != "." else None
        row = {"title": title_of(po), **pipeline.status_row(po, self.index())}
        with self._lock:
            self.computed += 1
            if po_stats is not None and settled(po_stats, source_stats):
                self._rows[name] = {"po": po_stats, "source": source_stats, "source_path": source_path, "row": row}
                self._changed = True
            elif self._rows.pop(name, None) is not None:
                self._changed = True
        return row

    def save(self) -> None:
        """Write the cache if a row was added (atomically; a failure is silent: it is a cache)."""
        from localize.files import write_atomic

        with self._lock:
            if not self._changed or self.file is None:
                return
            self._rows = {name: kept for name, kept in self._rows.items() if os.path.exists(name)}  # (deleted POs)
            text = json.dumps({"version": VERSION, "key": self.key, "rows": self._rows}, ensure_ascii=False)
            self._changed = False
        with contextlib.suppress(LocalizeError, OSError):
            write_atomic(self.file, text)
