import json
import shutil

import polib

from conftest import SAMPLE


def _translated(run, project):
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    run("translate", "--no-mt", "iran-imis.txt")
    path = project / "translations/ar/iran-imis.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po[1].msgstr = "علي خامنئي"  # reviewed
    po[2].msgstr, po[2].flags = "Calls for dismantling", ["fuzzy"]  # a draft left in English
    po.save(str(path))
    return path


def test_status_counts_review_progress_and_issues(run, project):
    _translated(run, project)
    result = run("status")
    assert result.exit_code == 0
    assert result.stdout == (
        "translations/ar/iran-imis.po: 28 segments, 1 reviewed, 1 drafts, 26 untranslated, 1 issues; "
        "source unchanged\n"
        "total: 1 file, 28 segments, 1 reviewed (3% reviewed), 1 drafts, 26 untranslated, 1 issues, "
        "0 sources changed or missing\n")


def test_status_says_when_the_source_changed_or_is_gone(run, project):
    _translated(run, project)
    article = project / "iran-imis.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert "source changed" in run("status").stdout
    article.unlink()
    report = json.loads(run("status", "--json").stdout)
    assert report["files"][0]["source_state"] == "missing"
    assert report["total"] == {"files": 1, "segments": 28, "reviewed": 1, "drafts": 1, "untranslated": 26,
                               "issues": 1, "changed_sources": 1}


def test_status_of_a_broken_po_is_an_error_naming_the_line(run, project):
    path = _translated(run, project)
    path.write_text(path.read_text(encoding="utf-8").replace('msgid "Ali Khamenei"', 'msgid "Ali Khamenei'),
                    encoding="utf-8")
    result = run("status")
    assert result.exit_code == 2 and result.stderr.startswith("Error: translations/ar/iran-imis.po:")
