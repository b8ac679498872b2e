"""Read an article (plain text, Markdown or HTML) into an ``Article`` of blocks.

One module per format (``text``, ``markdown``, ``html``) and ``detect`` for
what a file is; the record types they produce are in ``localize.records``.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
import sys
from dataclasses import replace

from localize.errors import LocalizeError
from localize.files import codec_of, decode_text
from localize.readers.detect import FORMATS, detect_format
from localize.readers.html import read_html
from localize.readers.markdown import read_markdown
from localize.readers.text import read_plain_text
from localize.records import Article

__all__ = ["FORMATS", "clean_text", "declared_encoding", "detect_format", "parse_article"]


def parse_article(data: bytes, source: str, fmt: str | None = None,
                  encoding: str | None = None) -> Article:
    """Parse the bytes of an article file; ``source`` names it in errors and the PO.

    An HTML page is decoded with the encoding it declares (``<meta charset>``, an XML
    declaration) unless ``encoding`` names one or the bytes start with a byte-order mark.
    Whatever a malformed page does to a reader, the error is a ``LocalizeError`` naming it."""
    if encoding is None and (fmt or detect_format(source, data[:_SNIFF].decode("latin-1"))) == "html":
        encoding = declared_encoding(data)
    text = clean_text(decode_text(data, source, encoding))
    fmt = fmt or detect_format(source, text)
    if fmt not in ("html", "md", "txt"):
        raise LocalizeError(source, f"unknown format {fmt!r}", "use txt, md or html")
    try:
        with _deep_recursion():  # the readers walk nested markup recursively, to any depth they read
            blocks, metadata, page = _read(text, source, fmt)
    except (LocalizeError, MemoryError, KeyboardInterrupt):
        raise
    except RecursionError:
        raise LocalizeError(source, "markup nested too deep to read", "flatten the page, or give the article "
                            "as text") from None
    except Exception as error:  # noqa: BLE001 (one odd page must not stop a night's run with a traceback)
        raise LocalizeError(source, f"cannot read this {_FORMAT_NAMES[fmt]} ({type(error).__name__}: "
                            f"{str(error)[:200]})", "please report it as a bug with the file; meanwhile give "
                            "the article as plain text") from error
    if not any(block.text.strip() for block in blocks):
        raise LocalizeError(source, "no article text found", "give an article with a title and paragraphs")
    blocks = sorted(blocks, key=lambda block: block.kind != "title")  # the title first, once
    blocks = [replace(b, kind="heading") if b.kind == "title" and i else b for i, b in enumerate(blocks)]
    return Article(source, fmt, tuple(blocks), metadata, hashlib.sha256(data).hexdigest(),
                   codec_of(data, encoding), **page)


_FORMAT_NAMES = {"html": "HTML page", "md": "Markdown article", "txt": "text article"}


def _read(text: str, source: str, fmt: str) -> tuple[list, dict, dict]:
    if fmt == "html":
        return read_html(text, source)
    if fmt == "md":
        return (*read_markdown(text, source), {})
    return (*read_plain_text(text), {})


_SNIFF = 4096  # bytes looked at for a declared encoding (browsers look at 1,024; some pages declare it later)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?\sencoding\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# The WHATWG Encoding Standard's aliases where Python's codec differs: browsers read Latin-1
# and ASCII pages as windows-1252, and so on.
_BROWSER_CODECS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254",
                   "latin5": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874", "gb2312": "gbk",
                   "iso-8859-8-i": "iso8859-8", "x-mac-roman": "mac-roman", "x-sjis": "shift_jis",
                   "iso-8859-6-i": "iso8859-6", "iso-8859-6-e": "iso8859-6", "x-cp1256": "cp1256"}


# Python codecs that are no page's encoding (escapes, IDNA, UTF-7, which browsers refuse)
_NOT_PAGE_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "utf-7",
                              "charmap", "mbcs", "oem", "unicode-internal", "palmos"})


def declared_encoding(data: bytes) -> str | None:
    """The Python codec an HTML page (or XHTML) declares in its first 4 KiB: ``<meta charset>``,
    ``<meta http-equiv="Content-Type" content="...; charset=...">`` or ``<?xml ... encoding=...?>``;
    None when it declares none, one Python does not know, UTF-8 (the default anyway), a UTF-16/32
    one (which the ASCII bytes that name it cannot be), or one its bytes are not; and always
    None after a byte-order mark, which says what the bytes are."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:_SNIFF]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    try:
        info = codecs.lookup(_BROWSER_CODECS.get(label, label))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS \
            or info.name.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    try:
        data.decode(info.name)
    except (UnicodeError, LookupError, ValueError):
        return None  # declared wrong: UTF-8 detection says what it likely is
    return info.name


@contextlib.contextmanager
def _deep_recursion(limit: int = 60_000):
    """Room for markup nested as deep as the readers accept (HTML: 2,048, libxml2's limit;
    Markdown: 10,000).  Python 3.11 keeps Python-to-Python calls off the C stack."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# Line breaks that str.splitlines() (and so PO readers) honour besides "\n", and
# control characters: neither belongs in a segment (msgfmt rejects <EOT>, lxml
# refuses control characters, a U+2028 in a PO comment splits the line).
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")  # and what XML forbids


def clean_text(text: str) -> str:
    """An article's text with every line break as "\n" and control characters as spaces."""
    return _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))


