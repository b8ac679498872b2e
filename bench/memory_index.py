"""The translation memory's index against the exhaustive memory (every PO parsed, every unit scored).

Builds an archive of --pos PO files holding --entries reviewed entries in all,
made of real English news sentences (the 95 pages of tests/fixtures/news) and
variants of them with a word or two changed (so that fuzzy matches exist), and
prints, min and median of --rounds alternating rounds:

- the index's first build, and bringing it up to date when nothing changed
  (what every translate/batch run pays; the exhaustive memory parses every PO);
- one new article (--segments sentences, half of them close to archive
  sentences) against the archive: open + exact and fuzzy lookups, both ways;
- the lookups of 1,000 new articles (the exhaustive search is timed on
  --sample of them and scaled: it would take minutes a round);
- recall of the index's suggestions against the exhaustive search (75% ratio).

    .venv/bin/python bench/memory_index.py [--pos 2000] [--entries 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402

from localize.memory.index import NAME, MemoryIndex  # noqa: E402
from localize.memory.tm import Memory, units_from_catalog  # noqa: E402


def news_sentences() -> list[str]:
    expected = json.loads((ROOT / "tests/fixtures/news/expected.json").read_text(encoding="utf-8"))
    found = []
    for page in expected.values():
        for sentence in re.split(r"(?<=[.!?])\s+", page["body"]):
            if 6 <= len(sentence.split()) <= 40:
                found.append(sentence.strip())
    return list(dict.fromkeys(found))


def variant(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    words = sentence.split()
    for _ in range(rng.randint(1, 2)):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)


def build_archive(folder: Path, pos: int, entries: int, rng: random.Random) -> list[str]:
    base = news_sentences()
    vocabulary = [w for s in base for w in s.split()]
    english = list(dict.fromkeys(base + [variant(rng.choice(base), rng, vocabulary)
                                         for _ in range(entries)]))[:entries]
    per_po = -(-len(english) // pos)
    for number in range(pos):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
        for index, sentence in enumerate(english[number * per_po:(number + 1) * per_po], 1):
            po.append(polib.POEntry(msgctxt=f"{index}.1", msgid=sentence, msgstr=f"ترجمة {number}-{index}"))
        path = folder / "ar" / f"article-{number:05d}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
    return english


def exhaustive(folder: Path) -> Memory:
    from localize.catalog import read_po

    units = []
    for path in sorted(folder.rglob("*.po")):
        units += units_from_catalog(read_po(path), path.as_posix())
    return Memory(units)


def lookups(memory, queries) -> int:
    found = 0
    for query in queries:
        found += memory.match(query) is not None
        found += len(memory.suggest(query))
    return found


def rounds(count, *functions):
    """Each function ``count`` times, alternating; their times."""
    times = [[] for _ in functions]
    for _ in range(count):
        for slot, function in enumerate(functions):
            start = time.perf_counter()
            function()
            times[slot].append(time.perf_counter() - start)
    return times


def show(label, seconds, goal=""):
    print(f"  {label:44} {min(seconds):8.3f} s min {statistics.median(seconds):8.3f} s median {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pos", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--segments", type=int, default=30, help="sentences of a new article")
    parser.add_argument("--sample", type=int, default=20, help="articles timed for the 1,000-article case")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    rng = random.Random(5)
    folder = Path(tempfile.mkdtemp(prefix="memory-bench-")) / "translations"
    start = time.perf_counter()
    english = build_archive(folder, options.pos, options.entries, rng)
    print(f"archive: {options.pos} POs, {len(english)} reviewed entries (written in "
          f"{time.perf_counter() - start:.0f} s)")
    vocabulary = [w for s in english[:2000] for w in s.split()]

    def article():
        close = [variant(rng.choice(english), rng, vocabulary) for _ in range(options.segments // 2)]
        return close + [variant(variant(rng.choice(english), rng, vocabulary), rng, vocabulary)
                        for _ in range(options.segments - len(close))]

    start = time.perf_counter()
    MemoryIndex(folder).close()
    print(f"  {'index: first build':44} {time.perf_counter() - start:8.3f} s (once; then only changed files)")
    up_to_date, parsed = rounds(options.rounds, lambda: MemoryIndex(folder).close(), lambda: exhaustive(folder))
    show("index: open, nothing changed", up_to_date, "(goal: re-run < 0.5 s)")
    show("exhaustive: parse every PO", parsed)
    new = article()
    one_index, one_exhaustive = rounds(options.rounds, lambda: lookups(MemoryIndex(folder), new),
                                       lambda: lookups(exhaustive(folder), new))
    show(f"one new article ({len(new)} segments), index", one_index, "(goal: < 0.3 s)")
    show(f"one new article ({len(new)} segments), exhaustive", one_exhaustive)
    memory = exhaustive(folder)
    thousand = [segment for _ in range(1000) for segment in article()]
    sample = thousand[:options.sample * options.segments]
    scale = len(thousand) / len(sample)
    per_index, per_exhaustive = rounds(options.rounds, lambda: lookups(MemoryIndex(folder), thousand),
                                       lambda: lookups(memory, sample))
    show(f"1,000 new articles ({len(thousand)} segments), index", per_index, "(goal: < 10 s; open included)")
    show(f"1,000 new articles, exhaustive (timed on {options.sample}, scaled)", [t * scale for t in per_exhaustive])
    index = MemoryIndex(folder)
    wanted = found = 0
    for query in sample:
        expected = {(s.score, s.unit.source) for s in memory.suggest(query)}
        got = {(s.score, s.unit.source) for s in index.suggest(query)}
        wanted += len(expected)
        found += len(expected & got)
    print(f"  recall of the index's suggestions against the exhaustive search: {found}/{wanted} "
          f"({found / max(1, wanted):.2%}; goal 100%, never under 99%)")
    print(f"  index file: {(folder / NAME).stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
