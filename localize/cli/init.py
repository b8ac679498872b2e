"""``localize init``: make a folder a localize project."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", default=".")
def init(folder):
    """Make FOLDER (default: the current one) a localize project.

    Writes localize.toml (the desk's defaults, every setting commented),
    creates translations/ar/ and glossaries/ with a starter news glossary
    (glossaries/news.csv: countries, capitals, major organisations and house
    spellings, to edit and extend; kept if the folder has a glossary).
    Commands run anywhere below FOLDER find it; PO files record article paths
    relative to it.

    \b
    Example:
      localize init
      localize init desk/
    """
    from localize.project import init as make_project

    for path in make_project(Path(folder)):
        click.echo(f"created {path}")
