import json
import shutil

import polib

from conftest import ROOT, SAMPLE

HEADER = "source,target,type,forbidden,variants,note\n"


def reviewed_po(project, translations):
    """Write the sample article's PO and fill some entries as a reviewer would."""
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    (project / "glossaries").mkdir()
    shutil.copy(ROOT / "glossaries/news.csv", project / "glossaries/news.csv")
    from localize.cli import cli
    from click.testing import CliRunner
    CliRunner().invoke(cli, ["translate", "--no-mt", "iran-imis.txt"], catch_exceptions=False)
    path = project / "translations/ar/iran-imis.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr, fuzzy = translations[entry.msgctxt]
            if fuzzy:
                entry.flags.append("fuzzy")
    po.save(str(path))
    return path


def test_translate_lists_approved_renderings_for_the_reviewer(run, project):
    path = reviewed_po(project, {})
    po = polib.pofile(str(path))
    assert "glossary: Ali Khamenei = علي خامنئي" in po[1].comment.splitlines()
    assert "glossary: Tehran = طهران" in po[3].comment.splitlines()


def test_check_reports_issues_by_file_and_entry(run, project):
    path = reviewed_po(project, {
        "2.1": ("علي خامنئي", False),
        "3.2": ("لم يكن هذا مفاجئاً إذ يُتوقع أن تدافع الحكومة عن أدواتها.", True),
        "8.1": ("إيران غاضبة", False),
    })
    result = run("check", "translations/ar/iran-imis.po")
    assert result.exit_code == 1
    entry = next(e for e in polib.pofile(str(path)) if e.msgctxt == "3.2")
    assert result.stdout == (
        "translations/ar/iran-imis.po\n"
        f"  translations/ar/iran-imis.po:{entry.linenum}: [3.2] {entry.msgid[:60]}\n"
        "    missing-term: Tehran (expected طهران)\n"
        "1 issue in 1 file\n")


def test_check_json(run, project):
    reviewed_po(project, {"24.1": ("وقال وزير الخارجية الأمريكي ريكس تيليرسون إن الميليشيات الإيرانية "
                                   "في العراق يجب أن \"تعود إلى ديارها\".", True)})
    result = run("check", "--json", "translations")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": "translations/ar/iran-imis.po", "msgctxt": "24.1",
         "msgid": "Similarly, in October, US Secretary of State Rex Tillerson said that Iranian militias "
                  "in Iraq should \"go home\".",
         "type": "forbidden-term", "term": "Rex Tillerson", "expected": "ريكس تيلرسون", "found": "تيليرسون"},
    ]


def test_clean_translations_exit_0(run, project):
    reviewed_po(project, {"2.1": ("علي خامنئي", False), "8.1": ("إيران غاضبة", False)})
    result = run("check")
    assert result.exit_code == 0 and result.stdout == "0 issues in 1 file\n"


def test_check_without_a_glossary_is_an_error(run, project):
    (project / "translations").mkdir()
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr == ("Error: glossaries/: no glossary found (put CSV glossaries in glossaries/ "
                             "or pass --glossary FILE)\n")


def test_broken_glossary_stops_before_checking(run, project):
    reviewed_po(project, {"2.1": ("علي خامنئي", False)})
    (project / "glossaries/bad.csv").write_text(HEADER + 'Iraq,"العراق,term,,,\n')
    result = run("check")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: glossaries/bad.csv:2: broken CSV quoting")


def test_glossary_check(run, project):
    (project / "g.csv").write_text(HEADER + "Iraq,العراق,term,,,\nIraq,عراق,term,,,\n")
    result = run("glossary", "check", "g.csv")
    assert result.exit_code == 1
    assert result.stdout == "g.csv:3: 'Iraq' has target 'عراق' here but 'العراق' at g.csv:2\n"
    assert run("glossary", "check", ROOT / "glossaries/news.csv").exit_code == 0


def test_glossary_import(run, project):
    from test_glossary import TBX
    (project / "terms.tbx").write_text(TBX, encoding="utf-8")
    result = run("glossary", "import", "terms.tbx")
    assert result.exit_code == 0
    assert result.stdout == "glossaries/terms.csv: 1 terms, 1 entries without English or Arabic skipped\n"
    written = (project / "glossaries/terms.csv").read_text(encoding="utf-8")
    assert written.startswith(HEADER + "Popular Mobilization Forces,الحشد الشعبي,term,الحشد,")
    again = run("glossary", "import", "terms.tbx")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert (project / "glossaries/terms.csv").read_text(encoding="utf-8") == written


def test_malformed_tbx_is_one_line_and_writes_nothing(run, project):
    (project / "bad.tbx").write_text("<martif><text>\n</martif>")
    result = run("glossary", "import", "bad.tbx")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: bad.tbx:2: malformed TBX")
    assert not (project / "glossaries").exists()


def test_long_translator_comment_survives_a_rerun_unchanged(run, project):
    path = reviewed_po(project, {"2.1": ("علي خامنئي", False)})
    po = polib.pofile(str(path), wrapwidth=0)  # a PO editor that keeps long lines
    comment = "checked against the desk's style sheet and the 2017 archive; " * 3
    po[1].tcomment = comment.strip()
    po.save(str(path))
    run("translate", "--no-mt", "iran-imis.txt")
    assert polib.pofile(str(path))[1].tcomment == comment.strip()


def test_drafts_get_their_glossary_issues_in_the_po(run, project):
    path = reviewed_po(project, {"3.2": ("لم يكن هذا مفاجئاً.", True), "2.1": ("خامنئي", False)})
    run("translate", "--no-mt", "iran-imis.txt")
    po = polib.pofile(str(path))
    draft = next(e for e in po if e.msgctxt == "3.2")
    assert "issue: missing-term: Tehran (expected طهران)" in draft.comment.splitlines()
    finished = next(e for e in po if e.msgctxt == "2.1")
    assert not any(line.startswith("issue:") for line in finished.comment.splitlines())
