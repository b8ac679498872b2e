"""The review page's JSON API: check a translation being typed, save one entry (approving it
or not), accept one issue of one term.

Saving takes the folder lock ``translate`` takes, reads the PO from disk, and refuses (409,
with the version on disk) to change an entry that changed since the page was loaded; every
other entry, comment and header field is kept."""

from __future__ import annotations

import contextlib
import json
import re
import time

from flask import Blueprint, abort, jsonify, request

from localize.errors import LocalizeError, LockBusy
from localize.serve.entries import entry_issues, entry_view
from localize.serve.state import current

api = Blueprint("api", __name__)

# Text that is written to a PO: no control character but tab and newline (they would make the
# PO unreadable, or be read back as something else), no line or paragraph separator, no lone
# surrogate (it cannot be written as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # in any text field


@api.post("/api/po/<path:name>/check")
def check(name):
    """The issues of a translation being typed (nothing is saved)."""
    import polib

    state = current()
    state.po_path(name)
    data = body()
    entry = polib.POEntry(msgid=text_field(data, "msgid"), msgstr=text_field(data, "msgstr", written=True),
                          tcomment=text_field(data, "tcomment", required=False))
    return jsonify(issues=entry_issues(entry, state.finder()))


@api.post("/api/po/<path:name>/save")
def save(name):
    """Save one entry's translation; ``approve``: mark it reviewed (clears fuzzy, records who);
    ``send_back``: an approved entry back to review."""
    data = body()
    key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
    msgstr = _as_typed(text_field(data, "msgstr", written=True))
    base = data.get("base")
    if not isinstance(base, dict) or not isinstance(base.get("msgstr"), str) or \
            not isinstance(base.get("fuzzy"), bool):
        abort(400, description="expected base: the entry as the page loaded it ({msgstr, fuzzy})")
    approve, send_back = data.get("approve") is True, data.get("send_back") is True
    if approve and not msgstr:
        abort(400, description="an empty translation cannot be approved")
    reviewer = current().reviewer

    def change(entry):
        from localize.review import ReviewEntry

        review = ReviewEntry(entry)
        if (entry.msgstr, review.fuzzy) != (base["msgstr"], base["fuzzy"]):
            return {"msgstr": entry.msgstr, "fuzzy": review.fuzzy}  # someone else's version
        entry.msgstr = msgstr
        if approve:
            review.approve(reviewer)
        elif send_back or (msgstr and not review.fuzzy and msgstr != base["msgstr"]):
            review.send_back()  # typed, not approved (or sent back on purpose): a draft still
        return None

    return update(name, key, msgid, change)


@api.post("/api/po/<path:name>/ignore")
def ignore(name):
    """Accept one issue of one term in one entry (a ``# ignore: TYPE TERM`` comment)."""
    from localize.checks import ISSUE_TYPES

    data = body()
    key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
    kind, term = text_field(data, "type"), " ".join(text_field(data, "term", written=True).split())
    if kind not in ISSUE_TYPES or not term:
        abort(400, description="expected an issue type and its term")

    def change(entry):
        line = f"ignore: {kind} {term}"
        if line not in (entry.tcomment or "").splitlines():
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, line]))

    return update(name, key, msgid, change)


# -- the request body --------------------------------------------------------------------------

def body() -> dict:
    """The request's JSON object; 400 if it is not one."""
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


def _as_typed(text: str) -> str:
    """The reviewer's text as typed (no-break and thin spaces, tabs and line breaks inside it
    kept, as a PO editor keeps them), less the spaces and line breaks around it."""
    return text.strip(" \t\n")


# -- the locked update -------------------------------------------------------------------------

def update(name: str, key: str, msgid: str, change):
    """Apply ``change(entry)`` to the entry on disk under the folder lock and write the PO
    atomically; 409 with the other version when ``change`` says the entry moved on."""
    from localize.catalog import read_po
    from localize.files import digest

    state = current()
    path = state.po_path(name)
    with contextlib.ExitStack() as held:
        refused = _lock(held, state.folder, name)
        if refused is not None:
            return refused
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
        refused = _write(name, path, po, before, state.reviewer)
        if refused is not None:
            return refused
    view = entry_view(entry, state.terms(), state.finder(), None)
    return jsonify(ok=True, state=view["state"], msgstr=entry.msgstr, fuzzy=view["fuzzy"],
                   issues=view["issues"], tcomment=entry.tcomment)


def _lock(held: contextlib.ExitStack, folder, name: str):
    """Take the folder lock into ``held``, waiting up to ``LOCK_WAIT`` seconds: None, or the
    answer that refuses the save (503 busy, 507 cannot be made)."""
    from localize import serve
    from localize.files import lock_folder

    deadline = time.monotonic() + serve.LOCK_WAIT  # (read here: it can be changed on the package)
    while True:  # another save holds the lock for milliseconds; a translate or batch run for minutes
        try:
            held.enter_context(lock_folder(folder, wait=False))
            return None
        except LocalizeError as error:
            if not isinstance(error, LockBusy):  # a read-only folder, a lock file that cannot be made
                return _cannot_write(name, error)
            if time.monotonic() > deadline:
                return jsonify(error="another localize run (translate, batch) is writing the "
                               "translations; nothing was saved: save again when it is done"), 503
            time.sleep(0.05)


def _write(name: str, path, po, before: str | None, reviewer: str):
    """Stamp and write ``po`` over ``path`` if it is still ``before``: None, or the answer that
    refuses the save (409 changed meanwhile, 507 cannot write)."""
    from localize.catalog import render
    from localize.files import digest, write_atomic

    if reviewer:
        po.metadata["Last-Translator"] = reviewer
    po.metadata["PO-Revision-Date"] = time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime())
    try:
        write_atomic(path, render(po), expect=before)
    except LocalizeError as error:
        with contextlib.suppress(LocalizeError):
            if digest(path) != before:  # saved in Poedit (no lock) while we were writing
                return jsonify(error="the PO was changed elsewhere while saving (Poedit?); nothing "
                               "was saved: reload the page"), 409
        return _cannot_write(name, error)
    return None


def _cannot_write(name: str, error: LocalizeError):
    # 507 Insufficient Storage: werkzeug has no exception for it (abort(507) is a crash)
    return jsonify(error=f"cannot write {name}; nothing was saved: {error.message}"), 507
