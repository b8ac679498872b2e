"""The options commands share, made once from the settings table (``project.SETTINGS``) that
also checks ``localize.toml``: a range or a choice is written in one place."""

from __future__ import annotations

import sys

import click

from localize.project import SETTINGS

ARTICLE_FORMATS = ("txt", "md", "html")


def option(key: str, param: str | None = None, **overrides):
    """The click option of setting ``key`` (its flag, type, range, default and help from the table);
    ``param``: the function parameter's name, if not the key."""
    setting = SETTINGS[key]
    kwargs: dict = {"help": setting.help, "metavar": setting.metavar, "show_default": setting.default not in ("", [])}
    if isinstance(setting.default, list):  # a list setting: a repeatable option
        kwargs.update(multiple=True, default=tuple(setting.default))
        if setting.choices:
            kwargs["type"] = click.Choice(setting.choices)
    else:
        kwargs["default"] = setting.default if setting.default != "" else None
        if setting.choices:
            kwargs["type"] = click.Choice(setting.choices)
        elif setting.kind is int:
            kwargs["type"] = click.IntRange(_whole(setting.low), _whole(setting.high))
        elif setting.kind is float:
            kwargs["type"] = click.FloatRange(setting.low, setting.high)
    kwargs.update(overrides)
    return click.option(setting.flag, param or key, **kwargs)


def _whole(bound: float | None) -> int | None:
    """A range's bound for an ``int`` setting (the table keeps every bound as a number)."""
    return None if bound is None else int(bound)


def apply(command, options):
    for decorator in reversed(options):
        command = decorator(command)
    return command


# What makes machine drafts: translate, batch and models eval take them (see pipeline.EngineSettings).
ENGINE = (
    option("engine"), option("url"),
    option("api_key", envvar="LOCALIZE_API_KEY", show_envvar=True),
    option("concurrency"), option("timeout"),
)
MODEL = (option("beam"), option("device"), option("threads"), option("max_length"))
GLOSSARY = option("glossaries", "glossary_files")


def engine_options(command):
    return apply(command, ENGINE)


def model_options(command):
    return apply(command, MODEL)


def glossary_option(command):
    return GLOSSARY(command)


def translation_options(command):
    """The options translate and batch share: output folder, memory, machine translation."""
    return apply(command, [
        option("translations", "out"),
        click.option("--no-mt", is_flag=True, help="Write the PO files without machine drafts."),
        *ENGINE, *MODEL,
        click.option("--trust-exact-memory", is_flag=True,
                     help="Count exact translation-memory matches as reviewed (not fuzzy)."),
        GLOSSARY,
    ])


def article_options(command):
    command = click.option("--encoding", metavar="NAME",
                           help="Encoding of the article if it is not UTF-8 (e.g. cp1256).")(command)
    return click.option("--format", "fmt", type=click.Choice(ARTICLE_FORMATS),
                        help="Article format (default: from the file name).")(command)


def say(line: str) -> None:
    """A line for the person at the terminal (progress notes, warnings): stderr."""
    click.echo(line, err=True)


def warn(line: str) -> None:
    say(f"warning: {line}")


def progress_reporter(label: str):
    """A ``progress(done, total)`` callback drawing a bar on a terminal, or None when piped.

    Returns (callback, close).
    """
    if not sys.stderr.isatty():
        return None, lambda: None
    state: dict = {"bar": None, "done": 0}

    def progress(done, total):
        if state["bar"] is None:
            bar = state["bar"] = click.progressbar(length=total or None, label=label, file=sys.stderr)
            bar.__enter__()
        state["bar"].update(done - state["done"])
        state["done"] = done

    def close():
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return progress, close
