"""Glossary finding and checking speed: localize against flashtext and pyahocorasick.

Two workloads: 5,000 generated terms against 10,000 generated segments, and the house glossary
(glossaries/news.csv) against the sentences of the news fixtures' human-written article bodies
(tests/fixtures/news/expected.json).  Four measurements, in alternated rounds (bench/record.py:
min and median, peak memory), each case with a fresh index and cold caches, as a fresh
`localize check` has them:

1. Finding the terms in the English: localize's index against the strongest peers for keyword
   finding, flashtext (a trie over characters, pure Python) and pyahocorasick (an Aho-Corasick
   automaton in C), whole-word and case-insensitive at their fastest settings; and
   pyahocorasick behind localize's API (its automaton as the scan, localize's rules on each
   candidate: what adopting it would be); and localize with a set of the words a term may begin
   with (what the automaton saves localize, without one).  Also timed: localize's scan alone (the
   words split and looked up, no rule checked), the stage an automaton would replace.
2. The same on the house glossary and real news text.
3. The full check (find, then verify the Arabic) on both workloads: localize; pyahocorasick
   behind localize's API; localize with the set of first words; pyahocorasick's own finding with
   localize's verification (no English rules: an upper bound on what an automaton could gain);
   one regular expression per term (a secondary row; on the generated workload timed on a slice
   and scaled, as it takes minutes).
4. The desk's rules (plurals, possessives, hyphens, acronym case, punctuation, URLs): what each
   finder finds on one small case of each.

    .venv/bin/python bench/glossary_speed.py [--terms 5000] [--segments 10000] [--rounds 5] [--regex-slice 100]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import sys
import time
from collections.abc import Callable
from itertools import compress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from localize.checks import arabic, glossary  # noqa: E402
from localize.checks.glossary import Match, Term, TermIndex, load_glossary, verify  # noqa: E402
from localize.engines.protect import blank_markup  # noqa: E402
from localize.segment import split  # noqa: E402
from record import Rounds, Table, cpu_seconds, pair, peak_mib, print_tables, reset_peak, summary, write  # noqa: E402

COMMON = ("the said that in of and to a on for with officials forces government was were has "
          "been after by from at during against new war city region talks leaders").split()
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
HYBRID = "pyahocorasick behind localize's API"
FIRST_WORDS = "localize + a set of first words"
SCAN = "localize, scan only"
UPPER_BOUND = "pyahocorasick finding + localize's verify"
REGEX = "one regex per term"
FILLER = "قال المسؤولون إن الحكومة أعلنت في بيان صدر اليوم أنها ستواصل المحادثات مع الأطراف".split()


def make_terms(count: int, rng: random.Random) -> list[Term]:
    terms, seen = [], set()
    while len(terms) < count:
        words = [rng.choice("BCDFGKLMNPRSTVZ") + "".join(rng.choice("aeioulnrst") for _ in range(rng.randint(3, 7)))
                 for _ in range(rng.randint(1, 3))]
        source = " ".join(words)
        if rng.random() < 0.1:  # noqa: PLR2004 (a tenth are acronyms)
            source = "".join(word[0] for word in words).upper() + rng.choice("ABCDEFGH")
        if source.lower() in seen:
            continue
        seen.add(source.lower())
        target = " ".join("".join(rng.choice(ARABIC_LETTERS) for _ in range(5)) for _ in words)
        terms.append(Term(source, target, forbidden=(target[::-1],)))
    return terms


def make_segments(terms: list[Term], count: int, rng: random.Random) -> list[tuple[str, str]]:
    segments = []
    for _ in range(count):
        chosen = rng.sample(terms, 3)
        words = [rng.choice(COMMON) for _ in range(22)]
        for term in chosen:
            words.insert(rng.randrange(len(words)), term.source)
        arabic_words = ["كلمة"] * 20 + [term.target for term in chosen[:2]]  # one term left missing
        sentence = " ".join(words)
        segments.append((sentence[:1].upper() + sentence[1:] + ".", " ".join(arabic_words)))
    return segments


def house_workload() -> tuple[list[Term], list[tuple[str, str]]]:
    """The house glossary and the sentences of the news fixtures' article bodies (as people wrote
    them out), each with an Arabic stand-in: filler words in proportion to the English, and the
    approved Arabic of every other term localize finds (the rest are missing)."""
    terms = load_glossary((ROOT / "glossaries" / "news.csv").read_bytes(), "glossaries/news.csv")
    pages = json.loads((ROOT / "tests" / "fixtures" / "news" / "expected.json").read_text(encoding="utf-8"))
    paragraphs = [paragraph for page in pages.values() for paragraph in (page["title"], *page["body"].split("\n"))
                  if paragraph.strip()]
    sentences = [paragraph[start:end] for paragraph in paragraphs for start, end in split(paragraph)]
    index, rng, segments = TermIndex(terms), random.Random(7), []
    for sentence in sentences:
        filler = [rng.choice(FILLER) for _ in range(max(3, len(sentence) // 7))]
        segments.append((sentence, " ".join(filler + [match.term.target for match in index.find(sentence)[::2]])))
    return terms, segments


# --- the peers -------------------------------------------------------------------

def _automaton():
    try:
        import ahocorasick
    except ImportError:
        raise SystemExit("bench/glossary_speed.py needs pyahocorasick: .venv/bin/python -m pip install "
                         "pyahocorasick") from None
    return ahocorasick.Automaton()


class FlashText:
    """flashtext's KeywordProcessor, case-insensitive (news writes BAGHDAD in datelines, a term at
    a sentence's start capitalised); whole words and the longest match are its own."""

    def __init__(self, terms: list[Term]):
        from flashtext import KeywordProcessor

        self.keywords = KeywordProcessor(case_sensitive=False)
        for term in terms:
            self.keywords.add_keyword(term.source, term)

    def find(self, text: str) -> list[Match]:
        return [Match(term, start, end, text[start:end])
                for term, start, end in self.keywords.extract_keywords(text, span_info=True)]


class Automaton:
    """pyahocorasick at its fastest setting that keeps whole words: one automaton of the lower-cased
    terms over the lower-cased text, leftmost-longest matches (``iter_long``), each kept only
    between two non-word characters."""

    def __init__(self, terms: list[Term]):
        self.automaton = _automaton()
        for term in terms:
            key = term.source.lower()
            self.automaton.add_word(key, (len(key), term))
        self.automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        lowered = text.lower()
        found = []
        for last, (length, term) in self.automaton.iter_long(lowered):
            start, end = last - length + 1, last + 1
            if not lowered[start - 1:start].isalnum() and not lowered[end:end + 1].isalnum():
                found.append(Match(term, start, end, text[start:end]))
        return found


_NOT_WORD = re.compile(r"[\W_]")


def _plurals(word: str) -> set[str]:
    """Every form whose singulars (``glossary._singulars``) include ``word``."""
    forms = {word + "s", word + "es", word[:-1] + "ies", word[:-3] + "ses",
             *(plural for plural, singular in glossary._IRREGULAR.items() if singular == word)}
    return {form for form in forms if word in glossary._singulars(form)}


class AutomatonIndex(TermIndex):
    """pyahocorasick behind localize's API, as adopting it would be: the automaton is the scan,
    localize's rules judge each candidate.  Its keys are every first word of a term as a text may
    write it (lower-cased, with its plurals and an acronym's "s"), between spaces; the text is
    lower-cased with every non-word character a space (lengths kept), so each hit is one whole
    word that may begin a term.  The word's terms are then looked up and matched exactly as
    ``TermIndex.find`` does (case, plural, hyphens, punctuation, longest match), so the matches are
    the same; an all-caps headline, or a text whose lower case changes length or holds a final
    sigma, goes to ``TermIndex.find`` itself."""

    def __init__(self, terms: list[Term]):
        super().__init__(terms)
        automaton = _automaton()
        for first in self.by_first:
            lowered = first.lower()
            for form in {lowered, lowered + "s", *_plurals(lowered)}:
                automaton.add_word(f" {form} ", len(form))
        automaton.make_automaton()
        self.automaton = automaton if len(automaton) else None

    def find(self, text: str) -> list[Match]:
        if self.automaton is None:
            return []
        original, text = text, blank_markup(text)
        lowered = text.lower()
        if glossary._shouting(text) or len(lowered) != len(text) or "ς" in lowered:
            return super().find(original)
        spaced = " " + (lowered.encode().translate(glossary._ASCII_SPACES).decode() if lowered.isascii()
                        else _NOT_WORD.sub(" ", lowered)) + " "
        found, spans, reach, overlap = [], [], 0, False
        remembered, look_up = self._entries_of.get, self._entries
        for last, length in self.automaton.iter(spaced):
            start, position = last - length - 1, last - 1  # (spaced has one character before text's)
            token = text[start:position]
            entries = remembered(token)
            if entries is None:
                entries = look_up(token)
            words: list[str] = []
            for key, term, shape in entries:
                if shape is None:
                    found.append(Match(term, start, position, token))
                    after, count = position, 1
                else:
                    if len(words) < len(key):
                        following = glossary._WORD.finditer(text, position)
                        words = [token, *(match.group() for _, match in zip(range(len(key) - 1), following,
                                                                             strict=False))]
                    span = glossary._match_at(text, words, 0, start, key, shape)
                    if span is None:
                        continue
                    _, begin, end = span
                    found.append(Match(term, begin, end, text[begin:end]))
                    after, count = end - len(shape[2]), len(key)
                overlap = overlap or start < reach
                reach = max(reach, after)
                spans.append((start, after, count))
        return _longest(found, spans) if overlap else found


def _longest(found: list[Match], spans: list[tuple[int, int, int]]) -> list[Match]:
    """``glossary._longest`` with spans in characters: (first word's start, last word's end, words)."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for (start, end, _), match in sorted(zip(spans, found, strict=True), key=lambda item: (-item[0][2], item[0][0])):
        if all(end <= before or after <= start for before, after in taken):
            taken.append((start, end))
            chosen.append(match)
    return sorted(chosen, key=lambda match: match.start)


class FirstWordIndex(TermIndex):
    """What the automaton saves localize, without one: a word that no term may begin with (the
    automaton's keys, in a set) is not looked up, its terms are known to be none.  (Not adopted:
    a proposal, measured here.)"""

    def __init__(self, terms: list[Term]):
        super().__init__(terms)
        self.first_words = frozenset(form for first in self.by_first for lowered in (first.lower(),)
                                     for form in (lowered, lowered + "s", *_plurals(lowered)))

    def _entries(self, word: str) -> list:
        if word.lower() in self.first_words:
            return super()._entries(word)
        if len(self._entries_of) < glossary._MOST_REMEMBERED:
            self._entries_of[word] = []
        return []


# the strongest peers first, then what localize could be
FINDERS: dict[str, Callable] = {"localize": TermIndex, "pyahocorasick": Automaton, "flashtext": FlashText,
                                HYBRID: AutomatonIndex, FIRST_WORDS: FirstWordIndex}


def scan(index: TermIndex, text: str) -> list[int]:
    """The first lines of ``TermIndex.find``: the words split (bytes.translate, split) and each
    looked up among the words remembered, the indexes of those some term starts with; no rule
    (case, plural, hyphen, punctuation, longest match) is checked and no match made."""
    text = blank_markup(text)
    tokens = text.encode().translate(glossary._ASCII_SPACES).decode().split() if text.isascii() \
        else glossary._WORD.findall(text)
    return list(compress(range(len(tokens)), map(index._entries_of.get, tokens)))


def per_term_regex(terms: list[Term]):
    patterns = []
    for term in terms:
        flags = 0 if term.source.isupper() else re.IGNORECASE
        body = r"[\s-]+".join(re.escape(word) for word in term.source.split())
        patterns.append((re.compile(r"\b" + body + r"(?:s|'s)?\b", flags), term))

    def check(source: str, translation: str) -> int:
        normalized = arabic.normalize(translation)
        problems = 0
        for pattern, term in patterns:
            if pattern.search(source) and not arabic.find_form(normalized, term.target):
                problems += 1
        return problems

    return check


# --- measuring -------------------------------------------------------------------

def cold() -> None:
    """Every case starts as a fresh process would: the caches of word keys and Arabic forms empty."""
    for cache in (arabic._form_shape, arabic._cached_stem, glossary._lookup_keys):
        cache.cache_clear()
    gc.collect()


def timed(work: Callable, *args):
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = work(*args)
    return value, time.perf_counter() - wall, cpu_seconds() - cpu


def find_all(finder, sources: list[str]) -> list[list[Match]]:
    return [finder.find(source) for source in sources]


def finding(terms: list[Term], sources: list[str], count: int) -> dict:
    """Build, a first pass over every segment, and a second with the same index, per finder."""
    build, first, again = Rounds(count), Rounds(count), Rounds(count)
    found: dict[str, set] = {}
    candidates = 0
    for case in first.order([*FINDERS, SCAN]):
        cold()
        reset_peak()
        if case == SCAN:  # on an index that has looked up every word once, as on localize's second pass
            index = TermIndex(terms)
            for source in sources:
                index.find(source)
            candidates, wall, cpu = timed(lambda index: sum(len(scan(index, source)) for source in sources), index)
            again.add(case, wall, cpu, peak_mib())
            del index
            continue
        finder, wall, cpu = timed(FINDERS[case], terms)
        build.add(case, wall, cpu)
        matches, wall, cpu = timed(find_all, finder, sources)
        first.add(case, wall, cpu)
        _, wall, cpu = timed(find_all, finder, sources)
        again.add(case, wall, cpu, peak_mib())
        first.peak[case] = again.peak[case]
        found[case] = {(number, match.start, match.end, match.term.source)
                       for number, segment in enumerate(matches) for match in segment}
        del finder, matches
    return {"build": build, "first": first, "again": again, "found": found, "candidates": candidates}


def check_all(make: Callable, terms: list[Term], segments: list[tuple[str, str]]) -> int:
    index = make(terms)
    return sum(len(verify(source, translation, index)) for source, translation in segments)


def full_check(terms: list[Term], segments: list[tuple[str, str]], count: int, part: int) -> dict:
    """Index (or automaton, or regexes) built and every segment checked, per round."""
    rounds = Rounds(count)
    issues: dict[str, int] = {}
    makers = {"localize": TermIndex, UPPER_BOUND: Automaton, HYBRID: AutomatonIndex, FIRST_WORDS: FirstWordIndex}
    for case in rounds.order([*makers, REGEX]):
        cold()
        reset_peak()
        if case == REGEX:  # built, then timed on the first `part` segments and scaled to all
            check, build_wall, build_cpu = timed(per_term_regex, terms)
            issues[case], wall, cpu = timed(lambda check: sum(check(s, t) for s, t in segments[:part]), check)
            scale = len(segments) / part
            rounds.add(case, build_wall + wall * scale, build_cpu + cpu * scale, peak_mib())
            del check
            continue

        issues[case], wall, cpu = timed(check_all, makers[case], terms, segments)
        rounds.add(case, wall, cpu, peak_mib())
    index = TermIndex(terms)
    issues["localize, on the slice"] = sum(len(verify(s, t, index)) for s, t in segments[:part])
    return {"rounds": rounds, "issues": issues, "part": part, "segments": len(segments)}


# --- the desk's rules ----------------------------------------------------------------

MILITIA, ABADI = Term("militia", "ميليشيا"), Term("Haider al-Abadi", "حيدر العبادي")
COUNCILS = [Term("Supreme Council", "مجلس"), Term("Islamic Supreme Council of Iraq", "المجلس الأعلى الإسلامي العراقي"),
            Term("Iraq", "العراق")]
RULES = [  # (rule, English, terms, what localize finds: the tests' cases)
    ("whole words", "Iranian officials met in Iran", [Term("Iran", "إيران")], ["Iran"]),
    ("acronym case", "ISIS fighters, anti-ISIS forces, the goddess Isis", [Term("ISIS", "داعش")], ["ISIS", "ISIS"]),
    ("plural", "The militias clashed", [MILITIA], ["militias"]),
    ("plural of an acronym", "Several NGOs met", [Term("NGO", "منظمة غير حكومية")], ["NGOs"]),
    ("possessive", "the Popular Mobilization Forces' role and a militia's leader",
     [Term("Popular Mobilization Forces", "الحشد الشعبي"), MILITIA], ["Popular Mobilization Forces", "militia"]),
    ("hyphen or space", "Haider al-Abadi and Haider al Abadi", [ABADI], ["Haider al-Abadi", "Haider al Abadi"]),
    ("not across punctuation", "Haider, al-Abadi", [ABADI], []),
    ("longest match", "the Islamic Supreme Council of Iraq met", COUNCILS, ["Islamic Supreme Council of Iraq"]),
    ("a term ending the text, inside a longer term's start", "He met the Islamic Supreme Council", COUNCILS,
     ["Supreme Council"]),
    ("dotted acronym", "the U.S. envoy and the US embassy", [Term("U.S.", "الولايات المتحدة")], ["U.S.", "US"]),
    ("punctuation a term has", "C++ coders take vitamin C", [Term("C++", "سي++")], ["C++"]),
    ("dateline capitals", "BAGHDAD - the militia left baghdad", [Term("Baghdad", "بغداد")], ["BAGHDAD", "baghdad"]),
    ("acronym written as a word", "Nato and NATO", [Term("NATO", "الناتو")], ["Nato", "NATO"]),
    ("a name that is a word", "a clear signal on Signal", [Term("Signal", "سيغنال")], ["Signal"]),
    ("all-caps headline", "SNOW AND ICE CLOSE ROADS", [Term("ICE", "إدارة الهجرة")], []),
    ("not in a URL", "Read https://example.org/iran/report on Iran", [Term("Iran", "إيران")], ["Iran"]),
]


def rules() -> list[dict]:
    results = []
    for rule, text, terms, expected in RULES:
        row = {"rule": rule, "text": text, "expected": expected}
        for case, make in FINDERS.items():
            row[case] = [match.text for match in make(terms).find(text)]
        if row["localize"] != expected:
            raise SystemExit(f"localize no longer finds {expected} in {text!r}: {row['localize']}")
        results.append(row)
    return results


# --- the report -------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--segments", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5, help="alternated rounds (min and median)")
    parser.add_argument("--regex-slice", type=int, default=100,
                        help="generated segments the per-term regexes are timed on (then scaled to all)")
    options = parser.parse_args()
    rng = random.Random(7)
    terms = make_terms(options.terms, rng)
    segments = make_segments(terms, options.segments, rng)
    house_terms, house = house_workload()
    glossary._english_words()  # loaded once per process, whichever finder runs first
    gc.collect()
    reset_peak()
    workload = round(peak_mib(), 1)

    found = {"generated": finding(terms, [source for source, _ in segments], options.rounds),
             "house": finding(house_terms, [source for source, _ in house], options.rounds)}
    checked = {"generated": full_check(terms, segments, options.rounds, min(options.regex_slice, len(segments))),
               "house": full_check(house_terms, house, options.rounds, len(house))}
    cases = rules()
    sizes = {"generated": (len(terms), len(segments)), "house": (len(house_terms), len(house))}

    tables = [finding_table(f"Finding: {len(terms):,} generated terms in {len(segments):,} generated segments, "
                            f"{options.rounds} alternated rounds, CPU s (min / median)", found["generated"], workload),
              finding_table(f"Finding: the house glossary ({len(house_terms)} terms) in the news fixtures' "
                            f"{len(house):,} sentences, {options.rounds} alternated rounds, CPU s (min / median)",
                            found["house"], workload),
              check_table(checked, sizes, options.rounds), rule_table(cases)]
    print_tables(tables)
    write("glossary_speed", {
        "title": "Glossary finding", "rounds": options.rounds, "workload_mib": workload,
        "workloads": {name: {"terms": size[0], "segments": size[1]} for name, size in sizes.items()},
        "finding": {name: finding_data(result) for name, result in found.items()},
        "check": {name: {"rounds": result["rounds"].summary(), "issues": result["issues"],
                         "regex_timed_on": result["part"],
                         "ratio_over_localize": {case: result["rounds"].ratio(case, "localize", clock="cpu")
                                                 for case in (UPPER_BOUND, HYBRID, FIRST_WORDS, REGEX)}}
                  for name, result in checked.items()},
        "rules": cases,
    }, tables=tables,
        command=f"bench/glossary_speed.py --terms {options.terms} --segments {options.segments} "
                f"--rounds {options.rounds} --regex-slice {options.regex_slice}",
        about=f"Two workloads: {len(terms):,} generated terms (one to three words, a tenth acronyms) against "
              f"{len(segments):,} generated segments of 25 words holding three terms each, two of them rendered in "
              f"the Arabic; and the house glossary (`glossaries/news.csv`) against the {len(house):,} sentences of "
              "the news fixtures' article bodies as people wrote them out (`tests/fixtures/news/expected.json`), "
              "with an Arabic stand-in (filler words, and the approved Arabic of every other term found). Each case "
              "starts cold (a fresh index, empty caches, as a fresh `localize check`); rounds alternate the cases; "
              "times are CPU seconds (min / median; wall times are in the JSON); peak memory is the process's "
              "(it holds the workloads) during the case. The peers are the strongest for keyword finding: "
              "flashtext (pure Python, a trie over characters) and pyahocorasick (an Aho-Corasick automaton in "
              "C), whole-word and case-insensitive at their fastest settings (pyahocorasick: leftmost-longest "
              "`iter_long` over the lower-cased text, a word-boundary test on each match). \"pyahocorasick behind "
              "localize's API\" is what adopting it would be: the automaton finds the words that may begin a "
              "term, localize's rules judge each (`AutomatonIndex` in the bench); it must find exactly what "
              "localize finds. \"localize + a set of first words\" gets what the automaton saves localize without "
              "one: a word that no term may begin with is not looked up (`FirstWordIndex`, a proposal). The "
              "secondary row, one regular expression per term, is timed on a slice of the generated segments and "
              "scaled (it would take minutes), on all of the house workload. The last table shows what each finder "
              "finds where one of the desk's rules applies.")


def finding_data(result: dict) -> dict:
    first, again, found = result["first"], result["again"], result["found"]
    return {"build": result["build"].summary(), "first_pass": first.summary(), "again": again.summary(),
            "matches": {case: len(matches) for case, matches in found.items()},
            "same_as_localize": {case: matches == found["localize"] for case, matches in found.items()},
            "scan_candidates": result["candidates"],
            "ratio_first_pass_over_localize": {case: first.ratio(case, "localize", clock="cpu")
                                               for case in FINDERS if case != "localize"},
            "ratio_again_over_localize": {case: again.ratio(case, "localize", clock="cpu")
                                          for case in [*FINDERS, SCAN] if case != "localize"},
            "ratio_scan_over_pyahocorasick": again.ratio(SCAN, "pyahocorasick", clock="cpu")}


def _cpu(rounds: Rounds, case: str) -> str:
    return pair(summary(rounds.cpu[case]))


def finding_table(title: str, result: dict, workload: float) -> Table:
    build, first, again, found = result["build"], result["first"], result["again"], result["found"]
    ours = found["localize"]
    rows = [[case, _cpu(build, case), _cpu(first, case), _cpu(again, case), f"{len(found[case]):,}",
             "yes" if found[case] == ours else f"no ({len(found[case] - ours):,} not localize's, "
                                               f"{len(ours - found[case]):,} of localize's missed)",
             f"{again.peak[case]:.1f}"] for case in FINDERS]
    rows.append([f"{SCAN} (split and look up, no rule)", "-", "-", _cpu(again, SCAN),
                 f"{result['candidates']:,} candidates", "-", f"{again.peak[SCAN]:.1f}"])

    def ratio(rounds: Rounds, case: str, baseline: str = "localize") -> str:
        value = rounds.ratio(case, baseline, "cpu")
        return f"{value['min']:.2f} / {value['median']:.2f}"

    note = (f"Of localize's time (min / median), on a first pass: pyahocorasick {ratio(first, 'pyahocorasick')}, "
            f"flashtext {ratio(first, 'flashtext')}, pyahocorasick behind localize's API {ratio(first, HYBRID)}, "
            f"{FIRST_WORDS} {ratio(first, FIRST_WORDS)}; on the second, in the same order: "
            f"{ratio(again, 'pyahocorasick')}, {ratio(again, 'flashtext')}, {ratio(again, HYBRID)}, "
            f"{ratio(again, FIRST_WORDS)}. localize's scan "
            f"alone takes {ratio(again, SCAN, 'pyahocorasick')} of pyahocorasick's time. The process holds "
            f"{workload:.1f} MiB before any case.")
    return Table(title, ["finder", "build", "first pass", "again (same index)", "matches", "same as localize",
                         "peak MiB"], rows, note=note)


def check_table(checked: dict, sizes: dict, count: int) -> Table:
    generated, house = checked["generated"], checked["house"]
    part, total = generated["part"], generated["segments"]
    labels = {"localize": "localize (index + verify)",
              UPPER_BOUND: f"{UPPER_BOUND} (no English rules: an upper bound)",
              HYBRID: HYBRID, FIRST_WORDS: FIRST_WORDS,
              REGEX: f"{REGEX} (secondary; generated: timed on the first {part:,} segments, "
                     f"scaled x{total / part:,.0f})"}
    rows = []
    for case, label in labels.items():
        row = [label]
        for result in (generated, house):
            issues = result["issues"][case]
            issues_cell = f"{issues:,}"
            if case == REGEX and result["part"] < result["segments"]:
                issues_cell += f" of {result['part']:,} (localize: {result['issues']['localize, on the slice']:,})"
            row += [_cpu(result["rounds"], case), issues_cell]
        row.append(f"{generated['rounds'].peak[case]:.1f} / {house['rounds'].peak[case]:.1f}")
        rows.append(row)

    def ratio(case: str) -> str:
        values = [result["rounds"].ratio(case, "localize", "cpu") for result in (generated, house)]
        return ", ".join(f"{name} {value['min']:.2f} / {value['median']:.2f}"
                         for name, value in zip(("generated", "house"), values, strict=True))

    return Table(
        f"The full check (find, verify the Arabic), {count} alternated rounds, CPU s (min / median)",
        ["case", f"generated ({sizes['generated'][0]:,} terms, {sizes['generated'][1]:,} segments)", "issues",
         f"house ({sizes['house'][0]} terms, {sizes['house'][1]:,} sentences)", "issues",
         "peak MiB (generated / house)"], rows,
        note=f"Of localize's time (min / median): pyahocorasick's own finding {ratio(UPPER_BOUND)}; pyahocorasick "
             f"behind localize's API {ratio(HYBRID)}; {FIRST_WORDS} {ratio(FIRST_WORDS)}; one regex per "
             f"term {ratio(REGEX)} (goals: localize < 2 s on the generated workload, >= 20x faster than one regex "
             "per term).")


def rule_table(cases: list[dict]) -> Table:
    def cell(case: str, row: dict) -> str:
        return "yes" if row[case] == row["expected"] else "no: " + (", ".join(row[case]) or "nothing")

    peers = ("pyahocorasick", "flashtext", HYBRID)
    rows = [[row["rule"], row["text"], ", ".join(row["expected"]) or "nothing", *(cell(case, row) for case in peers)]
            for row in cases]
    right = {case: sum(row[case] == row["expected"] for row in cases) for case in peers}
    return Table("The desk's rules: what each finder finds (localize's finds are the tests' cases)",
                 ["rule", "English", "localize finds", *(f"{case} the same?" for case in peers)], rows,
                 note=f"Of {len(cases)} cases, pyahocorasick finds {right['pyahocorasick']} as localize does, "
                      f"flashtext {right['flashtext']}, pyahocorasick behind localize's API {right[HYBRID]}.")


if __name__ == "__main__":
    main()
