"""Quality checks other than terminology, on one (English, Arabic) pair at a time.

Each check is a small function ``(source, target, context) -> list[Issue]``;
``check`` runs them all and collects what they find (never raises).  Type
names say what is wrong and with what: ``missing-number``, ``changed-number``,
``missing-placeholder``, ``duplicated-url``, ``untranslated``, ...
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from localize.engines.protect import PROTECTED, kind, protect
from localize.records import Issue

_ARABIC_DIGITS = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                               "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9\u066b\u066c",
                               "01234567890123456789.,")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'-]*[A-Za-z]\b")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_QUOTES = {"\u00ab": "\u00bb", "\u201c": "\u201d"}
MIN_RATIO, MAX_RATIO = 0.4, 2.5
_SHORTEST_FOR_RATIO = 20  # characters of English: a shorter segment's length says too little


@dataclass(frozen=True)
class Context:
    """What the checks need beyond the pair: words allowed in Latin script (do-not-translate terms)."""

    latin_allowed: frozenset[str] = frozenset()


def check(source: str, target: str, context: Context = Context()) -> list[Issue]:
    """Every QA issue of a translated entry, in a stable order."""
    if not target.strip():
        return [Issue("empty-translation")]
    return [issue for function in CHECKS for issue in function(source, target, context)]


def normal_number(text: str) -> str:
    """60,000 = ٦٠٬٠٠٠ = 60000; 3.5 = ٣٫٥; grouping dropped, decimal kept."""
    text = text.translate(_ARABIC_DIGITS)
    return text.replace(",", "") if _GROUPED.match(text) else text


def numbers(source: str, target: str, context: Context) -> list[Issue]:
    """Numbers of the English missing from the Arabic, or changed in it."""
    wanted = Counter(map(normal_number, _numbers(source)))
    found = Counter(map(normal_number, _numbers(target.translate(_ARABIC_DIGITS))))
    missing = list((wanted - found).elements())
    extra = list((found - wanted).elements())
    # a number missing and another extra: one was changed into the other (any left over are missing)
    issues = [Issue("changed-number", term=m, expected=m, found=e) for m, e in zip(missing, extra, strict=False)]
    return issues + [Issue("missing-number", term=m, expected=m) for m in missing[len(extra):]]


def _numbers(text: str) -> list[str]:
    """The numbers ``protect`` finds (digits inside placeholders, URLs and e-mails are not numbers)."""
    return [value for value in _protected(text) if kind(value) == "number"]


@lru_cache(maxsize=8)
def _protected(text: str) -> tuple[str, ...]:
    """``protect(text).values``, once per text: ``numbers`` and ``protected_items`` both need them
    for the same source and target, one right after the other (a few texts kept: memory stays flat)."""
    return protect(text).values


@lru_cache(maxsize=8)
def _unprotected(text: str) -> str:
    """``text`` with its URLs, e-mails, numbers and placeholders blanked, once per text (three checks
    look at the rest of the same Arabic)."""
    return PROTECTED.sub(" ", text)


def protected_items(source: str, target: str, context: Context) -> list[Issue]:
    """Placeholders, URLs and e-mail addresses missing from the Arabic or repeated in it."""
    wanted = Counter(v for v in _protected(source) if kind(v) != "number")
    found = Counter(v for v in _protected(target) if kind(v) != "number")
    issues = [Issue(f"missing-{kind(v)}", term=v, expected=v) for v in (wanted - found).elements()]
    return issues + [Issue(f"duplicated-{kind(v)}", term=v, found=v)
                     for v in (found - wanted).elements() if v in wanted]


_PAIR_TAG = re.compile(r"<(/?)(\d+)>")


def placeholder_order(source: str, target: str, context: Context) -> list[Issue]:
    """Pairs of placeholders (``<1>...</1>``) the Arabic puts out of order: an end before its
    start, or two pairs crossed (``<1><2></1></2>``); ``publish`` would build broken markup
    (a link over the full stop alone).  Missing or repeated ones are ``protected_items``'."""
    if "</" not in target:
        return []
    paired = {number for closing, number in _PAIR_TAG.findall(source) if closing}
    issues, open_pairs, seen = [], [], set()
    for closing, number in _PAIR_TAG.findall(target):
        if number not in paired:
            continue
        if not closing:
            open_pairs.append(number)
            seen.add(number)
        elif number in open_pairs:
            if open_pairs[-1] != number:
                issues.append(Issue("misplaced-placeholder", term=f"<{number}>",
                                    found=f"<{open_pairs[-1]}> and <{number}> cross"))
            open_pairs.remove(number)
        elif number not in seen:  # (a second end of a closed pair is duplicated-placeholder's)
            issues.append(Issue("misplaced-placeholder", term=f"</{number}>",
                                found=f"</{number}> before <{number}>"))
    return issues


def untranslated(source: str, target: str, context: Context) -> list[Issue]:
    if " ".join(source.split()) == " ".join(target.split()) and _LATIN_WORD.search(source):
        return [Issue("untranslated", found=target)]
    return []


def balance(source: str, target: str, context: Context) -> list[Issue]:
    """Brackets and quotes that open and close in the English but not in the Arabic."""
    issues = []
    for name, pairs in (("brackets", _BRACKETS), ("quotes", _QUOTES)):
        if _balanced(source, pairs, name) and not _balanced(target, pairs, name):
            issues.append(Issue(f"unbalanced-{name}", found=target))
    return issues


def _balanced(text: str, pairs: dict, name: str) -> bool:
    if name == "quotes" and text.count('"') % 2:
        return False
    if not any(mark in text for marks in pairs.items() for mark in marks):  # (most text: none to match)
        return True
    stack = []
    closers = {close: open_ for open_, close in pairs.items()}
    for char in text:
        if char in pairs:
            stack.append(char)
        elif char in closers and (not stack or stack.pop() != closers[char]):
            return False
    return not stack


def latin_words(source: str, target: str, context: Context) -> list[Issue]:
    """English words left in the Arabic, other than do-not-translate terms, URLs and e-mails; a
    translation mostly in Latin script is one ``english-draft`` issue instead."""
    drafted = english_draft(source, target, context)
    if drafted or not re.search("[\u0600-\u06ff]", target):
        return drafted  # (no Arabic at all and the English itself: untranslated() reports that)
    allowed = context.latin_allowed
    words = [w for w in dict.fromkeys(_LATIN_WORD.findall(_unprotected(target))) if w.lower() not in allowed]
    if not words:
        return []
    shown = ", ".join(words[:_MOST_SHOWN]) + (f" and {len(words) - _MOST_SHOWN} more"
                                             if len(words) > _MOST_SHOWN else "")
    return [Issue("latin-word", term=shown, found=" ".join(words))]


_MOST_SHOWN = 5  # Latin words a latin-word issue names
_ENGLISH_LETTERS = 8  # Latin letters (and more of them than Arabic ones) that make a draft English


def english_draft(source: str, target: str, context: Context) -> list[Issue]:
    """A translation mostly in Latin script (beyond URLs, e-mails, numbers and do-not-translate
    terms): a draft the model left in English, as small models often do."""
    text = _unprotected(target)
    latin = sum(len(word) for word in _LATIN_WORD.findall(text) if word.lower() not in context.latin_allowed)
    arabic = len(_ARABIC_LETTER.findall(text))
    if latin >= _ENGLISH_LETTERS and latin > arabic and target.strip() != source.strip():  # (same text: untranslated)
        return [Issue("english-draft", found=f"{latin * 100 // (latin + arabic)}%")]
    return []


def repeated_words(source: str, target: str, context: Context) -> list[Issue]:
    """The same words three times or more in a row ("قال إن قال إن قال إن"), where the English
    has no such run: a known failure of small models."""
    found = _repeated_run(re.findall(r"\w+", target))
    if found and not _repeated_run(re.findall(r"\w+", source.lower())):
        return [Issue("repeated-words", term=found)]
    return []


def failures(source: str, draft: str, context: Context) -> list[Issue]:
    """What makes a machine draft worth translating again: left in English, or looping."""
    return english_draft(source, draft, context) or repeated_words(source, draft, context)


_REPEATS = 3  # times in a row that make a run of words a loop
_LONGEST_REPEATED = 4  # words in the longest run looked for


def _repeated_run(words: list[str]) -> str:
    """The first run of 1 to 4 words repeated three times or more in a row, or ''."""
    counts = Counter(words)
    if not counts or max(counts.values()) < _REPEATS:  # the usual sentence: no word three times
        return ""
    for size in range(1, _LONGEST_REPEATED + 1):
        for start in range(len(words) - _REPEATS * size + 1):
            if counts[words[start]] < _REPEATS:
                continue
            gram = words[start:start + size]
            if all(words[start + times * size:start + (times + 1) * size] == gram for times in range(1, _REPEATS)):
                return " ".join(gram)
    return ""


def question_marks(source: str, target: str, context: Context) -> list[Issue]:
    """Arabic uses ؟: a Latin question mark outside URLs is a slip."""
    if "?" in _unprotected(target):
        return [Issue("question-mark", expected="\u061f", found="?")]
    return []


def length_ratio(source: str, target: str, context: Context) -> list[Issue]:
    """A translation far shorter or longer than its English (dropped or invented text)."""
    if len(source) < _SHORTEST_FOR_RATIO:
        return []
    ratio = round(len(target) / len(source), 2)
    if ratio < MIN_RATIO or ratio > MAX_RATIO:
        return [Issue("length-ratio", found=f"{ratio:.2f}")]
    return []


_BIDI_CONTROLS = re.compile("[\u202a-\u202e]")
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hidden_characters(source: str, target: str, context: Context) -> list[Issue]:
    """Invisible characters that change what readers see: bidi embeddings and overrides
    (U+202A-U+202E can reorder or disguise the text around them) and control characters.
    The marks a translator types on purpose (U+200E/U+200F, isolates U+2066-U+2069) are fine."""
    issues = []
    for name, pattern in (("bidi-control", _BIDI_CONTROLS), ("control-character", _CONTROL_CHARACTERS)):
        found = sorted(set(pattern.findall(target)) - set(pattern.findall(source)))
        if found:
            issues.append(Issue(name, term=", ".join(f"U+{ord(c):04X}" for c in found), found="".join(found)))
    return issues


def kept(source: str, target: str) -> list[Issue]:
    """What a machine draft must keep from the English: numbers, placeholders, URLs, e-mails."""
    return numbers(source, target, Context()) + protected_items(source, target, Context())


# (latin_words reports english-draft too: one pass over the Latin)
CHECKS = (numbers, protected_items, placeholder_order, untranslated, repeated_words, balance, latin_words,
          question_marks, length_ratio, hidden_characters)
