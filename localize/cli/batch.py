"""``localize batch``: every new or changed article of some folders, unattended."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import click

from localize import __version__, pipeline
from localize.errors import LocalizeError, WriteFailed
from localize.wording import count


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--report", metavar="FILE.json", help="Also write the summary, per article, as JSON.")
@click.option("--shard", metavar="I/N", help="Take only shard I of N (a stable share by file name).")
@click.option("--chunk", type=click.IntRange(1, 100000), default=64, show_default=True,
              help="Articles per engine batch; each chunk's POs are written before the next starts.")
@click.option("--all", "everything", is_flag=True,
              help="Also redo articles whose source is unchanged (e.g. after a glossary change).")
@click.option("--encoding", metavar="NAME",
              help="Encoding of the articles that are not UTF-8 (e.g. cp1256); UTF-8 ones are read as UTF-8.")
def batch(paths, report, shard, chunk, everything, encoding, out, no_mt, engine, url, api_key, concurrency, timeout,
          beam, device, threads, max_length, trust_exact_memory, glossary_files):
    """Prepare every new or changed article under PATHs for review.

    Finds .txt, .md and .html articles in the folders (and files) given, skips
    those whose source is unchanged since their PO was written, and translates
    the new segments of all the others together (memory first, then one model,
    in chunks of --chunk articles). A broken article is reported and skipped;
    exit code 1 if any failed. Only one batch runs per output folder. A web
    page whose article keeps little of the page's text (an index page, a story
    not found) is listed under "suspect".

    \b
    Example:
      localize batch incoming/ --report reports/tonight.json
      localize batch archive/ --shard 3/8 --no-mt
      localize batch incoming/ --engine libretranslate --url http://mt:5000 --shard 2/8
    """
    from datetime import datetime, timezone

    from localize.batch import discover, in_shard, parse_shard
    from localize.memory import load_memory
    from localize.files import check_writable, lock_folder, printable

    if report:
        check_writable(report)  # before the night's work, not after it
    started = datetime.now(timezone.utc)
    share = parse_shard(shard) if shard else None
    drafter = None if no_mt else pipeline.drafter(engine, url, api_key, concurrency, timeout, beam, device, threads,
                                                  max_length)  # no model, no server: said before any work
    remote = engine == "libretranslate"
    mt = ({"engine": engine, "url": drafter.where if drafter else None, "concurrency": concurrency, "timeout": timeout}
          if remote else {"engine": engine, "beam": beam, "device": device, "threads": threads,
                          "max_length": max_length})  # (never the API key)
    run_info = {"localize": __version__, "started": started.isoformat(timespec="seconds"),
                "options": {"paths": list(paths), "out": out, "all": everything, "chunk": chunk, "shard": shard,
                            "encoding": encoding, "no_mt": no_mt, **mt, "trust_exact_memory": trust_exact_memory,
                            "glossaries": list(glossary_files)}}
    run_info["model"] = (None if drafter is None else {"engine": "LibreTranslate", "server": drafter.where}
                         if remote else {"name": drafter.model.code or drafter.model.name,
                                         "version": drafter.model.version,
                                         "engine": "CTranslate2 (Argos Translate package)"})
    index = pipeline.term_index(glossary_files, required=False)
    with lock_folder(out, wait=False, shared=share is not None):  # shards run at once: disjoint POs
        unreadable: list = []
        articles = [(p, slug) for p, slug in discover(paths, unreadable)
                    if share is None or in_shard(_target(slug, out), share)]
        known, seen = _read_state(out), {}
        rows, pending = [_unreadable_row(folder, why) for folder, why in unreadable], []
        for path, slug in articles:
            target = _target(slug, out)
            row = {"file": printable(path.as_posix()), "po": printable(target.as_posix()), "status": "",
                   "segments": 0, "machine_drafts": 0, "memory_drafts": 0, "issues": 0, "error": "",
                   "suspect": ""}
            rows.append(row)
            redo = _classify(path, target, row, everything, known, seen)
            if not row["status"]:
                pending.append((path, slug, redo, row))
        memory = load_memory(out) if pending else None  # nothing to do: no memory to bring up to date
        progress = _Progress(len(pending))
        for start in range(0, len(pending), chunk):
            _run_chunk(pending[start:start + chunk], out, index, memory, drafter, trust_exact_memory, progress,
                       encoding)
            progress.chunk(start // chunk + 1, -(-len(pending) // chunk))
        progress.close()
        _write_state(out, known, seen, rows)
    ended = datetime.now(timezone.utc)
    run_info.update(ended=ended.isoformat(timespec="seconds"), seconds=round((ended - started).total_seconds(), 3))
    _summarize(rows, report, run_info)
    sys.exit(1 if any(row["status"] == "failed" for row in rows) else 0)


def _unreadable_row(folder: str, why: str) -> dict:
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


def _target(slug: str, out: str) -> Path:
    return Path(f"{out}/ar/{slug}.po")


def _classify(path: Path, target: Path, row: dict, everything: bool, known: dict, seen: dict) -> bool:
    """Mark a row failed (unreadable) or unchanged (same hash as its PO records); True for an
    unchanged article that --all redoes (reported as "redone", not "updated").

    An article and a PO whose sizes and modification times are those the last
    run recorded (``STATE``) are unchanged without reading either (as git's
    index does); any other is read and its hash compared."""
    from localize.batch import recorded_hash
    from localize.files import check_file_name, printable, read_input

    name = os.path.abspath(path)
    stats = _stats(path, target)
    if stats is None or known.get(name) != stats:
        try:
            check_file_name(path)
            data = read_input(path, "article")
        except LocalizeError as error:
            row["status"], row["error"] = "failed", printable(error.message)
            return False
        if not target.exists() or recorded_hash(target) != hashlib.sha256(data).hexdigest():
            return False
    if _settled(stats):
        seen[name] = stats
    if not everything:
        row["status"] = "unchanged"
    return everything


STATE = ".localize-batch-state.json"  # in the output folder: what the last runs found unchanged


def _stats(article: Path, po: Path) -> list | None:
    try:
        source, translation = os.stat(article), os.stat(po)
    except OSError:
        return None
    return [source.st_size, source.st_mtime_ns, translation.st_size, translation.st_mtime_ns]


def _settled(stats: list | None) -> bool:
    """Stats worth recording: neither file changed in the last two seconds (a change within the
    clock's resolution could leave size and time as they were: such a file is read next time)."""
    import time

    return stats is not None and time.time_ns() - max(stats[1], stats[3]) > 2_000_000_000


def _read_state(out: str) -> dict:
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


def _write_state(out: str, known: dict, seen: dict, rows: list) -> None:
    """Record the stats of the articles found unchanged or written this run (a cache: failing to
    write it costs the next run a read of each article, nothing else)."""
    from localize.files import write_atomic

    for row in rows:
        if row["status"] in ("new", "updated", "redone"):
            path = Path(row["file"])
            stats = _stats(path, Path(row["po"]))
            if _settled(stats):
                seen[os.path.abspath(path)] = stats
        elif row["status"] == "failed":
            known.pop(os.path.abspath(row["file"]), None)
    state = {**known, **seen}
    if state == known or not Path(out).is_dir():
        return
    try:
        write_atomic(Path(out) / STATE, json.dumps({"version": 1, "files": state}))
    except LocalizeError:
        pass


def _run_chunk(chunk, out, index, memory, drafter, trust, progress, encoding=None) -> None:
    """Prepare, draft and write one chunk of articles; failures stay with their article.

    Each PO is renamed into place only if it still has the digest it had when it
    was read, checked right before its own rename: a reviewer's save made while
    the chunk was drafted or rendered fails that article alone ("changed on
    disk"), and the PO keeps the reviewer's text."""
    from localize.files import Staging, printable

    jobs, rows, seen, digests, suspects = [], {}, {}, {}, {}
    for path, slug, redo, row in chunk:
        job = _prepare_one(path, slug, redo, row, out, index, digests, suspects, seen, encoding)
        if job is None:
            progress.article(row)
            continue
        jobs.append(job)
        rows[job[0]] = row
    drafted, remembered = pipeline.draft(jobs, index, memory, drafter, trust)
    expect = pipeline.expected(digests)
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
    for target, _ in jobs:
        progress.article(rows[target])


def _prepare_one(path, slug, redo, row, out, index, digests, suspects, seen, encoding):
    """(target, PO) of one article of a chunk, or None with the row marked failed.  Anything
    that goes wrong with one article (a bad page, a bug in a reader) fails that article alone."""
    from localize.files import printable

    existed = Path(row["po"]).exists()
    try:
        target, po = pipeline.prepare(str(path), out, None, _encoding(encoding), index, digests, slug, suspects)
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
    row["suspect"] = suspects.get(target, "")
    return target, po


def _finish_row(row: dict, po, index, machine: int, memory: int) -> None:
    from localize.catalog import summary

    row.update(segments=summary(po)["segments"], machine_drafts=machine, memory_drafts=memory,
               issues=len(pipeline.entry_issues(po, index)))


class _Progress:
    """A bar on a terminal; when not, a line per article done and a line per chunk (what was
    done, how fast), so a piped night run is never silent until the end.  Failures are not
    printed here: the summary lists each one once."""

    def __init__(self, total: int):
        import time

        self.bar, self.total, self.done, self.segments = None, total, 0, 0
        self.clock, self.started = time.perf_counter, time.perf_counter()
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label="Articles", file=sys.stderr)
            self.bar.__enter__()

    def article(self, row: dict) -> None:
        self.done += 1
        self.segments += row["segments"]
        if self.bar is not None:
            self.bar.update(1)
        elif row["status"] != "failed":
            detail = (f"{count(row['segments'], 'segment')}, {count(row['machine_drafts'], 'machine draft')}, "
                      f"{row['memory_drafts']} from memory, {count(row['issues'], 'issue')}")
            click.echo(f"{row['status']}: {row['file']} -> {row['po']}: {detail}", err=True)

    def chunk(self, number: int, chunks: int) -> None:
        if self.bar is None:
            seconds = max(self.clock() - self.started, 1e-9)
            click.echo(f"chunk {number}/{chunks}: {self.done}/{count(self.total, 'article')} done, "
                       f"{count(self.segments, 'segment')} in {seconds:.1f} s ({self.segments / seconds:.1f} "
                       "segments/s)", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _summarize(rows: list[dict], report: str | None, run_info: dict) -> None:
    from localize.files import write_atomic

    counts = {status: sum(1 for row in rows if row["status"] == status)
              for status in ("new", "updated", "redone", "unchanged", "failed")}
    counts["suspect"] = sum(1 for row in rows if row["suspect"] and row["status"] != "failed")
    summed = ("segments", "machine_drafts", "memory_drafts", "issues")
    totals = {"articles": len(rows), **counts, **{key: sum(row[key] for row in rows) for key in summed}}
    redone = f", {counts['redone']} redone" if counts["redone"] else ""
    click.echo(f"articles: {counts['new']} new, {counts['updated']} updated{redone}, {counts['unchanged']} "
               f"unchanged, {counts['failed']} failed" + (f", {counts['suspect']} suspect" if counts["suspect"] else ""))
    click.echo(f"drafts: {totals['machine_drafts']} machine, {totals['memory_drafts']} from memory; "
               f"issues: {totals['issues']}")
    for row in rows:
        if row["status"] == "failed":
            click.echo(f"failed: {row['error']}")
        elif row["suspect"]:
            click.echo(f"suspect: {row['file']}: {row['suspect']}: an index page, or its story was not found; "
                       f"read {row['po']} before it goes to review")
    if report:
        write_atomic(report, json.dumps({"run": run_info, "totals": totals, "articles": rows},
                                        ensure_ascii=False, indent=2) + "\n")
