"""Machine drafts with and without localize's help: glossary-bound names, retries.

The test suite's random-weight translate-en_ar-shaped model (tests/modelkit.py:
a genuine CTranslate2 Transformer and SentencePiece model, so its drafts are
noise) translates every segment of the sample article and of the test articles
(tests/fixtures) with the house glossary (glossaries/news.csv), two ways:

  plain:    the model alone (no glossary binding, no retry; as Argos does);
  localize: names and do-not-translate terms bound to the glossary, drafts
            left in English or looping translated again.

It prints, for each: the share of name occurrences (glossary entries whose
English is a proper name, and dnt entries, found in the English) whose draft
holds the approved form; the share of drafts left mostly in Latin script
(``english-draft``) or looping (``repeated-words``); and segments per second
(min and median of --rounds alternating rounds).  A random-weight model gives
the baseline for "without": it knows no name.

    .venv/bin/python bench/draft_quality.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, print_tables, write  # noqa: E402

ARTICLES = [ROOT.parent / "shared" / "articles" / "iran-imis.txt",
            *sorted(path for path in (ROOT / "tests" / "fixtures").iterdir()
                    if path.suffix in (".txt", ".md", ".html") and path.is_file())]


def segments() -> list[str]:
    from localize.errors import LocalizeError
    from localize.readers import parse_article
    from localize.segment import segment_article

    found = []
    for path in ARTICLES:
        try:
            found += [segment.source for segment in segment_article(parse_article(path.read_bytes(), path.name))]
        except LocalizeError:  # the fixtures hold broken articles too
            pass
    return found


def failing(sources, drafts, context) -> dict[str, int]:
    from localize.checks.qa import english_draft, repeated_words

    return {"english-draft": sum(bool(english_draft(s, d.text, context)) for s, d in zip(sources, drafts)),
            "repeated-words": sum(bool(repeated_words(s, d.text, context)) for s, d in zip(sources, drafts))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-length", type=int, default=64)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="draft-bench-"))
    from conftest import model_corpus
    from modelkit import build_package

    package = build_package(work, model_corpus())
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    from localize import models
    from localize.evaluate import names_held
    from localize.checks.glossary import TermIndex, load_glossary
    from localize.engines.local import Engine, Options
    from localize.checks.qa import Context

    model = models.install_file(package)
    glossary = ROOT / "glossaries" / "news.csv"
    terms = TermIndex(load_glossary(glossary.read_bytes(), str(glossary)))
    context = Context(terms.latin_allowed())
    sources = segments()
    plain = Engine(model, Options(max_decoding_length=args.max_length, retry=False))
    helped = Engine(model, Options(max_decoding_length=args.max_length))
    runs = {"plain": lambda: plain.translate(sources), "localize": lambda: helped.translate(sources, terms=terms)}
    rounds, drafts = Rounds(args.rounds), {}
    for name in rounds.order(list(runs)):
        with rounds.time(name):
            drafts[name] = runs[name]()
    rows, figures = [], {}
    for name in runs:
        held, total = names_held(sources, [draft.text for draft in drafts[name]], terms)
        bad = failing(sources, drafts[name], context)
        figures[name] = {"names_held": held, "names": total, **bad}
        rows.append([{"plain": "the model alone (as Argos)", "localize": "localize (names bound, retries)"}[name],
                     f"{held}/{total} ({held / max(1, total):.0%})",
                     f"{bad['english-draft']} ({bad['english-draft'] / len(sources):.0%})", str(bad["repeated-words"]),
                     f"{len(sources) / statistics.median(rounds.wall[name]):.1f} / {len(sources) / min(rounds.wall[name]):.1f}"])
    cost = rounds.ratio("localize", "plain")
    tables = [Table(f"{len(ARTICLES)} articles, {len(sources)} segments, random-weight test model, max length "
                    f"{args.max_length}, {args.rounds} alternated rounds",
                    ["drafts", "names held", "left in English", "looping", "segments/s (median / best)"], rows,
                    note=f"localize's help costs {cost['median']:.2f}x (median) / {cost['min']:.2f}x (min) the plain time.")]
    print_tables(tables)
    write("draft_quality", {"title": "Drafts with and without localize's help", "rounds": rounds.summary(),
                            "figures": figures, "cost": cost},
          tables=tables, command="bench/draft_quality.py " + " ".join(sys.argv[1:]),
          about="The test suite's random-weight model (its drafts are noise: it knows no name, which makes it the "
                "baseline for 'without') translates every segment of the sample article and the test articles with "
                "the house glossary: alone, and with localize's help (names and do-not-translate terms bound to the "
                "glossary, drafts left in English or looping translated again). Names held: glossary names found "
                "in the English whose draft holds the approved form.")


if __name__ == "__main__":
    main()
