"""``localize check`` and ``localize status``: the issues of translated entries, and how far review has got."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click

from localize import pipeline
from localize.cli.options import glossary_option
from localize.errors import LocalizeError
from localize.wording import count


def _issue_type(ctx, param, values):
    from localize.checks import ISSUE_TYPES

    for value in values:
        if value not in ISSUE_TYPES:
            raise click.BadParameter(f"{value!r} is not an issue type; use one of {', '.join(sorted(ISSUE_TYPES))}")
    return values


@click.command()
@click.argument("files", nargs=-1)
@glossary_option
@click.option("--type", "types", multiple=True, metavar="TYPE", callback=_issue_type,
              help="Only issues of this type (repeatable), e.g. missing-term.")
@click.option("--reviewed-only", is_flag=True, help="Only reviewed entries (not drafts).")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as a JSON list.")
def check(files, glossary_files, types, reviewed_only, as_json):
    """Check translated entries (drafts and reviewed) against the glossary.

    Also reports placeholders, URLs, e-mail addresses and numbers of the
    English that the Arabic lacks. FILES are PO files or folders of them
    (default: translations). Prints the issues and their totals per type.
    Exit code 1 if any blocking issue is found (the types localize.toml's
    advisory list names are shown as advisory, and hold nothing back).

    \b
    Example:
      localize check translations/ar/iran-imis.po
      localize check --type missing-term --type forbidden-term --reviewed-only
      localize check --json --glossary glossaries/news.csv translations
    """
    from localize.catalog import read_po
    from localize.review import reviewed
    from localize.checks import ADVISORY, describe, severity
    from localize.pipeline import advisory_types

    advisory = advisory_types()

    def format_issue(issue):
        line = describe(issue)
        return f"{line} (advisory)" if severity(issue.type, advisory) == ADVISORY else line

    index = pipeline.term_index(glossary_files, required=False)
    if not index.by_first:
        click.echo("note: no glossary (glossaries/*.csv or --glossary FILE): terms were not checked, only the QA "
                   "rules", err=True)
    paths = pipeline.po_files(files or (pipeline.translations_folder(),))
    records: list[dict] = []
    totals: Counter[str] = Counter()
    for path in paths:  # one PO at a time: memory stays flat however large the archive
        found = [(path, entry, issue) for entry, issue in pipeline.entry_issues(read_po(path), index)
                 if (not types or issue.type in types) and (not reviewed_only or reviewed(entry))]
        totals.update(issue.type for _, _, issue in found)
        if as_json:
            records += [{"file": str(path), "line": entry.linenum, "msgctxt": entry.msgctxt, "msgid": entry.msgid,
                         "type": issue.type, "term": issue.term, "expected": issue.expected, "found": issue.found,
                         "severity": severity(issue.type, advisory)}
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
    blocking = sum(amount for name, amount in totals.items() if severity(name, advisory) != ADVISORY)
    sys.exit(1 if blocking else 0)


def _by_type(totals: Counter) -> dict:
    """{issue type: count}, most frequent first (for JSON)."""
    return dict(totals.most_common())


@click.command()
@click.argument("files", nargs=-1)
@glossary_option
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
    from localize.statuscache import StatusCache

    paths = pipeline.po_files(files or (pipeline.translations_folder(),))
    for path in paths:
        if not path.exists() and not path.is_symlink():
            read_po(path)  # a PO that is not there at all: the usual one-line error, exit 2, before any row
    cache = StatusCache(pipeline.translations_folder(), glossary_files)  # (rows kept while nothing changed)
    keys = ("segments", "reviewed", "drafts", "untranslated", "issues")
    total: dict = dict.fromkeys(keys, 0)
    types: Counter[str] = Counter()
    changed, shown, broken = 0, 0, []
    listing = _JsonList("files") if as_json else None
    for path, kept in cache.rows(paths):  # a row at a time, shown as it comes: memory stays flat however many
        if isinstance(kept, LocalizeError):  # one broken PO: say so, and show all the others
            broken.append({"file": str(path), "error": printable(kept.message)})
            continue
        row = {"file": str(path), **{key: value for key, value in kept.items() if key != "title"}}
        shown += 1
        for key in keys:
            total[key] += row[key]
        types.update(row["issue_types"])
        changed += row["source_state"] != "unchanged"
        if listing is not None:
            listing.add(row)
        else:
            click.echo(f"{row['file']}: {count(row['segments'], 'segment')}, {row['reviewed']} reviewed, "
                       f"{count(row['drafts'], 'draft')}, {row['untranslated']} untranslated, "
                       f"{count(row['issues'], 'issue')}; source {row['source_state']}")
    cache.save()
    total.update(issue_types=_by_type(types), changed_sources=changed, broken=len(broken))
    if listing is not None:
        listing.end({"broken": broken, "total": {"files": shown + len(broken), **total}})
        sys.exit(1 if broken else 0)
    for row in broken:
        click.echo(f"{row['file']}: broken: {row['error']}")
    share = f" ({100 * total['reviewed'] // total['segments']}% reviewed)" if total["segments"] else ""
    files = shown + len(broken)
    click.echo(f"total: {count(files, 'file')}, {count(total['segments'], 'segment')}, "
               f"{total['reviewed']} reviewed{share}, {count(total['drafts'], 'draft')}, {total['untranslated']} "
               f"untranslated, {count(total['issues'], 'issue')}, {total['changed_sources']} sources changed or "
               "missing"
               + (f", {len(broken)} broken (fix or restore them; `localize check FILE` shows the same error)"
                  if broken else ""))
    sys.exit(1 if broken else 0)


class _JsonList:
    """A JSON object whose first member, a list, is written an item at a time: the text that
    ``json.dumps(..., indent=2)`` gives for the whole object, without holding the list."""

    def __init__(self, name: str):
        self.count = 0
        click.echo(f"{{\n  {json.dumps(name)}: [", nl=False)

    def add(self, item) -> None:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        click.echo(f"{',' if self.count else ''}\n    {text}", nl=False)
        self.count += 1

    def end(self, rest: dict) -> None:
        members = "".join(f",\n  {json.dumps(key)}: "
                          + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                          for key, value in rest.items())
        click.echo(f"{chr(10) + '  ' if self.count else ''}]{members}\n}}")


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
