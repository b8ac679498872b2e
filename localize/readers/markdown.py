"""Markdown articles, parsed with markdown-it-py (CommonMark).

Headings, paragraphs, list items and block quotes become blocks; emphasis,
links, inline code, images and hard breaks become numbered placeholders whose
``Inline`` keeps the Markdown to restore.  Code blocks and raw HTML blocks are
not text to translate and are left out.  A YAML-style front matter block
(``---`` lines) is read as metadata; its ``title`` becomes the title.
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt

from localize.errors import LocalizeError
from localize.readers.literal import LiteralText, literal_block
from localize.readers.text import parse_date
from localize.records import Block

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)---[ \t]*\n", re.DOTALL)
_PAIRS = {"em": "emphasis", "strong": "bold", "s": "strikethrough"}


MAX_NESTING = 10_000
# Link labels open at once in a paragraph: markdown-it reads the rest of the paragraph again for
# each unclosed "[" ("[" * 4,000 took 20 s); unclosed ones, and those deeper than this, are text.
MAX_OPEN_BRACKETS = 32
_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)  # (an escaped bracket is no bracket)
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t>]*\n)")


def read_markdown(text: str, source: str = "article") -> tuple[list[Block], dict]:
    metadata, offset, text = _front_matter(text)
    tokens = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("strikethrough").parse(
        _bounded_brackets(text))
    if tokens and max(token.level for token in tokens) >= MAX_NESTING - 1:  # markdown-it stops there
        raise LocalizeError(source, f"lists or quotes nested more than {MAX_NESTING:,} levels deep, "
                            "which localize cannot read whole", "flatten the nesting; nothing was written")
    blocks: list[Block] = []
    if metadata.get("title"):
        blocks.append(literal_block("title", metadata["title"], 2, source_markup=_markdown_literal))
    context: list[str] = []  # open containers: "blockquote", "list_item"
    heading_level = 0
    markers: list[str] = []  # of the open list items: "-", "*", "3." ...
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open"):
            context.append(token.type[:-5])
            if token.type == "list_item_open":
                markers.append(f"{token.info}{token.markup}" if token.info else token.markup)
        elif token.type in ("blockquote_close", "list_item_close"):
            context.pop()
            if token.type == "list_item_close":
                markers.pop()
        elif token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline" and token.children is not None:
            line = token.map[0] + 1 + offset if token.map else 0
            block = _block(token.children, line, heading_level, context, markers)
            if block.text:
                blocks.append(block)
    return _titled(blocks, metadata), metadata


def _titled(blocks: list[Block], metadata: dict) -> list[Block]:
    """The blocks with their title: a first heading of level 1 (or any first heading) becomes it."""
    first = 1 if metadata.get("title") else 0  # the first block after a front-matter title
    if len(blocks) > first and blocks[first].kind == "heading" and blocks[first].level == 1 and (
            not first or _plain(blocks[first].text) == _plain(metadata["title"])):
        # "# Headline" is the title; under a front-matter title: the same headline, once
        blocks[0:first + 1] = [Block("title", blocks[first].text, blocks[first].line, 1,
                                                 inline=blocks[first].inline)]
    elif not first and blocks and blocks[0].kind == "heading":
        blocks[0] = Block("title", blocks[0].text, blocks[0].line, 1, inline=blocks[0].inline)
    return blocks


def _bounded_brackets(text: str) -> str:
    """``text`` with the link brackets markdown-it would read quadratically escaped (as "\\["),
    in a paragraph with more than MAX_OPEN_BRACKETS "[": one that no "]" closes (it is text
    anyway), and one opened deeper than MAX_OPEN_BRACKETS."""
    if text.count("[") <= MAX_OPEN_BRACKETS:
        return text
    return "".join(_bounded_paragraph(part) if part.count("[") > MAX_OPEN_BRACKETS else part
                   for part in _PARAGRAPH_BREAK.split(text))


def _bounded_paragraph(text: str) -> str:
    escaped: list[int] = []  # where to escape
    open_at: list[int] = []  # the "[" still open
    for match in _BRACKET.finditer(text):
        if match.group() == "[":
            if len(open_at) < MAX_OPEN_BRACKETS:
                open_at.append(match.start())
            else:
                escaped.append(match.start())
        elif match.group() == "]" and open_at:
            open_at.pop()
    escaped = sorted(escaped + open_at)
    pieces, position = [], 0
    for at in escaped:
        pieces += [text[position:at], "\\"]
        position = at
    return "".join(pieces) + text[position:]


def _markdown_literal(text: str) -> str:
    return "\\" + text  # "\<1>": Markdown for the text "<1>"


def _plain(text: str) -> str:
    """A headline's words, for comparing a front-matter title with a # heading."""
    return " ".join(re.sub(r"</?\d+/?>", "", text).split()).casefold()


def _front_matter(text: str) -> tuple[dict, int, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0, text
    metadata = {}
    for line in match["body"].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            value = value.strip().strip("\"'")
            key = key.strip().lower().replace("-", "_")
            metadata[key] = value
            if key in ("date", "published", "last_modified", "updated") and parse_date(value):
                metadata[key] = parse_date(value)
    offset = match.group(0).count("\n")
    return metadata, offset, text[match.end():]


def _block(children, line: int, heading_level: int, context: list[str], markers: list[str]) -> Block:
    text, inline = _inline_text(children)
    if heading_level:
        return Block("heading", text, line, heading_level, inline=inline)
    if context and context[-1] == "list_item":
        return Block("list_item", text, line, len(markers), markers[-1], inline)
    if "blockquote" in context:
        return Block("quote", text, line, inline=inline)
    return Block("paragraph", text, line, inline=inline)


def _inline_text(children) -> tuple[str, tuple]:
    builder = LiteralText(_markdown_literal)
    open_ids: list[int] = []
    for child in children:
        kind = child.type
        if kind == "text":
            builder.text(child.content)
        elif kind == "softbreak":
            builder.text(" ")
        elif kind == "hardbreak":
            builder.single("\\\n", "line break", "<br>")
        elif kind.endswith("_open"):
            open_ids.append(builder.open(*_pair_markup(child)))
        elif kind.endswith("_close"):
            builder.close(open_ids.pop())
        elif kind == "code_inline":
            builder.single(f"{child.markup}{child.content}{child.markup}", f"code: {child.content}",
                           f"<code>{escape(child.content)}</code>")
        elif kind == "image":
            alt = child.content or ""
            src = child.attrs.get("src", "")
            builder.single(f"![{alt}]({src})", f"image: {alt}".strip(": "),
                           f'<img src="{escape(src)}" alt="{escape(alt)}">')
        elif kind == "html_inline":
            builder.single(child.content, "HTML", child.content)
    return builder.build()


def _pair_markup(token) -> tuple[str, str, str, tuple[str, str]]:
    """Markdown open and close markup, a description, and the same element as HTML."""
    name = token.type[:-5]
    if name == "link":
        href = token.attrs.get("href", "")
        title = token.attrs.get("title")
        close = f']({href} "{title}")' if title else f"]({href})"
        title_attribute = f' title="{escape(title)}"' if title else ""
        return "[", close, f"link to {href}", (f'<a href="{escape(href)}"{title_attribute}>', "</a>")
    return token.markup, token.markup, _PAIRS.get(name, name), (f"<{token.tag}>", f"</{token.tag}>")
