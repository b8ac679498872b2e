"""The review state of a PO entry, over polib: the only module that knows how it is written.

A PO records review with the ``fuzzy`` flag (a draft, not yet reviewed) and
with the ``#.`` lines the tool writes for the reviewer (``draft:`` where a draft
came from, ``issue:``, ``glossary:``, ``memory NN%:``, ``approved:``), and a
reviewer's decisions with ``# ignore:`` translator comments.  ``ReviewEntry``
reads and changes them (``is_reviewed``, ``approve(by, when)``, ``send_back()``,
``draft_origin``, ``notes``); the PO format itself is the one every PO editor
knows, unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import NamedTuple

import polib

from localize.files import LINE_BREAKING

FUZZY = "fuzzy"
DRAFT_NOTE = "draft: "  # where a draft came from; kept while the entry is a draft
ISSUE_NOTE = "issue: "
GLOSSARY_NOTE = "glossary: "
APPROVED_NOTE = "approved: "  # who approved the entry on the review page, and when
PERSON_DRAFT = f"{DRAFT_NOTE}edited by a person, not approved yet"  # a tool draft someone changed
EARLIER_DRAFT = f"{DRAFT_NOTE}earlier translation; the English changed (was: see #| msgid)"
_MEMORY_NOTE = re.compile(r"memory \d+%: ")
_DRAFT_VERDICT = re.compile(r" \[draft: [^\]]*\]$")
_FINGERPRINT = re.compile(r"\[text ([0-9a-f]{8})\]\s*$")
# The lines localize writes in ``#.`` comments; any other line is the continuation of the one
# before it, wrapped by a PO editor or by polib's and Babel's default save (width 76-78).
_TOOL_LINE = re.compile(r"(?:draft|glossary|issue|approved): |memory \d+%: |<\d+/?>|(?:title|heading|quote|list item)$")
_NOTE_KINDS = ((DRAFT_NOTE, "draft"), (ISSUE_NOTE, "issue"), (GLOSSARY_NOTE, "glossary"), (APPROVED_NOTE, "approved"))


@dataclass(frozen=True)
class Note:
    """One ``#.`` line the tool wrote (read back whole if a PO editor wrapped it)."""

    kind: str  # draft, issue, glossary, memory, approved, or other (placeholders, the block's kind)
    text: str  # the line without its prefix


class ReviewEntry:
    """A PO entry as a reviewer sees it: reviewed or a draft, where the draft came from,
    the tool's notes; approve it or send it back."""

    def __init__(self, entry: polib.POEntry):
        self.entry = entry

    @property
    def is_reviewed(self) -> bool:
        """Translated, not fuzzy, not obsolete: a person approved it."""
        entry = self.entry
        return bool(entry.msgstr) and FUZZY not in entry.flags and not entry.obsolete

    @property
    def fuzzy(self) -> bool:
        """The entry carries the fuzzy flag (a PO editor's "needs work")."""
        return FUZZY in self.entry.flags

    @property
    def is_draft(self) -> bool:
        return bool(self.entry.msgstr) and FUZZY in self.entry.flags

    @property
    def state(self) -> str:
        """reviewed, draft or untranslated."""
        return "reviewed" if self.is_reviewed else "draft" if self.is_draft else "untranslated"

    @property
    def notes(self) -> list[Note]:
        """The tool's ``#.`` lines, typed."""
        notes = []
        for line in _joined_lines(self.entry.comment):
            kind = next((name for prefix, name in _NOTE_KINDS if line.startswith(prefix)), None)
            if kind:
                notes.append(Note(kind, line.split(": ", 1)[1]))
            elif _MEMORY_NOTE.match(line):
                notes.append(Note("memory", line))
            else:
                notes.append(Note("other", line))
        return notes

    @property
    def draft_origins(self) -> list[str]:
        """The ``draft: ...`` lines, whole."""
        return [DRAFT_NOTE + note.text for note in self.notes if note.kind == "draft"]

    @property
    def draft_origin(self) -> str:
        """Where the draft came from (the first ``draft:`` line, without its prefix), or ""."""
        return next((note.text for note in self.notes if note.kind == "draft"), "")

    @property
    def approvals(self) -> list[str]:
        """The ``approved:`` lines (carried over with a reviewed translation)."""
        return [APPROVED_NOTE + note.text for note in self.notes if note.kind == "approved"]

    @property
    def tool_draft(self) -> bool:
        """The msgstr is still the text the tool drafted (by its fingerprint, not by its comment):
        a machine or memory draft nobody has touched."""
        if not self.is_draft:
            return False
        mark = fingerprint(self.entry.msgstr)
        return any(match and match[1] == mark for match in map(_FINGERPRINT.search, self.draft_origins))

    @property
    def machine_draft(self) -> bool:
        """An untouched draft the tool made from the model or the memory: a fresh draft may
        replace it when the English changes.  A person's draft (typed and saved unapproved,
        on the page or in a PO editor) is told by its text, and is never replaced."""
        return self.tool_draft and any(origin.startswith((f"{DRAFT_NOTE}machine translation",
                                                          f"{DRAFT_NOTE}translation memory"))
                                       for origin in self.draft_origins)

    @property
    def edited_draft(self) -> bool:
        """A draft the tool made (it has a fingerprint) whose text a person has since changed."""
        return any(map(_FINGERPRINT.search, self.draft_origins)) and not self.tool_draft

    def add_draft(self, text: str, origin: str, notes=()) -> None:
        """Fill the empty entry with a draft: fuzzy, ``#. draft: <origin> [text FINGERPRINT]``."""
        entry = self.entry
        if entry.msgstr or entry.obsolete:
            raise ValueError(f"entry {entry.msgctxt} already has a translation")
        entry.msgstr = text
        self.mark_draft()
        line = one_line(f"{DRAFT_NOTE}{origin} [text {fingerprint(text)}]")
        entry.comment = "\n".join(filter(None, [entry.comment, line, *map(one_line, notes)]))

    def mark_draft(self) -> None:
        """Fuzzy: a draft still to review."""
        if FUZZY not in self.entry.flags:
            self.entry.flags.insert(0, FUZZY)

    def approve(self, by: str, when: datetime | None = None) -> None:
        """Reviewed by ``by`` now: no longer fuzzy, and nothing left that speaks of the draft
        (``#|`` previous English, ``draft:``, ``issue:`` and memory lines, a glossary line's
        ``[draft: ...]`` verdict); ``#. approved: BY, DATE`` says who and when.  What the next
        ``translate`` of an unchanged article writes is then what is on disk already."""
        entry = self.entry
        entry.flags = [flag for flag in entry.flags if flag != FUZZY]
        entry.previous_msgid = entry.previous_msgctxt = None
        kept = _without(entry.comment, (DRAFT_NOTE, ISSUE_NOTE, APPROVED_NOTE))
        kept = [_DRAFT_VERDICT.sub("", line) for line in kept if not _MEMORY_NOTE.match(line)]
        stamp = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
        entry.comment = "\n".join([*kept, one_line(f"{APPROVED_NOTE}{by or 'a reviewer'}, {stamp}")])

    def send_back(self) -> None:
        """Back to review: fuzzy again, its ``approved:`` line gone."""
        self.mark_draft()
        self.entry.comment = "\n".join(_without(self.entry.comment, (APPROVED_NOTE,)))


def reviewed(entry: polib.POEntry) -> bool:
    """A reviewer's finished entry: translated and not fuzzy (``ReviewEntry.is_reviewed``)."""
    return ReviewEntry(entry).is_reviewed


def is_draft(entry: polib.POEntry) -> bool:
    return ReviewEntry(entry).is_draft


def fingerprint(text: str) -> str:
    """A short hash of a draft's text, written on its ``#. draft:`` line: an entry whose msgstr
    no longer has it was changed by a person (in the review page or a PO editor), whatever its
    comments still say."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


_NOT_IN_A_LINE = re.compile(f"[{LINE_BREAKING}]+")


def one_line(note: str) -> str:
    """A ``#.`` comment line the tool writes: no line breaks or control characters in it
    (a U+2028 or a form feed would split the line for polib's default reader)."""
    return _NOT_IN_A_LINE.sub(" ", note).strip()


def _joined_lines(comment: str) -> list[str]:
    """The comment's lines, a tool line's wrapped continuations joined back to it."""
    lines: list[str] = []
    continuing = False
    for line in comment.split("\n") if comment else []:
        if _TOOL_LINE.match(line):
            lines.append(line)
            continuing = not line.startswith("<") and not line.endswith(("title", "heading", "quote", "list item"))
        elif continuing and line.strip():
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line)
            continuing = False
    return lines


def _without(comment: str, prefixes: tuple[str, ...]) -> list[str]:
    """The comment's lines less those starting with ``prefixes`` and their wrapped continuations."""
    kept, dropping = [], False
    for line in comment.split("\n") if comment else []:
        if line.startswith(prefixes):
            dropping = True
        elif dropping and line.strip() and not _TOOL_LINE.match(line):
            continue
        else:
            dropping = False
            kept.append(line)
    return kept


# --- what a reviewer accepted ---------------------------------------------------------------

_IGNORE_COMMENT = re.compile(r"^\s*ignore:\s*(?P<types>.+?)\s*$", re.IGNORECASE | re.MULTILINE)


class Ignores(NamedTuple):
    """What a reviewer accepted on an entry: whole issue types, (type, term) pairs, and the
    items that name no issue type (reported as ``unknown-ignore``, never silently passed)."""

    types: frozenset
    terms: frozenset  # (type, term lower-cased)
    unknown: tuple


def ignored_issues(entry: polib.POEntry) -> Ignores:
    """The ``# ignore:`` lines of an entry (what any PO editor can type), and Weblate-style
    ``#, ignore-TYPE`` flags.

    ``# ignore: length-ratio, latin-word`` accepts those types for the entry;
    ``# ignore: missing-term Iran`` (a type, then a term) accepts that term only.
    """
    from localize.checks import ISSUE_TYPES

    types, terms, unknown = set(), set(), []
    for flag in entry.flags:
        if flag.startswith("ignore-"):
            if flag[7:] in ISSUE_TYPES:
                types.add(flag[7:])
            else:
                unknown.append(flag)
    for match in _IGNORE_COMMENT.finditer(entry.tcomment or ""):
        for item in filter(None, (part.strip() for part in match["types"].split(","))):
            words = item.split()
            if all(word.lower() in ISSUE_TYPES for word in words):  # "length-ratio latin-word"
                types.update(word.lower() for word in words)
            elif words[0].lower() in ISSUE_TYPES:
                terms.add((words[0].lower(), " ".join(words[1:]).lower()))
            else:
                unknown.append(item)
    return Ignores(frozenset(types), frozenset(terms), tuple(unknown))


def ignore_lines(entry: polib.POEntry) -> list[str]:
    """The entry's ``ignore:`` translator-comment lines, as written (for carrying them along)."""
    return [match.group(0).strip() for match in _IGNORE_COMMENT.finditer(entry.tcomment or "")]
