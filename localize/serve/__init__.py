"""``localize serve``: the review page, a small Flask application served by waitress.

Routes (``<po>`` is a PO's path below the translations folder, e.g.
``ar/iran-imis.po``; only POs found there are served, nothing else of the disk):

- ``GET /``: every article with its review state, as ``localize status``.
- ``GET /po/<po>``: the article page: segments by block, English beside an
  editable Arabic field, glossary terms, issues, provenance, memory suggestions,
  a word diff of a changed English sentence.
- ``GET /po/<po>/preview``: the bilingual edition (with the draft banner while
  unfinished, as ``publish --allow-draft``).
- ``POST /api/po/<po>/check``: the issues of a translation being typed.
- ``POST /api/po/<po>/save``: save one entry (``approve`` clears fuzzy).
- ``POST /api/po/<po>/ignore``: accept one issue of one term (``# ignore:``).

Saving takes the folder lock ``translate`` takes, reads the PO from disk, and
refuses (409, with the version on disk) to change an entry that changed since
the page was loaded; every other entry, comment and header field is kept.
State-changing requests need the page's CSRF token (header ``X-CSRF-Token``),
and an ``Origin`` (else ``Referer``), when sent, of this very server; on an
address other than loopback every request needs the access token.  Every
request must name, in ``Host``, an address the server listens on or a name the
operator gave (``--allowed-host``): a page of another site that a DNS trick
points at this server is refused before it can read anything (DNS rebinding).
A body over ``MAX_BODY`` is refused (413) by waitress before it is read.
"""

from __future__ import annotations

import contextlib
import difflib
import hmac
import ipaddress
import json
import re
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path

from localize.errors import LocalizeError, LockBusy
from localize.segment import TAG

KIND_NAMES = {"title": "title", "heading": "heading", "quote": "quote", "list item": "list item"}
MAX_BODY = 1 << 20  # a JSON request body: one entry's text, never more than this
LOCK_WAIT = 3.0  # seconds a save waits for the folder lock before saying who holds it
_PLACEHOLDER = re.compile(TAG)
ANY_IP = "*ip"  # a host rule's name: any IP address (the server listens on all of them)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Text that is written to a PO: no control character but tab and newline (they would make the
# PO unreadable, or be read back as something else), no line or paragraph separator, no lone
# surrogate (it cannot be written as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # in any text field


def create_app(root: str, reviewer: str = "", token: str | None = None, glossary_files=(), hosts=None):
    """The Flask application for the project whose translations folder is ``root``.

    ``hosts``: the ``Host`` headers it answers to, as ``host_rules`` makes them (the
    command sets ``app.config["LOCALIZE_HOSTS"]`` once it knows its port); None:
    the loopback names on any port."""
    from flask import Flask, abort, jsonify, make_response, render_template, request
    from werkzeug.exceptions import HTTPException

    app = Flask(__name__, template_folder="templates", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, JSON_AS_ASCII=False,
                      LOCALIZE_HOSTS=frozenset((name, None) for name in LOOPBACK_NAMES) if hosts is None
                      else frozenset(hosts))
    app.json.ensure_ascii = False
    folder = Path(root)
    csrf = secrets.token_urlsafe(32)
    state = {"index": None, "find": None}

    def terms():
        if state["index"] is None:
            from localize import pipeline

            state["index"] = pipeline.term_index(glossary_files, required=False)
        return state["index"]

    def finder():
        """``check``'s issue finder, built once (it gathers the glossary's do-not-translate words)."""
        if state["find"] is None:
            from localize import pipeline

            state["find"] = pipeline.issue_finder(terms())
        return state["find"]

    def catalogs() -> dict[str, Path]:
        from localize import pipeline

        return {path.relative_to(folder).as_posix(): path for path in pipeline.po_files([folder])} \
            if folder.is_dir() else {}

    def po_path(name: str) -> Path:
        path = catalogs().get(name)
        if path is None:
            abort(404, description=f"no PO {name} under {folder}")
        return path

    def load(name: str):
        from localize.catalog import read_po

        path = po_path(name)
        try:
            return path, read_po(path)
        except LocalizeError as error:
            abort(422, description=error.message)

    @app.before_request
    def guard():
        named = request.headers.get("Host", "")
        host = split_host(named)
        if host is None or not host_allowed(host, app.config["LOCALIZE_HOSTS"]):
            abort(400, description=f"this server does not answer to the host name {_shown(named)}: open the "
                  "address `localize serve` printed, or start it with --allowed-host NAME")
        if token is not None:
            given = request.args.get("token") or request.cookies.get("localize_token") or \
                request.headers.get("Authorization", "").removeprefix("token ")
            if not hmac.compare_digest(given.encode(), token.encode()):
                abort(403, description="a token is needed: open the URL `localize serve` printed")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            sender = origin if origin is not None else request.headers.get("Referer")
            if sender is not None and not same_origin(sender, host):
                abort(403, description="refused: this request came from another site (its "
                      f"{'Origin' if origin is not None else 'Referer'}), not from this review page")
            if not hmac.compare_digest(request.headers.get("X-CSRF-Token", "").encode(), csrf.encode()):
                abort(403, description="missing or wrong CSRF token: reload the page")

    @app.after_request
    def headers(response):
        if token is not None and request.args.get("token"):
            response.set_cookie("localize_token", token, httponly=True, samesite="Strict")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        # no Referer to other sites (the URL may hold the token); not "no-referrer": a browser then
        # sends "Origin: null" with the page's own saves, which guard() refuses
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith("/api/"):
            return jsonify(error=error.description), error.code
        return make_response(render_template("error.html", code=error.code, message=error.description),
                             error.code)

    @app.errorhandler(Exception)
    def crash(error):  # never a traceback page
        app.logger.exception("localize serve: %s", error)
        if request.path.startswith("/api/"):
            return jsonify(error="the server failed; see its log"), 500
        return make_response(render_template("error.html", code=500, message="the server failed; see its log"), 500)

    @app.get("/static/<name>")
    def static_file(name):
        files = {"serve.js": "application/javascript", "serve.css": "text/css"}
        if name not in files:
            abort(404)
        text = (Path(__file__).parent / "static" / name).read_text(encoding="utf-8")
        response = make_response(text)
        response.headers["Content-Type"] = f"{files[name]}; charset=utf-8"
        return response

    @app.get("/")
    def index():
        from localize import pipeline
        from localize.catalog import read_po

        rows = []
        for name, path in sorted(catalogs().items()):
            try:
                po = read_po(path)
            except LocalizeError as error:
                rows.append({"name": name, "broken": error.message})
                continue
            rows.append({"name": name, "title": _title(po), **pipeline.status_row(po, terms())})
        return render_template("index.html", rows=rows, folder=str(folder), csrf=csrf)

    @app.get("/po/<path:name>")
    def article(name):
        path, po = load(name)
        memory = _memory(folder)
        entries = [_entry_view(entry, terms(), finder(), memory) for entry in po if not entry.obsolete]
        blocks: list[dict] = []
        for view in entries:
            if not blocks or blocks[-1]["number"] != view["block"]:
                blocks.append({"number": view["block"], "kind": view["kind"], "entries": []})
            blocks[-1]["entries"].append(view)
        from localize.catalog import summary

        return render_template("article.html", name=name, title=_title(po), blocks=blocks, csrf=csrf,
                               summary=summary(po), source=po.metadata.get("X-Source-File", ""),
                               reviewer=reviewer)

    @app.get("/po/<path:name>/preview")
    def preview(name):
        from localize import pipeline
        from localize.publish import build_edition, render

        path = po_path(name)
        try:
            po, source_article, source = pipeline.load_translated_article(path)
            issues = sum(1 for hold in pipeline.unfinished(po, terms()) if hold.issue)
            edition = build_edition(source_article, po, source, issues=issues, allow_draft=True)
        except LocalizeError as error:
            abort(422, description=error.message)
        response = make_response(render(edition, "bilingual"))
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src *"
        return response

    def body() -> dict:
        if not request.is_json:
            abort(400, description="expected a JSON object (Content-Type: application/json)")
        try:  # (at most MAX_BODY bytes: MAX_CONTENT_LENGTH)
            data = json.loads(request.get_data(cache=False))
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            data = None
        if not isinstance(data, dict):
            abort(400, description="expected a JSON object")
        return data

    def text_field(data: dict, key: str, required: bool = True, written: bool = False) -> str:
        """``data[key]``, text; ``written``: text that goes into the PO as it is."""
        value = data.get(key, "" if not required else None)
        if not isinstance(value, str):
            abort(400, description=f"expected {key} as text")
        bad = (_CONTROL if written else _UNWRITABLE).search(value)
        if bad:
            abort(400, description=f"{key} holds a control character (U+{ord(bad.group()):04X}); "
                  "nothing was saved: remove it")
        return value

    @app.post("/api/po/<path:name>/check")
    def check(name):
        import polib

        po_path(name)
        data = body()
        entry = polib.POEntry(msgid=text_field(data, "msgid"), msgstr=text_field(data, "msgstr", written=True),
                              tcomment=text_field(data, "tcomment", required=False))
        return jsonify(issues=_issues(entry, finder()))

    @app.post("/api/po/<path:name>/save")
    def save(name):
        data = body()
        key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
        msgstr = _as_typed(text_field(data, "msgstr", written=True))
        base = data.get("base")
        if not isinstance(base, dict) or not isinstance(base.get("msgstr"), str) or \
                not isinstance(base.get("fuzzy"), bool):
            abort(400, description="expected base: the entry as the page loaded it ({msgstr, fuzzy})")
        approve = data.get("approve") is True
        if approve and not msgstr:
            abort(400, description="an empty translation cannot be approved")

        def change(entry):
            if (entry.msgstr, "fuzzy" in entry.flags) != (base["msgstr"], base["fuzzy"]):
                return {"msgstr": entry.msgstr, "fuzzy": "fuzzy" in entry.flags}  # someone else's version
            entry.msgstr = msgstr
            if approve:
                from localize.catalog import approve as approved

                approved(entry, reviewer)
            elif msgstr and "fuzzy" not in entry.flags and msgstr != base["msgstr"]:
                entry.flags.insert(0, "fuzzy")  # typed, not approved: a draft still
            return None

        return _update(name, key, msgid, change)

    @app.post("/api/po/<path:name>/ignore")
    def ignore(name):
        from localize.checks.qa import ISSUE_TYPES

        data = body()
        key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
        kind, term = text_field(data, "type"), " ".join(text_field(data, "term", written=True).split())
        if kind not in ISSUE_TYPES or not term:
            abort(400, description="expected an issue type and its term")

        def change(entry):
            line = f"ignore: {kind} {term}"
            if line not in (entry.tcomment or "").splitlines():
                entry.tcomment = "\n".join(filter(None, [entry.tcomment, line]))
            return None

        return _update(name, key, msgid, change)

    def _update(name: str, key: str, msgid: str, change):
        """Apply ``change(entry)`` to the entry on disk under the folder lock and write the PO
        atomically; 409 with the other version when ``change`` says the entry moved on."""
        from localize.catalog import read_po, render
        from localize.files import digest, lock_folder, write_atomic

        path = po_path(name)
        with contextlib.ExitStack() as held:
            deadline = time.monotonic() + LOCK_WAIT
            while True:  # another save holds the lock for milliseconds; a translate or batch run for minutes
                try:
                    held.enter_context(lock_folder(folder, wait=False))
                    break
                except LocalizeError as error:
                    if not isinstance(error, LockBusy):  # a read-only folder, a lock file that cannot be made
                        return cannot_write(name, error)
                    if time.monotonic() > deadline:
                        return jsonify(error="another localize run (translate, batch) is writing the "
                                       "translations; nothing was saved: save again when it is done"), 503
                    time.sleep(0.05)
            try:
                before = digest(path)  # before reading: a change made while we read is seen at the rename
                po = read_po(path)
            except LocalizeError as error:
                abort(422, description=error.message)
            entry = next((item for item in po if item.msgctxt == key and not item.obsolete), None)
            if entry is None or entry.msgid != msgid:
                return jsonify(error="this segment is no longer in the PO (the article was updated): reload "
                               "the page"), 409
            theirs = change(entry)
            if theirs is not None:
                return jsonify(error="this segment was changed elsewhere since the page was loaded (Poedit, "
                               "another reviewer, a batch run); nothing was saved. Their version is shown: "
                               "copy what you need, then reload", theirs=theirs), 409
            if reviewer:
                po.metadata["Last-Translator"] = reviewer
            po.metadata["PO-Revision-Date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
            try:
                write_atomic(path, render(po), expect=before)
            except LocalizeError as error:
                with contextlib.suppress(LocalizeError):
                    if digest(path) != before:  # saved in Poedit (no lock) while we were writing
                        return jsonify(error="the PO was changed elsewhere while saving (Poedit?); nothing "
                                       "was saved: reload the page"), 409
                return cannot_write(name, error)
        view = _entry_view(entry, terms(), finder(), None)
        return jsonify(ok=True, state=view["state"], msgstr=entry.msgstr, fuzzy="fuzzy" in entry.flags,
                       issues=view["issues"], tcomment=entry.tcomment)

    def cannot_write(name: str, error: LocalizeError):
        # 507 Insufficient Storage: werkzeug has no exception for it (abort(507) is a crash)
        return jsonify(error=f"cannot write {name}; nothing was saved: {error.message}"), 507

    return app


def _as_typed(text: str) -> str:
    """The reviewer's text as typed (no-break and thin spaces, tabs and line breaks inside it
    kept, as a PO editor keeps them), less the spaces and line breaks around it."""
    return text.strip(" \t\n")


def _shown(text: str) -> str:
    text = "".join(char if char.isprintable() else "?" for char in text[:80])
    return repr(text) if text else "(none)"


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (or an URL's host and port) as (name, port or None): the name in
    lower case, an IP address in its usual spelling (``::1``, without brackets); None
    if it is not one."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
        try:
            name = str(ipaddress.IPv6Address(name))
        except ValueError:
            return None
    else:
        if value.count(":") > 1:
            return None
        name, colon, port = value.partition(":")
        port = port if colon else None
        try:
            name = str(ipaddress.IPv4Address(name))
        except ValueError:
            if not re.fullmatch(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?", name):
                return None
    if port is not None:
        if not re.fullmatch(r"[0-9]{1,5}", port) or int(port) > 65535:
            return None
        port = int(port)
    return name, port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: tuple[str, int | None], rules) -> bool:
    """Whether ``host`` (``split_host``) matches one of ``rules`` (``host_rules``)."""
    name, port = host
    return any((rule == name or (rule == ANY_IP and _is_ip(name))) and (want is None or want == (port or 80))
               for rule, want in rules)


def host_rules(host: str, listening, names=()) -> frozenset:
    """The ``Host`` headers a server listening on ``listening`` ([(address, port)]) for
    ``--host host`` answers to, as (name, port or None for any port) pairs: ``host``
    and each address, on their port; on loopback, the loopback names; on every
    address (0.0.0.0, ::), any IP address and localhost; and ``names`` (NAME, on any
    port, or NAME:PORT).  A name from nobody's list is what a DNS rebinding attack
    sends: a browser names the site it thinks it talks to."""
    rules = set()
    for address, port in listening:
        port = int(port)  # (waitress's effective_port is text)
        for given in (host, str(address)):
            parsed = split_host(given if ":" not in given or given.startswith("[") else f"[{given}]")
            if parsed is None:
                continue
            if parsed[0] in ("0.0.0.0", "::"):
                rules |= {(ANY_IP, port), ("localhost", port)}
            else:
                rules.add((parsed[0], port))
            if loopback(parsed[0]):
                rules |= {(name, port) for name in LOOPBACK_NAMES}
    for name in names:
        parsed = split_host(f"[{name}]" if name.count(":") > 1 and not name.startswith("[") else name)
        if parsed is None:
            raise LocalizeError("--allowed-host", f"{_shown(name)} is not a host name (NAME or NAME:PORT)",
                                "e.g. --allowed-host review.desk.example")
        rules.add(parsed)
    return frozenset(rules)


def same_origin(url: str, host: tuple[str, int | None]) -> bool:
    """Whether ``url`` (an ``Origin`` or ``Referer``) is of the server ``host`` (``split_host``
    of the request's ``Host``): http or https, the same name and port."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "@" in parts.netloc:
        return False
    origin = split_host(parts.netloc)
    if origin is None:
        return False
    default = 80 if parts.scheme == "http" else 443
    return origin[0] == host[0] and (origin[1] or default) == (host[1] or default)


def make_server(app, host: str, port: int):
    """The waitress server of ``localize serve``: a body over ``MAX_BODY`` is refused (413)
    from its Content-Length, before it is read (and spooled to a temporary file)."""
    from waitress.server import create_server

    return create_server(app, host=host, port=port, threads=8, ident="localize",
                         max_request_body_size=MAX_BODY + 1)  # (waitress refuses a body of this size)


def _memory(folder: Path):
    from localize.memory import load_memory

    return load_memory(str(folder))


def _title(po) -> str:
    entry = next((item for item in po if not item.obsolete), None)
    return entry.msgid if entry is not None else ""


def _issues(entry, find) -> list[dict]:
    from localize.checks.glossary import format_issue

    if not entry.msgstr:
        return []
    return [{"type": issue.type, "term": issue.term, "text": format_issue(issue)} for issue in find(entry)]


def _entry_view(entry, index, find, memory) -> dict:
    """What the article page shows of one entry."""
    from localize.catalog import DRAFT_NOTE, reviewed

    block, _, _ = (entry.msgctxt or "0.0").partition(".")
    comments = entry.comment.splitlines()
    kind = next((KIND_NAMES[line] for line in comments if line in KIND_NAMES), "paragraph")
    state = "reviewed" if reviewed(entry) else "draft" if entry.msgstr else "untranslated"
    suggestions = []
    if memory is not None:
        exact = memory.match(entry.msgid)
        if exact is not None and exact.target != entry.msgstr:
            suggestions.append({"score": 100, "source": exact.source, "target": exact.target, "origin": exact.origin})
        suggestions += [{"score": s.score, "source": s.unit.source, "target": s.unit.target, "origin": s.unit.origin}
                        for s in memory.suggest(entry.msgid)]
    matches = index.find(entry.msgid)
    return {
        "key": entry.msgctxt, "block": int(block) if block.isdigit() else 0, "kind": kind,
        "msgid": entry.msgid, "msgstr": entry.msgstr, "fuzzy": "fuzzy" in entry.flags, "state": state,
        "english": _marked_english(entry.msgid, matches),
        "terms": _terms(matches),
        "placeholders": list(dict.fromkeys(_PLACEHOLDER.findall(entry.msgid))),
        "issues": _issues(entry, find),
        "provenance": next((line[len(DRAFT_NOTE):] for line in comments if line.startswith(DRAFT_NOTE)), ""),
        "suggestions": suggestions,
        "diff": word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else None,
        "tcomment": entry.tcomment or "",
    }


def _terms(matches) -> list[dict]:
    seen, found = set(), []
    for match in matches:
        term = match.term
        if term.source in seen:
            continue
        seen.add(term.source)
        found.append({"source": term.source, "target": term.target, "type": term.type,
                      "variants": list(term.variants), "forbidden": list(term.forbidden), "note": term.note})
    return found


def _marked_english(english: str, matches):
    """The English as HTML: glossary terms in ``<mark>`` (title: the approved Arabic), inline
    placeholders as protected tokens; everything escaped."""
    from markupsafe import Markup, escape

    spans = [(m.start, m.end, "term", m.term) for m in matches]
    spans += [(m.start(), m.end(), "ph", None) for m in _PLACEHOLDER.finditer(english)]
    spans.sort(key=lambda span: (span[0], -span[1]))
    parts, position = [], 0
    for start, end, kind, term in spans:
        if start < position:
            continue  # overlapping: the first one wins
        parts.append(escape(english[position:start]))
        text = escape(english[start:end])
        if kind == "ph":
            parts.append(Markup('<span class="ph" title="placeholder: keep it in the Arabic">{}</span>').format(text))
        else:
            parts.append(Markup('<mark class="term" lang="en" title="{}">{}</mark>').format(
                f"{term.source} = {term.target}" if term.target else term.source, text))
        position = end
    parts.append(escape(english[position:]))
    return Markup("").join(parts)


def word_diff(old: str, new: str):
    """The words removed from and added to the English, as HTML (``<del>``, ``<ins>``)."""
    from markupsafe import Markup, escape

    before, after = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(after[j1:j2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>{}</del>").format(" ".join(before[i1:i2])))
        if j2 > j1:
            parts.append(Markup("<ins>{}</ins>").format(" ".join(after[j1:j2])))
    return Markup(" ").join(parts)


def loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")
