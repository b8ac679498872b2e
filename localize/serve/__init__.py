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
- ``POST /api/po/<po>/unignore``: revoke an accepted issue (remove one ``# ignore:`` line).
- ``POST /api/po/<po>/comment``: the reviewer's comments on one entry (translator comments).
- ``POST /api/po/<po>/bulk-approve``: approve the drafts named that have no issue (each
  refused on its own if it changed, is empty or has an issue).
- ``POST /api/po/<po>/publish``: the article's HTML and bilingual editions into the
  project's editions folder (as ``localize publish``), or what holds it back (409).
- ``POST /api/concordance``: the translation memory's units holding a word or phrase.

Saving takes the folder lock ``translate`` takes, reads the PO from disk, and
refuses (409, with the version on disk) to change an entry that changed since
the page was loaded (the ``base`` each write sends); every other entry, comment and
header field is kept.
State-changing requests need the page's CSRF token (header ``X-CSRF-Token``),
and an ``Origin`` (else ``Referer``), when sent, of this very server; on an
address other than loopback every request needs the access token.  Every
request must name, in ``Host``, an address the server listens on or a name the
operator gave (``--allowed-host``): a page of another site that a DNS trick
points at this server is refused before it can read anything (DNS rebinding).
A body over ``MAX_BODY`` is refused (413) by waitress before it is read.

The package:

- ``__init__`` (here): ``create_app`` puts the parts together; ``make_server``; the errors' answers.
- ``state``: what one app holds between requests (folder, reviewer, tokens, glossary caches).
- ``security``: the request guard, the headers of every answer, the ``Host`` rules.
- ``pages``: the HTML pages and the static files (a Blueprint).
- ``api``: the JSON API of one entry: check, save, ignore, unignore, comment (a Blueprint).
- ``actions``: the JSON API of an article or the project: bulk approve, publish, concordance.
- ``updates``: the request body and its checks, and the locked update every write goes through.
- ``entries``: what the article page shows of one PO entry.
- ``templates/``, ``static/``: the pages' Jinja templates, script and style sheet.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from localize.serve.entries import KIND_NAMES, word_diff
from localize.serve.security import (
    ANY_IP,
    LOOPBACK_NAMES,
    host_allowed,
    host_rules,
    loopback,
    same_origin,
    split_host,
)

__all__ = ["ANY_IP", "KIND_NAMES", "LOCK_WAIT", "LOOPBACK_NAMES", "MAX_BODY", "create_app", "host_allowed",
           "host_rules", "loopback", "make_server", "same_origin", "split_host", "word_diff"]

MAX_BODY = 1 << 20  # a JSON request body: one entry's text, never more than this
LOCK_WAIT = 3.0  # seconds a save waits for the folder lock before saying who holds it (read at each save)


def create_app(root: str, reviewer: str = "", token: str | None = None, glossary_files=(), hosts=None):
    """The Flask application for the project whose translations folder is ``root``.

    ``hosts``: the ``Host`` headers it answers to, as ``host_rules`` makes them (the
    command sets ``app.config["LOCALIZE_HOSTS"]`` once it knows its port); None:
    the loopback names on any port."""
    from flask import Flask
    from werkzeug.exceptions import HTTPException

    from localize.serve import security
    from localize.serve.actions import actions
    from localize.serve.api import api
    from localize.serve.pages import pages
    from localize.serve.state import EXTENSION, ServeState

    app = Flask(__name__, template_folder="templates", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, JSON_AS_ASCII=False,
                      LOCALIZE_HOSTS=security.default_hosts() if hosts is None else frozenset(hosts))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # (the default provider's)
    app.extensions[EXTENSION] = ServeState(folder=Path(root), reviewer=reviewer, token=token,
                                           csrf=secrets.token_urlsafe(32), glossary_files=glossary_files)
    app.before_request(security.guard)
    app.after_request(security.add_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _crash)
    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(actions)
    return app


def _error(code: int, message: str):
    """An error's answer: JSON below /api/, else the error page."""
    from flask import jsonify, make_response, render_template, request

    if request.path.startswith("/api/"):
        return jsonify(error=message), code
    return make_response(render_template("error.html", code=code, message=message), code)


def _http_error(error):
    return _error(error.code, error.description)


def _crash(error):  # never a traceback page
    from flask import current_app

    current_app.logger.exception("localize serve: %s", error)
    return _error(500, "the server failed; see its log")


def make_server(app, host: str, port: int):
    """The waitress server of ``localize serve``: a body over ``MAX_BODY`` is refused (413)
    from its Content-Length, before it is read (and spooled to a temporary file)."""
    from waitress.server import create_server

    return create_server(app, host=host, port=port, threads=8, ident="localize",
                         max_request_body_size=MAX_BODY + 1)  # (waitress refuses a body of this size)
