"""Translation memory at archive size: a batch of new articles against 0, 50,000 and 200,000 reviewed entries.

Builds, once (cached under --cache), archives of reviewed PO files (25 entries a PO, as a
news article's worth) whose English is made from real news: the segments of the 95 pages
of tests/fixtures/news (read with localize's reader) and the shared sample article, cut
into clauses at commas and conjunctions and recombined across pages, with names, numbers
and some words swapped for others of the same corpus (so that 200,000 entries are not a
few stories repeated: see ``about`` in the JSON), and one entry in ten an update of an
earlier one (a name, a number or a word changed).  Then 100 new articles (10-30 sentences:
new sentences made the same way, updates of archive entries, repeats, real sentences),
and, in alternated rounds, each a fresh process (its CPU time and peak memory from the
kernel's accounting of that process):

- ``localize batch --no-mt`` of the 100 articles into the archive's folder (what the desk
  runs: reading, segmenting, memory, checks, PO files);
- the memory's own part: opening the index and the exact and fuzzy lookups of every
  segment of the 100 articles, and of one article;

and, once, the index's build, and the recall of the index's suggestions (up to 3, ratio 75
or more) against localize's exhaustive memory (``tm.Memory``: every PO parsed, every unit
scored) on a sample of the batch's segments.

    .venv/bin/python bench/memory_index.py [--sizes 0,50000,200000] [--rounds 3] [--recall 400]

``--before DIR`` (a worktree of an older commit) times the index's build (alone in its process,
and in the first batch on an archive, which builds it, then looks up in it), the batch and the
lookups of that code against this one, alternated round by round, on copies of the same
archives (each its own index), and writes bench/results/memory_index_paired.json:

    git worktree add /tmp/wt-before COMMIT
    .venv/bin/python bench/memory_index.py --before /tmp/wt-before --sizes 0,50000,200000 --rounds 3
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
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

from record import Rounds, Table, commit_of, pair, print_tables, summary, write  # noqa: E402

GENERATOR = "news-recombined 1"  # change it when the archive's making changes: the cache is rebuilt
PER_PO = 25
WORDS = (4, 60)  # the real segments taken: 4 to 60 words
KEEP, SHORT = 0.4, 3  # a clause kept (else swapped); a sentence of fewer clauses gets one more
NEW, UPDATED, REPEATED = 0.65, 0.25, 0.05  # a new article's sentences (the rest: real ones)
NAME = ".localize-memory.sqlite"

# --- the archive's English: real news, recombined ---------------------------------------------

_CUT = re.compile(r"(?<=[,;:])\s+|\s+(?=(?:—|–|and|but|that|which|while|after|before|because|when|as|who|where"
                  r"|with|from|in|on)\s)")
_NAME = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Za-z]+)?$")
_NUMBER = re.compile(r"^\d[\d,.]*$")
_LOWER = re.compile(r"^[a-z]{4,}$")
_ARABIC = ("قال المسؤولون إن المحادثات ستستأنف يوم الأحد بعد توقف دام شهرين في العاصمة وأضافت الحكومة أن "
           "الوزير سيلتقي نظراءه لبحث الأزمة والاتفاق على خطة جديدة للأمن والاقتصاد").split()


def news_pages(cache: Path) -> list[list[str]]:
    """The segments (4 to 60 words) of each real page, as localize's reader and segmenter make them."""
    path = cache / "news-segments.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from localize.readers import parse_article
    from localize.segment import segment_article

    pages = []
    sources = sorted((ROOT / "tests/fixtures/news").glob("*.html.gz")) + sorted((ROOT.parent / "shared/articles")
                                                                                .glob("*.txt"))
    for source in sources:
        data, name = source.read_bytes(), source.name
        if name.endswith(".gz"):
            data, name = gzip.decompress(data), name[:-3]
        segments = [s.source for s in segment_article(parse_article(data, name))]
        pages.append([s for s in segments if WORDS[0] <= len(s.split()) <= WORDS[1]])
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    return pages


class News:
    """Sentences made from the real pages' clauses, names, numbers and words."""

    def __init__(self, pages: list[list[str]], seed: int):
        self.rng = random.Random(seed)
        self.real = [sentence for page in pages for sentence in page]
        self.clauses = [_CUT.split(sentence) for sentence in self.real]
        self.firsts = [clauses[0] for clauses in self.clauses]
        self.rests = [clause for clauses in self.clauses for clause in clauses[1:]]
        words = [word for sentence in self.real for word in sentence.split()]
        self.names = sorted({word for sentence in self.real for word in sentence.split()[1:] if _NAME.match(word)})
        self.endings: dict[str, list[str]] = {}
        for word in words:
            if _LOWER.match(word):
                self.endings.setdefault(word[-2:], []).append(word)

    def sentence(self) -> str:
        """A real sentence's clauses, each kept or (3 in 5) swapped for another page's; a short one gets
        one more; names (1 in 2), numbers and words (1 in 10) swapped."""
        rng = self.rng
        clauses = [clause if rng.random() < KEEP else rng.choice(self.rests if at else self.firsts)
                   for at, clause in enumerate(self.clauses[rng.randrange(len(self.clauses))])]
        if len(clauses) < SHORT:
            clauses.insert(rng.randrange(1, len(clauses) + 1), rng.choice(self.rests))
        return self.changed(" ".join(clauses), names=0.5, words=0.1)

    def changed(self, text: str, names: float, words: float) -> str:
        rng, out = self.rng, []
        for at, word in enumerate(text.split(" ")):
            core = word.rstrip(".,;:!?”\"’)")
            tail = word[len(core):]
            if at and _NAME.match(core) and rng.random() < names:
                core = rng.choice(self.names)
            elif _NUMBER.match(core) and rng.random() < 0.8:  # noqa: PLR2004 (most figures change)
                core = "".join(str(rng.randrange(10)) if c.isdigit() else c for c in core)
            elif _LOWER.match(core) and rng.random() < words:
                core = rng.choice(self.endings.get(core[-2:], [core]))
            out.append(core + tail)
        return " ".join(out)

    def update(self, text: str) -> str:
        """The same sentence on a later day: a name, a figure or a word changed."""
        return self.changed(text, names=0.3, words=0.08)

    def archive(self, size: int) -> list[str]:
        """``size`` distinct English entries: the real sentences first, then made ones, one in ten an
        update of an entry made before."""
        entries = dict.fromkeys(self.real)
        made = list(entries)
        while len(entries) < size:
            text = self.sentence() if self.rng.random() < 0.9 or not made else self.update(self.rng.choice(made))  # noqa: PLR2004
            if text not in entries:
                entries[text] = None
                made.append(text)
        return list(entries)[:size]

    def arabic(self, length: int) -> str:
        words: list[str] = []
        while sum(len(word) + 1 for word in words) < length:
            words.append(self.rng.choice(_ARABIC))
        return " ".join(words)


def build_archive(folder: Path, english: list[str], news: News) -> None:
    import polib

    (folder / "ar").mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(english), PER_PO)):
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
        for position, sentence in enumerate(english[start:start + PER_PO], 1):
            po.append(polib.POEntry(msgctxt=f"{position}.1", msgid=sentence,
                                    msgstr=news.arabic(int(len(sentence) * 0.9))))
        po.save(str(folder / "ar" / f"desk-{number:05d}.po"))


def new_articles(news: News, english: list[str], count: int) -> list[str]:
    """``count`` articles of 10-30 sentences: 65% new, 25% updates of archive entries, 5% repeated
    entries, 5% real sentences; a title, then paragraphs of 1-4 sentences."""
    rng, articles = news.rng, []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(10, 30)):
            draw = rng.random()
            if draw < NEW or not english:
                sentences.append(news.sentence())
            elif draw < NEW + UPDATED:
                sentences.append(news.update(rng.choice(english)))
            elif draw < NEW + UPDATED + REPEATED:
                sentences.append(rng.choice(english))
            else:
                sentences.append(rng.choice(news.real))
        title = " ".join(news.sentence().split()[:8]).rstrip(",;:")
        paragraphs, at = [], 0
        while at < len(sentences):
            step = rng.randint(1, 4)
            paragraphs.append(" ".join(sentences[at:at + step]))
            at += step
        articles.append("\n\n".join([title, *paragraphs]) + "\n")
    return articles


def prepared(cache: Path, sizes: list[int], articles: int) -> tuple[dict[int, Path], Path, list[list[str]]]:
    """The archives (built once, kept under ``cache``), the folder of new articles, each one's segments."""
    from localize.readers import parse_article
    from localize.segment import segment_article

    largest = max(sizes)
    stamp = f"{GENERATOR}; {largest}; {articles}"
    base = cache / f"largest-{largest}-articles-{articles}"
    if (base / "stamp").exists() and (base / "stamp").read_text() == stamp:
        english = json.loads((base / "english.json").read_text(encoding="utf-8"))
    else:
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        news = News(news_pages(cache), seed=5)
        english = news.archive(largest)
        (base / "english.json").write_text(json.dumps(english, ensure_ascii=False), encoding="utf-8")
        incoming = base / "incoming"
        incoming.mkdir()
        smallest = min([size for size in sizes if size] or [largest])
        for number, text in enumerate(new_articles(News(news_pages(cache), seed=11), english[:smallest], articles)):
            (incoming / f"story-{number:04d}.txt").write_text(text, encoding="utf-8")
        (base / "stamp").write_text(stamp)
    folders = {}
    for size in sizes:
        folder = base / f"archive-{size}" / "translations"
        mark = folder.parent / "built"
        if not mark.exists():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.mkdir(parents=True)
            build_archive(folder, english[:size], News([], seed=size))
            mark.write_text("ok")
        folders[size] = folder
    incoming = base / "incoming"
    return folders, incoming, [[segment.source for segment in segment_article(parse_article(path.read_bytes(),
                                                                                          path.name))]
                               for path in sorted(incoming.iterdir())]


# --- a fresh process per measurement ---------------------------------------------------------

PEAK = """
import atexit, os, re, sys
def _peak():  # this process's own peak resident memory (a fresh one since exec), for the bench
    with open("/proc/self/status", encoding="ascii") as status:
        found = re.search(r"VmHWM:\\s+(\\d+)", status.read())
    with open(os.environ["BENCH_PEAK_FILE"], "w", encoding="ascii") as out:
        out.write(found.group(1) if found else "nan")
atexit.register(_peak)
"""
BATCH = PEAK + """
import runpy
sys.argv = ["localize", *sys.argv[1:]]
runpy.run_module("localize", run_name="__main__", alter_sys=True)
"""
BUILD = PEAK + """
from localize.memory import load_memory
load_memory(sys.argv[1]).close()
"""
LOOKUPS = PEAK + """
import json
from localize.memory import load_memory
segments = json.load(open(sys.argv[1], encoding="utf-8"))
memory = load_memory(sys.argv[2])
for segment in segments:
    exact = memory.match(segment)
if hasattr(memory, "suggest_many"):  # as a batch makes them: together
    found = [[[s.score, s.unit.source] for s in suggestions] for suggestions in memory.suggest_many(segments)]
else:
    found = [[[s.score, s.unit.source] for s in memory.suggest(segment)] for segment in segments]
if len(sys.argv) > 3:
    json.dump({"found": found, "scored": getattr(memory, "scored", None)}, open(sys.argv[3], "w", encoding="utf-8"))
"""


def vocabulary(english: list[str]) -> dict:
    """The archive's word forms: how many, in how many entries a word is (median, most)."""
    counts: dict[str, int] = {}
    for sentence in english:
        for word in set(re.findall(r"\w+", sentence.lower())):
            counts[word] = counts.get(word, 0) + 1
    spread = sorted(counts.values())
    return {"entries": len(english), "forms": len(spread), "median": spread[len(spread) // 2] if spread else 0,
            "top": spread[-1] if spread else 0}


def child(code: Path, arguments: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run ``python -c SCRIPT ARGUMENTS`` with ``code`` first on the path: its wall and CPU (user +
    system, from wait4) and the peak resident MiB it reports at exit (VmHWM: wait4's maxrss would
    count the parent's size, which the child starts from)."""
    peak = cwd / "peak"
    env = {**os.environ, "PYTHONPATH": str(code), "BENCH_PEAK_FILE": str(peak)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # (a user's install has its bytecode: each tree's first child writes
    peak.unlink(missing_ok=True)  # it, the rounds compile nothing; this machine's environment sets it)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, *arguments], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # (batch: 1 when an article failed, reported in the table)
            errors.seek(0)
            raise SystemExit(f"{arguments[2:5]} failed ({process.returncode}): {errors.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, int(peak.read_text()) / 1024


def clean_batch(folder: Path) -> None:
    """Take the batch's new POs and state away: the next round's batch finds the same archive."""
    for path in (folder / "ar").glob("story-*.po"):
        path.unlink()
    for name in (".localize-batch-state.json", ".localize-batch-state.lock"):
        (folder / name).unlink(missing_ok=True)


def recall(truth: list[list], found: list[list]) -> dict:
    wanted = hits = same = 0
    for expected, got in zip(truth, found, strict=True):
        expected_set, got_set = {tuple(s) for s in expected}, {tuple(s) for s in got}
        wanted += len(expected_set)
        hits += len(expected_set & got_set)
        same += [tuple(s) for s in expected] == [tuple(s) for s in got]
    return {"wanted": wanted, "found": hits, "recall": round(hits / max(1, wanted), 6), "identical_lists": same,
            "queries": len(truth), "queries_with_a_suggestion": sum(bool(t) for t in truth)}


def exhaustive_truth(folder: Path, queries: list[str], cache: Path) -> list[list]:
    """localize's exhaustive memory (every PO parsed, every unit scored) on ``queries``; cached by
    the archive, the queries and tm.py's source (the result depends on nothing else)."""
    key = hashlib.sha256(json.dumps([str(folder), queries]).encode() + (ROOT / "localize/memory/tm.py")
                         .read_bytes()).hexdigest()[:16]
    path = cache / f"truth-{key}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from localize.catalog import read_po
    from localize.memory.tm import Memory, units_from_catalog

    units = []
    for po in sorted(folder.rglob("*.po")):
        if not po.name.startswith("story-"):
            units += units_from_catalog(read_po(po), po.as_posix())
    memory = Memory(units)
    truth = [[[s.score, s.unit.source] for s in memory.suggest(query)] for query in queries]
    path.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,50000,200000", help="memory entries, comma-separated")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recall", type=int, default=400, help="segments whose suggestions are checked")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "memory-bench"))
    parser.add_argument("--before", help="a worktree of an older commit: its batch and lookups against this one's")
    options = parser.parse_args()
    run = Run(options)
    run.build()
    run.measure()
    run.check_recall()
    shutil.rmtree(run.work, ignore_errors=True)
    if options.before:
        run.report_paired()
    else:
        run.report()


class Run:
    """One run of the bench: the archives, the code (this tree, and --before's), the measurements."""

    def __init__(self, options):
        self.options = options
        self.sizes = [int(size) for size in options.sizes.split(",")]
        self.cache = Path(options.cache)
        start = time.perf_counter()
        self.folders, self.incoming, each = prepared(self.cache, self.sizes, options.articles)
        self.segments, self.one = [segment for article in each for segment in article], each[0]
        print(f"archives of {', '.join(f'{s:,}' for s in self.sizes)} entries, {options.articles} new articles "
              f"({len(self.segments):,} segments) ready in {time.perf_counter() - start:.0f} s (in {self.cache})")
        self.work = Path(tempfile.mkdtemp(prefix="memory-bench-"))
        for name, segments in (("segments", self.segments), ("one", self.one)):
            (self.work / f"{name}.json").write_text(json.dumps(segments, ensure_ascii=False), encoding="utf-8")
        self.codes = {"after": ROOT} if not options.before else {"before": Path(options.before).resolve(),
                                                                   "after": ROOT}
        self.trees = {}  # (code, size): its own copy of the archive (an index of its own schema)
        for name in self.codes:
            for size in self.sizes:
                folder = self.folders[size]
                if name != "after":
                    copy = self.cache / f"copy-{name}" / f"archive-{size}" / "translations"
                    if not copy.exists():
                        shutil.copytree(folder, copy, copy_function=os.link,
                                        ignore=shutil.ignore_patterns(NAME, NAME + "-*"))
                    folder = copy
                self.trees[name, size] = folder
        english = json.loads((self.incoming.parent / "english.json").read_text(encoding="utf-8"))
        self.vocabulary = vocabulary(english[:max(self.sizes)])
        self.rounds = Rounds(options.rounds)
        self.builds: dict = {}
        self.recalls: dict = {}
        self.scored: dict = {}

    def build(self) -> None:
        """The index's build, once (a copy's only when it has none)."""
        for (name, size), folder in self.trees.items():
            if name == "after" or not (folder / NAME).exists():
                (folder / NAME).unlink(missing_ok=True)
                clean_batch(folder)
                self.builds[name, size] = child(self.codes[name], ["-c", BUILD, str(folder)], self.work)
                print(f"  {name} index of {size:,} entries built: {self.builds[name, size][0]:.1f} s")

    def measure(self) -> None:
        cases = {}
        for name in self.codes:
            for size in self.sizes:
                kinds = ("batch", "lookups", "one") if not self.options.before else \
                    ("build", "first batch", "batch", "lookups") if size else ("batch", "lookups")
                for kind in kinds:
                    cases[f"{kind} {name} {size}"] = (name, size, kind)
        for case in self.rounds.order(list(cases)):
            name, size, kind = cases[case]
            folder = self.trees[name, size]
            if kind == "build":  # (the whole index again, from no file)
                (folder / NAME).unlink(missing_ok=True)
                measured = child(self.codes[name], ["-c", BUILD, str(folder)], self.work)
            elif kind in ("batch", "first batch"):
                if kind == "first batch":  # (the first run on an archive, or after an upgrade: it builds the index)
                    (folder / NAME).unlink(missing_ok=True)
                measured = child(self.codes[name], ["-c", BATCH, "batch", str(self.incoming), "--out", str(folder),
                                                    "--no-mt"], self.work)
                clean_batch(folder)
            else:
                segments = self.work / ("one.json" if kind == "one" else "segments.json")
                measured = child(self.codes[name], ["-c", LOOKUPS, str(segments), str(folder)], self.work)
            self.rounds.add(case, *measured)
            print(f"  {case:28} wall {measured[0]:6.2f} s  CPU {measured[1]:6.2f} s  peak {measured[2]:6.1f} MiB")

    def check_recall(self) -> None:
        sample = random.Random(3).sample(self.segments, min(self.options.recall, len(self.segments)))
        (self.work / "sample.json").write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
        for (name, size), folder in self.trees.items():
            if not size:
                continue
            truth = exhaustive_truth(self.folders[size], sample, self.cache)
            child(self.codes[name], ["-c", LOOKUPS, str(self.work / "sample.json"), str(folder),
                                     str(self.work / "found.json")], self.work)
            result = json.loads((self.work / "found.json").read_text(encoding="utf-8"))
            self.recalls[name, size] = recall(truth, result["found"])
            if result["scored"] is not None:
                self.scored[name, size] = result["scored"] / len(sample)
            print(f"  {name} recall at {size:,}: {self.recalls[name, size]}")

    def cell(self, case: str, clock: str) -> str:
        return pair(summary((self.rounds.cpu if clock == "cpu" else self.rounds.wall)[case]), 2)

    def report_paired(self) -> None:
        rows = []
        for size in self.sizes:
            for kind in ("build", "first batch", "batch", "lookups") if size else ("batch", "lookups"):
                before, after = f"{kind} before {size}", f"{kind} after {size}"
                ratio = self.rounds.ratio(after, before, clock="cpu")
                rows.append([f"{size:,}", kind, self.cell(before, "cpu"), self.cell(after, "cpu"),
                             f"{ratio['min']:.2f} / {ratio['median']:.2f}",
                             f"{self.rounds.peak[before]:.0f} → {self.rounds.peak[after]:.0f}"])
        for (name, size), result in self.recalls.items():
            rows.append([f"{size:,}", f"recall {name}", "", "", "", f"{result['found']}/{result['wanted']}"])
        before = commit_of(Path(self.options.before))
        tables = [Table(f"The memory before ({before[:7]}) and after, {self.options.rounds} alternated rounds, each "
                        "a fresh process", ["entries", "case", "before CPU s (min / median)",
                                            "after CPU s (min / median)", "after/before (min / median)",
                                            "peak MiB before → after"], rows,
                        note="build: the whole index from no file, alone in its process; first batch: `localize batch "
                             "--no-mt` of the new articles on the archive with no index (the first run on an archive, "
                             "or after an upgrade: it builds the index, then looks up in it); batch: the same with the "
                             "index there; lookups: open the index, then the exact and fuzzy lookups of their "
                             "segments.")]
        print_tables(tables)
        write("memory_index_paired", {"title": "Translation memory, before and after", "before": before,
                                      "sizes": self.sizes, "rounds": self.rounds.summary(),
                                      "recall": {f"{n} {s}": r for (n, s), r in self.recalls.items()}},
              tables=tables, about=ABOUT.format(articles=self.options.articles, **self.vocabulary),
              command=f"bench/memory_index.py --before WORKTREE-OF-{before[:7]} --sizes {self.options.sizes} "
                      f"--rounds {self.options.rounds} --recall {self.options.recall}")

    def report(self) -> None:
        options, rounds, sizes = self.options, self.rounds, self.sizes
        batch_rows, memory_rows, build_rows, recall_rows = [], [], [], []
        for size in sizes:
            batch = f"batch after {size}"
            ratio = rounds.ratio(batch, f"batch after {min(sizes)}", clock="cpu")
            batch_rows.append([f"{size:,}", self.cell(batch, "cpu"), self.cell(batch, "wall"),
                               f"{rounds.peak[batch]:.0f}", f"{ratio['min']:.2f} / {ratio['median']:.2f}"])
            lookups, single = f"lookups after {size}", f"one after {size}"
            memory_rows.append([f"{size:,}", self.cell(lookups, "cpu"), f"{rounds.peak[lookups]:.0f}",
                                self.cell(single, "cpu"), f"{rounds.peak[single]:.0f}",
                                f"{self.scored['after', size]:.0f}" if ("after", size) in self.scored else "-"])
            if ("after", size) in self.builds:
                wall, cpu, peak = self.builds["after", size]
                index = self.trees["after", size] / NAME
                pos = len(list((self.trees["after", size] / "ar").glob("*.po")))
                build_rows.append([f"{size:,}", f"{pos:,}", f"{wall:.1f}", f"{cpu:.1f}", f"{peak:.0f}",
                                   f"{index.stat().st_size / 2**20:.0f}" if index.exists() else "-"])
            if ("after", size) in self.recalls:
                result = self.recalls["after", size]
                recall_rows.append([f"{size:,}", f"{result['queries']} ({result['queries_with_a_suggestion']} "
                                    "with a suggestion)", f"{result['found']} / {result['wanted']}",
                                    f"{result['recall']:.2%}", f"{result['identical_lists']} / {result['queries']}"])
        segments = f"{len(self.segments):,} segments"
        tables = [
            Table(f"`localize batch --no-mt` of {options.articles} new articles ({segments}), each run a fresh "
                  f"process, {options.rounds} alternated rounds", ["memory entries", "CPU s (min / median)",
                                                                   "wall s (min / median)", "peak MiB",
                                                                   "CPU / empty memory's (min / median)"],
                  batch_rows, note="Goal (issue 30): at 200,000 entries within 2x the empty memory's CPU, peak "
                                   "under 100 MiB."),
            Table(f"The memory's part: open the index, then the exact and fuzzy lookups of the {segments} (and "
                  f"of one article, {len(self.one)} segments), each a fresh process",
                  ["memory entries", f"{options.articles} articles: CPU s (min / median)", "peak MiB",
                   "one article: CPU s (min / median)", "peak MiB", "units scored a lookup"], memory_rows),
            Table("The index's build (once: later runs read only the files that changed)",
                  ["memory entries", "PO files", "wall s", "CPU s", "peak MiB", "index file MiB"], build_rows),
            Table(f"Recall of the index's suggestions against the exhaustive memory ({options.recall} of the "
                  "batch's segments)", ["memory entries", "segments", "suggestions found / exhaustive's", "recall",
                                        "same list as exhaustive"], recall_rows,
                  note="A suggestion is (score, English), up to 3 a segment, ratio 75 or more."),
        ]
        print_tables(tables)
        data = {"title": "Translation memory at archive size", "sizes": sizes, "articles": options.articles,
                "segments": len(self.segments), "rounds": rounds.summary(), "vocabulary": self.vocabulary,
                "builds": {str(size): {"wall": wall, "cpu": cpu, "peak_mib": peak}
                           for (name, size), (wall, cpu, peak) in self.builds.items() if name == "after"},
                "recall": {str(size): result for (name, size), result in self.recalls.items() if name == "after"},
                "units_scored_per_lookup": {str(size): round(value, 1) for (_, size), value in self.scored.items()}}
        write("memory_index", data, tables=tables, about=ABOUT.format(articles=options.articles, **self.vocabulary),
              command=f"bench/memory_index.py --sizes {options.sizes} --rounds {options.rounds} "
                      f"--recall {options.recall}")


ABOUT = ("The archive's English is made from real news: the segments of the 95 pages of tests/fixtures/news "
         "(localize's reader and segmenter) and the shared sample article, cut into clauses at commas and "
         "conjunctions; each entry takes a real sentence and keeps each clause or (3 in 5) swaps it for a clause of "
         "any page, then swaps names (1 in 2) for other names of the corpus, numbers for other numbers and words "
         "(1 in 10) for words of the same ending; one entry in ten is an update of an earlier entry (a name, a "
         "figure or a word changed). The {entries:,} entries hold {forms:,} word forms (lower case), a word is in "
         "{median} entries at the median and {top:,} for the most common. 25 entries a PO, Arabic of the English's "
         "length. The {articles} new articles (10-30 sentences, paragraphs of 1-4) are 65% new sentences made the "
         "same way, 25% updates of archive entries, 5% repeated entries and 5% real sentences. Each case is one "
         "fresh process (CPU time from wait4; peak resident memory: the process's own VmHWM at exit), cases "
         "alternated round by round; min / median of the rounds. The recall's baseline is localize's exhaustive "
         "memory (tm.Memory: every PO parsed, every unit scored).")


if __name__ == "__main__":
    main()
