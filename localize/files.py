"""Reading input bytes and writing output files safely.

Every file the tool writes goes to a temporary file in the same folder first
and is renamed over the target, so a reader (or a crash) never sees half a file.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from localize.errors import BadInput, Changed, LocalizeError, LockBusy, WriteFailed

MAX_INPUT_BYTES = 20 * 1024 * 1024
# A PO is bigger than its article (each sentence gets a msgctxt, a #: line, notes): a 20 MiB
# article of one-word list items makes a PO of ~400 MiB.  POs are read up to this size, and
# translate refuses to write a larger one, so every PO the tool writes can be read back.
MAX_PO_BYTES = 64 * 1024 * 1024
_WRITE_HINT = "check the folder's permissions and free space; nothing was changed"


def _stat(path: Path, what: str) -> os.stat_result:
    """The file's status, or the one-line error that says why there is none."""
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise BadInput(str(path), f"broken symbolic link (to {os.readlink(path)})",
                                f"point it at the {what}, or give the file itself") from None
        raise BadInput(str(path), "no such file", f"check the path of the {what}") from None
    except PermissionError:
        raise BadInput(str(path), "permission denied", "check the file's permissions") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise BadInput(str(path), "symbolic link loop", f"give the path of the {what} itself") from None
        raise BadInput(str(path), f"cannot read file: {error.strerror}", "check the file") from None


# What cannot stand in one line of text (control characters and the Unicode line and paragraph
# separators): escaped in messages here, a space in the PO comments the tool writes (catalog).
LINE_BREAKING = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_UNPRINTABLE = re.compile(f"[{LINE_BREAKING}\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` for a one-line message: control characters and undecodable bytes escaped."""
    def escape(match):
        char = match.group()
        if "\udc80" <= char <= "\udcff":  # a byte of a file name that is not UTF-8
            return f"\\x{ord(char) - 0xdc00:02x}"
        return char.encode("unicode_escape").decode("ascii")
    return _UNPRINTABLE.sub(escape, text)


# What XML 1.0 cannot hold at all (not even as a character reference): C0 controls but tab,
# line feed and carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(text: str, where: str, fix: str) -> None:
    """Refuse text an XML file (TMX, TBX) cannot hold, naming the character and where it is."""
    found = _NOT_XML.search(text or "")
    if found:
        char = found.group()
        raise BadInput(where, f"a control character (U+{ord(char):04X}) cannot be written to XML", fix)


# Characters that show nothing and change no letter, which a glossary term must not carry: a term
# with one is never found in an article (English) or never matches a correct draft (Arabic).
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def check_file_name(path: str | os.PathLike) -> None:
    """Refuse a file name a PO file cannot record (a line break, a control character, bytes that
    are not UTF-8): the PO's ``#:`` lines and header would break."""
    text = os.fspath(path)
    if _UNPRINTABLE.search(text):
        raise BadInput(printable(text), "the file name has a line break, a control character or bytes "
                            "that are not UTF-8", "rename the file")


def read_input(path: str | os.PathLike, what: str = "file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular input file, or a LocalizeError saying what is wrong.

    Only regular files are read (a FIFO would hang, a device never end), and
    never more than ``limit`` bytes, whatever the file's size claims.
    """
    path = Path(path)
    info = _stat(path, what)
    if stat.S_ISDIR(info.st_mode):
        raise BadInput(str(path), "is a directory", f"give the path of a {what}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise BadInput(str(path), f"not a regular file but {kind}", f"give the path of a {what} saved on disk")
    too_large = BadInput(str(path), f"file is too large (over {limit >> 20} MiB)",
                              f"{what}s over {limit >> 20} MiB are not supported; split it")
    if info.st_size > limit:
        raise too_large
    try:
        with open(path, "rb") as stream:  # (read(limit + 1) would allocate the limit for every file)
            data = stream.read(info.st_size + 1)
            if len(data) > info.st_size:  # more than the size said (grown since, or a /proc file): up to the limit
                data += stream.read(limit + 1 - len(data))
    except PermissionError:
        raise BadInput(str(path), "permission denied", "check the file's permissions") from None
    except OSError as error:
        raise BadInput(str(path), f"cannot read file: {error.strerror or error}", "check the file") from None
    if len(data) > limit:
        raise too_large
    return data


_TEXT_KINDS = {"article": "give a .txt, .md or .html article", "PO file": "give a gettext PO file",
               "glossary": "give a CSV glossary", "TBX file": "give a TBX termbase",
               "TMX file": "give a TMX file"}
_EMPTY_HINTS = {"article": "give an article with text in it",
                "PO file": "restore the PO from version control, or delete it and run localize translate again"}


def codec_of(data: bytes, encoding: str | None) -> str:
    """The codec ``decode_text`` reads these bytes with: the one named (of several named
    ``"utf-8|cp1256"``, the first that decodes them, else the last), else UTF-16 for a UTF-16
    byte-order mark, else UTF-8."""
    if encoding and "|" in encoding:
        *first, last = encoding.split("|")
        for name in first:
            try:
                data.decode(name)
                return name
            except (UnicodeDecodeError, LookupError):
                pass
        return last
    if encoding:
        return encoding
    return "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"


# What the legacy encodings a desk meets are for (charset-normalizer's names).
_LANGUAGES = {"cp1256": "Arabic, Windows", "iso8859_6": "Arabic, ISO", "cp720": "Arabic, DOS",
              "mac_arabic": "Arabic, Mac", "cp1252": "Western European, Windows",
              "latin_1": "Western European, ISO", "iso8859_15": "Western European, ISO",
              "cp1250": "Central European, Windows", "cp1251": "Cyrillic, Windows",
              "cp1255": "Hebrew, Windows", "cp1254": "Turkish, Windows", "cp1253": "Greek, Windows",
              "mac_roman": "Western European, Mac", "cp437": "DOS", "cp850": "DOS"}


def likely_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess at the encoding of ``data`` (Python's codec name), if any.

    Bytes whose high half reads as Arabic letters in cp1256 are cp1256 (what an
    Arabic desk's legacy files are) unless charset-normalizer reads them as
    another language; cp1252 wins the ties it is in.  Only the
    first 64 KiB are looked at: an error message must come fast."""
    from charset_normalizer import from_bytes

    sample = data[:65536]
    results = from_bytes(sample)
    best = results.best()
    letters = [c for c in sample.decode("cp1256", errors="replace") if not c.isascii()]
    arabic = bool(letters) and sum("\u0600" <= c <= "\u06ff" for c in letters) >= 0.5 * len(letters)
    if arabic and (best is None or best.coherence == 0 or any("cp1256" in m.could_be_from_charset for m in results)):
        return "cp1256"  # the desk's legacy Arabic, where nothing reads the bytes as another language
    if best is None:
        return None
    if any("cp1252" in match.could_be_from_charset for match in results
           if match.chaos <= best.chaos and match.coherence >= best.coherence - 0.01):
        return "cp1252"  # ahead of the encodings that read the same bytes as well (cp1250, cp1254)
    return best.encoding


_FEWEST_TO_GUESS = 32  # bytes of an article with NUL bytes worth guessing a UTF-16 or UTF-32 encoding of


def decode_text(data: bytes, where: str, encoding: str | None = None, what: str = "article") -> str:
    """Decode UTF-8 (with or without BOM), or the encoding the user named.

    Empty and binary input (a NUL byte anywhere, once decoded) is refused, with
    a hint that names the kind of file expected.
    """
    give = _TEXT_KINDS.get(what, f"give a {what}")
    empty = BadInput(where, "file is empty", _EMPTY_HINTS.get(what, f"{give} with text in it"))
    if not data.strip():
        raise empty
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data and not (utf16 or encoding):
        likely = likely_encoding(data) if what == "article" and len(data) >= _FEWEST_TO_GUESS else None
        if likely and likely.startswith(("utf_16", "utf_32")):
            name = likely.replace("_", "-")
            raise BadInput(where, f"not UTF-8: it looks like {name.upper()} text without a byte-order mark",
                                f"name its encoding with --encoding {name}")
        raise BadInput(where, f"binary file, not text (a NUL byte at byte {data.index(0)})", give)
    codec = codec_of(data, encoding)
    _check_text_codec(codec, where)
    try:
        text = data.decode("utf-8-sig" if codec == "utf-8" else codec).lstrip("\ufeff")
    except LookupError:
        raise BadInput(where, f"unknown encoding {printable(codec)!r}",
                            "use a Python codec name such as cp1256") from None
    except UnicodeDecodeError as error:
        if encoding or utf16:
            raise BadInput(where, f"not valid {codec} at byte {error.start}", "check --encoding") from None
        likely = likely_encoding(data) if what == "article" else None
        if likely and likely not in ("utf_8", "ascii"):
            hint = f"name its encoding with --encoding {likely}, or convert it to UTF-8"
            raise BadInput(where, f"not valid UTF-8 at byte {error.start}; it looks like {likely} "
                                f"({_LANGUAGES.get(likely, 'legacy encoding')})", hint) from None
        raise BadInput(where, f"not valid UTF-8 at byte {error.start}",
                            "convert it to UTF-8, or name its encoding with --encoding (e.g. cp1256)") from None
    except (UnicodeError, ValueError, TypeError) as error:  # punycode, idna...: codecs that are not for files
        first = printable(str(error))[:120]
        raise BadInput(where, f"cannot be read as {printable(codec)} ({first})",
                            "name the file's text encoding with --encoding, such as cp1256 or utf-8") from None
    if "\x00" in text:
        raise BadInput(where, f"binary file, not text (a NUL character at character {text.index(chr(0))})", give)
    if not text.strip():
        raise empty
    return text


def _check_text_codec(codec: str, where: str) -> None:
    """Refuse a codec that does not turn bytes into text (base64, zlib, rot13: Python's
    ``bytes.decode`` would say so with a traceback-worthy LookupError)."""
    try:
        info = codecs.lookup(codec)
    except (LookupError, TypeError, ValueError):
        return  # the decode below says "unknown encoding"
    if not getattr(info, "_is_text_encoding", True):
        raise BadInput(where, f"{printable(codec)!r} is not a text encoding",
                            "name the file's text encoding with --encoding, such as cp1256 or utf-8")


def write_atomic(path: str | os.PathLike, text: str, expect=None) -> None:
    """Write ``text`` as UTF-8 to ``path`` via a temporary file and a rename.

    ``expect``: the digest the file must still have right before the rename
    (``ABSENT``: it must not exist); else it is left as it is and a
    ``LocalizeError`` says it changed."""
    with Staging() as staging:
        staging.add(path, text, expect)
        staging.commit()


def write_all(files: dict, expect: dict | None = None) -> None:
    """Write several files ({path: text}) all or nothing (see ``Staging``); ``expect``:
    {path: digest the file must still have} (see ``write_atomic``)."""
    expect = expect or {}
    with Staging() as staging:
        for path, text in files.items():
            staging.add(path, text, expect.get(path))
        staging.commit()


ABSENT = "absent"  # an expected digest: the target must not exist yet
_CHANGED = ("changed on disk while this run was working (saved in an editor?)", "nothing was written; run the command "
            "again")


class Staging:
    """Files written all or nothing, staged one at a time (so a run over many files holds one
    text at a time, not all of them).

    Each text goes to a temporary file beside its target (``add``); ``commit``
    renames them all into place and flushes the folders.  Leaving the ``with``
    block without a commit (an error, or a run that decides to write nothing)
    removes the temporary files and leaves every target as it was.  A failure
    while writing (read-only folder, full disk, file size limit, a dangling
    symlink in the way, a target that is a device or a FIFO) is one
    ``LocalizeError`` naming the path and the cause.  A target staged with the
    digest it had when it was read is checked again right before its own
    rename: a file a person saved meanwhile is never replaced.  (A rename in
    the same folder seldom fails; if one does, each file is still either its
    old or its new version, never half of one.)  A symbolic link is written
    through: the file it points to gets the new text, the link stays.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[str, Path, str | None, Path]] = []  # temporary, real target, expect, as named
        self.made: list[Path] = []  # folders made for the files, removed again if nothing is written
        self.committed = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exception) -> None:
        for temporary, *_ in self.staged:
            if os.path.lexists(temporary):
                os.unlink(temporary)
        self.staged = []
        for folder in () if self.committed else reversed(self.made):
            with contextlib.suppress(OSError):  # not empty after all, or gone
                folder.rmdir()

    def add(self, path: str | os.PathLike, text: str, expect: str | None = None) -> None:
        """Stage ``text`` for ``path``; ``expect``: the digest ``path`` must still have when it is
        renamed into place (``ABSENT``: it must still not exist), None: no check."""
        named = Path(path)
        path = regular_target(named)
        self.made += [folder for folder in reversed(path.parents) if not os.path.lexists(folder)
                      and folder not in self.made]
        with _writing(path):
            self.staged.append((_stage(path, text), path, expect, named))

    def __contains__(self, path: str | os.PathLike) -> bool:
        """Whether a text is staged for ``path`` (as named)."""
        named = Path(path)
        return any(staged == named for *_, staged in self.staged)

    def commit(self, partial: bool = False) -> list[Path]:
        """Rename every staged file into place.  A target that changed since it was read stops
        the whole commit before any rename (a ``LocalizeError``); with ``partial``, it is left
        as it is and returned (as it was named), and the others are written."""
        if not partial:  # all or nothing: every target is checked before the first rename
            changed = next((named for _, path, expect, named in self.staged if not _as_expected(path, expect)), None)
            if changed is not None:
                raise Changed(str(changed), *_CHANGED)
        skipped: list[Path] = []
        written: list[Path] = []
        for temporary, path, expect, named in self.staged:
            if not _as_expected(path, expect):  # right before its own rename: the narrowest window there is
                if partial:
                    skipped.append(named)
                    continue
                before = f"; written before it: {', '.join(map(str, written))}" if written else ""
                raise Changed(str(named), _CHANGED[0], f"it was not written{before}; run the command again")
            with _writing(path):
                os.replace(temporary, path)
            written.append(named)
        done = set(written)  # (a set: a commit of thousands of files stays linear)
        for folder in {path.parent for _, path, _, named in self.staged if named in done}:
            _sync_folder(folder)
        self.committed = True
        return skipped


class FolderStaging:
    """Files written all or nothing into one folder, any number of them, with no list of them
    kept in memory and no flush per file (``localize publish``'s editions).

    Each text for a file of ``folder`` goes to a hidden staging folder inside it
    (``.localize-*.tmp``), unflushed; ``commit`` flushes them all to disk at once (``syncfs``
    where the system has it, else each file), renames each into ``folder`` (the files are
    found in the staging folder: nothing is listed in memory) and flushes ``folder``.  So a
    crash before the commit leaves every target as it was, and no target is ever renamed
    before every new text is on disk.  Leaving the ``with`` block without a commit removes
    the staging folder and the folders made for it.  Errors are ``Staging``'s: one
    ``LocalizeError`` naming the target.  A text for another folder, for a symbolic link
    (written through) or with an ``expect``ed digest is staged by a ``Staging`` beside it,
    committed first.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.staging: Path | None = None  # made with the first file
        self.others = Staging()
        self.made: list[Path] = []
        self.committed = False
        self.umask = 0

    def __enter__(self) -> FolderStaging:
        return self

    def __exit__(self, *exception) -> None:
        self.others.__exit__(*exception)
        if self.staging is not None and os.path.lexists(self.staging):
            import shutil

            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = None
        for folder in () if self.committed else reversed(self.made):
            with contextlib.suppress(OSError):  # not empty after all, or gone
                folder.rmdir()

    def _ours(self, named: Path) -> bool:
        """Whether the text for ``named`` goes to the staging folder (as ``<name>.tmp``: an error
        names the target, never the temporary file)."""
        return named.parent == self.folder and not named.is_symlink()

    def add(self, path: str | os.PathLike, text: str, expect: str | None = None) -> None:
        named = Path(path)
        if expect is not None or not self._ours(named):
            self.others.add(named, text, expect)
            return
        target = regular_target(named)  # a device or a FIFO is refused
        check_writable(target)
        with _writing(target):
            if self.staging is None:
                self.made += [folder for folder in reversed((self.folder / "x").parents) if not os.path.lexists(folder)]
                self.folder.mkdir(parents=True, exist_ok=True)
                self.staging = Path(tempfile.mkdtemp(dir=self.folder, prefix=".localize-", suffix=".tmp"))
                self.umask = _umask()
            staged = self.staging / f"{named.name}.tmp"
            with open(staged, "x", encoding="utf-8", newline="\n") as stream:  # made 0o666 less the umask
                stream.write(text)
            with contextlib.suppress(FileNotFoundError):
                mode = target.stat().st_mode & 0o777
                if mode != 0o666 & ~self.umask:
                    os.chmod(staged, mode)  # the target's permissions, as Staging keeps them

    def __contains__(self, path: str | os.PathLike) -> bool:
        """Whether a text is staged for ``path``."""
        named = Path(path)
        if not self._ours(named):
            return named in self.others
        return self.staging is not None and os.path.lexists(self.staging / f"{named.name}.tmp")

    def commit(self) -> None:
        """Every staged file into place: flushed to disk all at once, then renamed, then the folder flushed."""
        staging = self.staging
        if staging is not None:
            with _writing(self.folder):
                _flush_files(staging)
        self.others.commit()
        if staging is not None:
            for name in _names(staging):
                target = self.folder / name[:-len(".tmp")]
                with _writing(target):
                    os.replace(staging / name, target)
            with _writing(self.folder):
                staging.rmdir()
            _sync_folder(self.folder)
            self.staging = None
        self.committed = True


def _names(folder: Path, batch: int = 512):
    """The names of the files in ``folder``, read a batch at a time while the caller moves them
    out (a folder read while it changes may skip or repeat names: each batch is a new read)."""
    import itertools

    while True:
        with os.scandir(folder) as entries:
            names = list(itertools.islice((entry.name for entry in entries), batch))
        if not names:
            return
        yield from names


def _flush_files(folder: Path) -> None:
    """Put every file of ``folder`` on disk: one ``syncfs`` of its file system (Linux), else an
    ``fsync`` of each file."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a system that opens no folder
        handle = None
    if handle is not None:
        try:
            if _syncfs(handle):
                return
        finally:
            os.close(handle)
    with os.scandir(folder) as entries:
        for entry in entries:
            file = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(file)
            finally:
                os.close(file)


def _syncfs(handle: int) -> bool:
    """``syncfs(2)`` on the file system of ``handle``: True if done, False where there is none."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs  # the C library's, on Linux
    except (OSError, AttributeError, TypeError):
        return False
    if syncfs(handle) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return True


def _as_expected(path: Path, expect: str | None) -> bool:
    if expect is None:
        return True
    try:
        now = digest(path)
    except LocalizeError:
        return False
    return now == (None if expect == ABSENT else expect)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so renames survive a power cut (best effort)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


_KINDS = ((stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def regular_target(path: Path) -> Path:
    """The file a write to ``path`` goes to: ``path`` itself, or, for a symbolic link, the file it
    points to (followed on purpose: the link stays).  A target that exists and is not a regular
    file (a device, a FIFO, a socket) is refused: a rename would replace it (a folder:
    ``check_writable``, which staging runs next)."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if path.is_symlink() and not os.path.lexists(target):
        return path  # broken: check_writable says so
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return target
    kind = next((name for test, name in _KINDS if test(mode)), None)
    if kind:
        raise BadInput(str(path), f"not a regular file but {kind}",
                       "give the name of a regular file to write; nothing was changed")
    return target


@contextlib.contextmanager
def _writing(path: Path):
    """OS and encoding errors while writing ``path`` as one ``LocalizeError``."""
    try:
        yield
    except OSError as error:
        named = getattr(error, "filename", None)  # a folder that cannot be made; not our temporary file
        place = named if named and not str(named).endswith(".tmp") else path
        raise WriteFailed(str(place), f"cannot write: {error.strerror or error}", _WRITE_HINT) from None
    except UnicodeEncodeError:  # text from somewhere with undecodable bytes (surrogates) in it
        raise WriteFailed(str(path), "cannot write: the text has characters that are not valid Unicode",
                            "nothing was changed; please report this as a bug") from None


def check_writable(path: str | os.PathLike) -> None:
    """Refuse at once a target that can never be written (a broken link, a folder, a folder
    under a file), so a long run does not find out at its end."""
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise BadInput(str(path), "is a broken symbolic link", "remove it or point it at a real folder")
    if path.is_dir():
        raise BadInput(str(path), "is a directory", "give a file name to write")
    blocker = next((p for p in path.parents if os.path.lexists(p) and not p.is_dir()), None)
    if blocker is not None:
        what = "is a broken symbolic link" if blocker.is_symlink() else "is a file, not a folder"
        raise BadInput(str(blocker), what, "choose another output folder, or remove it")


def _stage(path: Path, text: str) -> str:
    """``text`` in a temporary file in ``path``'s folder, with the target's permissions."""
    check_writable(path)
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
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def digest(path: str | os.PathLike) -> str | None:
    """SHA-256 of a file's bytes, or None if there is no such file."""
    import hashlib

    if not os.path.lexists(path):
        return None
    return hashlib.sha256(read_input(path, limit=MAX_PO_BYTES)).hexdigest()


LOCK_NAME = ".localize.lock"


@contextlib.contextmanager
def exclusive(path: str | os.PathLike, on_wait=None, wait: bool = True):
    """Hold an exclusive advisory lock on the file ``path`` (made if missing, never removed: a
    waiter then never holds a lock on an unlinked file) for a short read-change-write of what it
    guards; ``on_wait()`` is called once if another process holds it (``wait`` False: raise
    BlockingIOError instead, for work that another run may do as well).  Not POSIX: no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # (closing the file drops the lock)


@contextlib.contextmanager
def lock_folder(folder: str | os.PathLike, on_wait=None, wait: bool = True, shared: bool = False):
    """Hold an advisory lock on ``folder`` for a whole run.

    A second run on the same folder waits (``on_wait()`` is called once) until
    the first is done, or with ``wait=False`` fails at once, so two runs never
    read-modify-write the same PO at once.  The lock is the file
    ``.localize.lock`` inside the real folder (symlinks resolved), so the same
    folder reached through a symlink, or with another TMPDIR, is the same lock;
    it is removed when the run ends, and the kernel drops the lock of a killed
    run, so nothing stale is left behind.

    ``shared``: for the shards of one batch (``--shard I/N``), which write
    disjoint POs: they run at once, and exclude every other run (whose lock
    is not shared).  The last of them leaves the (empty) lock file.
    """
    check_writable(Path(folder) / LOCK_NAME)  # a broken symlink or a file as the folder: one line
    root = Path(folder).resolve()
    created = [path for path in (root, *root.parents) if not path.exists()]  # deepest first
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteFailed(str(folder), f"cannot create the folder: {error.strerror}", _WRITE_HINT) from None
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks
        yield
        _remove_if_empty(created)
        return
    handle = _locked(root / LOCK_NAME, folder, on_wait, wait, fcntl, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    try:
        yield
    finally:
        if not shared:  # (other shards may hold it)
            with contextlib.suppress(OSError):
                os.unlink(root / LOCK_NAME)  # before unlocking: a waiter then sees it was removed, and retries
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        _remove_if_empty(created)


def _remove_if_empty(folders: list[Path]) -> None:
    """Remove the folders a run created for its lock when it wrote nothing into them."""
    for path in folders:
        try:
            path.rmdir()
        except OSError:
            return


def _locked(path: Path, folder, on_wait, wait: bool, fcntl, mode: int):
    """An open handle on ``path`` holding its lock; the file is the one at ``path`` now."""
    waited = False
    while True:
        try:
            handle = open(path, "a+")
        except FileNotFoundError:  # the run we waited for removed the (empty) folder it had made
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WriteFailed(str(folder), f"cannot create the folder: {error.strerror}", _WRITE_HINT) from None
            continue
        except OSError as error:
            raise WriteFailed(str(path), f"cannot create the lock file: {error.strerror}", _WRITE_HINT) from None
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                handle.close()
                raise LockBusy(str(folder), "another localize run is writing this folder",
                                    "wait for it to finish (a killed run holds no lock)") from None
            if on_wait and not waited:
                on_wait()
                waited = True
            fcntl.flock(handle, mode)
        try:  # the run before us may have removed the file we waited on: then lock the new one
            if os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino:
                return handle
        except FileNotFoundError:
            pass
        handle.close()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
