"""Paired bench: the same CLI workload against two source trees, before and after a refactor.

Each tree is a checkout of this repository (e.g. a `git worktree` of the old commit and of HEAD);
every command runs as ``python -m localize ...`` in a fresh subprocess with PYTHONPATH set to that
tree (and the current folder a temporary project, so the editable install of /work/main never
wins: checked before the rounds).  Rounds alternate the order of the sides (before, after, then
after, before ...), so drift on the machine falls on both alike.  No machine translation (--no-mt).

Workload, per side and round, in temporary projects with glossaries/news.csv:
  help       localize --help (start-up), 3 samples a round
  translate  localize translate --no-mt over N copies of the sample article (distinct names)
  batch      localize batch --no-mt over the same N articles, in a second project
  batch_rerun  the same batch again (every article unchanged)
  check      localize check --glossary glossaries/news.csv over the N POs of `translate`
  status     localize status --glossary glossaries/news.csv
  publish    localize publish --allow-draft over the N POs

Before check/status/publish the bench fills the POs of `translate` the same way on both sides
(with polib, not with either tree): a third reviewed with the glossary's Arabic terms, a third
fuzzy drafts, a third reviewed without the terms (missing-term issues), so the checks have work.

Per command: wall time, CPU time (user+sys of the child, from os.wait4) and the child's peak RSS
(VmHWM, written by the child at exit: see CHILD).
Prints min and median per side and the ratio after/before; writes bench/results/house_paired.json.
Round 0's standard output of each command is compared between the sides (paths and batch's
elapsed seconds and rates normalised).

    D=$(mktemp -d /tmp/house-paired.XXXXXX)
    git worktree add $D/before 3fa2410 && git worktree add $D/after HEAD
    .venv/bin/python bench/house_paired.py --before $D/before --after $D/after [--articles 200] [--rounds 7]
    git worktree remove --force $D/before && git worktree remove --force $D/after
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
ARTICLE = Path("/work/shared/articles/iran-imis.txt")
STEPS = ["help", "translate", "batch", "batch_rerun", "check", "status", "publish"]
HELP_SAMPLES = 3
WITHOUT_TERMS = 2


def commit_of(tree: Path) -> str | None:
    """The commit a checkout or worktree is at, read from its git files (no git command)."""
    git = tree / ".git"
    try:
        if git.is_file():
            git = Path(git.read_text().split("gitdir:", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref:"):
            ref = head.split(None, 1)[1]
            ref_file = git / ref
            if not ref_file.exists():  # a worktree's refs live in the common dir
                ref_file = Path((git / "commondir").read_text().strip())
                ref_file = (git / ref_file / ref) if not ref_file.is_absolute() else ref_file / ref
            return ref_file.read_text().strip()
        return head
    except (OSError, IndexError):
        return None


# `python -m localize ARGS`, and at exit the child's own peak RSS (VmHWM of its address space) into
# $HOUSE_RSS_FILE.  ru_maxrss from wait4 would not do: on Linux a child started by fork/vfork + exec
# keeps the bench's own high-water mark in it (signal->maxrss), so every command would read >= the bench.
CHILD = """\
import atexit, runpy, sys
def _rss():
    with open('/proc/self/status') as f, open(__import__('os').environ['HOUSE_RSS_FILE'], 'w') as out:
        out.write(next(line.split()[1] for line in f if line.startswith('VmHWM:')))
atexit.register(_rss)
sys.argv[0] = 'localize'
runpy.run_module('localize', run_name='__main__', alter_sys=True)
"""


def run(tree: Path, cwd: Path, args: list[str]) -> dict:
    """Run `python -m localize ARGS` with TREE first on the path; wall, CPU, peak RSS, stdout."""
    rss_file = Path(tempfile.mkstemp(prefix="house-rss-")[1])
    env = dict(os.environ, PYTHONPATH=str(tree), NO_COLOR="1", COLUMNS="100", HOUSE_RSS_FILE=str(rss_file))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):  # check exits 1 when it finds issues
        raise SystemExit(f"{tree}: localize {' '.join(args[:3])} ... exited {proc.returncode}:\n{text[-3000:]}")
    rss_kb = int(rss_file.read_text())
    rss_file.unlink()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": rss_kb,
            "rc": proc.returncode, "out": text}


def make_project(tree: Path, root: Path, n: int, glossary: Path) -> None:
    run(tree, root, ["init", "."])
    shutil.copy(glossary, root / "glossaries" / "news.csv")
    (root / "articles").mkdir()
    for i in range(n):
        shutil.copy(ARTICLE, root / "articles" / f"article-{i:04d}.txt")


def fill(po_dir: Path) -> None:
    """The same translations on both sides: reviewed with terms, drafts, reviewed without terms."""
    for path in sorted(po_dir.glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=78)
        for i, entry in enumerate(e for e in po if not e.obsolete):
            terms = [m.group(1).split(" (also:")[0].strip()
                     for m in re.finditer(r"glossary: .*? = (.*)", entry.comment or "")]
            numbers = " ".join(re.findall(r"\d+", entry.msgid))
            kind = i % 3  # 0: reviewed with the terms, 1: draft, 2: reviewed without the terms
            if kind == WITHOUT_TERMS:
                entry.msgstr = f"نص مترجم بلا مصطلحات {numbers}".strip()
            else:
                entry.msgstr = " ".join(["نص مترجم", *terms, numbers]).strip()
            if kind == 1:
                entry.flags = ["fuzzy", *(f for f in entry.flags if f != "fuzzy")]
            else:
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
        po.save(str(path))


def workload(tree: Path, n: int, glossary: Path) -> dict[str, list[dict]]:
    """One side's round: every step once (help HELP_SAMPLES times), in fresh temporary projects."""
    results: dict[str, list[dict]] = {step: [] for step in STEPS}
    with tempfile.TemporaryDirectory(prefix="house-") as tmp:
        a, b = Path(tmp, "a"), Path(tmp, "b")
        a.mkdir()
        b.mkdir()
        make_project(tree, a, n, glossary)
        make_project(tree, b, n, glossary)
        articles = [f"articles/article-{i:04d}.txt" for i in range(n)]
        for _ in range(HELP_SAMPLES):
            results["help"].append(run(tree, a, ["--help"]))
        results["translate"].append(run(tree, a, ["translate", "--no-mt", *articles]))
        results["batch"].append(run(tree, b, ["batch", "--no-mt", "articles"]))
        results["batch_rerun"].append(run(tree, b, ["batch", "--no-mt", "articles"]))
        fill(a / "translations" / "ar")
        pos = [str(p.relative_to(a)) for p in sorted((a / "translations" / "ar").glob("*.po"))]
        if len(pos) != n:
            raise SystemExit(f"{tree}: translate wrote {len(pos)} POs, expected {n}")
        results["check"].append(run(tree, a, ["check", "--glossary", "glossaries/news.csv", *pos]))
        results["status"].append(run(tree, a, ["status", "--glossary", "glossaries/news.csv", *pos]))
        results["publish"].append(run(tree, a, ["publish", "--allow-draft", *pos]))
        editions = sorted((a / "editions").glob("*"))
        digest = hashlib.sha256()
        for path in editions:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        results["publish"][-1]["editions"] = len(editions)
        results["publish"][-1]["editions_sha256"] = digest.hexdigest()
        for step in STEPS:
            for r in results[step]:
                out = r["out"].replace(tmp, "<tmp>").replace(str(tree), "<tree>")
                out = re.sub(r"\d+(\.\d+)? s\b", "<t> s", out)  # batch's progress: elapsed and rate
                r["out"] = re.sub(r"\(\d+(\.\d+)? segments/s\)", "(<rate>)", out)
    return results


def tree_digest(tree: Path) -> str:
    """A digest of the package's sources, to notice a tree that changes while the bench runs."""
    digest = hashlib.sha256()
    for path in sorted((tree / "localize").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def check_import(tree: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONPATH=str(tree))
        found = subprocess.run([sys.executable, "-c", "import localize; print(localize.__file__)"],
                               cwd=tmp, env=env, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(found).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"`import localize` with PYTHONPATH={tree} found {found}: the editable install wins")
    return found


def summary(samples: list[float]) -> dict:
    return {"min": min(samples), "median": statistics.median(samples), "n": len(samples)}


def report(samples: dict, same_output: dict[str, bool], articles: int, rounds: int) -> dict:
    """Print the table (min and median per side, ratios after/before, peak RSS); return it."""
    table: dict = {}
    print(f"\n{articles} articles, {rounds} rounds (help: {HELP_SAMPLES} a round); times in s, RSS in MiB")
    print(f"{'step':12} {'metric':5} {'before min':>10} {'med':>7} {'after min':>10} {'med':>7} "
          f"{'ratio min':>9} {'ratio med':>9}  same out")
    for step in STEPS:
        table[step] = {}
        for metric, key in (("wall", "wall"), ("cpu", "cpu"), ("rss", "rss_kb")):
            row = {}
            for side in ("before", "after"):
                values = [r[key] / 1024 if key == "rss_kb" else r[key] for r in samples[side][step]]
                row[side] = summary(values) if metric != "rss" else {"peak": max(values),
                                                                       "median": statistics.median(values)}
            if metric == "rss":
                row["ratio_peak"] = row["after"]["peak"] / row["before"]["peak"]
                print(f"{step:12} {'rss':5} {row['before']['peak']:10.1f} {row['before']['median']:7.1f} "
                      f"{row['after']['peak']:10.1f} {row['after']['median']:7.1f} {row['ratio_peak']:9.3f}")
            else:
                row["ratio_min"] = row["after"]["min"] / row["before"]["min"]
                row["ratio_median"] = row["after"]["median"] / row["before"]["median"]
                same = ("yes" if same_output[step] else "NO") if metric == "wall" else ""
                print(f"{step:12} {metric:5} {row['before']['min']:10.3f} {row['before']['median']:7.3f} "
                      f"{row['after']['min']:10.3f} {row['after']['median']:7.3f} "
                      f"{row['ratio_min']:9.3f} {row['ratio_median']:9.3f}  {same}")
            table[step][metric] = row
    print(f"publish editions identical: {'yes' if same_output['publish_editions'] else 'NO'}")
    return table

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of the old commit")
    parser.add_argument("--after", type=Path, required=True, help="checkout of the new commit")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "house_paired.json")
    parser.add_argument("--title", default="Before and after the house refactor",
                        help="what the pair is, for the benchmark page")
    opts = parser.parse_args()
    sides = {"before": opts.before.resolve(), "after": opts.after.resolve()}
    digests = {}
    for name, tree in sides.items():
        digests[name] = tree_digest(tree)
        print(f"{name}: {tree} at {commit_of(tree)}; localize from {check_import(tree)}; "
              f"sources {digests[name][:12]}", flush=True)

    glossary = sides["after"] / "glossaries" / "news.csv"  # one glossary for both sides

    began = time.perf_counter()
    print("warm-up (bytecode caches, not counted) ...", flush=True)
    for tree in sides.values():
        workload(tree, 3, glossary)

    samples: dict[str, dict[str, list[dict]]] = {s: {step: [] for step in STEPS} for s in sides}
    same_output: dict[str, bool] = {}
    for rnd in range(opts.rounds):
        order = ["before", "after"] if rnd % 2 == 0 else ["after", "before"]
        got = {}
        for side in order:
            got[side] = workload(sides[side], opts.articles, glossary)
            for step in STEPS:
                samples[side][step].extend(got[side][step])
        if rnd == 0:
            for step in STEPS:
                same_output[step] = got["before"][step][0]["out"] == got["after"][step][0]["out"]
            same_output["publish_editions"] = (got["before"]["publish"][0]["editions_sha256"]
                                               == got["after"]["publish"][0]["editions_sha256"])
            for side in sides:
                check = got[side]["check"][0]
                print(f"  {side}: {got[side]['publish'][0]['editions']} editions; check exit {check['rc']}, "
                      f"last line: {check['out'].strip().splitlines()[-1]!r}")
        print(f"round {rnd + 1}/{opts.rounds} ({' then '.join(order)}) done at "
              f"{time.perf_counter() - began:.0f} s", flush=True)

    changed = [name for name, tree in sides.items() if tree_digest(tree) != digests[name]]
    if changed:  # a tree in a shared /tmp can be overwritten by someone else while the bench runs
        raise SystemExit(f"the sources of {', '.join(changed)} changed during the bench: figures discarded")

    table = report(samples, same_output, opts.articles, opts.rounds)
    print(f"total {time.perf_counter() - began:.0f} s")

    result = {
        "bench": "house_paired", "title": opts.title,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": {side: commit_of(tree) for side, tree in sides.items()},
        "trees": {side: str(tree) for side, tree in sides.items()},
        "sources_sha256": digests,
        "machine": {"node": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version(), "processor": platform.processor()},
        "articles": opts.articles, "rounds": opts.rounds, "help_samples_per_round": HELP_SAMPLES,
        "units": {"wall": "s", "cpu": "s (user+sys of the child)", "rss": "MiB (VmHWM of the child at exit)"},
        "same_output_round0": same_output,
        "steps": table,
        "total_s": time.perf_counter() - began,
    }
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {opts.out}")



if __name__ == "__main__":
    main()
