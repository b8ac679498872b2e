import pytest

from conftest import ROOT
from localize.errors import LocalizeError
from localize.checks.glossary import Term, TermIndex, lint, load_glossary, reviewer_notes, verify, write_csv
from localize.checks.termbase import read_tbx

HEADER = "source,target,type,forbidden,variants,note\n"


def index(*terms):
    return TermIndex(list(terms))


def found(text, *terms):
    return [match.text for match in index(*terms).find(text)]


def test_whole_words_only():
    assert found("Iranian officials met in Iran", Term("Iran", "إيران")) == ["Iran"]


def test_acronyms_are_case_sensitive():
    isis = Term("ISIS", "داعش")
    assert found("ISIS fighters and anti-ISIS forces", isis) == ["ISIS", "ISIS"]
    assert found("the goddess Isis was worshipped", isis) == []


def test_plural_acronyms_are_found_and_only_in_capitals():
    ngo, mp = Term("NGO", "منظمة غير حكومية", variants=("منظمات غير حكومية",)), Term("MP", "نائب")
    assert found("Several NGOs and an NGO met MPs; the Ngos and mps did not", ngo, mp) == ["NGOs", "NGO", "MPs"]
    assert [issue.term for issue in verify("Three NGOs said so.", "قالت ثلاث جمعيات ذلك.", index(ngo))] == ["NGO"]
    assert verify("Three NGOs said so.", "قالت ثلاث منظمات غير حكومية ذلك.", index(ngo)) == []


def test_other_terms_ignore_case_and_datelines_match():
    assert found("BAGHDAD - the militia left baghdad", Term("Baghdad", "بغداد")) == ["BAGHDAD", "baghdad"]


def test_plural_and_possessive_of_the_last_word():
    militia = Term("militia", "ميليشيا", variants=("ميليشيات",))
    forces = Term("Popular Mobilization Forces", "الحشد الشعبي")
    text = "The militias, a militia's leader and the Popular Mobilization Forces' role"
    assert found(text, militia, forces) == ["militias", "militia", "Popular Mobilization Forces"]
    assert found("the militia leader", Term("militia leader", "قائد")) == ["militia leader"]
    assert found("the militias leader", Term("militia leader", "قائد")) == []


def test_hyphen_and_space_variants():
    abadi = Term("Haider al-Abadi", "حيدر العبادي")
    assert found("Haider al-Abadi, Haider Al-Abadi and Haider al Abadi", abadi) == [
        "Haider al-Abadi", "Haider Al-Abadi", "Haider al Abadi"]
    assert found("Haider, al-Abadi", abadi) == []


def test_longest_match_wins():
    terms = (Term("Supreme Council", "مجلس"), Term("Islamic Supreme Council of Iraq", "المجلس الأعلى الإسلامي العراقي"),
             Term("Iraq", "العراق"))
    assert found("the Islamic Supreme Council of Iraq met", *terms) == ["Islamic Supreme Council of Iraq"]


def test_a_term_inside_the_start_of_a_longer_one_that_does_not_finish():
    """The longer term begins but is not there: the shorter one inside it still counts, also where
    the text ends (an Aho-Corasick automaton's leftmost-longest search, pyahocorasick's iter_long,
    finds nothing in "...the Islamic Supreme Council": docs/glossary.md)."""
    terms = (Term("Supreme Council", "مجلس"), Term("Islamic Supreme Council of Iraq", "المجلس الأعلى الإسلامي العراقي"),
             Term("Iraq", "العراق"))
    assert found("He met the Islamic Supreme Council", *terms) == ["Supreme Council"]
    assert found("the Islamic Supreme Council of Iran met", *terms) == ["Supreme Council"]
    assert found("the Islamic Supreme Council of Iraq", *terms) == ["Islamic Supreme Council of Iraq"]


GLOSSARY = index(
    Term("Iraq", "العراق"), Term("Syria", "سوريا", forbidden=("سورية",)),
    Term("ISIS", "داعش", forbidden=("الدولة الإسلامية",), variants=("تنظيم داعش",)),
    Term("Facebook", type="dnt"), Term("militia", "ميليشيا", forbidden=("مليشيا",), variants=("ميليشيات",)),
    Term("Erdogan", "أردوغان", forbidden=("أردوجان",)),
)


def issues(source, translation):
    return [(issue.type, issue.term, issue.found) for issue in verify(source, translation, GLOSSARY)]


@pytest.mark.parametrize("source,translation", [
    ("Iraq rejects it.", "يرفض العراقُ ذلك."),
    ("It went to Iraq.", "ذهب إلى العراق."),
    ("Support for Iraq.", "دعم للعراق."),
    ("In Iraq and Syria.", "في العراق وسوريا."),
    ("ISIS fighters.", "مقاتلو تنظيم داعش."),
    ("The militias.", "وللميليشيات."),
    ("He wrote on Facebook.", "كتب على Facebook."),
    ("Syria and the Syrian government.", "سوريا والحكومة السورية."),
    ("Erdogan spoke.", "تحدث أردوغانُ."),
])
def test_correct_renderings_pass(source, translation):
    assert issues(source, translation) == []


@pytest.mark.parametrize("source,translation,expected", [
    ("Iraq rejects it.", "ترفض بغداد ذلك.", [("missing-term", "Iraq", "")]),
    ("Syria.", "سورية.", [("forbidden-term", "Syria", "سورية")]),
    ("To Syria.", "لسوريةَ.", [("forbidden-term", "Syria", "لسورية")]),
    ("ISIS attacked.", "هاجم تنظيم الدولة الإسلامية.", [("forbidden-term", "ISIS", "الدولة الإسلامية")]),
    ("The militia.", "والمليشيا.", [("forbidden-term", "militia", "والمليشيا")]),
    ("He wrote on Facebook.", "كتب على فيسبوك.", [("dnt-altered", "Facebook", "")]),
    ("Erdogan spoke.", "تحدث أردوجان.", [("forbidden-term", "Erdogan", "أردوجان")]),
])
def test_wrong_and_forbidden_renderings_are_caught(source, translation, expected):
    assert issues(source, translation) == expected


def test_untranslated_entries_are_not_checked():
    assert issues("Iraq", "") == []


def test_reviewer_notes_name_the_approved_rendering():
    notes = reviewer_notes("ISIS and Facebook in Iraq", GLOSSARY)
    assert notes == ["glossary: ISIS = داعش (also: تنظيم داعش) (not: الدولة الإسلامية)",
                     "glossary: Facebook = keep as is (do not translate)", "glossary: Iraq = العراق"]


def load(text: str | bytes):
    return load_glossary(text.encode() if isinstance(text, str) else text, "glossaries/x.csv")


def test_house_glossary_is_clean_and_large():
    terms = load((ROOT / "glossaries/news.csv").read_bytes())
    assert len(terms) >= 80 and lint(terms) == []
    sample_terms = {"Iran", "Iraq", "Syria", "Yemen", "Tehran", "Baghdad", "Paris", "Middle East", "IMIS",
                    "Ali Khamenei", "Ali Shamkhani", "Humam Hamoudi", "Emmanuel Macron", "Haider al-Abadi",
                    "Ahmad al-Assadi", "Nouri al-Maliki", "Rex Tillerson", "ISIS", "Facebook",
                    "Supreme National Security Council", "Islamic Supreme Council of Iraq"}
    assert sample_terms <= {term.source for term in terms}


@pytest.mark.parametrize("text,where,what", [
    ("source,target\nIraq,العراق\n", "glossaries/x.csv:1", "missing column type, forbidden, variants, note"),
    (HEADER + ",العراق,term,,,\n", "glossaries/x.csv:2", "empty source"),
    (HEADER + "Iraq,,term,,,\n", "glossaries/x.csv:2", "empty target"),
    (HEADER + "Iraq,العراق,word,,,\n", "glossaries/x.csv:2", "unknown type"),
    (HEADER + "Iraq,العراق,term,,\n", "glossaries/x.csv:2", "5 fields"),
    (HEADER + 'Iraq,"العراق,term,,,\n', "glossaries/x.csv:2", "broken CSV quoting"),
    ("", "glossaries/x.csv:1", "empty glossary"),
])
def test_malformed_csv(text, where, what):
    with pytest.raises(LocalizeError) as error:
        load(text)
    assert error.value.where == where and what in error.value.what


def test_non_utf8_csv_names_the_line():
    with pytest.raises(LocalizeError) as error:
        load((HEADER + "Iraq,x,term,,,\nCaf\u00e9,y,term,,,\n").encode("cp1252"))
    assert error.value.where == "glossaries/x.csv:3" and "UTF-8" in error.value.what


def test_lint_finds_duplicates_conflicts_and_forbidden_targets():
    terms = load(HEADER + "Iraq,العراق,term,,,\niraq,العراق,term,,,\nIraq,عراق,term,,,\n"
                 "Syria,سوريا,term,سوريا,,\n")
    assert lint(terms) == [
        "glossaries/x.csv:3: duplicate of glossaries/x.csv:2 ('iraq')",
        "glossaries/x.csv:4: 'Iraq' has target 'عراق' here but 'العراق' at glossaries/x.csv:2",
        "glossaries/x.csv:5: forbidden form 'سوريا' is also accepted for 'Syria'",
    ]


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
<text><body>
<termEntry id="t1">
  <descrip type="definition">Iraqi paramilitary umbrella group</descrip>
  <langSet xml:lang="en"><tig><term>Popular Mobilization Forces</term></tig></langSet>
  <langSet xml:lang="ar">
    <tig><term>الحشد الشعبي</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>قوات الحشد الشعبي</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>الحشد</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>
<termEntry id="t2"><langSet xml:lang="en"><tig><term>English only</term></tig></langSet></termEntry>
</body></text></martif>
"""


def test_tbx_import_round_trips_through_our_csv():
    terms, skipped = read_tbx(TBX.encode(), "terms.tbx")
    assert skipped == 1
    assert [(t.source, t.target, t.variants, t.forbidden, t.note) for t in terms] == [
        ("Popular Mobilization Forces", "الحشد الشعبي", ("قوات الحشد الشعبي",), ("الحشد",),
         "definition: Iraqi paramilitary umbrella group")]
    again = load(write_csv(terms))
    assert [(t.source, t.target, t.variants, t.forbidden) for t in again] == [
        (t.source, t.target, t.variants, t.forbidden) for t in terms]


def test_malformed_tbx_names_the_line():
    with pytest.raises(LocalizeError) as error:
        read_tbx(b"<martif>\n<text>\n<body></text></martif>", "bad.tbx")
    assert error.value.where == "bad.tbx:3" and "malformed TBX" in error.value.what


def test_tbx_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>A &x;</term></tig></langSet>'
            '<langSet xml:lang="ar"><tig><term>ب</term></tig></langSet></termEntry></body></text></martif>')
    with pytest.raises(LocalizeError, match="x.tbx:1: unresolved entity reference &x;") as error:
        read_tbx(data.encode(), "x.tbx")  # never resolved, and never part of a term either
    assert "TOP-SECRET" not in str(error.value)


def test_not_a_termbase():
    with pytest.raises(LocalizeError, match="not a TBX file"):
        read_tbx(b"<html><body/></html>", "x.tbx")


HOUSE = TermIndex(load_glossary((ROOT / "glossaries/news.csv").read_bytes(), "news.csv"))


@pytest.mark.parametrize("source, translation", [
    ("Iran's Supreme National Security Council", "المجلس الأعلى للأمن القومي الإيراني"),
    ("Iraq's prime minister", "رئيس الوزراء العراقي"),
    ("Iraq's forces", "القوّات العراقيّة"),  # shadda and all
    ("Iraq's militias", "الميليشيات العراقية"),
    ("Iran's diplomats", "الدبلوماسيون الإيرانيون"),
    ("Iran's diplomats", "للدبلوماسيين الإيرانيين"),
    ("Iran's women", "الإيرانيات"),
    ("the envoys of Iran", "مبعوثان إيرانيان"),
    ("Iran's position", "والإيرانية"),
    ("Syria's government", "الحكومة السورية"),
    ("Syria's government", "نفت الحكومة السوريّة"),
    ("Turkey's army", "الجيش التركي"),
    ("Turkey's officials", "المسؤولون الأتراك والتركيين"),
    ("Yemen's rebels", "المتمردون اليمنيون"),
    ("Lebanon's banks", "المصارف اللبنانية"),
    ("France's president", "الرئيس الفرنسي"),
    ("Saudi Arabia's king", "الملك السعودي"),
])
def test_a_names_nisba_adjective_satisfies_the_term(source, translation):
    assert verify(source, translation, HOUSE) == []


def test_a_forbidden_form_is_caught_where_it_stands_as_the_name():
    issues = verify("Iraqi forces entered Syria", "دخلت القوات العراقية سورية", HOUSE)
    assert [(issue.type, issue.term, issue.found) for issue in issues] == [("forbidden-term", "Syria", "سورية")]
    assert verify("The government of Syria denied it", "نفت الحكومة السورية ذلك", HOUSE) == []


def test_a_nisba_is_a_whole_word_and_common_nouns_get_none():
    assert [issue.type for issue in verify("Iraq", "الإعراقي", HOUSE)] == ["missing-term"]
    index = TermIndex([Term("militia", "ميليشيا")])
    assert [issue.type for issue in verify("the militia", "الميليشي", index)] == ["missing-term"]


def test_urls_addresses_and_placeholders_are_not_prose():
    source = ("The report (https://example.org/iraq-popular-mobilization-forces-2017.pdf) was sent to "
              "iran.desk@example.org by <1>the envoy</1>.")
    assert HOUSE.find(source) == []
    index = TermIndex([Term("Iraq", "العراق"), Term("example", "مثال", "term")])
    arabic_url = "أُرسل التقرير (https://example.org/iraq.pdf) إلى العراق."
    assert verify("The report on Iraq (https://example.org/iraq.pdf).", arabic_url, index) == []
    # an approved form inside a URL is not a rendering
    assert [i.type for i in verify("Iraq", "https://العراق.example/", index)] == ["missing-term"]


def test_terms_with_punctuation_match_as_written():
    index = TermIndex([Term("U.S.", "الولايات المتحدة"), Term("C++", "سي++", "dnt"), Term("AT&T", "إيه تي آند تي")])
    assert [m.text for m in index.find("The U.S. envoy met AT&T staff")] == ["U.S.", "AT&T"]
    assert index.find("Vitamin C is good for you") == []
    assert [m.text for m in index.find("Written in C++ by hand")] == ["C++"]


def test_terms_that_can_never_match_fail_the_check():
    problems = lint([Term("...", "نقاط", origin="g.csv:2"), Term("a\x00b", "ب", origin="g.csv:3")])
    assert problems == ["g.csv:2: '...' can never be found in an article (no letters or digits, or a NUL character)",
                        "g.csv:3: 'a\\x00b' can never be found in an article (no letters or digits, or a NUL "
                        "character)"]


TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>desk</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="c1">
 <descrip type="definition">The country.</descrip>
 <langSec xml:lang="en-US"><termSec><term>Syria</term></termSec></langSec>
 <langSec xml:lang="AR-sy">
  <termSec><term>سوريا</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
  <termSec><term>سورية</term><termNote type="administrativeStatus">obsolete</termNote></termSec>
  <termSec><term>سوريّا</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
 </langSec>
</conceptEntry>
<conceptEntry id="c2">
 <langSec xml:lang="en_GB"><termSec><term>BBC</term><termNote type="translationNote">no</termNote></termSec></langSec>
</conceptEntry>
</body></text></tbx>"""


def test_tbx_v3_regions_statuses_and_do_not_translate():
    terms, skipped = read_tbx(TBX3.encode(), "desk.tbx")
    assert skipped == 0
    syria, bbc = terms
    assert (syria.source, syria.target, syria.variants, syria.forbidden, syria.note) == (
        "Syria", "سوريا", ("سوريّا",), ("سورية",), "definition: The country.")
    assert (bbc.source, bbc.type) == ("BBC", "dnt")


def test_weblate_style_entries_one_form_each_are_one_term():
    entry = ('<termEntry><langSet xml:lang="en"><tig><term>Syria</term></tig></langSet><langSet xml:lang="ar">'
             '<tig><term>{}</term><termNote type="administrativeStatus">{}</termNote></tig></langSet></termEntry>')
    data = ("<martif><text><body>" + entry.format("سوريا", "preferredTerm-admn-sts")
            + entry.format("سورية", "forbidden") + "</body></text></martif>")
    terms, _ = read_tbx(data.encode(), "weblate.tbx")
    assert [(t.source, t.target, t.forbidden) for t in terms] == [("Syria", "سوريا", ("سورية",))]


def test_formulas_are_written_so_a_spreadsheet_does_not_run_them():
    terms = [Term("=HYPERLINK(\"x\")", "+1", "term", ("-2",), ("@me",), "=note")]
    text = write_csv(terms)
    assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"x\"\")\",'+1,term,'-2,'@me,'=note"
    again = load_glossary(text.encode(), "g.csv")[0]
    assert (again.source, again.target, again.forbidden, again.variants, again.note) == (
        '=HYPERLINK("x")', "+1", ("-2",), ("@me",), "=note")


def test_export_to_tbx_is_read_back_by_translate_toolkit_and_by_us(tmp_path):
    from translate.storage.tbx import tbxfile

    from localize.checks.termbase import write_tbx

    house = load_glossary((ROOT / "glossaries/news.csv").read_bytes(), "news.csv")
    data = write_tbx(house)
    store = tbxfile.parsestring(data)
    pairs = {(unit.source, unit.target) for unit in store.units}
    for term in house:
        assert all((term.source, form) in pairs for form in (term.target, *term.variants, *term.forbidden) if form)
    again, skipped = read_tbx(data, "news.tbx")
    assert skipped == 0
    assert [(t.source, t.target, t.type, t.forbidden, t.variants, t.note) for t in again] == [
        (t.source, t.target, t.type, t.forbidden, t.variants, t.note) for t in house]


def test_tbx_v3_dct_style_elements():
    data = ("""<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
 xmlns:basic="http://www.tbxinfo.net/ns/basic"><text><body><conceptEntry id="c1">
 <langSec xml:lang="en"><termSec><term>Syria</term></termSec></langSec>
 <langSec xml:lang="ar"><termSec><term>سوريا</term></termSec>
 <termSec><term>سورية</term><basic:administrativeStatus>supersededTerm-admn-sts</basic:administrativeStatus></termSec>
 </langSec></conceptEntry></body></text></tbx>""")
    terms, _ = read_tbx(data.encode(), "dct.tbx")
    assert [(t.source, t.target, t.forbidden) for t in terms] == [("Syria", "سوريا", ("سورية",))]


def test_every_whole_word_occurrence_is_found_at_its_place():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    terms = index(Term("Iran", "إيران"), Term("IMIS", "IMIS", "dnt"), Term("Iraq war", "حرب العراق"))
    pieces = st.sampled_from(["Iran", "Iranian", "IMIS", "imis", "Iraq", "war", "wars", "Iraq-war", "é", "’s",
                              "Tehran", "Iran's", "xIran", "Iran2", "«", " ", ", ", ".", "\u00a0", "-", "_"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30))
    def check(parts):
        text = "".join(parts)
        found = terms.find(text)
        assert all(text[m.start:m.end] == m.text for m in found)
        assert [m.start for m in found] == sorted(m.start for m in found)
        iran = [m.start for m in found if m.term.source == "Iran"]
        import re
        assert iran == [w.start() for w in re.finditer(r"[^\W_]+", text) if w.group() in ("Iran", "Irans")]

    check()
