"""Wording for what the commands print: counts in correct English ("1 segment", "2 segments")
and values cut to fit a line."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "is": "are"}


def count(number: int, noun: str) -> str:
    """``count(1, "segment")`` -> "1 segment"; ``count(2, "entry")`` -> "2 entries"."""
    if number == 1:
        return f"{number} {noun}"
    last = noun.rsplit(" ", 1)[-1]
    plural = _IRREGULAR.get(last, last + "s")
    return f"{number} {noun[:len(noun) - len(last)]}{plural}"


def cut(text: str, limit: int = 60) -> str:
    """A found value short enough for one line of a report ('...' where cut)."""
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."
