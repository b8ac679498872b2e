"""``localize models``: list, install and remove Argos Translate packages."""

from __future__ import annotations

import json
from pathlib import Path

import click

from localize.cli.options import engine_options, glossary_option, model_options, progress_reporter, warn
from localize.errors import LocalizeError


@click.group()
def models():
    """List, install and remove translation models (Argos Translate packages).

    Models live where Argos Translate keeps them (ARGOS_PACKAGES_DIR if set),
    so a package installed with argospm is used too.

    \b
    Example:
      localize models install
      localize models install translate-en_ar-1_0.argosmodel
      localize models list
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the models as a JSON list.")
def models_list(as_json):
    """Show installed translation packages (from, to, version, path).

    \b
    Example:
      localize models list
    """
    from localize import models as store

    found = store.installed()
    active = _active(store)
    if as_json:
        click.echo(json.dumps([{"name": m.name, "code": m.code, "from": m.from_code, "to": m.to_code,
                                "version": m.version, "path": str(m.path), "active": m == active}
                               for m in found], indent=2))
        return
    if not found:
        click.echo(f"no models installed in {store.packages_dir()} (run: localize models install)")
        return
    for model in found:
        mark = "  (used for en->ar)" if model == active else ""
        click.echo(f"{model.name}  {model.from_code}->{model.to_code}  {model.version}  {model.path}{mark}")


def _active(store):
    try:
        return store.find()
    except LocalizeError:
        return None


@models.command("install")
@click.argument("package", required=False, metavar="[FILE.argosmodel]")
@click.option("--file", "package_file", metavar="PATH",
              help="Install this .argosmodel file instead of downloading (the same as giving FILE).")
@click.option("--if-missing", is_flag=True, help="Do nothing if an English->Arabic model is installed.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=15, show_default=True,
              metavar="SECONDS", help="Network timeout for the index and the download.")
def models_install(package, package_file, if_missing, timeout):
    """Install the English->Arabic model (translate-en_ar).

    Downloads it from Argos Translate's package index (ARGOS_PACKAGE_INDEX if
    set), or installs a package file. The package is checked before it
    replaces anything: a failed install leaves the installed models as they were.

    \b
    Example:
      localize models install
      localize models install ~/Downloads/translate-en_ar-1_0.argosmodel
    """
    from localize import models as store

    if package and package_file and package != package_file:
        raise LocalizeError(package, "two package files given (FILE and --file)", "give one")
    package_file = package or package_file
    if if_missing and (current := _active(store)) is not None:
        click.echo(f"{current.label} is installed ({current.path})")
        return
    if package_file:
        if not Path(package_file).is_file():
            what = "is a directory" if Path(package_file).is_dir() else "no such file"
            raise LocalizeError(package_file, what, "give the path of a .argosmodel package file")
        model = store.install_file(Path(package_file))
    else:
        progress, close = progress_reporter("Downloading translate-en_ar")
        try:
            model = store.install_from_index(timeout, progress)
        finally:
            close()
    click.echo(f"installed {model.label} ({model.from_code}->{model.to_code}) in {model.path}")


@models.command("eval")
@click.argument("references", nargs=-1, required=True)
@engine_options
@model_options
@glossary_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def models_eval(references, glossary_files, as_json, **options):
    """Score machine drafts against the desk's own reference translations.

    REFERENCES are reviewed PO files or folders of them (their reviewed
    entries), or TSV files of English<TAB>Arabic lines. Every English is
    translated as `localize translate` would (glossary names bound, retries),
    and the drafts are scored: chrF and BLEU (sacreBLEU, on the whole set),
    the share of glossary name occurrences whose draft holds the approved form,
    the share of drafts left in English, and segments per second.

    \b
    Example:
      localize models eval translations/ar
      localize models eval refs.tsv --beam 2 --json
      localize models eval translations/ar --engine libretranslate --url http://mt:5000
    """
    from localize import pipeline
    from localize.evaluate import evaluate, read_references

    pairs = read_references(references)
    terms = pipeline.term_index(glossary_files, required=False)
    engine = pipeline.EngineSettings.take(options)
    drafter = pipeline.drafter(engine, warn)
    remote = engine.engine == "libretranslate"
    settings = {"concurrency": engine.concurrency} if remote else {"beam": engine.beam, "max_length": engine.max_length}
    scores = {"model": drafter.label, "engine": engine.engine, **settings, **evaluate(pairs, drafter.open(), terms)}
    if as_json:
        click.echo(json.dumps(scores, ensure_ascii=False, indent=2))
        return
    names = (f"{scores['names_held']}/{scores['names']} ({scores['name_accuracy']:.0%})" if scores["names"]
             else "none in the references")
    how = f"concurrency {engine.concurrency}" if remote else f"beam {engine.beam}"
    click.echo(f"{drafter.label}, {how}, {scores['segments']} references:\n"
               f"  chrF {scores['chrf']:.1f}, BLEU {scores['bleu']:.1f}\n"
               f"  glossary names with the approved form: {names}\n"
               f"  drafts left in English: {scores['english_drafts']} ({scores['english_share']:.0%})\n"
               f"  {scores['segments_per_second']:.1f} segments/s ({scores['seconds']:.1f} s)")


@models.command("remove")
@click.argument("name", required=False)
def models_remove(name):
    """Remove a model: NAME (folder or code), or else the English->Arabic one.

    \b
    Example:
      localize models remove
      localize models remove translate-en_ar-1_0
    """
    from localize import models as store

    if name:
        matches = [m for m in store.installed() if name in (m.name, m.code)]
        if not matches:
            raise LocalizeError(name, "no such model installed", "see: localize models list")
    else:
        matches = [store.find()]
    for model in matches:
        store.remove(model)
        click.echo(f"removed {model.label} ({model.path})")
