"""``localize publish``: reviewed PO files to Arabic and bilingual editions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from localize import pipeline
from localize.errors import LocalizeError
from localize.publish import DIGITS, FORMATS, SUFFIXES


@click.command("publish")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True, default=("html",),
              show_default=True, help="Edition to write (repeatable): html (Arabic page), bilingual "
              "(English and Arabic side by side), md, txt.")
@click.option("--out", default="editions", show_default=True, metavar="DIR", help="Folder for the editions.")
@click.option("--allow-draft", is_flag=True,
              help="Publish even if segments are unreviewed or have issues; every page says it is a draft.")
@click.option("--digits", type=click.Choice(tuple(DIGITS)), default="western", show_default=True,
              help="Digits for the dates and numbers the tool writes (the translations are kept as reviewed).")
@click.option("--locale", default="ar", show_default=True, metavar="LOCALE",
              help="Babel locale for dates, e.g. ar_IQ for Levantine month names.")
@click.option("--encoding", metavar="NAME", help="Encoding of the articles (default: the one translate read them with).")
@click.option("--strict", is_flag=True, help="All or nothing: publish no PO while any of them is not ready.")
@click.option("--verbose", "-v", is_flag=True, help="List every segment that holds a PO back.")
@click.option("--json", "as_json", is_flag=True, help="Print what was published (and what was held back) as JSON.")
def publish(files, formats, out, allow_draft, digits, locale, encoding, strict, verbose, as_json, glossary_files):
    """Write the Arabic (and bilingual) editions of reviewed PO files.

    Each PO's article (its X-Source-File, unchanged since the PO was written)
    gives the structure: title, headings, paragraphs, quotes, lists, and the
    inline markup put back where the translator left its placeholders. FILES
    are PO files or folders of them. Every PO that is ready is published; a PO
    with a segment unreviewed or with a glossary or QA issue is not, and gets
    one line (--verbose lists the segments), and the exit code is 1.
    --strict publishes nothing unless every PO is ready; --allow-draft
    publishes anyway with a draft banner on every page. Output:
    DIR/<po name>.ar.html, .bilingual.html, .ar.md, .ar.txt.

    \b
    Example:
      localize publish translations/ar/iran-imis.po
      localize publish --format html --format bilingual --digits arabic-indic translations/ar
      localize publish --allow-draft --format md --out preview translations/ar/iran-imis.po
    """
    from localize.publish import build_edition, check_locale, draft_counts, render

    locale = check_locale(locale)
    index = pipeline.term_index(glossary_files, required=False)
    paths = list(dict.fromkeys(pipeline.po_files(files)))  # a PO named twice is published once
    if not paths:
        raise LocalizeError(" ".join(files), "no PO files found", "give PO files or a folder with some")
    loaded = [(path, *pipeline.load_translated_article(path, encoding)) for path in paths]
    gates = {path: pipeline.unfinished(po, index) for path, po, _, _ in loaded}
    held = {} if allow_draft else {path: found for path, found in gates.items() if found}
    if held and strict:
        loaded = []  # all or nothing
    pages: dict[Path, tuple[str, str]] = {}
    records = []
    for path, po, article, source in (item for item in loaded if item[0] not in held):
        issues = sum(1 for hold in gates[path] if hold.issue)
        edition = build_edition(article, po, source, locale=locale, digits=digits, issues=issues,
                                allow_draft=allow_draft)
        note = f" (draft: {draft_counts(edition)['en']})" if edition.draft else ""
        records.append({"po": str(path), "article": source, "files": [], "draft": edition.draft,
                        "segments": edition.segments, "unreviewed": edition.unreviewed, "issues": issues})
        for fmt in dict.fromkeys(formats):
            target = Path(out) / f"{Path(path).stem}{SUFFIXES[fmt]}"  # named as its PO, so never shared
            if target in pages:
                raise LocalizeError(str(path), f"{target} would also be written for another PO",
                                    "publish the two articles to different --out folders")
            pages[target] = (render(edition, fmt), note)
            records[-1]["files"].append(target.as_posix())
    if pages:
        _write(out, pages, quiet=as_json)
    if as_json:
        click.echo(json.dumps({"published": records, "refused": _held_records(held)}, ensure_ascii=False, indent=2))
    else:
        _report_held(held, verbose, strict)
    sys.exit(1 if held else 0)


def _held_records(held: dict) -> list[dict]:
    return [{"file": str(path), "line": hold.entry.linenum, "msgctxt": hold.entry.msgctxt, "msgid": hold.entry.msgid,
             "reason": hold.reason, "issue": hold.issue} for path, found in held.items() for hold in found]


def _report_held(held: dict, verbose: bool, strict: bool) -> None:
    """One line per PO held back (with --verbose, first a line per segment that holds it)."""
    for path, found in held.items():
        if verbose:
            for hold in found:
                msgid = hold.entry.msgid
                short = msgid if len(msgid) <= 40 else msgid[:40] + "..."
                click.echo(f"{path}:{hold.entry.linenum}: {short}: {hold.reason}")
        issues = sum(1 for hold in found if hold.issue)
        unreviewed = len(found) - issues
        see = "" if verbose else f"; see them: localize publish --verbose {path}"
        click.echo(f"not published: {path}: {unreviewed} segment{'s' if unreviewed != 1 else ''} not reviewed, "
                   f"{issues} issue{'s' if issues != 1 else ''} (review them in a PO editor, or pass --allow-draft "
                   f"for a draft edition{see})")
    if held and strict:
        click.echo("nothing published (--strict): every PO must be ready")


def _write(out: str, pages: dict, quiet: bool) -> None:
    from localize.files import write_all

    if Path(out).exists() and not Path(out).is_dir():
        raise LocalizeError(out, "is a file, not a folder", "pass --out DIR with a folder name")
    write_all({target: text for target, (text, _) in pages.items()})  # every page, or none
    for target, (_, note) in pages.items():
        if not quiet:
            click.echo(f"{target}{note}")
