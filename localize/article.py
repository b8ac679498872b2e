"""Read an article (plain text, Markdown or HTML) into blocks.

An ``Article`` is a title and a sequence of ``Block`` values (title, heading,
paragraph, quote, list_item), each with the line it starts on.  Inline markup
(links, emphasis, images, line breaks) is replaced by numbered placeholders,
``<1>...</1>`` for a pair and ``<2/>`` for a standalone element; each
placeholder's ``Inline`` keeps the original markup so the publisher can put it
back where the translator left the placeholder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePath

from localize.errors import LocalizeError
from localize.files import decode_text

BLOCK_KINDS = ("title", "heading", "paragraph", "quote", "list_item")
FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
           ".html": "html", ".htm": "html", ".xhtml": "html"}


@dataclass(frozen=True)
class Inline:
    """One inline element replaced by a placeholder in the block text."""

    id: int
    open: str
    close: str = ""  # empty for a standalone element such as an image
    description: str = ""
    html: tuple[str, str] | None = None  # the HTML for open/close when they are Markdown

    @property
    def placeholder(self) -> str:
        return f"<{self.id}>...</{self.id}>" if self.close else f"<{self.id}/>"

    @property
    def html_markup(self) -> tuple[str, str]:
        """The element as HTML start and end tags (unsanitised: the article's own markup)."""
        return self.html if self.html is not None else (self.open, self.close)


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    line: int
    level: int = 0  # heading level (1-6) or list nesting depth
    marker: str = ""  # list marker as written ("-", "1.")
    inline: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Article:
    source: str
    format: str
    blocks: tuple[Block, ...]
    metadata: dict = field(default_factory=dict)
    sha256: str = ""

    @property
    def title(self) -> str | None:
        return next((block.text for block in self.blocks if block.kind == "title"), None)

    @property
    def slug(self) -> str:
        return slugify(PurePath(self.source).stem)


def slugify(name: str) -> str:
    """A file-name-safe slug that keeps the letters of every script (Arabic names stay Arabic):
    'Talks in Vienna' -> 'talks-in-vienna', 'خبر عاجل' -> 'خبر-عاجل', 'a/story' -> 'a-story'."""
    import unicodedata

    slug = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name).strip()).strip("-.").lower()
    return slug or "article"


def detect_format(path: str, text: str) -> str:
    suffix = PurePath(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if re.match(r"\s*(<!doctype html|<html|<head|<body|<article)", text, re.IGNORECASE):
        return "html"
    return "txt"


def parse_article(data: bytes, source: str, fmt: str | None = None,
                  encoding: str | None = None) -> Article:
    """Parse the bytes of an article file; ``source`` names it in errors and the PO."""
    text = clean_text(decode_text(data, source, encoding))
    fmt = fmt or detect_format(source, text)
    if fmt == "html":
        from localize.article_html import read_html
        blocks, metadata = read_html(text, source)
    elif fmt == "md":
        from localize.article_markdown import read_markdown
        blocks, metadata = read_markdown(text)
    elif fmt == "txt":
        blocks, metadata = read_plain_text(text)
    else:
        raise LocalizeError(source, f"unknown format {fmt!r}", "use txt, md or html")
    if not any(block.text.strip() for block in blocks):
        raise LocalizeError(source, "no article text found", "give an article with a title and paragraphs")
    blocks = sorted(blocks, key=lambda block: block.kind != "title")  # the title first, once
    blocks = [replace(b, kind="heading") if b.kind == "title" and i else b for i, b in enumerate(blocks)]
    return Article(source, fmt, tuple(blocks), metadata, hashlib.sha256(data).hexdigest())


# Line breaks that str.splitlines() (and so PO readers) honour besides "\n", and
# control characters: neither belongs in a segment (msgfmt rejects <EOT>, lxml
# refuses control characters, a U+2028 in a PO comment splits the line).
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")  # and what XML forbids


def clean_text(text: str) -> str:
    """An article's text with every line break as "\n" and control characters as spaces."""
    return _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))


class InlineText:
    """Builds a block's text while numbering its inline elements."""

    def __init__(self):
        self.parts: list[str] = []
        self.inline: list[Inline] = []

    def text(self, text: str) -> None:
        self.parts.append(text)

    def open(self, open_markup: str, close_markup: str, description: str,
             html: tuple[str, str] | None = None) -> int:
        number = len(self.inline) + 1
        self.inline.append(Inline(number, open_markup, close_markup, description, html))
        self.parts.append(f"<{number}>")
        return number

    def close(self, number: int) -> None:
        self.parts.append(f"</{number}>")

    def single(self, markup: str, description: str, html: str | None = None) -> None:
        number = len(self.inline) + 1
        self.inline.append(Inline(number, markup, "", description, None if html is None else (html, "")))
        self.parts.append(f"<{number}/>")

    def build(self) -> tuple[str, tuple[Inline, ...]]:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        return text, tuple(self.inline)


# --- plain text -------------------------------------------------------------

_META_LINE = re.compile(
    r"^\s*(?P<key>last modified|last updated|updated|published|posted)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_LIST_LINE = re.compile(r"^\s*(?P<marker>[-*\u2022]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
_BANNER_SEPARATOR = re.compile(r"\s+(?:-|\u2013|\u2014|\||\u00bb|\u203a|::|/)\s+")
_SECTION_WORDS = re.compile(r"\b(news|home|local|world|politics|opinion|business|sports?|"
                            r"middle east|region|analysis|features?)\b", re.IGNORECASE)
_SENTENCE_END = tuple(".!?:;,\"\u201d\u2019)")
_WRAPPED_WIDTH = 100


def read_plain_text(text: str) -> tuple[list[Block], dict]:
    lines = text.splitlines()
    metadata = _trailing_metadata(lines)
    chunks = _chunks(lines)
    blocks: list[Block] = []
    if chunks and len(chunks) > 1 and _is_banner(chunks[0], chunks[1]):
        metadata["banner"] = chunks.pop(0)[1][0].strip()
    if chunks:
        first_line, chunk_lines = chunks[0]
        blocks.append(Block("title", _clean(chunk_lines[0]), first_line))
        if len(chunk_lines) > 1:
            chunks[0] = (first_line + 1, chunk_lines[1:])
        else:
            chunks.pop(0)
    for first_line, chunk_lines in chunks:
        blocks.extend(_chunk_blocks(first_line, chunk_lines))
    return blocks, metadata


def _clean(line: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def _trailing_metadata(lines: list[str]) -> dict:
    """Remove 'Last Modified: ...' lines at the end of the text into metadata."""
    metadata: dict = {}
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and (match := _META_LINE.match(lines[-1])):
        key = "published" if match["key"].lower() in ("published", "posted") else "last_modified"
        metadata[key] = parse_date(match["value"]) or match["value"]
        metadata[f"{key}_text"] = match["value"]
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    return metadata


def parse_date(value: str) -> str | None:
    """ISO 8601 for the dates news sites print ('Thursday، 07 December 2017 04:26 PM')."""
    cleaned = re.sub(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", "", value, flags=re.IGNORECASE)
    cleaned = re.sub(r"[,\u060c]", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    formats = ("%d %B %Y %I:%M %p", "%d %b %Y %I:%M %p", "%B %d %Y %I:%M %p", "%b %d %Y %I:%M %p",
               "%d %B %Y %H:%M", "%B %d %Y %H:%M", "%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y",
               "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
    for fmt in formats:
        try:
            return datetime.strptime(cleaned, fmt).isoformat()
        except ValueError:
            continue
    return None


def _chunks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the (1-based) number of its first line."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                chunks.append((number, current))
            current.append(line)
        else:
            current = []
    return chunks


def _is_banner(chunk, following) -> bool:
    """'Iraq News - Local News - Baghdadpost' above a blank line and a headline."""
    if len(chunk[1]) != 1 or len(chunk[1][0]) > 200 or not _is_headline(following[1][0]):
        return False  # a banner is one short line (and a long one would make the split below slow)
    parts = _BANNER_SEPARATOR.split(chunk[1][0].strip())
    if len(parts) < 2 or any(len(part.split()) > 5 or not part for part in parts):
        return False
    if not all(word[:1].isupper() or not word[:1].isalpha() for part in parts for word in part.split()):
        return False
    return len(parts) >= 3 or bool(_SECTION_WORDS.search(chunk[1][0]))


def _is_headline(line: str) -> bool:
    text = line.strip()
    return len(text) <= 160 and len(text.split()) <= 25 and not text.endswith(".")


def _chunk_blocks(first_line: int, lines: list[str]) -> list[Block]:
    if all(_LIST_LINE.match(line) for line in lines):
        return [_list_block(first_line + i, line) for i, line in enumerate(lines)]
    if all(line.lstrip().startswith(">") for line in lines):
        text = " ".join(_clean(line.lstrip()[1:]) for line in lines)
        return [Block("quote", text.strip(), first_line)]
    if max(len(line.rstrip()) for line in lines) <= _WRAPPED_WIDTH and len(lines) > 1:
        return [Block("paragraph", " ".join(_clean(line) for line in lines), first_line)]
    # Long lines: the article puts one paragraph on each line.
    return [_line_block(first_line + i, line) for i, line in enumerate(lines) if line.strip()]


def _list_block(number: int, line: str) -> Block:
    match = _LIST_LINE.match(line)
    return Block("list_item", _clean(match["text"]), number, marker=match["marker"])


def _line_block(number: int, line: str) -> Block:
    text = _clean(line)
    if len(text) <= 80 and len(text.split()) <= 12 and not text.endswith(_SENTENCE_END):
        return Block("heading", text, number, level=2)
    return Block("paragraph", text, number)
