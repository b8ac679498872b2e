"""The regular Arabic word forms of a glossary rendering, derived by rule.

A correct translation inflects the approved form: the article on every word of
a definite noun phrase (صاروخ باليستي -> الصاروخ الباليستي), the dual
(الحكومتان، الحكومتين), sound plurals (الحكومات، المسؤولون، المسؤولين),
pronoun suffixes (حكومتي، حكومتهم), the accusative tanween (اتفاقاً), the
feminine (وزيرة), and the common broken plurals of news nouns, which no rule
derives (سفير -> سفراء: the table below).  A common noun (its English is lower
case) takes all of them; a proper name takes only the clitics (و ف ب ك ل) and is
matched by ``arabic.find_form`` without this module.
Everything is matched on ``arabic.normalize``d text (no diacritics, ة as ه,
Arabic-Indic digits as ASCII, a hyphen as a space).

Why rules and not a stemmer: on the desk's terminology cases (``bench/terminology.py``)
Snowball's and NLTK's ISRI Arabic stemmers, used as the matcher, raise more false
alarms than these rules (a stem drops too much: حماسية "enthusiastic" and حماس
"Hamas" share a stem; وزراء and وزير do not), and neither derives a form: they
can only compare two words.
"""

from __future__ import annotations

import re
from functools import lru_cache

SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ي")
_SUFFIX = "(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + ")"
CONJUNCTION = "[وف]?"
PREPOSITION = "[بكل]?"
ARTICLE_FORMS = "(?:ال|[بك]ال|لل)"
_SHORTEST_WORD = 2  # letters of a word that inflects
_SHORTEST_WITH_ARTICLE = 4  # ال and two letters at least: الم is no article and a word

# Broken plurals of nouns the desk's news uses often (normalised: ة as ه, أ/إ/آ as ا).  A
# plural no rule derives; a glossary may list others as variants.
BROKEN_PLURALS = {
    "سفير": ("سفراء",), "طفل": ("اطفال",), "وزير": ("وزراء",), "قائد": ("قاده",), "زعيم": ("زعماء",),
    "صاروخ": ("صواريخ",), "جندي": ("جنود",), "مدينه": ("مدن",), "دوله": ("دول",), "حزب": ("احزاب",),
    "شخص": ("اشخاص",), "عضو": ("اعضاء",), "سلاح": ("اسلحه",), "رئيس": ("رؤساء",), "نائب": ("نواب",),
    "جيش": ("جيوش",), "قاعده": ("قواعد",), "شهيد": ("شهداء",), "سجين": ("سجناء",), "عالم": ("علماء",),
    "مبعوث": ("مبعوثون",), "زعيمه": ("زعيمات",), "امير": ("امراء",), "ملك": ("ملوك",), "شيخ": ("شيوخ",),
    "قرار": ("قرارات",), "حدود": ("حدود",), "منطقه": ("مناطق",), "قريه": ("قرى",), "بلد": ("بلدان", "بلاد"),
    "حاكم": ("حكام",), "ضابط": ("ضباط",), "شاهد": ("شهود",), "خبير": ("خبراء",), "مراسل": ("مراسلون",),
    "سياسي": ("ساسه",), "قاض": ("قضاه",), "قاضي": ("قضاه",), "مسلح": ("مسلحون",), "ارهابي": ("ارهابيون",),
    "متمرد": ("متمردون",), "مقاتل": ("مقاتلون",), "صحفي": ("صحفيون",), "لاجئ": ("لاجئون",),
    "طائره": ("طائرات",), "سفينه": ("سفن",), "دبابه": ("دبابات",), "قذيفه": ("قذائف",), "لغم": ("الغام",),
    "هجوم": ("هجمات",), "معركه": ("معارك",), "حرب": ("حروب",), "اتفاق": ("اتفاقات", "اتفاقيات"),
    "مشروع": ("مشاريع", "مشروعات"), "سجن": ("سجون",), "مخيم": ("مخيمات",), "شارع": ("شوارع",),
    "مستشفى": ("مستشفيات",), "مسجد": ("مساجد",), "كنيسه": ("كنائس",), "بنك": ("بنوك",), "مصرف": ("مصارف",),
    "شركه": ("شركات",), "سوق": ("اسواق",), "سعر": ("اسعار",), "حق": ("حقوق",), "قانون": ("قوانين",),
    "مجلس": ("مجالس",), "مكتب": ("مكاتب",), "موقع": ("مواقع",), "مصدر": ("مصادر",), "عقوبه": ("عقوبات",),
    "اسير": ("اسرى",), "نفق": ("انفاق",), "قمر": ("اقمار",), "جسر": ("جسور",), "ميناء": ("موانئ",),
}


def word_alternatives(word: str, regular_plural: bool = True) -> list[str]:
    """Regex alternatives (normalised, escaped) for one word of a common noun's rendering: the
    word itself, its regular inflections and broken plurals, each with an optional pronoun
    suffix where Arabic allows one.  ``regular_plural`` False: the glossary gives the
    word's plural (نفق: أنفاق), so no sound plural is derived (نفقات is "expenses")."""
    if not re.fullmatch(r"[\u0621-\u064a]+", word) or len(word) < _SHORTEST_WORD:
        return [re.escape(word)]
    stems: list[str] = []
    if word.endswith("ه"):  # حكومة: حكومتان/ين, (in a construct) حاملتا, حكومات, حكومتي/هم
        base = word[:-1]
        stems += [word, f"{base}ت(?:ان|ين|ا)", f"{base}ت{_SUFFIX}"]
        stems += [f"{base}ات{_SUFFIX}?"] if regular_plural else []
    elif word.endswith("ا"):  # ميليشيا: ميليشيات
        stems += [word, f"{word}{_SUFFIX}"] + ([f"{word}ت{_SUFFIX}?"] if regular_plural else [])
    elif word.endswith("ي"):  # باليستي: باليستية, باليستيان, باليستيون, باليستيات
        stems += [word, f"{word}(?:ه|ا|ان|ين|ون|تان|تين|تا|ات)", f"{word}ت{_SUFFIX}"]
    else:  # اتفاق: اتفاقا, اتفاقان/ين, مسؤولون/ين, تحقيقات; وزير: وزيرة, وزيرتان, وزيرات; a sound
        # plural before a pronoun drops its ن (مفتشيها, مسؤولوهم)
        endings = "ا|ان|ين|ه|تان|تين|تا" + ("|ون|ات" if regular_plural else "")
        stems += [f"{word}(?:{endings})?", f"{word}{_SUFFIX}", f"{word}ت{_SUFFIX}"]
        stems += [f"{word}ات{_SUFFIX}", f"{word}[وي]{_SUFFIX}"] if regular_plural else []
    for plural in broken_plurals(word):
        stems.append(f"{re.escape(plural)}{_SUFFIX}?")
    return stems


_FAEELA = 5  # letters of فعيلة / فعالة (normalised, ة as ه), whose plural is فعائل


def broken_plurals(word: str) -> tuple[str, ...]:
    """The table's broken plurals of a word, and the فعائل plural of a فعيلة/فعالة noun (رهينة ->
    رهائن, شريحة -> شرائح, رقاقة -> رقائق, قذيفة -> قذائف)."""
    plurals = BROKEN_PLURALS.get(word, ())
    if len(word) == _FAEELA and word.endswith("ه") and word[2] in "يا":
        plurals = (*plurals, word[0] + word[1] + "ائ" + word[3])
    return plurals


def _without_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= _SHORTEST_WITH_ARTICLE else word


@lru_cache(maxsize=65536)
def form_regex(form_words: tuple[str, ...], regular_plural: bool = True) -> re.Pattern:
    """The pattern of a common noun's rendering (its normalised words) with clitics and
    inflections: the first word takes و/ف, then a preposition or the article (with or without
    it, whichever the approved form has); a later word may take the article too (agreement)."""
    head = f"{CONJUNCTION}(?:{PREPOSITION}|{ARTICLE_FORMS})"
    parts = [head + _group(word_alternatives(_without_article(form_words[0]), regular_plural))]
    parts += ["(?:ال)?" + _group(word_alternatives(_without_article(word), regular_plural)) for word in form_words[1:]]
    return re.compile(r"\s+".join(parts) + r"(?!\w)")  # matched at a word's start (``find``)


def _group(alternatives: list[str]) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def find(normalized_text: str, form_words: tuple[str, ...], regular_plural: bool = True) -> list[tuple[int, int]]:
    """Spans of the rendering in normalised text (see ``form_regex``); a text without the
    first word's first letters is passed over without a regular expression."""
    starts = set()
    for anchor in _anchors(form_words[0]):  # a plain scan: no regular expression runs
        position = normalized_text.find(anchor)        # where no form of the term can be
        while position >= 0:
            start = position
            while start > 0 and (normalized_text[start - 1].isalnum() or normalized_text[start - 1] == "_"):
                start -= 1
            starts.add(start)
            position = normalized_text.find(anchor, position + len(anchor))
    if not starts:
        return []
    pattern, spans, reach = form_regex(form_words, regular_plural), [], -1
    for start in sorted(starts):
        match = pattern.match(normalized_text, start) if start >= reach else None
        if match:
            spans.append(match.span())
            reach = match.end()
    return spans


@lru_cache(maxsize=65536)
def _anchors(first: str) -> tuple[str, ...]:
    """What every form of the first word holds: the word less its last letter (which an
    inflection may change: حكومة -> حكومات), and each of its broken plurals."""
    core = _without_article(first)
    stem = core[:-1] if len(core) > _SHORTEST_WORD else core
    return (stem, *broken_plurals(core))


_STAN = "ستان"


def nisba_stems(stem: str) -> tuple[str, ...]:
    """The nisba stems of a name's adjective: the regular one, and for a name in -stan also the
    people's name (أفغانستان -> أفغاني, الأفغان; باكستان -> باكستاني)."""
    if stem.endswith(_STAN + "ي") and len(stem) > len(_STAN) + 3:
        people = stem[:-len(_STAN) - 1]
        return stem, people + "ي", people
    return (stem,)
