"""The review app's pages: the list of articles, an article to review, its preview, and the
page's script and style sheet."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, make_response, render_template

from localize.checks import ISSUE_TYPES
from localize.errors import LocalizeError
from localize.serve.entries import entry_view, open_memory
from localize.serve.state import current

pages = Blueprint("pages", __name__)

STATIC = Path(__file__).parent / "static"
SCRIPTS = ("serve.js", "api.js", "history.js", "segments.js", "render.js", "keys.js", "tools.js")
STATIC_TYPES = {**dict.fromkeys(SCRIPTS, "application/javascript"), "serve.css": "text/css"}  # all it serves
# The edition styles itself (a <style> element) and shows the article's images; it runs no script.
PREVIEW_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'none'; "
                  "base-uri 'none'; form-action 'none'")


# The article page's keys (its ? overlay); letters and digits are matched by the key's place
# (KeyboardEvent.code), so they work under an Arabic layout too.
SHORTCUTS = (
    ("Ctrl+Enter", "approve (asks first if the segment has open issues) and go to the next segment to review"),
    ("Ctrl+S", "save as draft (in a comment: save the comment)"),
    ("Ctrl+U", "toggle needs work: send an approved segment back to review, or approve a draft"),
    ("Ctrl+Z", "undo in this field only"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo in this field only"),
    ("Ctrl+B", "copy the English into the field (undo with Ctrl+Z)"),
    ("Ctrl+1 … Ctrl+9", "insert placeable n (the segment's n-th Insert button) at the cursor"),
    ("Alt+1 … Alt+9", "use memory suggestion n"),
    ("Alt+N, Alt+Shift+N", "next / previous segment with issues"),
    ("Alt+Down, Alt+Up", "next / previous segment"),
    ("Backspace, Delete", "next to a placeholder: delete the whole placeholder"),
    ("Esc", "leave the field (stay on its segment); close this list"),
    ("/", "search English and Arabic (outside a field)"),
    ("?, Ctrl+/", "this list (? outside a field)"),
)


@pages.get("/static/<name>")
def static_file(name):
    from flask import request

    if name not in STATIC_TYPES:
        abort(404)
    response = make_response((STATIC / name).read_text(encoding="utf-8"))
    response.headers["Content-Type"] = f"{STATIC_TYPES[name]}; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"  # (asked again each time: 304 while unchanged)
    response.add_etag()
    return response.make_conditional(request)


@pages.get("/")
def index():
    """Every article with its review state, as ``localize status``."""
    from localize import pipeline
    from localize.catalog import read_po

    state = current()
    rows = []
    for name, path in sorted(state.catalogs().items()):
        try:
            po = read_po(path)
        except LocalizeError as error:
            rows.append({"name": name, "broken": error.message})
            continue
        rows.append({"name": name, "title": title_of(po), **pipeline.status_row(po, state.terms())})
    return render_template("index.html", rows=rows, folder=str(state.folder), csrf=state.csrf)


@pages.get("/po/<path:name>")
def article(name):
    """The article page: its entries, grouped by block, sent as they are made (a long article's
    first segments are on screen while the last ones are still checked)."""
    from flask import Response, stream_template

    from localize.catalog import summary

    state = current()
    _path, po = state.load(name)
    page = stream_template("article.html", name=name, title=title_of(po), blocks=_blocks(po, state),
                           csrf=state.csrf, summary=summary(po), source=po.metadata.get("X-Source-File", ""),
                           reviewer=state.reviewer, issue_types=sorted(ISSUE_TYPES), shortcuts=SHORTCUTS)
    return Response(_chunks(page), mimetype="text/html")


def _blocks(po, state):
    """The page's blocks, each with the views of its entries, one block at a time."""
    memory = open_memory(state.folder)
    block: dict | None = None
    for entry in po:
        if entry.obsolete:
            continue
        view = entry_view(entry, state.terms(), state.finder(), memory)
        if block is None or block["number"] != view["block"]:
            if block is not None:
                yield block
            block = {"number": view["block"], "kind": view["kind"], "entries": []}
        block["entries"].append(view)
    if block is not None:
        yield block


def _chunks(parts, size: int = 1 << 15):
    """The template's many small strings as pieces of about ``size`` characters (one write each)."""
    pending, length = [], 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


@pages.get("/po/<path:name>/preview")
def preview(name):
    """The bilingual edition, with the draft banner while unfinished (``publish --allow-draft``)."""
    from localize import pipeline
    from localize.publish import build_edition, render

    state = current()
    path = state.po_path(name)
    try:
        po, source_article, source = pipeline.load_translated_article(path)
        issues = sum(1 for hold in pipeline.unfinished(po, state.terms()) if hold.issue)
        edition = build_edition(source_article, po, source, issues=issues, allow_draft=True)
    except LocalizeError as error:
        abort(422, description=error.message)
    response = make_response(render(edition, "bilingual"))
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY  # (security.add_headers keeps it)
    return response


def title_of(po) -> str:
    """The article's title: its first entry's English."""
    entry = next((item for item in po if not item.obsolete), None)
    return entry.msgid if entry is not None else ""
