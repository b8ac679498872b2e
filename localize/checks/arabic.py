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
name "سورية".  But a name's nisba adjective stands for it in natural Arabic
("Iraq's prime minister" is "رئيس الوزراء العراقي"): ``find_nisba`` finds the
adjective derived from the approved name by rule, in every gender, number and
definiteness, with the same clitics.
"""

from __future__ import annotations

import re
from functools import lru_cache

from localize.checks import morphology

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # incl. tatweel
_LETTERS = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
                          "\u0649": "\u064a", "\u0629": "\u0647", "\u06cc": "\u064a", "\u06a9": "\u0643",
                          # digits as ASCII (إف-٣٥ is إف-35), a hyphen as a space (إف 35 is إف-35)
                          **{chr(0x0660 + n): str(n) for n in range(10)},
                          **{chr(0x06f0 + n): str(n) for n in range(10)},
                          "-": " ", "\u2010": " ", "\u2011": " "})
ARTICLE = "\u0627\u0644"


def normalize(text: str) -> str:
    """Diacritics and tatweel removed; أ إ آ ٱ -> ا, ى -> ي, ة -> ه; Arabic-Indic digits as ASCII,
    a hyphen as a space (one character for one: offsets stay)."""
    return _DIACRITICS.sub("", text).translate(_LETTERS)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset in ``text``."""
    if not _DIACRITICS.search(text):  # the usual case: one character for one
        return text.translate(_LETTERS), list(range(len(text)))
    kept: list[str] = []
    offsets: list[int] = []
    for run in _KEPT_RUN.finditer(text):  # runs between diacritics, at C speed
        kept.append(run.group())
        offsets.extend(range(run.start(), run.end()))
    return "".join(kept).translate(_LETTERS), offsets


_KEPT_RUN = re.compile("[^\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")


@lru_cache(maxsize=65536)
def _form_words(form: str) -> tuple[str, ...]:
    return tuple(normalize(form).split())


def find_form(normalized_text: str, form: str, common_noun: bool = False,
              regular_plural: bool = True) -> list[tuple[int, int]]:
    """Spans (in the normalised text) where ``form`` occurs as whole words, clitics allowed.

    A plain scan for the form's first word (no regular expression to build for
    each of a glossary's thousands of forms): each hit is checked for a clitic
    before it, the form's other words after it, and a word's end."""
    if common_noun:  # a common noun inflects: its forms are derived by rule (morphology)
        words = _form_words(form)
        return morphology.find(normalized_text, words, regular_plural) if words else []
    shape = _form_shape(form, common_noun)
    if shape is None:
        return []
    core, rest, prefixes, endings = shape
    spans: list[tuple[int, int]] = []
    length = len(normalized_text)
    position = normalized_text.find(core)
    while position >= 0:
        start = position
        while start > 0 and _word_character(normalized_text[start - 1]):
            start -= 1
        end = position + len(core) if normalized_text[start:position] in prefixes else -1
        for word in rest:
            if end < 0:
                break
            gap = end
            while gap < length and normalized_text[gap].isspace():
                gap += 1
            end = gap + len(word) if gap > end and normalized_text.startswith(word, gap) else -1
        if end >= 0:
            stop = end
            while stop < length and _word_character(normalized_text[stop]):
                stop += 1
            if normalized_text[end:stop] in endings:
                spans.append((start, stop))
        position = normalized_text.find(core, position + 1)
    return spans


def _word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


_CONJUNCTIONS = ("", "\u0648", "\u0641")
_ARTICLE_FORMS = (ARTICLE, "\u0628" + ARTICLE, "\u0643" + ARTICLE, "\u0644\u0644")
_PREPOSITIONS = ("", "\u0628", "\u0643", "\u0644")
_SUFFIX_LIST = ("\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u0647\u0646",
                "\u0643\u0645", "\u0646\u0627")


@lru_cache(maxsize=65536)
def _form_shape(form: str, common_noun: bool) -> tuple[str, tuple[str, ...], frozenset[str], frozenset[str]] | None:
    """(first word less its article, the other words, the prefixes the first word may take,
    the endings the last word may take after what is matched of it)."""
    words = normalize(form).split()
    if not words:
        return None
    endings = frozenset({""})
    if common_noun:  # pronoun suffixes; a final ة becomes ت before one (حكومة -> حكومته)
        if words[-1].endswith("\u0647") and len(words[-1]) > 1:
            words[-1] = words[-1][:-1]
            endings = frozenset({"\u0647", *("\u062a" + suffix for suffix in _SUFFIX_LIST)})
        else:
            endings = frozenset({"", *_SUFFIX_LIST})
    first = words[0]
    heads: tuple[str, ...]
    if first.startswith(ARTICLE) and len(first) > len(ARTICLE):
        core, heads = first[len(ARTICLE):], _ARTICLE_FORMS
    elif common_noun:
        core, heads = first, _PREPOSITIONS + _ARTICLE_FORMS
    else:
        core, heads = first, _PREPOSITIONS
    prefixes = frozenset(conjunction + head for conjunction in _CONJUNCTIONS for head in heads)
    return core, tuple(words[1:]), prefixes, endings


_SHORTEST_NAME = 3  # letters (less the article) of a name that has a nisba adjective


def nisba_stem(name: str) -> str | None:
    """The masculine nisba adjective of a one-word name, normalised: إيران -> ايراني,
    العراق -> عراقي, سوريا / سورية -> سوري, تركيا -> تركي, فرنسا -> فرنسي, اليمن -> يمني,
    السعودية -> سعودي.  None for a name of several words or under three letters."""
    words = normalize(name).split()
    if len(words) != 1:
        return None
    word = words[0]
    if word.startswith(ARTICLE) and len(word) - len(ARTICLE) >= _SHORTEST_NAME:
        word = word[len(ARTICLE):]
    if len(word) < _SHORTEST_NAME:
        return None
    if word.endswith("\u064a\u0627") or word.endswith("\u064a\u0647"):  # سوريا, سورية -> سوري
        return word[:-1]
    if word.endswith(("\u0627", "\u0647")):  # فرنسا -> فرنسي
        return word[:-1] + "\u064a"
    return word if word.endswith("\u064a") else word + "\u064a"


# What may stand before a nisba adjective in its word: و/ف, then ب/ك/ل or the article.
_NISBA_PREFIXES = frozenset(conjunction + rest for conjunction in ("", "\u0648", "\u0641")
                            for rest in ("", "\u0628", "\u0643", "\u0644", ARTICLE, "\u0628" + ARTICLE,
                                         "\u0643" + ARTICLE, "\u0644\u0644"))
_NISBA_SUFFIXES = ("", "\u0647", "\u064a\u0646", "\u0648\u0646", "\u0627\u0646", "\u062a\u0627\u0646",
                   "\u062a\u064a\u0646", "\u0627\u062a", "\u0627")  # ... and the accusative tanween (إيرانياً)


@lru_cache(maxsize=65536)
def _cached_stem(name: str) -> str | None:
    return nisba_stem(name)


def find_nisba(normalized_text: str, name: str) -> list[tuple[int, int]]:
    """Spans (in the normalised text) of the nisba adjective of ``name``: والإيرانية, العراقيين ...

    A plain scan for the stem (no regular expression to build per name): each
    hit is the adjective when the rest of its word is a clitic before it and
    an ending after it."""
    stem = _cached_stem(name)
    if stem is None:
        return []
    return [span for each in morphology.nisba_stems(stem) for span in _find_stem(normalized_text, each)]


def _find_stem(normalized_text: str, stem: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = normalized_text.find(stem)
    while position >= 0:
        start = position
        while start > 0 and normalized_text[start - 1].isalnum():
            start -= 1
        end = position + len(stem)
        while end < len(normalized_text) and normalized_text[end].isalnum():
            end += 1
        if normalized_text[start:position] in _NISBA_PREFIXES \
                and normalized_text[position + len(stem):end] in _NISBA_SUFFIXES:
            spans.append((start, end))
        position = normalized_text.find(stem, position + 1)
    return spans


# --- nisba adjectives of place names ----------------------------------------------------------

# Regions the news names often that are no country in CLDR (which Babel gives) but take a nisba.
_REGIONS = frozenset({"كردستان", "غزه", "سيناء", "دارفور", "كشمير", "القرم", "تيغراي", "بلوشستان", "الجليل",
                      "الاحواز", "الانبار", "البصره", "الموصل", "بغداد", "دمشق", "حلب", "القدس", "طهران"})


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset, frozenset]:
    """Country names (CLDR, through Babel): English names, and Arabic names normalised."""
    from babel import Locale

    english = frozenset(name.lower() for name in Locale("en").territories.values())
    arabic_names = frozenset(normalize(name) for name in Locale("ar").territories.values())
    return english, arabic_names | _REGIONS


@lru_cache(maxsize=65536)
def is_place(source: str, target: str) -> bool:
    """Whether a term names a country or a region (its nisba adjective may stand for it: "Iraq's
    prime minister" is رئيس الوزراء العراقي), or is such an adjective itself (Shia, شيعي), rather
    than an organisation, a brand or a person, whose "nisba" is another word (حماسية is
    "enthusiastic", not "of Hamas")."""
    english, arabic_names = _places()
    name = normalize(target)
    if name.endswith("ي") and " " not in name:  # an adjective already (شيعي، كردي): it inflects as one
        return True
    return source.lower() in english or name in arabic_names or (
        name.startswith("ال") and name[2:] in arabic_names) or ("ال" + name) in arabic_names


# Latin punctuation a draft's Arabic takes in Arabic form: ? ; and a comma not between digits
# (1,200 keeps its comma); a doubled question mark (؟? some models write) becomes one.
_LATIN_PUNCTUATION = re.compile("[?\u061f]+|;|(?<!\\d),|,(?!\\d)")
_ARABIC_FORM = {";": "\u061b", ",": "\u060c"}


def arabic_punctuation(text: str) -> str:
    """``text`` (a model's words, never a protected item) with Arabic ؟ ، ؛ for ? , ;"""
    return _LATIN_PUNCTUATION.sub(lambda match: _ARABIC_FORM.get(match.group(), "\u061f"), text)
