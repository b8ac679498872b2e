"""The review page's JSON API for one entry: check a translation being typed, save it
(approving it, or sending it back to review), accept one issue of one term or revoke that,
and edit the reviewer's comments.

Every write goes through ``updates.update``: the folder lock, the PO read from disk, 409
with the version on disk when the entry changed since the page loaded it (``base``)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from localize.serve.entries import comment_notes, entry_issues, is_ignore_line
from localize.serve.state import current
from localize.serve.updates import base_of, body, moved_on, text_field, theirs, update

api = Blueprint("api", __name__)


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
    base = base_of(data)
    approve, send_back = data.get("approve") is True, data.get("send_back") is True
    if approve and not msgstr:
        abort(400, description="an empty translation cannot be approved")
    if approve and send_back:
        abort(400, description="approve or send back, not both")
    reviewer = current().reviewer

    def change(entry):
        from localize.review import ReviewEntry

        other = moved_on(entry, base)
        if other is not None:
            return other  # someone else's version
        review = ReviewEntry(entry)
        entry.msgstr = msgstr
        if approve:
            review.approve(reviewer)
        elif send_back or (msgstr and not review.fuzzy and msgstr != base["msgstr"]):
            review.send_back()  # typed, not approved (or sent back on purpose): a draft still
        return None

    return update(name, key, msgid, change)


@api.post("/api/po/<path:name>/ignore")
def ignore(name):
    """Accept one issue of one term in one entry (a ``# ignore: TYPE TERM`` comment); with
    ``base``, refused (409) if the entry changed since the page loaded it."""
    from localize.checks import ISSUE_TYPES

    data = body()
    key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
    kind, term = text_field(data, "type"), " ".join(text_field(data, "term", written=True).split())
    if kind not in ISSUE_TYPES or not term:
        abort(400, description="expected an issue type and its term")
    base = base_of(data) if "base" in data else None  # (the page sends it; a script may not)

    def change(entry):
        other = moved_on(entry, base) if base is not None else None
        if other is not None:
            return other
        line = f"ignore: {kind} {term}"
        if line not in (entry.tcomment or "").splitlines():
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, line]))
        return None

    return update(name, key, msgid, change)


@api.post("/api/po/<path:name>/unignore")
def unignore(name):
    """Revoke an accepted issue: remove one ``# ignore:`` line (as the page lists it) from one entry."""
    data = body()
    key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
    line = " ".join(text_field(data, "line", written=True).split())
    base = base_of(data)
    if not is_ignore_line(line):
        abort(400, description="expected line: one of the entry's `ignore: TYPE TERM` lines")

    def change(entry):
        other = moved_on(entry, base)
        if other is not None:
            return other
        lines = (entry.tcomment or "").split("\n")
        kept = [item for item in lines if " ".join(item.split()) != line]
        if len(kept) == len(lines):
            return {**theirs(entry, "tcomment"), "error": f"'{line}' is no longer on this segment (revoked "
                    "elsewhere?); nothing was changed: reload the page"}
        entry.tcomment = "\n".join(kept)
        return None

    return update(name, key, msgid, change)


@api.post("/api/po/<path:name>/comment")
def comment(name):
    """Set the reviewer's comments on one entry (its translator comment; the ``ignore:`` lines
    the tool reads are kept as they are, and cannot be typed here: Accept and Revoke make them)."""
    data = body()
    key, msgid = text_field(data, "msgctxt"), text_field(data, "msgid")
    notes = _comment_text(text_field(data, "notes", written=True))
    base = base_of(data, "notes")

    def change(entry):
        from localize.review import ignore_lines

        if moved_on(entry, base) is not None or comment_notes(entry.tcomment or "") != base["notes"]:
            return theirs(entry, "notes")
        entry.tcomment = "\n".join(filter(None, [notes, *ignore_lines(entry)]))
        return None

    return update(name, key, msgid, change)


def _comment_text(text: str) -> str:
    """The comment as the PO keeps it: lines without trailing spaces, no blank lines around it;
    400 for a line the tool would read as an accepted issue."""
    lines = [line.rstrip() for line in text.replace("\t", " ").split("\n")]
    if any(is_ignore_line(line) for line in lines):
        abort(400, description="a line starting with 'ignore:' accepts an issue: use the issue's Accept "
              "button (nothing was saved)")
    return "\n".join(lines).strip("\n")


def _as_typed(text: str) -> str:
    """The reviewer's text as typed (no-break and thin spaces, tabs and line breaks inside it
    kept, as a PO editor keeps them), less the spaces and line breaks around it."""
    return text.strip(" \t\n")
