"""Costs against the size of the archive: publish against its floor, and the peak memory of
publish, check and status, over archives of 1,000, 5,000 and 10,000 distinct reviewed POs.

The archive: distinct articles (Markdown, plain text and HTML in turn) made of the paragraphs of
the 95 real news pages of tests/fixtures/news (each article one page's title and paragraphs, two
paragraphs of another page, a word changed in each paragraph, and a sentence with two names no
other article has, so that the vocabulary grows as a real archive's does; a heading, a quote, a
list, a link and emphasis in the Markdown and HTML ones), each with a PO made the way
``translate`` makes it, every entry given a stand-in Arabic translation that keeps the English's
numbers, placeholders, URLs and glossary renderings, and reviewed (a reviewer's ``# ignore:`` on
the few entries the checks still flag), so that every PO is ready and publish renders every page.
The archive is built once under --archive (default: $TMPDIR/localize-archive-scale) and reused;
each size is a project of hard links to the first N articles and POs.

Each command runs in a fresh process (its output to /dev/null); CPU is the process's user +
system time, peak memory its own VmHWM:

- ``localize publish --out DIR translations/ar`` (the HTML edition) against its floor, in
  alternated rounds: a process that does only what any publisher must, per PO: read and parse
  the PO (polib), read and parse its article (the page's structure: blocks, inline markup,
  dates), pair each block with its entries' Arabic, render the page with the same template and
  write it (no checks, no hash, no flush, nothing staged).  Its pages must be publish's, byte
  for byte, or the bench stops;
- ``localize check`` and ``localize status`` over the same archive, once each (peak memory);
- segmentation of one block of 1M, 2M and 4M characters (linear: 4M in about 4x the time of 1M).

bench/publish.py times an earlier checkout's publish against this one's on the same archive.

    .venv/bin/python bench/archive_scale.py [--rounds 3] [--sizes 1000 5000 10000] [--archive DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, pair, print_tables, summary, write  # noqa: E402

BLOCK = "The talks in Vienna resumed on Sunday. Mr. Smith said the U.S. envoy, Dr. Jones, would attend. "
FORMATS = ("md", "txt", "html")
_ARABIC = ("قال", "الحكومة", "في", "يوم", "المدينة", "الرئيس", "إن", "على", "من", "بعد", "الوزير", "الأسبوع",
           "الماضي", "مع", "عن", "الشركة", "السوق", "الناس", "أكثر", "خلال", "العام", "الجديد", "إلى", "التي",
           "الذي", "كان", "هذا", "بين", "أيضا", "حيث", "المسؤولين", "الدولة", "الأخبار", "الخطة", "الاتفاق",
           "البلاد", "المجلس", "الأمن", "الاقتصاد", "الصحة", "التعليم", "الطاقة", "السعر", "الشارع", "البيت")


# --- the archive ---------------------------------------------------------------------------------------------

_FEWEST_WORDS = 5  # of a paragraph taken from a page (not a caption or a byline)
_QUOTED = 2  # the paragraph given as a quote
_SHORTEST_WORD = 4  # letters of a word put in for another


def _pages() -> list[tuple[str, list[str]]]:
    expected = json.loads((ROOT / "tests/fixtures/news/expected.json").read_text(encoding="utf-8"))
    pages = []
    for _, page in sorted(expected.items()):
        paragraphs = [" ".join(p.split()) for p in page["body"].split("\n\n") if len(p.split()) >= _FEWEST_WORDS]
        if paragraphs and page["title"].strip():
            pages.append((" ".join(page["title"].split()), paragraphs))
    return pages


def _vary(paragraph: str, rng: random.Random, vocabulary: list[str]) -> str:
    words = paragraph.split()
    position = rng.randrange(len(words))
    if words[position].isalpha():
        words[position] = rng.choice(vocabulary)
    return " ".join(words)


_MOST_CHARACTERS = 5000  # of an article's body, about (a typical news story)
_SYLLABLES = ("ka", "ri", "mo", "ta", "lu", "sen", "dor", "vi", "na", "bel", "zu", "ra", "qi", "hal", "men", "tor")


def _name(number: int, which: int) -> str:
    """A name no other article has (a person's, a place's)."""
    digits = []
    number = number * 2 + which
    for _ in range(4):
        number, digit = divmod(number, len(_SYLLABLES))
        digits.append(_SYLLABLES[digit])
    return "".join(digits).capitalize() + ("ov" if which == 0 else "ia")


def article_text(number: int, pages, vocabulary) -> tuple[str, str]:
    """Article ``number``: (format, text); distinct from every other one."""
    rng = random.Random(number)
    title, paragraphs = pages[number % len(pages)]
    _, others = pages[rng.randrange(len(pages))]
    body, size = [], 0
    for paragraph in paragraphs[:10] + rng.sample(others, min(2, len(others))):
        if size > _MOST_CHARACTERS:
            break
        body.append(_vary(paragraph, rng, vocabulary))
        size += len(body[-1])
    person, place = _name(number, 0), _name(number, 1)  # names of its own, as news has: the vocabulary grows
    body[min(1, len(body) - 1)] += f" {person} told reporters in {place} that the plan would go ahead."
    fmt = FORMATS[number % len(FORMATS)]
    day = f"2019-{1 + number % 12:02d}-{1 + number % 28:02d}"
    heading = " ".join(body[0].split()[:6]).rstrip(".,;:")
    items = [" ".join(p.split()[:8]).rstrip(".,;:") + "." for p in body[1:4]]
    if fmt == "txt":
        lines = [title, "", *[line for paragraph in body for line in (paragraph, "")], f"Last Modified: {day}"]
        return fmt, "\n".join(lines) + "\n"
    first = body[0].split()
    if fmt == "md":
        first[1] = f"[{first[1]}](https://example.com/{number})"
        first[3] = f"*{first[3]}*"
        rest = [f"> {body[_QUOTED]}" if index == _QUOTED else paragraph for index, paragraph in enumerate(body[1:], 1)]
        lines = ["---", f"title: {json.dumps(title)}", f"date: {day}", f"author: Desk {number % 7}", "---", "",
                 " ".join(first), "", f"## {heading}", "", *[line for p in rest for line in (p, "")],
                 *[f"- {item}" for item in items]]
        return fmt, "\n".join(lines) + "\n"
    esc = [html.escape(word, quote=False) for word in first]
    esc[1] = f'<a href="https://example.com/{number}">{esc[1]}</a>'
    esc[3] = f"<em>{esc[3]}</em>"
    blocks = [f"<p>{' '.join(esc)}</p>", f"<h2>{html.escape(heading)}</h2>"]
    blocks += [f"<blockquote><p>{html.escape(p)}</p></blockquote>" if index == _QUOTED else f"<p>{html.escape(p)}</p>"
               for index, p in enumerate(body[1:], 1)]
    blocks.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}'
            f' | Example News</title>\n<meta property="article:published_time" content="{day}T10:05:00+03:00">\n'
            f'<meta name="author" content="Desk {number % 7}">\n</head>\n<body>\n<nav><a href="/">Home</a></nav>\n'
            f"<article>\n<h1>{html.escape(title)}</h1>\n" + "\n".join(blocks) + "\n</article>\n</body>\n</html>\n")
    return fmt, page


_TRANSLITERATION = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ابكديفغهيجكلمنوبقرستوفوكيز")


def stand_in(source: str, index) -> str:
    """An Arabic stand-in for a reviewed translation: one Arabic word per English word (a name
    within the sentence written in Arabic letters), the English's numbers, placeholders, URLs
    and e-mail addresses kept in order, and the approved rendering of each glossary term the English has."""
    from localize.engines.protect import protect

    runs, values = protect(source).runs, protect(source).values
    pieces = []
    for number, run in enumerate(runs):
        words = re.findall(r"[^\W\d_]+", run)
        pieces.extend(word.lower().translate(_TRANSLITERATION) if word[:1].isupper() and at else  # a name
                      _ARABIC[(len(word) * 7 + ord(word[0]) + len(pieces) + at) % len(_ARABIC)]
                      for at, word in enumerate(words))
        if number < len(values):
            pieces.append(values[number])
    for match in index.find(source):
        pieces.append(match.text if match.term.type == "dnt" else match.term.target)
    return " ".join(pieces)


def _make(folder: Path, number: int, pages, vocabulary, index, find) -> None:
    from localize.catalog import build_catalog, render
    from localize.readers import parse_article
    from localize.segment import segment_article

    fmt, text = article_text(number, pages, vocabulary)
    name = f"articles/story-{number:05d}.{fmt}"
    (folder / name).write_text(text, encoding="utf-8")
    article = parse_article(text.encode("utf-8"), name)
    po = build_catalog(article, segment_article(article), name)
    for entry in po:
        entry.msgstr = stand_in(entry.msgid, index)
        flagged = sorted({issue.type for issue in find(entry)})
        if flagged:  # what a reviewer accepts on a stand-in (a repeated word, a length ratio)
            entry.tcomment = f"ignore: {', '.join(flagged)}"
    (folder / "translations" / "ar" / f"story-{number:05d}.po").write_text(render(po), encoding="utf-8")


def build_archive(folder: Path, count: int) -> None:
    """``folder``: a project with ``count`` articles and their reviewed POs (added to what is there)."""
    from localize import pipeline

    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "translations" / "ar").mkdir(parents=True, exist_ok=True)
    (folder / "glossaries").mkdir(exist_ok=True)
    shutil.copy(ROOT / "glossaries" / "news.csv", folder / "glossaries" / "news.csv")
    here = os.getcwd()
    os.chdir(folder)
    try:
        pages = _pages()
        vocabulary = sorted({word for _, paragraphs in pages for paragraph in paragraphs
                             for word in paragraph.split() if word.isalpha() and len(word) >= _SHORTEST_WORD})
        index = pipeline.term_index((), required=False)
        find = pipeline.issue_finder(index)
        present = len(list((folder / "translations" / "ar").glob("*.po")))
        for number in range(present, count):
            _make(folder, number, pages, vocabulary, index, find)
    finally:
        os.chdir(here)


ARCHIVE = 2  # the archive's version: a change to how it is made is a new one
ARCHIVE_FOLDER = Path(tempfile.gettempdir()) / "localize-archive-scale"


def project(archive: Path, count: int) -> Path:
    """A project of the first ``count`` articles and POs of the archive (hard links)."""
    whole = archive / f"all-v{ARCHIVE}"
    build_archive(whole, count)
    folder = archive / f"n{count}-v{ARCHIVE}"
    if not (folder / "translations" / "ar" / f"story-{count - 1:05d}.po").exists():
        shutil.rmtree(folder, ignore_errors=True)
        for sub in ("articles", "translations/ar", "glossaries"):
            (folder / sub).mkdir(parents=True)
        for number in range(count):
            name = next((whole / "articles").glob(f"story-{number:05d}.*")).name
            os.link(whole / "articles" / name, folder / "articles" / name)
            po = f"translations/ar/story-{number:05d}.po"
            os.link(whole / po, folder / po)
        shutil.copy(whole / "glossaries" / "news.csv", folder / "glossaries" / "news.csv")
    return folder


# --- measuring -----------------------------------------------------------------------------------------------

# The child's own peak (VmHWM) at exit, written to $PEAK_FILE: ru_maxrss from wait4 would not do (on
# Linux a child keeps the bench's own high-water mark in it), so every command would read >= the bench.
_PEAK = """
import atexit, os
def _peak():
    with open('/proc/self/status') as status, open(os.environ['PEAK_FILE'], 'w') as out:
        out.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))
atexit.register(_peak)
"""
COMMAND = _PEAK + """
import runpy, sys
sys.argv[0] = 'localize'
runpy.run_module('localize', run_name='__main__', alter_sys=True)
"""
# The floor: what any publisher must do per PO, no more (see the module's docstring).
FLOOR = _PEAK + """
import sys
from pathlib import Path
import polib
from localize.publish import Edition, Part, render
from localize.readers import parse_article

out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).glob('*.po')):
    po = polib.pofile(str(path), wrapwidth=0)
    source, meta = po.metadata['X-Source-File'], po.metadata
    article = parse_article(Path(source).read_bytes(), source, meta.get('X-Source-Format') or None,
                            meta.get('X-Source-Encoding') or None)
    texts = {}
    for entry in po:
        if not entry.obsolete:
            texts.setdefault(int(entry.msgctxt.split('.')[0]), []).append(entry.msgstr or entry.msgid)
    parts = tuple(Part(block, number, ' '.join(texts.get(number, ())), False)
                  for number, block in enumerate(article.blocks, 1))
    edition = Edition(article.slug, source, parts, article.metadata, segments=len(po))
    (out / (path.stem + '.ar.html')).write_text(render(edition, 'html'), encoding='utf-8')
"""


def child(code: str, args: list[str], cwd: Path, tree: Path = ROOT) -> dict:
    """Run ``code`` in a fresh Python with ``tree`` first on the path, output to /dev/null: wall and
    CPU seconds (user + system of the child) and its peak resident memory (MiB)."""
    handle, peak_file = tempfile.mkstemp(prefix="archive-peak-")
    os.close(handle)
    env = dict(os.environ, PYTHONPATH=str(tree), PEAK_FILE=peak_file, NO_COLOR="1")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    code_ = os.waitstatus_to_exitcode(status)
    if code_ not in (0, 1):  # check exits 1 when it finds issues
        raise SystemExit(f"{tree}: {' '.join(args[:3])} in {cwd} exited {code_}:\n{errors[-3000:]}")
    peak = int(Path(peak_file).read_text(encoding="ascii")) / 1024
    os.unlink(peak_file)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": peak}


def editions_digest(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


PUBLISH = ["publish", "--out", "{out}", "translations/ar"]
CASES = {"publish": (COMMAND, PUBLISH), "floor": (FLOOR, ["translations/ar", "{out}"]),
         "check": (COMMAND, ["check", "translations/ar"]), "status": (COMMAND, ["status", "translations/ar"])}


def measure(rounds: Rounds, case: str, folder: Path, tree: Path = ROOT, kind: str = "") -> str | None:
    """One sample of ``case`` ("publish@1000", "floor@1000", ...; ``kind``: what it runs, if not
    its name) in ``folder``; the digest of the pages it wrote, if it writes any."""
    code, args = CASES[kind or case.split("@", 1)[0]]
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    found = child(code, [arg.replace("{out}", str(out)) for arg in args], folder, tree)
    rounds.add(case, found["wall"], found["cpu"], found["peak"])
    pages = editions_digest(out) if out.exists() else None
    shutil.rmtree(out, ignore_errors=True)
    print(f"  {case}{'' if tree == ROOT else ' ' + str(tree)}: {found['cpu']:.2f} s CPU, {found['wall']:.2f} s "
          f"wall, {found['peak']:.1f} MiB", flush=True)
    return pages


def scale(archive: Path, sizes: list[int], count: int) -> tuple[dict, list[Table]]:
    """publish and its floor at each size in alternated rounds; then check and status once each."""
    folders = {size: project(archive, size) for size in sizes}
    rounds, pages = Rounds(count), {}
    for case in rounds.order([f"{name}@{size}" for size in sizes for name in ("publish", "floor")]):
        pages.setdefault(case, measure(rounds, case, folders[int(case.split("@")[1])]))
    for size in sizes:
        if pages[f"publish@{size}"] != pages[f"floor@{size}"]:
            raise SystemExit(f"the floor's pages are not publish's at {size} POs: it would not do the same job")
        for name in ("check", "status"):
            measure(rounds, f"{name}@{size}", folders[size])
    rows, memory = [], []
    for size in sizes:
        ratio = rounds.ratio(f"publish@{size}", f"floor@{size}", clock="cpu")
        rows.append([f"{size:,}", pair(summary(rounds.cpu[f"publish@{size}"]), 1),
                     pair(summary(rounds.cpu[f"floor@{size}"]), 1), f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                     pair(summary(rounds.wall[f"publish@{size}"]), 1), pair(summary(rounds.wall[f"floor@{size}"]), 1)])
        memory.append([f"{size:,}", *(f"{rounds.peak[f'{name}@{size}']:.1f}" for name in CASES)])
    growth = ", ".join(f"{name} {float(last) - float(first):+.1f}"
                       for name, first, last in zip(CASES, memory[0][1:], memory[-1][1:], strict=True))
    tables = [Table(f"publish against its floor, {count} alternated rounds",
                    ["POs", "publish CPU s", "floor CPU s", "publish / floor CPU", "publish wall s", "floor wall s"],
                    rows, note="Seconds of the child process, min / median; the ratio of the minima / of the "
                               "medians (goal: publish within 3x its floor). The floor's pages are publish's, byte "
                               "for byte."),
              Table("Peak memory of a fresh process (MiB, its VmHWM)", ["POs", *CASES], memory,
                    note=f"publish and its floor: the largest of the rounds; check and status: one run each. From "
                         f"{sizes[0]:,} to {sizes[-1]:,} POs: {growth} MiB (goal: flat).")]
    return {"cases": rounds.summary(), "sizes": sizes}, tables


def segmentation(count: int) -> tuple[dict, Table]:
    from localize.segment import split

    sizes = (1_000_000, 2_000_000, 4_000_000)
    texts = {f"{size // 1_000_000}M": (BLOCK * (size // len(BLOCK) + 1))[:size] for size in sizes}
    rounds = Rounds(count)
    for case in rounds.order(list(texts)):
        with rounds.time(case):
            split(texts[case])
    base = rounds.stat("1M", "cpu", "min")
    rows = [[f"{len(texts[case]):,}", pair(summary(rounds.cpu[case]), 2),
             f"{rounds.stat(case, 'cpu', 'min') / base:.1f}"] for case in texts]
    return rounds.summary(), Table(f"Segmentation of one block, {count} alternated rounds",
                                   ["characters", "CPU s (min / median)", "x the 1M time (min)"], rows,
                                   note="Linear: 4M characters should take about 4x the time of 1M.")


ABOUT = ("An archive of distinct reviewed POs, built once: articles in Markdown, text and HTML made from the "
         "paragraphs of the 95 real news pages of `tests/fixtures/news` (about 27 entries each; each article with "
         "names of its own, so the vocabulary grows as a real archive's does), every entry given a stand-in Arabic "
         "that passes the checks, so every PO is ready. `localize publish --out DIR translations/ar` (the HTML "
         "edition) against its floor: a process that, per PO, only reads and parses the PO (polib) and its "
         "article, pairs each block with its Arabic, and renders and writes the page with the same template (no "
         "checks, no hash, no flush, nothing staged). `check` and `status` over the same archive. Each command a "
         "fresh process, its output to /dev/null; CPU = the process's user + system time, peak = its own VmHWM.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000], help="POs in the archive")
    parser.add_argument("--archive", type=Path, default=ARCHIVE_FOLDER, help="where the archive is built once and kept")
    options = parser.parse_args()
    command = f"bench/archive_scale.py --rounds {options.rounds} --sizes {' '.join(map(str, options.sizes))}"
    data, tables = scale(options.archive, options.sizes, options.rounds)
    split_data, split_table = segmentation(options.rounds)
    tables.append(split_table)
    print_tables(tables)
    write("archive_scale", {"title": "An archive's size", "rounds": options.rounds, **data,
                            "segmentation": split_data}, tables=tables, command=command, about=ABOUT)


if __name__ == "__main__":
    main()
