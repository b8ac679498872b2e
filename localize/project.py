"""The project: its root (found upward from the current folder, like git) and ``localize.toml``.

A desk's project is a folder with a ``localize.toml`` (``localize init`` makes
one).  Every command finds it by walking up from the current folder, so
``localize status`` works from any subfolder; the folders it names are
relative to the root, and PO files record article paths relative to it.
Without a ``localize.toml`` the current folder is the root and nothing else
changes.  Options on the command line override the file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from localize.errors import LocalizeError

CONFIG = "localize.toml"

@dataclass(frozen=True)
class Setting:
    """One setting: what ``localize.toml`` may hold for it and the command-line option that
    overrides it (both made from this one table: ``cli.options`` and ``read_config``)."""

    key: str
    kind: type  # str, int, float, list
    default: object
    what: str  # what it may hold, for a one-line error
    help: str = ""  # the option's help ("" : a localize.toml setting only)
    option: str = ""  # "--max-length"; "": --key with _ as -
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    metavar: str | None = None
    in_file: bool = True  # False: an option only (the API key is never written to the shared file)

    @property
    def flag(self) -> str:
        return self.option or "--" + self.key.replace("_", "-")

    def valid(self, value) -> bool:
        """Whether ``value`` (as TOML gives it) is one this setting may hold."""
        if not isinstance(value, self.kind) or isinstance(value, bool):
            return self.kind is float and isinstance(value, int) and not isinstance(value, bool) and \
                self._in_range(value)
        if isinstance(value, list):  # (the kind is list)
            return all(isinstance(item, str) and (not self.choices or item in self.choices) for item in value) \
                and (not self.choices or bool(value))
        if self.choices and value not in self.choices:
            return False
        return self._in_range(value) if self.kind in (int, float) else True

    def _in_range(self, value) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


_ENGINES = ("argos", "libretranslate")
_TABLE = (
    Setting("translations", str, "translations", "a folder", "Folder for the PO files (written to DIR/ar/<slug>.po).",
            option="--out", metavar="DIR"),
    Setting("editions", str, "editions", "a folder", "Folder for the editions.", option="--out", metavar="DIR"),
    Setting("glossaries", list, [], "a list of CSV files", "Glossary CSV (repeatable; default: glossaries/*.csv).",
            option="--glossary", metavar="FILE"),
    Setting("engine", str, "argos", '"argos" (the installed model) or "libretranslate" (a server)',
            "What makes machine drafts: the Argos model installed here, or a LibreTranslate server.", choices=_ENGINES),
    Setting("url", list, [], 'a LibreTranslate server or a list of them, e.g. "http://mt.desk.example:5000" or '
            '["http://mt1:5000", "http://mt2:5000"]',
            "The LibreTranslate server (e.g. http://mt.desk.example:5000); repeat it for a pool: requests are "
            "spread over the servers, and one that fails is left out.", metavar="URL"),
    Setting("api_key", str, "", "never set here", "The server's API key (better from the environment: never "
            "written anywhere).", metavar="KEY", in_file=False),
    Setting("concurrency", int, 4, "a whole number from 1 to 64",
            "LibreTranslate: requests in flight at once (one per worker of the server's pool).", low=1, high=64),
    Setting("timeout", float, 120, "a number of seconds from 1 to 3600",
            "LibreTranslate: how long to wait for one request's answer.", low=1, high=3600, metavar="SECONDS",
            in_file=False),
    Setting("beam", int, 4, "a whole number from 1 to 32", "Beam size for machine translation (1: greedy, fastest).",
            low=1, high=32),
    Setting("device", str, "auto", '"auto", "cpu" or "cuda"', "Where the model runs (auto: cuda if there is a GPU).",
            choices=("auto", "cpu", "cuda")),
    Setting("threads", int, 0, "a whole number (0: one per CPU allotted)",
            "CPU threads for the model (0: one per CPU allotted: the Slurm job's or container's, else the machine's).",
            low=0, high=1024),
    Setting("max_length", int, 256, "a whole number from 8 to 1024", "Most tokens in one machine draft.",
            low=8, high=1024),
    Setting("chunk", int, 64, "a whole number of articles",
            "Articles per engine batch; each chunk's POs are written before the next starts.", low=1, high=100000),
    Setting("formats", list, ["html"], 'a list of "html", "bilingual", "md", "txt"',
            "Edition to write (repeatable): html (Arabic page), bilingual (English and Arabic side by side), md, txt.",
            option="--format", choices=("html", "bilingual", "md", "txt")),
    Setting("locale", str, "ar", 'a Babel locale such as "ar" or "ar_IQ"',
            "Babel locale for dates, e.g. ar_IQ for Levantine month names.", metavar="LOCALE"),
    Setting("digits", str, "western", '"western" or "arabic-indic"',
            "Digits for the dates and numbers the tool writes (the translations are kept as reviewed).",
            choices=("western", "arabic-indic")),
    Setting("advisory", list, [], "a list of issue types (see `localize check --help`)",
            "", in_file=True),
)
SETTINGS = {setting.key: setting for setting in _TABLE}


TEMPLATE = """\
# localize.toml: this desk's defaults. Every command finds this file by walking up
# from the current folder; options on the command line override it. Folders and
# files are relative to this file's folder.

translations = "translations"   # the PO files: translations/ar/<slug>.po
editions = "editions"           # what `localize publish` writes
glossaries = []                 # e.g. ["glossaries/news.csv"]; empty: glossaries/*.csv

engine = "argos"                # machine translation: "argos" (the model installed here)
                                # or "libretranslate" (the desk's server, at url below)
# url = "http://mt.desk.example:5000"   # the server (a list for a pool); its API key: LOCALIZE_API_KEY, never here
concurrency = 4                 # libretranslate: requests in flight at once
beam = 4                        # argos: beam size (1: greedy, fastest)
device = "auto"                 # argos: auto, cpu or cuda
threads = 0                     # argos: CPU threads for the model (0: one per CPU allotted)
max_length = 256                # argos: most tokens in one machine draft
chunk = 64                      # `localize batch`: articles per engine batch

formats = ["html"]              # `localize publish`: html, bilingual, md, txt
locale = "ar"                   # dates in editions, e.g. "ar_IQ" for Levantine month names
digits = "western"              # or "arabic-indic"

advisory = []                   # issue types shown but never holding a PO back, e.g. ["length-ratio"]
"""


@dataclass
class Project:
    root: Path
    config: dict = field(default_factory=dict)
    found: bool = False  # a localize.toml was found

    def setting(self, key: str):
        return self.config.get(key, SETTINGS[key].default)

    def path(self, relative: str | os.PathLike) -> str:
        """A path given relative to the root, as a path from the current folder."""
        return os.path.relpath(self.root / relative)

    def default_map(self) -> dict:
        """click's defaults per command, from the settings (options still override them)."""
        out, glossaries = self.path(self.setting("translations")), tuple(self.setting_paths("glossaries"))
        mt = {"engine": self.setting("engine"), "url": tuple(self.urls()),
              "concurrency": self.setting("concurrency"), "beam": self.setting("beam"),
              "device": self.setting("device"), "threads": self.setting("threads"),
              "max_length": self.setting("max_length")}
        engine = {"out": out, **mt, "glossary_files": glossaries}
        return {"translate": engine, "batch": {**engine, "chunk": self.setting("chunk")},
                "check": {"glossary_files": glossaries}, "status": {"glossary_files": glossaries},
                "serve": {"glossary_files": glossaries},
                "publish": {"out": self.path(self.setting("editions")), "formats": tuple(self.setting("formats")),
                            "locale": self.setting("locale"), "digits": self.setting("digits"),
                            "glossary_files": glossaries},
                "tm": {"export": {"folder": out}, "import": {"folder": out}},
                "models": {"eval": {**mt, "glossary_files": glossaries}}}

    def urls(self) -> list[str]:
        """The LibreTranslate servers localize.toml names (one, as a string, or a list)."""
        return server_list(self.setting("url"))

    def setting_paths(self, key: str) -> list[str]:
        return [self.path(item) for item in self.setting(key)]


_current: Project | None = None


def current() -> Project:
    """The project of the current folder (found once per process, or set by ``load``)."""
    return _current if _current is not None else load()


def find_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` holding a localize.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def load(start: Path | None = None) -> Project:
    global _current
    root = find_root(start)
    if root is None:
        _current = Project(Path.cwd())
        return _current
    _current = Project(root, read_config(root / CONFIG), True)
    return _current


def read_config(path: Path) -> dict:
    """The settings of a localize.toml, checked: a mistake is one line naming the file and line."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    from localize.files import decode_text, read_input

    where = os.path.relpath(path)
    text = decode_text(read_input(path, "localize.toml"), where, what="localize.toml")
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_of(str(error))
        raise LocalizeError(f"{where}:{line}" if line else where, f"not valid TOML: {str(error).split(' (at')[0]}",
                            "fix the file (see docs/project.md for every setting)") from None
    except RecursionError:  # arrays or tables nested thousands deep: no setting of ours is
        raise LocalizeError(where, "not a localize.toml: nested too deeply",
                            "fix the file (see docs/project.md for every setting)") from None
    for key, value in config.items():
        _check_setting(key, value, where, text)
    return config


def server_list(url) -> list[str]:
    """The servers a ``url`` setting names: one, a list (a repeated --url, localize.toml's list), or
    several between commas; in order, each once.  (Here, not in engines.remote: every command reads
    the setting, and only a run with the libretranslate engine needs the HTTP client.)"""
    items = [url] if isinstance(url, str) or url is None else list(url)
    return list(dict.fromkeys(part.strip() for item in items if item for part in item.split(",") if part.strip()))


def _check_setting(key: str, value, where: str, text: str) -> None:
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith(key)), None)
    place = f"{where}:{line}" if line else where
    if key in ("api_key", "api-key", "key"):
        raise LocalizeError(place, "an API key does not belong in localize.toml (it is shared with everyone "
                            "who has the project)", "remove the line; set LOCALIZE_API_KEY in the environment, "
                            "or pass --api-key")
    if key not in SETTINGS or not SETTINGS[key].in_file:
        known = ", ".join(name for name, setting in SETTINGS.items() if setting.in_file)
        raise LocalizeError(place, f"unknown setting {key!r}", f"the settings are: {known}")
    setting = SETTINGS[key]
    valid = setting.valid([value] if key == "url" and isinstance(value, str) else value)  # (one server: a string)
    if valid and key == "url" and value:
        from localize.engines.remote import check_url

        try:
            for url in server_list(value):
                check_url(url)
        except LocalizeError:
            valid = False
    if valid and key == "advisory":
        from localize.checks import ISSUE_TYPES

        valid = all(item in ISSUE_TYPES for item in value)
    if not valid:
        raise LocalizeError(place, f"{key} = {value!r}: expected {setting.what}", "fix the setting in localize.toml")


def _line_of(message: str) -> int | None:
    import re

    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def init(folder: Path) -> list[Path]:
    """Make ``folder`` a project: localize.toml, translations/ar/, glossaries/ with a starter news
    glossary (countries, capitals, major organisations, house spellings) unless it has one, and a
    translations/.gitignore for the caches (what is there is kept)."""
    from localize.files import write_atomic

    config = folder / CONFIG
    if config.exists():
        raise LocalizeError(str(config), "already exists: this is a localize project", "edit the file instead")
    made = []
    for sub in ("translations/ar", "glossaries"):
        if not (folder / sub).is_dir():
            try:
                (folder / sub).mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise LocalizeError(str(folder / sub), f"cannot create the folder: {error.strerror}",
                                    "check the folder's permissions") from None
            made.append(folder / sub)
    glossary = folder / "glossaries" / "news.csv"
    if not any((folder / "glossaries").glob("*.csv")):  # check works from the first minute
        from importlib.resources import files

        write_atomic(glossary, files("localize").joinpath("data/starter-glossary.csv").read_text(encoding="utf-8"))
        made.append(glossary)
    ignore = folder / "translations" / ".gitignore"
    if not ignore.exists():  # caches (the memory's index, batch's state) and the lock: not for version control
        write_atomic(ignore, "".join(f"{name}\n" for name in (
            ".localize-memory.sqlite", ".localize-memory.lock", ".localize-batch-state.json",
            ".localize-batch-state.lock", ".localize-status.sqlite", ".localize.lock")))
        made.append(ignore)
    write_atomic(config, TEMPLATE)
    return [config, *made]
