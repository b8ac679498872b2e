"""`localize status` and the review page's list of articles, an earlier checkout against this one.

On ``bench/serve.py``'s archives (distinct news-length articles, half their POs approved, half
fuzzy drafts, the house glossary), each case a fresh process of one tree (``PYTHONPATH``),
the trees alternated round by round:

- status cold: `localize status` with no status cache (every PO read and checked, the cache
  written); status warm: the same again, its cache there;
- list cold: the review app (``create_app``, Flask's test client) answering `GET /` with no
  status cache, then list warm: the same request again in that process, 7 times (the CPU of
  each request, from getrusage in the process; warm: their median).

CPU is user + system time, peak memory the process's own VmHWM.  Each tree keeps its status
cache in its own file (an older one may name it otherwise); a cold case removes every one.

    git worktree add /tmp/wt-old COMMIT
    .venv/bin/python bench/status_paired.py --before /tmp/wt-old [--sizes 1000,5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from archive_scale import COMMAND, _PEAK, child  # noqa: E402
from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402

CACHES = (".localize-status.sqlite", ".localize-status.json")  # (this code's, and 904b90b's)
WARM = 7  # warm requests a process (a warm request takes tens of milliseconds: one is noise on this machine)
LIST = _PEAK + """
import json, resource, sys
from localize.serve import create_app

client = create_app("translations", reviewer="bench").test_client()
spent = []
for _ in range(1 + int(sys.argv[2])):  # (cold, then warm ones)
    before = resource.getrusage(resource.RUSAGE_SELF)
    response = client.get("/")
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    spent.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
with open(sys.argv[1], "w", encoding="ascii") as out:
    json.dump(spent, out)
"""


def forget(home: Path) -> None:
    for name in CACHES:
        (home / "translations" / name).unlink(missing_ok=True)


def listing(tree: Path, home: Path) -> tuple[list[float], float]:
    """A fresh app's `GET /`, then WARM more: (the CPU of each request, the process's peak MiB)."""
    handle, spent = tempfile.mkstemp(prefix="bench-list-")
    os.close(handle)
    measured = child(LIST, [spent, str(WARM)], home, tree)
    found = json.loads(Path(spent).read_text(encoding="ascii"))
    os.unlink(spent)
    return found, measured["peak"]


def main() -> None:
    from serve import archive

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="a worktree of the earlier commit")
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    trees = {"before": Path(options.before).resolve(), "after": ROOT}
    before = commit_of(trees["before"])
    rows, results = [], {}
    for size in [int(size) for size in options.sizes.split(",")]:
        home = archive(size)
        pos = sum(1 for _ in (home / "translations").rglob("*.po"))
        rounds = Rounds(options.rounds)
        for case in rounds.order([f"{kind} {side}" for side in trees for kind in ("status", "list")]):
            kind, side = case.split()
            forget(home)
            if kind == "status":
                for state in ("cold", "warm"):  # (warm: the cache the cold run wrote)
                    measured = child(COMMAND, ["status"], home, trees[side])
                    rounds.add(f"status {state} {side}", measured["wall"], measured["cpu"], measured["peak"])
            else:
                (cold, *warm), peak = listing(trees[side], home)
                rounds.add(f"list cold {side}", cold, cold, peak)
                rounds.add(f"list warm {side}", statistics.median(warm), statistics.median(warm), peak)
            print(f"  {size} {case} done", flush=True)
        forget(home)
        for case in ("status cold", "status warm", "list cold", "list warm"):
            ratio = rounds.ratio(f"{case} after", f"{case} before", clock="cpu")
            rows.append([f"{pos:,}", case, pair(summary(rounds.cpu[f"{case} before"])),
                         pair(summary(rounds.cpu[f"{case} after"])), f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                         f"{rounds.peak[f'{case} before']:.0f} → {rounds.peak[f'{case} after']:.0f}"])
        results[str(size)] = rounds.summary()
    tables = [Table(f"`localize status` and the list of articles before ({before}) and after, {options.rounds} "
                    "alternated rounds, each a fresh process", ["POs", "case", "before CPU s (min / median)",
                                                                "after CPU s (min / median)",
                                                                "after/before (min / median)",
                                                                "peak MiB before → after"], rows,
                    note="status: the process's CPU; list: the CPU of the request in the app's process (warm: the "
                         f"median of {WARM} requests a process; the peak: the process's, cold and warm requests "
                         "together). Cold: no status cache file; warm: the same again with the cache the cold run "
                         "wrote.")]
    print_tables(tables)
    write("status_paired", {"title": "status and the list, before and after", "before": before,
                            "rounds": results}, tables=tables,
          about="bench/serve.py's archives; each case a fresh process of one tree, the trees alternated; min / "
                "median of the rounds.",
          command=f"bench/status_paired.py --before WORKTREE-OF-{before} --sizes {options.sizes} "
                  f"--rounds {options.rounds}")


if __name__ == "__main__":
    main()
