"""The memory's refresh after a night's work: an index of 50,000 or 200,000 entries brought up to date.

The run after a batch (the desk's next night) finds the articles reviewed since: their POs,
new to the index, hold reviewed entries to add.  This bench times that refresh alone in a
fresh process (``load_memory`` of the folder, as every command that uses the memory opens
it), paired between an older worktree and this one, rounds alternated, on
``bench/memory_index.py``'s archives (made the same way, cached under --cache):

- the new POs are the 100 new articles of ``memory_index.py``, segmented by localize and
  written as reviewed POs (25 entries a PO, Arabic of the English's length), copied into the
  archive's folder before each measurement, taken out after it;
- each tree keeps its own copy of the archive, with its own index, built once; the index file
  is put back as it was after each measurement, so each round refreshes the same index.

It writes ``bench/results/memory_refresh_paired.json``:

    git worktree add /tmp/wt-before COMMIT
    .venv/bin/python bench/memory_refresh.py --before /tmp/wt-before --sizes 50000,200000 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from memory_index import BUILD, NAME, News, build_archive, child, clean_batch, prepared  # noqa: E402
from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000", help="memory entries, comma-separated")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "memory-bench"))
    parser.add_argument("--before", required=True, help="a worktree of an older commit")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    cache = Path(options.cache)
    folders, _, each = prepared(cache, [0, *sizes], options.articles)
    work = Path(tempfile.mkdtemp(prefix="memory-refresh-"))
    try:
        reviewed = work / "reviewed"
        build_archive(reviewed, [segment for article in each for segment in article], News([], seed=17))
        new = sorted((reviewed / "ar").iterdir())
        codes = {"before": Path(options.before).resolve(), "after": ROOT}
        trees = {}
        for name, code in codes.items():
            for size in sizes:
                folder = cache / f"refresh-{name}" / f"archive-{size}" / "translations"
                if not (folder / NAME).exists():
                    shutil.rmtree(folder.parent, ignore_errors=True)
                    shutil.copytree(folders[size], folder, copy_function=os.link,
                                    ignore=shutil.ignore_patterns(NAME, NAME + "-*"))
                    clean_batch(folder)
                    built = child(code, ["-c", BUILD, str(folder)], work)
                    print(f"  {name} index of {size:,} entries built: {built[1]:.1f} s CPU")
                shutil.copy2(folder / NAME, work / f"{name}-{size}.sqlite")  # (put back after each refresh)
                trees[name, size] = folder
        rounds = Rounds(options.rounds)
        for case in rounds.order([f"{name} {size}" for name in codes for size in sizes]):
            name, size = case.split()
            folder = trees[name, int(size)]
            for path in new:
                shutil.copy2(path, folder / "ar" / f"reviewed-{path.name}")
            try:
                measured = child(codes[name], ["-c", BUILD, str(folder)], work)
            finally:
                for path in new:
                    (folder / "ar" / f"reviewed-{path.name}").unlink()
                shutil.copy2(work / f"{name}-{size}.sqlite", folder / NAME)
            rounds.add(case, *measured)
            print(f"  refresh {case:16} wall {measured[0]:6.2f} s  CPU {measured[1]:6.2f} s  "
                  f"peak {measured[2]:6.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    before = commit_of(Path(options.before))
    rows = []
    for size in sizes:
        ratio = rounds.ratio(f"after {size}", f"before {size}", clock="cpu")
        rows.append([f"{size:,}", pair(summary(rounds.cpu[f"before {size}"]), 2),
                     pair(summary(rounds.cpu[f"after {size}"]), 2), f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                     f"{rounds.peak[f'before {size}']:.0f} → {rounds.peak[f'after {size}']:.0f}"])
    entries = sum(len(article) for article in each)
    tables = [Table(f"The memory's refresh before ({before[:7]}) and after, {options.rounds} alternated rounds, each a "
                    "fresh process", ["entries", "before CPU s (min / median)", "after CPU s (min / median)",
                                      "after/before (min / median)", "peak MiB before → after"], rows,
                    note=f"refresh: opening the memory of the archive's folder with {len(new)} reviewed POs "
                         f"({entries:,} entries: the {options.articles} new articles) new to its index.")]
    print_tables(tables)
    write("memory_refresh_paired", {"title": "The memory's refresh, before and after", "before": before,
                                    "sizes": sizes, "rounds": rounds.summary()},
          tables=tables, about=f"memory_index.py's archives ({', '.join(f'{s:,}' for s in sizes)} entries), "
                               f"each tree's copy with the index its code built; {len(new)} reviewed POs of the "
                               f"{options.articles} new articles' {entries:,} segments added before each refresh, "
                               "taken out after it, the index file put back.",
          command=f"bench/memory_refresh.py --before WORKTREE-OF-{before[:7]} --sizes {options.sizes} "
                                 f"--rounds {options.rounds}")


if __name__ == "__main__":
    main()
