"""The PO tells the truth after review: approval on the page removes what spoke of the draft,
records who approved and when, and the next translate of an unchanged article changes nothing."""

import polib

from localize.review import ReviewEntry
from test_serve import client, csrf_of, desk, entry_key, page, save  # noqa: F401 (fixtures)


def test_approval_on_the_page_leaves_nothing_stale_and_a_rerun_changes_no_byte(client, desk, run):  # noqa: F811
    path = desk / "translations/ar/story.po"
    msgid = "Iran sent a delegation to Vienna on Monday."
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(msgid)
    entry.previous_msgid = "Iran sent a delegation on Monday."
    entry.comment += "\ndraft: machine translation, test [text 00000000]\nissue: forbidden-term: Iran (found فارس)" \
        "\nmemory 80%: Iran sent a delegation. = أرسلت إيران وفدا."
    po.save(str(path))
    html = page(client)
    response = save(client, csrf_of(html.encode()), entry_key(html, msgid), msgid,
                    "أرسلت إيران وفدا إلى فيينا يوم الاثنين.", base=(entry.msgstr, True))
    assert response.status_code == 200, response.json
    approved = polib.pofile(str(path), wrapwidth=0).find(msgid)
    assert "fuzzy" not in approved.flags and approved.previous_msgid is None
    lines = approved.comment.splitlines()
    assert not [line for line in lines if line.startswith(("draft:", "issue:", "memory "))]
    assert lines[-1].startswith("approved: Huda K. <huda@desk.example>, ") and lines[-1].endswith(" UTC")
    assert "#| msgid" not in path.read_text(encoding="utf-8").split(msgid)[0].rsplit("\n\n", 1)[-1]
    before = path.read_bytes()
    assert run("translate", "--no-mt", "story.html").exit_code == 0
    assert path.read_bytes() == before  # the approval is what translate would write: nothing to rewrite


def test_approve_and_send_back():
    entry = polib.POEntry(msgid="Iran spoke.", msgstr="تحدثت إيران.", flags=["fuzzy"], previous_msgid="Iran said.",
                          comment="glossary: Iran = إيران [draft: missing]\ndraft: machine translation, x [text 1]\n"
                                  "continued origin\nissue: missing-term: Iran")
    ReviewEntry(entry).approve("Huda")
    assert entry.flags == [] and entry.previous_msgid is None
    assert entry.comment.splitlines()[0] == "glossary: Iran = إيران" and len(entry.comment.splitlines()) == 2
    ReviewEntry(entry).send_back()
    assert entry.flags == ["fuzzy"] and entry.comment == "glossary: Iran = إيران"
