"""The review app's pages: the list of articles, an article to review, its preview, and the
page's script and style sheet."""

from __future__ import annotations

import contextlib
from pathlib import Path

from flask import Blueprint, abort, make_response, render_template

from localize.checks import ISSUE_TYPES
from localize.errors import LocalizeError
from localize.serve.entries import entry_view, place
from localize.serve.state import CACHED, current
from localize.statuscache import title_of

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


PAGE_SIZE = 100  # articles per page of the list
SHOWN = {  # the list's filters: which rows each shows
    "all": lambda row: True,
    "to-review": lambda row: not row.get("broken") and row["reviewed"] < row["segments"],
    "issues": lambda row: bool(row.get("broken") or row["issues"]),
    "done": lambda row: not row.get("broken") and row["reviewed"] == row["segments"] and not row["issues"],
    "changed": lambda row: not row.get("broken") and row["source_state"] != "unchanged",
    "broken": lambda row: bool(row.get("broken")),
}


@pages.get("/")
def index():
    """Every article with its review state, as ``localize status``, a page of ``PAGE_SIZE`` at a
    time; ``?q=`` keeps the articles whose name or title has the words, ``?show=`` one state.
    The rows come from the status cache: only the POs changed since the last visit are read."""
    from flask import request

    from localize.files import printable

    state = current()
    show = request.args.get("show", "all")
    if show not in SHOWN:
        abort(400, description=f"show must be one of {', '.join(SHOWN)}")
    try:
        number = max(int(request.args.get("page", "1")), 1)
    except ValueError:
        abort(400, description="page must be a number")
    query = request.args.get("q", "").strip()
    words = query.casefold().split()
    cache = state.status()
    totals = dict.fromkeys(("segments", "reviewed", "issues"), 0)
    counts = dict.fromkeys(SHOWN, 0)
    shown: list[dict] = []  # the rows of the page asked for
    filling: list[dict] = []  # the rows of the page being counted (the last one, past the end)
    found = total = 0
    catalogs = sorted(state.catalogs().items())
    rows = cache.rows(path for _, path in catalogs)  # a row at a time, in order: only a page of them is kept
    for (name, _), (_, kept) in zip(catalogs, rows, strict=True):
        row = {"name": name, **({"broken": printable(kept.message)} if isinstance(kept, LocalizeError) else kept)}
        total += 1
        for key in totals:
            totals[key] += row.get(key, 0)
        for kind, keep in SHOWN.items():
            counts[kind] += keep(row)
        if SHOWN[show](row) and all(word in f"{row['name']} {row.get('title', '')}".casefold() for word in words):
            if found % PAGE_SIZE == 0:
                filling = []
                if found // PAGE_SIZE == number - 1:
                    shown = filling
            filling.append(row)
            found += 1
    cache.save()
    pages_count = max(1, -(-found // PAGE_SIZE))
    if number > pages_count:  # (past the last page: the last page)
        number, shown = pages_count, filling
    return render_template("index.html", rows=shown, folder=str(state.folder), csrf=state.csrf, total=total,
                           found=found, totals=totals, counts=counts, show=show, query=query, page=number,
                           pages=pages_count)


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
    """The page's blocks, each with its entries' HTML, one block at a time.  An entry's HTML is
    kept by everything it shows (its texts, flags and comments, the memory's content, the
    advisory types): a reload renders only the entries that changed."""
    from flask import current_app
    from markupsafe import Markup

    from localize.pipeline import advisory_types

    if state.entry_html is None:
        state.entry_html = _Kept(CACHED)
    template = current_app.jinja_env.get_template("entry.html")
    memory, token = state.memory()
    advisory = advisory_types()
    block: dict | None = None
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgstr, tuple(entry.flags), entry.tcomment, entry.comment,
               entry.previous_msgid, token, advisory)
        html = state.entry_html.get(key)
        if html is None:
            html = Markup(template.render(e=entry_view(entry, state.terms(), state.finder(), memory)))
            state.entry_html.put(key, html)
        number, kind = place(entry)
        if block is None or block["number"] != number:
            if block is not None:
                yield block
            block = {"number": number, "kind": kind, "entries": []}
        block["entries"].append(html)
    if block is not None:
        yield block


class _Kept:
    """A bounded map, oldest out first (thread-safe enough: a lost race renders an entry twice)."""

    def __init__(self, size: int):
        from collections import OrderedDict

        self.size = size
        self.items: OrderedDict[tuple, object] = OrderedDict()

    def get(self, key):
        try:
            value = self.items[key]
        except KeyError:
            return None
        with contextlib.suppress(KeyError):
            self.items.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self.items[key] = value
        while len(self.items) > self.size:
            with contextlib.suppress(KeyError):
                self.items.popitem(last=False)


def _chunks(parts, size: int = 1 << 15, first: int = 1 << 12):
    """The template's many small strings as pieces of about ``size`` characters (one write each);
    the first piece is sent at ``first`` characters, so the browser has the head (the style
    sheet, the script) and the page's top at once and can paint while the rest comes."""
    pending, length, limit = [], 0, first
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= limit:
            yield "".join(pending)
            pending, length, limit = [], 0, size
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
