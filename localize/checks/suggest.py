"""Candidate glossary terms: the names that recur in articles and reviewed POs but the
glossary lacks.

A candidate is a run of capitalised words (with the lower-case links names
have: "Supreme National Security Council", "Iranian Militias in Iraq and
Syria", "Ali Shamkhani", "bin Salman"), or an acronym (IMIS, SNSC).  A single
capitalised word at the start of a sentence is not a name ("Shia militias ..."
counts "Shia" only where it is capitalised mid-sentence too), nor are days,
months and the like.  Candidates the glossary already finds are left out; the
rest are ranked by how many articles they occur in, then how often, so the
terminologist sees the names that recur first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from localize.engines.protect import blank_markup

_CAPITAL = r"[A-Z][\w'\u2019-]*"
_LINK = r"(?:of|for|and|the|al|el|bin|ibn|de|du|von|van)"
_NAME = re.compile(rf"(?<![\w'\u2019-]){_CAPITAL}(?:(?:\s+{_LINK})*\s+{_CAPITAL})*")
_ACRONYM = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9&]{1,9}(?![\w-])")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_COMMON = frozenset("""
    I A An The This That These Those It Its He She They We You His Her Their Our My Mr Mrs Ms Dr
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December But And Or If In On At As By For From To Of With After
    Before When While Since Although However Meanwhile Also Yet So Still Last Next First Read More
""".split())


@dataclass
class Candidate:
    term: str
    kind: str  # "name" or "acronym"
    count: int = 0
    articles: list = field(default_factory=list)
    example: str = ""


def candidates(sentences, index) -> list[Candidate]:
    """``sentences``: (article, sentence) pairs; ``index``: the glossary's TermIndex."""
    found: dict[str, Candidate] = {}
    for article, sentence in sentences:
        text = blank_markup(sentence)
        opening = len(text) - len(text.lstrip(" \"'\u201c\u2018(-\u2014"))
        for term, kind in _names(text, opening):
            if not term or term in _COMMON:
                continue
            known = index.find(term)
            if known and known[0].start == 0 and known[0].end >= len(term):
                continue  # the glossary has it
            candidate = found.setdefault(term, Candidate(term, kind, example=" ".join(sentence.split())))
            candidate.count += 1
            if article not in candidate.articles:
                candidate.articles.append(article)
    return sorted(found.values(), key=lambda c: (-len(c.articles), -c.count, -len(c.term.split()), c.term))


def _names(text: str, opening: int):
    for match in _NAME.finditer(text):
        run, first = [], True
        for word in match.group().split():  # a possessive ends a name: "Iran's | Supreme ... Council"
            run.append(word)
            if _POSSESSIVE.search(word):
                yield from _name(run, first and match.start() == opening)
                run, first = [], False
        if run:
            yield from _name(run, first and match.start() == opening)
        if len(match.group().split()) > 1:  # acronyms inside a longer run: "SNSC Secretary Ali Shamkhani"
            for acronym in _ACRONYM.finditer(match.group()):
                yield acronym.group(), "acronym"


def _name(words: list[str], opening: bool):
    words = list(words)
    while words and words[0] in _COMMON:  # "The Iranian Militias" -> "Iranian Militias"
        words.pop(0)
        opening = False
    while words and re.fullmatch(_LINK, words[-1]):
        words.pop()
    if not words:
        return
    words[-1] = _POSSESSIVE.sub("", words[-1])
    if len(words) == 1 and _ACRONYM.fullmatch(words[0]):
        yield words[0], "acronym"
    elif len(words) > 1 or not opening:  # not a sentence's first word, capitalised because it is first
        yield " ".join(words), "name"
