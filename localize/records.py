"""The record types that flow between stages.

An ``Article`` is what a reader (``localize.readers``) makes of a file: a title
and a sequence of ``Block`` values (title, heading, paragraph, quote,
list_item), each with the line it starts on.  Inline markup (links, emphasis,
images, line breaks) is replaced by numbered placeholders, ``<1>...</1>`` for a
pair and ``<2/>`` for a standalone element; each placeholder's ``Inline`` keeps
the original markup so the publisher can put it back where the translator left
the placeholder.  This module imports no reader.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

SUSPECT_SHARE = 0.12
_FEWEST_PAGE_WORDS = 100  # words of paragraph text a page needs for SUSPECT_SHARE to say anything
_FEWEST_TEASERS = 4  # teasers that make an index page
_PLACEHOLDERS = re.compile(r"</?\d+/?>")


@dataclass(frozen=True)
class Issue:
    """A problem found by a check: collected and reported, never raised."""

    type: str
    term: str = ""
    expected: str = ""
    found: str = ""
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Segment:
    """One sentence of an article, the unit a translator reviews.

    ``key`` is the PO msgctxt ("<block>.<sentence>", both from 1), stable for a
    given article text.  ``source`` keeps inline markup as numbered placeholders.
    """

    key: str
    block: int
    kind: str
    source: str
    line: int
    notes: tuple[str, ...] = ()  # lines for the reviewer (the PO's #. comment)


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
    encoding: str = "utf-8"  # what the file was decoded as
    page_words: int = 0  # for a web page: the words of its paragraph text, all of it
    teasers: int = 0  # for a web page: paragraphs right under a heading that is a link elsewhere

    @property
    def story_words(self) -> int:
        return sum(len(re.findall(r"\w+", _PLACEHOLDERS.sub(" ", block.text)))
                   for block in self.blocks if block.kind != "title")

    @property
    def suspect(self) -> str:
        """Why the reading of a web page may have missed its story ("" when it looks whole).

        A page whose article keeps less than SUSPECT_SHARE of the page's paragraph
        text (at least 100 words of it) is a page whose story was not found (on 95
        real news pages the lowest share was 14%); one whose paragraphs mostly sit
        under headings that link to other pages (4 or more) is an index page."""
        if self.page_words >= _FEWEST_PAGE_WORDS and self.story_words < SUSPECT_SHARE * self.page_words:
            return (f"the article keeps {self.story_words:,} of the {self.page_words:,} words of the page's "
                    f"paragraphs ({self.story_words / self.page_words:.0%})")
        paragraphs = sum(block.kind == "paragraph" for block in self.blocks)
        if self.teasers >= _FEWEST_TEASERS and self.teasers >= 0.5 * paragraphs:
            return f"{self.teasers} of its {paragraphs} paragraphs are teasers under a link to another page"
        return ""

    @property
    def title(self) -> str | None:
        return next((block.text for block in self.blocks if block.kind == "title"), None)

    @property
    def slug(self) -> str:
        return slugify(PurePath(self.source).stem)


def slugify(name: str) -> str:
    """A file-name-safe slug that keeps the letters of every script (Arabic names stay Arabic):
    'Talks in Vienna' -> 'talks-in-vienna', 'خبر عاجل' -> 'خبر-عاجل', 'a/story' -> 'a-story'."""
    slug = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name).strip()).strip("-.").lower()
    return slug or "article"


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
