"""``localize glossary``: check glossaries, import and export termbases, suggest missing terms."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from localize import pipeline
from localize.cli.options import glossary_option
from localize.errors import LocalizeError
from localize.wording import count


@click.group()
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
    """Convert a TBX termbase (ISO 30042 v2 or v3, TBX-Basic) to a glossary CSV.

    Every English synonym of an entry becomes its own term with the entry's
    Arabic forms; English written differently in case is a different term
    (ISIS, Isis). Definitions and contexts go to the note as "definition: ..."
    and "context: ..." parts. A termbase without any administrativeStatus (as
    Weblate exports them) cannot mark forbidden forms: a warning says so.

    \b
    Example:
      localize glossary import termbase.tbx --out glossaries/termbase.csv
    """
    from localize.cli.options import warn
    from localize.files import read_input, write_atomic
    from localize.checks.glossary import write_csv
    from localize.checks.termbase import read_termbase

    found = read_termbase(read_input(tbx, "TBX file"), tbx)
    terms, skipped = found.terms, found.skipped
    if not terms:
        entries = f"{skipped} entr{'y' if skipped == 1 else 'ies'}"
        raise LocalizeError(tbx, f"no English-Arabic terms ({entries} without English or Arabic)",
                            "check the termbase's xml:lang codes: en and ar")
    from localize.project import current

    target = Path(out) if out else Path(current().path("glossaries")) / f"{Path(tbx).stem}.csv"
    if target.exists() and not force:
        raise LocalizeError(str(target), "already exists", "pass --force to replace it, or --out FILE")
    write_atomic(target, write_csv(terms))
    note = f", {skipped} entries without English or Arabic skipped" if skipped else ""
    click.echo(f"{target}: {len(terms)} terms{note}")
    if not found.statuses:
        warn(f"{tbx}: no term has an administrativeStatus (Weblate exports none), so forbidden forms may be "
             f"lost: add them to the forbidden column of {target}")


@glossary.command("suggest")
@click.argument("paths", nargs=-1)
@glossary_option
@click.option("--min", "least", type=click.IntRange(1, None), default=2, show_default=True,
              help="Only candidates found at least this often.")
@click.option("--limit", type=click.IntRange(1, None), default=50, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as a JSON list.")
def glossary_suggest(paths, glossary_files, least, limit, as_json):
    """List names and terms that recur in articles and reviewed POs but the glossary lacks.

    PATHs are articles (.txt, .md, .html), PO files, or folders of them
    (default: translations). Names are runs of capitalised words and acronyms
    (al-Sudani and U.S. whole), without titles ("Iranian President X" is X) or
    datelines; "X and Y" are two; a word that only ever starts a sentence is a
    name if it is never written in lower case and is no English word
    (Hezbollah). Terms are lower-case nouns and noun phrases ("militia", "prime
    minister") that recur across the articles. Each with how often it occurs,
    in which articles, and an example sentence; those in the most articles
    first. A file that cannot be read is reported and skipped.

    \b
    Example:
      localize glossary suggest
      localize glossary suggest incoming/ translations/ --min 3 --json
    """
    from localize.checks.suggest import candidates
    from localize.cli.options import warn

    index = pipeline.term_index(glossary_files, required=False)
    problems: list[LocalizeError] = []
    read: list[str] = []
    found = [c for c in candidates(_sentences(paths or (pipeline.translations_folder(),), problems, read), index)
             if c.count >= least][:limit]
    if problems and not read:
        for problem in problems[:-1]:
            warn(f"skipped {problem.message}")
        raise problems[-1]
    for problem in problems:
        warn(f"skipped {problem.message}")
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


def _sentences(paths, problems: list, read: list):
    """(article, sentence) of every segment of the articles and every entry of the POs; a file
    that cannot be read goes to ``problems`` (a LocalizeError), each one read to ``read``."""
    from localize.batch import SUFFIXES, discover
    from localize.catalog import read_po
    from localize.readers import parse_article
    from localize.files import read_input
    from localize.segment import segment_article

    for argument in paths:
        folder = Path(argument)
        pos = sorted(folder.rglob("*.po")) if folder.is_dir() else [folder] if folder.suffix == ".po" else []
        for po_path in pos:
            try:
                po = read_po(po_path)
            except LocalizeError as error:
                problems.append(error)
                continue
            read.append(str(po_path))
            article = po.metadata.get("X-Source-File") or str(po_path)
            yield from ((article, entry.msgid) for entry in po if not entry.obsolete)
        if not folder.is_dir() and folder.suffix == ".po":
            continue
        unreadable: list = []
        articles = [path for path, _ in discover([argument], unreadable) if path.suffix.lower() in SUFFIXES]
        problems += [LocalizeError(where, f"cannot list the folder: {why}", "check its permissions")
                     for where, why in unreadable]
        for path in articles:
            try:
                segments = segment_article(parse_article(read_input(path, "article"), str(path)))
            except LocalizeError as error:
                problems.append(error)
                continue
            read.append(str(path))
            yield from ((path.as_posix(), segment.source) for segment in segments)


@glossary.command("export")
@click.argument("glossary_file", metavar="GLOSSARY.csv")
@click.option("--format", "fmt", type=click.Choice(("tbx", "csv")), default="tbx", show_default=True,
              help="tbx: TBX-Basic for Weblate, Translate Toolkit and CAT tools; csv: the glossary, formula-safe.")
@click.option("--tbx-version", type=click.Choice(("2", "3")), default="2", show_default=True,
              help="2: martif, one entry per Arabic form (Weblate, Translate Toolkit); 3: tbx, TBX-Basic "
                   "v3 in DCA style, one concept per term (CAT tools).")
@click.option("--out", required=True, metavar="FILE", help="Where to write it.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def glossary_export(glossary_file, fmt, tbx_version, out, force):
    """Write a glossary CSV as TBX-Basic (or as CSV again).

    TBX v2: each Arabic form is one entry, as Weblate and Translate Toolkit
    keep them: the approved form preferredTerm-admn-sts, variants
    admittedTerm-admn-sts, a forbidden form an entry deprecatedTerm-admn-sts;
    do-not-translate terms have descrip "Translation needed" "no". TBX v3: one
    conceptEntry per term. The note is a <note>; its "definition: ..." and
    "context: ..." parts are descrips of those types.

    \b
    Example:
      localize glossary export glossaries/news.csv --out news.tbx
      localize glossary export glossaries/news.csv --tbx-version 3 --out news-v3.tbx
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
    text = write_tbx(terms, int(tbx_version)).decode("utf-8") if fmt == "tbx" else write_csv(terms)
    write_atomic(out, text)
    kind = "tbx v3" if fmt == "tbx" and tbx_version == "3" else fmt
    click.echo(f"{out}: {len(terms)} terms ({kind})")
