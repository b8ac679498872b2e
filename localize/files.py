"""Reading input bytes and writing output files safely.

Every file the tool writes goes to a temporary file in the same folder first
and is renamed over the target, so a reader (or a crash) never sees half a file.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from pathlib import Path

from localize.errors import LocalizeError

MAX_INPUT_BYTES = 20 * 1024 * 1024


def read_input(path: str | os.PathLike, what: str = "file") -> bytes:
    """The bytes of an input file, or a LocalizeError saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise LocalizeError(str(path), "no such file", f"check the path of the {what}")
    if path.is_dir():
        raise LocalizeError(str(path), "is a directory", f"give the path of a {what}")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise LocalizeError(
                str(path), f"file is too large ({size // (1024 * 1024)} MiB)",
                f"{what}s over {MAX_INPUT_BYTES // (1024 * 1024)} MiB are not supported; split it",
            )
        return path.read_bytes()
    except PermissionError:
        raise LocalizeError(str(path), "permission denied", "check the file's permissions") from None
    except OSError as error:
        raise LocalizeError(str(path), f"cannot read file: {error.strerror}", "check the file") from None


def decode_text(data: bytes, where: str, encoding: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM), or the encoding the user named."""
    if not data.strip():
        raise LocalizeError(where, "file is empty", "give an article with text in it")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LocalizeError(where, "binary file, not text", "give a .txt, .md or .html article")
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except LookupError:
            raise LocalizeError(where, f"unknown encoding {encoding!r}",
                                "use a Python codec name such as cp1256") from None
        except UnicodeDecodeError as error:
            raise LocalizeError(where, f"not valid {encoding} at byte {error.start}", "check --encoding") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LocalizeError(
            where, f"not valid UTF-8 at byte {error.start}",
            "convert it to UTF-8, or name its encoding with --encoding, e.g. --encoding cp1252",
        ) from None


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def digest(path: str | os.PathLike) -> str | None:
    """SHA-256 of a file's bytes, or None if there is no such file."""
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def lock_folder(folder: str | os.PathLike, on_wait=None, wait: bool = True):
    """Hold an advisory lock on ``folder`` for a whole run.

    A second run on the same folder waits (``on_wait()`` is called once) until
    the first is done, or with ``wait=False`` fails at once, so two runs never
    read-modify-write the same PO at once.  The kernel drops the lock when its
    process dies, so a killed run never leaves a stale lock behind.
    The lock file lives in the temporary folder (named after the folder's
    absolute path), so the project gets no stray files.
    """
    import hashlib

    name = hashlib.sha256(os.path.abspath(folder).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"localize-{name}.lock", "a+") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no advisory locks
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise LocalizeError(str(folder), "another localize run is writing this folder",
                                    "wait for it to finish (a killed run holds no lock)") from None
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_po(path: str | os.PathLike):
    """A PO file, strictly parsed (see ``catalog.parse_catalog``)."""
    from localize.catalog import parse_catalog

    return parse_catalog(decode_text(read_input(path, "PO file"), str(path)), str(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
