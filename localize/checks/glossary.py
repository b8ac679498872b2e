"""The house terminology glossary: load, validate, find terms, verify renderings.

CSV columns: ``source,target,type,forbidden,variants,note`` (UTF-8).  English
terms are found as whole words: acronyms (all capitals) case-sensitively,
other terms case-insensitively; the last word may be plural or possessive
(militias, militia's, Forces'); hyphens and spaces between words are
interchangeable (al-Abadi / al Abadi); the longest match wins.  All terms are
found in one pass per segment through an index keyed by first word, not one
regular expression per term.  Arabic renderings are verified with the
clitic-aware matching of ``localize.checks.arabic``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import compress, pairwise
from typing import NamedTuple

from localize.checks import arabic
from localize.errors import LocalizeError
from localize.engines.protect import blank_markup
from localize.records import Issue
from localize.wording import cut

COLUMNS = ("source", "target", "type", "forbidden", "variants", "note")
TYPES = ("term", "dnt")
_WORD = re.compile(r"[^\W_]+")
# _WORD's words in ASCII text: every byte but a letter or a digit becomes a space, then split
_ASCII_SPACES = bytes(byte if chr(byte).isascii() and chr(byte).isalnum() else ord(" ") for byte in range(256))
_JOINER = re.compile(r"[\s\-\u2010\u2011]+")


@dataclass(frozen=True)
class Term:
    source: str
    target: str = ""
    type: str = "term"
    forbidden: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    note: str = ""
    origin: str = ""  # file:line
    hidden: tuple[str, ...] = field(default=(), compare=False)  # invisible characters taken out of the row

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(_WORD.findall(self.source))

    @cached_property
    def forbidden_forms(self) -> tuple[str, ...]:
        """The forbidden spellings, and for a name written with the article (اليونيسف) each one
        with the article too: لليونيسيف uses the forbidden يونيسيف."""
        if self.common_noun or not arabic.normalize(self.target).startswith(arabic.ARTICLE):
            return self.forbidden
        return (*self.forbidden, *(arabic.ARTICLE + form for form in self.forbidden
                                   if not arabic.normalize(form).startswith(arabic.ARTICLE)))

    @cached_property
    def plural_given(self) -> bool:
        """A common noun of one word whose glossary row gives another one-word form (its plural,
        أنفاق for نفق): Arabic forms it that way, not with a derived sound plural."""
        return self.common_noun and len(self.target.split()) == 1 and any(
            len(form.split()) == 1 and form != self.target for form in self.variants)

    @cached_property
    def common_noun(self) -> bool:
        """A lowercase English term ('militia') is a common noun: Arabic inflects it; one with a
        capitalised word is a name, whatever its particle ('al-Sadr', 'al-Qaeda')."""
        return bool(self.words) and not any(word[:1].isupper() for word in self.words)

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(form for form in (self.target, *self.variants) if form)


_Shape = tuple[tuple[str, ...], str, str]  # what a term has besides its words (see _shape)
_Entry = tuple[tuple[str, ...], Term, _Shape | None]  # a term in the index: its key words, itself, its shape
_MOST_REMEMBERED = 200_000  # words whose terms an index remembers (a bound on its memory)
_NO_ENTRIES: list = []  # the terms of a word that begins none (shared: never changed)


class Match(NamedTuple):
    """A term found in English (a tuple: thousands are made per article)."""

    term: Term
    start: int
    end: int
    text: str


# --- loading -----------------------------------------------------------------

def load_glossary(data: bytes, where: str) -> list[Term]:
    """Parse a glossary CSV; structural problems raise with file:line."""
    text = _decode(data, where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        columns = _columns(header, where)
        terms = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise LocalizeError(f"{where}:{line}", f"{len(row)} fields, the header has {len(columns)}",
                                    "quote fields that contain commas")
            cells = {column: _unsafe(cell) for column, cell in zip(columns, row, strict=True)}
            terms.append(_term(_visible(cells, f"{where}:{line}"), f"{where}:{line}"))
    except csv.Error as error:
        raise LocalizeError(f"{where}:{reader.line_num}", f"broken CSV quoting ({error})",
                            "close the quoted field") from None
    return terms


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise LocalizeError(f"{where}:{line}", "not valid UTF-8", "save the glossary as UTF-8") from None


def _columns(header: list[str] | None, where: str) -> list[str]:
    if not header:
        raise LocalizeError(f"{where}:1", "empty glossary", f"start with the header {','.join(COLUMNS)}")
    columns = [cell.strip().lower() for cell in header]
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        raise LocalizeError(f"{where}:1", f"missing column {', '.join(missing)}",
                            f"the header must be {','.join(COLUMNS)}")
    return columns


def _term(row: dict, origin: str) -> Term:
    source, target = row["source"].strip(), row["target"].strip()
    kind = row["type"].strip().lower() or "term"
    if not source:
        raise LocalizeError(origin, "empty source", "every row needs an English term")
    if kind not in TYPES:
        raise LocalizeError(origin, f"unknown type {kind!r}", "use term or dnt")
    if not target and kind == "term":
        raise LocalizeError(origin, f"empty target for {source!r}", "give the approved Arabic, or type dnt")
    return Term(source, target, kind, _split(row["forbidden"]), _split(row["variants"]),
                row["note"].strip(), origin, row.get("hidden", ()))


def _visible(cells: dict, origin: str) -> dict:
    """The row's cells without invisible characters (ZWSP, ZWNJ, LRM, RLM, soft hyphen, bidi
    controls: a term with one is never found, or never matched), which ``glossary check``
    reports (``hidden``); a control character is refused."""
    import unicodedata

    from localize.files import INVISIBLE, LINE_BREAKING

    hidden = []
    for column in ("source", "target", "forbidden", "variants"):
        cell = cells.get(column, "")
        control = re.search(f"[{LINE_BREAKING}]", cell.replace("\t", " ").replace("\n", " ").replace("\r", " "))
        if control:
            raise LocalizeError(origin, f"a control character (U+{ord(control.group()):04X}) in the {column} column",
                                "remove it in a text editor")
        for char in dict.fromkeys(INVISIBLE.findall(cell)):
            hidden.append(f"U+{ord(char):04X} {unicodedata.name(char, 'invisible character')} in the {column}")
        cells[column] = INVISIBLE.sub("", cell)
    cells["hidden"] = tuple(hidden)
    return cells


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def lint(terms: list[Term]) -> list[str]:
    """Problems a glossary check reports: duplicates, conflicts, forbidden = accepted."""
    problems: list[str] = []
    seen: dict[tuple[str, ...], Term] = {}
    for term in terms:
        problems += [f"{term.origin}: {term.source!r} had {what}, which hides or blocks the term: it is ignored; "
                     "remove it from the file" for what in term.hidden]
        key = _key(term.source)
        if not key or "\x00" in term.source:
            problems.append(f"{term.origin}: {term.source!r} can never be found in an article "
                            "(no letters or digits, or a NUL character)")
            continue
        if key in seen:
            first = seen[key]
            if arabic.normalize(first.target) == arabic.normalize(term.target):
                problems.append(f"{term.origin}: duplicate of {first.origin} ({term.source!r})")
            else:
                problems.append(f"{term.origin}: {term.source!r} has target {term.target!r} here "
                                f"but {first.target!r} at {first.origin}")
        else:
            seen[key] = term
        accepted = {arabic.normalize(form) for form in term.accepted}
        for form in term.forbidden:
            if arabic.normalize(form) in accepted:
                problems.append(f"{term.origin}: forbidden form {form!r} is also accepted for {term.source!r}")
    return problems


def _key(source: str) -> tuple[str, ...]:
    words = _WORD.findall(source)
    return tuple(w if _is_acronym(w) else w.lower() for w in words)


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


# --- finding terms in English -------------------------------------------------

class TermIndex:
    """All terms of a glossary, indexed by first word for one-pass lookup."""

    def __init__(self, terms: list[Term]):
        self.by_first: dict[str, list[_Entry]] = {}
        for term in terms:
            for spelling in _spellings(term.source):  # U.S. and US, UN and U.N.
                key = _key(spelling)
                if key:
                    shape = _shape(spelling)
                    plain = len(key) == 1 and not shape[1] and not shape[2]
                    self.by_first.setdefault(key[0], []).append((key, term, None if plain else shape))
        for entries in self.by_first.values():
            entries.sort(key=lambda item: -len(item[0]))
        self._entries_of: dict[str, list[_Entry]] = {}

    def latin_allowed(self) -> frozenset[str]:
        """Lower-cased words of do-not-translate terms (they may stay in Latin script)."""
        return frozenset(word.lower() for entries in self.by_first.values() for _, term, _ in entries
                         if term.type == "dnt" for word in term.words)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping term matches, longest first, in text order.

        Placeholders, URLs and e-mail addresses are not prose: no term is found
        in them (``.../iraq-popular-mobilization-forces.pdf``)."""
        text = blank_markup(text)
        # the usual English is ASCII: every other byte a space, then split (C speed)
        tokens = text.encode().translate(_ASCII_SPACES).decode().split() if text.isascii() else _WORD.findall(text)
        looked_up = list(map(self._entries_of.get, tokens))  # each word's terms, remembered
        if None in looked_up:  # words not seen before
            looked_up = [self._entries(token) if entries is None else entries
                         for token, entries in zip(tokens, looked_up, strict=True)]
        if _shouting(text):  # an all-caps headline: "IT IS READY" holds no acronym IS, "SNOW AND ICE" no ICE
            words = _english_words()
            looked_up = [None if entries and (token in _FUNCTION_WORDS or token.lower() in words) else entries
                         for token, entries in zip(tokens, looked_up, strict=True)]
        found, spans, position, reach, overlap, find = [], [], 0, 0, False, text.find
        for index in compress(range(len(tokens)), looked_up):  # the words some term starts with
            token, entries = tokens[index], looked_up[index] or []  # (never None: compress passed it)
            start = find(token, position)  # no word between the last start and this one is this word,
            while start >= 0 and (text[start - 1:start].isalnum()  # but one may hold it ("Iran" in
                                  or text[start + len(token):start + len(token) + 1].isalnum()):  # "Iranian")
                start = find(token, start + 1)
            if start < 0:  # (cannot happen: the word is in this text)
                continue
            position = start + len(token)
            for key, term, shape in entries:
                if shape is None:  # one plain word (most terms): found by this word's own lookup
                    found.append(Match(term, start, position, token))  # keys, so it matches
                    after = index + 1
                else:
                    span = _match_at(text, tokens, index, start, key, shape)
                    if span is None:
                        continue
                    after, begin, end = span
                    found.append(Match(term, begin, end, text[begin:end]))
                overlap = overlap or index < reach  # (matches come in word order)
                reach = max(reach, after)
                spans.append((index, after))
        return _longest(found, spans) if overlap else found

    def _entries(self, word: str) -> list[_Entry]:
        """The terms whose first word this word may be (plural, possessive, case), remembered."""
        entries = [entry for lookup in _lookup_keys(word) for entry in self.by_first.get(lookup, ())]
        entries = (_case_fits(word, entries) if entries else entries) or _NO_ENTRIES  # (most words: one shared list)
        if len(self._entries_of) < _MOST_REMEMBERED:
            self._entries_of[word] = entries
        return entries


_DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
_PLAIN_ACRONYM = re.compile(r"[A-Z]{2,4}")
_TITLED_ACRONYM = 4  # letters from which "Nato", "Covid", "Opec" are the acronym written as a word,
# except where that word is another name or a word of its own (Isis, the goddess; Swat, the valley)
_NOT_TITLED = frozenset("Isis Swat Care Hope Save Fair Star Aims Mars Iris Nile Gate Ruth Mark".split())
# Words an all-caps headline holds that are also two-letter acronyms (US stays an acronym).
_FUNCTION_WORDS = frozenset("AM AN AS AT BE BY DO GO HE IF IN IS IT ME MY NO OF ON OR SO TO UP WE "
                            "WHO WHAT WHEN HOW WHY ALL ARE CAN MAY NOT NOW ONE OUR OUT WAS HAS HAD HIS HER ITS "
                            "FOR AND THE BUT NEW OFF".split())


def _spellings(source: str) -> tuple[str, ...]:
    """The ways news writes a term: an acronym with and without its dots (U.S. / US, UN / U.N.)."""
    if _DOTTED_ACRONYM.fullmatch(source):
        return source, source.replace(".", "")
    if _PLAIN_ACRONYM.fullmatch(source):
        return source, ".".join(source) + "."
    return (source,)


def _shouting(text: str) -> bool:
    """Text in capitals (a headline, a banner): every cased letter is a capital (str.isupper, at C
    speed), over two words at least."""
    return text.isupper() and text.count(" ") >= 1


def _case_fits(word: str, entries: list[_Entry]) -> list[_Entry]:
    """The entries whose term may be this word as written.  Case is identity where it tells two
    terms apart: a single capitalised word (a name, a brand) is never its lower-case namesake
    ("a clear signal" is not Signal, while "baghdad" is still Baghdad); an acronym written in
    capitals is the acronym, not a name
    written the same ("ISIS" is not Isis), and a name written as such is the name."""
    def single_name(term: Term) -> bool:  # a capitalised word that is also an English word: a brand
        source = term.source
        return source[:1].isupper() and not _is_acronym(source) and len(term.words) == 1 and \
            source.lower() in _english_words()

    if word.islower():
        return [entry for entry in entries if not single_name(entry[1])]
    exact = [entry for entry in entries if entry[1].source == word or entry[0][0] == word]
    if exact and _is_acronym(word):
        return [entry for entry in entries if entry in exact or not single_name(entry[1])]
    if any(entry[1].source == word for entry in entries):  # "Isis", the goddess, when the glossary has her
        return [entry for entry in entries if not _is_acronym(entry[0][0]) or entry[1].source == word]
    return entries


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """English words in lower case (Webster's 2nd, through the english-words package): a name
    that is one of them (Signal, Apple, Shell) is a brand only when capitalised."""
    from english_words import get_english_words_set

    return frozenset(word for word in get_english_words_set(["web2"]) if word.islower())


@lru_cache(maxsize=4096)  # (an index remembers each word's terms: this serves the words of a new index)
def _lookup_keys(word: str) -> tuple[str, ...]:
    if _is_acronym(word):  # "ISIS", but also "BAGHDAD" in a dateline
        return (word, word.lower(), *_singulars(word.lower()))
    if word[-1:] == "s" and _is_acronym(word[:-1]):  # "NGOs", "MPs"
        return (word[:-1], word.lower(), *_singulars(word.lower()))
    base = word.lower()
    if len(word) >= _TITLED_ACRONYM and word[:1].isupper() and word[1:].islower() and word not in _NOT_TITLED:
        return (base, *_singulars(base), word.upper())
    return (base, *_singulars(base))


_PLURAL_ENDINGS = (("ies", ("y",)), ("ses", ("sis", "s", "se")), ("es", ("", "e")), ("s", ("",)))  # and what
# the singular ends in (crises: crisis; buses: bus; cases: case); and the common irregular plurals
_IRREGULAR = {"children": "child", "men": "man", "women": "woman", "people": "person", "mice": "mouse",
              "feet": "foot", "teeth": "tooth", "geese": "goose", "criteria": "criterion", "phenomena": "phenomenon",
              "militias": "militia", "media": "medium", "data": "datum", "chiefs": "chief", "lives": "life",
              "wives": "wife", "knives": "knife", "leaves": "leaf", "thieves": "thief", "halves": "half"}
_SHORTEST_STEM = 2  # letters a plural keeps before its ending: "ties" is no "ty" ("ti" or "tie")


def _singulars(word: str) -> list[str]:
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    for ending, singular_endings in _PLURAL_ENDINGS:
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= _SHORTEST_STEM:
            return [stem + singular for singular in singular_endings]
    return []


def _shape(source: str) -> _Shape:
    """What a term has besides its words: the separators between them ("." in U.S., "&" in
    AT&T) and the punctuation before and after them ("++" in C++, "." in .NET)."""
    words = list(_WORD.finditer(source))
    if not words:
        return (), "", ""
    between = tuple(source[a.end():b.start()].strip() for a, b in pairwise(words))
    return between, source[:words[0].start()].strip(), source[words[-1].end():].strip()


def _match_at(text: str, tokens, index: int, start: int, key: tuple[str, ...], shape) -> tuple[int, int, int] | None:
    """(index after the last word, start, end) if ``key`` matches the words from ``index`` (the
    word at ``start``)."""
    if index + len(key) > len(tokens):
        return None
    between, prefix, suffix = shape
    end = start
    for offset, expected in enumerate(key):
        word = tokens[index + offset]
        if offset:  # only non-word characters lie between two words: the next one is found first
            following = text.find(word, end)
            gap, end = text[end:following], following
            if not (_JOINER.fullmatch(gap) or (between[offset - 1] and gap == between[offset - 1])):
                return None
        if not _word_matches(word, expected, offset == len(key) - 1):
            return None
        end += len(word)
    if prefix and not text[:start].endswith(prefix) or suffix and not text.startswith(suffix, end):
        return None  # C++ is not the C of "Vitamin C"
    return index + len(key), start - len(prefix), end + len(suffix)


def _word_matches(word: str, expected: str, last: bool) -> bool:
    if _is_acronym(expected):
        titled = len(expected) >= _TITLED_ACRONYM and word == expected.capitalize() and word not in _NOT_TITLED
        return word == expected or titled or (last and word in (expected + "s", expected + "'s"))
    lowered = word.lower()
    return lowered == expected or (last and expected in _singulars(lowered))


def _longest(found: list[Match], spans: list[tuple[int, int]]) -> list[Match]:
    """The longest of overlapping matches (the earliest of equal ones), in text order; ``spans``
    are their (first word, word after) indexes."""
    taken: set[int] = set()
    chosen = []
    for (index, after), match in sorted(zip(spans, found, strict=True),
                                        key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        if taken.isdisjoint(range(index, after)):
            taken.update(range(index, after))
            chosen.append(match)
    return sorted(chosen, key=lambda match: match.start)


# --- verifying Arabic ----------------------------------------------------------

def verify(source: str, translation: str, index: TermIndex) -> list[Issue]:
    """Glossary issues of one translated segment (empty when all is well).

    A term found many times in the English is judged once (its Arabic forms are
    searched once), and each occurrence gets that verdict with its own span, so
    the cost stays linear in the length of the segment.
    """
    if not translation.strip():
        return []
    translation = blank_markup(translation)  # no term in a URL, an address or a placeholder
    normalized, offsets = arabic.normalize_with_offsets(translation)
    verdicts: dict = {}
    issues = []
    for match in index.find(source):
        key = (id(match.term), match.text if match.term.type == "dnt" else "")
        if key not in verdicts:
            verdicts[key] = _check_term(match, translation, normalized, offsets)
        issue = verdicts[key]
        if issue:
            issues.append(replace(issue, span=(match.start, match.end)))
    return issues


def _check_term(match: Match, translation: str, normalized: str, offsets: list[int]) -> Issue | None:
    term = match.term
    if term.type == "dnt":
        if match.text in translation or term.source in translation:
            return None
        return Issue("dnt-altered", term.source, term.source, "", (match.start, match.end))
    regular = not term.plural_given
    accepted = sorted(span for form in term.accepted
                      for span in arabic.find_form(normalized, form, term.common_noun, regular))
    covers = _cover(accepted)  # a nisba adjective does not excuse a forbidden form: سورية
                               # is the forbidden name, even though it also reads "Syrian"
    for form in term.forbidden_forms:
        for start, end in arabic.find_form(normalized, form, term.common_noun, regular):
            if not covers(start, end):
                found = translation[offsets[start]:offsets[end - 1] + 1]
                return Issue("forbidden-term", term.source, term.target, found, (match.start, match.end))
    if not accepted and not (not term.common_noun and any(
            arabic.find_nisba(normalized, form) for form in term.accepted if arabic.is_place(term.source, form))):
        return Issue("missing-term", term.source, term.target, "", (match.start, match.end))
    return None


def _cover(spans: list[tuple[int, int]]):
    """``covers(start, end)``: whether one of the (sorted) spans contains start..end; log time each."""
    import bisect
    from itertools import accumulate

    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end among spans starting so far

    def covers(start: int, end: int) -> bool:
        index = bisect.bisect_right(starts, start) - 1
        return index >= 0 and reach[index] >= end

    return covers


def reviewer_notes(source: str, index: TermIndex) -> list[str]:
    """One ``#.`` line per term found: the approved rendering the translator should use."""
    notes = []
    for match in index.find(source):
        term = match.term
        if term.type == "dnt":
            notes.append(f"glossary: {term.source} = keep as is (do not translate)"
                         + (f"; {term.note}" if term.note else ""))
            continue
        line = f"glossary: {term.source} = {term.target}"
        if term.variants:
            line += f" (also: {', '.join(term.variants)})"
        if term.forbidden:
            line += f" (not: {', '.join(term.forbidden)})"
        if term.note:
            line += f"; {term.note}"
        notes.append(line)
    return list(dict.fromkeys(notes))


def draft_verdict(issue: Issue) -> str:
    """What a glossary issue says on the term's own ``glossary:`` line of a draft."""
    if issue.type == "missing-term":
        return "missing"
    if issue.type == "forbidden-term":
        return f"uses the forbidden {cut(issue.found)}"
    return "altered"


# --- CSV out ---------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@")


def write_csv(terms: list[Term]) -> str:
    """The glossary as CSV; a cell that a spreadsheet would run as a formula (=, +, -, @
    first) gets a leading apostrophe, which ``load_glossary`` takes off again."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for term in terms:
        writer.writerow([_safe(cell) for cell in (term.source, term.target, term.type, "|".join(term.forbidden),
                                                  "|".join(term.variants), term.note)])
    return stream.getvalue()


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA) else cell


def _unsafe(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:2] in _FORMULA and cell[1:2] else cell
