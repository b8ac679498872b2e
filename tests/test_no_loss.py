"""Reviewed and typed work is never lost: saves inside a run's write window, human drafts,
writes onto what is not a regular file, a segment that is only a glossary name."""

import os
import stat
from pathlib import Path

import polib
import pytest

import localize.pipeline
from localize.review import PERSON_DRAFT, fingerprint
from localize.files import ABSENT, Staging, digest, write_atomic
from localize.errors import LocalizeError

SAVED = "نص راجعه محرر."


def _reviewer_save(path: Path) -> str:
    """What a PO editor does: the entry 'Text.' reviewed, the file replaced."""
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if entry.msgid == "Text.":
            entry.msgstr, entry.flags = SAVED, []
    po.save(str(path))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_a_save_made_while_the_run_renders_survives(run, project, monkeypatch, command):
    """The editor saves the PO while the run renders it (after the run's first look at the file):
    the run must leave the save in place, say so, and not exit 0."""
    for name in ("a", "b"):
        (project / f"{name}.txt").write_text(f"Title {name}\n\nText.\n")
    run("translate", "--no-mt", "a.txt", "b.txt")
    (project / "a.txt").write_text("Title a\n\nText.\n\nA new sentence.\n")
    (project / "b.txt").write_text("Title b\n\nText.\n\nAnother new sentence.\n")
    target = project / "translations/ar/a.po"
    render, saved = localize.pipeline.render_po, {}

    def render_and_save(path, po, source):
        text = render(path, po, source)
        if Path(path) == Path("translations/ar/a.po") and not saved:
            saved["text"] = _reviewer_save(target)  # the sub-second window the issue measured
        return text

    monkeypatch.setattr(localize.pipeline, "render_po", render_and_save)
    result = run(command, "--no-mt", "a.txt", "b.txt")
    assert saved and target.read_text(encoding="utf-8") == saved["text"]
    assert result.exit_code != 0
    assert "translations/ar/a.po" in (result.stderr + result.stdout) and "changed on disk" in (
        result.stderr + result.stdout)
    other = (project / "translations/ar/b.po").read_text(encoding="utf-8")
    if command == "batch":  # the other article of the chunk is written; translate is all or nothing
        assert "Another new sentence." in other
    else:
        assert "Another new sentence." not in other


def test_staging_checks_each_target_right_before_its_rename(tmp_path):
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    first.write_text("old a")
    second.write_text("old b")
    expect = {first: digest(first), second: digest(second)}
    with Staging() as staging:
        staging.add(first, "new a", expect[first])
        staging.add(second, "new b", expect[second])
        second.write_text("saved by a person")
        assert staging.commit(partial=True) == [second]
    assert first.read_text() == "new a" and second.read_text() == "saved by a person"
    third = tmp_path / "c.po"
    with pytest.raises(LocalizeError, match="changed on disk"), Staging() as staging:
        staging.add(third, "ours", ABSENT)
        third.write_text("theirs")  # a file appeared where none was
        staging.commit()
    assert third.read_text() == "theirs" and sorted(os.listdir(tmp_path)) == ["a.po", "b.po", "c.po"]


def _draft_saved_by_a_person(project, run, text, how="editor"):
    """translate (test model), then a person saves the first body entry as a draft (still
    fuzzy): with "Save as draft" on the review page, or in a PO editor (Poedit keeps the fuzzy
    flag of an edited draft and the #. lines as they were)."""
    run("translate", "story.txt")
    path = project / "translations/ar/story.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgid.startswith("The minister"))
    assert entry.flags == ["fuzzy"] and f"[text {fingerprint(entry.msgstr)}]" in entry.comment
    if how == "page":
        from test_serve import csrf_of, save

        from localize.serve import create_app

        client = create_app("translations", reviewer="Huda").test_client()
        csrf = csrf_of(client.get("/po/ar/story.po").data)
        response = save(client, csrf, entry.msgctxt, entry.msgid, text, base=(entry.msgstr, True), approve=False)
        assert response.status_code == 200, response.data
    else:
        entry.msgstr = text
        po.save(str(path))
    saved = polib.pofile(str(path), wrapwidth=0).find(entry.msgid)
    assert saved.msgstr == text and "fuzzy" in saved.flags and "draft: machine translation" in saved.comment


@pytest.mark.parametrize("how", ["page", "editor"])
def test_a_persons_draft_is_kept_when_the_english_changes(run, model, project, how):
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today.\n")
    typed = "التقى الوزير المبعوثين في بغداد اليوم، كما كتبه مترجم."
    _draft_saved_by_a_person(project, run, typed, how)
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today again.\n")
    assert run("translate", "story.txt").exit_code == 0
    po = polib.pofile(str(project / "translations/ar/story.po"), wrapwidth=0)
    live = next(e for e in po if not e.obsolete and e.msgid.startswith("The minister"))
    assert live.msgstr == typed  # the person's text is the starting point, not a new machine draft
    assert "fuzzy" in live.flags and live.previous_msgid == "The minister met the envoys in Baghdad today."
    assert "draft: machine translation" not in live.comment
    assert not [e for e in po if e.obsolete and e.msgstr == typed]


def test_an_untouched_machine_draft_is_replaced_when_the_english_changes(run, model, project):
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today.\n")
    run("translate", "story.txt")
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today again.\n")
    run("translate", "story.txt")
    po = polib.pofile(str(project / "translations/ar/story.po"), wrapwidth=0)
    live = next(e for e in po if not e.obsolete and e.msgid.startswith("The minister"))
    assert not live.previous_msgid and f"[text {fingerprint(live.msgstr)}]" in live.comment


def test_a_persons_draft_with_unchanged_english_says_who_wrote_it(run, model, project):
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today.\n")
    _draft_saved_by_a_person(project, run, "نص كتبه مترجم.")
    (project / "story.txt").write_text("Budget talks\n\nThe minister met the envoys in Baghdad today.\n\nMore.\n")
    run("translate", "story.txt")
    po = polib.pofile(str(project / "translations/ar/story.po"), wrapwidth=0)
    entry = next(e for e in po if e.msgid.startswith("The minister"))
    assert entry.msgstr == "نص كتبه مترجم." and PERSON_DRAFT in entry.comment.splitlines()
    assert "draft: machine translation" not in entry.comment


def test_tm_export_never_replaces_a_device(run, project, tmp_path):
    (project / "translations/ar").mkdir(parents=True)
    device = Path("/dev/null")
    before = os.stat(device)
    result = run("tm", "export", str(device), "--force")
    assert result.exit_code == 2
    assert result.stderr == ("Error: /dev/null: not a regular file but a character device (give the name of a "
                             "regular file to write; nothing was changed)\n")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_fifo_target_is_refused_and_left(tmp_path):
    fifo = tmp_path / "out.po"
    os.mkfifo(fifo)
    with pytest.raises(LocalizeError, match="not a regular file but a pipe"):
        write_atomic(fifo, "text")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["out.po"]


def test_a_symlinked_target_is_written_through(tmp_path):
    real = tmp_path / "real" / "desk.tmx"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "desk.tmx"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"


def test_a_segment_that_is_only_a_glossary_name_gets_the_approved_arabic(run, model, project):
    (project / "glossaries").mkdir()
    (project / "glossaries/names.csv").write_text(
        "source,target,type,forbidden,variants,note\nAli Khamenei,علي خامنئي,term,,,\nTehran,طهران,term,,,\n", encoding="utf-8")
    (project / "story.md").write_text("# Ali Khamenei\n\nTehran.\n\nThe leader spoke on Monday.\n")
    assert run("translate", "story.md").exit_code == 0
    po = polib.pofile(str(project / "translations/ar/story.po"), wrapwidth=0)
    by_english = {entry.msgid: entry for entry in po}
    assert by_english["Ali Khamenei"].msgstr == "علي خامنئي"
    assert by_english["Tehran."].msgstr == "طهران."
    assert "glossary names kept: Tehran" in by_english["Tehran."].comment
    assert run("check", "translations/ar/story.po", "--type", "missing-term").stdout == "0 issues in 1 file\n"
