"""The review page's JSON API for a whole article or the project: approve at once the drafts
that have no issue, publish an article's editions, search the translation memory.

Bulk approval writes through the same locked update as a save, and refuses, entry by entry,
a draft that changed since the page loaded it (with the version on disk), an empty one and
one with any issue; publishing writes the HTML and bilingual editions into the project's
editions folder with the library code of ``localize publish``, or says what holds it back."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from localize.errors import LocalizeError
from localize.serve.state import current
from localize.serve.updates import body, live_entry, locked, moved_on, text_field

actions = Blueprint("actions", __name__)

MAX_BULK = 5000  # entries in one bulk approval (an article has hundreds at most)
CONCORDANCE = 50  # memory units a concordance search answers with
PUBLISHED = ("html", "bilingual")  # what the page's Publish writes


@actions.post("/api/po/<path:name>/bulk-approve")
def bulk_approve(name):
    """Approve the drafts named (``entries``: [{msgctxt, msgid, base}], the ones the page counted)
    that are, on disk, still as the page loaded them, not empty and without any issue."""
    items = _bulk_items(body())
    state = current()

    def apply(po):
        from localize.review import ReviewEntry
        from localize.serve.entries import entry_state

        approved, refused = [], []
        for key, msgid, base in items:
            entry = live_entry(po, key, msgid)
            reason, other = _refusal(entry, base, state.finder())
            if reason:
                refused.append({"msgctxt": key, "reason": reason, **({"theirs": other} if other else {})})
                continue
            ReviewEntry(entry).approve(state.reviewer)
            approved.append(entry)
        return bool(approved), lambda: jsonify(
            ok=True, refused=refused,
            approved=[{"msgctxt": entry.msgctxt, **entry_state(entry, state.finder())} for entry in approved])

    return locked(name, apply)


def _bulk_items(data: dict) -> list[tuple[str, str, dict]]:
    """(msgctxt, msgid, base) of each entry of a bulk approval; 400 if one is not that."""
    from localize.serve.updates import base_of

    entries = data.get("entries")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_BULK:
        abort(400, description=f"expected entries: a list of 1 to {MAX_BULK} {{msgctxt, msgid, base}}")
    items = []
    for item in entries:
        if not isinstance(item, dict):
            abort(400, description="expected entries: a list of {msgctxt, msgid, base}")
        items.append((text_field(item, "msgctxt"), text_field(item, "msgid"), base_of(item)))
    return items


def _refusal(entry, base: dict, find) -> tuple[str, dict | None]:
    """Why a bulk approval leaves ``entry`` alone ("" if it does not), and its version on disk
    when that is why."""
    from localize.review import ReviewEntry

    if entry is None:
        return "no longer in the PO (the article was updated): reload the page", None
    other = moved_on(entry, base)
    if other is not None:
        return "changed elsewhere since the page was loaded; nothing was saved", other
    review = ReviewEntry(entry)
    if not entry.msgstr:
        return "empty: an empty translation cannot be approved", None
    if review.is_reviewed:
        return "reviewed already", None
    if find(entry):
        return "has issues: review it on its own", None
    return "", None


@actions.post("/api/po/<path:name>/publish")
def publish(name):
    """Publish the article's HTML and bilingual editions into the project's editions folder,
    as ``localize publish`` does (the same code, localize.toml's folder, locale and digits):
    the files written, or (409) what holds the article back."""
    from pathlib import Path

    from localize.files import Staging
    from localize.project import current as project
    from localize.publish import check_locale
    from localize.publish.po import Options, Run

    state = current()
    path = state.po_path(name)
    body()
    settings = project()
    out = settings.path(settings.setting("editions"))
    try:
        if Path(out).exists() and not Path(out).is_dir():
            raise LocalizeError(out, "is a file, not a folder", "set editions in localize.toml to a folder")
        options = Options(out, PUBLISHED, locale=check_locale(settings.setting("locale")),
                          digits=settings.setting("digits"), details=True)
        with Staging() as staging:
            record, held = Run(state.terms(), staging, options).publish(path)
            if held is None:
                staging.commit()
    except LocalizeError as error:
        abort(422, description=f"not published: {error.message}")
    if held is not None:
        holds = [{"msgctxt": hold.msgctxt, "msgid": hold.msgid, "reason": hold.reason, "issue": hold.issue}
                 for hold in held.holds]
        return jsonify(error=f"not published: {held.unreviewed} segment{'s' if held.unreviewed != 1 else ''} "
                       f"not reviewed, {held.issues} issue{'s' if held.issues != 1 else ''}",
                       held=holds, files=[]), 409
    return jsonify(ok=True, files=record["files"])


@actions.post("/api/concordance")
def concordance():
    """The translation memory's units whose English or Arabic holds ``query`` (a word or a
    phrase, case aside for Latin letters): {results: [{source, target, origin}], more}."""
    from localize.serve.entries import open_memory

    query = " ".join(text_field(body(), "query").split())
    if not 2 <= len(query) <= 200:  # noqa: PLR2004 (a letter finds everything; a paragraph nothing)
        abort(400, description="expected query: a word or a phrase (2 to 200 characters)")
    memory = open_memory(current().folder)
    try:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = memory.database.execute(  # (the index's own table: tm.Unit's fields, in memory order)
            "SELECT source, target, origin FROM units WHERE source LIKE ?1 ESCAPE '\\' OR target LIKE ?1 "
            "ESCAPE '\\' ORDER BY kind, file, position LIMIT ?2", (pattern, CONCORDANCE * 4)).fetchall()
    finally:
        memory.close()
    firsts: dict = {}
    for source, target, origin in rows:  # a unit in many POs: its first (as the memory's own lookups)
        firsts.setdefault((source, target), origin)
    found = [(source, target, origin) for (source, target), origin in firsts.items()]
    return jsonify(query=query, more=len(found) > CONCORDANCE,
                   results=[{"source": source, "target": target, "origin": origin}
                            for source, target, origin in found[:CONCORDANCE]])
