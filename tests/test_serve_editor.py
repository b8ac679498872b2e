"""The review page as an editor, at the HTTP level (Flask's test client): the new write APIs
(revoke an accepted issue, comments, bulk approval, publish) with the guards and the conflict
refusal every write has, the memory's concordance, what the page shows (placeholder chips,
history, accepted issues, comments, keys), the preview's own CSP, the check cache, and the
editions' fixes (a phone number's sign inside its isolate, the Arabic edition's <main>)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from localize.serve import create_app
from test_serve import client, csrf_of, desk, entry_key, page, save  # noqa: F401 (fixtures)

PO = "translations/ar/story.po"
IRAN = "Iran sent a delegation to Vienna on Monday."  # a fuzzy draft with a forbidden term (فارس)
VIENNA = "The talks resumed in Vienna."
LINK = "Read the <1>full plan</1> here."
REVIEWED = {  # a translation for each segment with no issue
    "Talks": "محادثات",
    "Iran talks resume <script>": "استئناف محادثات إيران",
    IRAN: "أرسلت إيران وفدا إلى فيينا يوم الاثنين.",
    LINK: "اقرأ <1>الخطة الكاملة</1> هنا.",
    VIENNA: "استؤنفت المحادثات في فيينا.",
}


@pytest.fixture
def sheet(client, desk):  # noqa: F811
    """(csrf, the page's HTML)."""
    html = page(client)
    return csrf_of(html.encode()), html


def call(client, csrf, action, data, headers=None, name="ar/story.po"):  # noqa: F811
    path = "/api/concordance" if action == "concordance" else f"/api/po/{name}/{action}"
    return client.post(path, json=data, headers={"X-CSRF-Token": csrf, **(headers or {})})


def on_disk(desk, msgid):  # noqa: F811
    return polib.pofile(str(desk / PO), wrapwidth=0).find(msgid)


def msgfmt_ok(desk) -> bool:  # noqa: F811
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(desk / PO)], capture_output=True).returncode == 0


def approve_all(client, csrf, html, texts=REVIEWED):  # noqa: F811
    po = polib.pofile(PO, wrapwidth=0)
    for msgid, text in texts.items():
        entry = po.find(msgid)
        response = save(client, csrf, entry_key(html, msgid), msgid, text, base=(entry.msgstr, "fuzzy" in entry.flags))
        assert response.status_code == 200, response.json
        assert response.json["issues"] == [], (msgid, response.json["issues"])


# -- revoke an accepted issue ---------------------------------------------------------------

def test_accept_then_revoke_an_issue(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    key, base = entry_key(html, IRAN), {"msgstr": on_disk(desk, IRAN).msgstr, "fuzzy": True}
    accepted = call(client, csrf, "ignore", {"msgctxt": key, "msgid": IRAN, "type": "forbidden-term", "term": "Iran"})
    assert accepted.status_code == 200 and accepted.json["ignores"] == ["ignore: forbidden-term Iran"]
    assert accepted.json["issues"] == []
    revoked = call(client, csrf, "unignore", {"msgctxt": key, "msgid": IRAN, "line": "ignore: forbidden-term Iran",
                                              "base": base})
    assert revoked.status_code == 200, revoked.json
    assert revoked.json["ignores"] == [] and [i["type"] for i in revoked.json["issues"]] == ["forbidden-term"]
    assert "ignore:" not in (on_disk(desk, IRAN).tcomment or "") and msgfmt_ok(desk)
    again = call(client, csrf, "unignore", {"msgctxt": key, "msgid": IRAN, "line": "ignore: forbidden-term Iran",
                                            "base": base})
    assert again.status_code == 409 and "no longer" in again.json["error"]


def test_revoke_refuses_an_entry_changed_since_the_page_loaded(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    key = entry_key(html, IRAN)
    call(client, csrf, "ignore", {"msgctxt": key, "msgid": IRAN, "type": "forbidden-term", "term": "Iran"})
    po = polib.pofile(str(desk / PO), wrapwidth=0)
    po.find(IRAN).msgstr = "من بويدت"
    po.save(str(desk / PO))
    refused = call(client, csrf, "unignore", {"msgctxt": key, "msgid": IRAN, "line": "ignore: forbidden-term Iran",
                                              "base": {"msgstr": "أرسلت فارس وفدا إلى فيينا يوم الاثنين.", "fuzzy": True}})
    assert refused.status_code == 409 and refused.json["theirs"] == {"msgstr": "من بويدت", "fuzzy": True}
    assert "ignore: forbidden-term Iran" in on_disk(desk, IRAN).tcomment


def test_accept_with_the_pages_base_refuses_an_entry_changed_elsewhere(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    po = polib.pofile(str(desk / PO), wrapwidth=0)
    po.find(IRAN).msgstr = "من بويدت"
    po.save(str(desk / PO))
    refused = call(client, csrf, "ignore", {"msgctxt": entry_key(html, IRAN), "msgid": IRAN, "type": "forbidden-term",
                                            "term": "Iran", "base": {"msgstr": "أرسلت فارس وفدا إلى فيينا يوم الاثنين.",
                                                                     "fuzzy": True}})
    assert refused.status_code == 409 and refused.json["theirs"] == {"msgstr": "من بويدت", "fuzzy": True}
    assert not on_disk(desk, IRAN).tcomment


@pytest.mark.parametrize("data", [
    {"line": "not an ignore line"},
    {"line": "ignore: x\x07"},
    {"line": "ignore: forbidden-term Iran", "base": {"msgstr": 1, "fuzzy": True}},
    {"line": "ignore: forbidden-term Iran", "base": None},
])
def test_revoke_refuses_a_bad_request(client, desk, sheet, data):  # noqa: F811
    csrf, html = sheet
    before = (desk / PO).read_bytes()
    body = {"msgctxt": entry_key(html, IRAN), "msgid": IRAN, "base": {"msgstr": "", "fuzzy": True}, **data}
    assert call(client, csrf, "unignore", body).status_code == 400
    assert (desk / PO).read_bytes() == before


# -- comments --------------------------------------------------------------------------------

def test_comments_are_the_translator_comment_and_keep_the_ignore_lines(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    key = entry_key(html, IRAN)
    draft = {"msgstr": on_disk(desk, IRAN).msgstr, "fuzzy": True}
    call(client, csrf, "ignore", {"msgctxt": key, "msgid": IRAN, "type": "forbidden-term", "term": "Iran"})
    saved = call(client, csrf, "comment", {"msgctxt": key, "msgid": IRAN, "notes": "  checked with the desk  \n"
                                           "ask Huda about the date\n\n", "base": {**draft, "notes": ""}})
    assert saved.status_code == 200, saved.json
    assert saved.json["notes"] == "  checked with the desk\nask Huda about the date"
    entry = on_disk(desk, IRAN)
    assert entry.tcomment.splitlines() == ["  checked with the desk", "ask Huda about the date",
                                           "ignore: forbidden-term Iran"]
    assert "fuzzy" in entry.flags and entry.msgstr == draft["msgstr"] and msgfmt_ok(desk)
    assert "ask Huda about the date" in page(client)  # shown to the next reviewer
    stale = call(client, csrf, "comment", {"msgctxt": key, "msgid": IRAN, "notes": "mine",
                                           "base": {**draft, "notes": ""}})  # another tab, loaded before
    assert stale.status_code == 409 and stale.json["theirs"]["notes"].endswith("ask Huda about the date")
    refused = call(client, csrf, "comment", {"msgctxt": key, "msgid": IRAN, "notes": "ignore: latin-word",
                                             "base": {**draft, "notes": saved.json["notes"]}})
    assert refused.status_code == 400 and "Accept" in refused.json["error"]
    assert on_disk(desk, IRAN).tcomment == entry.tcomment


def test_a_comment_refuses_a_translation_changed_elsewhere(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    path = desk / PO
    po = polib.pofile(str(path), wrapwidth=0)
    po.find(VIENNA).msgstr = "من بويدت"
    po.save(str(path))
    refused = call(client, csrf, "comment", {"msgctxt": entry_key(html, VIENNA), "msgid": VIENNA, "notes": "x",
                                             "base": {"msgstr": "", "fuzzy": False, "notes": ""}})
    assert refused.status_code == 409 and refused.json["theirs"]["msgstr"] == "من بويدت"
    assert not on_disk(desk, VIENNA).tcomment


# -- send back, history ----------------------------------------------------------------------

def test_send_back_and_the_history_on_the_page(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    key = entry_key(html, VIENNA)
    approved = save(client, csrf, key, VIENNA, REVIEWED[VIENNA])
    assert approved.json["approved"].startswith("Huda K. <huda@desk.example>, ")
    shown = page(client)
    assert "History: approved by Huda K. &lt;huda@desk.example&gt;, " in shown
    assert re.search(r'class="send-back">Send back to review</button>', shown)  # shown for a reviewed one
    back = client.post(f"/api/po/{PO[13:]}/save", json={"msgctxt": key, "msgid": VIENNA, "msgstr": REVIEWED[VIENNA],
                                                         "send_back": True, "base": {"msgstr": REVIEWED[VIENNA],
                                                                                     "fuzzy": False}},
                       headers={"X-CSRF-Token": csrf})
    assert back.status_code == 200 and back.json["state"] == "draft" and back.json["approved"] == ""
    entry = on_disk(desk, VIENNA)
    assert "fuzzy" in entry.flags and "approved:" not in entry.comment


# -- bulk approval ---------------------------------------------------------------------------

def bulk_item(html, msgid, msgstr, fuzzy=True):
    return {"msgctxt": entry_key(html, msgid), "msgid": msgid, "base": {"msgstr": msgstr, "fuzzy": fuzzy}}


def test_bulk_approval_takes_only_clean_unchanged_drafts(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    path = desk / PO
    po = polib.pofile(str(path), wrapwidth=0)
    for msgid in (VIENNA, LINK):  # two clean drafts; IRAN is a draft with a forbidden term; Talks is empty
        po.find(msgid).msgstr, po.find(msgid).flags = REVIEWED[msgid], ["fuzzy"]
    po.save(str(path))
    html = page(client)
    po.find(LINK).msgstr = "اقرأ <1>الخطة</1> هنا."  # changed in Poedit after the page loaded
    po.save(str(path))
    items = [bulk_item(html, VIENNA, REVIEWED[VIENNA]), bulk_item(html, LINK, REVIEWED[LINK]),
             bulk_item(html, IRAN, "أرسلت فارس وفدا إلى فيينا يوم الاثنين."), bulk_item(html, "Talks", "", False)]
    answer = call(client, csrf, "bulk-approve", {"entries": items})
    assert answer.status_code == 200, answer.json
    assert [item["msgctxt"] for item in answer.json["approved"]] == [items[0]["msgctxt"]]
    assert answer.json["approved"][0]["state"] == "reviewed"
    refused = {item["msgctxt"]: item for item in answer.json["refused"]}
    assert "changed elsewhere" in refused[items[1]["msgctxt"]]["reason"]
    assert refused[items[1]["msgctxt"]]["theirs"] == {"msgstr": "اقرأ <1>الخطة</1> هنا.", "fuzzy": True}
    assert "issues" in refused[items[2]["msgctxt"]]["reason"] and "empty" in refused[items[3]["msgctxt"]]["reason"]
    found = {entry.msgid: entry for entry in polib.pofile(str(path), wrapwidth=0)}
    assert "fuzzy" not in found[VIENNA].flags and found[VIENNA].comment.splitlines()[-1].startswith("approved: Huda")
    assert "fuzzy" in found[LINK].flags and "fuzzy" in found[IRAN].flags and found["Talks"].msgstr == ""
    assert msgfmt_ok(desk)


@pytest.mark.parametrize("data", [{}, {"entries": []}, {"entries": "x"}, {"entries": [5]},
                                  {"entries": [{"msgctxt": "3.1", "msgid": IRAN}]},
                                  {"entries": [{"msgctxt": "3.1", "msgid": IRAN, "base": {"msgstr": "", "fuzzy": 1}}]}])
def test_bulk_approval_refuses_a_bad_request(client, desk, sheet, data):  # noqa: F811
    before = (desk / PO).read_bytes()
    assert call(client, sheet[0], "bulk-approve", data).status_code == 400
    assert (desk / PO).read_bytes() == before


# -- the guards every new write has ----------------------------------------------------------

WRITES = [
    ("unignore", {"msgctxt": "3.1", "msgid": IRAN, "line": "ignore: forbidden-term Iran",
                  "base": {"msgstr": "", "fuzzy": True}}),
    ("comment", {"msgctxt": "3.1", "msgid": IRAN, "notes": "x", "base": {"msgstr": "", "fuzzy": True, "notes": ""}}),
    ("bulk-approve", {"entries": [{"msgctxt": "5.1", "msgid": VIENNA, "base": {"msgstr": "", "fuzzy": False}}]}),
    ("publish", {}),
]


@pytest.mark.parametrize("action, data", WRITES)
def test_every_new_write_needs_the_csrf_token_and_this_origin(client, desk, sheet, action, data):  # noqa: F811
    before = (desk / PO).read_bytes()
    for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "forged"}, {"Origin": "http://evil.example"},
                    {"Host": "evil.example", "Origin": "http://evil.example"}):
        response = call(client, sheet[0], action, data, headers=headers)
        assert response.status_code in (400, 403), (action, headers)
    assert (desk / PO).read_bytes() == before and not (desk / "editions").exists()


@pytest.mark.parametrize("action, data", WRITES[:3])
def test_every_new_write_waits_for_the_folder_lock(client, desk, sheet, monkeypatch, action, data):  # noqa: F811
    from localize import serve
    from localize.files import lock_folder

    monkeypatch.setattr(serve, "LOCK_WAIT", 0.2)
    before = (desk / PO).read_bytes()
    with lock_folder("translations"):
        refused = call(client, sheet[0], action, data)
    assert refused.status_code == 503 and "nothing was saved" in refused.json["error"]
    assert (desk / PO).read_bytes() == before


@pytest.mark.parametrize("action, data", WRITES[:2])
def test_every_new_write_refuses_an_entry_no_longer_there(client, desk, sheet, action, data):  # noqa: F811
    response = call(client, sheet[0], action, {**data, "msgid": "Not in the article."})
    assert response.status_code == 409 and "no longer in the PO" in response.json["error"]


def test_a_control_character_in_a_comment_is_refused(client, desk, sheet):  # noqa: F811
    before = (desk / PO).read_bytes()
    for char in ("\x00", "\x1b", "\u2028", "\x85"):
        data = {**WRITES[1][1], "notes": f"note{char}"}
        assert call(client, sheet[0], "comment", data).status_code == 400
    assert (desk / PO).read_bytes() == before


# -- publish ---------------------------------------------------------------------------------

def test_publish_says_what_holds_it_back_then_writes_the_editions(client, desk, sheet, run):  # noqa: F811
    csrf, html = sheet
    held = call(client, csrf, "publish", {})
    assert held.status_code == 409 and held.json["files"] == [] and "not published" in held.json["error"]
    assert {hold["msgid"] for hold in held.json["held"]} == set(REVIEWED)
    assert not (desk / "editions").exists()
    approve_all(client, csrf, html)
    published = call(client, csrf, "publish", {})
    assert published.status_code == 200, published.json
    assert published.json["files"] == ["editions/story.ar.html", "editions/story.bilingual.html"]
    pages = {name: (desk / name).read_text(encoding="utf-8") for name in published.json["files"]}
    assert "<main>" in pages["editions/story.ar.html"] and 'class="draft-banner"' not in pages["editions/story.ar.html"]
    for name in published.json["files"]:
        (desk / name).unlink()
    assert run("publish", "--format", "html", "--format", "bilingual", PO).exit_code == 0  # the command: the same
    assert {name: (desk / name).read_text(encoding="utf-8") for name in pages} == pages


def test_publish_into_a_file_is_a_one_line_422(client, desk, sheet):  # noqa: F811
    approve_all(client, sheet[0], sheet[1])
    (desk / "editions").write_text("a file", encoding="utf-8")
    refused = call(client, sheet[0], "publish", {})
    assert refused.status_code == 422 and "not a folder" in refused.json["error"]


def test_the_arabic_edition_keeps_a_phone_numbers_sign_in_its_isolate(client, desk, sheet, run):  # noqa: F811
    csrf, html = sheet
    texts = {**REVIEWED, VIENNA: "استؤنفت المحادثات في فيينا، اتصل على +964 770 123 4567."}
    approve_all(client, csrf, html, texts)
    assert run("publish", PO).exit_code == 0
    edition = (desk / "editions/story.ar.html").read_text(encoding="utf-8")
    assert '<bdi dir="ltr">+964 770 123 4567</bdi>' in edition
    assert edition.count("<main>") == 1 and "</article>\n</main>" in edition


# -- concordance -----------------------------------------------------------------------------

def test_concordance_searches_the_memory_in_english_and_arabic(client, desk, sheet, run):  # noqa: F811
    csrf, html = sheet
    approve_all(client, csrf, html)
    by_english = call(client, csrf, "concordance", {"query": "  delegation   to "})
    assert by_english.status_code == 200 and by_english.json["query"] == "delegation to"
    assert [unit["target"] for unit in by_english.json["results"]] == [REVIEWED[IRAN]]
    assert "story.po" in by_english.json["results"][0]["origin"]
    by_arabic = call(client, csrf, "concordance", {"query": "فيينا"})
    assert {unit["source"] for unit in by_arabic.json["results"]} == {IRAN, VIENNA}
    assert call(client, csrf, "concordance", {"query": "100%_"}).json["results"] == []  # no wildcards
    assert call(client, csrf, "concordance", {"query": "x"}).status_code == 400
    assert call(client, "forged", "concordance", {"query": "Vienna"}).status_code == 403


# -- the page --------------------------------------------------------------------------------

def test_the_page_shows_what_placeholders_stand_for_and_the_editors_tools(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    assert re.search(r'data-insert="&lt;1&gt;" data-what="link to https://example.org/plan".*?<bdi dir="ltr" '
                     r'class="tag">&lt;1&gt;</bdi> <span class="what">link to https://example.org/plan</span>', html)
    assert 'data-insert="&lt;/1&gt;" data-what="end of link"' in html
    for text in ('id="search"', 'id="issue-type"', '<option value="forbidden-term">', 'id="bulk-approve"',
                 'id="concordance-query"', '<dialog id="keys"', "Ctrl+Enter", "Ctrl+Z", "Ctrl+Shift+Z, Ctrl+Y",
                 'class="note"', 'class="save-note"'):
        assert text in html, text
    key = entry_key(html, IRAN)
    call(client, csrf, "ignore", {"msgctxt": key, "msgid": IRAN, "type": "forbidden-term", "term": "Iran"})
    shown = page(client)
    assert 'accepted: <span class="line">forbidden-term Iran</span> <button type="button" class="revoke" ' \
           'data-line="ignore: forbidden-term Iran">Revoke</button>' in shown
    assert 'data-base-notes=""' in shown and 'class="publish" hidden' in shown


def test_an_approval_with_open_issues_is_shown_as_reviewed_with_issues(client, desk, sheet):  # noqa: F811
    csrf, html = sheet
    response = save(client, csrf, entry_key(html, VIENNA), VIENNA, "استؤنفت المحادثات.")  # Vienna missing
    assert response.status_code == 200 and response.json["state"] == "reviewed" and response.json["blocking"]
    shown = page(client)
    assert re.search(r'class="entry state-reviewed has-issues has-blocking"[^>]*data-msgid="The talks resumed', shown)
    assert '<span class="badge">reviewed with issues</span>' in shown


def test_the_index_labels_every_number_for_a_phone(client):  # noqa: F811
    html = page(client, "/")
    for label in ("Reviewed", "Drafts", "Untranslated", "Issues", "Source"):
        assert f'<span class="label" aria-hidden="true">{label} </span>' in html
        assert f'<th scope="col">{label}</th>' in html


def test_the_preview_keeps_its_own_policy_and_pages_keep_the_apps(client):  # noqa: F811
    preview = client.get("/po/ar/story.po/preview")
    policy = preview.headers["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
    for path in ("/", "/po/ar/story.po", "/static/serve.js", "/po/ar/nothing.po"):
        assert "script-src 'self'" in client.get(path).headers["Content-Security-Policy"], path


def test_the_scripts_are_served_as_modules_and_revalidated(client):  # noqa: F811
    from localize.serve.pages import SCRIPTS

    html = page(client)
    assert '<script type="module" src="/static/serve.js"></script>' in html
    for name in SCRIPTS:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.mimetype == "application/javascript"
        again = client.get(f"/static/{name}", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
        imported = re.findall(r'from "\./([\w-]+\.js)"', response.get_data(as_text=True))
        assert set(imported) <= set(SCRIPTS), name  # every module it imports is served


# -- the check cache -------------------------------------------------------------------------

def test_check_results_are_cached_by_text_and_comment(client, desk, sheet):  # noqa: F811
    from localize.serve.state import EXTENSION

    csrf, html = sheet
    finder = client.application.extensions[EXTENSION].finder()
    before = finder.cache.cache_info()
    page(client)
    after = finder.cache.cache_info()  # the second load checks nothing again: its entries' HTML is kept
    assert after.hits == before.hits and after.misses == before.misses
    key = entry_key(html, IRAN)
    accepted = call(client, csrf, "ignore", {"msgctxt": key, "msgid": IRAN, "type": "forbidden-term", "term": "Iran"})
    assert accepted.json["issues"] == []  # a new comment: checked again, not the cached answer
    assert 'data-type="forbidden-term"' not in page(client).split(f'id="e-{key}"')[1].split("</article>")[0]


def test_the_module_sizes_stay_small():
    folder = Path(sys.modules["localize.serve"].__file__).parent
    for path in [*folder.glob("*.py"), *(folder / "static").glob("*.js")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_a_fresh_app_serves_the_page(desk):  # noqa: F811
    assert create_app("translations").test_client().get("/po/ar/story.po").status_code == 200
