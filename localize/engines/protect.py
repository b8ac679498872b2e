"""Keep what the model must not touch out of its reach, and put it back after.

Inline placeholders (``<1>``, ``</1>``, ``<2/>``), URLs, e-mail addresses and
numbers are cut out of a segment before tokenisation and replaced by mask
tokens (``⦅1⦆``) that the model sees as unknown words; CTranslate2's
``replace_unknowns`` copies them to the output, where they are restored.  Any
protected item missing from the output is reported by ``qa.kept`` as a
``missing-<kind>`` issue, never lost silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from localize.segment import TAG

_NOT_PROSE = (
    TAG
    # A URL, not its final punctuation: greedy to the next space, then back to the last
    # character that is not punctuation (one pass; a lazy match with a look-ahead is quadratic).
    + r"|(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'\u2019\u201d]"
    # An e-mail address, starting only where a word starts (else every letter of a long
    # word is a start and the scan is quadratic).
    + r"|(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
NOT_PROSE = re.compile(_NOT_PROSE)  # placeholders, URLs, e-mail addresses: no terms in there
PROTECTED = re.compile(_NOT_PROSE + r"|(?<![\w.])\d+(?:[.,:/]\d+)*")  # and 2017, 1,200, 3.5, 12:30, 2017/18
MASK = "\u2985{}\u2986"  # ⦅n⦆: SentencePiece's NFKC turns ｟｠ into these, so use them as is
MASK_TOKEN = re.compile("(\u2581?)\u2985(\\d+)\u2986")
MASK_TEXT = re.compile("\u2985(\\d+)\u2986")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Protected:
    """A segment cut into text runs (to tokenise) and protected values (to keep)."""

    runs: tuple[str, ...]  # len(values) + 1 runs: text before, between and after values
    values: tuple[str, ...]

    @property
    def translatable(self) -> bool:
        """Whether any words are left for the model once the protected items are out."""
        return any(_LETTER.search(run) for run in self.runs)


def protect(text: str, bound=()) -> Protected:
    """``text`` cut at its protected items, and at ``bound`` spans ((start, end, value, ...): a
    glossary name, put back as its approved Arabic) that overlap none of them."""
    spans = [(match.start(), match.end(), match.group()) for match in PROTECTED.finditer(text)]
    if bound:
        spans = sorted(spans + [span for span in bound
                                if not any(span[0] < end and start < span[1] for start, end, _ in spans)])
    runs, values, position = [], [], 0
    for start, end, value, *_ in spans:
        runs.append(text[position:start])
        values.append(value)
        position = end
    runs.append(text[position:])
    return Protected(tuple(runs), tuple(values))


def mask_tokens(protected: Protected, run_tokens: list[list[str]], joins) -> list[str]:
    """The token sequence for the model: each run's tokens, a mask token between runs.

    ``run_tokens`` are the tokenizer's pieces of each run; ``joins(piece)``
    returns the piece without its word-start marker when the run is glued to the
    mask before it ("⦅1⦆%" has no space), or the piece unchanged.
    """
    tokens = []
    for index, run in enumerate(protected.runs):
        pieces = list(run_tokens[index])
        if index and pieces and not run[:1].isspace():
            first = joins(pieces[0])
            pieces = pieces[1:] if first == "" else [first, *pieces[1:]]
        tokens.extend(pieces)
        if index < len(protected.values):
            starts_word = run[-1:].isspace() or (index == 0 and not run)
            tokens.append(("\u2581" if starts_word else "") + MASK.format(index + 1))
    return tokens


def restore(tokens: list[str], values: tuple[str, ...], decode) -> str:
    """The draft text from the model's tokens, masks replaced by their values.

    A value the model repeated is kept once (a doubled ``<1>`` would break
    markup); one it lost stays lost, and ``qa.kept`` reports it.
    """
    parts: list[str] = []
    run: list[str] = []  # the model's own tokens since the last mask
    used: set[int] = set()

    def flush() -> None:
        if run:
            text = decode(run)
            parts.append((" " if parts and run[0].startswith("\u2581") else "") + text)
            run.clear()

    for token in tokens:
        match = MASK_TOKEN.fullmatch(token)
        number = int(match.group(2)) if match else 0
        if match is None or not 1 <= number <= len(values):
            run.append(token)
            continue
        flush()
        if number not in used:
            used.add(number)
            parts.append((" " if match.group(1) and parts else "") + values[number - 1])
    flush()
    text = "".join(parts)

    def spelled_out(match):  # the model wrote the mask as separate pieces
        number = int(match.group(1))
        if 1 <= number <= len(values) and number not in used:
            used.add(number)
            return values[number - 1]
        return ""

    return re.sub(r"\s{2,}", " ", MASK_TEXT.sub(spelled_out, text)).strip()



def as_written(protected: Protected, bound=()) -> tuple[str, tuple[str, ...]]:
    """The draft of a segment with no words for the model (``not translatable``): its
    protected values in place, a glossary name as its approved Arabic (a heading that is only
    "Ali Khamenei", a dateline "Tehran."), Arabic punctuation between them; and the English
    terms so put in.  Never the English copied as a draft."""
    from localize.checks.arabic import arabic_punctuation

    approved = {binding[2]: binding[3] for binding in bound}
    parts = [arabic_punctuation(protected.runs[0])]
    for value, run in zip(protected.values, protected.runs[1:], strict=True):
        parts += [value, arabic_punctuation(run)]
    used = tuple(dict.fromkeys(approved[value] for value in protected.values if value in approved))
    return "".join(parts).strip(), used


def kind(value: str) -> str:
    """What a protected value is: placeholder, email, number or url."""
    if value.startswith("<"):
        return "placeholder"
    if "@" in value:
        return "email"
    if value[:1].isdigit():
        return "number"
    return "url"


def blank_markup(text: str) -> str:
    """``text`` with its placeholders, URLs and e-mail addresses as spaces (offsets kept):
    ``.../iraq-popular-mobilization-forces.pdf`` holds no glossary term."""
    if "<" not in text and "@" not in text and "http" not in text and "www." not in text:
        return text  # the usual sentence: nothing to blank, no scan
    return NOT_PROSE.sub(lambda match: " " * len(match.group()), text)
