"""Updating a PO when the article changes: reviewed work is never lost."""

import subprocess
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from localize.readers import parse_article
from localize.catalog import build_catalog, parse_catalog, render
from localize.review import ReviewEntry, reviewed
from localize.segment import segment_article


def update(text: str, previous=None):
    """What `localize translate --no-mt` does: the new PO from the article and the old PO."""
    article = parse_article(text.encode(), "story.txt")
    po = build_catalog(article, segment_article(article), "story.txt", previous)
    return parse_catalog(render(po), "story.po")  # through the file format, as on disk


def review(po, msgid, msgstr, comment=""):
    entry = next(e for e in po if e.msgid == msgid and not e.obsolete)
    entry.msgstr, entry.flags, entry.tcomment = msgstr, [], comment
    return parse_catalog(render(po), "story.po")


STORY = ("Ministers meet in Baghdad\n\n"
         "The talks began on Monday. Officials said little.\n\n"
         "A second round is planned. The talks began on Monday.\n")


def test_a_reviewed_sentence_whose_english_changed_becomes_fuzzy_with_the_previous_msgid(tmp_path):
    po = review(update(STORY), "Officials said little.", "قال المسؤولون القليل.", "checked by Sara")
    po = update(STORY.replace("Officials said little.", "Officials said very little."), po)
    entry = next(e for e in po if e.msgid == "Officials said very little.")
    assert (entry.msgstr, entry.flags, entry.previous_msgid, entry.tcomment) == (
        "قال المسؤولون القليل.", ["fuzzy"], "Officials said little.", "checked by Sara")
    assert '#| msgid "Officials said little."' in render(po)
    assert not [e for e in po if e.obsolete]
    (tmp_path / "story.po").write_text(render(po), encoding="utf-8")
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(tmp_path / "story.po")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    again = update(STORY.replace("Officials said little.", "Officials said very little."), po)
    assert render(again) == render(po)  # the fuzzy entry and its #| msgid stay as they are


def test_a_stale_machine_draft_is_not_carried_to_changed_english():
    po = update(STORY)
    ReviewEntry(next(e for e in po if e.msgid == "Officials said little.")).add_draft("مسودة", "machine translation, m 1")
    po = update(STORY.replace("Officials said little.", "Officials said very little."), parse_catalog(render(po), "x"))
    assert next(e for e in po if e.msgid == "Officials said very little.").msgstr == ""  # gets a fresh draft
    assert [(e.msgid, e.msgstr) for e in po if e.obsolete] == [("Officials said little.", "مسودة")]


def test_a_removed_sentence_becomes_obsolete_and_comes_back_with_its_translation():
    po = review(update(STORY), "A second round is planned.", "جولة ثانية مقررة.")
    po = update(STORY.replace("A second round is planned. ", ""), po)
    assert [(e.msgid, e.msgstr) for e in po if e.obsolete] == [("A second round is planned.", "جولة ثانية مقررة.")]
    po = update(STORY, po)
    entry = next(e for e in po if e.msgid == "A second round is planned.")
    assert reviewed(entry) and not any(e.obsolete for e in po)


def test_the_same_sentence_twice_stays_two_entries_with_their_own_translations():
    po = update(STORY)
    first, second = [e for e in po if e.msgid == "The talks began on Monday."]
    first.msgstr, second.msgstr = "بدأت المحادثات يوم الاثنين.", "بدأت المحادثات الاثنين."
    po = update("New title\n\n" + STORY, parse_catalog(render(po), "x"))
    twice = [e for e in po if e.msgid == "The talks began on Monday."]
    assert [e.msgstr for e in twice] == ["بدأت المحادثات يوم الاثنين.", "بدأت المحادثات الاثنين."]


POOL = [f"Sentence number {word} is here." for word in
        "one two three four five six seven eight nine ten eleven twelve".split()]
edits = st.lists(st.tuples(st.sampled_from(["insert", "delete", "change", "duplicate", "review"]),
                           st.integers(0, 30), st.integers(0, len(POOL) - 1)), max_size=12)


def _text(paragraphs):
    return "Story title\n\n" + "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"


@settings(max_examples=60, deadline=None)
@given(edits)
def test_no_reviewed_translation_whose_english_still_exists_is_lost(steps):
    paragraphs = [[POOL[0], POOL[1]], [POOL[2]]]
    po = update(_text(paragraphs))
    for action, where, which in steps:
        flat = [s for p in paragraphs for s in p]
        if action == "review":
            live = [e for e in po if not e.obsolete and e.msgid != "Story title"]
            entry = live[where % len(live)]
            entry.msgstr, entry.flags = f"ترجمة {where} {entry.msgid}", []
            po = parse_catalog(render(po), "x")
            continue
        paragraph = paragraphs[where % len(paragraphs)]
        if action == "insert":
            paragraph.insert(where % (len(paragraph) + 1), POOL[which])
        elif action == "delete" and len(flat) > 1 and paragraph:
            paragraph.pop(where % len(paragraph))
        elif action == "change" and paragraph:
            i = where % len(paragraph)
            paragraph[i] = paragraph[i].replace(" is here.", " is here now.")
        elif action == "duplicate" and paragraph:
            paragraphs.append([paragraph[0]])
        before = Counter((e.msgid, e.msgstr) for e in po if reviewed(e))
        po = update(_text(paragraphs), po)
        now_live = Counter((e.msgid, e.msgstr) for e in po if reviewed(e))
        kept = (now_live + Counter((e.msgid, e.msgstr) for e in po if e.obsolete and e.msgstr)
                + Counter((e.previous_msgid, e.msgstr) for e in po if e.previous_msgid and not e.obsolete))
        assert not before - kept, "a reviewed translation was dropped"  # live, obsolete, or the start of a changed one
        occurrences = Counter(e.msgid for e in po if not e.obsolete)
        for (msgid, msgstr), count in before.items():
            if occurrences[msgid]:  # its English is still there: it is still reviewed, unaltered
                assert now_live[(msgid, msgstr)] >= min(count, occurrences[msgid]) or \
                    sum(now_live[(m, s)] for m, s in now_live if m == msgid) == occurrences[msgid]
