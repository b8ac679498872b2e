"""``localize batch``: every new or changed article of some folders, unattended."""

from __future__ import annotations

import contextlib
import json
import sys

import click

from localize import __version__, pipeline
from localize.cli.options import option, say, translation_options, warn
from localize.wording import count


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@translation_options
@click.option("--report", metavar="FILE.json", help="Also write the summary, per article, as JSON.")
@click.option("--shard", metavar="I/N", help="Take only shard I of N (a stable share by file name).")
@option("chunk")
@click.option("--all", "everything", is_flag=True,
              help="Also redo articles whose source is unchanged (e.g. after a glossary change).")
@click.option("--encoding", metavar="NAME",
              help="Encoding of the articles that are not UTF-8 (e.g. cp1256); UTF-8 ones are read as UTF-8.")
def batch(paths, report, shard, chunk, everything, encoding, out, no_mt, trust_exact_memory, glossary_files,
          **options):
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

    from localize.batch import RunStopped, parse_shard, run
    from localize.files import check_writable

    if report:
        check_writable(report)  # before the night's work, not after it
    started = datetime.now(timezone.utc)
    share = parse_shard(shard) if shard else None
    engine = pipeline.EngineSettings.take(options)
    drafter = None if no_mt else pipeline.drafter(engine, warn)  # no model, no server: said before any work
    run_info: dict[str, object] = {"localize": __version__, "started": started.isoformat(timespec="seconds"),
                "options": {"paths": list(paths), "out": out, "all": everything, "chunk": chunk, "shard": shard,
                            "encoding": encoding, "no_mt": no_mt, **_engine_info(engine, drafter),
                            "trust_exact_memory": trust_exact_memory, "glossaries": list(glossary_files)},
                "model": _model_info(engine, drafter)}
    index = pipeline.term_index(glossary_files, required=False)
    progress = _Progress()
    stopped = None
    try:
        with _sigterm_as_interrupt():  # (a scheduler's time limit, scancel, kill: the report is still written)
            rows = run(paths, out, index, drafter, {"everything": everything, "chunk": chunk, "shard": share,
                                                    "encoding": encoding, "trust_exact_memory": trust_exact_memory},
                       progress, say)
    except RunStopped as error:  # the POs it finished are written; the report says what was not done
        stopped, rows = error, error.rows
    finally:
        progress.close()
    ended = datetime.now(timezone.utc)
    run_info.update(ended=ended.isoformat(timespec="seconds"), seconds=round((ended - started).total_seconds(), 3))
    if stopped is not None:
        run_info["stopped"] = stopped.reason
    _summarize(rows, report, run_info)
    if stopped is not None:
        done = sum(1 for row in rows if row["status"] in ("new", "updated", "redone"))
        click.echo(f"Error: {stopped.reason}; the run stopped ({count(done, 'article')} written and kept; run again "
                   "for the rest)", err=True)
        sys.exit(2)
    sys.exit(1 if any(row["status"] == "failed" for row in rows) else 0)


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM raises KeyboardInterrupt while the run goes on (as Ctrl+C does), so the run stops
    between two steps and writes what it finished, its state and its report."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (a caller's thread): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _engine_info(engine, drafter) -> dict:
    """The engine's settings for the report (never the API key)."""
    if engine.engine == "libretranslate":
        return {"engine": engine.engine, "url": drafter.servers if drafter else None,
                "concurrency": engine.concurrency, "timeout": engine.timeout}
    return {"engine": engine.engine, "beam": engine.beam, "device": engine.device, "threads": engine.threads,
            "max_length": engine.max_length}


def _model_info(engine, drafter) -> dict | None:
    if drafter is None:
        return None
    if engine.engine == "libretranslate":
        return {"engine": "LibreTranslate", "server": drafter.servers}
    return {"name": drafter.model.code or drafter.model.name, "version": drafter.model.version,
            "engine": "CTranslate2 (Argos Translate package)"}


class _Progress:
    """A bar on a terminal; when not, a line per article done and a line per chunk (what was
    done, how fast), so a piped night run is never silent until the end.  Failures are not
    printed here: the summary lists each one once."""

    def __init__(self):
        import time

        self.bar, self.total, self.done, self.segments = None, 0, 0, 0
        self.clock, self.started = time.perf_counter, time.perf_counter()

    def start(self, total: int) -> None:
        self.total = total
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
    suspect = f", {counts['suspect']} suspect" if counts["suspect"] else ""
    click.echo(f"articles: {counts['new']} new, {counts['updated']} updated{redone}, {counts['unchanged']} "
               f"unchanged, {counts['failed']} failed{suspect}")
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
