"""Batch speed: `localize batch` against one `localize translate` process per article.

Same model as bench/mt_throughput.py (translate-en_ar's shape, random weights,
int8), same generated articles, same decoding settings (beam, --max-length).
Prints seconds per article for:

  (a) `localize batch DIR` (one process, one model load, cross-article batches);
  (b) `localize translate ARTICLE`, one process per article, as a shell loop
      would do it (timed on the first --sample articles: per-article time);
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

    .venv/bin/python bench/batch.py [--articles 30] [--sample 5] [--max-length 64] [--unchanged 5000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from mt_throughput import bounded_batches, build_model, make_articles  # noqa: E402

LOCALIZE = str(Path(sys.executable).with_name("localize"))


def timed(command, cwd, env) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--sample", type=int, default=5, help="articles for the one-process-each run")
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
    segments = [s.source for path in sorted(incoming.iterdir())
                for s in segment_article(parse_article(path.read_bytes(), path.name))]
    print(f"{args.articles} articles, {len(segments)} segments; beam {args.beam}, max length {args.max_length}")

    batch = timed([LOCALIZE, "batch", "incoming", "--out", "batch-out", *decoding], work, env)
    sample = sorted(incoming.iterdir())[:args.sample]
    one_each = sum(timed([LOCALIZE, "translate", str(path), "--out", "single-out", *decoding], work, env)
                   for path in sample)
    engine = Engine(model, Options(beam_size=args.beam, device="cpu", max_decoding_length=args.max_length))
    tokens = engine.processor.encode(segments, out_type=str)
    started = time.perf_counter()
    bounded_batches(engine.translator, tokens, engine.bound, max_batch_size=engine.options.batch_tokens,
                    batch_type="tokens", beam_size=args.beam, length_penalty=engine.options.length_penalty,
                    replace_unknowns=True)
    bare = time.perf_counter() - started

    per = {"batch": batch / args.articles, "one_each": one_each / len(sample), "bare": bare / args.articles}
    print(f"(a) localize batch                    {per['batch']:.3f} s/article ({batch:.0f} s in all)")
    print(f"(b) one localize translate each       {per['one_each']:.3f} s/article (on {len(sample)} articles)")
    print(f"(c) bare translate_batch (the limit)  {per['bare']:.3f} s/article")
    print(f"(b)/(a) = {per['one_each'] / per['batch']:.2f}x faster; (c)/(a) = {per['bare'] / per['batch']:.2f}")

    unchanged(work, env, args.unchanged, args.reviewed)


def unchanged(work: Path, env: dict, count: int, reviewed: int) -> None:
    import statistics

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
    print(f"{count} articles of 10-30 sentences, --no-mt; {reviewed} of their POs reviewed ({entries} entries):")
    print(f"  first run                                {first:7.2f} s")
    time.sleep(2.1)  # a night's re-run comes later than 2 s after the last edit (see localize/batch.py)
    print(f"  re-run after the review ({reviewed} POs changed) {timed(command, work, env):7.2f} s")
    reruns = [timed(command, work, env) for _ in range(3)]
    print(f"  re-run, all unchanged                    {min(reruns):7.2f} s min {statistics.median(reruns):7.2f} s median"
          "  (goal: < 0.5 s)")
    for label in ("one new article (memory index built)", "another new article (index up to date)"):
        (many / f"new-{label[:3]}.txt").write_bytes(make_articles(1, seed=len(label), paragraphs=(4, 10))[0])
        print(f"  {label:40} {timed(command, work, env):7.2f} s")


if __name__ == "__main__":
    main()
