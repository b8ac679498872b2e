"""What the article page shows of one PO entry: its state, the English with glossary terms
and placeholders marked, the terms, the issues, where the draft came from, translation
memory suggestions, and a word diff of a changed English sentence.

Plain functions of an entry (no request, no app): the views call them."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from localize.segment import TAG

KIND_NAMES = {"title": "title", "heading": "heading", "quote": "quote", "list item": "list item"}
PLACEHOLDER = re.compile(TAG)


def open_memory(folder: Path):
    """The translation memory of the project of ``folder``."""
    from localize.memory import load_memory

    return load_memory(str(folder))


def entry_issues(entry, find) -> list[dict]:
    """The issues ``find`` (``pipeline.issue_finder``) sees in a translated entry."""
    from localize.checks import acceptable, advisory_types, describe, severity

    if not entry.msgstr:
        return []
    advisory = advisory_types()
    return [{"type": issue.type, "term": issue.term, "text": describe(issue), "acceptable": acceptable(issue),
             "severity": severity(issue.type, advisory)} for issue in find(entry)]


def entry_view(entry, index, find, memory) -> dict:
    """What the article page shows of one entry (``memory``: None for no suggestions)."""
    from localize.review import ReviewEntry

    review = ReviewEntry(entry)
    block, _, _ = (entry.msgctxt or "0.0").partition(".")
    comments = entry.comment.splitlines()
    kind = next((KIND_NAMES[line] for line in comments if line in KIND_NAMES), "paragraph")
    state = "reviewed" if review.is_reviewed else "draft" if entry.msgstr else "untranslated"
    matches = index.find(entry.msgid)
    return {
        "key": entry.msgctxt, "block": int(block) if block.isdigit() else 0, "kind": kind,
        "msgid": entry.msgid, "msgstr": entry.msgstr, "fuzzy": review.fuzzy, "state": state,
        "english": marked_english(entry.msgid, matches),
        "terms": term_list(matches),
        "placeholders": list(dict.fromkeys(PLACEHOLDER.findall(entry.msgid))),
        "issues": entry_issues(entry, find),
        "provenance": review.draft_origin,
        "approved": next((text for text in review.approvals), "")[len("approved: "):],
        "suggestions": suggestions(entry, memory) if memory is not None else [],
        "diff": word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else None,
        "tcomment": entry.tcomment or "",
    }


def suggestions(entry, memory) -> list[dict]:
    """The memory's exact match (unless it is the translation already) and its fuzzy ones."""
    found = []
    exact = memory.match(entry.msgid)
    if exact is not None and exact.target != entry.msgstr:
        found.append({"score": 100, "source": exact.source, "target": exact.target, "origin": exact.origin})
    found += [{"score": s.score, "source": s.unit.source, "target": s.unit.target, "origin": s.unit.origin}
              for s in memory.suggest(entry.msgid)]
    return found


def term_list(matches) -> list[dict]:
    """The glossary terms of ``matches``, each once, in order."""
    seen, found = set(), []
    for match in matches:
        term = match.term
        if term.source in seen:
            continue
        seen.add(term.source)
        found.append({"source": term.source, "target": term.target, "type": term.type,
                      "variants": list(term.variants), "forbidden": list(term.forbidden), "note": term.note})
    return found


def marked_english(english: str, matches):
    """The English as HTML: glossary terms in ``<mark>`` (title: the approved Arabic), inline
    placeholders as protected tokens; everything escaped."""
    from markupsafe import Markup, escape

    spans = [(m.start, m.end, "term", m.term) for m in matches]
    spans += [(m.start(), m.end(), "ph", None) for m in PLACEHOLDER.finditer(english)]
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
