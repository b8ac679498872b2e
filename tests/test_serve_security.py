"""``localize serve`` on a desk network: the Host header (DNS rebinding), Origin and
Referer on writes, the cap on request bodies (a real waitress server), text a PO
cannot hold, hostile JSON, and write and lock failures, each refused with nothing
written."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from localize.catalog import read_po

from localize.errors import LocalizeError
from localize.serve import MAX_BODY, create_app, host_rules, make_server
from test_serve import client, csrf_of, desk, entry_key, page, save  # noqa: F401 (fixtures)

PO = "translations/ar/story.po"
MSGID = "The talks resumed in Vienna."


@pytest.fixture
def sheet(client, desk):  # noqa: F811
    """The article page's CSRF token and the key of MSGID, and the PO's bytes on disk."""
    html = page(client)
    return csrf_of(html.encode()), entry_key(html, MSGID), (desk / PO).read_bytes()


def save_one(client, sheet, msgstr="استؤنفت المحادثات.", headers=None):  # noqa: F811
    csrf, key, _ = sheet
    data = json.dumps({"msgctxt": key, "msgid": MSGID, "msgstr": msgstr, "approve": True,
                       "base": {"msgstr": "", "fuzzy": False}})  # (\u escapes: a lone surrogate too)
    return client.post("/api/po/ar/story.po/save", data=data,
                       headers={"X-CSRF-Token": csrf, "Content-Type": "application/json", **(headers or {})})


def unchanged(desk, sheet) -> bool:  # noqa: F811
    return (desk / PO).read_bytes() == sheet[2]


# -- Host ---------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example",
                                  "127.0.0.1.nip.io", "", "[::1", "localhost:99999", "localhost:x",
                                  "local host", "::1"])
def test_a_foreign_host_header_is_refused_on_every_route(client, desk, sheet, host):  # noqa: F811
    for path in ("/", "/po/ar/story.po", "/po/ar/story.po/preview", "/static/serve.js", "/nothing"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, path
        assert b"--allowed-host" in response.data and sheet[0].encode() not in response.data
    refused = save_one(client, sheet, headers={"Host": host, "Origin": f"http://{host}"})
    assert refused.status_code == 400 and "host name" in refused.json["error"]
    assert unchanged(desk, sheet)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_served_by_default(client, host):  # noqa: F811
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_the_bound_address_and_the_names_given(desk):  # noqa: F811
    rules = host_rules("127.0.0.1", [("127.0.0.1", 8123)], ["review.desk.example", "proxy.example:443",
                                                              "fe80::1"])
    client = create_app("translations", hosts=rules).test_client()
    for host, status in [("127.0.0.1:8123", 200), ("localhost:8123", 200), ("[::1]:8123", 200),
                         ("[0:0::1]:8123", 200), ("localhost:8124", 400), ("127.0.0.1", 400),
                         ("review.desk.example", 200), ("review.desk.example:8123", 200),
                         ("proxy.example:443", 200), ("proxy.example:8123", 400), ("[fe80::1]:8123", 200),
                         ("evil.example:8123", 400), ("10.0.0.5:8123", 400)]:
        assert client.get("/", headers={"Host": host}).status_code == status, host
    everywhere = create_app("translations", hosts=host_rules("0.0.0.0", [("0.0.0.0", 8123)])).test_client()
    for host, status in [("192.168.1.20:8123", 200), ("[fd00::7]:8123", 200), ("localhost:8123", 200),
                         ("192.168.1.20:8000", 400), ("desk-pc:8123", 400), ("evil.example:8123", 400)]:
        assert everywhere.get("/", headers={"Host": host}).status_code == status, host
    named = host_rules("10.1.2.3", [("10.1.2.3", 8123)])
    assert ("10.1.2.3", 8123) in named and ("localhost", 8123) not in named
    with pytest.raises(LocalizeError, match="not a host name"):
        host_rules("127.0.0.1", [], ["evil example"])


# -- Origin and Referer ----------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"}, {"Origin": "null"}, {"Origin": ""}, {"Origin": "http://localhost:8000"},
    {"Origin": "http://localhost.evil.example"}, {"Origin": "ftp://localhost"}, {"Origin": "http://user@localhost"},
    {"Referer": "http://evil.example/attack.html"}, {"Referer": "http://127.0.0.1/po/ar/story.po"},
    {"Origin": "http://evil.example", "Referer": "http://localhost/po/ar/story.po"},
])
def test_a_write_from_another_origin_is_refused(client, desk, sheet, headers):  # noqa: F811
    refused = save_one(client, sheet, headers=headers)
    assert refused.status_code == 403 and "another site" in refused.json["error"]
    assert unchanged(desk, sheet)
    checked = client.post("/api/po/ar/story.po/check", json={"msgid": MSGID, "msgstr": "x"},
                          headers={"X-CSRF-Token": sheet[0], **headers})
    assert checked.status_code == 403


@pytest.mark.parametrize("headers", [
    {"Origin": "http://localhost"}, {"Origin": "https://localhost"}, {"Origin": "http://localhost:80"},
    {"Origin": "http://LOCALHOST"}, {"Referer": "http://localhost/po/ar/story.po"}, {},
])
def test_a_write_from_the_page_itself_is_saved(client, desk, sheet, headers):  # noqa: F811
    assert save_one(client, sheet, headers=headers).status_code == 200
    assert not unchanged(desk, sheet)


def test_the_page_lets_the_browser_send_its_own_origin(client):  # noqa: F811
    # under "no-referrer" a browser sends "Origin: null" with the page's own fetch POSTs
    assert client.get("/po/ar/story.po").headers["Referrer-Policy"] == "same-origin"


def test_the_origin_must_match_the_port_the_request_came_to(desk):  # noqa: F811
    client = create_app("translations", hosts=host_rules("127.0.0.1", [("127.0.0.1", 8123)])).test_client()
    html = client.get("/po/ar/story.po", headers={"Host": "127.0.0.1:8123"}).data
    sheet = (csrf_of(html), entry_key(html.decode(), MSGID), (desk / PO).read_bytes())
    refused = save_one(client, sheet, headers={"Host": "127.0.0.1:8123", "Origin": "http://127.0.0.1:9000"})
    assert refused.status_code == 403 and unchanged(desk, sheet)
    ok = save_one(client, sheet, headers={"Host": "127.0.0.1:8123", "Origin": "http://127.0.0.1:8123"})
    assert ok.status_code == 200, ok.json


# -- text a PO cannot hold, hostile JSON -----------------------------------------------------

@pytest.mark.parametrize("char", ["\x04", "\x00", "\r", "\x1b", "\x0b", "\x0c", "\x1c", "\x7f", "\x85", "\x9b",
                                  "\u2028", "\u2029", "\ud800"])
def test_a_control_character_is_refused(client, desk, sheet, char):  # noqa: F811
    refused = save_one(client, sheet, msgstr=f"استؤنفت{char}المحادثات.")
    assert refused.status_code == 400 and "control character" in refused.json["error"]
    assert unchanged(desk, sheet)
    other = "Iran sent a delegation to Vienna on Monday."
    html = page(client)
    ignored = client.post("/api/po/ar/story.po/ignore", data=json.dumps(
        {"msgctxt": entry_key(html, other), "msgid": other, "type": "forbidden-term", "term": f"Iran{char}"}),
        headers={"X-CSRF-Token": sheet[0], "Content-Type": "application/json"})
    assert ignored.status_code == 400 and unchanged(desk, sheet)


def test_text_is_kept_as_typed(client, desk, sheet):  # noqa: F811
    """Tabs, line breaks, no-break and narrow no-break spaces stay (a PO editor keeps them); the PO
    still reads back; only the spaces around the text go."""
    typed = "استؤنفت\tالمحادثات\nفي\u00a0فيينا\u202f\u2009يوم ١٠."
    saved = save_one(client, sheet, msgstr=f"  {typed}\n")
    assert saved.status_code == 200 and saved.json["msgstr"] == typed
    assert read_po(desk / "translations/ar/story.po").find("The talks resumed in Vienna.").msgstr == typed


@pytest.mark.parametrize("data", ["[" * 100000, '{"a":' * 100000, "[]", "1", '"text"', "null", "\xff{}",
                                  "1" * 10000])
@pytest.mark.parametrize("route", ["save", "ignore", "check"])
def test_hostile_json_is_a_400(client, desk, sheet, data, route):  # noqa: F811
    raw = data.encode("latin-1") if data.startswith("\xff") else data.encode()
    response = client.post(f"/api/po/ar/story.po/{route}", data=raw,
                           headers={"X-CSRF-Token": sheet[0], "Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON object" in response.json["error"]
    assert unchanged(desk, sheet)


def test_json_under_another_content_type_is_a_400(client, desk, sheet):  # noqa: F811
    response = client.post("/api/po/ar/story.po/save", data='{"msgctxt": "1.1"}',
                           headers={"X-CSRF-Token": sheet[0], "Content-Type": "text/plain"})
    assert response.status_code == 400 and unchanged(desk, sheet)


# -- write and lock failures -------------------------------------------------------------------

def test_a_write_failure_says_cannot_write(client, desk, sheet, monkeypatch):  # noqa: F811
    from localize import files

    def full_disk(path, text, expect=None):
        raise LocalizeError(str(path), "cannot write: No space left on device", "free some space")

    monkeypatch.setattr(files, "write_atomic", full_disk)
    refused = save_one(client, sheet)
    assert refused.status_code == 507
    assert refused.json["error"].startswith("cannot write ar/story.po; nothing was saved")
    assert "No space left on device" in refused.json["error"]
    assert unchanged(desk, sheet)


def test_a_lock_that_cannot_be_made_is_not_called_a_busy_run(client, desk, sheet, monkeypatch):  # noqa: F811
    from localize import files

    @contextlib.contextmanager
    def read_only(folder, **kwargs):
        raise LocalizeError(f"{folder}/.localize.lock", "cannot create the lock file: Permission denied",
                            "check the folder's permissions")
        yield

    monkeypatch.setattr(files, "lock_folder", read_only)
    started = time.monotonic()
    refused = save_one(client, sheet)
    assert time.monotonic() - started < 2  # not retried for LOCK_WAIT
    assert refused.status_code == 507 and refused.json["error"].startswith("cannot write")
    assert "Permission denied" in refused.json["error"] and "another localize run" not in refused.json["error"]
    assert unchanged(desk, sheet)


def test_a_po_saved_elsewhere_while_the_server_writes_is_kept(client, desk, sheet, monkeypatch):  # noqa: F811
    from localize import catalog

    rendered = catalog.render
    theirs = sheet[2].replace(b'msgid "The talks resumed in Vienna."\nmsgstr ""',
                              'msgid "The talks resumed in Vienna."\nmsgstr "من بويدت"'.encode())
    assert theirs != sheet[2]

    def meanwhile(po):  # Poedit saves (without the lock) between the server's read and its rename
        (desk / PO).write_bytes(theirs)
        return rendered(po)

    monkeypatch.setattr(catalog, "render", meanwhile)
    refused = save_one(client, sheet)
    assert refused.status_code == 409 and "nothing was saved" in refused.json["error"]
    assert (desk / PO).read_bytes() == theirs
    assert not list((desk / "translations/ar").glob(".*.tmp"))


# -- the body cap, on a real waitress server ---------------------------------------------------

@pytest.fixture
def waitress_server(desk, tmp_path, monkeypatch):  # noqa: F811
    """``localize serve``'s waitress server on 127.0.0.1, spooling bodies into a folder we see."""
    from waitress import buffers

    spool = tmp_path / "spool"
    spool.mkdir()
    made = iter(range(1 << 30))
    monkeypatch.setattr(buffers.TempfileBasedBuffer, "newfile",
                        lambda self: open(spool / f"body-{next(made)}", "w+b"))
    server = make_server(create_app("translations"), "127.0.0.1", 0)
    def run():
        with contextlib.suppress(OSError, ValueError):  # (waitress's loop, on the closed socket)
            server.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield int(server.effective_port), spool
    server.close()
    thread.join(10)


def spooled(spool) -> int:
    return sum(path.stat().st_size for path in spool.iterdir())


def raw_post(port: int, head: str, body_parts=(), then=()) -> bytes:
    """The status line of the answer to ``head`` and ``body_parts``; ``then``: more of the
    body, sent after the answer (the server may have closed by then)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode())
        for part in body_parts:
            connection.sendall(part)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
        with contextlib.suppress(OSError):
            for part in then:
                connection.sendall(part)
        return answer


def test_an_oversize_body_is_refused_before_it_is_spooled(waitress_server, desk):  # noqa: F811
    port, spool = waitress_server
    before = (desk / PO).read_bytes()
    head = (f"POST /api/po/ar/story.po/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n")
    answer = raw_post(port, head.format(200 << 20), then=[b"[" * (64 << 10)] * 64)  # 200 MiB announced
    assert answer.startswith(b"HTTP/1.1 413"), answer  # at once, and then 4 MiB of it are sent
    answer = raw_post(port, head.format(MAX_BODY + 1), then=[b"[" * (MAX_BODY + 1)])
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert spooled(spool) == 0
    chunked = (f"POST /api/po/ar/story.po/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    part = b"%x\r\n%s\r\n" % (64 << 10, b"[" * (64 << 10))
    answer = raw_post(port, chunked, [part] * 17, then=[part] * 64)  # no length: stopped once over the cap
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert spooled(spool) < 2 * MAX_BODY
    assert (desk / PO).read_bytes() == before
    # a body under the cap is read (and spooled, past waitress's 512 KiB in memory): the
    # measure above would have seen an oversize one
    answer = raw_post(port, head.format(MAX_BODY - 1000), [b" " * (MAX_BODY - 1000)])
    assert answer.startswith(b"HTTP/1.1 403"), answer  # (no CSRF token)
    assert spooled(spool) >= MAX_BODY - 1000


# -- the command -------------------------------------------------------------------------------

@pytest.mark.parametrize("args, what", [
    (["--token", ""], "Error: --token: is blank"), (["--token", "  \t"], "Error: --token: is blank"),
    (["--host", ""], "Error: --host: is blank"), (["--host", "  "], "Error: --host: is blank"),
    (["--host", "no such host!"], "Error: no such host!:0: cannot listen there"),
    (["--allowed-host", "evil example"], "Error: --allowed-host: 'evil example' is not a host name"),
])
def test_the_command_refuses_blank_or_bad_options_in_one_line(desk, run, args, what):  # noqa: F811
    result = run("serve", "--port", "0", *args)
    assert result.exit_code == 2 and result.stderr.startswith(what), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_the_command_answers_only_to_its_address_and_the_names_given(desk):  # noqa: F811
    assert "--allowed-host NAME" in subprocess.run([sys.executable, "-m", "localize", "serve", "--help"],
                                                   capture_output=True, text=True).stdout
    process = subprocess.Popen([sys.executable, "-m", "localize", "serve", "--port", "0",
                                "--allowed-host", "review.desk.example"],
                               cwd=desk, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        port = re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1)

        def status(host: str) -> int:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        assert status(f"127.0.0.1:{port}") == 200 and status(f"localhost:{port}") == 200
        assert status("review.desk.example") == 200 and status("review.desk.example:443") == 200
        assert status(f"rebound.evil.example:{port}") == 400 and status(f"localhost:{int(port) + 1}") == 400
    finally:
        process.terminate()
        process.wait(10)
