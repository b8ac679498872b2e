"""Approving an entry in the review page (``POST /api/po/NAME/save``), two source trees paired.

The save path is the one a reviewer waits on: the folder lock, the PO read and parsed from disk,
the entry's checks, the PO written (fsynced) and checked again.  ``bench/serve.py`` times it by
wall clock over HTTP, where the disk's fsync decides most of the figure; this bench takes the
CPU of each save, in the app's own process, so that two versions of the code can be compared
on this noisy machine: each round runs a fresh process for each tree (alternated: before, after,
then after, before ...), each approving SAVES entries of its own copy of the same 300-segment
PO of fuzzy drafts (``bench/serve.py``'s long article), through Flask's test client.

    git worktree add /tmp/wt-old COMMIT
    .venv/bin/python bench/approve.py --before /tmp/wt-old [--rounds 5] [--saves 30] [--segments 300]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402

CHILD = """
import html, json, os, re, resource, sys
from localize.serve import create_app

os.chdir(sys.argv[1])
client = create_app("translations", reviewer="bench").test_client()
page = client.get("/po/ar/story.po").get_data(as_text=True)
csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
todo = re.findall(r'data-key="([\\d.]+)"\\s+data-msgid="([^"]*)" data-tcomment="[^"]*" data-base-msgstr="([^"]*)"',
                  page)
spent = []
for key, msgid, base in todo[:int(sys.argv[2])]:
    before = resource.getrusage(resource.RUSAGE_SELF)
    response = client.post("/api/po/ar/story.po/save", headers={"X-CSRF-Token": csrf},
                           json={"msgctxt": key, "msgid": html.unescape(msgid), "approve": True,
                                 "msgstr": "ترجمة مراجعة رقم 12 عن إيران.",
                                 "base": {"msgstr": html.unescape(base), "fuzzy": True}})
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    spent.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
print(json.dumps(spent))
"""


def project(segments: int) -> Path:
    """A project holding the long article's PO, every entry a fuzzy draft (made once per run)."""
    from serve import fill, story

    home = Path(tempfile.mkdtemp(prefix="approve-bench-"))
    (home / "glossaries").mkdir()
    shutil.copy(ROOT / "glossaries" / "news.csv", home / "glossaries" / "news.csv")
    story(home, segments)
    fill(home / "translations" / "ar" / "story.po", reviewed=False)
    return home


def saves(tree: Path, home: Path, count: int) -> list[float]:
    """The CPU seconds of each of ``count`` approvals, by the code of ``tree``, on a copy of ``home``."""
    copy = Path(tempfile.mkdtemp(prefix="approve-copy-"))
    try:
        shutil.copytree(home, copy, dirs_exist_ok=True)
        done = subprocess.run([sys.executable, "-c", CHILD, str(copy), str(count)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(tree)}, cwd=copy, check=False)
        if done.returncode:
            raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
        return json.loads(done.stdout)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="a worktree of the older commit")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--segments", type=int, default=300)
    options = parser.parse_args()
    trees = {"before": Path(options.before).resolve(), "after": ROOT}
    home = project(options.segments)
    rounds = Rounds(options.rounds)
    try:
        for side in rounds.order(list(trees)):
            for spent in saves(trees[side], home, options.saves):
                rounds.add(side, spent, spent)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    commits = {side: commit_of(tree) for side, tree in trees.items()}
    ratio = rounds.ratio("after", "before", clock="cpu")
    tables = [Table(f"CPU seconds of one approval of a {options.segments}-segment PO (min / median of "
                    f"{options.rounds} rounds x {options.saves} saves)",
                    ["code", "commit", "CPU s (min / median)"],
                    [[side, commits[side], pair(summary(rounds.cpu[side]), 4)] for side in trees],
                    note=f"after / before: {ratio['min']:.2f} (min) / {ratio['median']:.2f} (median).")]
    print_tables(tables)
    write("approve_paired", {"title": "Approving an entry, paired", "rounds": rounds.summary(), "ratio": ratio,
                             "commits": commits},
          tables=tables, command=f"bench/approve.py --before WORKTREE-OF-{commits['before']} --rounds {options.rounds} "
                                 f"--saves {options.saves} --segments {options.segments}",
          about="The CPU of each `POST /api/po/NAME/save` with approve (the folder lock, the PO read and parsed, "
                "the entry's checks, the PO written and fsynced, checked again), in the app's own process through "
                "Flask's test client: two source trees in alternated rounds, each a fresh process approving its "
                "own copy of the same PO of fuzzy drafts. `bench/serve.py` times the same request by wall clock "
                "over HTTP, where the disk's fsync decides most of it.")


if __name__ == "__main__":
    main()
