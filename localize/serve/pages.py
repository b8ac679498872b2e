"""The review app's pages: the list of articles, an article to review, its preview, and the
page's script and style sheet."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, make_response, render_template

from localize.errors import LocalizeError
from localize.serve.entries import entry_view, open_memory
from localize.serve.state import current

pages = Blueprint("pages", __name__)

STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {"serve.js": "application/javascript", "serve.css": "text/css"}  # all it serves


@pages.get("/static/<name>")
def static_file(name):
    if name not in STATIC_TYPES:
        abort(404)
    response = make_response((STATIC / name).read_text(encoding="utf-8"))
    response.headers["Content-Type"] = f"{STATIC_TYPES[name]}; charset=utf-8"
    return response


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
    """The article page: its entries, grouped by block."""
    from localize.catalog import summary

    state = current()
    _path, po = state.load(name)
    memory = open_memory(state.folder)
    blocks: list[dict] = []
    for entry in po:
        if entry.obsolete:
            continue
        view = entry_view(entry, state.terms(), state.finder(), memory)
        if not blocks or blocks[-1]["number"] != view["block"]:
            blocks.append({"number": view["block"], "kind": view["kind"], "entries": []})
        blocks[-1]["entries"].append(view)
    return render_template("article.html", name=name, title=title_of(po), blocks=blocks, csrf=state.csrf,
                           summary=summary(po), source=po.metadata.get("X-Source-File", ""),
                           reviewer=state.reviewer)


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
    # (security.add_headers replaces this with the app's policy, as it always has)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src *"
    return response


def title_of(po) -> str:
    """The article's title: its first entry's English."""
    entry = next((item for item in po if not item.obsolete), None)
    return entry.msgid if entry is not None else ""
