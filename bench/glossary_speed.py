"""Glossary checking speed: 5,000 terms against 10,000 segments.

Compares localize's indexed one-pass check (find every term in the English,
verify its Arabic) with the common approach of one regular expression per term
run over every segment, in the same process on the same data.  The baseline is
timed on a slice of the segments and scaled (running it on all would take
minutes); both sides verify the Arabic of what they find the same way.

    .venv/bin/python bench/glossary_speed.py [--terms 5000] [--segments 10000] [--baseline-slice 300]
"""

from __future__ import annotations

import argparse
import statistics
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localize.checks import arabic, glossary  # noqa: E402
from localize.checks.glossary import Term, TermIndex, verify  # noqa: E402

COMMON = ("the said that in of and to a on for with officials forces government was were has "
          "been after by from at during against new war city region talks leaders").split()
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def make_terms(count: int, rng: random.Random) -> list[Term]:
    terms, seen = [], set()
    while len(terms) < count:
        words = [rng.choice("BCDFGKLMNPRSTVZ") + "".join(rng.choice("aeioulnrst") for _ in range(rng.randint(3, 7)))
                 for _ in range(rng.randint(1, 3))]
        source = " ".join(words)
        if rng.random() < 0.1:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--segments", type=int, default=10000)
    parser.add_argument("--baseline-slice", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7, help="rounds of localize's full run, and of finding (min and median)")
    options = parser.parse_args()
    rng = random.Random(7)
    terms = make_terms(options.terms, rng)
    segments = make_segments(terms, options.segments, rng)

    rounds = []
    for _ in range(options.rounds):  # a fresh index each round: building it is part of the cost
        for cache in (arabic._form_shape, arabic._cached_stem, glossary._lookup_keys):
            cache.cache_clear()  # every round starts cold, as a fresh `localize check` does
        start = time.perf_counter()
        index = TermIndex(terms)
        ours_issues = sum(len(verify(source, translation, index)) for source, translation in segments)
        rounds.append(time.perf_counter() - start)
    ours = statistics.median(rounds)

    baseline = per_term_regex(terms)
    part = segments[:options.baseline_slice]
    start = time.perf_counter()
    baseline_issues = sum(baseline(source, translation) for source, translation in part)
    scaled = (time.perf_counter() - start) * len(segments) / len(part)
    ours_part = sum(len(verify(s, t, index)) for s, t in part)

    print(f"{len(terms)} terms, {len(segments)} segments")
    print(f"localize (index + verify)  : {ours:7.2f} s median, {min(rounds):.2f} s min of {len(rounds)} rounds, "
          f"for all segments, {ours_issues} issues (goal: < 2 s)")
    print(f"one regex per term         : {scaled:7.2f} s (scaled from {len(part)} segments)")
    print(f"issues on the slice        : localize {ours_part}, per-term regex {baseline_issues}")
    print(f"ratio                      : localize is {scaled / ours:.0f}x faster (goal: >= 20x)")
    finding(terms, segments, options.rounds)


def finding(terms, segments, count: int) -> None:
    """Finding the terms only, against flashtext (Aho-Corasick over words, case-insensitive), the
    strongest peer for keyword finding; it does none of localize's extra rules (plurals,
    possessives, hyphen variants, acronym case, punctuation a term has)."""
    from flashtext import KeywordProcessor

    keywords = KeywordProcessor(case_sensitive=False)
    for term in terms:
        keywords.add_keyword(term.source)
    index = TermIndex(terms)
    sources = [source for source, _ in segments]
    ours, theirs = [], []
    for _ in range(count):  # alternating rounds
        start = time.perf_counter()
        found = sum(len(index.find(source)) for source in sources)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        peer = sum(len(keywords.extract_keywords(source)) for source in sources)
        theirs.append(time.perf_counter() - start)
    print(f"finding only, localize     : {min(ours):7.2f} s min, {statistics.median(ours):.2f} s median, "
          f"{found} terms found")
    print(f"finding only, flashtext    : {min(theirs):7.2f} s min, {statistics.median(theirs):.2f} s median, "
          f"{peer} terms found")
    print(f"finding ratio              : flashtext is {statistics.median(ours) / statistics.median(theirs):.2f}x "
          "the speed of localize (goal: <= 1.0)")


if __name__ == "__main__":
    main()
