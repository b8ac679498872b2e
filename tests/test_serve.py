"""``localize serve``: every route and error at the HTTP level (Flask's test client), the
save rules (lock, conflicts, what the PO keeps), and the command itself."""

from __future__ import annotations

import re
import socket
from html import escape
import subprocess
import sys
import time

import polib
import pytest

from localize.serve import create_app

ARTICLE = ("<html><head><title>Talks</title></head><body><article><h1>Iran talks resume &lt;script&gt;</h1>"
           "<p>Iran sent a delegation to Vienna on Monday.</p>"
           "<p>Read the <a href=\"https://example.org/plan\">full plan</a> here.</p>"
           "<p>The talks resumed in Vienna.</p></article></body></html>")
GLOSSARY = "source,target,type,forbidden,variants,note\nIran,إيران,term,فارس,,\nVienna,فيينا,term,,,\n"


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()


@pytest.fixture
def desk(project, run):
    (project / "glossaries").mkdir()
    (project / "glossaries/news.csv").write_text(GLOSSARY, encoding="utf-8")
    (project / "story.html").write_text(ARTICLE, encoding="utf-8")
    assert run("translate", "--no-mt", "story.html").exit_code == 0
    po_path = project / "translations/ar/story.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    po.find("Iran sent a delegation to Vienna on Monday.").msgstr = "أرسلت فارس وفدا إلى فيينا يوم الاثنين."
    po.find("Iran sent a delegation to Vienna on Monday.").flags.append("fuzzy")
    po.metadata["X-Desk-Field"] = "kept"  # a header field localize does not know
    po.save(str(po_path))
    return project


@pytest.fixture
def client(desk):
    app = create_app("translations", reviewer="Huda K. <huda@desk.example>", glossary_files=())
    return app.test_client()


def page(client, path="/po/ar/story.po"):
    response = client.get(path)
    assert response.status_code == 200, response.data
    return response.data.decode()


def save(client, csrf, key, msgid, msgstr, base=("", False), approve=True):
    return client.post("/api/po/ar/story.po/save", json={"msgctxt": key, "msgid": msgid, "msgstr": msgstr,
                                                          "approve": approve,
                                                          "base": {"msgstr": base[0], "fuzzy": base[1]}},
                       headers={"X-CSRF-Token": csrf})


def entry_key(html: str, msgid: str) -> str:
    return re.search(rf'data-key="([\d.]+)"\s+data-msgid="{re.escape(escape(msgid))}"', html).group(1)


def test_index_lists_articles_with_their_review_state(client):
    html = page(client, "/")
    assert 'href="/po/ar/story.po"' in html
    assert "0/5" in html and "source-unchanged" in html
    assert "<script>" not in html.replace('<script src="/static/serve.js" defer></script>', "")


def test_article_page_shows_english_arabic_terms_issues_and_placeholders(client):
    html = page(client)
    assert "</mark> talks resume &lt;script&gt;</p>" in html  # escaped, never markup
    assert 'lang="en" dir="ltr"' in html and '<textarea id="t-5.1" lang="ar" dir="rtl"' in html
    assert '<mark class="term" lang="en" title="Iran = إيران">Iran</mark>' in html
    assert 'Iran</span> = <bdi lang="ar" dir="rtl">إيران</bdi>' in html and "not: <bdi" in html
    assert 'data-insert="&lt;1&gt;"' in html and 'data-insert="&lt;/1&gt;"' in html  # placeholders at hand
    assert "forbidden-term: Iran (found فارس, use إيران)" in html
    assert 'data-term="Iran"' in html


def test_approve_writes_the_po_atomically_keeping_everything(client, desk):
    path = desk / "translations/ar/story.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.append(polib.POEntry(msgctxt="9.1", msgid="A sentence removed from the article.", msgstr="جملة حذفت.",
                            obsolete=True))
    po.find("Iran sent a delegation to Vienna on Monday.").previous_msgid = "Iran sent a delegation on Monday."
    po.find("Iran sent a delegation to Vienna on Monday.").tcomment = "checked with the desk"
    po.save(str(path))
    html = page(client)
    csrf = csrf_of(html.encode())
    before = polib.pofile(str(path), wrapwidth=0)
    key = entry_key(html, "The talks resumed in Vienna.")
    response = save(client, csrf, key, "The talks resumed in Vienna.", "  استؤنفت المحادثات\nفي فيينا.  ")
    assert response.status_code == 200, response.json
    assert response.json["state"] == "reviewed" and response.json["issues"] == []
    after = polib.pofile(str(path), wrapwidth=0)
    entry = after.find("The talks resumed in Vienna.")
    assert entry.msgstr == "استؤنفت المحادثات\nفي فيينا." and "fuzzy" not in entry.flags  # as typed, less the
    assert entry.comment.splitlines()[-1].startswith("approved: Huda K. <huda@desk.example>, ")  # spaces around
    assert after.metadata["Last-Translator"] == "Huda K. <huda@desk.example>"
    assert after.metadata["X-Desk-Field"] == "kept" and re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000",
                                                                    after.metadata["PO-Revision-Date"])
    assert len(before) == len(after)
    for old, new in zip(before, after):  # every other entry as it was, obsolete and #| ones too
        if old.msgid != entry.msgid:
            assert (old.msgstr, old.flags, old.comment, old.tcomment, old.occurrences, old.previous_msgid,
                    old.obsolete) == (new.msgstr, new.flags, new.comment, new.tcomment, new.occurrences,
                                      new.previous_msgid, new.obsolete)
    assert any(item.obsolete and item.msgstr == "جملة حذفت." for item in after)
    assert not list(path.parent.glob("*.tmp*"))


def test_a_save_while_a_batch_writes_is_refused_within_seconds(client, desk, monkeypatch):
    from localize import serve
    from localize.files import lock_folder

    monkeypatch.setattr(serve, "LOCK_WAIT", 0.3)

    html = page(client)
    msgid = "The talks resumed in Vienna."
    with lock_folder("translations"):
        refused = save(client, csrf_of(html.encode()), entry_key(html, msgid), msgid, "استؤنفت المحادثات.")
    assert refused.status_code == 503 and "nothing was saved" in refused.json["error"]
    assert polib.pofile(str(desk / "translations/ar/story.po")).find(msgid).msgstr == ""


def test_saves_at_the_same_moment_all_land(desk):
    from concurrent.futures import ThreadPoolExecutor

    app = create_app("translations")
    clients = [app.test_client() for _ in range(3)]
    html = page(clients[0])
    csrf = csrf_of(html.encode())
    msgids = ["Talks", "The talks resumed in Vienna.", "Read the <1>full plan</1> here."]
    for client in clients[1:]:
        page(client)
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda pair: save(pair[0], csrf, entry_key(html, pair[1]), pair[1], f"نص {pair[1].split()[0]}"),
                                zip(clients, msgids)))
    assert [result.status_code for result in results] == [200, 200, 200]
    found = entries_on_disk(desk)
    assert [found[msgid].msgstr for msgid in msgids] == [f"نص {msgid.split()[0]}" for msgid in msgids]


def entries_on_disk(desk) -> dict:
    return {entry.msgid: entry for entry in polib.pofile(str(desk / "translations/ar/story.po"))}


def test_two_browsers_on_one_article_never_lose_an_update(desk):
    app = create_app("translations", reviewer="A")
    first, second = app.test_client(), app.test_client()
    html_first, html_second = page(first), page(second)
    msgid = "The talks resumed in Vienna."
    key = entry_key(html_first, msgid)
    assert save(first, csrf_of(html_first.encode()), key, msgid, "استؤنفت المحادثات في فيينا.").status_code == 200
    refused = save(second, csrf_of(html_second.encode()), key, msgid, "عادت المحادثات في فيينا.")
    assert refused.status_code == 409 and "changed elsewhere" in refused.json["error"]
    assert refused.json["theirs"] == {"msgstr": "استؤنفت المحادثات في فيينا.", "fuzzy": False}
    other = "Iran sent a delegation to Vienna on Monday."  # another segment: saved, the first kept
    ok = save(second, csrf_of(html_second.encode()), entry_key(html_second, other), other,
              "أرسلت إيران وفدا إلى فيينا يوم الاثنين.", base=("أرسلت فارس وفدا إلى فيينا يوم الاثنين.", True))
    assert ok.status_code == 200, ok.json
    po = polib.pofile(str(desk / "translations/ar/story.po"))
    assert po.find(msgid).msgstr == "استؤنفت المحادثات في فيينا." and po.find(other).msgstr.startswith("أرسلت إيران")


def test_an_edit_made_in_poedit_since_the_page_loaded_is_not_overwritten(client, desk):
    html = page(client)
    path = desk / "translations/ar/story.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("The talks resumed in Vienna.").msgstr = "من بويدت"
    po.save(str(path))
    key = entry_key(html, "The talks resumed in Vienna.")
    refused = save(client, csrf_of(html.encode()), key, "The talks resumed in Vienna.", "من المتصفح")
    assert refused.status_code == 409 and refused.json["theirs"]["msgstr"] == "من بويدت"
    assert polib.pofile(str(path)).find("The talks resumed in Vienna.").msgstr == "من بويدت"


def test_live_check_and_accepting_an_issue_for_one_term(client, desk):
    html = page(client)
    csrf = csrf_of(html.encode())
    msgid = "Read the <1>full plan</1> here."
    checked = client.post("/api/po/ar/story.po/check", json={"msgid": msgid, "msgstr": "اقرأ الخطة الكاملة هنا."},
                          headers={"X-CSRF-Token": csrf})
    assert checked.status_code == 200
    assert {issue["type"] for issue in checked.json["issues"]} >= {"missing-placeholder"}
    other = "Iran sent a delegation to Vienna on Monday."
    key = entry_key(html, other)
    accepted = client.post("/api/po/ar/story.po/ignore", json={"msgctxt": key, "msgid": other,
                                                               "type": "forbidden-term", "term": "Iran"},
                           headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 200 and accepted.json["issues"] == []
    entry = polib.pofile(str(desk / "translations/ar/story.po")).find(other)
    assert "ignore: forbidden-term Iran" in entry.tcomment.splitlines()
    assert run_check(desk) == 0  # `localize check` reads the same line


def run_check(desk) -> int:
    return subprocess.run([sys.executable, "-m", "localize", "check", "translations/ar/story.po",
                           "--type", "forbidden-term"], cwd=desk, capture_output=True).returncode


def test_memory_suggestions_and_a_changed_english_sentence(desk, run):
    story = desk / "story.html"
    po_path = desk / "translations/ar/story.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    po.find("The talks resumed in Vienna.").msgstr = "استؤنفت المحادثات في فيينا."
    reviewed = po.find("Iran sent a delegation to Vienna on Monday.")
    reviewed.msgstr, reviewed.flags = "أرسلت إيران وفدا إلى فيينا يوم الاثنين.", []
    po.save(str(po_path))
    story.write_text(ARTICLE.replace("The talks resumed in Vienna.", "The talks resumed in Vienna today."),
                     encoding="utf-8")
    (desk / "other.html").write_text(ARTICLE.replace("Iran talks resume", "Other news").replace(
        "to Vienna on Monday", "to Geneva on Monday"), encoding="utf-8")
    assert run("translate", "--no-mt", "story.html", "other.html").exit_code == 0
    client = create_app("translations").test_client()
    html = page(client)
    assert re.search(r"English changed: The talks resumed in <del>Vienna.</del> <ins>Vienna today.</ins>", html)
    other = page(client, "/po/ar/other.po")
    assert re.search(r'<span class="score">\d\d%</span> <span lang="en">Iran sent a delegation to Vienna on '
                     r"Monday.</span>", other)
    assert 'data-text="أرسلت إيران وفدا إلى فيينا يوم الاثنين."' in other


def test_preview_is_the_bilingual_edition_with_the_draft_banner(client):
    html = page(client, "/po/ar/story.po/preview")
    assert 'class="draft-banner"' in html and "Iran talks resume &lt;script&gt;" in html


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("get", "/po/ar/nothing.po", {}, 404),
    ("get", "/po/../../../etc/passwd", {}, 404),
    ("get", "/po/ar/%2e%2e/%2e%2e/story.html", {}, 404),
    ("get", "/static/../serve.py", {}, 404),
    ("get", "/static/article.html", {}, 404),
    ("post", "/api/po/ar/story.po/save", {"data": "not json", "headers": {"Content-Type": "application/json"}}, 400),
    ("post", "/api/po/ar/story.po/save", {"json": {"msgctxt": "3.1", "msgid": "x", "msgstr": 5}}, 400),
    ("post", "/api/po/ar/story.po/save", {"json": {"msgctxt": "3.1", "msgid": "x", "msgstr": "a\x00"}}, 400),
    ("post", "/api/po/ar/story.po/save", {"json": {"msgctxt": "3.1", "msgid": "x", "msgstr": "a"}}, 400),  # no base
    ("post", "/api/po/ar/story.po/save", {"json": {"msgctxt": "3.1", "msgid": "x", "msgstr": "",
                                                   "approve": True, "base": {"msgstr": "", "fuzzy": False}}}, 400),
    ("post", "/api/po/ar/story.po/ignore", {"json": {"msgctxt": "3.1", "msgid": "x", "type": "nonsense",
                                                     "term": "Iran"}}, 400),
    ("post", "/api/po/ar/story.po/check", {"data": "x" * (2 << 20), "headers": {"Content-Type": "application/json"}},
     413),
])
def test_bad_requests_get_4xx_never_a_traceback(client, method, path, kwargs, status):
    csrf = csrf_of(page(client).encode())
    kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), "X-CSRF-Token": csrf}}
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert b"Traceback" not in response.data and b"File \"" not in response.data


def test_state_changes_need_the_csrf_token(client):
    page(client)
    for token in ({}, {"X-CSRF-Token": "forged"}):
        response = client.post("/api/po/ar/story.po/save", json={"msgctxt": "3.1"}, headers=token)
        assert response.status_code == 403 and "CSRF" in response.json["error"]


def test_a_token_guards_every_route_when_set(desk):
    client = create_app("translations", token="s3cret-token").test_client()
    assert client.get("/").status_code == 403
    assert client.get("/po/ar/story.po?token=wrong").status_code == 403
    assert client.get("/?token=s3cret-token").status_code == 200  # sets the cookie ...
    assert client.get("/po/ar/story.po").status_code == 200  # ... that later requests carry


def test_a_broken_po_is_a_4xx_page_not_a_crash(client, desk):
    (desk / "translations/ar/story.po").write_bytes(b"\x00\x01binary")
    response = client.get("/po/ar/story.po")
    assert response.status_code == 422 and b"binary" in response.data
    assert b"broken:" in client.get("/").data


def test_hostile_translations_are_escaped(client, desk):
    path = desk / "translations/ar/story.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("The talks resumed in Vienna.").msgstr = '</textarea><script>alert(1)</script><img src=x onerror=alert(2)>'
    po.save(str(path))
    html = page(client)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    response = client.get("/po/ar/story.po")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_command_refuses_a_busy_port_and_prints_a_token_off_loopback(desk, run):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", port)
        assert result.exit_code == 2 and result.stderr.startswith(f"Error: 127.0.0.1:{port}: cannot listen there")
        assert result.stderr.count("\n") == 1
    process = subprocess.Popen([sys.executable, "-m", "localize", "serve", "--host", "0.0.0.0", "--port", "0"],
                               cwd=desk, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://0\.0\.0\.0:(\d+)/\?token=([\w-]{20,})", line)
        assert match, line
        import urllib.error
        import urllib.request

        time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/", timeout=10)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/?token={match.group(2)}", timeout=10) as ok:
            assert ok.status == 200
    finally:
        process.terminate()
        process.wait(10)


def test_the_list_of_articles_comes_in_pages_with_a_filter(desk, client):
    story = desk / "translations/ar/story.po"
    for number in range(1, 131):  # 131 articles: two pages of 100
        (desk / f"translations/ar/wire-{number:03d}.po").write_bytes(story.read_bytes())
    (desk / "translations/ar/wire-broken.po").write_bytes(b"\x00binary")
    first = page(client, "/")
    assert first.count('href="/po/ar/') == 100 and "page 1 of 2" in first
    assert "132 articles" in first and 'rel="next" href="/?page=2&amp;q=&amp;show=all"' in first
    second = page(client, "/?page=2")
    assert second.count('href="/po/ar/') == 31 and "page 2 of 2" in second and 'rel="prev"' in second
    assert "broken: " in second  # the broken PO is listed, not hidden
    found = page(client, "/?q=wire-12")
    assert found.count('href="/po/ar/') == 10 and "10 of 132 shown" in found and "page 1 of" not in found
    broken = page(client, "/?show=broken")
    assert broken.count('class="broken"') == 1 and 'href="/po/ar/' not in broken
    assert client.get("/?show=everything").status_code == 400
    assert client.get("/?page=x").status_code == 400


def test_the_list_checks_again_only_what_changed(desk, client):
    import os

    from localize.serve.state import EXTENSION

    story = desk / "translations/ar/story.po"
    old = time.time_ns() - 60 * 10**9
    for path in (story, desk / "story.html"):
        os.utime(path, ns=(old, old))
    assert "0/5" in page(client, "/")
    cache = client.application.extensions[EXTENSION].status()
    computed = cache.computed
    page(client, "/")
    assert cache.computed == computed  # nothing changed: nothing checked again
    po = polib.pofile(str(story), wrapwidth=0)
    po.find("The talks resumed in Vienna.").msgstr = "استؤنفت المحادثات في فيينا."
    po.save(str(story))
    assert "1/5" in page(client, "/") and cache.computed == computed + 1


def test_an_article_page_looks_its_po_up_without_listing_the_folder(desk, client, monkeypatch):
    from localize.serve.state import ServeState

    monkeypatch.setattr(ServeState, "catalogs", lambda self: pytest.fail("listed every PO"))
    assert client.get("/po/ar/story.po").status_code == 200
    assert client.get("/po/ar/nothing.po").status_code == 404


@pytest.mark.parametrize("name", ["a" * 5000 + ".po", "ar/a%00b.po", "ar/x/" * 900 + "a.po", "ar/story.po/x.po"])
def test_a_name_the_file_system_refuses_is_a_404(client, name):
    assert client.get(f"/po/{name}").status_code == 404
