"""Translation memory: drafts from reviewed work, close-match notes, TMX in and out."""

import polib
import pytest

from localize.memory.tm import Memory, Unit, read_tmx, write_tmx

REVIEWED = {"The talks began on Monday in Baghdad.": "بدأت المحادثات يوم الاثنين في بغداد.",
            "Officials said little.": "لم يقل المسؤولون الكثير."}


@pytest.fixture
def memory_project(run, project):
    """One article reviewed in translations/, and a new article that repeats some of it."""
    (project / "old.txt").write_text("Talks\n\nThe talks began on Monday in Baghdad. Officials said little.\n")
    run("translate", "--no-mt", "old.txt")
    path = project / "translations/ar/old.po"
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if entry.msgid in REVIEWED:
            entry.msgstr = REVIEWED[entry.msgid]
    po.save(str(path))
    (project / "new.txt").write_text("More talks\n\nOfficials said little. "
                                     "The talks began on Tuesday in Baghdad. Nothing else is known.\n")
    return project


def _entries(project, name="new"):
    return {e.msgid: e for e in polib.pofile(str(project / f"translations/ar/{name}.po"))}


def test_exact_matches_become_fuzzy_drafts_and_close_ones_are_offered(run, memory_project):
    result = run("translate", "--no-mt", "new.txt")
    assert result.stdout == "translations/ar/new.po: 4 segments, 1 translated (1 from memory)\n"
    entries = _entries(memory_project)
    exact = entries["Officials said little."]
    assert (exact.msgstr, exact.flags) == ("لم يقل المسؤولون الكثير.", ["fuzzy"])
    assert "draft: translation memory, exact match (translations/ar/old.po:2.2)" in exact.comment
    close = entries["The talks began on Tuesday in Baghdad."]
    assert close.msgstr == ""
    assert ("memory 90%: The talks began on Monday in Baghdad. = بدأت المحادثات يوم الاثنين في بغداد."
            in close.comment.splitlines())
    assert "memory" not in entries["Nothing else is known."].comment


def test_trusting_exact_memory_makes_them_reviewed(run, memory_project):
    run("translate", "--no-mt", "--trust-exact-memory", "new.txt")
    exact = _entries(memory_project)["Officials said little."]
    assert exact.msgstr and exact.flags == []


def test_memory_suggestions_are_best_first_and_skip_exact_and_weak_matches():
    memory = Memory([Unit("The army entered the city.", "a", "x"), Unit("The army entered the town.", "b", "y"),
                     Unit("Rain fell.", "c", "z")])
    found = memory.suggest("The army entered the city today.")
    assert [s.unit.target for s in found] == ["a", "b"] and found[0].score > found[1].score >= 75
    assert [s.unit.target for s in memory.suggest("The army entered the city.")] == ["b"]


def test_export_is_tmx_that_translate_toolkit_reads(run, memory_project):
    from translate.storage.tmx import tmxfile

    result = run("tm", "export", "desk.tmx")
    assert result.stdout == "desk.tmx: 2 translation units\n"
    store = tmxfile.parsefile(str(memory_project / "desk.tmx"))
    assert {unit.source: unit.target for unit in store.units} == REVIEWED
    assert run("tm", "export", "desk.tmx").exit_code == 2  # never overwritten without --force


def test_import_a_tmx_from_another_tool_and_use_it(run, project):
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="en", targetlanguage="ar")
    store.addsourceunit("Officials said little.").target = "لم يقل المسؤولون الكثير."
    store.addsourceunit("Ignored: no Arabic.")
    (project / "omegat.tmx").write_bytes(bytes(store))
    result = run("tm", "import", "omegat.tmx")
    assert result.stdout == "translations/tm/omegat.tmx: 1 English->Arabic units\n"
    (project / "a.txt").write_text("Title\n\nOfficials said little.\n")
    assert run("translate", "--no-mt", "a.txt").stdout.endswith("(1 from memory)\n")


@pytest.mark.parametrize("content, message", [
    (b"<tmx><body><tu>", "bad.tmx:1: not valid XML"),
    (b"<html><body/></html>", "bad.tmx: not a TMX file"),
    (b"", "bad.tmx: file is empty"),
])
def test_bad_tmx_is_a_one_line_error_and_nothing_is_imported(run, project, content, message):
    (project / "bad.tmx").write_bytes(content)
    result = run("tm", "import", "bad.tmx")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {message}")
    assert not (project / "translations").exists()


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>a &x;</seg></tuv>'
            '<tuv xml:lang="ar"><seg>b</seg></tuv></tu></body></tmx>').encode()
    units = read_tmx(data, "x.tmx")
    assert all("SECRET" not in unit.source for unit in units)


def test_tmx_round_trip_keeps_placeholders_and_arabic():
    units = [Unit("See <1>this</1> & that", "انظر <1>هذا</1> وذاك", "a.po:1.1")]
    assert [(u.source, u.target) for u in read_tmx(write_tmx(units), "t.tmx")] == [(units[0].source, units[0].target)]


def test_a_broken_po_elsewhere_only_leaves_the_memory_without_it(run, memory_project):
    (memory_project / "translations/ar/broken.po").write_text('msgid "unterminated\n', encoding="utf-8")
    result = run("translate", "--no-mt", "new.txt")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: translations/ar/broken.po:1: not a valid PO file")
    assert result.stdout.endswith("(1 from memory)\n")
