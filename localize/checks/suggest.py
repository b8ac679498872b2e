"""Candidate glossary terms: the names and common nouns that recur in articles and reviewed
POs but the glossary lacks.

A name is a run of capitalised words (with the lower-case links names have:
"Supreme National Security Council", "bin Salman", "Mohammed Shia al-Sudani"),
or an acronym (IMIS, SNSC, U.S.).  What news copy puts around names is taken
off: a title and what qualifies it ("Iranian President Masoud Pezeshkian" ->
"Masoud Pezeshkian"; Prime Minister, Foreign Minister, Gen., Sheikh, Ayatollah,
Mr ...), a dateline ("BAGHDAD (Reuters) - ..."); "X and Y" are two names unless
the first is an institution's ("Ministry of Culture and Tourism").  A single
capitalised word at the start of a sentence is a name only where it is also
capitalised mid-sentence, or where it is never written in lower case in the
articles read and is no English word ("Hezbollah said ...").  Days, months and
the like are not names.

A common-noun term is a lower-case noun or noun phrase ("militia", "prime
minister", "security forces") that recurs across the articles (in one article
read alone: three times): no stop word, adverb or verb form; plurals count for
the singular; a title written as one ("the Prime Minister said") counts too.

Candidates the glossary already finds are left out; the rest are ranked by how
many articles they occur in, then how often, so the terminologist sees first
what recurs most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from localize.engines.protect import blank_markup

_ABBREVIATED = r"(?:Gen|Lt|Col|Maj|Brig|Sgt|Capt|Cmdr|Adm|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Prof|Rev|St|Jr|Sr)\."
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")  # U.S., U.N.
_ARTICLED = r"(?:a[dlnrstz]|ash|el)-[A-Z][\w'\u2019-]*"  # al-Sudani, ash-Sharaa: a name, lower-case as it is
_CAPITAL = rf"(?:{_ABBREVIATED}|{_DOTTED.pattern}|{_ARTICLED}|[A-Z][\w'\u2019-]*)"
_LINK = r"(?:of|for|and|the|al|el|bin|ibn|de|du|von|van)"
_NAME = re.compile(rf"(?<![\w'\u2019.-]){_CAPITAL}(?:(?:\s+{_LINK})*\s+{_CAPITAL})*")
_ACRONYM = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9&]{1,9}(?![\w-])")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_COMPOUND = re.compile(r"[A-Z][\w'\u2019]*(?:-[\w'\u2019]+)*-[a-z]+")  # Iran-backed, Shia-dominated
_QUOTATION = re.compile(r"(?:\u201c|(?:^|(?<=[\s(\u2014]))\")\s*")  # an opening quotation mark
_CAPITALISED_ARTICLE = re.compile(r"(?:Al|El)-(?=[A-Z])")
# A dateline: a city in capitals, perhaps ", Country" or a date, perhaps "(Agency)", then a dash.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z'\u2019.-]{2,}(?:\s+[A-Z][A-Z'\u2019.-]+)*(?:,[^-\u2013\u2014()]{1,40}?)?"
                       r"\s*(?:\([^()]{1,40}\)\s*)?[-\u2013\u2014]+\s+")
_WORD = re.compile(r"[A-Za-z]+(?:[-'\u2019][A-Za-z]+)*")
_COMMON = frozenset("""
    I A An The This That These Those It Its He She They We You His Her Their Our My
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December But And Or If In On At As By For From To Of With After
    Before When While Since Although However Meanwhile Also Yet So Still Last Next First Read More
""".split())
# Titles: a head ("Minister") with the words that may come before it ("Prime", "Foreign").
_TITLE_HEADS = frozenset("""
    President Minister Premier Secretary Secretary-General Leader General Gen. Lt. Maj. Brig. Col. Capt. Sgt. Adm.
    Cmdr. Lieutenant Colonel Brigadier Commander Sheikh Shaikh Sheik Ayatollah Hojatoleslam Sayyed Sayyid Imam
    Cleric Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof. King Queen Prince Princess Emir Sultan Speaker Chancellor Senator
    Sen. Rep. Governor Gov. Mayor Ambassador Envoy Spokesman Spokeswoman Pope Judge Chairman Chairwoman Chief
""".split())
_TITLE_MODIFIERS = frozenset("""
    Vice Prime Deputy Foreign Defence Defense Interior Finance Oil Health Justice Economy Trade Energy Education
    Supreme Grand Crown Acting Interim Former Major Field Army Parliament Parliamentary Senate House Security
    Opposition Majority Minority
""".split())
_TITLE_OF = frozenset("State Defense Defence Staff".split())  # Secretary of State, Chief of Staff
_HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof.".split())
# A name ending in one of these is an institution's: no title to take off ("General Assembly").
_INSTITUTIONS = frozenset("""
    Council Assembly Ministry Office Department Committee Commission Court Party Forces Force Army Guard Guards
    Corps Agency Authority Union Organization Organisation Movement Front Brigade Brigades Battalion Unit Units
    Command Bank Company University Mosque Palace House Affairs Service Services Group Network Alliance Coalition
    Administration Government Cabinet Parliament Senate Congress Conference Summit Foundation Institute Center
    Centre Airport Square Street Mobilization Crescent Province Governorate City Airlines News
""".split())
# Lower-case words that are no term of their own: function words, reporting verbs, vague nouns.
_STOP = frozenset("""
    a an the and or but nor so yet for of in on at to from by with about above across after against along among
    around as before behind below beneath beside between beyond during except inside into like near off onto out
    outside over past since than through throughout till toward towards under underneath until unlike up upon via
    within without i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those who whom whose which what whatever whoever where when why how there here all any both
    each either every few many more most much neither no none not only other others own same several some such
    very too also just even still already again ever never always often sometimes soon now then once perhaps
    rather quite almost enough instead however therefore thus although though because while whether if unless
    be am is are was were been being have has had having do does did doing done will would shall should can could
    may might must ought say says said saying tell tells told ask asks asked add adds added note notes noted
    claim claims claimed call calls called make makes made take takes took taken give gives gave given get gets
    got come comes came go goes went gone see sees saw seen know knows knew known think thinks thought seem seems
    seemed show shows showed shown use uses want wants wanted need needs needed keep keeps kept let lets put puts
    set sets begin began begun become becomes became remain remains remained include includes including expect
    expects according accept accepts reported report reports believe believes believed help helps held hold holds
    one two three four five six seven eight nine ten hundred thousand million billion first second third last
    next new old former latest recent many much great good bad big small large long high low major minor top
    year years month months week weeks day days today yesterday tomorrow time times way ways thing things lot
    lots part parts number kind sort back away down forward further people person man men woman women member
    members group side sides end
    case cases fact point points place places area areas home world life lives word words statement statements
    news report reporter source sources official officials percent per cent itself himself herself themselves
    ourselves yourself act acts north south east west senior junior
""".split())
_NOT_NOUN_ENDINGS = ("ly", "ed", "ing")
_ADJECTIVE_ENDINGS = ("ous", "ful", "ive", "able", "ible", "less", "ical", "ional", "ntial", "ish", "est", "ern")
_LEAST_ALONE = 3  # times a common noun recurs in an article read alone to be proposed
_SHORTEST = 3  # letters of a word that may be a term or a name on its own


@dataclass
class Candidate:
    term: str
    kind: str  # "name", "acronym" or "term" (a common noun)
    count: int = 0
    articles: list = field(default_factory=list)
    example: str = ""


@dataclass
class _Noun:
    """The occurrences of a common noun, by its singular."""

    count: int = 0
    articles: list = field(default_factory=list)
    forms: Counter = field(default_factory=Counter)  # as written, lower case
    examples: dict = field(default_factory=dict)  # a form -> its first sentence
    covered: int = 0  # occurrences inside a longer phrase that is proposed (set at the end)
    inside: list = field(default_factory=list)  # for each occurrence, the longer phrases around it


def candidates(sentences, index) -> list[Candidate]:
    """``sentences``: (article, sentence) pairs; ``index``: the glossary's TermIndex."""
    found: dict[str, Candidate] = {}
    openers: dict[str, list[tuple[str, str]]] = {}  # a capitalised word that started a sentence: where
    nouns: dict[str, _Noun] = {}
    lower: set[str] = set()  # every word written in lower case
    order: dict[str, int] = {}
    for article, sentence in sentences:
        order.setdefault(article, len(order))
        example = " ".join(sentence.split())
        text = _DATELINE.sub(lambda match: " " * len(match.group()), blank_markup(sentence), count=1)
        for term, kind in _names(text, _openings(text)):
            if kind == "opener":
                openers.setdefault(term, []).append((article, example))
            elif kind == "title":
                _count_noun(nouns, term.split(), article, example, written=False)
            elif term not in _COMMON:
                _add(found, term, kind, article, example)
        for words, inside in _lower_case_phrases(text, lower):
            _count_noun(nouns, words, article, example, inside=inside)
    for word, seen in openers.items():  # "Hezbollah said": a name though it starts every sentence it is in
        if word in found or _only_a_name(word, lower):
            for article, example in seen:
                _add(found, word, "name", article, example)
    found.update(_common_nouns(nouns, len(order)))
    known_cache: dict[str, bool] = {}
    result = [candidate for term, candidate in found.items() if not _known(term, index, known_cache)]
    for candidate in result:
        candidate.articles.sort(key=order.__getitem__)
    return sorted(result, key=lambda c: (-len(c.articles), -c.count, -len(c.term.split()), c.term))


def _add(found: dict[str, Candidate], term: str, kind: str, article: str, example: str) -> None:
    candidate = found.setdefault(term, Candidate(term, kind, example=example))
    candidate.count += 1
    if article not in candidate.articles:
        candidate.articles.append(article)


def _known(term: str, index, cache: dict[str, bool]) -> bool:
    """Whether the glossary finds the whole term already."""
    if term not in cache:
        known = index.find(term)
        cache[term] = bool(known) and known[0].start == 0 and known[0].end >= len(term)
    return cache[term]


# --- names ---------------------------------------------------------------------

def _openings(text: str) -> set[int]:
    """Where sentences start: the text's first word, and the first word of a quotation."""
    first = len(text) - len(text.lstrip(" \"'\u201c\u2018(-\u2014"))
    return {first} | {match.end() for match in _QUOTATION.finditer(text)}


def _names(text: str, openings: set[int]):
    for match in _NAME.finditer(text):
        run: list[str] = []
        first = match.start() in openings
        for word in match.group().split():  # a possessive ends a name: "Iran's | Supreme ... Council"
            if _COMPOUND.fullmatch(word):  # "Iran-backed", "Shia-dominated": an adjective, no name
                yield from _name(run, first) if run else ()
                run, first = [], False
                continue
            run.append(word)
            if _POSSESSIVE.search(word) and not _DOTTED.fullmatch(word):
                yield from _name(run, first)
                run, first = [], False
        if run:
            yield from _name(run, first)
        if len(match.group().split()) > 1:  # acronyms inside a longer run: "SNSC Secretary Ali Shamkhani"
            for word in match.group().split():
                acronym = _POSSESSIVE.sub("", word) if not _DOTTED.fullmatch(word) else word
                if _DOTTED.fullmatch(acronym) or _ACRONYM.fullmatch(acronym):
                    yield acronym, "acronym"


def _name(words: list[str], opening: bool):
    words = list(words)
    words[-1] = _POSSESSIVE.sub("", words[-1]) if not _DOTTED.fullmatch(words[-1]) else words[-1]
    while words and words[0] in _COMMON:  # "The Iranian Militias" -> "Iranian Militias"
        words.pop(0)
        opening = False
    while words and words[-1] in _COMMON:  # "on Facebook Saturday" -> "Facebook"
        words.pop()
    for part in _parts(words):
        yield from _person_or_thing(part, opening)
        opening = False


def _parts(words: list[str]) -> list[list[str]]:
    """"Iran and Iraq" are two names; "Ministry of Culture and Tourism" is one."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word == "and" and parts[-1] and not {"of", "for"} & set(parts[-1]):
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


def _person_or_thing(words: list[str], opening: bool):
    stripped = _without_title(words)
    if stripped is not None:  # "Prime Minister Haider al-Abadi", "the Prime Minister said": the title
        phrase = " ".join(_title_of(words)).lower()  # is a term too ("prime minister")
        if phrase not in _HONORIFICS and "." not in phrase:
            yield phrase, "title"
    if stripped is not None and not stripped:
        return
    if stripped:
        words, opening = stripped, False
    while words and re.fullmatch(_LINK, words[-1]):
        words.pop()
    while words and re.fullmatch(_LINK, words[0]):
        words.pop(0)
    if not words:
        return
    if len(words) == 1:
        word = _CAPITALISED_ARTICLE.sub(lambda match: match.group().lower(), words[0])  # Al-Sudani: al-Sudani
        if _DOTTED.fullmatch(word) or _ACRONYM.fullmatch(word):
            yield word, "acronym"
        elif word != words[0]:
            yield word, "name"
        elif opening:  # capitalised, perhaps, because it is first: decided once all is read
            yield word, "opener"
        else:
            yield word, "name"
        return
    yield " ".join(words), "name"


def _title_at(words: list[str], start: int) -> int:
    """The index after a title starting at ``start`` (a head, the modifiers before it, "of State"
    after it), or ``start`` if there is none."""
    end, position = start, start
    while position < len(words):
        word = words[position]
        if word in _TITLE_HEADS:
            position += 1
            if words[position:position + 1] == ["of"] and words[position + 1:position + 2] and \
                    words[position + 1] in _TITLE_OF:
                position += 2
            end = position
        elif word in _TITLE_MODIFIERS:
            position += 1
        else:
            break
    return end


def _title_span(words: list[str]) -> tuple[int, int] | None:
    """Where the title is in a run: at its start, or after up to two qualifying words
    ("Iranian President", "U.S. Defense Secretary"), or None."""
    for start in range(min(3, len(words))):
        end = _title_at(words, start)
        if end > start:
            return start, end
        if words[start] in _TITLE_HEADS or words[start] in _TITLE_MODIFIERS:
            return None  # a modifier without a head: "Supreme National Security Council"
    return None


def _without_title(words: list[str]) -> list[str] | None:
    """The words after the title (empty for a title alone), or None if there is no title to take
    off ("General Assembly" ends as an institution does: it is no title)."""
    span = _title_span(words)
    if span is None:
        return None
    rest = words[span[1]:]
    while rest and re.fullmatch(_LINK, rest[0]):
        rest = rest[1:]
    if rest and rest[-1] in _INSTITUTIONS:
        return None
    return rest


def _title_of(words: list[str]) -> list[str]:
    span = _title_span(words)
    return words[span[0]:span[1]] if span else []


def _only_a_name(word: str, lower: set[str]) -> bool:
    """A capitalised word seen only at the start of sentences is a name if it is never written
    in lower case and is no English word ("Hezbollah"; not "Calls", "Despite")."""
    plain = word.lower()
    if word in _COMMON or plain in _STOP or plain in lower or not word.isalpha() or len(word) < _SHORTEST:
        return False
    from localize.checks.glossary import _english_words  # (loaded once, for the glossary too)

    return not any(form in _english_words() for form in _stems(plain))


def _stems(word: str) -> list[str]:
    forms = [word]
    for ending, replacements in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ed", ("", "e")),
                                 ("ing", ("", "e")), ("ly", ("",))):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms += [word[:-len(ending)] + replacement for replacement in replacements]
    return forms


# --- common nouns ----------------------------------------------------------------

def _lower_case_phrases(text: str, lower: set[str]):
    """(words, longer phrases around them) of each noun or noun phrase of up to three lower-case
    words, in runs of lower-case words that no punctuation breaks; every lower-case word goes
    into ``lower``."""
    runs: list[list[str]] = [[]]
    end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.islower() or text[end:match.start()].strip():
            runs.append([])
        end = match.end()
        if not word.islower():
            continue
        plain = _POSSESSIVE.sub("", word)
        lower.add(plain)
        runs[-1].append(plain)
        if plain != word:  # "the country's parliament": the possessive ends the phrase
            runs.append([])
    for run in runs:
        phrases = {(start, size): run[start:start + size] for size in (1, 2, 3) for start in range(len(run) - size + 1)
                   if _nouny(run[start:start + size])}
        for (start, size), words in phrases.items():
            inside = [" ".join(_singular_phrase(longer)) for (at, length), longer in phrases.items()
                      if length > size and at <= start and start + size <= at + length] if size == 1 else []
            yield words, inside


def _nouny(words: list[str]) -> bool:
    if any(word in _STOP or len(word) < _SHORTEST or word.endswith("ly") or not word.replace("-", "").isalpha()
           for word in words):
        return False
    last = words[-1]
    if last.endswith(_NOT_NOUN_ENDINGS):
        return False
    return len(words) > 1 or not last.endswith(_ADJECTIVE_ENDINGS)


def _singular(word: str) -> str:
    for ending, replacement in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[:-len(ending)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > _SHORTEST:
        return word[:-1]
    return word


def _singular_phrase(words: list[str]) -> list[str]:
    return [*words[:-1], _singular(words[-1])]


def _count_noun(nouns: dict[str, _Noun], words: list[str], article: str, example: str,
                written: bool = True, inside: list | None = None) -> None:
    key = " ".join(_singular_phrase(words))
    noun = nouns.setdefault(key, _Noun())
    noun.count += 1
    if article not in noun.articles:
        noun.articles.append(article)
    noun.inside.append(inside or [])
    if written:  # in lower case in the text (not a title written as a name)
        form = " ".join(words)
        noun.forms[form] += 1
        noun.examples.setdefault(form, example)


def _common_nouns(nouns: dict[str, _Noun], articles: int) -> dict[str, Candidate]:
    def recurs(noun: _Noun) -> bool:
        if not noun.forms:  # only ever a title written as a name
            return False
        return len(noun.articles) > 1 if articles > 1 else noun.count >= _LEAST_ALONE

    phrases = {key for key, noun in nouns.items() if " " in key and recurs(noun)}
    proposed: dict[str, Candidate] = {}
    for key, noun in nouns.items():
        if not recurs(noun):
            continue
        covered = sum(1 for around in noun.inside if phrases.intersection(around))
        if " " not in key and covered * 2 >= noun.count:  # "minister": mostly in "prime minister"
            continue
        form = key if key in noun.forms else noun.forms.most_common(1)[0][0]
        proposed[form] = Candidate(form, "term", noun.count, list(noun.articles), noun.examples[form])
    return proposed
