"""Article text that looks like a placeholder (``<1>``, ``</2>``, ``<3/>``) stays text.

Block text marks inline markup as numbered placeholders, so a page that says
``&lt;1&gt;`` in words would otherwise be read (and published) as markup: its
words lost, or paired with the wrong element.  Each such run of literal text
becomes a standalone placeholder of its own whose markup is the text itself
(as a ``<span>`` with the text escaped, for the HTML edition): translators and
the machine translation keep it as it is, and every edition shows it as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from localize.records import Block, InlineText

PLACEHOLDER = re.compile(r"</?\d+/?>")  # segment.TAG (readers do not import the segmenter)


class LiteralText(InlineText):
    """``InlineText`` whose text is gathered until the next element, then kept literal.

    Text comes in pieces (an element unwrapped between two of them joins them),
    so a run is looked at whole: ``&lt;<span>1&gt;</span>`` is one ``<1>``."""

    def __init__(self, source_markup: Callable[[str], str] = escape):
        super().__init__()
        self.source_markup = source_markup  # the literal as the article's own format writes it
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        self.pending.append(text)

    def open(self, *args, **kwargs) -> int:
        self._flush()
        return super().open(*args, **kwargs)

    def close(self, number: int) -> None:
        self._flush()
        super().close(number)

    def single(self, *args, **kwargs) -> None:
        self._flush()
        super().single(*args, **kwargs)

    def build(self) -> tuple[str, tuple]:
        self._flush()
        return super().build()

    def _flush(self) -> None:
        if not self.pending:
            return
        run, self.pending = "".join(self.pending), []
        position = 0
        for match in PLACEHOLDER.finditer(run):
            super().text(run[position:match.start()])
            literal = match.group()
            super().single(self.source_markup(literal), f'text "{literal}" (not markup: keep it as it is)',
                           f"<span>{escape(literal)}</span>")
            position = match.end()
        super().text(run[position:])


def literal_block(kind: str, text: str, line: int, level: int = 0, marker: str = "",
                  source_markup: Callable[[str], str] = str) -> Block:
    """A block of plain words (a text article's, a page's og:title): placeholders only for literals."""
    if not PLACEHOLDER.search(text):
        return Block(kind, text, line, level, marker)
    builder = LiteralText(source_markup)
    builder.text(text)
    text, inline = builder.build()
    return Block(kind, text, line, level, marker, inline)
