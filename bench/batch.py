"""Batch speed: `localize batch` against one `localize translate` process per article.

Same model as bench/mt_throughput.py (translate-en_ar's shape, random weights,
int8), same generated articles, same decoding settings (beam, --max-length).
Prints seconds per article for:

  (a) `localize batch DIR` (one process, one model load, cross-article batches);
  (b) `localize translate ARTICLE`, one process per article, as a shell loop
      would do it, on the same articles;
  (c) the engine's bare throughput: translate_batch over all segments,
      pre-tokenised, split by the same decoding bounds as localize's (the limit;
      no PO work at all);

then, end to end (each a `localize batch --no-mt` process) over --unchanged
news-length articles (10-30 sentences) of which --reviewed have their PO
reviewed (a translation memory of some 20,000 entries): the first run, the
re-run after that review (it reads the reviewed POs' articles again), a re-run
with every article unchanged (min and median of 3; it reads no memory),
and a run with one new article (its memory index built first) and another
(the index only brought up to date).

    .venv/bin/python bench/batch.py [--articles 12] [--rounds 3] [--max-length 64] [--unchanged 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from mt_throughput import bounded_batches, build_model, make_articles  # noqa: E402
from record import Rounds, Table, cpu_seconds, pair, print_tables, summary, write  # noqa: E402

LOCALIZE = str(Path(sys.executable).with_name("localize"))


def timed(command, cwd, env) -> tuple[float, float]:
    """(wall, CPU of the child) of one localize process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--unchanged", type=int, default=5000)
    parser.add_argument("--reviewed", type=int, default=1000, help="of them, articles whose PO is reviewed")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=64)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(work / "packages")}
    os.environ["ARGOS_PACKAGES_DIR"] = env["ARGOS_PACKAGES_DIR"]
    from localize import models
    from localize.readers import parse_article
    from localize.engines.local import Engine, Options
    from localize.segment import segment_article

    package = build_model(work)  # (imports tests/conftest.py, which resets ARGOS_PACKAGES_DIR)
    os.environ["ARGOS_PACKAGES_DIR"] = env["ARGOS_PACKAGES_DIR"]
    model = models.install_file(package)
    incoming = work / "incoming"
    incoming.mkdir()
    for number, text in enumerate(make_articles(args.articles)):
        (incoming / f"story-{number:04d}.txt").write_bytes(text)
    decoding = ["--beam", str(args.beam), "--max-length", str(args.max_length), "--device", "cpu"]
    articles = sorted(incoming.iterdir())
    segments = [s.source for path in articles for s in segment_article(parse_article(path.read_bytes(), path.name))]
    print(f"{args.articles} articles, {len(segments)} segments; beam {args.beam}, max length {args.max_length}",
          flush=True)
    engine = Engine(model, Options(beam_size=args.beam, device="cpu", max_decoding_length=args.max_length))
    tokens = engine.processor.encode(segments, out_type=str)

    def batch():
        shutil.rmtree(work / "batch-out", ignore_errors=True)
        return timed([LOCALIZE, "batch", "incoming", "--out", "batch-out", *decoding], work, env)

    def one_each():
        shutil.rmtree(work / "single-out", ignore_errors=True)
        runs = [timed([LOCALIZE, "translate", str(path), "--out", "single-out", *decoding], work, env)
                for path in articles]
        return sum(wall for wall, _ in runs), sum(cpu for _, cpu in runs)

    def bare():
        started, cpu = time.perf_counter(), cpu_seconds()
        bounded_batches(engine.translator, tokens, engine.bound, max_batch_size=engine.options.batch_tokens,
                        batch_type="tokens", beam_size=args.beam, length_penalty=engine.options.length_penalty,
                        replace_unknowns=True)
        return time.perf_counter() - started, cpu_seconds() - cpu

    cases = {"batch": batch, "one translate each": one_each, "bare translate_batch": bare}
    rounds = Rounds(args.rounds)
    for name in rounds.order(list(cases)):
        wall, cpu = cases[name]()
        rounds.add(name, wall, cpu)
        print(f"  {name}: {wall:.1f} s", file=sys.stderr, flush=True)
    labels = {"batch": "(a) `localize batch DIR` (one process)",
              "one translate each": "(b) one `localize translate` process per article",
              "bare translate_batch": "(c) bare translate_batch calls (the limit: no PO work)"}
    rows = [[labels[name], pair(summary([w / args.articles for w in rounds.wall[name]])),
             pair(summary([c / args.articles for c in rounds.cpu[name]]))] for name in cases]
    speedup, limit = rounds.ratio("one translate each", "batch"), rounds.ratio("batch", "bare translate_batch")
    tables = [Table(f"{args.articles} articles, {len(segments)} segments, {args.rounds} alternated rounds; seconds "
                    "per article", ["path", "wall (min / median)", "CPU (min / median)"], rows,
                    note=f"batch is {speedup['median']:.2f}x (median) / {speedup['min']:.2f}x (min) as fast as one "
                         f"process per article on the same articles, at {limit['median']:.2f}x (median) the bare "
                         "calls' time (the random-weight model's drafts all fail the checks, so batch retries "
                         "every one; a real model needs few retries).")]
    archive = unchanged(work, env, args.unchanged, args.reviewed, args.rounds)
    tables.append(archive["table"])
    print_tables(tables)
    write("batch", {"title": "Batch runs", "rounds": rounds.summary(), "speedup": speedup, "limit": limit,
                    "archive": archive["data"]},
          tables=tables, command="bench/batch.py " + " ".join(sys.argv[1:]),
          about="The model of bench/mt_throughput.py (translate-en_ar's shape, random weights, int8) on generated "
                "articles, the same decoding settings for every path, alternated rounds (each run a fresh process "
                "with an empty output folder); then, end to end with --no-mt, an archive of news-length articles "
                "with part of their POs reviewed (the translation memory).")


def unchanged(work: Path, env: dict, count: int, reviewed: int, rounds_count: int) -> dict:
    import polib

    many = work / "many"
    many.mkdir()
    for number, text in enumerate(make_articles(count, seed=11, paragraphs=(4, 10))):
        (many / f"brief-{number:04d}.txt").write_bytes(text)
    command = [LOCALIZE, "batch", "many", "--out", "many-out", "--no-mt"]
    first = timed(command, work, env)
    entries = 0
    for path in sorted((work / "many-out").rglob("*.po"))[:reviewed]:  # reviewed work: the memory
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"ترجمة مراجعة {entries}"
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entries += 1
        po.save()
    time.sleep(2.1)  # a night's re-run comes later than 2 s after the last edit (see localize/batch.py)
    after_review = timed(command, work, env)
    reruns = [timed(command, work, env) for _ in range(rounds_count)]
    new = []
    for label in ("one new article (memory index built)", "another new article (index up to date)"):
        (many / f"new-{label[:3]}.txt").write_bytes(make_articles(1, seed=len(label), paragraphs=(4, 10))[0])
        new.append((label, timed(command, work, env)))
    rows = [["first run", f"{first[0]:.2f}", f"{first[1]:.2f}"],
            [f"re-run after the review ({reviewed} POs changed)", f"{after_review[0]:.2f}", f"{after_review[1]:.2f}"],
            [f"re-run, all unchanged (min / median of {rounds_count}; goal < 0.5 s)",
             pair(summary([wall for wall, _ in reruns]), 2), pair(summary([cpu for _, cpu in reruns]), 2)],
            *([label, f"{wall:.2f}", f"{cpu:.2f}"] for label, (wall, cpu) in new)]
    return {"table": Table(f"An archive: {count:,} articles of 10-30 sentences, --no-mt, {reviewed:,} of their POs "
                           f"reviewed ({entries:,} entries of memory); seconds", ["run", "wall", "CPU"], rows),
            "data": {"articles": count, "reviewed": reviewed, "entries": entries, "first": first,
                     "after_review": after_review, "reruns": reruns, "new": new}}


if __name__ == "__main__":
    main()
