"""``localize tm``: the translation memory, and TMX exchange with CAT tools."""

from __future__ import annotations

import glob
from pathlib import Path

import click

from localize.errors import LocalizeError


@click.group()
def tm():
    """Export and import the translation memory as TMX.

    The memory is every reviewed entry of the PO files under translations/,
    plus the TMX files imported into translations/tm/.

    \b
    Example:
      localize tm export desk.tmx
      localize tm import omegat-project.tmx
    """


@tm.command("export")
@click.argument("tmx")
@click.option("--from", "folder", default="translations", show_default=True, metavar="DIR",
              help="Translations folder to export the reviewed entries of.")
@click.option("--force", is_flag=True, help="Replace the TMX file if it exists.")
def tm_export(tmx, folder, force):
    """Write the reviewed translations as a TMX 1.4b file (English -> Arabic).

    \b
    Example:
      localize tm export desk.tmx
    """
    from localize.catalog import read_po
    from localize.memory.tm import units_from_catalog, write_tmx

    target = Path(tmx)
    if target.exists() and not force:
        raise LocalizeError(tmx, "already exists", "pass --force to replace it")
    units = [unit for path in sorted(Path(folder).rglob("*.po"))
             for unit in units_from_catalog(read_po(path), path.as_posix())]
    _write_bytes(target, write_tmx(units))
    click.echo(f"{tmx}: {len(units)} translation units")


@tm.command("import")
@click.argument("tmx")
@click.option("--into", "folder", default="translations", show_default=True, metavar="DIR",
              help="Translations folder whose memory takes the file (DIR/tm/).")
@click.option("--force", is_flag=True, help="Replace an earlier import of the same name.")
def tm_import(tmx, folder, force):
    """Add a TMX file's English -> Arabic units to the translation memory.

    \b
    Example:
      localize tm import omegat-project.tmx
    """
    from localize.files import read_input, write_all
    from localize.memory.tm import read_tmx, write_tmx

    units = read_tmx(read_input(tmx, "TMX file"), tmx)
    if not units:
        raise LocalizeError(tmx, "no English->Arabic translation units", "check the file's xml:lang codes")
    target = Path(folder) / "tm" / f"{Path(tmx).stem}.tmx"
    earlier = sorted(target.parent.glob(f"{glob.escape(target.stem)}.part*.tmx"))
    if (target.exists() or earlier) and not force:
        raise LocalizeError(str(target), "already imported", "pass --force to replace it")
    parts = _parts(target, units, write_tmx)
    write_all({path: data.decode("utf-8") for path, (data, _) in parts.items()})
    for stale in earlier:  # an earlier import of the same name had more parts
        if stale not in parts:
            stale.unlink()
    for path, (_, number) in parts.items():
        click.echo(f"{path}: {number} English->Arabic units")


def _parts(target: Path, units: list, write_tmx) -> dict:
    """{file: (TMX bytes, units)}: one file, or as many parts (``NAME.part2.tmx`` ...) as keep
    each under the size the memory reads (``MAX_INPUT_BYTES``): a file over it would be ignored."""
    from localize.files import MAX_INPUT_BYTES

    pieces, size = [units], None
    while True:
        written = [write_tmx(piece) for piece in pieces]
        size = max(map(len, written))
        if size <= MAX_INPUT_BYTES or len(pieces) >= len(units):
            break
        count = max(len(pieces) + 1, -(-sum(map(len, written)) * 10 // (MAX_INPUT_BYTES * 9)))
        step = -(-len(units) // count)
        pieces = [units[start:start + step] for start in range(0, len(units), step)]
    if size > MAX_INPUT_BYTES:
        raise LocalizeError(str(target), "a translation unit is over the size the memory reads",
                            "remove the largest units from the TMX; nothing was written")
    names = [target] + [target.with_name(f"{target.stem}.part{number}.tmx") for number in range(2, len(pieces) + 1)]
    return {name: (data, len(piece)) for name, data, piece in zip(names, written, pieces, strict=True)}


def _write_bytes(target: Path, data: bytes) -> None:
    from localize.files import write_atomic

    write_atomic(target, data.decode("utf-8"))
