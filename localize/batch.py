"""Many articles in one run: find them, shard them, skip the unchanged ones.

The night job points ``localize batch`` at folders of articles.  What changed
since the last run is found from the hash each PO records of its article
(``X-Source-SHA256``), reading only the PO's header, so a re-run over a
thousand unchanged articles costs a thousand small reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from localize import pipeline
from localize.errors import LocalizeError, Stopped, WriteFailed

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
            with os.scandir(current) as listing:
                entries = list(listing)
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


def run(paths, out: str, index, drafter, options: dict, events, say=None) -> list:
    """Every new or changed article under ``paths`` to its PO, in chunks, under the folder's lock
    (shared between the shards of one batch): the rows of the run's report, one per article
    (and per folder that could not be read).  ``options``: everything, chunk, shard (I, N) or
    None, encoding, trust_exact_memory.  ``events``: ``start(articles to do)``,
    ``article(row)`` as each is done, ``chunk(number, chunks)`` after each chunk;
    ``say(line)``: what a person should hear of."""
    from localize.files import lock_folder, printable
    from localize.memory import load_memory

    share, chunk = options["shard"], options["chunk"]
    with lock_folder(out, wait=False, shared=share is not None):  # shards run at once: disjoint POs
        unreadable: list = []
        articles = [(p, slug) for p, slug in discover(paths, unreadable)
                    if share is None or in_shard(target_of(slug, out), share)]
        known = read_state(out)
        seen: dict[str, list] = {}  # article's absolute path: stats of it and its PO, found unchanged
        rows = [unreadable_row(folder, why) for folder, why in unreadable]
        pending: list[tuple[Path, str, bool, dict]] = []
        for path, slug in articles:
            target = target_of(slug, out)
            row = {"file": printable(path.as_posix()), "po": printable(target.as_posix()), "status": "",
                   "segments": 0, "machine_drafts": 0, "memory_drafts": 0, "issues": 0, "error": "",
                   "suspect": ""}
            rows.append(row)
            redo = classify(path, target, row, options["everything"], known, seen)
            if not row["status"]:
                pending.append((path, slug, redo, row))
        memory = load_memory(out, say and (lambda line: say(f"warning: {line}"))) if pending else None
        events.start(len(pending))
        finished: set[int] = set()  # the rows run_chunk reported: written, or failed for a reason of their own

        def on_article(row: dict) -> None:
            finished.add(id(row))
            events.article(row)

        try:
            for start in range(0, len(pending), chunk):
                run_chunk(pending[start:start + chunk], out, index, memory, drafter, options, on_article, say)
                events.chunk(start // chunk + 1, -(-len(pending) // chunk))
        except (LocalizeError, KeyboardInterrupt) as error:  # a server gone, a full disk, SIGTERM or Ctrl+C
            reason = error.message if isinstance(error, LocalizeError) else "interrupted (SIGTERM or Ctrl+C)"
            for _, _, _, row in pending:
                if id(row) not in finished:
                    row["status"], row["error"] = "failed", f"{row['file']}: not done, the run stopped: {reason}"
            write_state(out, known, seen, rows)
            raise RunStopped(rows, reason) from None
        write_state(out, known, seen, rows)
    return rows


class RunStopped(Exception):
    """A batch stopped before its end: ``rows`` say what was done (written) and what was not."""

    def __init__(self, rows: list, reason: str):
        super().__init__(reason)
        self.rows, self.reason = rows, reason


def unreadable_row(folder: str, why: str) -> dict:
    """A folder the run could not look into: a failure of the run (exit 1), named in the summary."""
    from localize.files import printable

    return {"file": printable(folder), "po": "", "status": "failed", "segments": 0, "machine_drafts": 0,
            "memory_drafts": 0, "issues": 0, "suspect": "",
            "error": f"{printable(folder)}: cannot read the folder ({why}); its articles were not looked at: "
                     "check its permissions"}


def _encoding(encoding: str | None) -> str | None:
    """--encoding for the articles that are not UTF-8: a UTF-8 file of the same night stays UTF-8
    (``files.codec_of`` tries UTF-8 first, on the bytes read once)."""
    return None if encoding is None else f"utf-8|{encoding}"


def target_of(slug: str, out: str) -> Path:
    return Path(f"{out}/ar/{slug}.po")


def classify(path: Path, target: Path, row: dict, everything: bool, known: dict, seen: dict) -> bool:
    """Mark a row failed (unreadable) or unchanged (same hash as its PO records); True for an
    unchanged article that --all redoes (reported as "redone", not "updated").

    An article and a PO whose sizes and modification times are those the last
    run recorded (``STATE``) are unchanged without reading either (as git's
    index does); any other is read and its hash compared."""
    from localize.files import check_file_name, printable, read_input

    name = os.path.abspath(path)
    stats = stats_of(path, target)
    if stats is None or known.get(name) != stats:
        try:
            check_file_name(path)
            data = read_input(path, "article")
        except LocalizeError as error:
            row["status"], row["error"] = "failed", printable(error.message)
            return False
        if not target.exists() or recorded_hash(target) != hashlib.sha256(data).hexdigest():
            return False
    if settled(stats):
        seen[name] = stats
    if not everything:
        row["status"] = "unchanged"
    return everything


STATE = ".localize-batch-state.json"  # in the output folder: what the last runs found unchanged


def stats_of(article: Path, po: Path) -> list | None:
    try:
        source, translation = os.stat(article), os.stat(po)
    except OSError:
        return None
    return [source.st_size, source.st_mtime_ns, translation.st_size, translation.st_mtime_ns]


def settled(stats: list | None) -> bool:
    """Stats worth recording: neither file changed in the last two seconds (a change within the
    clock's resolution could leave size and time as they were: such a file is read next time)."""
    import time

    return stats is not None and time.time_ns() - max(stats[1], stats[3]) > _SETTLED_NS


_SETTLED_NS = 2_000_000_000  # two seconds: more than any file system's clock resolution


def read_state(out: str) -> dict:
    """{article's absolute path: stats of it and its PO} as the last runs recorded them; a
    missing or broken file is an empty state (every article is read: nothing is trusted)."""
    try:
        with open(Path(out) / STATE, encoding="utf-8") as stream:
            state = json.load(stream)
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("version") != 1 or not isinstance(state.get("files"), dict):
        return {}
    return state["files"]


def write_state(out: str, known: dict, seen: dict, rows: list) -> None:
    """Record the stats of the articles found unchanged or written this run (a cache: failing to
    write it costs the next run a read of each article, nothing else).

    The shards of one batch run at once and share the file: each takes its lock
    (``STATE_LOCK``, never removed: a waiter never holds a lock on an unlinked file), reads
    what the others recorded meanwhile, adds its own and drops its failed articles, and
    writes the file by rename; no shard's work is lost, whoever writes last."""
    from localize.files import exclusive, write_atomic

    for row in rows:
        if row["status"] in ("new", "updated", "redone"):
            path = Path(row["file"])
            stats = stats_of(path, Path(row["po"]))
            if settled(stats):
                seen[os.path.abspath(path)] = stats
    failed = {os.path.abspath(row["file"]) for row in rows if row["status"] == "failed"}
    if not Path(out).is_dir() or (not failed & known.keys() and all(known.get(k) == v for k, v in seen.items())):
        return  # nothing to add or drop
    with contextlib.suppress(LocalizeError, OSError), exclusive(Path(out) / STATE_LOCK):
        current = read_state(out)  # (what other shards recorded since this run read it)
        state = {**current, **seen}
        for name in failed:
            state.pop(name, None)
        if state != current:
            write_atomic(Path(out) / STATE, json.dumps({"version": 1, "files": state}))


STATE_LOCK = ".localize-batch-state.lock"  # held for a read-merge-write of STATE (files.exclusive)


def run_chunk(chunk, out, index, memory, drafter, options: dict, on_article, say=None) -> None:
    """Prepare, draft and write one chunk of articles; failures stay with their article.
    ``options``: ``run``'s (trust_exact_memory and encoding are read here).

    Each PO is renamed into place only if it still has the digest it had when it
    was read, checked right before its own rename: a reviewer's save made while
    the chunk was drafted or rendered fails that article alone ("changed on
    disk"), and the PO keeps the reviewer's text."""
    from localize.files import Staging, printable

    jobs, rows = [], {}
    found = _Found()
    for pending in chunk:
        row = pending[3]
        job = _prepare_one(pending, out, index, found, options["encoding"])
        if job is None:
            on_article(row)
            continue
        jobs.append(job)
        rows[job[0]] = row
    stopped = None
    try:
        drafted, remembered = pipeline.draft(jobs, index, memory, drafter, options["trust_exact_memory"], None, say)
    except Stopped as error:  # the engine stopped partway: write the articles it finished, then stop
        stopped, (drafted, remembered) = error, error.counts
        for target, _ in jobs:
            if target not in error.complete:
                rows[target]["status"] = "failed"
                rows[target]["error"] = f"{rows[target]['file']}: not drafted, the run stopped: " \
                    f"{printable(error.message)}; run again"
        jobs = [(target, po) for target, po in jobs if target in error.complete]
    expect = pipeline.expected(found.digests)
    with Staging() as staging:
        for target, po in jobs:
            row = rows[target]
            try:
                _finish_row(row, po, index, drafted.get(target, 0), remembered.get(target, 0))
                staging.add(target, pipeline.render_po(target, po, row["file"]), expect[target])
            except LocalizeError as error:
                if isinstance(error, WriteFailed):
                    raise  # a full disk or a read-only folder stops the run (exit 2): no article can be written
                row["status"], row["error"] = "failed", printable(error.message)
        for target in staging.commit(partial=True):
            rows[target]["status"] = "failed"
            rows[target]["error"] = f"{printable(str(target))}: changed on disk during the run (saved in an editor?); "\
                "it was left as it is: run again"
    for row in rows.values():
        on_article(row)
    if stopped is not None:
        raise stopped


@dataclass
class _Found:
    """What the articles of a chunk left on the way: ``pipeline.prepare``'s digests and suspects,
    and the article each target is written from."""

    digests: dict[Path, str | None] = field(default_factory=dict)
    suspects: dict[Path, str] = field(default_factory=dict)
    seen: dict[Path, str] = field(default_factory=dict)


def _prepare_one(pending: tuple[Path, str, bool, dict], out, index, found: _Found, encoding: str | None):
    """(target, PO) of one article of a chunk (``path, slug, redo, row``), or None with the row
    marked failed.  Anything that goes wrong with one article (a bad page, a bug in a reader)
    fails that article alone."""
    from localize.files import printable

    path, slug, redo, row = pending
    seen = found.seen
    existed = Path(row["po"]).exists()
    try:
        target, po = pipeline.prepare(str(path), out, None, _encoding(encoding), index, found.digests, slug,
                                      found.suspects)
    except LocalizeError as error:
        row["status"], row["error"] = "failed", printable(error.message)
        return None
    except (RecursionError, MemoryError) as error:
        row["status"], row["error"] = "failed", f"{printable(row['file'])}: too deeply nested or too large to read " \
            f"({type(error).__name__}); check the file"
        return None
    except Exception as error:  # a bug on one page must not cost the night's other articles
        row["status"], row["error"] = "failed", f"{printable(row['file'])}: could not be read " \
            f"({type(error).__name__}: {printable(str(error))[:200]}); please report this as a bug"
        return None
    if target in seen:
        row["status"], row["error"] = "failed", (f"{target}: both {seen[target]} and {row['file']} would be "
                                                 "written here (rename one of the articles)")
        return None
    seen[target] = row["file"]
    row["status"] = "redone" if redo else "updated" if existed else "new"
    row["suspect"] = found.suspects.get(target, "")
    return target, po


def _finish_row(row: dict, po, index, machine: int, memory: int) -> None:
    from localize.catalog import summary

    row.update(segments=summary(po)["segments"], machine_drafts=machine, memory_drafts=memory,
               issues=len(pipeline.entry_issues(po, index)))
