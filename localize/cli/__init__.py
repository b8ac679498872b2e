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
from collections import Counter
from pathlib import Path

import click

from localize import __version__, pipeline
from localize.cli.batch import batch
from localize.cli.models import ENGINE_OPTIONS, models
from localize.cli.serve import serve
from localize.cli.publish import publish
from localize.cli.tm import tm
from localize.errors import LocalizeError
from localize.wording import count

FORMATS = ("txt", "md", "html")


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LocalizeError as error:
            from localize.files import printable

            click.echo(f"Error: {printable(error.message)}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `localize segment x | head`
            sys.stderr.close()
            ctx.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except RecursionError:  # input nested thousands deep that a library walks recursively
            click.echo("Error: the input is nested too deeply to read (check the file; nothing was written)", err=True)
            ctx.exit(2)
        except Exception as error:  # a bug: one line (the traceback with LOCALIZE_DEBUG=1), never a crash dump
            if os.environ.get("LOCALIZE_DEBUG"):
                raise
            from localize.files import printable

            what = printable(f"{type(error).__name__}: {error}")[:300]
            click.echo(f"Error: internal error ({what}); nothing more was written: please report this as a bug "
                       "(LOCALIZE_DEBUG=1 shows the traceback)", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="localize")
@click.pass_context
def cli(ctx):
    """Take English news articles to reviewed Arabic editions.

    Every command finds the project's root by walking up from the current
    folder to a localize.toml (see `localize init`), and takes its defaults
    from it; without one, the current folder is the root.

    \b
    Example:
      localize translate --no-mt ../shared/articles/iran-imis.txt
    """
    from localize import project

    ctx.default_map = project.load().default_map()


cli.add_command(models)
cli.add_command(serve)
cli.add_command(tm)


def _article_options(command):
    command = click.option("--encoding", metavar="NAME",
                           help="Encoding of the article if it is not UTF-8 (e.g. cp1256).")(command)
    return click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="Article format (default: from the file name).")(command)


def _glossary_option(command):
    return click.option("--glossary", "glossary_files", multiple=True, metavar="FILE",
                        help="Glossary CSV (repeatable; default: glossaries/*.csv).")(command)


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

    loaded = pipeline.load_article(article, fmt, encoding)
    _warn_suspect(article, loaded.suspect)
    result = outline(loaded)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result["metadata"].items():
        click.echo(f"{key}: {value}")
    for number, block in enumerate(result["blocks"], 1):
        click.echo(f"{number} {block['kind']} (line {block['line']})")
        for sentence, text in enumerate(block["segments"], 1):
            click.echo(f"  {number}.{sentence}  {text}")


def _warn_suspect(source: str, why: str) -> None:
    if why:
        from localize.files import printable

        click.echo(f"Warning: {printable(source)}: {why}: an index page, or its story was not found; "
                   "check the blocks with `localize segment` before review", err=True)


def translation_options(command):
    """The options translate and batch share: output folder, memory, machine translation."""
    options = [
        click.option("--out", default="translations", show_default=True, metavar="DIR",
                     help="Folder for the PO files (written to DIR/ar/<slug>.po)."),
        click.option("--no-mt", is_flag=True, help="Write the PO files without machine drafts."),
        *ENGINE_OPTIONS,
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


cli.add_command(translation_options(batch))
cli.add_command(_glossary_option(publish))


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@translation_options
@_article_options
def translate(articles, out, no_mt, engine, url, api_key, concurrency, timeout, beam, device, threads, max_length,
              trust_exact_memory, glossary_files, fmt, encoding):
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
      LOCALIZE_API_KEY=... localize translate --engine libretranslate --url http://mt:5000 a.md
    """
    from localize.memory import load_memory
    from localize.files import lock_folder, write_all

    drafter = None if no_mt else pipeline.drafter(engine, url, api_key, concurrency, timeout, beam, device, threads,
                                                  max_length)  # no model, no server: say so before any work
    index = pipeline.term_index(glossary_files, required=False)
    with lock_folder(out, lambda: click.echo(f"waiting for another localize run writing {out} ...", err=True)):
        read, suspects = {}, {}
        jobs = [pipeline.prepare(path, out, fmt, encoding, index, read, suspects=suspects) for path in articles]
        for target, po in jobs:
            _warn_suspect(po.metadata["X-Source-File"], suspects.get(target, ""))
        pipeline.check_unique_targets(jobs)
        memory = load_memory(out)
        drafted, remembered = pipeline.draft(jobs, index, memory, drafter, trust_exact_memory)
        write_all({target: pipeline.render_po(target, po, po.metadata["X-Source-File"]) for target, po in jobs},
                  expect=pipeline.expected(read))  # every PO, or none; none over a PO saved meanwhile
        for target, po in jobs:
            _report(target, po, drafted, remembered)


def _report(target, po, drafted, remembered) -> None:
    from localize.catalog import read_po, summary

    counts = summary(po)
    done, total = counts["reviewed"] + counts["drafts"], counts["segments"]
    news = [count(drafted[target], "new machine draft") if drafted.get(target) else "",
            f"{remembered[target]} from memory" if remembered.get(target) else ""]
    new = f" ({', '.join(filter(None, news))})" if any(news) else ""
    click.echo(f"{target}: {count(total, 'segment')}, {done} translated{new}")


def _issue_type(ctx, param, values):
    from localize.checks.qa import ISSUE_TYPES

    for value in values:
        if value not in ISSUE_TYPES:
            raise click.BadParameter(f"{value!r} is not an issue type; use one of {', '.join(sorted(ISSUE_TYPES))}")
    return values


@cli.command()
@click.argument("files", nargs=-1)
@_glossary_option
@click.option("--type", "types", multiple=True, metavar="TYPE", callback=_issue_type,
              help="Only issues of this type (repeatable), e.g. missing-term.")
@click.option("--reviewed-only", is_flag=True, help="Only reviewed entries (not drafts).")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as a JSON list.")
def check(files, glossary_files, types, reviewed_only, as_json):
    """Check translated entries (drafts and reviewed) against the glossary.

    Also reports placeholders, URLs, e-mail addresses and numbers of the
    English that the Arabic lacks. FILES are PO files or folders of them
    (default: translations). Prints the issues and their totals per type.
    Exit code 1 if any issue is found.

    \b
    Example:
      localize check translations/ar/iran-imis.po
      localize check --type missing-term --type forbidden-term --reviewed-only
      localize check --json --glossary glossaries/news.csv translations
    """
    from localize.catalog import read_po, reviewed
    from localize.checks.glossary import format_issue

    index = pipeline.term_index(glossary_files, required=True)
    paths = pipeline.po_files(files or (pipeline.translations_folder(),))
    records, totals = [], Counter()
    for path in paths:  # one PO at a time: memory stays flat however large the archive
        found = [(path, entry, issue) for entry, issue in pipeline.entry_issues(read_po(path), index)
                 if (not types or issue.type in types) and (not reviewed_only or reviewed(entry))]
        totals.update(issue.type for _, _, issue in found)
        if as_json:
            records += [{"file": str(path), "line": entry.linenum, "msgctxt": entry.msgctxt, "msgid": entry.msgid,
                         "type": issue.type, "term": issue.term, "expected": issue.expected, "found": issue.found}
                        for path, entry, issue in found]
        else:
            _print_issues(found, format_issue)
    number = sum(totals.values())
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        by_type = f" ({', '.join(f'{name} {amount}' for name, amount in totals.most_common())})" if totals else ""
        click.echo(f"{number} issue{'s' if number != 1 else ''} in {len(paths)} file"
                   f"{'s' if len(paths) != 1 else ''}{by_type}")
    sys.exit(1 if number else 0)


def _by_type(totals: Counter) -> dict:
    """{issue type: count}, most frequent first (for JSON)."""
    return dict(totals.most_common())


@cli.command()
@click.argument("files", nargs=-1)
@_glossary_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(files, glossary_files, as_json):
    """Show how far review has got, per article and in total.

    For each PO file (default: every one under translations): segments,
    reviewed, drafts, untranslated, issues (glossary and QA), and whether the
    English source changed since the PO was written. A PO that cannot be read
    is listed as broken with its error, the others are still shown, and the
    exit code is 1.

    \b
    Example:
      localize status
      localize status --json translations/ar/iran-imis.po
    """
    from localize.catalog import read_po
    from localize.files import printable

    index = pipeline.term_index(glossary_files, required=False)
    rows, broken = [], []
    for path in pipeline.po_files(files or (pipeline.translations_folder(),)):
        if not path.exists() and not path.is_symlink():
            read_po(path)  # a PO that is not there at all: the usual one-line error, exit 2
        try:
            po = read_po(path)
        except LocalizeError as error:  # one broken PO: say so, and show all the others
            broken.append({"file": str(path), "error": printable(error.message)})
            continue
        rows.append({"file": str(path), **pipeline.status_row(po, index)})
    keys = ("segments", "reviewed", "drafts", "untranslated", "issues")
    total = {key: sum(row[key] for row in rows) for key in keys}
    total["issue_types"] = _by_type(sum((Counter(row["issue_types"]) for row in rows), Counter()))
    total["changed_sources"] = sum(1 for row in rows if row["source_state"] != "unchanged")
    total["broken"] = len(broken)
    if as_json:
        click.echo(json.dumps({"files": rows, "broken": broken, "total": {"files": len(rows) + len(broken), **total}},
                              ensure_ascii=False, indent=2))
        sys.exit(1 if broken else 0)
    for row in rows:
        click.echo(f"{row['file']}: {count(row['segments'], 'segment')}, {row['reviewed']} reviewed, "
                   f"{count(row['drafts'], 'draft')}, {row['untranslated']} untranslated, "
                   f"{count(row['issues'], 'issue')}; source {row['source_state']}")
    for row in broken:
        click.echo(f"{row['file']}: broken: {row['error']}")
    share = f" ({100 * total['reviewed'] // total['segments']}% reviewed)" if total["segments"] else ""
    files = len(rows) + len(broken)
    click.echo(f"total: {count(files, 'file')}, {count(total['segments'], 'segment')}, "
               f"{total['reviewed']} reviewed{share}, {count(total['drafts'], 'draft')}, {total['untranslated']} "
               f"untranslated, {count(total['issues'], 'issue')}, {total['changed_sources']} sources changed or "
               "missing"
               + (f", {len(broken)} broken (fix or restore them; `localize check FILE` shows the same error)"
                  if broken else ""))
    sys.exit(1 if broken else 0)


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


@cli.group()
def glossary():
    """Validate glossaries and import termbases.

    \b
    Example:
      localize glossary check glossaries/news.csv
      localize glossary import termbase.tbx --out glossaries/termbase.csv
      localize glossary export glossaries/news.csv --out news.tbx
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
    from localize.checks.glossary import lint, load_glossary

    paths = pipeline.glossary_paths(files)
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
    from localize.checks.glossary import write_csv
    from localize.checks.termbase import read_tbx

    terms, skipped = read_tbx(read_input(tbx, "TBX file"), tbx)
    if not terms:
        raise LocalizeError(tbx, f"no English-Arabic terms ({skipped} entr{'y' if skipped == 1 else 'ies'} without English or Arabic)",
                            "check the termbase's xml:lang codes: en and ar")
    from localize.project import current

    target = Path(out) if out else Path(current().path("glossaries")) / f"{Path(tbx).stem}.csv"
    if target.exists() and not force:
        raise LocalizeError(str(target), "already exists", "pass --force to replace it, or --out FILE")
    write_atomic(target, write_csv(terms))
    note = f", {skipped} entries without English or Arabic skipped" if skipped else ""
    click.echo(f"{target}: {len(terms)} terms{note}")


@glossary.command("suggest")
@click.argument("paths", nargs=-1)
@_glossary_option
@click.option("--min", "least", type=click.IntRange(1, None), default=2, show_default=True,
              help="Only names found at least this often.")
@click.option("--limit", type=click.IntRange(1, None), default=50, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as a JSON list.")
def glossary_suggest(paths, glossary_files, least, limit, as_json):
    """List names that recur in articles and reviewed POs but the glossary lacks.

    PATHs are articles (.txt, .md, .html), PO files, or folders of them
    (default: translations). Candidates are runs of capitalised words and
    acronyms, not a sentence's first word; each with how often it occurs, in
    which articles, and an example sentence; those in the most articles first.

    \b
    Example:
      localize glossary suggest
      localize glossary suggest incoming/ translations/ --min 3 --json
    """
    from localize.checks.suggest import candidates

    index = pipeline.term_index(glossary_files, required=False)
    found = [c for c in candidates(_sentences(paths or (pipeline.translations_folder(),)), index)
             if c.count >= least][:limit]
    if as_json:
        click.echo(json.dumps([{"term": c.term, "kind": c.kind, "count": c.count, "articles": c.articles,
                                "example": c.example} for c in found], ensure_ascii=False, indent=2))
        return
    for c in found:
        where = c.articles[0] + (f" and {count(len(c.articles) - 1, 'other')}" if len(c.articles) > 1 else "")
        at = max(0, c.example.find(c.term) - 60)  # the example around the name, not its first 160 characters
        example = ("..." if at else "") + c.example[at:at + 160] + ("..." if len(c.example) > at + 160 else "")
        click.echo(f"{c.term} ({c.kind}): {count(c.count, 'time')} in {count(len(c.articles), 'article')} "
                   f"({where})\n  e.g. {example}")
    click.echo(f"{count(len(found), 'candidate')}")


def _sentences(paths):
    """(article, sentence) of every segment of the articles and every entry of the POs."""
    from localize.batch import SUFFIXES, discover
    from localize.catalog import read_po
    from localize.readers import parse_article
    from localize.files import read_input
    from localize.segment import segment_article

    for argument in paths:
        folder = Path(argument)
        pos = sorted(folder.rglob("*.po")) if folder.is_dir() else [folder] if folder.suffix == ".po" else []
        for po_path in pos:
            po = read_po(po_path)
            article = po.metadata.get("X-Source-File") or str(po_path)
            yield from ((article, entry.msgid) for entry in po if not entry.obsolete)
        articles = [path for path, _ in discover([argument]) if path.suffix.lower() in SUFFIXES] \
            if folder.is_dir() or folder.suffix != ".po" else []
        for path in articles:
            article = parse_article(read_input(path, "article"), str(path))
            yield from ((path.as_posix(), segment.source) for segment in segment_article(article))


@glossary.command("export")
@click.argument("glossary_file", metavar="GLOSSARY.csv")
@click.option("--format", "fmt", type=click.Choice(("tbx", "csv")), default="tbx", show_default=True,
              help="tbx: TBX-Basic for Weblate, Translate Toolkit and CAT tools; csv: the glossary, formula-safe.")
@click.option("--out", required=True, metavar="FILE", help="Where to write it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def glossary_export(glossary_file, fmt, out, force):
    """Write a glossary CSV as TBX-Basic (or as CSV again).

    Each Arabic form is one TBX entry, as Weblate keeps them: the approved form
    preferred, variants admitted, forbidden forms "forbidden"; the note is the
    entry's description; do-not-translate terms have translationNote "no".

    \b
    Example:
      localize glossary export glossaries/news.csv --out news.tbx
      localize glossary export glossaries/news.csv --format csv --out shared/news.csv
    """
    from localize.files import read_input, write_atomic
    from localize.checks.glossary import load_glossary, write_csv
    from localize.checks.termbase import write_tbx

    terms = load_glossary(read_input(glossary_file, "glossary"), glossary_file)
    if not terms:
        raise LocalizeError(glossary_file, "no terms", "give a glossary CSV with at least one term")
    if Path(out).exists() and not force:
        raise LocalizeError(out, "already exists", "pass --force to replace it")
    write_atomic(out, write_tbx(terms).decode("utf-8") if fmt == "tbx" else write_csv(terms))
    click.echo(f"{out}: {len(terms)} terms ({fmt})")



@cli.command()
@click.argument("folder", default=".")
def init(folder):
    """Make FOLDER (default: the current one) a localize project.

    Writes localize.toml (the desk's defaults, every setting commented) and
    creates translations/ar/ and glossaries/. Commands run anywhere below
    FOLDER find it; PO files record article paths relative to it.

    \b
    Example:
      localize init
      localize init desk/
    """
    from localize.project import init as make_project

    for path in make_project(Path(folder)):
        click.echo(f"created {path}")


def main():
    cli(prog_name="localize")


if __name__ == "__main__":
    main()
