"""`localize translate` with machine translation, end to end on the test model."""

import shutil
import subprocess

import polib
import pytest

from localize.review import fingerprint

from conftest import SAMPLE


@pytest.fixture
def article(project):
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    return project / "iran-imis.txt"


def test_every_entry_gets_a_fuzzy_machine_draft_naming_the_model(run, model, article, project):
    result = run("translate", "--beam", "2", article.name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "translations/ar/iran-imis.po: 28 segments, 28 translated (28 new machine drafts)\n"
    assert result.stderr.startswith("machine translation: 28 segments (28 distinct) in ")
    po = polib.pofile(str(project / "translations/ar/iran-imis.po"))
    for entry in po:
        assert entry.msgstr and entry.flags == ["fuzzy"]
        assert (f"draft: machine translation, translate-en_ar 1.0 (Argos Translate model, "
                f"localize 0.1.0, beam 2) [text {fingerprint(entry.msgstr)}]") in entry.comment.splitlines()


def test_the_po_passes_msgfmt(run, model, article, project):
    run("translate", article.name)
    check = subprocess.run(["msgfmt", "--check-format", "--check-header", "-o", "/dev/null",
                            "translations/ar/iran-imis.po"], capture_output=True, text=True)
    assert check.returncode == 0 and check.stderr == ""


def test_a_rerun_keeps_drafts_and_reviewed_entries_and_translates_only_new_text(run, model, article, project):
    run("translate", article.name)
    path = project / "translations/ar/iran-imis.po"
    first = path.read_text(encoding="utf-8")
    again = run("translate", article.name)
    assert again.stdout.endswith("28 translated\n") and again.stderr == ""  # the model is not even loaded
    assert path.read_text(encoding="utf-8") == first

    po = polib.pofile(str(path), wrapwidth=0)
    finished = po[2]
    finished.msgstr, finished.flags, finished.tcomment = "\u062a\u0631\u062c\u0645\u0629 \u0645\u0631\u0627\u062c\u0639\u0629", [], "checked by Sara"
    po.save(str(path))
    text = article.read_text(encoding="utf-8").replace("\nLast Modified", "\nA new closing paragraph.\n\nLast Modified")
    article.write_text(text, encoding="utf-8")
    result = run("translate", article.name)
    assert result.stdout.endswith("29 segments, 29 translated (1 new machine draft)\n")
    after = polib.pofile(str(path))
    kept = next(e for e in after if e.msgid == finished.msgid)
    assert (kept.msgstr, kept.flags, kept.tcomment) == (finished.msgstr, [], "checked by Sara")
    assert not any(line.startswith("draft:") for line in kept.comment.splitlines())
    new = next(e for e in after if e.msgid == "A new closing paragraph.")
    assert new.flags == ["fuzzy"] and new.msgstr


def test_drafts_that_lost_protected_items_say_so(run, model, project):
    (project / "story.md").write_text("# Report\n\nIn 2017, [the ministry](https://gov.iq) met 40 envoys.\n")
    run("translate", "story.md")
    entry = polib.pofile(str(project / "translations/ar/story.po"))[1]
    issues = [line for line in entry.comment.splitlines()
              if line.startswith(("issue: missing-", "issue: changed-number"))]
    for value in ("2017", "<1>", "</1>", "40"):
        assert (value in entry.msgstr) != any(f": {value} (" in line for line in issues)


def test_no_model_means_exit_2_and_nothing_written(run, article, project):
    result = run("translate", article.name)
    assert result.exit_code == 2 and result.stderr.startswith("Error: no English->Arabic model installed")
    assert not (project / "translations").exists()
    assert run("translate", "--no-mt", article.name).exit_code == 0


def test_bad_article_with_a_model_still_writes_nothing(run, model, article, project):
    (project / "empty.txt").write_text("")
    result = run("translate", article.name, "empty.txt")
    assert (result.exit_code, result.stderr) == (2, "Error: empty.txt: file is empty (give an article with text in it)\n")
    assert not (project / "translations").exists()


def test_the_console_script_translates_in_a_fresh_process(model, article, project, packages_dir):
    """The installed `localize` command, as a user runs it: real process, real imports."""
    import os
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("localize")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages_dir)}
    done = subprocess.run([str(script), "translate", "--threads", "1", article.name],
                          capture_output=True, text=True, env=env, cwd=project, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("(28 new machine drafts)\n")


def test_an_issue_the_reviewer_accepted_is_no_longer_noted_on_the_draft(run, project):
    (project / "a.txt").write_text("Title\n\nThe 60,000-strong force was formed in 2014.\n", encoding="utf-8")
    run("translate", "--no-mt", "a.txt")
    target = project / "translations/ar/a.po"
    po = polib.pofile(str(target), wrapwidth=0)
    entry = po.find("The 60,000-strong force was formed in 2014.")
    entry.msgstr, entry.flags = "تشكلت القوة البالغ قوامها ستين ألفًا في عام 2014.", ["fuzzy"]
    po.save(str(target))
    run("translate", "--no-mt", "a.txt")
    entry = polib.pofile(str(target)).find(entry.msgid)
    assert "issue: missing-number: 60000" in entry.comment
    po = polib.pofile(str(target), wrapwidth=0)
    po.find(entry.msgid).tcomment = "ignore: missing-number"
    po.save(str(target))
    assert run("translate", "--no-mt", "a.txt").exit_code == 0
    entry = polib.pofile(str(target)).find(entry.msgid)
    assert "missing-number" not in entry.comment and entry.tcomment == "ignore: missing-number"
    assert "fuzzy" in entry.flags and entry.msgstr.startswith("تشكلت")


@pytest.mark.parametrize("saver", ["polib", "babel"])
def test_what_po_editors_and_default_saves_write_is_kept(run, model, article, project, saver):
    """polib's and Babel's default saves wrap long #. lines and a PO editor adds its own header
    fields: the next translate reads the draft lines back whole and keeps the fields."""
    run("translate", article.name)
    path = project / "translations/ar/iran-imis.po"
    origin = ("draft: machine translation, translate-en_ar 1.0 (Argos Translate model, localize 0.1.0, beam 4)")
    if saver == "polib":
        po = polib.pofile(str(path))  # default wrapwidth 78
        po.metadata["X-Poedit-SourceCharset"] = "UTF-8"
        po.metadata["Last-Translator"] = "Ali <ali@example.org>"
        po.save(str(path))
    else:
        from babel.messages.pofile import read_po, write_po
        with open(path, "rb") as stream:
            catalog = read_po(stream)
        catalog.last_translator = "Ali <ali@example.org>"
        with open(path, "wb") as stream:
            write_po(stream, catalog, width=76)
        text = path.read_text(encoding="utf-8").replace('"Language: ar\\n"\n', '"Language: ar\\n"\n'
                                                       '"X-Poedit-SourceCharset: UTF-8\\n"\n', 1)
        path.write_text(text, encoding="utf-8")
    assert "#. (Argos Translate model" in path.read_text(encoding="utf-8") or "#. localize" in path.read_text(
        encoding="utf-8")  # the saver did wrap the line
    assert run("translate", article.name).exit_code == 0
    po = polib.pofile(str(path), wrapwidth=0)
    assert po.metadata["X-Poedit-SourceCharset"] == "UTF-8"
    assert po.metadata["Last-Translator"] == "Ali <ali@example.org>"
    assert all(f"{origin} [text {fingerprint(entry.msgstr)}]" in entry.comment.split("\n") for entry in po), \
        [e.comment for e in po][:2]
