import hashlib
import io
import shutil
import subprocess

import polib
import pytest
from babel.messages.pofile import read_po

from conftest import FIXTURES, SAMPLE
from localize.readers import parse_article
from localize.catalog import build_catalog, parse_catalog, render
from localize.review import reviewed
from localize.errors import LocalizeError
from localize.segment import segment_article


def catalog(path=SAMPLE, previous=None, source="articles/iran-imis.txt"):
    article = parse_article(path.read_bytes(), path.name)
    return article, build_catalog(article, segment_article(article), source, previous)


def test_header_follows_the_conventions():
    article, po = catalog()
    metadata = po.metadata
    assert metadata["Language"] == "ar"
    # (Babel 2.19 writes "n == 0" where earlier versions wrote "n==0")
    assert metadata["Plural-Forms"].replace(" ", "").startswith("nplurals=6;plural=(n==0?0:n==1?1:n==2?2")
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["X-Generator"].startswith("localize ")
    assert metadata["X-Source-File"] == "articles/iran-imis.txt"
    assert metadata["X-Source-SHA256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()


def test_entries_in_article_order_title_first():
    article, po = catalog()
    segments = segment_article(article)
    assert [entry.msgid for entry in po] == [segment.source for segment in segments]
    assert po[0].msgid == article.title and "title" in po[0].comment
    assert len({entry.msgctxt for entry in po}) == len(po)
    assert po[2].occurrences == [("articles/iran-imis.txt", "7")]
    assert all(entry.msgstr == "" and "fuzzy" not in entry.flags for entry in po)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("name", ["iran-imis.txt", "article.md", "article.html", "wrapped.txt"])
def test_msgfmt_accepts_the_file(tmp_path, name):
    path = SAMPLE if name == "iran-imis.txt" else FIXTURES / name
    _, po = catalog(path)
    target = tmp_path / "out.po"
    target.write_text(render(po), encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def test_reads_back_with_polib_and_babel():
    _, po = catalog(FIXTURES / "article.md")
    text = render(po)
    again = polib.pofile(text)
    assert [(e.msgctxt, e.msgid) for e in again] == [(e.msgctxt, e.msgid) for e in po]
    babel_catalog = read_po(io.StringIO(text))
    assert babel_catalog.num_plurals == 6
    messages = [m for m in babel_catalog if m.id]
    assert [(m.context, m.id) for m in messages] == [(e.msgctxt, e.msgid) for e in po]


def test_placeholders_are_explained_to_the_reviewer():
    _, po = catalog(FIXTURES / "article.md")
    link_entry = next(e for e in po if "Popular Mobilisation" in e.msgid)
    assert "<1>...</1> link to https://example.org/pmf" in link_entry.comment.splitlines()
    plain = next(e for e in po if e.msgid == "It was a rare call.")
    assert "link to" not in plain.comment


def test_reviewed_work_is_carried_over_and_kept_when_english_is_gone():
    _, first = catalog()
    first[2].msgstr = "ترجمة راجعها المحرر"
    first[2].tcomment = "checked with the desk"
    first[3].msgstr = "مسودة"
    first[3].flags.append("fuzzy")
    gone = polib.POEntry(msgctxt="99.1", msgid="A sentence removed from the article.", msgstr="جملة")
    first.append(gone)
    _, second = catalog(previous=parse_catalog(render(first), "old.po"))
    kept = next(e for e in second if e.msgid == first[2].msgid)
    assert (kept.msgstr, kept.tcomment, reviewed(kept)) == (first[2].msgstr, "checked with the desk", True)
    draft = next(e for e in second if e.msgid == first[3].msgid)
    assert draft.msgstr == "مسودة" and "fuzzy" in draft.flags
    obsolete = [e for e in second if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [(gone.msgid, "جملة")]


@pytest.mark.parametrize("text,where,what", [
    ('msgid "unterminated\nmsgstr ""\n', "x.po:1", "unterminated string"),
    ('msgid "a"\nmsgstr "b"\nthis is not PO\n', "x.po:3", "unexpected text"),
    ('msgid "a"\nmsgstr "b\n', "x.po:2", "unterminated string"),
    ('#~ msgid "old\n', "x.po:1", "unterminated string"),
])
def test_invalid_po_is_an_error_naming_file_and_line(text, where, what):
    with pytest.raises(LocalizeError) as error:
        parse_catalog(text, "x.po")
    assert error.value.where == where and what in error.value.what


def test_duplicate_entries_are_refused():
    text = 'msgid ""\nmsgstr ""\n\nmsgctxt "1.1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "1.1"\nmsgid "a"\nmsgstr "c"\n'
    with pytest.raises(LocalizeError) as error:
        parse_catalog(text, "x.po")
    assert error.value.where == "x.po:8" and "duplicate entry" in error.value.what


def test_valid_po_with_escapes_and_obsolete_entries_is_accepted():
    text = ('msgid ""\nmsgstr ""\n"Language: ar\\n"\n\n#. note\n#, fuzzy\nmsgid "say \\"hi\\""\n'
            'msgstr "\u0642\u0644"\n\n#~ msgid "gone"\n#~ msgstr "\u0630\u0647\u0628"\n')
    po = parse_catalog(text, "x.po")
    assert [(e.msgid, e.obsolete) for e in po] == [('say "hi"', False), ("gone", True)]
