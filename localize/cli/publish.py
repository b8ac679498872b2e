"""``localize publish``: reviewed PO files to Arabic and bilingual editions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from localize import pipeline
from localize.errors import LocalizeError
from localize.cli.options import glossary_option, option


@click.command("publish")
@click.argument("files", nargs=-1)
@option("formats")
@option("editions", "out")
@click.option("--allow-draft", is_flag=True,
              help="Publish even if segments are unreviewed or have issues; every page says it is a draft.")
@option("digits")
@option("locale")
@click.option("--encoding", metavar="NAME",
              help="Encoding of the articles (default: the one translate read them with).")
@click.option("--strict", is_flag=True, help="All or nothing: publish no PO while any of them is not ready.")
@click.option("--verbose", "-v", is_flag=True, help="List every segment that holds a PO back.")
@click.option("--json", "as_json", is_flag=True, help="Print what was published (and what was held back) as JSON.")
@glossary_option
def publish(files, formats, out, allow_draft, digits, locale, encoding, strict, verbose, as_json, glossary_files):
    """Write the Arabic (and bilingual) editions of reviewed PO files.

    Each PO's article (its X-Source-File, unchanged since the PO was written)
    gives the structure: title, headings, paragraphs, quotes, lists, and the
    inline markup put back where the translator left its placeholders. FILES
    are PO files or folders of them (default: the project's translations, as
    status and check). Every PO that is ready is published; a PO
    with a segment unreviewed or with a glossary or QA issue is not, and gets
    one line (--verbose lists the segments), and the exit code is 1.
    --strict publishes nothing unless every PO is ready; --allow-draft
    publishes anyway with a draft banner on every page. Output:
    DIR/<po name>.ar.html, .bilingual.html, .ar.md, .ar.txt.

    \b
    Example:
      localize publish
      localize publish translations/ar/iran-imis.po
      localize publish --format html --format bilingual --digits arabic-indic translations/ar
      localize publish --allow-draft --format md --out preview translations/ar/iran-imis.po
    """
    from localize.files import FolderStaging
    from localize.publish import check_locale
    from localize.publish.po import Options, Run, Spool

    locale = check_locale(locale)
    index = pipeline.term_index(glossary_files, required=False)
    files = files or (pipeline.translations_folder(),)
    paths = list(dict.fromkeys(map(str, pipeline.po_files(files))))  # a PO named twice is published once
    if not paths:
        raise LocalizeError(" ".join(files), "no PO files found", "give PO files or a folder with some")
    if Path(out).exists() and not Path(out).is_dir():
        raise LocalizeError(out, "is a file, not a folder", "pass --out DIR with a folder name")
    options = Options(out, tuple(formats), allow_draft, locale, digits, encoding, details=verbose or as_json)
    held: dict = {}
    # one PO at a time: every page is staged on disk as it is rendered, and what was published is
    # listed in files (the run's pages, --json's records), so memory stays flat over any archive
    with FolderStaging(out) as staging, Run(index, staging, options) as run, Spool() as records:
        for path in paths:  # --strict is all or nothing: once one is held, the rest are only checked
            record, hold = run.publish(path, check_only=bool(held) and strict)
            if hold is not None:
                held[path] = hold
            if record is not None and as_json:
                records.add(record)
        published = not (held and strict)
        if published:
            staging.commit()  # every page, or none
        if as_json:
            _echo_json(records if published else None, _held_records(held))
        else:
            for target, note in run.pages() if published else ():
                click.echo(f"{target}{note}")
            _report_held(held, verbose, strict)
    sys.exit(1 if held else 0)


def _echo_json(records, refused: list[dict]) -> None:
    """``{"published": [...], "refused": [...]}`` as ``json.dumps(..., indent=2)`` writes it, one
    published record at a time."""
    def item(value) -> str:  # a record as an item of a list two levels deep
        return "    " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")

    click.echo('{\n  "published": [', nl=False)
    first = True
    for record in records or ():
        click.echo(("\n" if first else ",\n") + item(record), nl=False)
        first = False
    click.echo("]" if first else "\n  ]", nl=False)
    rest = json.dumps({"refused": refused}, ensure_ascii=False, indent=2)
    click.echo(",\n" + rest[rest.index('  "refused"'):])


def _held_records(held: dict) -> list[dict]:
    return [{"file": str(path), "line": hold.line, "msgctxt": hold.msgctxt, "msgid": hold.msgid,
             "reason": hold.reason, "issue": hold.issue} for path, found in held.items() for hold in found.holds]


_SHOWN = 40  # characters of a held segment's English shown on its line


def _report_held(held: dict, verbose: bool, strict: bool) -> None:
    """One line per PO held back (with --verbose, first a line per segment that holds it)."""
    for path, (unreviewed, issues, holds) in held.items():
        for hold in holds:  # with --verbose
            short = hold.msgid if len(hold.msgid) <= _SHOWN else hold.msgid[:_SHOWN] + "..."
            click.echo(f"{path}:{hold.line}: {short}: {hold.reason}")
        see = "" if verbose else f"; see them: localize publish --verbose {path}"
        click.echo(f"not published: {path}: {unreviewed} segment{'s' if unreviewed != 1 else ''} not reviewed, "
                   f"{issues} issue{'s' if issues != 1 else ''} (review them in a PO editor, or pass --allow-draft "
                   f"for a draft edition{see})")
    if held and strict:
        click.echo("nothing published (--strict): every PO must be ready")
