"""``localize batch``: every new or changed article of some folders, unattended."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import click

from localize import pipeline
from localize.errors import LocalizeError


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--report", metavar="FILE.json", help="Also write the summary, per article, as JSON.")
@click.option("--shard", metavar="I/N", help="Take only shard I of N (a stable share by file name).")
@click.option("--chunk", type=click.IntRange(1, 100000), default=64, show_default=True,
              help="Articles per engine batch; each chunk's POs are written before the next starts.")
@click.option("--all", "everything", is_flag=True,
              help="Also redo articles whose source is unchanged (e.g. after a glossary change).")
def batch(paths, report, shard, chunk, everything, out, no_mt, beam, device, threads, max_length,
          trust_exact_memory, glossary_files):
    """Prepare every new or changed article under PATHs for review.

    Finds .txt, .md and .html articles in the folders (and files) given, skips
    those whose source is unchanged since their PO was written, and translates
    the new segments of all the others together (memory first, then one model,
    in chunks of --chunk articles). A broken article is reported and skipped;
    exit code 1 if any failed. Only one batch runs per output folder.

    \b
    Example:
      localize batch incoming/ --report reports/tonight.json
      localize batch archive/ --shard 3/8 --no-mt
    """
    from localize import models
    from localize.batch import discover, in_shard, parse_shard
    from localize.cli_tm import load_memory
    from localize.files import lock_folder

    from localize.files import check_writable, printable

    if report:
        check_writable(report)  # before the night's work, not after it
    share = parse_shard(shard) if shard else None
    model = None if no_mt else models.find()
    index = pipeline.term_index(glossary_files, required=False)
    with lock_folder(out, wait=False):
        articles = [(p, slug) for p, slug in discover(paths)
                    if share is None or in_shard(_target(slug, out), share)]
        rows, pending = [], []
        for path, slug in articles:
            row = {"file": printable(path.as_posix()), "po": printable(_target(slug, out).as_posix()), "status": "",
                   "slug": slug, "segments": 0, "machine_drafts": 0, "memory_drafts": 0, "issues": 0, "error": ""}
            rows.append(row)
            _classify(path, row, everything)
            if row["status"] == "failed":
                click.echo(f"failed: {row['file']}: {row['error']}", err=True)
            if not row["status"]:
                pending.append((path, row))
        memory = load_memory(out)
        options = pipeline.engine_options(beam, device, threads, max_length)
        progress = _Progress(len(pending))
        for start in range(0, len(pending), chunk):
            _run_chunk(pending[start:start + chunk], out, index, memory, model, options,
                       trust_exact_memory, progress)
        progress.close()
    _summarize(rows, report)
    sys.exit(1 if any(row["status"] == "failed" for row in rows) else 0)


def _target(slug: str, out: str) -> Path:
    return Path(out) / "ar" / f"{slug}.po"


def _classify(path: Path, row: dict, everything: bool) -> None:
    """Mark a row failed (unreadable) or unchanged (same hash as its PO records)."""
    from localize.batch import recorded_hash
    from localize.files import check_file_name, printable, read_input

    try:
        check_file_name(path)
        data = read_input(path, "article")
    except LocalizeError as error:
        row["status"], row["error"] = "failed", printable(error.message)
        return
    target = Path(row["po"])
    if not target.exists():
        return
    if not everything and recorded_hash(target) == hashlib.sha256(data).hexdigest():
        row["status"] = "unchanged"


def _run_chunk(chunk, out, index, memory, model, options, trust, progress) -> None:
    """Prepare, draft and write one chunk of articles; failures stay with their article."""
    from localize.catalog import summary
    from localize.files import digest, printable, write_all

    jobs, rows, seen, digests = [], {}, {}, {}
    for path, row in chunk:
        existed = Path(row["po"]).exists()
        try:
            target, po = pipeline.prepare(str(path), out, None, None, index, digests, row.pop("slug"))
        except LocalizeError as error:
            row["status"], row["error"] = "failed", printable(error.message)
            progress.article(row)
            continue
        if target in seen:
            row["status"], row["error"] = "failed", (f"{target}: both {seen[target]} and {row['file']} would be "
                                                     "written here (rename one of the articles)")
            progress.article(row)
            continue
        seen[target] = row["file"]
        row["status"] = "updated" if existed else "new"
        jobs.append((target, po))
        rows[target] = (row, digests[target])
    drafted, remembered = pipeline.draft(jobs, index, memory, model, options, trust)
    ready = {}
    for target, po in jobs:
        row, before = rows[target]
        if digest(target) != before:
            row["status"], row["error"] = "failed", f"{target}: changed on disk during the run; run again"
            continue
        try:
            ready[target] = pipeline.render_po(target, po, row["file"])
        except LocalizeError as error:
            row["status"], row["error"] = "failed", printable(error.message)
        else:
            row.update(segments=summary(po)["segments"], machine_drafts=drafted.get(target, 0),
                       memory_drafts=remembered.get(target, 0), issues=len(pipeline.entry_issues(po, index)))
    write_all(ready)  # the chunk's POs, or none of them (a full disk stops the run: exit 2)
    for target, _ in jobs:
        progress.article(rows[target][0])


class _Progress:
    """A bar on a terminal; one plain line per article when not."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label="Articles", file=sys.stderr)
            self.bar.__enter__()

    def article(self, row: dict) -> None:
        if self.bar is not None:
            self.bar.update(1)
            return
        detail = row["error"] or (f"{row['segments']} segments, {row['machine_drafts']} machine drafts, "
                                  f"{row['memory_drafts']} from memory, {row['issues']} issues")
        click.echo(f"{row['status']}: {row['file']} -> {row['po']}: {detail}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _summarize(rows: list[dict], report: str | None) -> None:
    from localize.files import write_atomic

    counts = {status: sum(1 for row in rows if row["status"] == status)
              for status in ("new", "updated", "unchanged", "failed")}
    summed = ("segments", "machine_drafts", "memory_drafts", "issues")
    totals = {"articles": len(rows), **counts, **{key: sum(row[key] for row in rows) for key in summed}}
    click.echo(f"articles: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged, "
               f"{counts['failed']} failed")
    click.echo(f"drafts: {totals['machine_drafts']} machine, {totals['memory_drafts']} from memory; "
               f"issues: {totals['issues']}")
    for row in rows:
        if row["status"] == "failed":
            click.echo(f"failed: {row['error']}")
    if report:
        write_atomic(report, json.dumps({"totals": totals, "articles": rows}, ensure_ascii=False, indent=2) + "\n")
