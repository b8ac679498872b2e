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
@click.option("--encoding", metavar="NAME", help="Encoding of the articles if not UTF-8 (as given to translate).")
@click.option("--json", "as_json", is_flag=True, help="Print what was published (or what holds it back) as JSON.")
def publish(files, formats, out, allow_draft, digits, locale, encoding, as_json, glossary_files):
    """Write the Arabic (and bilingual) editions of reviewed PO files.

    Each PO's article (its X-Source-File, unchanged since the PO was written)
    gives the structure: title, headings, paragraphs, quotes, lists, and the
    inline markup put back where the translator left its placeholders. FILES
    are PO files or folders of them. Publishing refuses (exit code 1, nothing
    written) while a segment is unreviewed or has a glossary or QA issue, and
    lists each one; --allow-draft publishes anyway with a draft banner on every
    page. Output: DIR/<slug>.ar.html, .bilingual.html, .ar.md, .ar.txt.

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
    if any(gates.values()) and not allow_draft:
        _refuse(gates, as_json)
    pages: dict[Path, tuple[str, str]] = {}
    records = []
    for path, po, article, source in loaded:
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
    _write(out, pages, quiet=as_json)
    if as_json:
        click.echo(json.dumps({"published": records}, ensure_ascii=False, indent=2))


def _refuse(gates: dict, as_json: bool) -> None:
    holds = [(path, hold) for path, found in gates.items() for hold in found]
    if as_json:
        click.echo(json.dumps({"refused": [
            {"file": str(path), "line": hold.entry.linenum, "msgctxt": hold.entry.msgctxt, "msgid": hold.entry.msgid,
             "reason": hold.reason, "issue": hold.issue} for path, hold in holds]}, ensure_ascii=False, indent=2))
        sys.exit(1)
    for path, hold in holds:
        msgid = hold.entry.msgid
        short = msgid if len(msgid) <= 40 else msgid[:40] + "..."
        click.echo(f"{path}:{hold.entry.linenum}: {short}: {hold.reason}")
    issues = sum(1 for _, hold in holds if hold.issue)
    unreviewed = len(holds) - issues
    click.echo(f"not published: {unreviewed} segment{'s' if unreviewed != 1 else ''} not reviewed, {issues} "
               f"issue{'s' if issues != 1 else ''}; review them in a PO editor, or pass --allow-draft for a "
               "draft edition")
    sys.exit(1)


def _write(out: str, pages: dict, quiet: bool) -> None:
    from localize.files import write_all

    if Path(out).exists() and not Path(out).is_dir():
        raise LocalizeError(out, "is a file, not a folder", "pass --out DIR with a folder name")
    write_all({target: text for target, (text, _) in pages.items()})  # every page, or none
    for target, (_, note) in pages.items():
        if not quiet:
            click.echo(f"{target}{note}")
