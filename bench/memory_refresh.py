"""The memory's refresh after a night's work: an index of 50,000 or 200,000 entries brought up to date.

The run after a batch (the desk's next night) finds the articles reviewed since: their POs,
new to the index, hold reviewed entries to add.  This bench times those refreshes, night after
night, each in a fresh process (``load_memory`` of the folder, as every command that uses the
memory opens it), paired between an older worktree and this one, rounds alternated, on
``bench/memory_index.py``'s archives (made the same way, cached under --cache):

- each night brings 100 new articles (``memory_index.py``'s for the first night, then as many
  made the same way with another seed for each night after), segmented by localize and written
  as reviewed POs (25 entries a PO, Arabic of the English's length), copied into the archive's
  folder before the night's refresh; a round refreshes ``--nights`` nights in turn (a refresh
  that keeps postings apart pays later, when a refresh folds them in: the run of nights shows
  both), then takes every night's POs out;
- each tree keeps its own copy of the archive, with its own index, built once; the index file
  is put back as it was after each round, so each round refreshes the same index;
- after each night's refresh, the lookups a batch of that night's articles updated would make
  (each segment less its last word: ``match`` then ``suggest_many``, as ``memory_index.py``
  times them) are timed too, in a fresh process: what a refresh leaves for the lookups (rows to
  read, postings kept apart) is paid there.

It reports the first night's refresh, the run of nights' (in all, and its costliest night), the
lookups (their costliest night), and each night's refresh and lookups together (in all, and the
costliest night: where a run that looks up folds what the refreshes kept apart), and writes
``bench/results/memory_refresh_paired.json``:

    git worktree add /tmp/wt-before COMMIT
    .venv/bin/python bench/memory_refresh.py --before /tmp/wt-before --sizes 50000,200000 --rounds 5 --nights 8
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from memory_index import (BUILD, LOOKUPS, NAME, News, build_archive, child, clean_batch, news_pages,  # noqa: E402
                          new_articles, prepared)
from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000", help="memory entries, comma-separated")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nights", type=int, default=8)
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "memory-bench"))
    parser.add_argument("--before", required=True, help="a worktree of an older commit")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    cache = Path(options.cache)
    folders, _, each = prepared(cache, [0, *sizes], options.articles)
    work = Path(tempfile.mkdtemp(prefix="memory-refresh-"))
    try:
        nights = [each, *(night_articles(cache, options.articles, night, sizes) for night in range(1, options.nights))]
        new, updated = reviewed_nights(nights, work)
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
            try:
                refreshes, lookups = run_nights(codes[name], folder, new, updated, work)
            finally:
                for path in (folder / "ar").glob("night-*.po"):
                    path.unlink()
                shutil.copy2(work / f"{name}-{size}.sqlite", folder / NAME)
            record(rounds, case, refreshes, lookups)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    before = commit_of(Path(options.before))
    entries = [sum(len(article) for article in articles) for articles in nights]
    pos = [len(paths) for paths in new]
    tables = tables_of(rounds, sizes, before, options.articles, entries, pos)
    print_tables(tables)
    write("memory_refresh_paired", {"title": "The memory's refresh, before and after", "before": before,
                                    "sizes": sizes, "nights": len(nights), "rounds": rounds.summary()},
          tables=tables, about=f"memory_index.py's archives ({', '.join(f'{s:,}' for s in sizes)} entries), "
                               f"each tree's copy with the index its code built; {len(nights)} nights in turn, each "
                               f"adding the reviewed POs of {options.articles} new articles ({', '.join(map(str, pos))}"
                               f" POs; {', '.join(f'{count:,}' for count in entries)} entries) before its refresh; "
                               "every night's POs taken out after the round, the index file put back.",
          command=f"bench/memory_refresh.py --before WORKTREE-OF-{before[:7]} --sizes {options.sizes} "
                  f"--rounds {options.rounds} --nights {options.nights}")


def record(rounds: Rounds, case: str, refreshes: list, lookups: list) -> None:
    """A round's figures of a tree and size: its nights' refreshes and lookups (wall, CPU, peak MiB each)."""
    rounds.add(case, *refreshes[0])
    rounds.add(f"nights {case}", *(sum(measured[at] for measured in refreshes) for at in (0, 1)),
               max(measured[2] for measured in refreshes))
    rounds.add(f"costliest {case}", *max(refreshes, key=lambda measured: measured[1]))
    rounds.add(f"lookups {case}", *max(lookups, key=lambda measured: measured[1]))
    runs = [tuple(map(sum, zip(refresh[:2], looked[:2], strict=True))) + (max(refresh[2], looked[2]),)
            for refresh, looked in zip(refreshes, lookups, strict=True)]  # (a night's refresh and lookups)
    rounds.add(f"runs {case}", *(sum(measured[at] for measured in runs) for at in (0, 1)),
               max(measured[2] for measured in runs))
    rounds.add(f"costliest run {case}", *max(runs, key=lambda measured: measured[1]))
    print(f"  {case:16} refreshes CPU " + " ".join(f"{measured[1]:.2f}" for measured in refreshes)
          + f" s, peak {max(measured[2] for measured in refreshes):.1f} MiB;  lookups CPU "
          + " ".join(f"{measured[1]:.2f}" for measured in lookups)
          + f" s, peak {max(measured[2] for measured in lookups):.1f} MiB")


def tables_of(rounds: Rounds, sizes: list[int], before: str, articles: int, entries: list[int],
              pos: list[int]) -> list[Table]:
    """The bench's tables: the first night's refresh, the nights' in all, the costliest, the lookups."""
    nights, count = len(pos), rounds.count
    tables = []
    for kind, title, note in (
            ("", "The memory's refresh after a night",
             f"refresh: opening the memory of the archive's folder with {pos[0]} reviewed POs ({entries[0]:,} "
             f"entries: the {articles} new articles) new to its index."),
            ("nights ", f"{nights} nights' refreshes in all",
             f"the refreshes of {nights} nights in turn, each bringing {articles} new articles ({min(pos)}-{max(pos)} "
             f"reviewed POs, {min(entries):,}-{max(entries):,} entries): their CPU in all; peak: the largest."),
            ("costliest ", "The costliest night's refresh",
             f"the refresh of the {nights} nights whose CPU was the largest (in each round)."),
            ("lookups ", "Lookups after a night's refresh (the costliest night)",
             "lookups: the night's segments, each less its last word (match, then suggest_many), in a fresh "
             "process after the night's refresh, against the index it left; the night whose lookups cost most."),
            ("runs ", f"{nights} nights' refreshes and lookups in all",
             f"each night's refresh, then its lookups (the two processes above), over the {nights} nights: their "
             "CPU in all (what the night job pays; the postings a refresh keeps apart are folded by the first "
             "lookups that find too many of them); peak: the largest."),
            ("costliest run ", "The costliest night's refresh and lookups",
             f"the night of the {nights} whose refresh and lookups together cost the most CPU (in each round).")):
        rows = []
        for size in sizes:
            ratio = rounds.ratio(f"{kind}after {size}", f"{kind}before {size}", clock="cpu")
            rows.append([f"{size:,}", pair(summary(rounds.cpu[f"{kind}before {size}"]), 2),
                         pair(summary(rounds.cpu[f"{kind}after {size}"]), 2),
                         f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                         f"{rounds.peak[f'{kind}before {size}']:.0f} → {rounds.peak[f'{kind}after {size}']:.0f}"])
        tables.append(Table(f"{title}, before ({before[:7]}) and after, {count} alternated rounds, each a fresh "
                            "process", ["entries", "before CPU s (min / median)", "after CPU s (min / median)",
                                        "after/before (min / median)", "peak MiB before → after"], rows, note=note))
    return tables


def reviewed_nights(nights: list[list[list[str]]], work: Path) -> tuple[list[list[Path]], list[Path]]:
    """Each night's reviewed POs, and the segments of its lookups (each less its last word)."""
    new, updated = [], []
    for night, articles in enumerate(nights):
        reviewed = work / f"reviewed-{night}"
        build_archive(reviewed, [segment for article in articles for segment in article], News([], seed=17 + night))
        new.append(sorted((reviewed / "ar").iterdir()))
        updated.append(work / f"updated-{night}.json")
        updated[-1].write_text(json.dumps([segment.rsplit(" ", 1)[0] for article in articles for segment in article]),
                               encoding="utf-8")
    return new, updated


def run_nights(code: Path, folder: Path, new: list[list[Path]], updated: list[Path], work: Path) -> tuple[list, list]:
    """Each night in turn: its POs copied into ``folder``, its refresh, then its lookups (each a
    fresh process of ``code``: wall, CPU, peak MiB)."""
    refreshes, lookups = [], []
    for night, paths in enumerate(new):
        for path in paths:
            shutil.copy2(path, folder / "ar" / f"night-{night}-{path.name}")
        refreshes.append(child(code, ["-c", BUILD, str(folder)], work))
        lookups.append(child(code, ["-c", LOOKUPS, str(updated[night]), str(folder)], work))
    return refreshes, lookups


def night_articles(cache: Path, articles: int, night: int, sizes: list[int]) -> list[list[str]]:
    """The segments of each of a later night's new articles (made as ``memory_index.py`` makes its
    own, with the night's seed; kept under ``cache``)."""
    from localize.readers import parse_article
    from localize.segment import segment_article

    path = cache / f"night-{night}-articles-{articles}-{min([size for size in sizes if size] or [0])}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    english = json.loads((cache / f"largest-{max(sizes)}-articles-{articles}" / "english.json")
                         .read_text(encoding="utf-8"))  # (the archives' English, as prepared() made it)
    smallest = min([size for size in sizes if size] or [len(english)])
    made = [[segment.source for segment in segment_article(parse_article(text.encode(), f"night-{night}-{at}.txt"))]
            for at, text in enumerate(new_articles(News(news_pages(cache), seed=1000 + night), english[:smallest],
                                                   articles))]
    path.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    return made


if __name__ == "__main__":
    main()
