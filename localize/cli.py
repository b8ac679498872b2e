"""The ``localize`` command line: parse options, call the library, print.

Library errors (``LocalizeError``) become one line on stderr,
``Error: <where>: <what> (<what to do>)``, and exit code 2.  Heavy modules are
imported inside the commands that need them, so ``--help`` and ``--version``
start fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from localize import __version__
from localize.cli_models import models
from localize.cli_tm import tm
from localize.errors import LocalizeError

FORMATS = ("txt", "md", "html")


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LocalizeError as error:
            click.echo(f"Error: {error.message}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `localize segment x | head`
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="localize")
def cli():
    """Take English news articles to reviewed Arabic editions.

    \b
    Example:
      localize translate --no-mt ../shared/articles/iran-imis.txt
    """


cli.add_command(models)
cli.add_command(tm)


def _article_options(command):
    command = click.option("--encoding", metavar="NAME",
                           help="Encoding of the article if it is not UTF-8 (e.g. cp1256).")(command)
    return click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="Article format (default: from the file name).")(command)


def _glossary_option(command):
    return click.option("--glossary", "glossary_files", multiple=True, metavar="FILE",
                        help="Glossary CSV (repeatable; default: glossaries/*.csv).")(command)


def _load_article(path: str, fmt: str | None, encoding: str | None):
    from localize.article import parse_article
    from localize.files import read_input

    return parse_article(read_input(path, "article"), path, fmt, encoding)


@cli.command()
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print the blocks and segments as JSON.")
@_article_options
def segment(article, as_json, fmt, encoding):
    """Show an article's blocks and their sentence segments.

    \b
    Example:
      localize segment ../shared/articles/iran-imis.txt
      localize segment --json story.html
    """
    from localize.segment import outline

    result = outline(_load_article(article, fmt, encoding))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result["metadata"].items():
        click.echo(f"{key}: {value}")
    for number, block in enumerate(result["blocks"], 1):
        click.echo(f"{number} {block['kind']} (line {block['line']})")
        for sentence, text in enumerate(block["segments"], 1):
            click.echo(f"  {number}.{sentence}  {text}")


def translation_options(command):
    """The options translate and batch share: output folder, memory, machine translation."""
    options = [
        click.option("--out", default="translations", show_default=True, metavar="DIR",
                     help="Folder for the PO files (written to DIR/ar/<slug>.po)."),
        click.option("--no-mt", is_flag=True, help="Write the PO files without machine drafts."),
        click.option("--beam", type=click.IntRange(1, 32), default=4, show_default=True,
                     help="Beam size for machine translation (1: greedy, fastest)."),
        click.option("--device", type=click.Choice(("auto", "cpu", "cuda")), default="auto",
                     show_default=True, help="Where the model runs (auto: cuda if there is a GPU)."),
        click.option("--threads", type=click.IntRange(0, 1024), default=0, show_default=True,
                     help="CPU threads for the model (0: one per core)."),
        click.option("--max-length", type=click.IntRange(8, 1024), default=256, show_default=True,
                     help="Most tokens in one machine draft."),
        click.option("--trust-exact-memory", is_flag=True,
                     help="Count exact translation-memory matches as reviewed (not fuzzy)."),
        _glossary_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@translation_options
@_article_options
def translate(articles, out, no_mt, beam, device, threads, max_length, trust_exact_memory, glossary_files,
              fmt, encoding):
    """Write (or update) one PO file per article, with machine drafts for review.

    Every entry without a translation gets a draft: the reviewed translation of
    the same English from the translation memory (every reviewed entry under
    DIR, and DIR/tm/*.tmx), else an Arabic machine draft; drafts are fuzzy, with
    a #. comment saying where they came from, and close memory matches (75%+)
    are listed for the reviewer. Entries that already have a
    translation (a reviewer's, or an earlier draft) are never changed. All
    segments of all articles go to the model in one batch.

    \b
    Example:
      localize translate ../shared/articles/iran-imis.txt
      localize translate --beam 2 --device cpu a.md b.html
      localize translate --no-mt --out build/translations a.md
    """
    from localize import models

    from localize.catalog import render
    from localize.cli_tm import load_memory
    from localize.files import lock_folder, write_atomic

    model = None if no_mt else models.find()  # no model: say so before any work
    index = _term_index(glossary_files, required=False)
    with lock_folder(out, lambda: click.echo(f"waiting for another localize run writing {out} ...", err=True)):
        read = {}
        jobs = [_prepare(path, out, fmt, encoding, index, read) for path in articles]
        _check_unique_targets(jobs)
        memory = load_memory(out)
        options = _engine_options(beam, device, threads, max_length)
        drafted, remembered = _draft(jobs, index, memory, model, options, trust_exact_memory)
        _check_unchanged(read)
        for target, po in jobs:
            write_atomic(target, render(po))
            _report(target, po, drafted, remembered)


def _check_unchanged(read: dict) -> None:
    """Refuse to write over a PO that changed on disk since it was read (a reviewer saved it)."""
    from localize.files import digest

    for target, before in read.items():
        if digest(target) != before:
            raise LocalizeError(str(target), "changed on disk while this run was working (saved in an editor?)",
                                "nothing was written; run the command again")


def _report(target, po, drafted, remembered) -> None:
    from localize.catalog import summary

    counts = summary(po)
    done, total = counts["reviewed"] + counts["drafts"], counts["segments"]
    news = [f"{drafted[target]} new machine drafts" if drafted.get(target) else "",
            f"{remembered[target]} from memory" if remembered.get(target) else ""]
    new = f" ({', '.join(filter(None, news))})" if any(news) else ""
    click.echo(f"{target}: {total} segments, {done} translated{new}")


def _draft(jobs, index, memory, model, options, trust: bool) -> tuple[dict, dict]:
    """Fill the jobs' empty entries (memory first, then one engine call), and add the
    reviewer's notes (issues, close memory matches); machine and memory drafts per target."""
    from localize.catalog import annotate_drafts

    remembered = _memory_drafts(jobs, memory, trust)
    drafted = _machine_drafts(jobs, model, options) if model else {}
    check = _draft_check(index)
    for _, po in jobs:
        annotate_drafts(po, check)
        _memory_notes(po, memory)
    return drafted, remembered


def _memory_drafts(jobs, memory, trust: bool) -> dict:
    """Fill untranslated entries whose English the memory has; counts per target."""
    from localize.catalog import add_draft, untranslated

    counts = {}
    for target, po in jobs:
        for entry in untranslated(po):
            unit = memory.match(entry.msgid)
            if unit is None:
                continue
            if trust:  # the project's choice: an exact reviewed match counts as reviewed
                entry.msgstr = unit.target
            else:
                add_draft(entry, unit.target, f"translation memory, exact match ({unit.origin})")
            counts[target] = counts.get(target, 0) + 1
    return counts


def _memory_notes(po, memory) -> None:
    """``#. memory NN%: English = Arabic`` for entries still to review."""
    from localize.tm import suggestion_note

    if not len(memory):
        return
    for entry in po:
        if not entry.obsolete and (not entry.msgstr or "fuzzy" in entry.flags):
            notes = [suggestion_note(s) for s in memory.suggest(entry.msgid)]
            entry.comment = "\n".join(filter(None, [entry.comment, *notes]))


def _engine_options(beam, device, threads, max_length):
    from localize.mt import Options

    return Options(beam_size=beam, device=device, threads=threads, max_decoding_length=max_length)


def _machine_drafts(jobs, model, options) -> dict:
    """Fill every untranslated entry of every job in one engine call; drafts per target."""
    import time

    from localize.catalog import add_draft, untranslated
    from localize.cli_models import progress_reporter
    from localize.mt import Engine

    todo = [(target, entry) for target, po in jobs for entry in untranslated(po)]
    if not todo:
        return {}
    started = time.perf_counter()
    engine = Engine(model, options)
    progress, close = progress_reporter("Translating")
    try:
        drafts = engine.translate([entry.msgid for _, entry in todo], progress)
    finally:
        close()
    counts, empty = {}, 0
    for (target, entry), draft in zip(todo, drafts):
        if not draft.text:  # the model gave nothing: leave the entry for a translator
            empty += 1
            continue
        cut = f"; translated in {draft.pieces} pieces, too long for the model" if draft.pieces > 1 else ""
        add_draft(entry, draft.text, engine.description + cut)
        counts[target] = counts.get(target, 0) + 1
    unique = len({entry.msgid for _, entry in todo})
    click.echo(f"machine translation: {len(todo)} segments ({unique} distinct) in "
               f"{time.perf_counter() - started:.1f} s with {model.label} on {engine.device}", err=True)
    if empty:
        click.echo(f"warning: the model gave an empty translation for {empty} segments; "
                   "they are left untranslated", err=True)
    return counts


def _prepare(path: str, out: str, fmt, encoding, index, digests: dict):
    """Read an article and its existing PO, and build the new PO (nothing written yet).

    ``digests[target]`` gets the PO's hash as it was before it was read, for
    ``_check_unchanged`` to compare with just before writing.
    """
    from dataclasses import replace

    from localize.catalog import build_catalog
    from localize.files import digest
    from localize.glossary import reviewer_notes
    from localize.segment import segment_article

    article = _load_article(path, fmt, encoding)
    target = Path(out) / "ar" / f"{article.slug}.po"
    digests[target] = digest(target)
    previous = _read_po(target) if digests[target] is not None else None
    segments = [replace(s, notes=tuple(reviewer_notes(s.source, index))) for s in segment_article(article)]
    return target, build_catalog(article, segments, _project_path(path), previous)


def _issue_finder(index):
    """``find(msgid, msgstr)``: the glossary and QA issues of one translated entry."""
    from localize.glossary import verify
    from localize.qa import Context
    from localize.qa import check as qa_check

    context = Context(index.latin_allowed())

    def find(msgid, msgstr):
        return [*verify(msgid, msgstr, index), *qa_check(msgid, msgstr, context)]

    return find


def _draft_check(index):
    """The ``issue:`` lines for a draft's ``#.`` comment."""
    from localize.glossary import format_issue

    find = _issue_finder(index)
    return lambda msgid, msgstr: [f"issue: {format_issue(issue)}" for issue in find(msgid, msgstr)]


def _read_po(path):
    from localize.files import read_po

    return read_po(path)


def _glossary_paths(files) -> list[str]:
    """The glossaries named, or else glossaries/*.csv of the current project."""
    return list(files) or sorted(str(p) for p in Path("glossaries").glob("*.csv"))


def _term_index(files, required: bool):
    """The terms of the given glossaries, or of glossaries/*.csv in the current project."""
    from localize.files import read_input
    from localize.glossary import TermIndex, load_glossary

    paths = _glossary_paths(files)
    if required and not paths:
        raise LocalizeError("glossaries/", "no glossary found",
                            "put CSV glossaries in glossaries/ or pass --glossary FILE")
    terms = [term for path in paths for term in load_glossary(read_input(path, "glossary"), path)]
    return TermIndex(terms)


@cli.command()
@click.argument("files", nargs=-1)
@_glossary_option
@click.option("--json", "as_json", is_flag=True, help="Print the issues as a JSON list.")
def check(files, glossary_files, as_json):
    """Check translated entries (drafts and reviewed) against the glossary.

    Also reports placeholders, URLs, e-mail addresses and numbers of the
    English that the Arabic lacks. FILES are PO files or folders of them
    (default: translations). Exit code 1 if any issue is found.

    \b
    Example:
      localize check translations/ar/iran-imis.po
      localize check --json --glossary glossaries/news.csv translations
    """
    from localize.glossary import format_issue

    index = _term_index(glossary_files, required=True)
    catalogs = [(path, _read_po(path)) for path in _po_files(files or ("translations",))]
    found = [(path, entry, issue) for path, po in catalogs for entry, issue in _entry_issues(po, index)]
    if as_json:
        click.echo(json.dumps([{"file": str(path), "msgctxt": entry.msgctxt, "msgid": entry.msgid,
                                "type": issue.type, "term": issue.term, "expected": issue.expected,
                                "found": issue.found} for path, entry, issue in found],
                              ensure_ascii=False, indent=2))
    else:
        _print_issues(found, format_issue)
        click.echo(f"{len(found)} issue{'s' if len(found) != 1 else ''} in {len(catalogs)} file"
                   f"{'s' if len(catalogs) != 1 else ''}")
    sys.exit(1 if found else 0)


def _entry_issues(po, index):
    """Glossary and QA issues of every translated entry of a PO: [(entry, issue)]."""
    from localize.catalog import translated_entries

    find = _issue_finder(index)
    return [(entry, issue) for entry in translated_entries(po) for issue in find(entry.msgid, entry.msgstr)]


@cli.command()
@click.argument("files", nargs=-1)
@_glossary_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(files, glossary_files, as_json):
    """Show how far review has got, per article and in total.

    For each PO file (default: every one under translations): segments,
    reviewed, drafts, untranslated, issues (glossary and QA), and whether the
    English source changed since the PO was written.

    \b
    Example:
      localize status
      localize status --json translations/ar/iran-imis.po
    """
    from localize.catalog import summary

    index = _term_index(glossary_files, required=False)
    rows = []
    for path in _po_files(files or ("translations",)):
        po = _read_po(path)
        row = {"file": str(path), **summary(po), "issues": len(_entry_issues(po, index)),
               "source": po.metadata.get("X-Source-File", ""), "source_state": _source_state(po)}
        rows.append(row)
    keys = ("segments", "reviewed", "drafts", "untranslated", "issues")
    total = {key: sum(row[key] for row in rows) for key in keys}
    total["changed_sources"] = sum(1 for row in rows if row["source_state"] != "unchanged")
    if as_json:
        click.echo(json.dumps({"files": rows, "total": {"files": len(rows), **total}}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['file']}: {row['segments']} segments, {row['reviewed']} reviewed, {row['drafts']} drafts, "
                   f"{row['untranslated']} untranslated, {row['issues']} issues; source {row['source_state']}")
    share = f" ({100 * total['reviewed'] // total['segments']}% reviewed)" if total["segments"] else ""
    click.echo(f"total: {len(rows)} file{'s' if len(rows) != 1 else ''}, {total['segments']} segments, "
               f"{total['reviewed']} reviewed{share}, {total['drafts']} drafts, {total['untranslated']} "
               f"untranslated, {total['issues']} issues, {total['changed_sources']} sources changed or missing")


def _source_state(po) -> str:
    """unchanged, changed (re-run translate) or missing, from the hash the PO recorded."""
    from localize.files import digest

    source = Path(po.metadata.get("X-Source-File", ""))
    if not source.name or not source.is_file():
        return "missing"
    return "unchanged" if digest(source) == po.metadata.get("X-Source-SHA256") else "changed"


def _print_issues(found, format_issue) -> None:
    current_file = current_entry = None
    for path, entry, issue in found:
        if path != current_file:
            click.echo(str(path))
            current_file = path
        if entry is not current_entry:
            click.echo(f"  {path}:{entry.linenum}: [{entry.msgctxt}] {entry.msgid[:60]}")
            current_entry = entry
        click.echo(f"    {format_issue(issue)}")


def _po_files(arguments) -> list[Path]:
    paths = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths.extend(sorted(path.rglob("*.po")))
        else:
            paths.append(path)
    return paths


@cli.group()
def glossary():
    """Validate glossaries and import termbases.

    \b
    Example:
      localize glossary check glossaries/news.csv
      localize glossary import termbase.tbx --out glossaries/termbase.csv
    """


@glossary.command("check")
@click.argument("files", nargs=-1)
def glossary_check(files):
    """Validate glossary CSV files (default: glossaries/*.csv).

    Reports duplicates, conflicting targets and forbidden forms that are also
    accepted, each with file:line; exit code 1 if any.

    \b
    Example:
      localize glossary check glossaries/news.csv
    """
    from localize.files import read_input
    from localize.glossary import lint, load_glossary

    paths = _glossary_paths(files)
    if not paths:
        raise LocalizeError("glossaries/", "no glossary found", "pass the CSV file to check")
    problems = 0
    for path in paths:
        found = lint(load_glossary(read_input(path, "glossary"), path))
        for line in found:
            click.echo(line)
        problems += len(found)
        if not found:
            click.echo(f"{path}: ok")
    sys.exit(1 if problems else 0)


@glossary.command("import")
@click.argument("tbx")
@click.option("--out", metavar="FILE", help="CSV to write (default: glossaries/<name>.csv).")
@click.option("--force", is_flag=True, help="Replace the CSV if it exists.")
def glossary_import(tbx, out, force):
    """Convert a TBX termbase (ISO 30042, TBX-Basic) to a glossary CSV.

    \b
    Example:
      localize glossary import termbase.tbx --out glossaries/termbase.csv
    """
    from localize.files import read_input, write_atomic
    from localize.glossary import read_tbx, write_csv

    terms, skipped = read_tbx(read_input(tbx, "TBX file"), tbx)
    target = Path(out) if out else Path("glossaries") / f"{Path(tbx).stem}.csv"
    if target.exists() and not force:
        raise LocalizeError(str(target), "already exists", "pass --force to replace it, or --out FILE")
    write_atomic(target, write_csv(terms))
    note = f", {skipped} entries without English or Arabic skipped" if skipped else ""
    click.echo(f"{target}: {len(terms)} terms{note}")


def _project_path(path: str) -> str:
    """The article's path as the PO records it: relative to the project, with '/'."""
    return Path(os.path.relpath(os.path.abspath(path))).as_posix()


def _check_unique_targets(jobs) -> None:
    seen = {}
    for target, po in jobs:
        source = po.metadata["X-Source-File"]
        if target in seen and seen[target] != source:
            raise LocalizeError(str(target), f"both {seen[target]} and {source} would be written here",
                                "rename one of the articles")
        seen[target] = source


from localize.cli_batch import batch  # noqa: E402  (it uses this module's helpers at run time)

cli.add_command(translation_options(batch))


def main():
    cli(prog_name="localize")


if __name__ == "__main__":
    main()
