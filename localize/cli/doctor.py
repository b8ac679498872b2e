"""``localize doctor``: what is installed and what is missing, one line each."""

from __future__ import annotations

import json
import shutil
import sys

import click

from localize import __version__


def _distribution(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _model() -> tuple[bool, str]:
    from localize import models
    from localize.errors import LocalizeError

    try:
        model = models.find()
    except LocalizeError as error:
        return False, f"none installed ({error.hint or error.what}; or translate with --no-mt)"
    return True, f"{model.label} in {model.path}"


def _glossary() -> tuple[bool, str]:
    from localize import pipeline

    paths = pipeline.glossary_paths(())
    if not paths:
        return False, "none in glossaries/ (`localize init` writes a starter one); check runs the QA rules only"
    return True, ", ".join(paths)


def _server(url) -> tuple[bool, str]:
    """The translation server, or each server of a pool: it answers and translates en->ar."""
    from localize.engines.remote import Remote
    from localize.project import server_list
    from localize.errors import LocalizeError

    servers = server_list(url)
    if not servers:
        return True, "not configured (the local model translates; --engine libretranslate --url URL for a server)"
    said, ok = [], True
    for server in servers:
        try:
            Remote(server, timeout=5).check()
            said.append(f"{server} answers and translates en->ar")
        except LocalizeError as error:
            ok = False
            said.append(error.message)
    return ok, "; ".join(said)


def checks(url) -> list[dict]:
    """Each thing localize uses: whether it is there and what it is, or what to do."""
    torch = _distribution("torch")
    provider = next(((name, version) for name in ("argos-translate-lt", "argostranslate")
                     if (version := _distribution(name))), None)
    rows = [
        ("localize", True, f"{__version__} on Python {sys.version.split()[0]}"),
        ("argostranslate", provider is not None,
         f"{provider[0]} {provider[1]}" if provider else "missing: pip install argos-translate-lt"),
        ("PyTorch", True, f"installed ({torch}), not used by localize" if torch else "not installed (not needed)"),
        ("model en->ar", *_model()),
        ("glossary", *_glossary()),
        ("translation server", *_server(url)),
        ("GNU gettext (msgfmt)", shutil.which("msgfmt") is not None,
         shutil.which("msgfmt") or "missing: only the test suite needs it (apt-get install gettext)"),
        ("Chromium (browser tests)", bool(shutil.which("chromium") and shutil.which("chromedriver")),
         shutil.which("chromium") or "missing: only the browser tests need it (apt-get install chromium "
                                     "chromium-driver)"),
    ]
    return [{"what": what, "ok": ok, "detail": detail} for what, ok, detail in rows]


@click.command("doctor")
@click.option("--url", metavar="URL", multiple=True,
              help="Also check this LibreTranslate server (repeatable; default: localize.toml's url).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(url, as_json):
    """Say what is installed and what is missing: the model, the glossary, the translation
    server, and what the test suite needs (gettext, Chromium).

    Exit code 1 if the model or the glossary is missing (translate drafts nothing, check
    checks no term), 0 otherwise.

    \b
    Example:
      localize doctor
      localize doctor --url http://mt.desk.example:5000
    """
    from localize.project import current

    rows = checks(list(url) or current().urls())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            click.echo(f"{'ok ' if row['ok'] else 'no '} {row['what']}: {row['detail']}")
    essential = {"model en->ar", "glossary", "argostranslate"}
    sys.exit(0 if all(row["ok"] for row in rows if row["what"] in essential) else 1)
