"""publish before and after: an earlier checkout's `localize publish` against this one's.

Both run, each in a fresh process (its output to /dev/null), in alternated rounds with publish's
floor, over the same archive of distinct reviewed POs that bench/archive_scale.py builds (and
keeps under --archive); the pages the two write are compared byte for byte.  CPU is the
process's user + system time, peak memory its own VmHWM.

    git worktree add /tmp/pub-before <commit>
    .venv/bin/python bench/publish.py --before /tmp/pub-before [--rounds 3] [--sizes 1000]
    git worktree remove /tmp/pub-before
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from archive_scale import ARCHIVE_FOLDER, measure, project  # noqa: E402
from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402


def paired(archive: Path, sizes: list[int], count: int, before: Path) -> tuple[dict, list[Table]]:
    """publish of the checkout at ``before`` against this one's, and the floor, on the same
    archive in alternated rounds; the pages of the two compared byte for byte."""
    rounds, pages = Rounds(count), {}
    folders = {size: project(archive, size) for size in sizes}
    trees = {"before": before, "after": ROOT}
    for case in rounds.order([f"{side}@{size}" for size in sizes for side in (*trees, "floor")]):
        side, size = case.split("@")
        found = measure(rounds, case, folders[int(size)], trees.get(side, ROOT), "" if side == "floor" else "publish")
        pages.setdefault(case, found)
    rows = []
    for size in sizes:
        ratio = rounds.ratio(f"after@{size}", f"before@{size}", clock="cpu")
        rows.append([f"{size:,}", pair(summary(rounds.cpu[f"before@{size}"]), 1),
                     pair(summary(rounds.cpu[f"after@{size}"]), 1), f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                     pair(summary(rounds.cpu[f"floor@{size}"]), 1),
                     pair(summary(rounds.wall[f"before@{size}"]), 1), pair(summary(rounds.wall[f"after@{size}"]), 1),
                     f"{rounds.peak[f'before@{size}']:.1f} → {rounds.peak[f'after@{size}']:.1f}",
                     "yes" if pages[f"before@{size}"] == pages[f"after@{size}"] else "NO"])
    table = Table(f"publish before ({commit_of(before)}) and after, {count} alternated rounds",
                  ["POs", "before CPU s", "after CPU s", "after / before CPU", "floor CPU s", "before wall s",
                   "after wall s", "peak MiB", "same pages"], rows,
                  note="Seconds of the process, min / median; the ratio of the minima / of the medians.")
    return {"cases": rounds.summary(), "sizes": sizes, "pages": pages}, [table]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the earlier commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="POs in the archive")
    parser.add_argument("--archive", type=Path, default=ARCHIVE_FOLDER, help="where the archive is built once and kept")
    options = parser.parse_args()
    before = options.before.resolve()
    data, tables = paired(options.archive, options.sizes, options.rounds, before)
    print_tables(tables)
    write("publish", {"title": "publish before and after", "rounds": options.rounds, **data}, tables=tables,
          command=f"bench/publish.py --before <checkout of {commit_of(before)}> --rounds {options.rounds} "
                  f"--sizes {' '.join(map(str, options.sizes))}",
          about="`localize publish` (the HTML edition) of a checkout of the earlier commit and of this one, each a "
                "fresh process, alternated with publish's floor, over the archive of distinct reviewed POs that "
                "`bench/archive_scale.py` builds (see there, and for the floor); the pages of the two are compared "
                "byte for byte.")


if __name__ == "__main__":
    main()
