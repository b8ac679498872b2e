"""Segmenter speed: localize.segment against pySBD on the same text, same process.

Runs both segmenters over the same blocks (the sample article and the test
fixtures, repeated), alternating rounds so machine noise hits both alike, and
prints sentences per second and the ratio.  Also reports how many sentences the
two produce, as a sanity check that they do the same job.

    .venv/bin/python bench/segment_speed.py [--rounds 5] [--copies 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from localize.readers import parse_article  # noqa: E402
from localize.segment import split  # noqa: E402
from record import Rounds, Table, pair, print_tables, summary, write  # noqa: E402


def corpus(copies: int) -> list[str]:
    paths = [ROOT.parent / "shared" / "articles" / "iran-imis.txt",
             *sorted((ROOT / "tests" / "fixtures").glob("*.txt")),
             *sorted((ROOT / "tests" / "fixtures").glob("*.md")),
             *sorted((ROOT / "tests" / "fixtures").glob("*.html"))]
    blocks = [block.text for path in paths if path.exists()
              for block in parse_article(path.read_bytes(), path.name).blocks]
    return blocks * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    options = parser.parse_args()
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    blocks = corpus(options.copies)
    cases = {"localize": split, "pySBD": segmenter.segment}
    rounds, counts = Rounds(options.rounds), {}
    for case in rounds.order(list(cases)):
        with rounds.time(case):
            counts[case] = sum(len(cases[case](block)) for block in blocks)
    chars = sum(len(block) for block in blocks)
    ratio = rounds.ratio("pySBD", "localize", clock="cpu")
    rows = [[case, f"{counts[case]:,}", pair(summary(rounds.cpu[case])),
             f"{counts[case] / rounds.stat(case, 'cpu', 'min'):,.0f} / {counts[case] / rounds.stat(case, 'cpu'):,.0f}"]
            for case in cases]
    tables = [Table(f"{len(blocks):,} blocks, {chars:,} characters, {options.rounds} alternated rounds",
                    ["segmenter", "sentences", "CPU s (min / median)", "sentences/s (best / median)"], rows,
                    note=f"pySBD takes {ratio['min']:.1f}x (min) / {ratio['median']:.1f}x (median) localize's CPU time "
                         "(goal: >= 10x).")]
    print_tables(tables)
    write("segment_speed", {"title": "Segmentation", "rounds": rounds.summary(), "ratio_pysbd_over_localize": ratio,
                            "blocks": len(blocks), "characters": chars, "sentences": counts},
          tables=tables, command=f"bench/segment_speed.py --rounds {options.rounds} --copies {options.copies}",
          about="localize's segmenter and pySBD (the strongest peer: rule-based, Golden Rules) over the same blocks: "
                "the sample article and the test fixtures, repeated; the two sentence counts show they do the same "
                "job.")


if __name__ == "__main__":
    main()
