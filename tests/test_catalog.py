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


def _edited(rng, text, pieces, edits, inserts=0.4, cuts=0.7, cut=5, copy=40):
    """``text`` with ``edits`` random edits: a piece inserted (``inserts`` of them), up to ``cut`` characters
    cut (up to ``cuts``), or up to ``copy`` characters of the text copied elsewhere in it (the rest)."""
    chars = list(text)
    for _ in range(edits):
        at, what = rng.randrange(len(chars) + 1), rng.random()
        if what < inserts:
            chars[at:at] = rng.choice(pieces)
        elif what < cuts:
            del chars[at:at + rng.randint(1, cut)]
        else:
            chars[at:at] = chars[rng.randrange(len(chars) or 1):][:rng.randint(1, copy)]
    return "".join(chars)


def _as_polib_reads(text):
    """The entries as ``parse_catalog`` (polib) reads them, header left out; None if it refuses the file."""
    try:
        return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.tcomment, int(e.obsolete)) for e in parse_catalog(text, "x.po")]
    except LocalizeError:
        return None


def test_the_memory_reads_real_po_files_as_polib_does():
    """The memory index reads PO files without polib's parser where they are written as PO editors write them
    (``plain_entries``): 12 real Arabic PO files saved by ten tools (Pootle, Virtaal, KBabel, Lokalize, Poedit,
    Weblate, Launchpad, Transifex, Gtranslator, msgmerge: ``fixtures/po_real``), and 1,500 random edits of
    parts of them, are each read as polib reads them, or left to polib (which then refuses them or reads them)."""
    import gzip
    import random

    from localize.files import decode_text
    from localize.po_syntax import plain_entries

    def read(text):
        entries = plain_entries(text)
        return None if entries is None else [tuple(entry) for entry in entries]

    texts = [decode_text(gzip.decompress(path.read_bytes()), path.name, what="PO file")
             for path in sorted((FIXTURES / "po_real").glob("*.po.gz"))]
    assert len(texts) == 12
    taken = 0
    for text in texts:
        fast = read(text)
        if fast is not None:
            taken += 1
            assert fast == _as_polib_reads(text)
    assert taken >= 4  # (the others hold plural entries, which localize refuses, or a mixed line end)
    rng = random.Random(11)
    pieces = ['"', "\\", '\\"', "\\n", "\\q", "\n", "#", "# ", "#, fuzzy\n", "#,fuzzy\n", "#: a.c:1\n", "#. x\n",
              "#~ ", "#| ", "#~| ", "msgid ", "msgstr ", "msgctxt ", 'msgid ""\n', "msgstr[0] ", " ", "\t", "\r", "\n\n"]
    outcomes = {"read": 0, "left": 0}
    for _ in range(1500):
        entries = rng.choice(texts).split("\n\n")
        start = rng.randrange(len(entries))
        part = "\n\n".join(entries[start:start + rng.randint(1, 12)]) + "\n"
        edited = _edited(rng, part, pieces, rng.randint(0, 3), inserts=0.5, cuts=0.8, cut=8, copy=60)
        fast = read(edited)
        outcomes["left" if fast is None else "read"] += 1
        if fast is not None:
            assert fast == _as_polib_reads(edited), edited
    assert outcomes["read"] > 300 and outcomes["left"] > 150, outcomes


def test_the_whole_file_check_accepts_nothing_the_line_checks_refuse(monkeypatch):
    """A PO as polib and PO editors write it is checked by one match of the whole file (``_PLAIN``), not line by
    line: on 3,000 random edits of real PO text (this repository's sample PO, and one with every kind of line a PO
    editor writes), every file it accepts is one the line-by-line checks accept too."""
    import random

    from localize import po_syntax

    real = (FIXTURES.parent.parent / "translations/ar/iran-imis.po").read_text(encoding="utf-8")
    every = ('msgid ""\nmsgstr ""\n"Language: ar\\n"\n\n#. note\n#: a.txt:3\n#, fuzzy\n#| msgctxt "1.1"\n'
             '#| msgid "old"\nmsgctxt "1.1"\nmsgid ""\n"say \\"hi\\"\\n"\n"again"\nmsgstr "\u0642\u0644"\n"\\t"\n\n'
             '#~ msgctxt "2.1"\n#~ msgid "gone"\n#~ msgstr "\u0630\u0647\u0628"\n')
    for text in (real, every):
        checked = []
        monkeypatch.setattr(po_syntax, "_check_lines", lambda rows, where: checked.append(where))
        parse_catalog(text, "x.po")
        assert checked == []  # (the whole-file match took it: the test below is not vacuous)
        monkeypatch.undo()
    rng = random.Random(7)
    pieces = ['"', "\\", "\\q", "\x04", "\n", "#", "#~ ", "#| ", "msgid ", "msgstr ", "msgctxt ", "msgstr[0] ",
              "msgid_plural ", " ", '""', "\n\n", "#, fuzzy\n"]
    accepted = 0
    for _ in range(3000):
        edited = _edited(rng, rng.choice((real, every)), pieces, rng.randint(1, 3))
        if po_syntax._PLAIN.fullmatch(edited if edited.endswith("\n") else edited + "\n"):
            accepted += 1
            po_syntax._check_lines(po_syntax.lines(edited), "x.po")  # (raises if the two disagree)
    assert 300 < accepted < 2900  # (both sides taken: edits it accepts, edits it leaves to the line checks)
