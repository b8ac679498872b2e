"""Segmenter speed: localize.segment against pySBD on the same text, same process.

Runs both segmenters over the same blocks (the sample article and the test
fixtures, repeated), alternating rounds so machine noise hits both alike, and
prints sentences per second and the ratio.  Also reports how many sentences the
two produce, as a sanity check that they do the same job.

    .venv/bin/python bench/segment_speed.py [--rounds 5] [--copies 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from localize.readers import parse_article  # noqa: E402
from localize.segment import split  # noqa: E402


def corpus(copies: int) -> list[str]:
    paths = [ROOT.parent / "shared" / "articles" / "iran-imis.txt",
             *sorted((ROOT / "tests" / "fixtures").glob("*.txt")),
             *sorted((ROOT / "tests" / "fixtures").glob("*.md")),
             *sorted((ROOT / "tests" / "fixtures").glob("*.html"))]
    blocks = [block.text for path in paths if path.exists()
              for block in parse_article(path.read_bytes(), path.name).blocks]
    return blocks * copies


def timed(function, blocks) -> tuple[float, int]:
    start = time.perf_counter()
    count = sum(len(function(block)) for block in blocks)
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    options = parser.parse_args()
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    blocks = corpus(options.copies)
    ours, theirs = [], []
    for _ in range(options.rounds):
        seconds, our_count = timed(split, blocks)
        ours.append(seconds)
        seconds, their_count = timed(segmenter.segment, blocks)
        theirs.append(seconds)
    our_time, their_time = statistics.median(ours), statistics.median(theirs)
    chars = sum(len(block) for block in blocks)
    print(f"text: {len(blocks)} blocks, {chars:,} characters, {options.rounds} rounds (median)")
    print(f"localize : {our_count:6d} sentences  {our_count / our_time:12,.0f} sentences/s")
    print(f"pySBD    : {their_count:6d} sentences  {their_count / their_time:12,.0f} sentences/s")
    print(f"ratio    : localize is {their_time / our_time:.1f}x faster than pySBD (goal: >= 10x)")


if __name__ == "__main__":
    main()
