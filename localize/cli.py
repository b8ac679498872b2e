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


def _article_options(command):
    command = click.option("--encoding", metavar="NAME",
                           help="Encoding of the article if it is not UTF-8 (e.g. cp1256).")(command)
    return click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="Article format (default: from the file name).")(command)


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


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--out", default="translations", show_default=True, metavar="DIR",
              help="Folder for the PO files (written to DIR/ar/<slug>.po).")
@click.option("--no-mt", is_flag=True, help="Write the PO files without machine drafts.")
@_article_options
def translate(articles, out, no_mt, fmt, encoding):
    """Write (or update) one PO file per article for review.

    Entries a reviewer has finished are never changed.

    \b
    Example:
      localize translate --no-mt ../shared/articles/iran-imis.txt
      localize translate --no-mt --out build/translations a.md b.html
    """
    if not no_mt:
        raise LocalizeError("", "machine translation is not available in this version",
                            "run with --no-mt to write PO files for translation by hand")
    jobs = [_prepare(path, out, fmt, encoding) for path in articles]
    _check_unique_targets(jobs)
    from localize.catalog import render
    from localize.files import write_atomic

    for target, po in jobs:
        write_atomic(target, render(po))
        done = sum(1 for entry in po if entry.msgstr and not entry.obsolete)
        total = sum(1 for entry in po if not entry.obsolete)
        click.echo(f"{target}: {total} segments, {done} translated")


def _prepare(path: str, out: str, fmt, encoding):
    """Read an article and its existing PO, and build the new PO (nothing written yet)."""
    from localize.catalog import build_catalog, parse_catalog
    from localize.files import decode_text, read_input
    from localize.segment import segment_article

    article = _load_article(path, fmt, encoding)
    target = Path(out) / "ar" / f"{article.slug}.po"
    previous = None
    if target.exists():
        previous = parse_catalog(decode_text(read_input(target, "PO file"), str(target)), str(target))
    po = build_catalog(article, segment_article(article), _project_path(path), previous)
    return target, po


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


def main():
    cli(prog_name="localize")


if __name__ == "__main__":
    main()
