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
    assert "glossary: Ali Khamenei = علي خامنئي; Iran's Supreme Leader." in po[1].comment.splitlines()  # with its note
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
        "1 issue in 1 file (missing-term 1)\n")


def test_check_json(run, project):
    reviewed_po(project, {"24.1": ("وقال وزير الخارجية الأمريكي ريكس تيليرسون إن الميليشيات الإيرانية "
                                   "في العراق يجب أن \"تعود إلى ديارها\".", True)})
    result = run("check", "--json", "translations")
    assert result.exit_code == 1
    entry = next(e for e in polib.pofile("translations/ar/iran-imis.po") if e.msgctxt == "24.1")
    assert json.loads(result.stdout) == [
        {"file": "translations/ar/iran-imis.po", "line": entry.linenum, "msgctxt": "24.1",
         "msgid": "Similarly, in October, US Secretary of State Rex Tillerson said that Iranian militias "
                  "in Iraq should \"go home\".",
         "type": "forbidden-term", "term": "Rex Tillerson", "expected": "ريكس تيلرسون", "found": "تيليرسون",
         "severity": "blocking"},
    ]


def test_clean_translations_exit_0(run, project):
    reviewed_po(project, {"2.1": ("علي خامنئي", False), "8.1": ("إيران غاضبة", False)})
    result = run("check")
    assert result.exit_code == 0 and result.stdout == "0 issues in 1 file\n"


def test_check_without_a_glossary_runs_the_qa_rules_and_says_terms_were_not_checked(run, project):
    (project / "a.txt").write_text("Title\n\nIran sent 12 envoys.\n")
    run("translate", "--no-mt", "a.txt")
    po = polib.pofile("translations/ar/a.po")
    po.find("Iran sent 12 envoys.").msgstr = "أرسلت إيران مبعوثين."
    po.save()
    result = run("check")
    assert result.exit_code == 1 and "missing-number: 12" in result.stdout
    assert result.stderr == ("note: no glossary (glossaries/*.csv or --glossary FILE): terms were not checked, "
                             "only the QA rules\n")


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
    # each term once: the issue is said on the term's own glossary line
    assert "glossary: Tehran = طهران [draft: missing]" in draft.comment.splitlines()
    assert not any("missing-term" in line for line in draft.comment.splitlines())
    run("translate", "--no-mt", "iran-imis.txt")  # a re-run says it once, not twice
    again = next(e for e in polib.pofile(str(path)) if e.msgctxt == "3.2")
    assert again.comment == draft.comment
    finished = next(e for e in po if e.msgctxt == "2.1")
    assert not any(line.startswith("issue:") for line in finished.comment.splitlines())


SHIA = "الميليشيات الشيعية ثروة ثمينة لطهران التي تستخدمها في العراق وسوريا واليمن لإقامة الهلال الشيعي."


def _issues(run, *options):
    result = run("check", "--json", *options, "translations/ar/iran-imis.po")
    return [(row["msgctxt"], row["type"], row["term"]) for row in json.loads(result.stdout)]


def _comment(path, msgctxt, tcomment):
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == msgctxt)
    entry.tcomment = tcomment
    po.save(str(path))


def test_an_ignore_line_can_name_one_term_and_a_typo_is_reported(run, project):
    path = reviewed_po(project, {"5.1": (SHIA, False)})
    assert ("5.1", "missing-term", "Iran") in _issues(run)
    _comment(path, "5.1", "ignore: missing-term Iran")
    assert [issue for issue in _issues(run) if issue[0] == "5.1"] == []
    _comment(path, "5.1", "ignore: missing-term Irna")  # a typo silences nothing, and says so
    assert [issue for issue in _issues(run) if issue[0] == "5.1"] == [
        ("5.1", "missing-term", "Iran"), ("5.1", "unknown-ignore", "missing-term irna")]
    _comment(path, "5.1", "ignore: missing-trem")
    assert ("5.1", "unknown-ignore", "missing-trem") in _issues(run)
    _comment(path, "5.1", "ignore: missing-term")  # a whole type keeps its meaning
    assert [issue for issue in _issues(run) if issue[0] == "5.1"] == []
    _comment(path, "5.1", "ignore: length-ratio latin-word")  # several types on one line, as before
    assert ("5.1", "missing-term", "Iran") in _issues(run)
    assert not any(issue[1] == "unknown-ignore" for issue in _issues(run))


def test_an_exact_memory_reuse_carries_the_reviewers_ignore_lines(run, project):
    path = reviewed_po(project, {"5.1": (SHIA, False)})
    _comment(path, "5.1", "ignore: missing-term Iran")
    (project / "other.txt").write_text("Shia assets\n\n" + polib.pofile(str(path)).find("5.1", by="msgctxt").msgid
                                       + "\n", encoding="utf-8")
    assert run("translate", "--no-mt", "other.txt").exit_code == 0
    reused = polib.pofile(str(project / "translations/ar/other.po")).find("2.1", by="msgctxt")
    assert reused.msgstr == SHIA and "fuzzy" in reused.flags
    assert reused.tcomment == "ignore: missing-term Iran"
    assert not any("missing-term" in line for line in reused.comment.splitlines()
                   if not line.startswith("glossary: Iran"))


def test_check_filters_by_type_and_reviewed_entries_and_totals_by_type(run, project):
    reviewed_po(project, {"5.1": (SHIA, False), "3.2": ("لم يكن هذا مفاجئاً.", True)})
    everything = _issues(run)
    assert {kind for _, kind, _ in everything} >= {"missing-term", "length-ratio"}
    assert {kind for _, kind, _ in _issues(run, "--type", "length-ratio")} == {"length-ratio"}
    assert {context for context, _, _ in _issues(run, "--reviewed-only")} == {"5.1"}
    result = run("check", "translations/ar/iran-imis.po")
    totals = result.stdout.splitlines()[-1]
    assert totals.startswith(f"{len(everything)} issues in 1 file (") and "missing-term " in totals
    result = run("check", "--type", "missing-trem")
    assert result.exit_code == 2 and "'missing-trem' is not an issue type" in result.stderr


def test_long_found_values_are_cut_in_reports(run, project):
    arabic = "".join(chr(0x0628 + number % 20) for number in range(600))  # mostly Arabic: not an english-draft
    reviewed_po(project, {"2.1": (arabic + " " + "x" * 500, False)})
    line = next(line for line in run("check").stdout.splitlines() if "latin-word" in line)
    assert len(line) < 140 and line.rstrip().endswith("(translate, or make do-not-translate terms)")


def test_glossary_export_writes_tbx_and_import_reads_it_back(run, project):
    (project / "glossaries").mkdir()
    shutil.copy(ROOT / "glossaries/news.csv", project / "glossaries/news.csv")
    result = run("glossary", "export", "glossaries/news.csv", "--out", "news.tbx")
    assert result.exit_code == 0 and result.stdout.startswith("news.tbx: ") and "terms (tbx)" in result.stdout
    assert run("glossary", "export", "glossaries/news.csv", "--out", "news.tbx").exit_code == 2  # no overwrite
    result = run("glossary", "import", "news.tbx", "--out", "again.csv")
    assert result.exit_code == 0
    from localize.checks.glossary import load_glossary

    def rows(path):
        return [(t.source, t.target, t.type, t.forbidden, t.variants, t.note)
                for t in load_glossary(path.read_bytes(), path.name)]

    assert rows(project / "again.csv") == rows(project / "glossaries/news.csv")


def test_a_termbase_with_no_english_arabic_terms_is_exit_2(run, project):
    (project / "fr.tbx").write_text('<martif><text><body><termEntry><langSet xml:lang="fr"><tig><term>Syrie</term>'
                                    '</tig></langSet></termEntry></body></text></martif>', encoding="utf-8")
    result = run("glossary", "import", "fr.tbx")
    assert result.exit_code == 2 and result.stderr.startswith("Error: fr.tbx: no English-Arabic terms")


def test_glossary_suggest_lists_recurring_names_the_glossary_lacks(run, project):
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    (project / "other.md").write_text("# Talks\n\nShia leaders met in Baghdad. Iran's Supreme National Security "
                                      "Council said IMIS must stay. Officials from the SNSC agreed.\n",
                                      encoding="utf-8")
    (project / "empty.csv").write_text(HEADER + "Baghdad,بغداد,term,,,\n", encoding="utf-8")
    result = run("glossary", "suggest", "--glossary", "empty.csv", "--min", "1", "--json", "iran-imis.txt",
                 "other.md")
    assert result.exit_code == 0
    found = {row["term"]: row for row in json.loads(result.stdout)}
    assert found["IMIS"]["kind"] == "acronym" and found["IMIS"]["articles"] == ["iran-imis.txt", "other.md"]
    assert found["Supreme National Security Council"]["count"] >= 2
    assert "Baghdad" not in found  # the glossary has it
    assert "Shia" not in {row["term"] for row in json.loads(result.stdout) if row["articles"] == ["other.md"]}
    ranked = list(found)
    assert ranked.index("IMIS") < ranked.index("Ali Shamkhani")  # in two articles before one
    assert "IMIS" in found["IMIS"]["example"]
    house = run("glossary", "suggest", "--glossary", str(ROOT / "glossaries/news.csv"), "iran-imis.txt")
    assert "\nIran (" not in "\n" + house.stdout and "Tehran (" not in house.stdout


def test_glossary_suggest_reads_reviewed_pos(run, project):
    reviewed_po(project, {})
    (project / "empty.csv").write_text(HEADER + "Baghdad,بغداد,term,,,\n", encoding="utf-8")
    result = run("glossary", "suggest", "--glossary", "empty.csv", "--json")
    terms = {row["term"]: row for row in json.loads(result.stdout)}
    assert terms["Tehran"]["articles"] == ["iran-imis.txt"] and terms["Tehran"]["count"] >= 3


def test_glossary_suggest_shows_each_name_in_its_example(run, project):
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    (project / "empty.csv").write_text(HEADER + "Baghdad,بغداد,term,,,\n", encoding="utf-8")
    lines = run("glossary", "suggest", "--glossary", "empty.csv", "iran-imis.txt").stdout.splitlines()
    for name_line, example in zip(lines[:-1:2], lines[1::2]):
        name = name_line.split(" (")[0]
        assert example.startswith("  e.g. ") and name in example and len(example) < 180


def test_glossary_export_and_suggest_refuse_bad_input_in_one_line(run, project):
    (project / "empty.csv").write_text(HEADER, encoding="utf-8")
    result = run("glossary", "export", "empty.csv", "--out", "x.tbx")
    assert (result.exit_code, result.stderr) == (2, "Error: empty.csv: no terms (give a glossary CSV with at least "
                                                    "one term)\n")
    assert not (project / "x.tbx").exists()
    result = run("glossary", "suggest", "--glossary", "empty.csv", "missing.txt")
    assert result.exit_code == 2 and result.stderr.startswith("Error: missing.txt: ") and result.stderr.count("\n") == 1
