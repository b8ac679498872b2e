"""Argos Translate packages: list, install (from the index or a file), remove.

Packages live where argostranslate keeps them (``ARGOS_PACKAGES_DIR``, else its
data folder), one folder per package, so a model installed with ``argospm``
works here and the other way round.  Installing is all-or-nothing: the archive
is checked (a zip with one top-level folder, ``metadata.json``, ``model/``, a
tokenizer, no member escaping the folder), extracted to a hidden folder beside
the packages, loaded once, and only then renamed into place.  A failed install
leaves the packages folder as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from localize.errors import LocalizeError

SOURCE, TARGET = "en", "ar"
NO_MODEL_HINT = "run: localize models install, or localize models install FILE"
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
TIMEOUT = 15.0
MAX_PACKAGE_BYTES = 4 << 30  # the real translate-en_ar is ~100 MB; refuse to fill a disk
MAX_UNPACKED_BYTES = 1 << 30  # what a package may unpack to (translate-en_ar: ~170 MB); a zip bomb is refused
_TOKENIZERS = ("sentencepiece.model", "bpe.model")


@dataclass(frozen=True)
class Model:
    """An installed translation package."""

    name: str  # its folder
    code: str
    from_code: str
    to_code: str
    version: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.code or self.name} {self.version}".strip()


def packages_dir() -> Path:
    """Where argostranslate keeps packages; ``ARGOS_PACKAGES_DIR`` read at call time."""
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    from argostranslate import settings

    return Path(settings.package_data_dir)


def installed() -> list[Model]:
    """Installed packages, by folder name; folders that are not packages are skipped."""
    folder = packages_dir()
    if not folder.is_dir():
        return []
    models = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            models.append(_model_at(path))
        except (OSError, ValueError, AttributeError, TypeError):
            continue  # unreadable metadata: not a package we can use
    return models


def _model_at(path: Path) -> Model:
    from argostranslate.package import Package

    package = Package(path)
    return Model(path.name, package.code or "", package.from_code or "", package.to_code or "",
                 package.package_version or "", path)


def _version_key(version: str):
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def find(from_code: str = SOURCE, to_code: str = TARGET) -> Model:
    """The newest installed package for the pair, or the one-line 'no model' error."""
    matches = [m for m in installed() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not matches:
        raise LocalizeError("", "no English->Arabic model installed", NO_MODEL_HINT)
    return max(matches, key=lambda m: _version_key(m.version))


def remove(model: Model) -> None:
    """Remove an installed package.  A package that is a symbolic link (a model kept elsewhere
    and linked into the packages folder) loses its link only: the files it points to are not
    the packages folder's to delete."""
    try:
        if model.path.is_symlink():
            model.path.unlink()
        else:
            shutil.rmtree(model.path)
    except OSError as error:
        raise LocalizeError(str(getattr(error, "filename", None) or model.path),
                            f"cannot remove the package: {error.strerror or error}",
                            "check the permissions of the packages folder") from None


# --- installing from a file --------------------------------------------------------

def install_file(archive: Path, where: str | None = None) -> Model:
    """Check and install a ``.argosmodel`` file; the packages folder is unchanged on failure."""
    where = where or str(archive)
    folder = packages_dir()
    top = _check_archive(archive, where)
    staging = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".installing-"))
        with zipfile.ZipFile(archive) as package:
            package.extractall(staging)
        _check_package(staging / top, where)
        _swap_into_place(staging / top, folder / top)
        return _model_at(folder / top)
    except OSError as error:  # read-only or full packages folder
        raise _cannot_write(error, folder) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _cannot_write(error: OSError, folder: Path) -> LocalizeError:
    place = getattr(error, "filename", None) or folder
    return LocalizeError(str(place), f"cannot install the package: {error.strerror or error}",
                         "check the permissions and free space of the packages folder "
                         "(ARGOS_PACKAGES_DIR); nothing was installed")


def _check_archive(archive: Path, where: str) -> str:
    """The package's top-level folder name, once the zip's members are known safe."""
    if not zipfile.is_zipfile(archive):
        raise LocalizeError(where, "not an Argos model package: not a zip archive",
                            "download the .argosmodel file again")
    try:
        with zipfile.ZipFile(archive) as package:
            members = package.infolist()
            _check_unpacked_size(members, archive, where)
            broken = package.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise LocalizeError(where, f"corrupt zip archive ({error})", "download the package again") from None
    except RuntimeError as error:  # an encrypted member: zipfile wants a password
        raise LocalizeError(where, f"cannot read the package ({error})",
                            "an Argos package is a plain zip archive; download it again") from None
    except NotImplementedError as error:  # a compression method zipfile does not know
        raise LocalizeError(where, f"cannot read the package ({error})",
                            "an Argos package is a zip archive stored or deflated; download it again") from None
    if broken:
        raise LocalizeError(where, f"corrupt member {broken}", "download the package again")
    tops = set()
    for member in members:
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in name.parts[0] or _is_link(member):
            raise LocalizeError(where, f"unsafe member path {member.filename!r} in the package",
                                "refusing to install it; get the package from a trusted source")
        tops.add(name.parts[0])
    if len(tops) != 1 or not any("/" in m.filename.rstrip("/") for m in members):
        raise LocalizeError(where, "not an Argos model package: expected one top-level folder",
                            "an .argosmodel is a zip of one package folder")
    return tops.pop()


def _check_unpacked_size(members, archive: Path, where: str) -> None:
    """Refuse a package that would unpack to more than ``MAX_UNPACKED_BYTES`` (a zip bomb
    writes gigabytes from a small file), or to more than the disk has free, before unpacking."""
    for member in members:  # bzip2/LZMA decompress a whole read at once, unbounded: only what Argos uses
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LocalizeError(where, f"cannot read the package (member {member.filename!r} uses compression "
                                f"method {member.compress_type}; only stored and deflated are accepted)",
                                "an Argos package is a zip archive stored or deflated; download it again")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise LocalizeError(where, f"the package would unpack to {total >> 20} MiB, over the "
                            f"{MAX_UNPACKED_BYTES >> 20} MiB limit",
                            "refusing it; get the package from a trusted source")
    folder = packages_dir()
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and total > shutil.disk_usage(existing).free:
        raise LocalizeError(str(folder), f"not enough free space to unpack {archive.name} ({total >> 20} MiB)",
                            "free some disk space, or set ARGOS_PACKAGES_DIR to another disk")


def _is_link(member: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(member.external_attr >> 16)  # (the high 16 bits: the Unix mode)


def _check_package(root: Path, where: str) -> None:
    if not (root / "metadata.json").is_file():
        raise LocalizeError(where, "not an Argos model package: no metadata.json",
                            "download the .argosmodel file again")
    try:
        metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        if not isinstance(metadata, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError) as error:
        raise LocalizeError(where, f"metadata.json is not valid JSON ({error})",
                            "download the package again") from None
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if pair != (SOURCE, TARGET):
        raise LocalizeError(where, f"a {pair[0]}->{pair[1]} package, not English->Arabic",
                            "install the translate-en_ar package")
    if not (root / "model" / "model.bin").is_file():
        raise LocalizeError(where, "not an Argos model package: no model/model.bin",
                            "download the package again")
    if not any((root / name).is_file() for name in _TOKENIZERS):
        raise LocalizeError(where, "the package has no tokenizer (sentencepiece.model or bpe.model)",
                            "download the package again")
    _try_loading(root, where)


def _try_loading(root: Path, where: str) -> None:
    """Load the tokenizer and the model once, so a broken package is never installed."""
    import ctranslate2
    import sentencepiece

    try:
        if (root / "sentencepiece.model").is_file():
            sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        ctranslate2.Translator(str(root / "model"), device="cpu", intra_threads=1)
    except Exception as error:  # noqa: BLE001 (CTranslate2 raises IndexError, RuntimeError, ...)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LocalizeError(where, f"the model does not load ({first[:120]})",
                            "download the package again") from None


def _swap_into_place(new: Path, target: Path) -> None:
    """Rename ``new`` to ``target``; an older copy there is kept until the rename succeeds."""
    backup = None
    if target.exists():
        backup = target.with_name(f".replacing-{target.name}")
        shutil.rmtree(backup, ignore_errors=True)
        os.replace(target, backup)
    try:
        os.replace(new, target)
    except OSError:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


# --- installing from the index ------------------------------------------------------

def index_url() -> str:
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or _configured_index()
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def _configured_index() -> str:
    from argostranslate import settings

    return settings.package_index or DEFAULT_INDEX


def available(timeout: float = TIMEOUT) -> dict:
    """The newest English->Arabic entry of the package index."""
    url = index_url()
    data = _fetch(url, timeout, "the Argos package index")
    try:
        entries = json.loads(data)
        matches = [e for e in entries if isinstance(e, dict)
                   and (e.get("from_code"), e.get("to_code")) == (SOURCE, TARGET) and e.get("links")]
    except (ValueError, TypeError):
        raise LocalizeError(url, "the package index is not valid JSON", "try again later") from None
    if not matches:
        raise LocalizeError(url, "the package index lists no English->Arabic package",
                            "install a downloaded package with: localize models install FILE")
    return max(matches, key=lambda e: _version_key(str(e.get("package_version", ""))))


def download(entry: dict, target: Path, timeout: float = TIMEOUT, progress=None) -> None:
    """Download the package to ``target``, trying each link; ``progress(done, total)``."""
    failures = []
    for link in entry["links"]:
        try:
            _download_to(link, target, timeout, progress)
            return
        except LocalizeError as error:
            failures.append(error.what)
    raise LocalizeError(entry["links"][0], failures[-1],
                        "check the network, or install a downloaded package with: "
                        "localize models install FILE")


def _open(url: str, timeout: float, what: str):
    request = urllib.request.Request(url, headers={"User-Agent": "localize"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise LocalizeError(url, f"cannot download {what}: HTTP {error.code}", _NETWORK_HINT) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise LocalizeError(url, f"cannot reach {what}: {reason}", _NETWORK_HINT) from None


_NETWORK_HINT = ("check the network, or install a downloaded package with: "
                 "localize models install FILE")


def _fetch(url: str, timeout: float, what: str) -> bytes:
    with _open(url, timeout, what) as response:
        try:
            return response.read()
        except OSError as error:
            raise LocalizeError(url, f"cannot read {what}: {error}", _NETWORK_HINT) from None


def _download_to(url: str, target: Path, timeout: float, progress) -> None:
    with _open(url, timeout, "the package") as response, open(target, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        try:
            while chunk := response.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                if done > MAX_PACKAGE_BYTES:
                    raise LocalizeError(url, f"download larger than {MAX_PACKAGE_BYTES >> 20} MiB; stopped",
                                        "check the package index address (ARGOS_PACKAGE_INDEX)")
                if progress:
                    progress(done, total)
        except OSError as error:
            raise LocalizeError(url, f"download interrupted: {error}", _NETWORK_HINT) from None
    if total and done != total:
        raise LocalizeError(url, f"download incomplete ({done} of {total} bytes)", _NETWORK_HINT)


def install_from_index(timeout: float = TIMEOUT, progress=None) -> Model:
    entry = available(timeout)
    folder = packages_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".argosmodel")
    except OSError as error:
        raise _cannot_write(error, folder) from None
    os.close(handle)
    try:
        download(entry, Path(temporary), timeout, progress)
        return install_file(Path(temporary), where=entry["links"][0])
    finally:
        os.unlink(temporary)
