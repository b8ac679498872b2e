"""The LibreTranslate engine: against a real LibreTranslate server (its PyPI package, in
``.lt-venv``, serving the random-weight package the MT tests build, offline), and contract
tests against a stand-in that answers as LibreTranslate's documented API does when things
go wrong (429, 5xx, a dropped connection, a wrong count, a server without en->ar)."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polib
import pytest

from ltserver import Server, free_port, lt_bin

KEY = "desk-secret-4242"


@pytest.fixture(scope="module")
def lt(argos_package, tmp_path_factory):
    """A real LibreTranslate with API keys on (a wrong key is refused, no key is allowed)."""
    if lt_bin() is None:
        if os.environ.get("LOCALIZE_REQUIRE_LIBRETRANSLATE"):
            pytest.fail("LibreTranslate is not installed (make lt-venv)")
        pytest.skip("LibreTranslate is not installed here (make lt-venv)")
    server = Server(argos_package, tmp_path_factory.mktemp("libretranslate"), api_keys=(KEY,))
    yield server
    server.stop()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


STORY = ("# Talks in Vienna\n\nIran said on Monday that 12 inspectors will visit https://example.org/plan.\n\n"
         "The talks resumed in Vienna.\n")
GLOSSARY = "source,target,type,forbidden,variants,note\nIran,إيران,term,,,\n"


def remote(lt, *args):
    return ["--engine", "libretranslate", "--url", lt.url, *args]


def entries(path: Path) -> dict:
    return {entry.msgid: entry for entry in polib.pofile(str(path))}


def test_translate_drafts_through_the_server_with_provenance_and_protected_items(project, run, lt):
    write(project / "glossaries/news.csv", GLOSSARY)
    write(project / "a.md", STORY)
    result = run("translate", *remote(lt), "--api-key", KEY, "a.md")
    assert result.exit_code == 0, result.output
    assert f"with LibreTranslate at {lt.url}" in result.stderr
    po = project / "translations/ar/a.po"
    text = po.read_text(encoding="utf-8")
    assert KEY not in text
    found = entries(po)
    sentence = found["Iran said on Monday that 12 inspectors will visit https://example.org/plan."]
    assert "fuzzy" in sentence.flags and sentence.msgstr
    assert f"draft: machine translation, LibreTranslate at {lt.url}, en->ar" in sentence.comment
    # numbers, URLs and bound glossary names come back whole, whatever the (random) model does
    for kept in ("12", "https://example.org/plan", "إيران"):
        assert kept in sentence.msgstr
    assert "missing-" not in sentence.comment  # no protected item lost (qa.kept)
    assert "glossary names kept: Iran" in sentence.comment
    assert all("fuzzy" in entry.flags for entry in found.values() if entry.msgstr)


def test_a_segment_that_is_only_a_glossary_name_gets_the_approved_arabic(project, run, lt):
    write(project / "glossaries/news.csv", GLOSSARY)
    write(project / "a.md", "# Iran\n\nIran.\n\nThe talks resumed in Vienna.\n")
    assert run("translate", *remote(lt), "--api-key", KEY, "a.md").exit_code == 0
    found = entries(project / "translations/ar/a.po")
    assert found["Iran"].msgstr == "إيران" and found["Iran."].msgstr == "إيران."
    assert "glossary names kept: Iran" in found["Iran."].comment


def test_memory_first_and_reviewed_work_kept(project, run, lt):
    write(project / "a.md", STORY)
    assert run("translate", "--no-mt", "a.md").exit_code == 0
    po = project / "translations/ar/a.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    reviewed = catalog.find("The talks resumed in Vienna.")
    reviewed.msgstr = "استؤنفت المحادثات في فيينا."
    catalog.save(str(po))
    write(project / "b.md", "# Other\n\nThe talks resumed in Vienna.\n\nA new sentence for the server.\n")
    result = run("translate", *remote(lt), "a.md", "b.md")
    assert result.exit_code == 0, result.output
    assert entries(po)["The talks resumed in Vienna."].msgstr == "استؤنفت المحادثات في فيينا."
    b = entries(project / "translations/ar/b.po")
    assert b["The talks resumed in Vienna."].msgstr == "استؤنفت المحادثات في فيينا."
    assert "translation memory, exact match" in b["The talks resumed in Vienna."].comment
    assert "LibreTranslate at" in b["A new sentence for the server."].comment


def test_a_wrong_key_is_one_line_and_nothing_is_written(project, run, lt, monkeypatch):
    write(project / "a.md", STORY)
    monkeypatch.setenv("LOCALIZE_API_KEY", "not-the-key")
    result = run("translate", *remote(lt), "a.md")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {lt.url}: the server refused the API key (403")
    assert result.stderr.count("\n") == 1 and "not-the-key" not in result.output
    assert not (project / "translations/ar/a.po").exists()


def test_batch_against_the_server_reports_no_key(project, run, lt, monkeypatch):
    for name in ("one", "two", "three"):
        write(project / f"incoming/{name}.md", f"# {name}\n\nThe {name} talks resumed on Monday.\n")
    monkeypatch.setenv("LOCALIZE_API_KEY", KEY)
    result = run("batch", "incoming", *remote(lt), "--concurrency", "2", "--report", "report.json")
    assert result.exit_code == 0, result.output
    report = (project / "report.json").read_text(encoding="utf-8")
    assert KEY not in report
    data = json.loads(report)
    assert data["run"]["options"]["engine"] == "libretranslate" and data["run"]["model"]["server"] == lt.url
    assert data["totals"]["machine_drafts"] == 6
    for name in ("one", "two", "three"):
        comment = entries(project / f"translations/ar/{name}.po")[f"The {name} talks resumed on Monday."].comment
        assert "LibreTranslate at" in comment


def test_shards_against_one_server_write_what_one_run_writes(tmp_path, lt):
    """Four shards (run at once, as an indexed job's pods) write the same POs as one run."""
    articles = {f"story-{n}.md": f"# Story {n}\n\nOfficials met {n} times in Vienna.\n\nIran said so.\n"
                for n in range(12)}

    def desk(name):
        root = tmp_path / name
        for file, text in articles.items():
            write(root / "incoming" / file, text)
        write(root / "localize.toml", f'engine = "libretranslate"\nurl = "{lt.url}"\n')
        return root

    command = [sys.executable, "-m", "localize", "batch", "incoming"]
    one = desk("one")
    assert subprocess.run(command, cwd=one, capture_output=True).returncode == 0
    sharded = desk("sharded")
    runs = [subprocess.Popen([*command, "--shard", f"{i}/4"], cwd=sharded, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for i in range(1, 5)]
    for process in runs:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()

    def pos(root):
        return {path.name: [line for line in path.read_text(encoding="utf-8").splitlines()
                            if "-Date:" not in line]  # (when it was written)
                for path in sorted((root / "translations/ar").glob("*.po"))}

    assert len(pos(one)) == 12 and pos(sharded) == pos(one)


def test_models_eval_scores_the_server(project, run, lt):
    write(project / "refs.tsv", "The talks resumed in Vienna.\tاستؤنفت المحادثات في فيينا.\n"
                                "Iran said on Monday.\tقالت إيران يوم الاثنين.\n")
    write(project / "glossaries/news.csv", GLOSSARY)
    result = run("models", "eval", "refs.tsv", *remote(lt), "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["engine"] == "libretranslate" and scores["model"] == f"LibreTranslate at {lt.url}"
    assert scores["segments"] == 2 and scores["names"] == 1 and scores["names_held"] == 1


def test_localize_toml_sets_the_engine_and_refuses_a_key(project, run, lt):
    write(project / "a.md", STORY)
    write(project / "localize.toml", f'engine = "libretranslate"\nurl = "{lt.url}"\n')
    result = run("translate", "a.md")
    assert result.exit_code == 0, result.output
    assert "LibreTranslate at" in (project / "translations/ar/a.po").read_text(encoding="utf-8")
    write(project / "localize.toml", f'engine = "libretranslate"\nurl = "{lt.url}"\napi_key = "{KEY}"\n')
    result = run("translate", "a.md")
    assert result.exit_code == 2 and result.stderr.startswith("Error: localize.toml:3: an API key does not belong")
    assert KEY not in result.output


# --- contract tests: what LibreTranslate answers when things go wrong ---------------------------


class Stand:
    """A stand-in LibreTranslate: /languages, /frontend/settings, and /translate answering from
    ``plan`` (a list of callables, one per request; the last one repeats)."""

    def __init__(self, plan=(), languages=None):
        self.plan, self.requests = list(plan), []
        self.languages = languages if languages is not None else [
            {"code": "en", "name": "English", "targets": ["ar", "en"]}, {"code": "ar", "name": "Arabic",
                                                                          "targets": ["ar"]}]
        stand = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/languages":
                    self.reply(200, stand.languages)
                elif self.path == "/frontend/settings":
                    self.reply(200, {"charLimit": 200, "apiKeys": False})
                else:
                    self.reply(404, {"error": "Not Found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand.requests.append(body)
                step = stand.plan[min(len(stand.requests), len(stand.plan)) - 1] if stand.plan else ok
                step(self, body)

            def reply(self, status, data, headers=()):
                payload = data if isinstance(data, bytes) else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def ok(handler, body):
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    handler.reply(200, {"translatedText": [f"ترجمة {text}" for text in texts]})


def status(code, error="", headers=()):
    return lambda handler, body: handler.reply(code, {"error": error} if error else b"oops", headers)


def dropped(handler, body):
    handler.close_connection = True
    handler.connection.shutdown(2)


@pytest.fixture
def stand():
    made = []

    def make(plan=(), languages=None):
        made.append(Stand(plan, languages))
        return made[-1]

    yield make
    for item in made:
        item.close()


def engine(url, **options):
    from localize.engines.remote import Remote

    return Remote(url, **{"backoff": 0.01, **options})


def test_retries_429_5xx_and_dropped_connections_then_succeeds(stand):
    server = stand([status(429, "Slowdown", [("Retry-After", "0")]), status(503, "busy"), dropped, ok])
    drafts = engine(server.url, concurrency=1).translate(["The talks resumed."])
    assert drafts[0].text == "ترجمة The talks resumed."
    assert len(server.requests) == 4


def test_many_segments_per_request_several_in_flight(stand):
    server = stand()
    sources = [f"Sentence number {word} here." for word in ("one", "two", "three", "four", "five", "six",
                                                           "seven", "eight", "nine", "ten")]
    drafts = engine(server.url, concurrency=3).translate(sources + sources[:2])
    assert [d.text for d in drafts] == [f"ترجمة {s}" for s in sources + sources[:2]]
    assert sorted(len(body["q"]) for body in server.requests) == [2, 4, 4]  # 10 distinct, 3 at once
    assert all(body["format"] == "text" and body["source"] == "en" and body["target"] == "ar"
               for body in server.requests)


def test_a_lost_placeholder_is_asked_again_as_html(stand):
    def loses_masks(handler, body):
        handler.reply(200, {"translatedText": ["ترجمة بلا رموز" for _ in body["q"]]})

    def tags_kept(handler, body):
        assert body["format"] == "html"
        handler.reply(200, {"translatedText": [html.unescape(text.replace('<x id="1"/>', '<x id="1"></x>'))
                                               .replace("visited", "زار") for text in body["q"]]})

    server = stand([loses_masks, tags_kept])
    draft = engine(server.url).translate(["Officials visited <1>Vienna</1> 12 times & more."])[0]
    # (a run without letters goes with the tag before it: the model is never given " " or "." alone)
    assert server.requests[1]["q"] == ['Officials visited <x id="1"/>Vienna<x id="2"/><x id="3"/> times &amp; more.']
    assert draft.text == "Officials زار <1>Vienna</1> 12 times & more." and not draft.issues


def test_the_batch_limit_is_learnt_from_the_refusal(stand):
    def limited(handler, body):
        if len(body["q"]) > 2:
            handler.reply(400, {"error": f"Invalid request: request ({len(body['q'])}) exceeds text limit (2)"})
        else:
            ok(handler, body)

    server = stand([limited])
    sources = [f"Line {word}." for word in ("one", "two", "three", "four", "five")]
    assert [d.text for d in engine(server.url, concurrency=1).translate(sources)] == [f"ترجمة {s}" for s in sources]


@pytest.mark.parametrize("plan, languages, message", [
    ([status(500, "Cannot translate text: boom")], None, "POST /translate failed with HTTP 500: Cannot translate"),
    ([lambda h, b: h.reply(200, {"translatedText": ["one"]})], None, "answered 1 translations for 2 texts"),
    ([lambda h, b: h.reply(200, b"<html>proxy</html>")], None, "did not answer JSON"),
    ([status(429, "Slowdown")], None, "too many requests, still refused after 5 retries"),
    ([ok], [{"code": "en", "name": "English", "targets": ["fr"]}], "the server does not translate en->ar"),
])
def test_server_failures_are_one_line(stand, project, run, monkeypatch, plan, languages, message):
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    server = stand(plan, languages)
    write(project / "a.md", "# Title here\n\nThe talks resumed.\n")
    result = run("translate", "--engine", "libretranslate", "--url", server.url, "--timeout", "5",
                 "--concurrency", "1", "a.md")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {server.url}: ") and message in result.stderr, result.stderr
    assert not (project / "translations").exists()


def test_unreachable_server_and_bad_urls_are_one_line(project, run):
    write(project / "a.md", "# Title here\n\nThe talks resumed.\n")
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run("translate", "--engine", "libretranslate", "--url", url, "a.md")
    assert result.exit_code == 2 and result.stderr == (f"Error: {url}: cannot reach the LibreTranslate server "
                                                       "(Connection refused) (start it, or check --url and the "
                                                       "network)\n")
    assert time.monotonic() - started < 5  # a typo is said at once
    for args, start in ((["--url", "ftp://host/"], "Error: --url ftp://host: not an http(s) address"),
                        ([], "Error: --url: the libretranslate engine needs the server's address")):
        result = run("translate", "--engine", "libretranslate", *args, "a.md")
        assert result.exit_code == 2 and result.stderr.startswith(start), result.stderr
    assert not (project / "translations").exists()


def test_credentials_in_the_url_never_reach_a_po(stand, project, run):
    server = stand()
    write(project / "a.md", "# Title here\n\nThe talks resumed.\n")
    with_user = server.url.replace("http://", "http://desk:hunter2@")
    result = run("translate", "--engine", "libretranslate", "--url", with_user, "a.md")
    assert result.exit_code == 0, result.output
    text = (project / "translations/ar/a.po").read_text(encoding="utf-8")
    assert "hunter2" not in text + result.output and f"LibreTranslate at {server.url}, en->ar" in text


def test_a_batch_whose_server_fails_mid_run_keeps_what_it_wrote_and_the_next_run_continues(stand, project, run,
                                                                                           monkeypatch):
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    for n in range(4):
        write(project / f"incoming/s{n}.md", f"# Story {n}\n\nThe talks resumed {n} times.\n")
    failing = stand([ok, status(500, "worker died")])
    result = run("batch", "incoming", "--engine", "libretranslate", "--url", failing.url, "--chunk", "1",
                 "--concurrency", "1")
    assert result.exit_code == 2 and result.stderr.count("Error") == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {failing.url}: POST /translate failed with HTTP 500: "
                                                     "worker died")
    written = sorted(path.name for path in (project / "translations/ar").glob("*.po"))
    assert written == ["s0.po"]
    before = (project / "translations/ar/s0.po").read_bytes()
    healthy = stand()
    result = run("batch", "incoming", "--engine", "libretranslate", "--url", healthy.url, "--chunk", "1")
    assert result.exit_code == 0, result.output
    assert "articles: 3 new, 0 updated, 1 unchanged, 0 failed" in result.stdout
    assert (project / "translations/ar/s0.po").read_bytes() == before


def test_a_dying_run_keeps_the_articles_it_finished_and_writes_its_report(stand, project, run, monkeypatch):
    """Six two-segment articles in one chunk, three requests of four segments (two articles each):
    the server answers two and dies. The four articles whose drafts came back are written, the
    report says what was done and what was not, exit 2."""
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    names = ["Ahmed", "Basma", "Carlos", "Dina", "Emre", "Farid"]  # (distinct texts: numbers are masked alike)
    for n, name in enumerate(names):
        write(project / f"incoming/s{n}.md", f"# Talks with {name}\n\nThe envoy met {name} on Monday.\n")
    server = stand([ok, ok, dropped])
    result = run("batch", "incoming", "--engine", "libretranslate", "--url", server.url, "--concurrency", "3",
                 "--timeout", "3", "--report", "report.json")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1].endswith("; the run stopped (4 articles written and kept; run again for "
                                                   "the rest)")
    written = sorted(path.name for path in (project / "translations/ar").glob("*.po"))
    assert len(written) == 4
    for name in written:  # complete: every segment has its draft
        po = polib.pofile(str(project / "translations/ar" / name))
        assert all(entry.msgstr.startswith("ترجمة") for entry in po)
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert "cannot reach the LibreTranslate server" in report["run"]["stopped"]
    assert report["totals"]["new"] == 4 and report["totals"]["failed"] == 2
    assert all("not drafted, the run stopped" in row["error"] for row in report["articles"] if row["status"] == "failed")
    healthy = stand()
    again = run("batch", "incoming", "--engine", "libretranslate", "--url", healthy.url)
    assert again.exit_code == 0 and "articles: 2 new, 0 updated, 4 unchanged, 0 failed" in again.stdout


def test_a_run_stopped_between_chunks_reports_the_rest_as_not_done(stand, project, run, monkeypatch):
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    for n, name in enumerate(["Ahmed", "Basma", "Carlos"]):
        write(project / f"incoming/s{n}.md", f"# Talks with {name}\n\nThe envoy met {name} on Monday.\n")
    server = stand([ok, status(500, "worker died")])
    result = run("batch", "incoming", "--engine", "libretranslate", "--url", server.url, "--chunk", "1",
                 "--concurrency", "1", "--timeout", "3", "--report", "report.json")
    assert result.exit_code == 2
    rows = {row["file"]: row for row in json.loads((project / "report.json").read_text(encoding="utf-8"))["articles"]}
    assert rows["incoming/s0.md"]["status"] == "new"
    assert "not drafted, the run stopped" in rows["incoming/s1.md"]["error"]
    assert "not done, the run stopped" in rows["incoming/s2.md"]["error"]


def test_a_pool_of_servers_shares_the_requests_and_survives_losing_one(stand, project, run, monkeypatch):
    """--url A --url B: requests go to both in turn; when A dies mid-run its requests go to B,
    it is said once, and every article gets its drafts."""
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    names = ["Ahmed", "Basma", "Carlos", "Dina", "Emre", "Farid", "Ghada", "Hana"]
    for n, name in enumerate(names):
        write(project / f"incoming/s{n}.md", f"# Talks with {name}\n\nThe envoy met {name} on Monday.\n")
    first, second = stand([ok, dropped]), stand()
    result = run("batch", "incoming", "--engine", "libretranslate", "--url", first.url, "--url", second.url,
                 "--chunk", "2", "--concurrency", "2", "--timeout", "3", "--report", "report.json")
    assert result.exit_code == 0, result.output
    assert len(first.requests) >= 1 and len(second.requests) >= 4  # both served; B took over
    warned = [line for line in result.stderr.splitlines() if "is left out for the rest of the run" in line]
    assert len(warned) == 1 and first.url in warned[0] and second.url in warned[0]
    for n in range(len(names)):
        po = polib.pofile(str(project / f"translations/ar/s{n}.po"))
        assert all(entry.msgstr.startswith("ترجمة") for entry in po)
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["options"]["url"] == f"{first.url}, {second.url}"


def test_a_pool_fails_only_when_every_server_fails_and_takes_commas_and_a_list(stand, project, run, monkeypatch):
    from localize.engines.remote import Remote

    monkeypatch.setattr(Remote, "BACKOFF", 0.01)
    write(project / "incoming/a.md", "# Talks with Ahmed\n\nThe envoy met Ahmed on Monday.\n")
    down, up = stand([dropped]), stand()
    gone = run("batch", "incoming", "--engine", "libretranslate", "--url", f"{down.url},{down.url}/x",
               "--timeout", "2")
    assert gone.exit_code == 2 and "cannot reach the LibreTranslate server" in gone.stderr
    (project / "localize.toml").write_text(f'engine = "libretranslate"\nurl = ["{down.url}", "{up.url}"]\n',
                                           encoding="utf-8")
    result = run("batch", "incoming", "--timeout", "2")
    assert result.exit_code == 0, result.output
    assert polib.pofile(str(project / "translations/ar/a.po"))[1].msgstr.startswith("ترجمة")
