"""Machine-translation throughput: localize's engine against Argos Translate's own path.

One model of the real translate-en_ar package's shape (6+6 layers, d_model 512,
8 heads, FFN 2048, shared vocabulary of 32k, int8 weights), with random weights
and a SentencePiece model trained on the sample article, and the same short
articles (--articles, 6 by default: some 50 segments; made from the sample
article's sentences, each word-shuffled so no two segments are alike).  Four ways to translate every segment, same decoding
settings (beam size, length penalty 0.2), same translator object (so the same
threads):

  (a) localize: ``Engine.translate`` on all segments (protect, tokenise,
      dedupe, one ``translate_batch`` per decoding bound, restore, masks the
      model dropped placed by attention), without retries; then, on the same
      segments, with the house glossary's names bound (a') and with retries of
      the drafts left in English or looping (a''), to show what they cost;
  (b) argostranslate: ``apply_packaged_translation`` paragraph by paragraph, as
      ``argostranslate.translate`` does it, with localize's segmenter as the
      sentence splitter (Argos' own needs a download), at its default batch
      size (ARGOS_BATCH_SIZE 32 tokens) and at its best (ARGOS_BATCH_SIZE
      large: a paragraph's sentences in one batch);
  (c) the limit: bare ``translate_batch`` calls over pre-tokenised segments;
  (d) with --libretranslate: a real LibreTranslate server on this machine
      (.lt-venv, the same package, localize's bound per sentence:
      bench/lt_bounded.py), used by localize's LibreTranslate engine at
      concurrency 1 and 4 (many segments per request), and by a naive client
      (one request per segment, one after the other, as LibreTranslate's own
      per-request path is used by most clients).  Both processes share this
      machine's cores, as they would on one server.

Random weights never choose the end token, so every output runs to its
decoding bound.  All four get the same bound per segment: localize's (twice
the source tokens plus 10, in steps of 16, capped by --max-length); Argos' and
the bare calls are split by bound as localize's are, so no path decodes more
or less than another.  The four alternate over --rounds; the bench prints min
and median segments per second of each and the ratios of medians and of mins.

    .venv/bin/python bench/mt_throughput.py [--beam 4] [--max-length 64] [--rounds 3] [--threads 1,2]
        [--libretranslate] [--lt-inter-threads 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from localize.readers import parse_article  # noqa: E402
from localize.segment import segment_article, sentences  # noqa: E402
from record import Rounds, Table, print_tables, write  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "articles" / "iran-imis.txt"


def make_articles(count: int, seed: int = 7, paragraphs: tuple[int, int] = (3, 3)) -> list[bytes]:
    """``count`` plain-text articles: a title and ``paragraphs`` (from, to) paragraphs of 2-3
    sentences (the default: three, short articles; (4, 10): 10-30 sentences, a news story)."""
    rng = random.Random(seed)
    pool = [s for block in parse_article(SAMPLE.read_bytes(), SAMPLE.name).blocks
                 for s in sentences(block.text) if len(s.split()) > 6]
    words = sorted({w for s in pool for w in s.split() if w.isalpha() and w.islower()})

    def variant(sentence: str) -> str:
        return " ".join(rng.choice(words) if w.isalpha() and w.islower() and rng.random() < 0.35 else w
                        for w in sentence.split())

    articles = []
    for number in range(count):
        title = f"{variant(rng.choice(pool)).rstrip('.')}"[:70]
        body = [" ".join(variant(rng.choice(pool)) for _ in range(rng.randint(2, 3)))
                for _ in range(rng.randint(*paragraphs))]
        articles.append("\n\n".join([f"Story {number + 1}: {title}", *body]).encode())
    return articles


class Bounded:
    """The translator Argos' path is given: each ``translate_batch`` split by decoding bound
    (localize's bound of each sentence), results in the order Argos asked for them."""

    def __init__(self, translator, bound):
        self.translator, self.bound = translator, bound

    def translate_batch(self, batch, **options):
        return bounded_batches(self.translator, batch, self.bound, **options)


def bounded_batches(translator, batch, bound, target_prefix=None, **options):
    groups: dict[int, list[int]] = {}
    for number, tokens in enumerate(batch):
        groups.setdefault(bound(len(tokens)), []).append(number)
    results = [None] * len(batch)
    for limit, numbers in groups.items():
        prefix = [target_prefix[n] for n in numbers] if target_prefix else None
        for number, result in zip(numbers, translator.translate_batch(
                [batch[n] for n in numbers], target_prefix=prefix, max_decoding_length=limit, **options)):
            results[number] = result
    return results


class LocalizeSplitter:
    """A sentence splitter for Argos' path that needs no download: localize's."""

    def split_sentences(self, text):
        return sentences(text)


def build_model(workdir: Path) -> Path:
    from modelkit import build_package

    from conftest import model_corpus

    started = time.perf_counter()
    package = build_package(workdir, model_corpus() * 3, vocab_size=32000, layers=(6, 6), d_model=512,
                            heads=8, ffn=2048, quantization="int8")
    print(f"model: 6+6 layers, d_model 512, 8 heads, FFN 2048, vocab 32000, int8 "
          f"({package.stat().st_size / 1e6:.0f} MB, built in {time.perf_counter() - started:.0f} s)")
    return package


def option_default(name):
    from localize.engines.local import Options

    return getattr(Options(), name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", default="1,2", help="thread counts, each a run of every path (0: all cores)")
    parser.add_argument("--batch-tokens", type=int, default=option_default("batch_tokens"))
    parser.add_argument("--argos-batch", type=int, default=4096,
                        help="ARGOS_BATCH_SIZE of Argos' best setting (tokens per batch)")
    parser.add_argument("--libretranslate", action="store_true",
                        help="also time a LibreTranslate server on this machine (needs make lt-venv)")
    parser.add_argument("--lt-inter-threads", type=int, default=1,
                        help="the server's ARGOS_INTER_THREADS (translator replicas; 1 is Argos' default)")
    parser.add_argument("--only", metavar="NAMES", help="time only these paths (comma-separated: localize, "
                        "bound, helped, bare, argos-32, argos-4096, remote-1, remote-4, naive)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mt-bench-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(workdir / "packages")
    from localize import models

    package_file = build_model(workdir)  # (imports tests/conftest.py, which resets ARGOS_PACKAGES_DIR)
    os.environ["ARGOS_PACKAGES_DIR"] = str(workdir / "packages")
    model = models.install_file(package_file)
    runs = {int(threads): run_threads(args, int(threads), model, workdir, package_file)
            for threads in args.threads.split(",")}
    report(args, runs)


def run_threads(args, threads: int, model, workdir: Path, package_file: Path) -> dict:
    """Every path at one thread count, in alternated rounds: {rounds, labels, segments, ...}."""
    from dataclasses import replace

    from localize.checks.qa import Context, failures
    from localize.engines.local import Engine, Options, bind

    options = Options(beam_size=args.beam, device="cpu", threads=threads,
                      max_decoding_length=args.max_length, batch_tokens=args.batch_tokens)
    engine = Engine(model, options)  # localize's engine as it runs: retries on
    plain = Engine(model, replace(options, retry=False))  # the drafts as the model gives them
    articles = [parse_article(text, f"story-{i}.txt") for i, text in enumerate(make_articles(args.articles))]
    segments = [s.source for article in articles for s in segment_article(article)]
    paragraphs = [block.text for article in articles for block in article.blocks]
    print(f"threads {threads}: {len(articles)} articles, {len(paragraphs)} paragraphs, {len(segments)} segments "
          f"({len(set(segments))} distinct); beam {args.beam}, length penalty {options.length_penalty}, "
          f"max length {args.max_length}", flush=True)

    from localize.checks.glossary import TermIndex, load_glossary

    glossary = ROOT / "glossaries" / "news.csv"
    terms = TermIndex(load_glossary(glossary.read_bytes(), str(glossary)))
    bound = sum(1 for segment in segments for _ in bind(segment, terms))
    pretokenised = engine.processor.encode(segments, out_type=str)

    def bare_batch():
        bounded_batches(engine.translator, pretokenised, engine.bound, max_batch_size=options.batch_tokens,
                        batch_type="tokens", beam_size=options.beam_size, length_penalty=options.length_penalty,
                        replace_unknowns=True)

    from argostranslate import settings
    from argostranslate.package import Package
    from argostranslate.translate import apply_packaged_translation

    settings.beam_size = args.beam  # Argos takes max(num_hypotheses, settings.beam_size)
    package = Package(model.path)
    argos_translator = Bounded(engine.translator, engine.bound)
    default_batch = 32  # settings.batch_size's default (ARGOS_BATCH_SIZE unset)

    def argos_path(batch_size):
        def run():
            settings.batch_size = batch_size
            for paragraph in paragraphs:
                apply_packaged_translation(package, paragraph, argos_translator, LocalizeSplitter(), 1)
        return run

    paths = {"localize": lambda: plain.translate(segments),
             "bound": lambda: plain.translate(segments, terms=terms),
             "helped": lambda: engine.translate(segments, terms=terms),
             "bare": bare_batch,
             f"argos-{default_batch}": argos_path(default_batch),
             f"argos-{args.argos_batch}": argos_path(args.argos_batch)}
    labels = {"localize": "(a) localize engine", "bound": "(a') + glossary names bound",
              "helped": "(a'') + names bound + retries",
              f"argos-{default_batch}": f"(b) Argos, ARGOS_BATCH_SIZE {default_batch} (default)",
              f"argos-{args.argos_batch}": f"(b) Argos, ARGOS_BATCH_SIZE {args.argos_batch} (its best)",
              "bare": "(c) bare translate_batch (the limit)"}
    server = None
    if args.libretranslate:
        args.threads_now = threads
        server = remote_paths(args, workdir, package_file, segments, paths, labels)
    if args.only:
        paths = {name: function for name, function in paths.items() if name in args.only.split(",")}
    bare_batch()  # warm-up: first-call allocations
    rounds = Rounds(args.rounds)
    for name in rounds.order(list(paths)):
        with rounds.time(name):
            paths[name]()
        print(f"  {threads} thread(s) {name}: {rounds.wall[name][-1]:.1f} s", file=sys.stderr, flush=True)
    if server is not None:
        server.stop()
    failing = sum(1 for source, draft in zip(segments, plain.translate(segments, terms=terms), strict=True)
                  if failures(source, draft.text, Context(terms.latin_allowed())))
    return {"rounds": rounds, "labels": labels, "segments": len(segments), "bound_names": bound,
            "failing_drafts": failing, "argos_best": f"argos-{args.argos_batch}", "argos_default": f"argos-{default_batch}"}


def report(args, runs: dict) -> None:
    threads = list(runs)
    first = runs[threads[0]]
    names = list(first["rounds"].wall)

    def speed(run: dict, name: str) -> str:
        if name not in run["rounds"].wall:
            return "-"
        wall = run["rounds"].wall[name]
        return f"{run['segments'] / statistics.median(wall):.2f} / {run['segments'] / min(wall):.2f}"

    def ratio(run: dict, slow: str, fast: str) -> str:
        if slow not in run["rounds"].wall or fast not in run["rounds"].wall:
            return "-"
        value = run["rounds"].ratio(slow, fast)
        return f"{value['median']:.2f}x / {value['min']:.2f}x"

    speeds = [[first["labels"][name], *(speed(runs[t], name) for t in threads)] for name in names]
    best, default = first["argos_best"], first["argos_default"]
    comparisons = [
        ["(a) against Argos at its best batch size", *(ratio(runs[t], best, "localize") for t in threads)],
        ["(a) against Argos at its default", *(ratio(runs[t], default, "localize") for t in threads)],
        ["(a) against the bare calls (1.00 = at the limit)", *(ratio(runs[t], "bare", "localize") for t in threads)],
        ["cost of binding the glossary's names (a') / (a)", *(ratio(runs[t], "bound", "localize") for t in threads)],
        ["cost of binding and retrying (a'') / (a)", *(ratio(runs[t], "helped", "localize") for t in threads)],
    ]
    for name in ("remote-1", "remote-4"):
        if name in first["rounds"].wall:
            comparisons.append([f"{first['labels'][name][4:]} against (a)", *(ratio(runs[t], "localize", name)
                                                                              for t in threads)])
            comparisons.append([f"{first['labels'][name][4:]} against the naive client",
                                *(ratio(runs[t], "naive", name) for t in threads)])
    columns = [f"{t} thread{'s' if t != 1 else ''}" if t else "all cores" for t in threads]
    tables = [Table(f"Segments per second (median / best), {first['segments']} segments, {args.rounds} alternated rounds",
                    ["path", *columns], speeds),
              Table("How many times faster (median / min of the rounds' times); the strongest peer first",
                    ["comparison", *columns], comparisons,
                    note=f"Retries: {first['failing_drafts']} of {first['segments']} drafts of the random-weight "
                         f"model fail the checks and are retried (a real model fails far fewer); "
                         f"{first['bound_names']} glossary names bound.")]
    print_tables(tables)
    name, title = "mt_throughput", "Machine translation throughput"
    if args.libretranslate:
        name, title = "mt_libretranslate", (f"Machine translation through LibreTranslate ({args.lt_inter_threads} "
                                            f"translator{'s' if args.lt_inter_threads != 1 else ''})")
    write(name, {"title": title,
                            "runs": {str(t): {"rounds": run["rounds"].summary(), "segments": run["segments"],
                                              "labels": run["labels"], "failing_drafts": run["failing_drafts"]}
                                     for t, run in runs.items()}},
          tables=tables, command="bench/mt_throughput.py " + " ".join(sys.argv[1:]),
          about="A model of the real translate-en_ar package's shape (6+6 layers, d_model 512, 8 heads, FFN 2048, "
                "32k shared vocabulary, int8, random weights) translates the same short articles by every path, "
                "with the same decoding settings and per-segment decoding bounds, in alternated rounds; each thread "
                "count is a run of its own. The strongest peer is Argos Translate's own path "
                "(`apply_packaged_translation`) at its best batch size.")


def remote_paths(args, workdir: Path, package_file: Path, segments: list[str], paths: dict, labels: dict):
    """A LibreTranslate server on the same package, and the three ways to use it (see the docstring)."""
    import requests

    from localize.engines.remote import Remote
    from ltserver import Server

    server = Server(package_file, workdir / "libretranslate", launcher=ROOT / "bench" / "lt_bounded.py",
                    env={"LOCALIZE_BENCH_MAX_LENGTH": str(args.max_length), "ARGOS_BEAM_SIZE": str(args.beam),
                         "ARGOS_INTER_THREADS": str(args.lt_inter_threads),
                         "ARGOS_INTRA_THREADS": str(args.threads_now)})
    clients = {n: Remote(server.url, concurrency=n) for n in (1, 4)}
    session = requests.Session()

    def naive():
        for segment in segments:
            response = session.post(server.url + "/translate", json={"q": segment, "source": "en", "target": "ar",
                                                                     "format": "text"}, timeout=600)
            response.raise_for_status()

    clients[1].translate(segments[:4])  # warm-up: the server loads the model on first use
    from localize.engines.protect import protect

    clients[1].html_again = 0
    asked = clients[1].translate(segments)
    masked = sum(1 for segment in segments if protect(segment).values)
    print(f"LibreTranslate {server.url} (ARGOS_INTER_THREADS {args.lt_inter_threads}): {len(segments)} segments, "
          f"{masked} with protected items (numbers, URLs, placeholders; no glossary here), of which "
          f"{clients[1].html_again} lost a mask in format=text and were asked again as HTML; "
          f"{sum(1 for d in asked if d.text)} drafts")
    paths.update({"remote-1": lambda: clients[1].translate(segments),
                  "remote-4": lambda: clients[4].translate(segments), "naive": naive})
    labels.update({"remote-1": "(d) localize -> LibreTranslate, concurrency 1",
                   "remote-4": "(d) localize -> LibreTranslate, concurrency 4",
                   "naive": "(d) naive client, one request per segment"})
    return server


if __name__ == "__main__":
    main()
