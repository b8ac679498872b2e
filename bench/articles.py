"""Article extraction: localize's HTML reader against trafilatura and readability-lxml.

Scores the three side by side on tests/fixtures/news/ (95 real English news
pages from 95 sites, with their article text written out by people: see
bench/news_corpus.py for where they come from), and prints, for each:

- mean word recall and precision of the body against the expected text (words
  are lower-cased \\w+ runs counted with their multiplicity; localize's
  placeholders are stripped, the title is not part of the body);
- the share of pages whose title is exactly the expected headline (after
  collapsing white space);
- the worst page by recall, and how many pages fall under 0.85 recall;
- milliseconds per page (median over --rounds alternating rounds).

Each peer runs at its recommended settings for article text: trafilatura's
``extract`` with its defaults (its own benchmark's best F1 setting) and its
``bare_extraction`` title; readability-lxml's ``Document.summary()`` and
``short_title()``.  All three get the page as the same decoded text.

    .venv/bin/python bench/articles.py [--rounds 3] [--pages N] [--show NAME]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "fixtures" / "news"
_WORD = re.compile(r"\w+")
_PLACEHOLDER = re.compile(r"</?\d+/?>")


def pages(limit: int | None = None) -> list[tuple[str, str, dict]]:
    """(name, html text, expected) for each page of the corpus."""
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    names = sorted(expected)[:limit]
    return [(name, _decode(gzip.open(CORPUS / f"{name}.html.gz").read()), expected[name]) for name in names]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def words(text: str) -> Counter:
    return Counter(word.lower() for word in _WORD.findall(_PLACEHOLDER.sub(" ", text)))


def recall_precision(expected: str, found: str) -> tuple[float, float]:
    want, got = words(expected), words(found)
    common = sum((want & got).values())
    return common / max(1, sum(want.values())), (common / sum(got.values()) if got else 0.0)


def same_title(expected: str, found: str | None) -> bool:
    return " ".join(expected.split()) == " ".join((found or "").split())


def localize_reader(html: str) -> tuple[str, str]:
    from localize.readers import parse_article

    article = parse_article(html.encode("utf-8"), "page.html")
    body = "\n".join(block.text for block in article.blocks if block.kind != "title")
    return article.title or "", body


TRAFILATURA: dict = {}


def trafilatura_reader(html: str) -> tuple[str, str]:
    import trafilatura

    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, **TRAFILATURA)
    if result is None:
        return "", ""
    return result.title or "", result.text or ""


def readability_reader(html: str) -> tuple[str, str]:
    from lxml import html as lxml_html
    from readability import Document

    document = Document(html)
    summary = lxml_html.fromstring(document.summary())
    return document.short_title(), "\n".join(summary.itertext())


READERS = {"localize": localize_reader, "trafilatura": trafilatura_reader,
           "readability-lxml": readability_reader}


def score(reader, corpus) -> dict:
    rows = []
    for name, html, expected in corpus:
        try:
            title, body = reader(html)
        except Exception as error:  # a reader that fails on a page scores 0 on it
            title, body = "", ""
            print(f"  {reader.__name__} failed on {name}: {error!r}"[:200], file=sys.stderr)
        recall, precision = recall_precision(expected["body"], body)
        rows.append((name, recall, precision, same_title(expected["title"], title), title))
    return {"rows": rows,
            "recall": statistics.mean(r[1] for r in rows),
            "precision": statistics.mean(r[2] for r in rows),
            "titles": sum(r[3] for r in rows) / len(rows),
            "worst": min(rows, key=lambda r: r[1]),
            "under": sum(r[1] < 0.85 for r in rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds, alternating readers")
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    parser.add_argument("--show", action="append", default=[], help="print each reader's rows for NAME")
    parser.add_argument("--misses", action="store_true", help="list every page under 0.95 recall or precision")
    options = parser.parse_args()
    corpus = pages(options.pages)
    times: dict = {name: [] for name in READERS}
    results = {}
    for _ in range(options.rounds):
        for name, reader in READERS.items():
            start = time.perf_counter()
            results[name] = score(reader, corpus)
            times[name].append((time.perf_counter() - start) / len(corpus) * 1000)
    print(f"{len(corpus)} pages from tests/fixtures/news, {options.rounds} rounds")
    print(f"{'reader':18} {'recall':>7} {'precision':>9} {'titles':>7} {'<0.85':>6}  "
          f"{'ms/page min':>11} {'median':>7}  worst page (recall)")
    for name, result in results.items():
        worst = result["worst"]
        print(f"{name:18} {result['recall']:7.3f} {result['precision']:9.3f} {result['titles']:7.1%} "
              f"{result['under']:6d}  {min(times[name]):11.1f} {statistics.median(times[name]):7.1f}  "
              f"{worst[0]} ({worst[1]:.2f})")
    ours = results["localize"]
    for name in ("trafilatura", "readability-lxml"):
        theirs = results[name]
        print(f"localize vs {name}: recall {ours['recall'] - theirs['recall']:+.3f}, "
              f"precision {ours['precision'] - theirs['precision']:+.3f}, "
              f"titles {ours['titles'] - theirs['titles']:+.1%}, time x"
              f"{statistics.median(times['localize']) / statistics.median(times[name]):.2f}")
    if options.misses or options.show:
        for name, result in results.items():
            for row in result["rows"]:
                if row[0] in options.show or (options.misses and name == "localize"
                                              and (row[1] < 0.95 or row[2] < 0.95 or not row[3])):
                    print(f"  {name:16} {row[0]:28} recall {row[1]:.3f} precision {row[2]:.3f} "
                          f"title {'ok' if row[3] else 'WRONG: ' + repr(row[4])[:90]}")


if __name__ == "__main__":
    main()
