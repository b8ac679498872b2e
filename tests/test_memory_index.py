"""The memory's SQLite index: a cache of the POs and TMX files, kept up to date, never trusted."""

import os
import random

import polib
import pytest

from localize.memory import index as memory_index
from localize.memory.index import NAME, MemoryIndex
from localize.memory.tm import Memory, Unit, write_tmx

WORDS = ("the talks in Vienna resumed on Sunday after a pause of two months while diplomats from Iran Iraq "
         "and Syria met ministers officials said militias government forces parliament vote").split()


def write_po(path, pairs, fuzzy=()):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
    for number, (english, arabic) in enumerate(pairs, 1):
        po.append(polib.POEntry(msgctxt=f"{number}.1", msgid=english, msgstr=arabic,
                                flags=["fuzzy"] if number in fuzzy else []))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def sentences(count, seed=1):
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."
            for _ in range(count)]


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "translations"
    english = sentences(300)
    for number in range(10):
        write_po(folder / f"ar/a{number}.po", [(e, f"ترجمة {i}") for i, e in enumerate(english[number::10])])
    return folder, english


def test_lookups_are_those_of_the_exhaustive_memory(archive):
    folder, english = archive
    index = MemoryIndex(folder)
    exhaustive = Memory([Unit(e, f"ترجمة {i}", "x") for n in range(10)
                         for i, e in enumerate(english[n::10])])
    assert len(index) == len(exhaustive)
    queries = sentences(200, seed=2) + [e[:-1] + " today." for e in english[:50]] + english[:20]
    for query in queries:
        assert [(s.score, s.unit.source) for s in index.suggest(query)] == \
               [(s.score, s.unit.source) for s in exhaustive.suggest(query)], query
        assert (index.match(query) or Unit("", "", "")).target == (exhaustive.match(query) or Unit("", "", "")).target


def test_the_first_unit_of_an_english_wins_as_in_the_exhaustive_memory(tmp_path):
    folder = tmp_path / "translations"
    english = "The talks in Vienna resumed on Sunday after a pause of two months."
    write_po(folder / "ar/b.po", [(english, "الثانية")])
    write_po(folder / "ar/a.po", [("Officials said the vote was delayed.", "صوت"), (english, "الأولى")])
    (folder / "tm").mkdir()
    (folder / "tm/old.tmx").write_bytes(write_tmx([Unit(english, "من الذاكرة", "old")]))
    index = MemoryIndex(folder)
    assert index.match(english).target == "الأولى"
    assert index.match(english).origin.endswith("ar/a.po:2.1")
    close = english.replace("Sunday", "Monday")
    exhaustive = Memory([Unit("Officials said the vote was delayed.", "صوت", "a"), Unit(english, "الأولى", "a"),
                         Unit(english, "الثانية", "b"), Unit(english, "من الذاكرة", "old")])
    assert [(s.score, s.unit.target) for s in index.suggest(close)] == \
           [(s.score, s.unit.target) for s in exhaustive.suggest(close)] == [(96, "الأولى")]
    assert index.match(close) is None


def test_only_changed_files_are_read_again(archive, monkeypatch):
    folder, english = archive
    MemoryIndex(folder).close()
    read = []
    original = memory_index._units
    monkeypatch.setattr(memory_index, "_units", lambda path, name, kind, warn: read.append(name) or original(path, name, kind,
                                                                                                  warn))
    MemoryIndex(folder).close()
    assert read == []  # nothing changed: no PO parsed
    write_po(folder / "ar/a3.po", [("A new reviewed sentence about the talks.", "جملة جديدة")])
    os.utime(folder / "ar/a3.po", ns=(1, 1))  # a different mtime whatever the clock's resolution
    (folder / "ar/a4.po").unlink()
    index = MemoryIndex(folder)
    assert read == [(folder / "ar/a3.po").as_posix()]
    assert index.match("A new reviewed sentence about the talks.").target == "جملة جديدة"
    assert index.match(english[4]) is None and index.match(english[3]) is None  # a4 gone, a3 rewritten


def test_a_corrupt_index_is_rebuilt_and_deleting_it_loses_nothing(archive):
    folder, english = archive
    MemoryIndex(folder).close()
    (folder / NAME).write_bytes(b"not a database at all" * 100)
    assert MemoryIndex(folder).match(english[0]).target == "ترجمة 0"
    (folder / NAME).unlink()
    assert MemoryIndex(folder).match(english[0]).target == "ترجمة 0"


def test_drafts_are_not_memory_and_an_unusable_index_file_is_worked_around(archive):
    folder, english = archive
    write_po(folder / "ar/draft.po", [("A drafted sentence.", "مسودة")], fuzzy=(1,))
    assert MemoryIndex(folder).match("A drafted sentence.") is None
    (folder / NAME).unlink()
    (folder / NAME).mkdir()  # something in the way that is not a database (as a read-only folder is)
    (folder / NAME / "keep").write_text("x")
    assert MemoryIndex(folder).match(english[1]).target == "ترجمة 0"  # built in memory for the run
    assert (folder / NAME / "keep").read_text() == "x"


def news_archive(folder, count, seed=7):
    """``count`` English entries from real news (tests/fixtures/news), each real sentence and variants of it with
    clauses from other pages, names and figures swapped (as the desk's archive: recurring phrasing, updated
    stories), in POs of 25."""
    import json
    import re
    from pathlib import Path

    pages = json.loads((Path(__file__).parent / "fixtures/news/expected.json").read_text(encoding="utf-8"))
    real = list(dict.fromkeys(s for page in pages.values() for s in re.split(r"(?<=[.!?])\s+", page["body"])
                              if 6 <= len(s.split()) <= 40))
    clauses = [c for s in real for c in re.split(r"(?<=,)\s+", s)[1:]]
    names = sorted({w for s in real for w in s.split()[1:] if re.fullmatch(r"[A-Z][a-z]{3,}", w)})
    rng = random.Random(seed)

    def changed(text):
        words = text.split()
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(words))
            words[at] = str(rng.randint(2, 999)) if words[at][:1].isdigit() else rng.choice(names)
        return " ".join(words)

    english = dict.fromkeys(real[:count // 2])
    while len(english) < count:
        base = rng.choice(real)
        english[changed(base) if rng.random() < 0.5 else base.split(",")[0] + ", " + rng.choice(clauses)] = None
    english = list(english)[:count]
    for start in range(0, count, 25):
        write_po(folder / f"ar/desk-{start // 25:04d}.po", [(e, f"ترجمة {start + i}")
                                                             for i, e in enumerate(english[start:start + 25])])
    return english, changed, rng


def test_suggestions_in_a_memory_of_real_news_are_those_of_scoring_every_unit(tmp_path):
    """Real sentences, their updates (a name or a figure changed) and clauses recombined: on 400 new segments (updates
    of entries, updates of updates, new ones) the index's suggestions are exactly the exhaustive memory's."""
    folder = tmp_path / "translations"
    english, changed, rng = news_archive(folder, 3000)
    index = MemoryIndex(folder)
    exhaustive = Memory([Unit(e, "x", "x") for e in english])
    queries = [changed(rng.choice(english)) for _ in range(200)] + [changed(changed(rng.choice(english)))
                                                                    for _ in range(100)]
    queries += [rng.choice(english).split(",")[0] + ", " + rng.choice(english).split(",")[-1] for _ in range(100)]
    found = 0
    expected = [[(s.score, s.unit.source) for s in exhaustive.suggest(query)] for query in queries]
    for query, wanted in zip(queries, expected):
        assert [(s.score, s.unit.source) for s in index.suggest(query)] == wanted, query
        found += len(wanted)
    assert found > 400  # (most have close matches: the test is not vacuous)
    # a batch's lookups made together (several rounds of QUERIES, a segment twice, an empty one) answer the same
    together = index.suggest_many(queries + ["", queries[3]])
    assert [[(s.score, s.unit.source) for s in suggestions] for suggestions in together] == expected + [[], expected[3]]
    memory_index.FETCH, fetch = 150, memory_index.FETCH  # (the English of several groups of lookups read apart)
    try:
        together = index.suggest_many(queries)
    finally:
        memory_index.FETCH = fetch
    assert [[(s.score, s.unit.source) for s in suggestions] for suggestions in together] == expected


def test_an_updated_figure_a_plural_or_a_short_sentence_is_still_found(tmp_path):
    folder = tmp_path / "translations"
    write_po(folder / "ar/a.po", [("The death toll rose to 25 on Sunday, officials said.", "حصيلة"),
                                  ("Officials said.", "قال المسؤولون."), ("Iran", "إيران")])
    index = MemoryIndex(folder)
    assert [(s.score, s.unit.target) for s in index.suggest("The death toll rose to 31 on Sunday, officials said.")] \
        == [(96, "حصيلة")]
    assert [s.unit.target for s in index.suggest("Official said.")] == ["قال المسؤولون."]
    assert [(s.score, s.unit.target) for s in index.suggest("Iran.")] == [(88, "إيران")]
    assert index.suggest("Iran") == [] and index.match("Iran").target == "إيران"  # (an exact one is not suggested)


def test_a_long_run_of_lookups_reads_a_bounded_share_of_the_memory(tmp_path, monkeypatch):
    """1,500 lookups (a batch of many articles) against a memory of near-identical entries: each scores VERIFY units
    at most and no statement reads the whole memory (nothing of it is loaded into the process)."""
    folder = tmp_path / "translations"
    english, changed, rng = news_archive(folder, 2000)
    index = MemoryIndex(folder)
    statements = []
    index.database.set_trace_callback(statements.append)
    read = []
    original = memory_index._rows
    monkeypatch.setattr(memory_index, "_rows", lambda database, query, values: read.append(
        (query, len(values))) or original(database, query, values))
    for _ in range(750):
        query = changed(rng.choice(english))
        before = index.scored
        index.match(query)
        index.suggest(query)
        assert index.scored - before <= memory_index.VERIFY
    assert len(index._words) <= memory_index.WORDS_KEPT
    assert all(" WHERE " in statement for statement in statements if statement.startswith("SELECT")), statements
    assert max(count for query, count in read if "FROM english WHERE id IN" in query) <= memory_index.VERIFY
    assert max(count for query, count in read if "FROM pairs" in query) <= memory_index.PAIRS


@pytest.mark.parametrize("spill", [None, 40])
def test_an_index_brought_up_to_date_is_the_index_built_afresh(archive, tmp_path, monkeypatch, spill):
    """Also when a refresh holds more postings than it keeps in memory (``spill`` 40: spilled to temporary files by
    range of pairs, each merged into the index once; none is left behind)."""
    import tempfile

    folder, english = archive
    spills = tmp_path / "spills"
    spills.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spills))
    spilled = []
    if spill is not None:
        monkeypatch.setattr(memory_index, "_SPILL", spill)
        original = memory_index._Postings._spill
        monkeypatch.setattr(memory_index._Postings, "_spill", lambda self: spilled.append(1) or original(self))
    MemoryIndex(folder).close()
    assert (len(spilled) > 10) == (spill is not None)
    write_po(folder / "ar/a3.po", [("A new reviewed sentence about the talks.", "جملة"), (english[5], "ترجمة")])
    os.utime(folder / "ar/a3.po", ns=(1, 1))
    (folder / "ar/a4.po").unlink()
    updated = MemoryIndex(folder)
    fresh_folder = tmp_path / "fresh"
    fresh = built_afresh(folder, fresh_folder)

    assert content(updated) == content(fresh)
    assert list(spills.iterdir()) == []
    monkeypatch.setattr(memory_index, "_SPILL", 10**9)
    (fresh_folder / NAME).unlink()
    assert content(MemoryIndex(fresh_folder)) == content(fresh)  # (the same as a build that holds it all)


def content(index):
    """What an index holds: each pair's postings (by English; its array's and those added to it since), the words'
    counts, its size."""
    import numpy

    keys = dict(index.database.execute("SELECT id, key FROM english"))
    pairs = {}
    for pair, count, blob in index.database.execute("SELECT pair, count, postings FROM pairs"):
        assert count == len(blob) // 16
        pairs[pair] = blob
    for pair, blob in index.database.execute("SELECT pair, postings FROM more ORDER BY pair, part"):
        pairs[pair] = pairs.get(pair, b"") + blob
    recent = {part: row for part, *row in index.database.execute("SELECT part, pairs, postings FROM recent")}
    parts = memory_index._recent_parts(index.database)  # (in order of unit: a row written again keeps its place)
    assert sorted(parts) == sorted(recent)
    for held, blob in map(recent.__getitem__, parts):
        for number, pair in enumerate(numpy.frombuffer(held, "<i8").tolist()):
            pairs[pair] = pairs.get(pair, b"") + blob[16 * number:16 * number + 16]
    for pair, blob in pairs.items():
        postings = numpy.frombuffer(blob, "<i8").reshape(-1, 2)
        units = (postings[:, 0] >> 32).tolist()
        assert units == sorted(set(units))  # (each unit once, in order: as a lookup reads them)
        pairs[pair] = sorted((keys[posting >> 32], posting & 0xFFFFFFFF, sketch) for posting, sketch in
                             postings.tolist())
    return pairs, dict(index.database.execute("SELECT word, count FROM words")), len(index)


def built_afresh(folder, where):
    """An index built whole from a copy of ``folder``'s POs (in the new folder ``where``)."""
    where.mkdir()
    for po in (folder / "ar").glob("*.po"):
        (where / po.name).write_bytes(po.read_bytes())
    return MemoryIndex(where)


def same_suggestions(index, folder, queries):
    """The index's suggestions for each of ``queries`` are those of the exhaustive memory of ``folder``'s POs."""
    exhaustive = Memory([Unit(entry.msgid, entry.msgstr, "x") for po in sorted((folder / "ar").glob("*.po"))
                         for entry in polib.pofile(str(po)) if entry.msgstr])
    for query in queries:
        assert [(s.score, s.unit.source) for s in index.suggest(query)] == \
               [(s.score, s.unit.source) for s in exhaustive.suggest(query)], query


@pytest.mark.parametrize("spill", [None, 40])
@pytest.mark.parametrize("fold", ["lookups", "refresh"])
def test_units_added_night_after_night_are_kept_apart_then_added_to_the_arrays_then_written_whole(archive, tmp_path,
                                                                                                   monkeypatch, spill,
                                                                                                   fold):
    """A refresh that only adds units writes their postings as one row of ``recent``, the pairs untouched; the
    first lookups once it holds more than ``_RECENT`` rows (2 here) fold them into the pairs' arrays, as one row of
    postings added to each pair (in ``more``), its array not rewritten (``fold`` "refresh": runs that never look
    up, and a refresh folds them once they are more than twice as many); a refresh that drops a unit writes the
    arrays of its pairs whole again, with their rows.  Night after night, then after a refresh that rewrites a
    file whose units were kept apart, and one that removes a file, the index holds what a build holds, and its
    lookups are the exhaustive memory's; also when the refreshes hold more postings than they keep in memory
    (``spill`` 40)."""
    monkeypatch.setattr(memory_index, "_RECENT", 2)
    if spill is not None:  # (and rows of ``recent`` of 20 postings at most: one a PO, 2 a night; folded in ranges)
        monkeypatch.setattr(memory_index, "_SPILL", spill)
        monkeypatch.setattr(memory_index, "_APART_ROW", 320)
        monkeypatch.setattr(memory_index, "_RECENT", 4)
    folded, by_lookups = [], []
    original = memory_index._Postings._fold
    monkeypatch.setattr(memory_index._Postings, "_fold", lambda self, parts: folded.append(
        self.database.execute("SELECT total(length(pairs)) FROM recent").fetchone()[0] // 8) or original(self, parts))
    in_arrays = memory_index._fold_arrays
    monkeypatch.setattr(memory_index, "_fold_arrays", lambda database, parts: by_lookups.append(len(parts))
                        or in_arrays(database, parts))
    if fold == "refresh":
        monkeypatch.setattr(MemoryIndex, "_fold_apart", lambda self: None)
    folder, english = archive
    extra = sentences(70, seed=4)
    MemoryIndex(folder).close()
    kept_apart = []
    checks = iter(range(100))
    parts_seen = [0]  # (every part of ``recent`` ever written: a new one above all before, never one again)

    def same_as_built(index):
        parts = {part for (part,) in index.database.execute("SELECT part FROM recent")}
        assert all(part > max(parts_seen) for part in parts - set(parts_seen)), (parts, parts_seen)
        parts_seen.extend(parts - set(parts_seen))
        assert content(index) == content(built_afresh(folder, tmp_path / f"fresh-{next(checks)}"))
        same_suggestions(index, folder, sentences(20, seed=6) + [e[:-1] + " today." for e in extra[:30:3]
                                                                 + english[:30:3]])

    for night in range(7):  # (two POs a night)
        write_po(folder / f"ar/n{night}.po", [(e, f"جديد {i}") for i, e in enumerate(extra[night::14])])
        write_po(folder / f"ar/m{night}.po", [(e, f"جديد {i}") for i, e in enumerate(extra[night + 7::14])])
        index = MemoryIndex(folder)
        kept_apart.append(index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0])
        most = index.database.execute("SELECT COUNT(*) FROM more GROUP BY pair ORDER BY 1 DESC LIMIT 1").fetchone()
        assert (most or [0])[0] == (night // 3 if fold == "lookups" else int(night >= 4))  # (a row a fold at most)
        same_as_built(index)
        if fold == "lookups" and night in (2, 5):  # (3 rows: its lookups folded them)
            assert index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 0
        index.close()
    rows = 1 if spill is None else 2  # (rows of ``recent`` a night)
    if fold == "lookups":
        assert kept_apart == [rows, 2 * rows, 3 * rows] * 2 + [rows]
        assert folded == [] and by_lookups == [3 * rows] * 2
    else:
        assert kept_apart == [rows, 2 * rows, 3 * rows, 4 * rows, 0, rows, 2 * rows]
        assert by_lookups == [] and len(folded) == 1
        if spill is not None:
            assert min(folded) > 4 * spill  # (the fold cut in 4 ranges of pairs or more)
    write_po(folder / "ar/n6.po", [(e, "مراجعة") for e in extra[6::28]])  # (its units kept apart, now 3 of them)
    os.utime(folder / "ar/n6.po", ns=(1, 1))
    index = MemoryIndex(folder)
    kept = {posting >> 32 for (blob,) in index.database.execute("SELECT postings FROM recent")
            for posting, _ in memory_index._POSTING.iter_unpack(blob)}
    assert kept and kept <= {unit for (unit,) in index.database.execute("SELECT id FROM units")}  # (none dropped)
    nights = (6,) if fold == "lookups" else (5, 6)  # (the nights whose units are kept apart still)
    assert len(kept) == sum(index.database.execute("SELECT COUNT(*) FROM units WHERE file LIKE ? OR file LIKE ?", (
        f"%/n{night}.po", f"%/m{night}.po")).fetchone()[0] for night in nights)
    same_as_built(index)
    index.close()
    (folder / "ar/m5.po").unlink()  # (a refresh that only drops units: its rows of ``recent`` written again)
    same_as_built(MemoryIndex(folder))
    write_po(folder / "ar/n7.po", [(e, "جديد") for e in extra[::5]])
    same_as_built(MemoryIndex(folder))
    (folder / "ar/n7.po").unlink()
    write_po(folder / "ar/a1.po", [(e, "مراجعة") for e in english[1::20]])
    os.utime(folder / "ar/a1.po", ns=(1, 1))
    same_as_built(MemoryIndex(folder))


def test_an_index_most_of_whose_files_changed_is_built_again(archive, tmp_path, monkeypatch):
    """Where half the files an index holds or more changed (here: the folder renamed, so every file is new to it),
    the refresh empties it and builds it again (dropping every unit and adding it back costs twice a build); it
    then holds what a build of the folder holds, the memory's suggestions the same."""
    folder, english = archive
    MemoryIndex(folder).close()
    moved = tmp_path / "moved"
    folder.rename(moved)
    dropped = []
    original = memory_index._Postings.note
    monkeypatch.setattr(memory_index._Postings, "note",
                        lambda self, added, units: dropped.extend(units) if not added else original(self, added, units))
    updated = MemoryIndex(moved)
    assert dropped == []
    assert {path for (path,) in updated.database.execute("SELECT path FROM files")} == {
        po.as_posix() for po in moved.rglob("*.po")}
    fresh_folder = tmp_path / "fresh"
    fresh_folder.mkdir()
    for po in moved.rglob("*.po"):
        (fresh_folder / po.name).write_bytes(po.read_bytes())
    fresh = MemoryIndex(fresh_folder)
    assert content(updated) == content(fresh)
    for query in [e[:-1] + " today." for e in english[:20]]:
        assert [(s.score, s.unit.source, s.unit.target) for s in updated.suggest(query)] == \
               [(s.score, s.unit.source, s.unit.target) for s in fresh.suggest(query)] != []
    assert {name for (name,) in updated.database.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                                          "AND sql IS NOT NULL")} == {"units_file", "english_key"}


def test_shards_starting_together_build_the_index_once_and_whole(archive):
    """Four processes open the memory of a folder with reviewed POs and no index at once (the
    shards of a batch): one builds it, the others wait and open it; every one sees all of it."""
    import sqlite3
    import subprocess
    import sys

    folder, english = archive
    script = ("import sys; from localize.memory.index import MemoryIndex; said = [];"
              "index = MemoryIndex(sys.argv[1], said.append); print(len(index), index.shared, len(said))")
    for _ in range(3):
        (folder / NAME).unlink(missing_ok=True)
        runs = [subprocess.Popen([sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE, text=True)
                for _ in range(4)]
        answers = [run.communicate()[0].split() for run in runs]
        assert all(run.returncode == 0 for run in runs)
        assert {answer[0] for answer in answers} == {str(len(set(english)))}  # every one: the whole memory
        assert {answer[1] for answer in answers} == {"True"}  # the folder's file, never one in memory
        with sqlite3.connect(folder / NAME) as database:
            assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert not list(folder.glob(f"{NAME}.*.tmp"))


def test_an_old_index_another_run_holds_is_replaced_never_unlinked(archive):
    import sqlite3

    folder, english = archive
    (folder / NAME).unlink(missing_ok=True)
    held = sqlite3.connect(folder / NAME)  # another run's open index of an older version
    held.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
    held.execute("INSERT INTO meta VALUES ('schema', 'localize-memory 1')")
    held.commit()
    index = MemoryIndex(folder)
    assert index.shared and index.match(english[0]).target == "ترجمة 0"
    assert held.execute("SELECT value FROM meta").fetchone() == ("localize-memory 1",)  # still readable: its
    held.close()  # file was replaced by a rename, never truncated or deleted while it was being written


def test_a_run_waiting_for_the_index_lock_says_so(archive):
    import fcntl
    import threading

    folder, english = archive
    MemoryIndex(folder).close()
    write_po(folder / "ar/new.po", [("A sentence reviewed just now.", "جملة")])
    said: list[str] = []
    with open(folder / memory_index.LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run updating the index
        def open_and_look():
            index = MemoryIndex(folder, said.append)
            said.append((index.shared, index.match("A sentence reviewed just now.").target))

        opened = threading.Thread(target=open_and_look)
        opened.start()
        opened.join(1.0)
        assert opened.is_alive()  # it waits (it does not give up and build the memory in RAM)
        assert any("another localize run is building or updating the memory index; waiting" in line
                   for line in said if isinstance(line, str))
    opened.join(30)
    assert said[-1] == (True, "جملة")


def test_a_file_s_words_made_together_are_those_of_each_english_alone():
    """A build makes the words of a file's English in one pass (bytes operations for ASCII, news' punctuation as
    spaces) and their pairs without numpy: the same words, numbers written 0, as a lookup makes of one English, for
    English in any script, and the same pairs and sketches as a lookup's (numpy's) ``_pairs`` of them."""
    import string
    from collections import Counter

    import numpy

    from localize.memory.tm import _key

    rng = random.Random(11)
    alphabet = string.ascii_letters + string.digits * 2 + " _-.,'\"!?/()$%" + "éüİßĞ٣٤عربي\x01’“—…«ǅⅫ²"
    for trial in range(400):
        keys = [_key(" ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
                              for _ in range(rng.randint(0, 7)))) for _ in range(rng.randint(1, 8))]
        postings = memory_index._Postings.__new__(memory_index._Postings)
        postings._empty()
        postings.counts = {False: Counter(), True: Counter()}
        postings.flat = None
        postings.note(True, list(enumerate(keys, 1)))
        rows = [(pair - (1 << 63), unit, sketch) for pair, held in postings.noted[True].items()
                for unit, sketch in memory_index._POSTING.iter_unpack(held)]
        noted = set(rows)
        assert len(noted) == len(rows)  # (a pair once a unit)
        words = [memory_index._words(key) for key in keys]
        codes = memory_index._codes(keys)
        assert codes == [code for unit in words for code in [*unit, 0]][:-1]
        sizes = numpy.array([len(unit) for unit in words])
        _, owner, their_pairs, paired, their_sketches = memory_index._pairs(
            numpy.array([code for unit in words for code in unit], numpy.int64), sizes)
        wanted = {(pair, number + 1 << 32 | len(keys[number]), int(their_sketches[number]))
                  for pair, number in zip(their_pairs[paired].tolist(), owner[paired].tolist(), strict=True)}
        assert noted == wanted, keys
        assert postings.counts[True] == Counter(code for unit in words for code in set(unit))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2, reason="counts Linux threads")
def test_the_index_imports_numpy_without_a_thread_for_each_core(tmp_path):
    """numpy's OpenBLAS starts a spinning thread for each core when it loads (CPU a batch pays for nothing: the
    index does no linear algebra): the index's import of numpy starts none, and leaves the environment as it was."""
    import subprocess
    import sys

    script = """
import os, sys
from localize.memory.index import _numpy
before = len(os.listdir("/proc/self/task"))
_numpy()
print(len(os.listdir("/proc/self/task")) - before, os.environ.get("OPENBLAS_NUM_THREADS"))
"""
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True)
    assert run.stdout.split() == ["0", "None"]
    plain = subprocess.run([sys.executable, "-c", script.replace("_numpy()", "import numpy")], capture_output=True,
                           text=True, env=environment, check=True)
    assert plain.stdout.split()[0] != "0"  # (what the test guards against: numpy alone starts threads here)
    chosen = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**environment, "OPENBLAS_NUM_THREADS": "2"})
    assert chosen.stdout.split() == ["1", "2"]  # (a user's own setting is theirs)


def test_the_size_a_refresh_keeps_is_the_english_the_index_holds(tmp_path):
    """A refresh counts the change in distinct English from the units it drops and adds (counting all of it costs
    1.7 s at 200,000 entries): over 30 random refreshes (files added, rewritten, removed; the same English in several
    files, a file's English moved to another), ``len`` is always the index's distinct English, as counted whole."""
    import random

    rng = random.Random(5)
    english = sentences(40, seed=9)
    folder = tmp_path / "translations"
    names = [f"ar/f{number}.po" for number in range(12)]
    for _ in range(30):
        for _ in range(rng.randint(1, 4)):
            path = folder / rng.choice(names)
            if path.exists() and rng.random() < 0.3:
                path.unlink()
            else:
                write_po(path, [(sentence, "ترجمة") for sentence in rng.sample(english, rng.randint(1, 6))])
                os.utime(path, ns=(rng.randrange(1, 10**9), rng.randrange(1, 10**9)))
        index = MemoryIndex(folder)
        whole = index.database.execute("SELECT COUNT(DISTINCT key) FROM english").fetchone()[0]
        assert len(index) == whole == len({memory_index._key(s) for path in folder.rglob("*.po")
                                           for s in (e.msgid for e in polib.pofile(str(path)) if e.msgstr)})
        index.close()


def test_an_index_whose_arrays_were_all_emptied_still_drops_what_it_keeps_apart(tmp_path):
    """Every pair's array emptied (the one PO of the build left with no reviewed entry) while the units added since
    are kept apart: a file dropped then drops them from there too, and the index is the one a build makes."""
    folder = tmp_path / "translations"
    english = sentences(60, seed=8)
    write_po(folder / "ar/a.po", [(e, "ترجمة") for e in english[:20]])
    MemoryIndex(folder).close()
    write_po(folder / "ar/b.po", [(e, "جديد") for e in english[20:40]])
    write_po(folder / "ar/c.po", [(e, "جديد") for e in english[40:]])
    MemoryIndex(folder).close()
    write_po(folder / "ar/a.po", [(e, "ترجمة") for e in english[:20]], fuzzy=range(1, 21))  # (no longer memory)
    os.utime(folder / "ar/a.po", ns=(1, 1))
    index = MemoryIndex(folder)
    assert index.database.execute("SELECT COUNT(*) FROM pairs").fetchone()[0] == 0
    assert index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] > 0
    index.close()
    (folder / "ar/c.po").unlink()
    updated = MemoryIndex(folder)
    assert content(updated) == content(built_afresh(folder, tmp_path / "fresh"))
    units = [Unit(e, "جديد", "x") for e in english[20:40]]
    exhaustive = Memory(units)
    for query in [e[:-1] + " today." for e in english]:
        assert [(s.score, s.unit.source) for s in updated.suggest(query)] == \
               [(s.score, s.unit.source) for s in exhaustive.suggest(query)], query


def test_a_fold_in_arrays_writes_the_rows_the_plain_fold_writes(archive, tmp_path, monkeypatch):
    """A run that looks up folds ``recent`` with numpy; a refresh folds it in plain Python (rows of 20 postings,
    cut in ranges of 40): both write the same rows of ``more``, byte for byte, and empty ``recent``."""
    import sqlite3

    monkeypatch.setattr(memory_index, "_APART_ROW", 320)
    monkeypatch.setattr(memory_index, "_FOLDED", 40)
    folder, _ = archive
    MemoryIndex(folder).close()
    extra = sentences(60, seed=9)
    for night in range(3):  # (three POs a night: a row of ``recent`` each)
        for po in range(3):
            write_po(folder / f"ar/n{night}-{po}.po", [(e, "جديد") for e in extra[3 * night + po::9]])
        MemoryIndex(folder).close()
    folds = {}
    for name, fold in (("plain", lambda database, parts: memory_index._Postings(database)._fold(parts)),
                       ("arrays", memory_index._fold_arrays)):
        copy = tmp_path / f"{name}.sqlite"
        copy.write_bytes((folder / NAME).read_bytes())
        database = sqlite3.connect(copy, isolation_level=None)
        parts = memory_index._recent_parts(database)
        assert len(parts) > 6  # (several rows a night)
        fold(database, parts)
        assert database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 0
        folds[name] = [database.execute("SELECT pair, part, postings FROM more ORDER BY pair, part").fetchall(),
                       database.execute("SELECT * FROM pairs ORDER BY pair").fetchall()]
        database.close()
    assert folds["plain"] == folds["arrays"] and len(folds["plain"][0]) > 100


def test_a_run_that_cannot_fold_looks_up_what_is_kept_apart(archive, monkeypatch):
    """A run that looks up when another holds the index lock (or in a folder it cannot write) does not wait to fold:
    it leaves the rows of ``recent`` as they are, says nothing, and finds what they hold; the next run folds them."""
    from localize.files import exclusive

    folder, _ = archive
    MemoryIndex(folder).close()
    english = "Ministers in Vienna met the militias on a quiet Sunday morning."
    write_po(folder / "ar/new.po", [(english, "جديد")])
    index = MemoryIndex(folder)
    assert index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 1
    monkeypatch.setattr(memory_index, "_RECENT", 0)  # (its lookups fold a row: when they can)
    with exclusive(folder / memory_index.LOCK):  # (another run's: a lock of its own open file)
        assert [s.unit.source for s in index.suggest(english[:-9] + ".")] == [english]
    with monkeypatch.context() as patched:
        patched.setattr(MemoryIndex, "_writing", lambda self, wait: open(self.folder / "missing" / memory_index.LOCK))
        assert [s.unit.source for s in index.suggest(english[:-9] + " today.")] == [english]
    assert index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 1 and not index.warnings
    assert [s.unit.source for s in index.suggest(english[:-9] + ".")] == [english]  # (now it can: folded)
    assert index.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 0
    index.close()


def test_runs_looking_up_together_fold_once_and_find_all(archive, tmp_path):
    """Four processes look up at once in a folder whose index keeps more rows apart than ``_RECENT`` (the shards
    of a batch): one folds them (the others do not wait: they read them apart, or folded if the fold came first);
    every one finds what the exhaustive memory finds, and the index is the one built afresh."""
    import sqlite3
    import subprocess
    import sys

    folder, english = archive
    MemoryIndex(folder).close()
    extra = sentences(40, seed=12)
    for night in range(4):
        write_po(folder / f"ar/n{night}.po", [(e, "جديد") for e in extra[night::4]])
        MemoryIndex(folder).close()  # (a row of ``recent`` a night)
    queries = [e[:-1] + " today." for e in extra[::3] + english[:40:4]]
    units = [Unit(entry.msgid, entry.msgstr, "x") for po in sorted((folder / "ar").glob("*.po"))
             for entry in polib.pofile(str(po)) if entry.msgstr]
    exhaustive = Memory(units)
    expected = [[(s.score, s.unit.source) for s in exhaustive.suggest(query)] for query in queries]
    (tmp_path / "queries.json").write_text(__import__("json").dumps(queries), encoding="utf-8")
    script = ("import json, sys; from localize.memory import index; index._RECENT = 2; said = [];"
              "memory = index.MemoryIndex(sys.argv[1], said.append);"
              "found = memory.suggest_many(json.load(open(sys.argv[2], encoding='utf-8')));"
              "print(json.dumps([[[s.score, s.unit.source] for s in each] for each in found] + [said]))")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(folder), str(tmp_path / "queries.json")],
                             stdout=subprocess.PIPE, text=True) for _ in range(4)]
    answers = [__import__("json").loads(run.communicate()[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    for answer in answers:
        assert answer[-1] == []  # (none waited, none said anything)
        assert [[tuple(found) for found in each] for each in answer[:-1]] == expected
    with sqlite3.connect(folder / NAME) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 0
        assert database.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone() == ("1",)  # (once)
    index = MemoryIndex(folder)
    assert content(index) == content(built_afresh(folder, tmp_path / "fresh"))
    index.close()


def test_a_run_that_finds_them_folded_once_it_holds_the_lock_does_not_fold_again(archive, monkeypatch):
    """Two runs see too many rows apart; the other one folds them between this one's look and its lock: this one
    looks again under the lock, and folds nothing (one fold, no empty second one)."""
    folder, english = archive
    MemoryIndex(folder).close()
    write_po(folder / "ar/new.po", [(e[:-1] + " again.", "جديد") for e in english[:20]])
    this, other = MemoryIndex(folder), MemoryIndex(folder)
    monkeypatch.setattr(memory_index, "_RECENT", 0)
    original = MemoryIndex._writing

    def after_the_other_folded(self, wait=True):
        if self is this:
            other._fold_apart()
        return original(self, wait)

    monkeypatch.setattr(MemoryIndex, "_writing", after_the_other_folded)
    assert [s.unit.source for s in this.suggest(english[0][:-1] + " again!")][:1] == [english[0][:-1] + " again."]
    assert this.database.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone() == ("1",)
    assert this.database.execute("SELECT COUNT(*) FROM recent").fetchone()[0] == 0
    this.close()
    other.close()


def test_night_after_night_a_pair_has_a_bounded_number_of_rows_added_to_its_array(archive, tmp_path, monkeypatch):
    """Each fold also joins the rows of ``more`` of one range of pairs in ``_CLASSES`` (in turn) into one, or into
    the pair's array (written whole) once they hold a quarter of its size: after twenty folds a pair has
    ``_CLASSES`` rows of ``more`` at most, one of them at most from a fold before the last ``_CLASSES``, and the
    index is the one built afresh (its lookups the exhaustive memory's)."""
    monkeypatch.setattr(memory_index, "_RECENT", 0)  # (each night's refresh folds it)
    folder, english = archive
    MemoryIndex(folder).close()
    extra = sentences(200, seed=21)
    for night in range(20):
        write_po(folder / f"ar/n{night}.po", [(e, "جديد") for e in extra[night::20]] + [(english[night], "جديد")])
        index = MemoryIndex(folder)
        index.suggest(extra[night][:-1] + " today.")
        index.close()
    index = MemoryIndex(folder)
    database = index.database
    assert database.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone() == ("20",)
    assert database.execute("SELECT COUNT(*) FROM more GROUP BY pair ORDER BY 1 DESC LIMIT 1").fetchone()[0] <= \
        memory_index._CLASSES
    assert database.execute("SELECT COUNT(*) FROM more WHERE part <= ? GROUP BY pair ORDER BY 1 DESC LIMIT 1",
                            (20 - memory_index._CLASSES,)).fetchone()[0] == 1  # (older ones joined into one)
    assert content(index) == content(built_afresh(folder, tmp_path / "fresh"))
    same_suggestions(index, folder, [e[:-1] + " today." for e in extra[::9] + english[:20:3]])
    index.close()
