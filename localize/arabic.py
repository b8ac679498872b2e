"""Arabic normalisation and clitic-aware matching of glossary renderings.

Arabic attaches conjunctions (و ف), prepositions (ب ك ل) and the article (ال)
to the following word, and writers differ in diacritics, tatweel, hamza on
alef, ى/ي and ة/ه.  A rendering counts as present when it occurs as whole
words after normalising both sides, with these proclitics on its first word:

- a form that starts with the article: و/ف, then ال / بال / كال / لل (ل + ال);
- any other form: و/ف, then ب / ك / ل;
- a common noun (the English term is not a name) may also take the article,
  and pronoun suffixes on its last word (حكومة -> حكومته).

Proper names take no article they do not have: "السورية" (Syrian) is not the
name "سورية".
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # incl. tatweel
_LETTERS = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
                          "\u0649": "\u064a", "\u0629": "\u0647", "\u06cc": "\u064a", "\u06a9": "\u0643"})
ARTICLE = "\u0627\u0644"
_CONJUNCTION = "[\u0648\u0641]?"
_PREPOSITION = "[\u0628\u0643\u0644]?"
_WITH_ARTICLE = "(?:\u0627\u0644|[\u0628\u0643]\u0627\u0644|\u0644\u0644)"
_SUFFIXES = "\u0647|\u0647\u0627|\u0647\u0645|\u0647\u0645\u0627|\u0647\u0646|\u0643\u0645|\u0646\u0627"
_PRONOUN_SUFFIX = f"(?:{_SUFFIXES})?"


def normalize(text: str) -> str:
    """Diacritics and tatweel removed; أ إ آ ٱ -> ا, ى -> ي, ة -> ه."""
    return _DIACRITICS.sub("", text).translate(_LETTERS)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset in ``text``."""
    characters, offsets = [], []
    for offset, character in enumerate(text):
        if _DIACRITICS.match(character):
            continue
        characters.append(character.translate(_LETTERS))
        offsets.append(offset)
    return "".join(characters), offsets


@lru_cache(maxsize=65536)
def form_pattern(form: str, common_noun: bool = False) -> re.Pattern | None:
    """A regex finding ``form`` in normalised text as whole words, clitics allowed."""
    words = normalize(form).split()
    if not words:
        return None
    first, rest = words[0], [re.escape(word) for word in words[1:]]
    if first.startswith(ARTICLE) and len(first) > 2:
        head = _CONJUNCTION + _WITH_ARTICLE + re.escape(first[2:])
    elif common_noun:
        head = _CONJUNCTION + f"(?:{_PREPOSITION}|{_WITH_ARTICLE})" + re.escape(first)
    else:
        head = _CONJUNCTION + _PREPOSITION + re.escape(first)
    body = r"\s+".join([head, *rest])
    if common_noun:
        body = _with_suffixes(body)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def _with_suffixes(body: str) -> str:
    """Pronoun suffixes on the last word; a final ة (normalised ه) becomes ت before them."""
    if body.endswith("\u0647"):
        return body[:-1] + f"(?:\u0647|\u062a(?:{_SUFFIXES}))"
    return body + _PRONOUN_SUFFIX


def find_form(normalized_text: str, form: str, common_noun: bool = False):
    """Spans (in the normalised text) where ``form`` occurs."""
    pattern = form_pattern(form, common_noun)
    if pattern is None:
        return []
    return [match.span() for match in pattern.finditer(normalized_text)]
