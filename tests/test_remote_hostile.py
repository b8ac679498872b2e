"""The LibreTranslate engine against servers (or what sits at --url) that answer badly: slowly,
with an hour's Retry-After, with redirects elsewhere, with HTML the server marked up, or with
bodies no LibreTranslate sends.  Each is a stand-in on 127.0.0.1 (``test_remote.Stand``);
what is checked is what the user sees: one line naming the server, or the draft."""

from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
import zlib

import pytest

from test_remote import Stand, ok, stand, status, write  # noqa: F401 (stand: a fixture)

KEY = "desk-secret-4242"
ARTICLE = "# Title here\n\nThe talks resumed.\n"  # two segments: one POST /translate of two texts



def translate(run, server, *args):
    return run("translate", "--engine", "libretranslate", "--url", server.url, "--concurrency", "1", *args, "a.md")


def one_line_error(result, server, start: str = "") -> str:
    """The error the user sees: exit 2, one line naming the server, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"Error: {server.url}: {start}"), result.stderr
    return result.stderr


def raw(payload: bytes, headers=(), code: int = 200):
    """A step answering ``payload`` as is (no JSON encoding), with ``headers``."""
    def step(handler, body):
        handler.send_response(code)
        handler.send_header("Content-Type", "application/json")
        names = {name.lower() for name, _ in headers}
        if "content-length" not in names:
            handler.send_header("Content-Length", str(len(payload)))
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)
    return step


# --- a whole-request deadline ------------------------------------------------------------------


def trickle(handler, body):
    """A valid answer, one byte every 0.1 s (each read is quick; the whole takes ~6 s)."""
    payload = b" " * 30 + b'{"translatedText": ["\\u062a\\u0631\\u062c\\u0645\\u0629", "x"]}'
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.flush()
    try:
        for byte in payload:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:  # the client hung up
        pass


def trickled_headers(handler, body):
    """The status line, then headers a byte at a time: no body is ever reached in time."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for byte in b"X-Slow: " + b"a" * 60 + b"\r\n":
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass
    handler.close_connection = True


@pytest.mark.parametrize("step", [trickle, trickled_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_at_the_timeout(stand, project, run, step):
    server = stand([step])
    write(project / "a.md", ARTICLE)
    started = time.monotonic()
    result = translate(run, server, "--timeout", "1.5")
    took = time.monotonic() - started
    one_line_error(result, server, "no complete answer to POST /translate within 1.5 s (raise --timeout")
    assert took < 3, took  # (each read was within the timeout: only a whole-request deadline stops it)
    assert len(server.requests) == 1  # no retry after the deadline
    assert not (project / "translations").exists()


def test_a_slow_but_timely_answer_is_read_whole(stand):
    def slow(handler, body):
        time.sleep(0.3)
        ok(handler, body)

    from localize.engines.remote import Remote

    drafts = Remote(stand([slow]).url, timeout=3).translate(["The talks resumed."])
    assert drafts[0].text == "ترجمة The talks resumed."


# --- Retry-After -------------------------------------------------------------------------------


def test_an_hour_of_retry_after_is_capped_and_said_once(stand, project, run, monkeypatch):
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "RETRY_AFTER_MOST", 0.3)
    server = stand([status(429, "Slowdown", [("Retry-After", "3600")]),
                    status(503, "busy", [("Retry-After", "3600")]), ok])
    write(project / "a.md", ARTICLE)
    started = time.monotonic()
    result = translate(run, server, "--timeout", "5")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 3
    assert len(server.requests) == 3
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: LibreTranslate at {server.url} asked to wait 3600 s before trying again "
                        "(Retry-After); waiting 0.3 s at most"]
    assert "ترجمة The talks resumed." in (project / "translations/ar/a.po").read_text(encoding="utf-8")


def test_a_retry_after_past_the_deadline_is_one_line_at_once(stand, project, run):
    server = stand([status(429, "Slowdown", [("Retry-After", "3600")])])
    write(project / "a.md", ARTICLE)
    started = time.monotonic()
    result = translate(run, server, "--timeout", "2")
    message = one_line_error(result, server, "too many requests (Slowdown); it asks to wait 3600 s (Retry-After)")
    assert time.monotonic() - started < 1.5 and len(server.requests) == 1, message


# --- redirects: the API key goes to --url only ---------------------------------------------------


class Listener:
    """A TCP port on 127.0.0.1 that keeps every byte sent to it (and answers nothing)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port, self.received, self.connections = self.sock.getsockname()[1], b"", 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            connection.settimeout(0.5)
            try:
                while chunk := connection.recv(65536):
                    self.received += chunk
            except OSError:
                pass
            connection.close()

    def close(self):
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    made = Listener()
    yield made
    made.close()


@pytest.mark.parametrize("code", [307, 308, 302, 301])
def test_a_redirect_elsewhere_is_refused_and_never_gets_the_key(stand, project, run, listener, code):
    elsewhere = f"http://127.0.0.1:{listener.port}/translate"
    server = stand([raw(b"", [("Location", elsewhere)], code=code)])
    write(project / "a.md", ARTICLE)
    result = translate(run, server, "--api-key", KEY)
    message = one_line_error(result, server, f"POST /translate answered a redirect (HTTP {code}) to {elsewhere}, "
                                             "not followed")
    assert "pass it as --url" in message and KEY not in result.output
    assert server.requests[0]["api_key"] == KEY  # (the server at --url did get it)
    time.sleep(0.2)
    assert listener.connections == 0 and KEY.encode() not in listener.received


def test_a_redirect_of_the_first_request_names_where_without_credentials(stand, project, run, listener):
    server = stand()
    location = f"http://desk:hunter2@127.0.0.1:{listener.port}/lt/languages?token=abc"

    def redirect_all_gets(handler):
        handler.send_response(301)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server.server.RequestHandlerClass.do_GET = redirect_all_gets
    write(project / "a.md", ARTICLE)
    result = translate(run, server)
    message = one_line_error(result, server, "GET /languages answered a redirect (HTTP 301) to "
                                             f"http://127.0.0.1:{listener.port}/lt/languages, not followed")
    assert "hunter2" not in message and "token" not in message
    assert listener.connections == 0


# --- the HTML path -----------------------------------------------------------------------------

SOURCE = "Prices rose 12 percent in Vienna & Graz."  # "12" is protected: ⦅1⦆ as text, <x id="1"/> as HTML


def loses_masks(handler, body):
    handler.reply(200, {"translatedText": ["ارتفعت الأسعار في فيينا" for _ in body["q"]]})


def html_answer(text):
    def step(handler, body):
        assert body["format"] == "html" and body["q"] == ['Prices rose <x id="1"/> percent in Vienna &amp; Graz.']
        handler.reply(200, {"translatedText": [text]})
    return step


@pytest.mark.parametrize("answer", [
    'ارتفعت الأسعار <x id="1"></x> بالمئة في فيينا &amp; غراتس.',  # entities, as the HTML path answers
    '<p><b>ارتفعت</b> الأسعار <span class="t"><x id="1"></x></span> بالمئة في <i>فيينا</i> &amp; غراتس.</p>',
    '<html><body><div>ارتفعت الأسعار <X ID=\'1\'/> بالمئة في فيينا &#38; غراتس.</div></body></html>',
], ids=["entities", "added-markup", "document"])
def test_html_answers_are_text_with_the_items_back(stand, answer):
    from localize.engines.remote import Remote

    server = stand([loses_masks, html_answer(answer)])
    draft = Remote(server.url, backoff=0.01).translate([SOURCE])[0]
    assert draft.text == "ارتفعت الأسعار 12 بالمئة في فيينا & غراتس."
    assert not draft.issues  # the number came back, once


@pytest.mark.parametrize("echo", [
    'Prices rose <x id="1"></x> percent in Vienna &amp; Graz.',
    '<p>Prices rose <x id="1"/> percent in Vienna &amp; Graz.</p>',
], ids=["as-sent", "wrapped"])
def test_an_html_answer_that_is_the_english_echoed_is_no_draft(stand, project, run, echo):
    server = stand([loses_masks, html_answer(echo)])
    write(project / "a.md", f"# Prices\n\n{SOURCE}\n")
    result = translate(run, server)
    assert result.exit_code == 0, result.output
    assert "gave no translation for 1 segment" in result.stderr
    po = (project / "translations/ar/a.po").read_text(encoding="utf-8")
    assert f'msgid "{SOURCE}"\nmsgstr ""' in po and "&amp" not in po


# --- answers no LibreTranslate sends: one line each ---------------------------------------------


@functools.cache
def bomb(kind: str) -> bytes:
    """200 MiB of zeros, compressed to a few hundred KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}[kind])
    block = b"\0" * 2**20
    return b"".join(packer.compress(block) for _ in range(200)) + packer.flush()


def nested(depth: int) -> bytes:
    return b'{"translatedText": ' + b"[" * depth + b"]" * depth + b"}"


ANSWER = '{"translatedText": ["ترجمة واحدة", "ترجمة ثانية"]}'
EN_AR = [{"code": "en", "name": "English", "targets": ["ar"]}, {"code": "ar", "name": "Arabic", "targets": ["en"]}]


@pytest.mark.parametrize("plan, languages, message", [
    ([raw(b'{"translatedText": ["\\ud800", "b"]}')], None, "POST /translate answered JSON with a lone surrogate"),
    ([ok], [{"code": ["en", "ar"], "name": "English"}], "GET /languages did not answer a list of languages"),
    ([ok], {"code": "en"}, "GET /languages did not answer a list of languages"),
    ([ok], [{"code": "en", "targets": "ar"}, {"code": "ar"}], "GET /languages did not answer a list of languages"),
    ([raw(nested(100_000))], None, "POST /translate answered JSON nested more than 32 deep"),
    ([raw(nested(40))], None, "POST /translate answered JSON nested more than 32 deep"),
    ([raw(bomb("gzip"), [("Content-Encoding", "gzip")])], None,
     "POST /translate answered more than 64 MiB once decompressed"),
    ([raw(bomb("deflate"), [("Content-Encoding", "deflate")])], None,
     "POST /translate answered more than 64 MiB once decompressed"),
    ([raw(b"x", [("Content-Length", str(2**40))])], None, "POST /translate answered more than 64 MiB"),
    ([raw(b"not gzip at all", [("Content-Encoding", "gzip")])], None,
     "POST /translate answered a body that does not decode as gzip"),
    ([raw(gzip.compress(ANSWER.encode())[:-12], [("Content-Encoding", "gzip")])], None,
     "POST /translate answered a body that does not decode as gzip (the compressed answer ends early)"),
    ([raw(b"\x1b[31m", [("Content-Encoding", "br")])], None, "POST /translate answered in an encoding not asked for"),
    ([raw(ANSWER.encode("cp1256"))], None, "POST /translate answered a body that is not UTF-8"),
    ([raw(b'{"translatedText": "one string"}')], None, "POST /translate did not answer a list of translations"),
    ([raw(b'{"translatedText": [1, 2]}')], None, "POST /translate did not answer a list of translations"),
    ([raw(b'{"translatedText": {"a": "b"}}')], None, "POST /translate did not answer a list of translations"),
    ([raw(b'["a", "b"]')], None, "POST /translate did not answer a list of translations"),
    ([raw(b'{"translatedText": ["a", "b", "c"]}')], None, "answered 3 translations for 2 texts"),
    ([raw(b'{"error": "boom \\u001b[2J\\ud800\\u202e"}', code=400)], None,
     "POST /translate failed with HTTP 400: boom ?[2J??"),
], ids=["surrogate", "code-list", "languages-dict", "targets-string", "nested-deep", "nested-40", "gzip-bomb",
        "deflate-bomb", "huge-length", "bad-gzip", "cut-gzip", "brotli", "cp1256", "text-string", "text-numbers",
        "text-dict", "bare-list", "count", "control-characters"])
def test_odd_answers_are_one_line(stand, project, run, plan, languages, message):
    server = stand(plan, languages)
    write(project / "a.md", ARTICLE)
    started = time.monotonic()
    result = translate(run, server, "--api-key", KEY, "--timeout", "10")
    text = one_line_error(result, server)
    assert message in text, text
    assert KEY not in result.output and "\x1b" not in result.output
    assert time.monotonic() - started < 5
    assert not (project / "translations").exists()


@pytest.mark.parametrize("kind", ["gzip", "deflate", "raw-deflate"])
def test_compressed_answers_within_the_limit_are_read(stand, kind):
    from localize.engines.remote import Remote

    def answer(handler, body):
        payload = '{"translatedText": ["ترجمة"]}'.encode()
        if kind == "raw-deflate":  # (zlib's stream without its header, as some servers send "deflate")
            packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            data, coding = packer.compress(payload) + packer.flush(), "deflate"
        else:
            data, coding = (gzip.compress(payload) if kind == "gzip" else zlib.compress(payload)), kind
        raw(data, [("Content-Encoding", coding)])(handler, body)

    server = stand([answer])
    assert Remote(server.url).translate(["The talks resumed."])[0].text == "ترجمة"
