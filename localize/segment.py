"""Sentence segmentation for English news copy, with offsets into the block.

The segmenter scans a block once for candidate boundaries (terminal punctuation
followed by whitespace) and decides each candidate from the token before it and
the word after it.  It knows the abbreviations news copy uses (titles, initials,
U.S., a.m., months, No.), ellipses, quotes and brackets that close after the
full stop, URLs and e-mail addresses, and numbered or bulleted lists run into
one line.  Inline placeholders (``<1>``, ``</1>``, ``<2/>``) are transparent.

``split(text)`` returns ``(start, end)`` spans: every span is stripped of
surrounding whitespace, and what lies between spans is whitespace only, so the
spans joined with their gaps give the block back exactly.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from localize.records import Segment

if TYPE_CHECKING:
    from localize.records import Article

TAG = r"</?\d+/?>"
_TAG_RE = re.compile(TAG)

# Terminal punctuation (incl. spaced ellipses ". . ."), closing quotes,
# brackets and placeholders, then whitespace or the end of the text.
_CANDIDATE = re.compile(
    # Only from the start of a run of punctuation: a later start can match nothing the first
    # could not, and trying each one makes a long run ("!!!!...x") quadratic.
    r"(?<![.!?\u2026\u203d])(?!(?<=\. )\.)"
    r"(?P<punct>(?:\.(?: \.)+|[.!?\u2026\u203d])+)"
    r"(?P<close>(?:[\"'\u201d\u2019\u00bb)\]]|</\d+>)*(?:<\d+/>)*)"  # line breaks (<br><br>) stay with it
    r"(?:(?<=/>)|(?=\s|\Z))"  # a line-break placeholder counts as whitespace
)
_OPENERS = r"(?:[\"'\u201c\u2018\u00ab(\[]|<\d+/?>)*"
# The word after a candidate, openers aside; only its start matters (its case, whether it is a
# starter or a time zone), so a word run on for 1 MB is read no further than 100 characters.
_NEXT_WORD = re.compile(r"\s*" + _OPENERS + r"\s*(\S{0,100})")
_TOKEN_BREAK = re.compile(r"\s|<\d+/>")  # what ends the token before a candidate (a <br> placeholder too)
_BULLETS = "\u2022\u2043\u25aa\u25e6\u2023\u25cf"
_BULLET_RE = re.compile(r"(?<=\s)[" + _BULLETS + "]")
_BLANK_LEAD = re.compile(r"(?:\s|</?\d+/?>|[" + _BULLETS + "])*")
_LIST_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?:[" + _BULLETS + r"]\s*)?(?P<value>\d{1,3}|[a-z])(?P<sep>\.\)|\.|\))(?=\s)"
)

TITLES = frozenset(
    "Mr Mrs Ms Messrs Mmes Mme Mlle Dr Drs Prof Gen Gens Lt Col Maj Capt Cpt Sgt Cpl Pvt "
    "Adm Cmdr Cdr Brig Sen Sens Rep Reps Gov Pres Amb Rev Fr Hon Supt Insp Det Atty "
    "St Ste Mt Ft Pt Sheikh Sh".split()
)
NUMBER_ABBREVIATIONS = frozenset(
    "No Nos no nos N\u00b0 p pp P Vol vol Vols Art art Arts Fig fig Figs Ch ch Sec sec "
    "Para para Ref ref Tel tel Ex ex ca c Op op Ed ed Pg pg Rm rm Apt apt".split()
)
# (Company and name suffixes, Co, Inc, Ltd, Jr, PhD ..., end a sentence as readily as any word
# does: they need no list.)
# Abbreviations usually followed by more of the same sentence.
OTHER_ABBREVIATIONS = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs "
    "Fri Sat Sun etc approx est dept Dept Univ Assn Ave Blvd Rd Hwy Jct Mfg Govt govt "
    "vs v cf al Ala Ariz Ark Calif Colo Conn Fla Ga Ida Ind Kan Ky La Md Mich Minn Mo "
    "Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wis Wyo Is Gov't mln bln bn".split()
)
NEVER_END = frozenset({"vs", "v", "cf"})
TIME_PREPOSITIONS = frozenset(
    "At By Before After Until Till From Since Around About Near Shortly Between".split()
)
TIME_ZONES = frozenset("GMT UTC EST EDT CST CDT MST MDT PST PDT ET CT MT PT BST CET CEST".split())
SENTENCE_STARTERS = frozenset(
    "A An The He She It They We I You His Her Its Their Our My This That These Those "
    "There Here But And Or So Yet However Meanwhile Moreover Also Then Now Still Thus "
    "Although Though While When Where What Who Why How Which If As After Before In On "
    "For From With Since Some Many Most All Not Nor Such Both Each Every Other Another "
    "Instead Indeed Earlier Later Last Next Today Yesterday Tomorrow According Despite "
    "During Under Over Asked Speaking".split()
)


def split(text: str) -> list[tuple[int, int]]:
    """Return the sentence spans of ``text`` as ``(start, end)`` offsets."""
    forced = _list_cuts(text)
    cuts = sorted(set(forced) | set(_punctuation_cuts(text, forced)))
    return _with_words(text, _spans(text, cuts))


_WORD = re.compile(r"\w")
_LEADING_CLOSE = re.compile(r"(?:</\d+>\s*)+")


def _with_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with every word-less one (a closing ``</14>``, a lone "." or "* * *", an image
    placeholder) joined to the sentence before it, or to the one after it at the start: a
    translator has nothing to translate there.  A block with no words at all stays one span."""
    merged: list[list[int]] = []
    orphan = None  # a word-less start of the block, waiting for the first sentence with words
    for span_start, end in spans:
        start = span_start
        closing = _LEADING_CLOSE.match(text, start, end)
        if merged and closing and closing.end() > start:  # "<1>Sentence. </1> Next": </1> ends the first
            merged[-1][1] = start + len(closing.group().rstrip())
            start = closing.end()
            if start >= end:
                continue
        if _WORD.search(_TAG_RE.sub("", text[start:end])):
            merged.append([orphan if orphan is not None else start, end])
            orphan = None
        elif merged:
            merged[-1][1] = end
        elif orphan is None:
            orphan = start
    if orphan is not None:  # no words anywhere
        merged.append([orphan, spans[-1][1]])
    return [(start, end) for start, end in merged]


def segment_article(article: Article) -> list[Segment]:
    """The article's segments in order, keyed "<block>.<sentence>" (both from 1)."""
    segments = []
    for block_number, block in enumerate(article.blocks, 1):
        for sentence_number, (start, end) in enumerate(split(block.text), 1):
            segments.append(Segment(
                key=f"{block_number}.{sentence_number}", block=block_number, kind=block.kind,
                source=block.text[start:end], line=block.line,
            ))
    return segments


def sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` as strings."""
    return [text[start:end] for start, end in split(text)]


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    previous = 0
    for cut in [*cuts, len(text)]:
        piece = text[previous:cut]
        stripped = piece.strip()
        if stripped:
            start = previous + (len(piece) - len(piece.lstrip()))
            spans.append((start, start + len(stripped)))
        previous = cut
    return spans


def _list_cuts(text: str) -> list[int]:
    """Positions where a list item starts inside running text."""
    cuts = [m.start() for m in _BULLET_RE.finditer(text)]
    markers = [(m.start(), m.group("value"), m.group("sep")) for m in _LIST_MARKER.finditer(text)]
    for run in _consecutive_runs(markers):
        cuts.extend(position for position, _, _ in run)
    return [cut for cut in cuts if cut > 0]


_SHORTEST_LIST = 2  # markers in a run that make a list


def _consecutive_runs(markers: list[tuple[int, str, str]]) -> list[list[tuple[int, str, str]]]:
    """Runs of list markers (position, value, separator) numbered 1, 2, 3 (or a, b, c) with the
    same separator."""
    runs: list[list[tuple[int, str, str]]] = []
    current: list[tuple[int, str, str]] = []
    for marker in markers:
        if current and _follows(current[-1], marker):
            current.append(marker)
            continue
        if len(current) >= _SHORTEST_LIST:
            runs.append(current)
        current = [marker] if marker[1] in ("1", "a") else []
    if len(current) >= _SHORTEST_LIST:
        runs.append(current)
    return runs


def _follows(previous, marker) -> bool:
    (_, value, sep), (_, next_value, next_sep) = previous, marker
    if sep != next_sep:
        return False
    if value.isdigit() and next_value.isdigit():
        return int(next_value) == int(value) + 1
    return value.isalpha() and next_value.isalpha() and ord(next_value) == ord(value) + 1


def _punctuation_cuts(text: str, forced: list[int]) -> list[int]:
    forced = sorted(forced)
    cuts, segment_start, forced_index = [], 0, 0
    breaks, word_start, following_break = _TOKEN_BREAK.finditer(text), 0, None
    for match in _CANDIDATE.finditer(text):
        while forced_index < len(forced) and forced[forced_index] <= match.start():
            segment_start = max(segment_start, forced[forced_index])
            forced_index += 1
        while True:  # the token before the candidate starts after the last break before it
            following_break = following_break or next(breaks, None)
            if following_break is None or following_break.end() > match.start():
                break
            word_start, following_break = following_break.end(), None
        cut = _decide(text, match, segment_start, word_start)
        if cut is not None:
            cuts.append(cut)
            segment_start = cut
    return cuts


def _decide(text: str, match: re.Match, segment_start: int, word_start: int) -> int | None:
    """The cut position for a candidate boundary, or None if it is no boundary."""
    following = _next_word(text, match.end())
    if not following:
        return None
    punct = match.group("punct")
    if "." not in punct:  # ? and ! end a sentence unless the next word is lowercase
        return match.end() if _starts_sentence_case(following) else None
    dots = punct.count(".") + _ELLIPSIS_DOTS * punct.count("\u2026")
    if dots > 1 or "\u2026" in punct:
        return _decide_ellipsis(text, match, following, dots)
    token = _TAG_RE.sub("", text[word_start:match.start()]).lstrip("\"'\u201c\u2018\u00ab([")
    if _is_list_marker(text, token, match.start(), segment_start):
        return None
    if _period_ends_sentence(text, token, match.start(), following):
        return match.end()
    return None


_ELLIPSIS_DOTS = 3  # "..." (and "\u2026" counts as three); one dot more is a full stop after it


def _decide_ellipsis(text: str, match: re.Match, following: str, dots: int) -> int | None:
    start = match.start()
    if start > 0 and text[start - 1] == "[":  # "[...]" marks an omission
        return None
    if not _starts_upper(following):
        return None
    attached = start > 0 and not text[start - 1].isspace()
    spaced = " " in match.group("punct")
    if spaced and attached and dots > _ELLIPSIS_DOTS:  # "word. . . . Next": the period is the word's
        return start + 1
    if spaced and dots <= _ELLIPSIS_DOTS:  # " . . . " is an omission inside the sentence
        return None
    return match.end() if attached or dots > _ELLIPSIS_DOTS else None


def _period_ends_sentence(text: str, token: str, position: int, following: str) -> bool:
    if not _starts_sentence_case(following):
        return False
    core = token.rstrip(".")
    if "@" in core or "://" in core or core.startswith("www."):
        return True
    if core in NEVER_END or core in TITLES:
        return False
    if core in NUMBER_ABBREVIATIONS and following[0].isdigit():
        return False
    if re.fullmatch(r"[aApP]\.[mM]", core):
        return _time_ends_sentence(text, position, following)
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core) or core in OTHER_ABBREVIATIONS:
        return _is_starter(following)
    if len(core) == 1 and core.isupper():
        return _is_pronoun_i(text, core, position) or _is_starter(following)
    return True


def _time_ends_sentence(text: str, position: int, following: str) -> bool:
    """'at 6 p.m. Mr. Smith left' ends a sentence; 'At 5 a.m. Mr. Smith went' does not."""
    if _bare_word(following) in TIME_ZONES:
        return False
    return _bare_word(_word_back(text, position, 3)) not in TIME_PREPOSITIONS  # "At 5 a.m."


def _is_pronoun_i(text: str, core: str, position: int) -> bool:
    """'you and I.' (a pronoun after a lowercase word), unlike 'Albert I. Jones'."""
    if core != "I":
        return False
    return _word_back(text, position, 2)[:1].islower()


def _is_list_marker(text: str, token: str, position: int, segment_start: int) -> bool:
    """'1.' or 'a.' opening a list item, not ending a sentence."""
    bare = _TAG_RE.sub("", token).lstrip(_BULLETS)
    if not re.fullmatch(r"\d{1,3}|[A-Za-z]", bare):
        return False
    stop = position - len(token)  # nothing but blanks, placeholders and bullets since the segment began
    if stop <= segment_start:
        return True
    lead = _BLANK_LEAD.match(text, segment_start, stop)  # (matches, if only the empty string)
    return lead is not None and lead.end() == stop


def _word_back(text: str, position: int, count: int) -> str:
    """The ``count``-th word before ``position`` (1: the last one), "" if there are fewer;
    reading back only as far as needed."""
    window = 64
    while True:
        start = max(0, position - window)
        words = text[start:position].split()
        if start == 0 or len(words) > count:  # more than count: the first may be cut, the last are whole
            return words[-count] if len(words) >= count else ""
        window *= 4


def _next_word(text: str, position: int) -> str:
    match = _NEXT_WORD.match(text, position)  # (matches, if only the empty string)
    return match.group(1) if match else ""


def _bare_word(word: str) -> str:
    return _TAG_RE.sub("", word).strip(".,;:!?\"'\u201c\u201d\u2018\u2019()[]")


def _starts_upper(word: str) -> bool:
    return word[:1].isupper()


def _starts_sentence_case(word: str) -> bool:
    """Not a lowercase continuation (but 'iPhone' or 'eBay' can start a sentence)."""
    first = word[:1]
    if not first.islower():
        return True
    return bool(re.match(r"[a-z]+[A-Z]", word))


def _is_starter(word: str) -> bool:
    return _bare_word(word) in SENTENCE_STARTERS


def outline(article: Article) -> dict:
    """The article's blocks and segments as plain data (what ``segment --json`` prints)."""
    return {
        "title": article.title,
        "metadata": dict(article.metadata),
        "blocks": [
            {"kind": block.kind, "line": block.line, "text": block.text,
             "segments": [block.text[start:end] for start, end in split(block.text)]}
            for block in article.blocks
        ],
    }
