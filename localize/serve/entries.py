"""What the article page shows of one PO entry: its state, the English with glossary terms
and placeholders marked, what each placeholder stands for, the terms, the issues, where the
draft came from, who approved it and when, the reviewer's comments and accepted issues,
translation memory suggestions, and a word diff of a changed English sentence.

Plain functions of an entry (no request, no app): the views call them."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from localize.segment import TAG

KIND_NAMES = {"title": "title", "heading": "heading", "quote": "quote", "list item": "list item"}
PLACEHOLDER = re.compile(TAG)
# the #. line catalog writes for each placeholder: "<1>...</1> link to https://..." or "<2/> image"
_PLACEHOLDER_NOTE = re.compile(r"<(\d+)>\.\.\.</\1> (.+)|<(\d+)/> (.+)")
_TAG_PARTS = re.compile(r"<(/?)(\d+)(/?)>")


def open_memory(folder: Path):
    """The translation memory of the project of ``folder``."""
    from localize.memory import load_memory

    return load_memory(str(folder))


def entry_issues(entry, find) -> list[dict]:
    """The issues ``find`` (``pipeline.issue_finder``) sees in a translated entry."""
    from localize.checks import acceptable, describe, severity
    from localize.pipeline import advisory_types

    if not entry.msgstr:
        return []
    advisory = advisory_types()
    return [{"type": issue.type, "term": issue.term, "text": describe(issue), "acceptable": acceptable(issue),
             "severity": severity(issue.type, advisory)} for issue in find(entry)]


def entry_view(entry, index, find, memory) -> dict:
    """What the article page shows of one entry (``memory``: None for no suggestions)."""
    block, kind = place(entry)
    english = getattr(index, "english", None)  # (the app's index keeps them by text)
    marked, terms = english(entry.msgid) if english else english_view(index, entry.msgid)
    return {
        "key": entry.msgctxt, "block": block, "kind": kind, "msgid": entry.msgid,
        "english": marked, "terms": terms,
        "placeholders": placeholder_items(entry),
        "suggestions": suggestions(entry, memory) if memory is not None else [],
        "diff": word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else None,
        **entry_state(entry, find),
    }


def place(entry) -> tuple[int, str]:
    """(the entry's block number, from its msgctxt ``BLOCK.SEGMENT``; the block's kind, from its
    ``#.`` comment)."""
    block = (entry.msgctxt or "0.0").partition(".")[0]
    kind = next((KIND_NAMES[line] for line in entry.comment.splitlines() if line in KIND_NAMES), "paragraph")
    return (int(block) if block.isdigit() else 0), kind


def english_view(index, english: str):
    """(the English as HTML with its terms marked, the terms) for the page."""
    matches = index.find(english)
    return marked_english(english, matches), term_list(matches)


def entry_state(entry, find) -> dict:
    """What a save changes of an entry, as the page and the API's answers show it: its text and
    state, issues, where the draft came from, who approved it, the reviewer's comments (the
    translator comment less its ``ignore:`` lines) and the issues accepted (those lines)."""
    from localize.review import ReviewEntry, ignore_lines

    review = ReviewEntry(entry)
    issues = entry_issues(entry, find)
    ignores = ignore_lines(entry)
    tcomment = entry.tcomment or ""
    return {
        "msgstr": entry.msgstr, "fuzzy": review.fuzzy, "state": review.state, "issues": issues,
        "blocking": any(issue["severity"] == "blocking" for issue in issues),
        "provenance": review.draft_origin,
        "approved": next((text for text in review.approvals), "")[len("approved: "):],
        "tcomment": tcomment, "ignores": ignores, "notes": comment_notes(tcomment),
    }


def comment_notes(tcomment: str) -> str:
    """The reviewer's own lines of a translator comment: all but the ``ignore:`` lines the tool reads."""
    return "\n".join(line for line in tcomment.split("\n") if not is_ignore_line(line)) if tcomment else ""


def is_ignore_line(line: str) -> bool:
    return line.strip().lower().startswith("ignore:")


def placeholder_items(entry) -> list[dict]:
    """The English's placeholders in order, each once, with what it stands for (from the ``#.``
    line catalog wrote: "link to https://...", "bold", "image")."""
    described = {}
    for line in entry.comment.splitlines():
        note = _PLACEHOLDER_NOTE.fullmatch(line.strip())
        if note:
            described[int(note[1] or note[3])] = note[2] or note[4]
    items: list[dict] = []
    for parts in _TAG_PARTS.finditer(entry.msgid):
        tag = parts.group()
        if any(item["tag"] == tag for item in items):
            continue
        number = int(parts[2])
        what = described.get(number, "markup")
        role = "end" if parts[1] else "single" if parts[3] else "start"
        if role == "end":
            what = f"end of {what.split(' to ', 1)[0]}"
        items.append({"tag": tag, "number": number, "role": role, "what": what})
    return items


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
