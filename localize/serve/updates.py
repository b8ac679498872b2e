"""How the review page's API reads a request and writes a PO: the request body and its text
fields (no control character reaches a PO), the entry as the page loaded it (``base``), and
the locked update every write goes through.

Saving takes the folder lock ``translate`` takes, reads the PO from disk, and refuses (409,
with the version on disk) to change an entry that changed since the page was loaded; every
other entry, comment and header field is kept.  The PO is written atomically, and not at all
if it changed on disk (Poedit, no lock) while it was being changed here."""

from __future__ import annotations

import contextlib
import json
import re
import time

from flask import abort, jsonify, request

from localize.errors import LocalizeError, LockBusy
from localize.serve.state import current

# Text that is written to a PO: no control character but tab and newline (they would make the
# PO unreadable, or be read back as something else), no line or paragraph separator, no lone
# surrogate (it cannot be written as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # in any text field
CHANGED_ELSEWHERE = ("this segment was changed elsewhere since the page was loaded (Poedit, another reviewer, a "
                     "batch run); nothing was saved. Their version is shown: copy what you need, then reload")


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


def base_of(data: dict, *texts: str) -> dict:
    """``data["base"]``: the entry as the page loaded it, ``{msgstr, fuzzy}`` and the ``texts`` named."""
    base = data.get("base")
    if not isinstance(base, dict) or not isinstance(base.get("msgstr"), str) or \
            not isinstance(base.get("fuzzy"), bool) or not all(isinstance(base.get(key), str) for key in texts):
        shown = ", ".join(["msgstr", "fuzzy", *texts])
        abort(400, description=f"expected base: the entry as the page loaded it ({{{shown}}})")
    return base


def moved_on(entry, base: dict) -> dict | None:
    """The entry's version on disk if it is not the page's ``base`` (someone else saved it), else None."""
    other = theirs(entry)
    return other if (other["msgstr"], other["fuzzy"]) != (base["msgstr"], base["fuzzy"]) else None


def theirs(entry, *more: str) -> dict:
    """The entry on disk, as a refused write's answer shows it: {msgstr, fuzzy}, and ``notes``
    (the reviewer's comments) or ``tcomment`` (the whole translator comment) when named."""
    from localize.review import ReviewEntry
    from localize.serve.entries import comment_notes

    shown = {"msgstr": entry.msgstr, "fuzzy": ReviewEntry(entry).fuzzy}
    if "notes" in more:
        shown["notes"] = comment_notes(entry.tcomment or "")
    if "tcomment" in more:
        shown["tcomment"] = entry.tcomment or ""
    return shown


# -- the locked update -------------------------------------------------------------------------

def update(name: str, key: str, msgid: str, change):
    """Apply ``change(entry)`` to the entry on disk under the folder lock and write the PO
    atomically; 409 with the other version when ``change`` says the entry moved on (it returns
    that version; None when it changed the entry)."""
    from localize.serve.entries import entry_state

    def apply(po):
        entry = live_entry(po, key, msgid)
        if entry is None:
            return False, gone()
        other = change(entry)
        if other is not None:
            return False, (jsonify(error=other.pop("error", CHANGED_ELSEWHERE), theirs=other), 409)
        return True, lambda: jsonify(ok=True, msgctxt=key, **entry_state(entry, current().finder()))

    return locked(name, apply)


def live_entry(po, key: str, msgid: str):
    """The entry ``key`` of ``po`` if it still has the English ``msgid``, else None."""
    entry = next((item for item in po if item.msgctxt == key and not item.obsolete), None)
    return entry if entry is not None and entry.msgid == msgid else None


def gone():
    return jsonify(error="this segment is no longer in the PO (the article was updated): reload the page"), 409


def locked(name: str, apply):
    """Read the PO ``name`` under the folder lock and ``apply(po)`` -> (changed, answer); write it
    if changed.  ``answer``: a response, or a function that makes it once the lock is let go."""
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
        changed, answer = apply(po)
        if changed:
            refused = _write(name, path, po, before, state.reviewer)
            if refused is not None:
                return refused
    return answer() if callable(answer) else answer


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
    current().saves += 1  # (the memory's suggestions may change: threads open it again)
    return None


def _cannot_write(name: str, error: LocalizeError):
    # 507 Insufficient Storage: werkzeug has no exception for it (abort(507) is a crash)
    return jsonify(error=f"cannot write {name}; nothing was saved: {error.message}"), 507
