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


@pytest.fixture(params=["queried", "read at once"])
def lookups(request, monkeypatch):
    """Both ways the index answers: a query per lookup, or (a batch of many articles) every
    English read into memory after PRELOAD lookups."""
    monkeypatch.setattr(memory_index, "PRELOAD", 0 if request.param == "read at once" else 10**9)


def test_lookups_are_those_of_the_exhaustive_memory(archive, lookups):
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


def test_the_first_unit_of_an_english_wins_as_in_the_exhaustive_memory(tmp_path, lookups):
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
