"""``localize segment`` and ``localize translate``: an article's segments, and its PO with drafts."""

from __future__ import annotations

import json

import click

from localize import pipeline
from localize.cli.options import article_options, progress_reporter, say, translation_options, warn
from localize.wording import count


@click.command()
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print the blocks and segments as JSON.")
@article_options
def segment(article, as_json, fmt, encoding):
    """Show an article's blocks and their sentence segments.

    \b
    Example:
      localize segment articles/story.txt
      localize segment --json story.html
    """
    from localize.segment import outline

    loaded = pipeline.load_article(article, fmt, encoding)
    warn_suspect(article, loaded.suspect)
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


def warn_suspect(source: str, why: str) -> None:
    if why:
        from localize.files import printable

        say(f"Warning: {printable(source)}: {why}: an index page, or its story was not found; "
            "check the blocks with `localize segment` before review")


@click.command()
@click.argument("articles", nargs=-1, required=True)
@translation_options
@article_options
def translate(articles, fmt, encoding, no_mt, trust_exact_memory, out, glossary_files, **options):
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
      localize translate articles/story.txt
      localize translate --beam 2 --device cpu a.md b.html
      localize translate --no-mt --out build/translations a.md
      LOCALIZE_API_KEY=... localize translate --engine libretranslate --url http://mt:5000 a.md
    """
    from localize.files import lock_folder, write_all
    from localize.memory import load_memory

    engine = pipeline.EngineSettings.take(options)
    drafter = None if no_mt else pipeline.drafter(engine, warn)  # no model, no server: said before any work
    index = pipeline.term_index(glossary_files, required=False)
    with lock_folder(out, lambda: say(f"waiting for another localize run writing {out} ...")):
        read: dict = {}  # PO: its digest before it was read (pipeline.prepare)
        suspects: dict = {}  # PO: why its web page's reading looks incomplete
        jobs = [pipeline.prepare(path, out, fmt, encoding, index, read, suspects=suspects) for path in articles]
        for target, po in jobs:
            warn_suspect(po.metadata["X-Source-File"], suspects.get(target, ""))
        pipeline.check_unique_targets(jobs)
        memory = load_memory(out, warn)
        progress, close = progress_reporter("Translating")
        try:
            drafted, remembered = pipeline.draft(jobs, index, memory, drafter, trust_exact_memory, progress, say)
        finally:
            close()
        write_all({target: pipeline.render_po(target, po, po.metadata["X-Source-File"]) for target, po in jobs},
                  expect=pipeline.expected(read))  # every PO, or none; none over a PO saved meanwhile
        for target, po in jobs:
            _report(target, po, drafted, remembered)


def _report(target, po, drafted, remembered) -> None:
    from localize.catalog import summary

    counts = summary(po)
    done, total = counts["reviewed"] + counts["drafts"], counts["segments"]
    news = [count(drafted[target], "new machine draft") if drafted.get(target) else "",
            f"{remembered[target]} from memory" if remembered.get(target) else ""]
    new = f" ({', '.join(filter(None, news))})" if any(news) else ""
    click.echo(f"{target}: {count(total, 'segment')}, {done} translated{new}")
