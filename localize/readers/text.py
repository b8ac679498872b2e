"""Plain-text articles: the first line is the title, blank lines separate blocks.

Short lines without a sentence end are headings, ``-``/``1.`` lines list items,
``>`` lines quotes; a banner line above the title ('Iraq News - Local News -
Site') and 'Last Modified: ...' lines at the end become metadata.
"""

from __future__ import annotations

import re
from datetime import datetime

from localize.readers.literal import literal_block
from localize.records import Block

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
_LONGEST_BANNER = 200  # characters of a site's banner line
_BANNER_PART_WORDS = 5  # most words in each of its parts ("Local News")
_BANNER_PARTS = 3  # parts that make a banner even without a section word ("news", "home" ...)
_HEADLINE_CHARACTERS, _HEADLINE_WORDS = 160, 25  # at most, for the headline under a banner
_HEADING_CHARACTERS, _HEADING_WORDS = 80, 12  # at most, for a line of its own to be a heading


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
    # words that look like a placeholder ("<1>") stay words
    blocks = [literal_block(b.kind, b.text, b.line, b.level, b.marker) for b in blocks]
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
    """ISO 8601 for the dates news sites print ('Thursday، 07 December 2017 04:26 PM'); a date alone
    ('2017-12-08') stays a date."""
    cleaned = re.sub(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", "", value, flags=re.IGNORECASE)
    cleaned = re.sub(r"[,\u060c]", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    formats = ("%d %B %Y %I:%M %p", "%d %b %Y %I:%M %p", "%B %d %Y %I:%M %p", "%b %d %Y %I:%M %p",
               "%d %B %Y %H:%M", "%B %d %Y %H:%M", "%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y",
               "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
    for fmt in formats:
        try:
            moment = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        # a date without a time stays a date: publishing must not invent "12:00 AM"
        return moment.isoformat() if "%H" in fmt or "%I" in fmt else moment.date().isoformat()
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
    if len(chunk[1]) != 1 or len(chunk[1][0]) > _LONGEST_BANNER or not _is_headline(following[1][0]):
        return False  # a banner is one short line (and a long one would make the split below slow)
    parts = _BANNER_SEPARATOR.split(chunk[1][0].strip())
    if len(parts) == 1 or any(len(part.split()) > _BANNER_PART_WORDS or not part for part in parts):
        return False
    if not all(word[:1].isupper() or not word[:1].isalpha() for part in parts for word in part.split()):
        return False
    return len(parts) >= _BANNER_PARTS or bool(_SECTION_WORDS.search(chunk[1][0]))


def _is_headline(line: str) -> bool:
    text = line.strip()
    return len(text) <= _HEADLINE_CHARACTERS and len(text.split()) <= _HEADLINE_WORDS and not text.endswith(".")


def _chunk_blocks(first_line: int, lines: list[str]) -> list[Block]:
    items = [match for line in lines if (match := _LIST_LINE.match(line))]
    if len(items) == len(lines):
        return [_list_block(first_line + i, match) for i, match in enumerate(items)]
    if all(line.lstrip().startswith(">") for line in lines):
        text = " ".join(_clean(line.lstrip()[1:]) for line in lines)
        return [Block("quote", text.strip(), first_line)]
    if max(len(line.rstrip()) for line in lines) <= _WRAPPED_WIDTH and len(lines) > 1:
        return [Block("paragraph", " ".join(_clean(line) for line in lines), first_line)]
    # Long lines: the article puts one paragraph on each line.
    return [_line_block(first_line + i, line) for i, line in enumerate(lines) if line.strip()]


def _list_block(number: int, match: re.Match[str]) -> Block:
    return Block("list_item", _clean(match["text"]), number, marker=match["marker"])


def _line_block(number: int, line: str) -> Block:
    text = _clean(line)
    if len(text) <= _HEADING_CHARACTERS and len(text.split()) <= _HEADING_WORDS and not text.endswith(_SENTENCE_END):
        return Block("heading", text, number, level=2)
    return Block("paragraph", text, number)
