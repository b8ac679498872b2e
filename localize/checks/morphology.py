"""The regular Arabic word forms of a glossary rendering, derived by rule.

A correct translation inflects the approved form: the article on every word of
a definite noun phrase (صاروخ باليستي -> الصاروخ الباليستي), the dual
(الحكومتان، الحكومتين), sound plurals (الحكومات، المسؤولون، المسؤولين),
pronoun suffixes (حكومتي، حكومتهم), the accusative tanween (اتفاقاً), the
feminine (وزيرة), and the common broken plurals of news nouns, which no rule
derives (سفير -> سفراء: the table below).  A common noun (its English is lower
case) takes all of them; a proper name takes only the clitics (و ف ب ك ل).
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
}


def word_alternatives(word: str, common_noun: bool) -> list[str]:
    """Regex alternatives (normalised, escaped) for one word of a rendering: the word itself,
    and for a common noun its regular inflections and broken plurals, each with an optional
    pronoun suffix where Arabic allows one."""
    if not common_noun or not re.fullmatch(r"[\u0621-\u064a]+", word) or len(word) < _SHORTEST_WORD:
        return [re.escape(word)]
    stems: list[str] = []
    if word.endswith("ه"):  # حكومة: حكومتان/ين, حكومات, حكومتي/هم
        base = word[:-1]
        stems += [word, f"{base}ت(?:ان|ين)", f"{base}ات{_SUFFIX}?", f"{base}ت{_SUFFIX}"]
    elif word.endswith("ا"):  # ميليشيا: ميليشيات
        stems += [word, f"{word}ت{_SUFFIX}?", f"{word}{_SUFFIX}"]
    elif word.endswith("ي"):  # باليستي: باليستية, باليستيان, باليستيون, باليستيات
        stems += [word, f"{word}(?:ه|ا|ان|ين|ون|تان|تين|ات)", f"{word}ت{_SUFFIX}"]
    else:  # اتفاق: اتفاقا, اتفاقان/ين, مسؤولون/ين, تحقيقات; وزير: وزيرة, وزيرتان, وزيرات; a sound
        # plural before a pronoun drops its ن (مفتشيها, مسؤولوهم)
        stems += [f"{word}(?:ا|ان|ين|ون|ات|ه|تان|تين)?", f"{word}{_SUFFIX}", f"{word}ات{_SUFFIX}",
                  f"{word}ت{_SUFFIX}", f"{word}[وي]{_SUFFIX}"]
    for plural in BROKEN_PLURALS.get(word, ()):
        stems.append(f"{re.escape(plural)}{_SUFFIX}?")
    return stems


@lru_cache(maxsize=65536)
def form_regex(form_words: tuple[str, ...], common_noun: bool) -> re.Pattern:
    """The pattern of a rendering (its normalised words) with clitics and inflections: the first
    word takes و/ف, then a preposition or (for a common noun, or a form that has it) the
    article; a later word of a common noun may take the article too (agreement)."""
    first = form_words[0]
    if common_noun:  # with or without the article, whichever the approved form has
        core = first[2:] if first.startswith("ال") and len(first) >= _SHORTEST_WITH_ARTICLE else first
        head = f"{CONJUNCTION}(?:{PREPOSITION}|{ARTICLE_FORMS})"
    elif first.startswith("ال") and len(first) >= _SHORTEST_WITH_ARTICLE:
        core = first[2:]
        # ل + ال + a word starting with ل is written لل + the word's rest (للجنة)
        heads = ARTICLE_FORMS + ("|ل" if core.startswith("ل") else "")
        head = f"{CONJUNCTION}(?:{heads})"
    else:
        core = first
        head = CONJUNCTION + PREPOSITION
    parts = [head + _group(word_alternatives(core, common_noun))]
    for word in form_words[1:]:
        if common_noun or word.startswith("ال"):
            bare = word[2:] if word.startswith("ال") and len(word) >= _SHORTEST_WITH_ARTICLE else word
            parts.append("(?:ال)?" + _group(word_alternatives(bare, common_noun)))
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def _group(alternatives: list[str]) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def find(normalized_text: str, form_words: tuple[str, ...], common_noun: bool) -> list[tuple[int, int]]:
    """Spans of the rendering in normalised text (see ``form_regex``); a text without the
    first word's first letters is passed over without a regular expression."""
    first = form_words[0]
    core = first[2:] if first.startswith("ال") and len(first) >= _SHORTEST_WITH_ARTICLE else first
    anchor = core[:2] if common_noun else core
    if anchor not in normalized_text and not (common_noun and _broken_anchor(core, normalized_text)):
        return []
    return [match.span() for match in form_regex(form_words, common_noun).finditer(normalized_text)]


def _broken_anchor(core: str, text: str) -> bool:
    return any(plural[:2] in text for plural in BROKEN_PLURALS.get(core, ()))


# --- nisba adjectives of place names ----------------------------------------------------------

# Regions the news names often that are no country in CLDR (which Babel gives) but take a nisba.
_REGIONS = frozenset({"كردستان", "غزه", "سيناء", "دارفور", "كشمير", "القرم", "تيغراي", "بلوشستان", "الجليل",
                      "الاحواز", "الانبار", "البصره", "الموصل", "بغداد", "دمشق", "حلب", "القدس", "طهران"})
_STAN = "ستان"


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset, frozenset]:
    """Country names (CLDR, through Babel): English names, and Arabic names normalised."""
    from babel import Locale

    from localize.checks.arabic import normalize

    english = frozenset(name.lower() for name in Locale("en").territories.values())
    arabic_names = frozenset(normalize(name) for name in Locale("ar").territories.values())
    return english, arabic_names | _REGIONS


def is_place(source: str, target: str) -> bool:
    """Whether a term names a country or a region (its nisba adjective may stand for it: "Iraq's
    prime minister" is رئيس الوزراء العراقي), or is such an adjective itself (Shia, شيعي), rather
    than an organisation, a brand or a person, whose "nisba" is another word (حماسية is
    "enthusiastic", not "of Hamas")."""
    from localize.checks.arabic import normalize

    english, arabic_names = _places()
    name = normalize(target)
    if name.endswith("ي") and " " not in name:  # an adjective already (شيعي، كردي): it inflects as one
        return True
    return source.lower() in english or name in arabic_names or (
        name.startswith("ال") and name[2:] in arabic_names) or ("ال" + name) in arabic_names


def nisba_stems(stem: str) -> tuple[str, ...]:
    """The nisba stems of a name's adjective: the regular one, and for a name in -stan also the
    people's name (أفغانستان -> أفغاني, الأفغان; باكستان -> باكستاني)."""
    if stem.endswith(_STAN + "ي") and len(stem) > len(_STAN) + 3:
        people = stem[:-len(_STAN) - 1]
        return stem, people + "ي", people
    return (stem,)
