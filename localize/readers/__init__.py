"""Read an article (plain text, Markdown or HTML) into an ``Article`` of blocks.

One module per format (``text``, ``markdown``, ``html``) and ``detect`` for
what a file is; the record types they produce are in ``localize.records``.
"""

from __future__ import annotations

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

__all__ = ["FORMATS", "clean_text", "detect_format", "parse_article"]


def parse_article(data: bytes, source: str, fmt: str | None = None,
                  encoding: str | None = None) -> Article:
    """Parse the bytes of an article file; ``source`` names it in errors and the PO."""
    text = clean_text(decode_text(data, source, encoding))
    fmt = fmt or detect_format(source, text)
    page: dict = {}
    with _deep_recursion():  # the readers walk nested markup recursively, to any depth they read
        if fmt == "html":
            blocks, metadata, page = read_html(text, source)
        elif fmt == "md":
            blocks, metadata = read_markdown(text, source)
        elif fmt == "txt":
            blocks, metadata = read_plain_text(text)
        else:
            raise LocalizeError(source, f"unknown format {fmt!r}", "use txt, md or html")
    if not any(block.text.strip() for block in blocks):
        raise LocalizeError(source, "no article text found", "give an article with a title and paragraphs")
    blocks = sorted(blocks, key=lambda block: block.kind != "title")  # the title first, once
    blocks = [replace(b, kind="heading") if b.kind == "title" and i else b for i, b in enumerate(blocks)]
    return Article(source, fmt, tuple(blocks), metadata, hashlib.sha256(data).hexdigest(),
                   codec_of(data, encoding), **page)


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


