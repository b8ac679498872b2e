"""The record types that flow between stages."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    translation: str = ""
    origin: str = ""  # "mt", "tm" or "human"
    reviewed: bool = False
    notes: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = field(default=())
