"""Many articles in one run: find them, shard them, skip the unchanged ones.

The night job points ``localize batch`` at folders of articles.  What changed
since the last run is found from the hash each PO records of its article
(``X-Source-SHA256``), reading only the PO's header, so a re-run over a
thousand unchanged articles costs a thousand small reads.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from localize.errors import LocalizeError

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
_HASH_FIELD = re.compile(r'^"X-Source-SHA256: ([0-9a-f]{64})\\n"$', re.MULTILINE)


def discover(paths, unreadable: list | None = None) -> list[tuple[Path, str]]:
    """Articles in the given folders (recursively, by suffix) and files, sorted, once each, with
    their slugs: the path below the folder given ('incoming/a/story.txt' -> 'a-story'), so that
    same-name articles in different folders get different POs; a file named directly (or at the
    top of the folder) keeps its file name, as with ``localize translate``.  A folder that cannot
    be listed goes to ``unreadable`` as (folder, why), for the run to report: never skipped silently."""
    from localize.records import slugify

    found: dict[Path, str] = {}
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            for article, below in _articles(path, unreadable if unreadable is not None else []):
                found.setdefault(Path(article), slugify(os.path.splitext(below)[0]))
        else:
            found.setdefault(path, slugify(path.stem))  # named explicitly: read it whatever its suffix
    return sorted(found.items(), key=lambda item: item[0].parts)  # as Paths sort, without their cost


def _articles(folder: Path, unreadable: list):
    """(path, path below ``folder`` with "/") of the article files below ``folder``: by suffix,
    regular files (or links to them), no hidden file or folder; symbolic links to folders are
    not followed (as ``Path.rglob``)."""
    stack = [(str(folder), "")]
    while stack:
        current, below = stack.pop()
        try:
            with os.scandir(current) as entries:
                entries = list(entries)
        except OSError as error:
            unreadable.append((current, error.strerror or str(error)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, below + entry.name + "/"))
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES and entry.is_file():
                yield entry.path, below + entry.name


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` -> (I, N), 1 <= I <= N."""
    match = re.fullmatch(r"(\d+)/(\d+)", text or "")
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise LocalizeError(f"--shard {text}", "expected I/N with 1 <= I <= N", "e.g. --shard 2/8")
    return int(match.group(1)), int(match.group(2))


def in_shard(path: Path, shard: tuple[int, int]) -> bool:
    """A stable share: the article's file name decides, the same on every machine."""
    index, count = shard
    digest = hashlib.sha256(path.name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def recorded_hash(po_path: Path) -> str | None:
    """The article hash a PO recorded, from its header only (no full parse)."""
    try:
        with open(po_path, "rb") as stream:
            head = stream.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    match = _HASH_FIELD.search(head)
    return match.group(1) if match else None
