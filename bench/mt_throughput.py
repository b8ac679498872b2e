"""Machine-translation throughput: localize's engine against Argos Translate's own path.

One model of the real translate-en_ar package's shape (6+6 layers, d_model 512,
8 heads, FFN 2048, shared vocabulary of 32k, int8 weights), with random weights
and a SentencePiece model trained on the sample article, and the same 20 short
articles (made from the sample article's sentences, each word-shuffled so no
two segments are alike).  Three ways to translate every segment, same decoding
settings (beam size, length penalty 0.2, maximum length), same translator:

  (a) localize: ``Engine.translate`` on all segments (protect, tokenise,
      dedupe, one ``translate_batch``, restore);
  (b) argostranslate: ``apply_packaged_translation`` paragraph by paragraph, as
      ``argostranslate.translate`` does it, with localize's segmenter as the
      sentence splitter (Argos' own needs a download);
  (c) the limit: one bare ``translate_batch`` over pre-tokenised segments.

Random weights never choose the end token, so every output runs to the maximum
length: the same for all three.  (a) and (c) alternate over --rounds; (b),
several times slower, runs once.  Prints segments per second and the ratios.

    .venv/bin/python bench/mt_throughput.py [--beam 4] [--max-length 64] [--rounds 3]
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

from localize.readers import parse_article  # noqa: E402
from localize.segment import segment_article, sentences  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "articles" / "iran-imis.txt"


def make_articles(count: int, seed: int = 7) -> list[bytes]:
    """``count`` short plain-text articles: a title and three paragraphs of 2-3 sentences."""
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
        paragraphs = [" ".join(variant(rng.choice(pool)) for _ in range(rng.randint(2, 3)))
                      for _ in range(3)]
        articles.append("\n\n".join([f"Story {number + 1}: {title}", *paragraphs]).encode())
    return articles


class LimitedLength:
    """The translator Argos' path is given, with the bench's maximum length added."""

    def __init__(self, translator, max_length):
        self.translator, self.max_length = translator, max_length

    def translate_batch(self, batch, **options):
        return self.translator.translate_batch(batch, max_decoding_length=self.max_length, **options)


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
    from localize.mt import Options

    return getattr(Options(), name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--batch-tokens", type=int, default=option_default("batch_tokens"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mt-bench-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(workdir / "packages")
    from localize import models
    from localize.mt import Engine, Options

    package = build_model(workdir)  # (imports tests/conftest.py, which resets ARGOS_PACKAGES_DIR)
    os.environ["ARGOS_PACKAGES_DIR"] = str(workdir / "packages")
    model = models.install_file(package)
    options = Options(beam_size=args.beam, device="cpu", threads=args.threads,
                      max_decoding_length=args.max_length, batch_tokens=args.batch_tokens)
    engine = Engine(model, options)
    articles = [parse_article(text, f"story-{i}.txt") for i, text in enumerate(make_articles(args.articles))]
    segments = [s.source for article in articles for s in segment_article(article)]
    paragraphs = [block.text for article in articles for block in article.blocks]
    print(f"{len(articles)} articles, {len(paragraphs)} paragraphs, {len(segments)} segments "
          f"({len(set(segments))} distinct); beam {args.beam}, length penalty {options.length_penalty}, "
          f"max length {args.max_length}")

    def localize_engine():
        engine.translate(segments)

    pretokenised = engine.processor.encode(segments, out_type=str)

    def bare_batch():
        engine.translator.translate_batch(
            pretokenised, max_batch_size=options.batch_tokens, batch_type="tokens",
            beam_size=options.beam_size, length_penalty=options.length_penalty,
            max_decoding_length=options.max_decoding_length, replace_unknowns=True)

    from argostranslate import settings
    from argostranslate.package import Package
    from argostranslate.translate import apply_packaged_translation

    settings.beam_size = args.beam  # Argos takes max(num_hypotheses, settings.beam_size)
    package = Package(model.path)
    argos_translator = LimitedLength(engine.translator, args.max_length)

    def argos_path():
        for paragraph in paragraphs:
            apply_packaged_translation(package, paragraph, argos_translator, LocalizeSplitter(), 1)

    bare_batch()  # warm-up: first-call allocations
    times = {"localize": [], "bare": []}
    for _ in range(args.rounds):
        for name, function in (("localize", localize_engine), ("bare", bare_batch)):
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    started = time.perf_counter()
    argos_path()
    times["argos"] = [time.perf_counter() - started]

    rate = {name: len(segments) / statistics.median(values) for name, values in times.items()}
    print(f"(a) localize engine       {rate['localize']:7.2f} segments/s")
    print(f"(b) argostranslate path   {rate['argos']:7.2f} segments/s")
    print(f"(c) bare translate_batch  {rate['bare']:7.2f} segments/s")
    print(f"(a)/(b) = {rate['localize'] / rate['argos']:.2f}x  (goal: at least 3x)")
    print(f"(a)/(c) = {rate['localize'] / rate['bare']:.3f}   (goal: within 10%, i.e. at least 0.90)")


if __name__ == "__main__":
    main()
