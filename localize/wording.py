"""Counts in correct English for what the commands print: "1 segment", "2 segments"."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "is": "are"}


def count(number: int, noun: str) -> str:
    """``count(1, "segment")`` -> "1 segment"; ``count(2, "entry")`` -> "2 entries"."""
    if number == 1:
        return f"{number} {noun}"
    last = noun.rsplit(" ", 1)[-1]
    plural = _IRREGULAR.get(last, last + "s")
    return f"{number} {noun[:len(noun) - len(last)]}{plural}"
