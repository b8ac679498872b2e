"""Article extraction: localize's HTML reader against trafilatura and readability-lxml, on two splits.

Scores the three side by side on two corpora of real English news pages whose article text was
written out beforehand (see bench/news_corpus.py for where each comes from):

- ``tuned``: tests/fixtures/news/, 95 pages from 95 sites (Zyte's article-extraction-benchmark,
  2019, each page's article body copied out by people). The reader's rules were tuned on these
  pages, so its figures here are not a fair estimate for new pages.
- ``held-out``: tests/fixtures/news-holdout/, 45 pages from 45 other sites (fundus's parser tests,
  2023-2026: the title and body its hand-written parser for that site extracts). No rule of the
  reader was written or changed while looking at these pages, and no site of the tuned split is
  in it; they are only scored (``--misses`` does not list them).

For each reader and split it records:

- mean word recall and precision of the body against the expected text (words are lower-cased
  \\w+ runs counted with their multiplicity; localize's placeholders are stripped, the title is
  not part of the body);
- the share of pages whose title is exactly the expected one (after collapsing white space);
- how many pages fall under 0.85 recall, and the worst page by recall;
- CPU milliseconds per page, min and median over alternated rounds (bench/record.py; the wall times,
  which other processes on a shared machine inflate, are in the JSON too).

Each peer runs at its recommended settings for article text: trafilatura's ``bare_extraction``
with its defaults (its own benchmark's best F1 setting) minus comments, and readability-lxml's
``Document.summary()`` and ``short_title()``.  All three get the page as the same decoded text.

    .venv/bin/python bench/articles.py [--rounds 3] [--pages N] [--show NAME] [--misses]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, pair, print_tables, summary, write  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SPLITS = {"tuned": FIXTURES / "news", "held-out": FIXTURES / "news-holdout"}
CORPUS = SPLITS["tuned"]
ABOUT = {
    "tuned": "tests/fixtures/news/: Zyte's article-extraction-benchmark (2019), each page's article body copied "
             "out by people; the pages the reader's rules were tuned on",
    "held-out": "tests/fixtures/news-holdout/: fundus's parser tests (2023-2026), the title and body that fundus's "
                "hand-written parser for the site extracts; no rule is tuned on these pages, no site is in the "
                "tuned split",
}
LOW_RECALL = 0.85  # a page under this recall lost part of its story
MISS = 0.95  # --misses lists the tuned pages under this recall or precision
_WORD = re.compile(r"\w+")
_PLACEHOLDER = re.compile(r"</?\d+/?>")


def pages(limit: int | None = None, split: str = "tuned") -> list[tuple[str, str, dict]]:
    """(name, html text, expected) for each page of a split."""
    folder = SPLITS[split]
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    names = sorted(expected)[:limit]
    return [(name, _decode(gzip.open(folder / f"{name}.html.gz").read()), expected[name]) for name in names]


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
            "under": sum(r[1] < LOW_RECALL for r in rows)}


def hidden_titles(corpus) -> int:
    """How many pages' expected title is no <h1> of the page (a headline from the page's metadata)."""
    from lxml import html as lxml_html

    def headlines(html: str) -> set[str]:
        return {" ".join(h.text_content().split()) for h in lxml_html.document_fromstring(html).iter("h1")}

    return sum(" ".join(expected["title"].split()) not in headlines(html) for _, html, expected in corpus)


def _record(result: dict, cpu: list[float], wall: list[float], count: int) -> dict:
    """One reader on one split, for the JSON: its scores, its worst page, its ms/page (CPU and wall) and every
    page's row."""
    worst = result["worst"]
    return {"recall": round(result["recall"], 4), "precision": round(result["precision"], 4),
            "titles": round(result["titles"], 4), "under_0_85": result["under"],
            "worst": {"page": worst[0], "recall": round(worst[1], 4)},
            "ms_per_page": summary([s / count * 1000 for s in cpu]),
            "wall_ms_per_page": summary([s / count * 1000 for s in wall]),
            "pages": [{"page": name, "recall": round(recall, 4), "precision": round(precision, 4), "title": ok}
                      for name, recall, precision, ok, _ in result["rows"]]}


def flagged(corpus, result: dict) -> list[str]:
    """localize's pages under LOW_RECALL that it flags as suspect (segment, translate and batch warn of them)."""
    from localize.readers import parse_article

    low = {row[0] for row in result["rows"] if row[1] < LOW_RECALL}
    return [name for name, html, _ in corpus
            if name in low and parse_article(html.encode("utf-8"), "page.html").suspect]


def _table(split: str, corpus: list, data: dict, suspect: list[str]) -> Table:
    sites = len({re.sub(r"^www\.", "", expected["url"].split("/")[2]) for _, _, expected in corpus})
    rows = [[name, f"{row['recall']:.3f}", f"{row['precision']:.3f}", f"{row['titles']:.1%}", str(row["under_0_85"]),
             f"{row['worst']['page']} ({row['worst']['recall']:.2f})", pair(row["ms_per_page"], 1)]
            for name, row in data.items()]
    ours = data["localize"]
    note = "; ".join(f"localize - {name}: recall {ours['recall'] - theirs['recall']:+.3f}, precision "
                     f"{ours['precision'] - theirs['precision']:+.3f}, titles {ours['titles'] - theirs['titles']:+.1%}"
                     for name, theirs in data.items() if name != "localize")
    note += (f"; localize flags {len(suspect)} of its {ours['under_0_85']} pages under {LOW_RECALL} as suspect "
             "(a warning from segment, translate and batch)")
    return Table(f"{split}: {len(corpus)} pages from {sites} sites ({ABOUT[split]})",
                 ["reader", "recall", "precision", "titles", "pages < 0.85", "worst page (recall)",
                  "CPU ms/page (min / median)"], rows, note=note + ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds, alternating readers")
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages of each split")
    parser.add_argument("--show", action="append", default=[], help="print each reader's rows for NAME")
    parser.add_argument("--misses", action="store_true",
                        help="list every tuned page under 0.95 recall or precision (held-out pages are not listed)")
    options = parser.parse_args()
    corpora = {split: pages(options.pages, split) for split in SPLITS}
    rounds = Rounds(options.rounds)
    results: dict = {}
    for case in rounds.order([f"{split}/{name}" for split in SPLITS for name in READERS]):
        split, name = case.split("/", 1)
        with rounds.time(case):
            results[case] = score(READERS[name], corpora[split])
    splits, tables = {}, []
    for split, corpus in corpora.items():
        data = {name: _record(results[f"{split}/{name}"], rounds.cpu[f"{split}/{name}"],
                              rounds.wall[f"{split}/{name}"], len(corpus))
                for name in READERS}
        suspect = flagged(corpus, results[f"{split}/localize"])
        splits[split] = {"pages": len(corpus), "source": ABOUT[split], "readers": data,
                         "localize_suspect_under_0_85": suspect}
        tables.append(_table(split, corpus, data, suspect))
    print_tables(tables)
    for case, result in results.items():
        split, name = case.split("/", 1)
        for row in result["rows"]:
            listed = options.misses and split == "tuned" and name == "localize" and (
                row[1] < MISS or row[2] < MISS or not row[3])
            if row[0] in options.show or listed:
                print(f"  {name:16} {row[0]:28} recall {row[1]:.3f} precision {row[2]:.3f} "
                      f"title {'ok' if row[3] else 'WRONG: ' + repr(row[4])[:90]}")
    hidden = {split: hidden_titles(corpus) for split, corpus in corpora.items()}
    for split in SPLITS:
        splits[split]["titles_not_an_h1"] = hidden[split]
    command = f"bench/articles.py --rounds {options.rounds}" + (f" --pages {options.pages}" if options.pages else "")
    write("articles", {"title": "HTML reader", "rounds": rounds.summary(), "splits": splits}, tables=tables,
          command=command,
          about="localize's HTML reader, trafilatura (`bare_extraction`, its defaults without comments) and "
                "readability-lxml (`summary()`, `short_title()`) on the same pages, as the same decoded text, in "
                "alternated rounds. Two splits of real English news pages with their article text written out "
                "beforehand: `tuned`, the pages the reader's rules were tuned on, and `held-out`, pages from other "
                "sites that no rule was tuned on (`bench/news_corpus.py` and each folder's README say where they "
                "come from). Recall and precision are of the body's words (lower-cased, with their multiplicity) "
                "against the expected body, averaged over pages; titles must match exactly (white space collapsed); "
                "times are CPU time per page (the wall times are in the JSON). "
                f"The held-out titles are fundus's: for {hidden['held-out']} of its {len(corpora['held-out'])} pages "
                "that is the publisher's metadata headline, which no `<h1>` of the page shows, so a reader that "
                "returns the visible headline misses those.")


if __name__ == "__main__":
    main()
