"""localize publish: editions from reviewed PO files, the review gate, escaping, bad input."""

import json
import os
import shutil

import lxml.html
import polib
import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from localize.records import Inline
from localize.publish import html_fragment
from localize.publish.text import markdown_escape

PUBLISH = FIXTURES / "publish"
GOLDEN = PUBLISH / "golden"
OUTPUTS = {"html": "ar.html", "bilingual": "bilingual.html", "md": "ar.md", "txt": "ar.txt"}


def review(po_path, translations: dict, reviewed=True) -> None:
    """What a translator does in a PO editor: type the Arabic, and clear fuzzy when done."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
            if reviewed and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if not reviewed and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
    po.save(str(po_path))


def prepare(run, project, article: str, translations: str | None, reviewed=True, name: str = ""):
    article = shutil.copy(PUBLISH / article, project / (name or article)).name
    result = run("translate", "--no-mt", article)
    assert result.exit_code == 0, result.output
    po = project / "translations" / "ar" / f"{article.rsplit('.', 1)[0]}.po"
    if translations:
        review(po, json.loads((PUBLISH / translations).read_text(encoding="utf-8")), reviewed)
    return po.relative_to(project)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path} (UPDATE_GOLDEN=1 rewrites it)"


def snapshot(project) -> dict:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


# --- golden editions --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(OUTPUTS))
def test_markdown_article_editions_match_golden_files(run, project, fmt):
    po = prepare(run, project, "story.md", "story.ar.json")
    result = run("publish", "--format", fmt, str(po))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"editions/story.{OUTPUTS[fmt]}\n"
    golden(f"story.md.{OUTPUTS[fmt]}", (project / "editions" / f"story.{OUTPUTS[fmt]}").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["html", "bilingual"])
def test_html_article_editions_match_golden_files(run, project, fmt):
    po = prepare(run, project, "story.html", "story.html.ar.json")
    result = run("publish", "--format", fmt, "--digits", "arabic-indic", "--locale", "ar_IQ", str(po))
    assert result.exit_code == 0, result.output
    golden(f"story.html.{OUTPUTS[fmt]}", (project / "editions" / f"story.{OUTPUTS[fmt]}").read_text(encoding="utf-8"))


def test_the_arabic_page_keeps_the_structure_and_the_inline_markup(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    assert run("publish", str(po)).exit_code == 0
    page = lxml.html.parse(str(project / "editions/story.ar.html")).getroot()
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    assert page.findtext(".//h1") == "ماكرون يدعو إلى حل الحشد الشعبي"
    assert page.find(".//h2").text_content() == "ردود الفعل"
    link = page.find(".//p/a")
    assert (link.get("href"), link.text_content()) == ("https://example.com/macron", "إيمانويل ماكرون")
    assert page.find(".//p/em").text_content() == "السبت"
    assert page.find(".//blockquote/p").text_content().startswith('"أي نقاش')
    nested = page.find(".//ul/li/ul/li")
    assert nested.text_content() == "التفاصيل على https://example.com/x."
    assert [li.text_content() for li in page.findall(".//ol/li")] == ["سترد بغداد يوم Monday.", "ستنتظر باريس."]
    assert page.find(".//ol/li/code").text == "Monday"
    isolated = [bdi.text for bdi in page.iter("bdi") if bdi.get("dir") == "ltr"]
    assert isolated == ["60,000", "2014", "https://example.com/x"]
    assert page.find(".//footer//time").get("datetime") == "2017-12-07T16:26:00"


def test_digits_and_locale_apply_to_the_dates(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    assert run("publish", "--format", "txt", str(po)).exit_code == 0
    western = (project / "editions/story.ar.txt").read_text(encoding="utf-8")
    assert western.endswith("\nنُشر في: الخميس، 7 ديسمبر 2017، 4:26 م\n")
    assert run("publish", "--format", "txt", "--digits", "arabic-indic", "--locale", "ar-IQ", str(po)).exit_code == 0
    eastern = (project / "editions/story.ar.txt").read_text(encoding="utf-8")
    assert eastern.endswith("\nنُشر في: الخميس، ٧ كانون الأول ٢٠١٧، ٤:٢٦ م\n")
    assert "60,000" in eastern  # the reviewed translation itself is published as the translator wrote it


def test_a_folder_publishes_every_po_in_it(run, project):
    prepare(run, project, "story.md", "story.ar.json")
    prepare(run, project, "story.html", "story.html.ar.json", name="report.html")
    result = run("publish", "--format", "html", "--format", "md", "translations", "translations/ar/story.po")
    assert result.exit_code == 0, result.output
    written = ["report.ar.html", "report.ar.md", "story.ar.html", "story.ar.md"]
    assert result.stdout == "".join(f"editions/{name}\n" for name in written)
    assert sorted(p.name for p in (project / "editions").iterdir()) == written


def test_publish_without_files_takes_the_projects_translations(run, project):
    prepare(run, project, "story.md", "story.ar.json")
    result = run("publish")
    assert result.exit_code == 0, result.output
    assert result.stdout == "editions/story.ar.html\n"


# --- the gate ---------------------------------------------------------------------------------------------------

def test_unreviewed_segments_and_issues_stop_publishing_and_are_listed(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    translations = json.loads((PUBLISH / "story.ar.json").read_text(encoding="utf-8"))
    review(po, {"3.1": translations["3.1"], "9.1": translations["9.1"]}, reviewed=False)  # two drafts
    review(po, {"2.2": "تشكل الحشد الشعبي البالغ قوامه 50,000 مقاتل في عام 2014."})  # reviewed, wrong number
    lines = {entry.msgctxt: entry.linenum for entry in polib.pofile(str(po))}
    before = snapshot(project)
    result = run("publish", "--verbose", "--format", "html", "--format", "bilingual", "translations/ar/story.po")
    assert result.exit_code == 1
    assert result.stdout == (
        f"translations/ar/story.po:{lines['2.2']}: The 60,000-strong IMIS were formed in 20...: "
        "changed-number: 60000 (found 50000)\n"
        f"translations/ar/story.po:{lines['3.1']}: Reactions: not reviewed (fuzzy draft)\n"
        f"translations/ar/story.po:{lines['9.1']}: Paris will wait.: not reviewed (fuzzy draft)\n"
        "not published: translations/ar/story.po: 2 segments not reviewed, 1 issue (review them in a PO editor, "
        "or pass --allow-draft for a draft edition)\n")
    assert snapshot(project) == before
    result = run("publish", "translations/ar/story.po")
    assert result.exit_code == 1 and result.stdout == (
        "not published: translations/ar/story.po: 2 segments not reviewed, 1 issue (review them in a PO editor, "
        "or pass --allow-draft for a draft edition; see them: localize publish --verbose translations/ar/story.po)\n")


def test_a_reviewer_can_accept_an_issue_so_it_no_longer_holds_publishing(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"2.2": "تشكل الحشد الشعبي البالغ قوامه خمسين ألف مقاتل في عام 2014."})  # 60,000 in words
    assert run("publish", str(po)).exit_code == 1
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(entry for entry in catalog if entry.msgctxt == "2.2")
    entry.tcomment = "ignore: missing-number\nchecked with the desk"  # typed in the PO editor's comment box
    catalog.save(str(po))
    (project / "terms.csv").write_text("source,target,type,forbidden,variants,note\nIran,إيران,term,,,\n",
                                       encoding="utf-8")
    assert run("check", "--glossary", "terms.csv", str(po)).stdout == "0 issues in 1 file\n"
    assert run("publish", str(po)).exit_code == 0
    entry.tcomment, entry.flags = "", ["ignore-missing-number"]  # the same as a Weblate-style flag
    catalog.save(str(po))
    assert run("publish", str(po)).exit_code == 0
    entry.flags = ["ignore-length-ratio"]  # accepting another type does not hide this one
    catalog.save(str(po))
    assert "missing-number" in run("publish", "--verbose", str(po)).stdout


def test_a_glossary_issue_in_a_reviewed_entry_stops_publishing(run, project):
    (project / "glossaries").mkdir()
    (project / "glossaries/news.csv").write_text(
        "source,target,type,forbidden,variants,note\nIMIS,الحشد الشعبي,term,,,\nIran,إيران,term,,,\n", encoding="utf-8")
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"6.1": "قالت طهران إنها <1>مؤامرة</1>."})  # reviewed, but not the house term for Iran
    line = next(entry.linenum for entry in polib.pofile(str(po)) if entry.msgctxt == "6.1")
    result = run("publish", "-v", str(po))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"translations/ar/story.po:{line}: Iran said it was a <1>plot</1>.: missing-term: Iran (expected إيران)",
        "not published: translations/ar/story.po: 0 segments not reviewed, 1 issue (review them in a PO editor, "
        "or pass --allow-draft for a draft edition)"]
    assert run("publish", "--glossary", "none.csv", str(po)).exit_code == 2  # a named glossary must exist


def test_json_output_for_refusals_and_for_what_was_published(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"3.1": "ردود الفعل"}, reviewed=False)
    result = run("publish", "--json", str(po))
    assert result.exit_code == 1
    line = next(entry.linenum for entry in polib.pofile(str(po)) if entry.msgctxt == "3.1")
    assert json.loads(result.stdout) == {"published": [], "refused": [
        {"file": "translations/ar/story.po", "line": line, "msgctxt": "3.1", "msgid": "Reactions",
         "reason": "not reviewed (fuzzy draft)", "issue": False}]}
    result = run("publish", "--json", "--allow-draft", "--format", "html", "--format", "txt", str(po))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"published": [
        {"po": "translations/ar/story.po", "article": "story.md", "files": ["editions/story.ar.html",
         "editions/story.ar.txt"], "draft": True, "segments": 10, "unreviewed": 1, "issues": 0}], "refused": []}


def test_a_folder_publishes_what_is_ready_and_lists_the_rest(run, project):
    prepare(run, project, "story.md", "story.ar.json", name="ready.md")
    for name in ("draft1.md", "draft2.md"):
        prepare(run, project, "story.md", "story.ar.json", reviewed=False, name=name)
    before = snapshot(project)
    result = run("publish", "--strict", "translations/ar")
    assert result.exit_code == 1 and snapshot(project) == before
    assert result.stdout.splitlines()[-1] == "nothing published (--strict): every PO must be ready"
    result = run("publish", "translations/ar")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "editions/ready.ar.html",
        "not published: translations/ar/draft1.po: 10 segments not reviewed, 0 issues (review them in a PO editor, "
        "or pass --allow-draft for a draft edition; see them: localize publish --verbose translations/ar/draft1.po)",
        "not published: translations/ar/draft2.po: 10 segments not reviewed, 0 issues (review them in a PO editor, "
        "or pass --allow-draft for a draft edition; see them: localize publish --verbose translations/ar/draft2.po)"]
    assert sorted(os.listdir(project / "editions")) == ["ready.ar.html"]


def test_an_untranslated_segment_stops_publishing(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"5.1": ""})
    result = run("publish", "--verbose", str(po))
    assert result.exit_code == 1
    assert ": Iraq rejected the call.: untranslated\n" in result.stdout
    assert not (project / "editions").exists()


def test_allow_draft_puts_a_banner_on_every_page(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"3.1": "ردود الفعل", "5.1": ""}, reviewed=False)
    formats = [arg for fmt in OUTPUTS for arg in ("--format", fmt)]
    result = run("publish", "--allow-draft", *formats, str(po))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "editions/story.ar.html (draft: 2 of 10 segments not reviewed, 0 issues)")
    for fmt, suffix in OUTPUTS.items():
        text = (project / "editions" / f"story.{suffix}").read_text(encoding="utf-8")
        if fmt in ("html", "bilingual"):
            page = lxml.html.fromstring(text)
            banner = page.find_class("draft-banner")[0]
            assert "draft: unreviewed machine translation (2 of 10 segments not reviewed, 0 issues)" in (
                banner.text_content())
            assert page.find(".//meta[@name='robots']").get("content") == "noindex"
            assert [el.get("id") for el in page.find_class("draft")] == ["b3", "b5"]
        elif fmt == "md":
            assert "\n> **draft: unreviewed machine translation** (2 of 10 segments not reviewed, 0 issues)\n" in text
            assert '\ndraft: true\n---\n' in text
        else:
            assert text.startswith(
                "[مسودة: ترجمة آلية لم تُراجع (2 من 10 مقاطع لم تُراجع، 0 ملاحظة)]\n"
                "[draft: unreviewed machine translation (2 of 10 segments not reviewed, 0 issues)]\n")
    # The untranslated segment shows its English, isolated left-to-right inside the Arabic list.
    page = lxml.html.parse(str(project / "editions/story.ar.html")).getroot()
    assert page.get_element_by_id("b5").find("bdi").text == "Iraq rejected the call"


@pytest.mark.parametrize("segments, noun", [(1, "مقطع"), (2, "مقطعين"), (10, "مقاطع"), (28, "مقطعًا"),
                                            (100, "مقطع")])
def test_the_arabic_banner_counts_with_the_right_noun_form(segments, noun):
    from localize.publish import Edition, draft_counts

    counts = draft_counts(Edition("s", "s.txt", (), {}, unreviewed=1, segments=segments, draft=True))
    assert counts["ar"].startswith(f"1 من {segments} {noun} لم تُراجع")
    eastern = draft_counts(Edition("s", "s.txt", (), {}, digits="arabic-indic", unreviewed=1, segments=28, draft=True))
    assert eastern["ar"].startswith("١ من ٢٨ مقطعًا")


def test_a_fully_reviewed_article_gets_no_banner_even_with_allow_draft(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    assert run("publish", "--allow-draft", str(po)).exit_code == 0
    page = lxml.html.parse(str(project / "editions/story.ar.html")).getroot()
    assert page.find_class("draft-banner") == [] and page.find(".//meta[@name='robots']") is None


# --- escaping ---------------------------------------------------------------------------------------------------

HOSTILE_ARTICLE = """<html><body><article>
<h1>Title &lt;script&gt;alert(1)&lt;/script&gt;</h1>
<p>Click <a href="javascript:alert(2)" onmouseover="alert(3)">here</a> or
<a href=" JaVa&#x09;Script:alert(4)">there</a> now.
<img src="x.png" onerror="alert(5)" alt="&quot;onmouseover=alert(6)"> A "onmouseover=alert(7) quote.</p>
<p>Second <span style="x" onclick="alert(8)">span</span> end.</p>
</article></body></html>
"""
HOSTILE_TRANSLATIONS = {
    "1.1": "عنوان <script>alert(9)</script>",
    "2.1": 'انقر <1>هنا</1> أو <2>هناك</2> الآن.',
    "2.2": '<3/> " onmouseover="alert(10)" <img src=x onerror=alert(11)> اقتباس.',
    "3.1": "ثانٍ <1>span</1> <b onclick=alert(12)>نهاية</b>.",
}


def assert_inert(root) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("script", "iframe", "object", "embed", "style") or element.tag == "style" and \
            element.getparent().tag == "head", lxml.html.tostring(element)
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "script:" not in value.lower().replace("\t", ""), (element.tag, name, value)


def test_script_and_event_handlers_from_article_or_translation_come_out_inert(run, project):
    (project / "hostile.html").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    assert run("translate", "--no-mt", "hostile.html").exit_code == 0
    review(project / "translations/ar/hostile.po", HOSTILE_TRANSLATIONS)
    formats = [arg for fmt in OUTPUTS for arg in ("--format", fmt)]
    result = run("publish", "--allow-draft", *formats, "translations/ar/hostile.po")
    assert result.exit_code == 0, result.output
    for suffix in ("ar.html", "bilingual.html"):
        text = (project / "editions" / f"hostile.{suffix}").read_text(encoding="utf-8")
        page = lxml.html.fromstring(text)
        assert_inert(page)
        body = page.find("body").text_content()
        assert "<script>alert(9)</script>" in body and 'onmouseover="alert(10)"' in body  # shown as text
    markdown = (project / "editions/hostile.ar.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark", {"html": True}).render(markdown.split("---\n", 2)[2])
    page = lxml.html.fromstring(f"<div>{rendered}</div>")
    assert_inert(page)
    assert "<script>alert(9)</script>" in page.text_content()
    assert "alert(2)" not in markdown and "alert(4)" not in markdown  # the javascript: links are gone


def test_html_fragment_closes_what_a_translator_left_open_and_drops_unknown_placeholders():
    inline = (Inline(1, "<em>", "</em>"), Inline(2, '<a href="https://e.com/">', "</a>"))
    html = str(html_fragment("نص <1>مائل <2>رابط</1> و<9>غريب</9>", inline, True))
    assert html == 'نص <em>مائل <a href="https://e.com/" rel="noopener noreferrer">رابط</a></em> وغريب'
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert root.find("em/a").text_content() == "رابط"
    assert "<9>" not in html and "غريب" in root.text_content()


def test_isolation_wraps_latin_names_numbers_urls_but_not_arabic_digits():
    html = str(html_fragment("قال Emmanuel Macron في 2017 إن ٣ من www.example.com/a, a@b.org و F-16.", (), True))
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [bdi.text for bdi in root.iter("bdi")] == ["Emmanuel Macron", "2017", "www.example.com/a", "a@b.org",
                                                       "F-16"]
    assert all(bdi.get("dir") == "ltr" for bdi in root.iter("bdi"))
    assert "٣" in root.text_content() and not any("٣" in bdi.text for bdi in root.iter("bdi"))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60))
def test_markdown_escape_shows_any_text_as_written(text):
    text = " ".join(text.split())
    if not text:
        return
    rendered = MarkdownIt("commonmark", {"html": True}).render(markdown_escape(text))
    root = lxml.html.fragment_fromstring(f"<div>{rendered}</div>")
    assert [element.tag for element in root.iter()] == ["div", "p"]
    assert " ".join(root.text_content().split()) == text


# --- bad input --------------------------------------------------------------------------------------------------

def test_a_po_without_source_header_is_refused(run, project):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
    po.append(polib.POEntry(msgid="Hello", msgstr="مرحبا"))
    po.save(str(project / "other.po"))
    result = run("publish", "other.po")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: other.po: no X-Source-File / X-Source-SHA256 header, so not a PO written by "
                             "localize (publish the PO that `localize translate ARTICLE` wrote)\n")
    assert not (project / "editions").exists()


def test_a_po_whose_article_is_gone_is_refused(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    (project / "story.md").unlink()
    result = run("publish", str(po))
    assert result.exit_code == 2
    assert result.stderr == ("Error: translations/ar/story.po: its article story.md (X-Source-File) is not there "
                             "(put the article back, or run this in the project `localize translate` ran in)\n")
    assert not (project / "editions").exists()


def test_a_po_whose_article_changed_is_refused(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    with open(project / "story.md", "a", encoding="utf-8") as article:
        article.write("\nA new paragraph.\n")
    result = run("publish", str(po))
    assert result.exit_code == 2
    assert result.stderr == ("Error: story.md: changed since translations/ar/story.po was written (run `localize "
                             "translate story.md`, review the new segments, then publish)\n")


def test_a_po_that_lacks_an_entry_of_its_article_is_refused(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    catalog = polib.pofile(str(po), wrapwidth=0)
    catalog.remove(next(entry for entry in catalog if entry.msgctxt == "9.1"))  # deleted by hand
    catalog.save(str(po))
    result = run("publish", str(po))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: story.md: the PO has no entry 9.1 for 'Paris will wait.' (run `localize "
                             "translate` on the article to update the PO, then review it)\n")
    assert not (project / "editions").exists()


def test_an_article_not_in_utf8_is_published_with_the_encoding_translate_recorded(run, project):
    (project / "cp.txt").write_bytes("Café talks\n\nThe café opened.\n".encode("cp1252"))
    result = run("translate", "--no-mt", "cp.txt")
    assert result.exit_code == 2 and "it looks like cp1252" in result.stderr and "--encoding cp1252" in result.stderr
    assert run("translate", "--no-mt", "--encoding", "cp1252", "cp.txt").exit_code == 0
    po = project / "translations/ar/cp.po"
    assert polib.pofile(str(po)).metadata["X-Source-Encoding"] == "cp1252"
    review(po, {"1.1": "محادثات المقهى", "2.1": "افتُتح المقهى."})
    # no --encoding needed any more, and the English is read right
    assert run("publish", "--format", "bilingual", "translations/ar/cp.po").exit_code == 0
    assert "The café opened." in (project / "editions/cp.bilingual.html").read_text(encoding="utf-8")


def test_a_missing_po_and_an_unwritable_out_folder_are_one_line_errors(run, project):
    result = run("publish", "nope.po")
    assert (result.exit_code, result.stderr) == (2, "Error: nope.po: no such file (check the path of the PO file)\n")
    po = prepare(run, project, "story.md", "story.ar.json")
    (project / "afile").write_text("x", encoding="utf-8")
    result = run("publish", "--out", "afile/editions", str(po))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: afile: is a file, not a folder (choose another output folder, or remove it)\n"
    assert (project / "afile").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"\x00\x01binary", "binary file, not text"),
    (b'msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "duplicate entry for 'a' (lines 1 and 3)"),
    (b'msgid "a"\nmsgstr "b"\nmsgid "a"\n', "bad.po:3: not a valid PO file: msgid without msgstr"),
    (b'msgid "unterminated\n', "unterminated string"),
])
def test_broken_po_files_are_one_line_errors(run, project, content, message):
    (project / "bad.po").write_bytes(content)
    result = run("publish", "bad.po")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: bad.po") and message in result.stderr
    assert result.stderr.count("\n") == 1 and not (project / "editions").exists()


def test_bad_options_and_targets_are_one_line_errors(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    result = run("publish", "--locale", "fr", str(po))
    assert (result.exit_code, result.stderr) == (2, "Error: --locale fr: not a known Arabic locale (use ar or one "
                                                    "such as ar_IQ)\n")
    (project / "editions").write_text("not a folder", encoding="utf-8")
    result = run("publish", str(po))
    assert (result.exit_code, result.stderr) == (2, "Error: editions: is a file, not a folder (pass --out DIR "
                                                    "with a folder name)\n")
    assert (project / "editions").read_text(encoding="utf-8") == "not a folder"
    (project / "empty").mkdir()
    result = run("publish", "empty")
    assert (result.exit_code, result.stderr) == (2, "Error: empty: no PO files found (give PO files or a folder "
                                                    "with some)\n")


def test_two_articles_with_the_same_name_are_refused(run, project):
    prepare(run, project, "story.md", "story.ar.json")
    (project / "other").mkdir()
    shutil.copy(PUBLISH / "story.html", project / "other" / "story.html")
    assert run("translate", "--no-mt", "--out", "other/translations", "other/story.html").exit_code == 0
    result = run("publish", "--allow-draft", "translations/ar/story.po", "other/translations/ar/story.po")
    assert result.exit_code == 2
    assert result.stderr == ("Error: other/translations/ar/story.po: editions/story.ar.html would also be written "
                             "for another PO (publish the two articles to different --out folders)\n")
    assert not (project / "editions").exists()


# --- a run over many POs: the article not segmented again, pages staged on disk, all or nothing -----------------

def test_the_po_carries_the_segments_so_the_article_is_not_segmented_again(run, project, monkeypatch):
    po = prepare(run, project, "story.md", "story.ar.json")
    assert run("publish", "--format", "html", "--format", "md", str(po)).exit_code == 0
    before = {name: (project / "editions" / name).read_bytes() for name in ("story.ar.html", "story.ar.md")}

    def segmented(article):
        raise AssertionError("segmented again")
    monkeypatch.setattr("localize.segment.segment_article", segmented)
    assert run("publish", "--format", "html", "--format", "md", str(po)).exit_code == 0
    assert before == {name: (project / "editions" / name).read_bytes() for name in before}


def test_a_po_whose_english_was_edited_by_hand_is_refused(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(entry for entry in catalog if entry.msgctxt == "2.2")
    entry.msgid = entry.msgid.replace("formed", "founded")  # the article still says formed
    catalog.save(str(po))
    result = run("publish", str(po))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: story.md: the PO has no entry 2.2 for 'The 60,000-strong IMIS")


def test_a_failing_po_late_in_a_run_writes_no_page_and_leaves_no_staging_behind(run, project):
    prepare(run, project, "story.md", "story.ar.json")
    prepare(run, project, "story.md", "story.ar.json", name="update.md")  # published after story.po
    (project / "editions").mkdir()
    (project / "editions" / "story.ar.html").write_text("the old page", encoding="utf-8")
    (project / "update.md").write_text("# Changed since\n", encoding="utf-8")
    result = run("publish", "translations/ar")
    assert result.exit_code == 2 and result.stdout == "" and "update.md: changed since" in result.stderr
    assert os.listdir(project / "editions") == ["story.ar.html"]  # no hidden staging folder either
    assert (project / "editions" / "story.ar.html").read_text(encoding="utf-8") == "the old page"


def test_every_page_is_on_disk_before_the_first_is_renamed_into_place(run, project, monkeypatch):
    import localize.files

    prepare(run, project, "story.md", "story.ar.json")
    prepare(run, project, "story.md", "story.ar.json", name="other.md")
    events, flush, replace, fsync = [], localize.files._flush_files, os.replace, os.fsync
    monkeypatch.setattr(localize.files, "_flush_files", lambda folder: (events.append("flush"), flush(folder)))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(f"rename {os.path.basename(b)}"), replace(a, b)))
    monkeypatch.setattr(os, "fsync", lambda handle: (events.append("fsync"), fsync(handle)))
    monkeypatch.setattr(localize.files, "_syncfs", lambda handle: events.append("syncfs") or True)
    result = run("publish", "--format", "html", "--format", "txt", "translations/ar")
    assert result.exit_code == 0, result.output
    pages = ["other.ar.html", "other.ar.txt", "story.ar.html", "story.ar.txt"]
    assert events[:2] == ["flush", "syncfs"]  # one flush of the file system for every page, none per page
    assert sorted(events[2:6]) == [f"rename {name}" for name in pages] and events[6:] == ["fsync"]  # the folder
    assert result.stdout == "".join(f"editions/{name}\n" for name in pages)
    assert sorted(os.listdir(project / "editions")) == pages


def test_without_syncfs_each_page_is_flushed_before_any_rename(run, project, monkeypatch):
    import localize.files

    po = prepare(run, project, "story.md", "story.ar.json")
    events, replace, fsync = [], os.replace, os.fsync
    monkeypatch.setattr(localize.files, "_syncfs", lambda handle: False)  # not Linux
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("rename"), replace(a, b)))
    monkeypatch.setattr(os, "fsync", lambda handle: (events.append("fsync"), fsync(handle)))
    assert run("publish", "--format", "html", "--format", "md", str(po)).exit_code == 0
    assert events == ["fsync", "fsync", "rename", "rename", "fsync"]


def test_a_page_that_is_a_symbolic_link_is_written_through(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    (project / "site").mkdir()
    (project / "site" / "story.html").write_text("old", encoding="utf-8")
    (project / "editions").mkdir()
    (project / "editions" / "story.ar.html").symlink_to(project / "site" / "story.html")
    os.chmod(project / "site" / "story.html", 0o640)
    assert run("publish", "--format", "html", "--format", "md", str(po)).exit_code == 0
    assert (project / "editions" / "story.ar.html").is_symlink()
    assert (project / "site" / "story.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (project / "site" / "story.html").stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(project / "editions")) == ["story.ar.html", "story.ar.md"]


def test_an_existing_page_keeps_its_permissions(run, project):
    po = prepare(run, project, "story.md", "story.ar.json")
    (project / "editions").mkdir()
    (project / "editions" / "story.ar.html").write_text("old", encoding="utf-8")
    os.chmod(project / "editions" / "story.ar.html", 0o604)
    assert run("publish", str(po)).exit_code == 0
    assert (project / "editions" / "story.ar.html").stat().st_mode & 0o777 == 0o604


def test_json_is_written_as_one_document_with_every_po(run, project):
    prepare(run, project, "story.md", "story.ar.json")
    prepare(run, project, "story.md", "story.ar.json", name="second.md")
    prepare(run, project, "story.md", "story.ar.json", reviewed=False, name="third.md")
    result = run("publish", "--json", "--format", "html", "--format", "md", "translations/ar")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert result.stdout == json.dumps(document, ensure_ascii=False, indent=2) + "\n"  # as json.dumps writes it
    assert [record["po"] for record in document["published"]] == ["translations/ar/second.po",
                                                                  "translations/ar/story.po"]
    assert {hold["file"] for hold in document["refused"]} == {"translations/ar/third.po"}


def test_the_list_of_pages_goes_to_a_file_past_a_quarter_of_a_mib():
    from localize.publish.po import Spool

    pages = [[f"editions/story-{number}\udcff.ar.html", " (draft: 1 of 2 segments not reviewed, 0 issues)"]
             for number in range(5000)]  # an undecodable byte in a file name comes back as it was
    with Spool() as spool:
        for page in pages[:10]:
            spool.add(page)
        assert not spool.spilled and list(spool) == pages[:10]
        for page in pages[10:]:
            spool.add(page)
        assert spool.spilled and list(spool) == pages
