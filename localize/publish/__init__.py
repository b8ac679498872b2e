"""Arabic and bilingual editions of a reviewed article: HTML, Markdown, text.

An ``Edition`` pairs each block of the article with its Arabic, joined from the
block's PO entries in order.  Inline markup comes back where the translator
left the placeholders; in HTML it is rebuilt from the article's own markup and
then sanitised with nh3 (ammonia), so nothing from an article or a translation
can run script.  Text is escaped by Jinja2's autoescaping (HTML) or by
``markdown_escape`` (Markdown).  Latin words, numbers, URLs and e-mail
addresses inside Arabic are isolated with ``<bdi dir="ltr">`` so the bidi
algorithm cannot reorder them with their neighbours.  Dates come from the
article's metadata and are formatted for Arabic with Babel.

Nothing here reads or writes files: the command gives the parsed article and PO.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from localize import __version__
from localize.records import Article, Block, Inline
from localize.errors import LocalizeError
from localize.publish.text import SAFE_SCHEMES, markdown_escape, markdown_text, placeholders, plain_text

if TYPE_CHECKING:
    from polib import POEntry

FORMATS = ("html", "bilingual", "md", "txt")
SUFFIXES = {"html": ".ar.html", "bilingual": ".bilingual.html", "md": ".ar.md", "txt": ".ar.txt"}
DIGITS = {"western": "latn", "arabic-indic": "arab"}  # CLDR numbering systems
DRAFT_EN = "draft: unreviewed machine translation"
DRAFT_AR = "مسودة: ترجمة آلية لم تُراجع"
METADATA_LABELS = {"published": ("Published", "نُشر في"), "last_modified": ("Last Modified", "آخر تعديل"),
                   "author": ("By", "بقلم")}
_METADATA_KEYS = {"published": ("published", "date"), "last_modified": ("last_modified", "updated"),
                  "author": ("author",)}  # what the readers find (HTML meta, front matter, "Last Modified:")

_LATIN = r"A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF"
_LTR_RUN = re.compile(  # what keeps left-to-right order inside Arabic text
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'\u2019\u201d]"  # URL, not its final punctuation (linear)
    r"|(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail address, from a word's start
    rf"|(?:\+(?=[0-9]))?[{_LATIN}](?:[{_LATIN} .,'\u2019&/:+%_-]*[{_LATIN}%])?"  # Latin words, numbers
    # ("Emmanuel Macron", "60,000"; a phone number with its leading +: "+964 770 123 4567")
)
_INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img",
                          "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
                          "u", "var", "wbr"})
_ATTRIBUTES = {"*": {"lang", "dir", "title"}, "a": {"href", "hreflang"}, "img": {"src", "alt", "width", "height"},
               "time": {"datetime"}, "abbr": {"title"}}


@dataclass(frozen=True)
class Part:
    """One block of the edition: the English, and the Arabic joined from its entries."""

    block: Block
    number: int
    arabic: str  # placeholders as in the English; English kept for an untranslated segment
    draft: bool  # some segment of it is not reviewed


@dataclass(frozen=True)
class Edition:
    slug: str
    source: str
    parts: tuple[Part, ...]
    metadata: dict
    locale: str = "ar"
    digits: str = "western"
    unreviewed: int = 0  # segments not reviewed (drafts and untranslated)
    issues: int = 0  # glossary and QA issues
    segments: int = 0
    draft: bool = False  # published with --allow-draft while unfinished: every page says so


def build_edition(article: Article, po, source: str, *, locale: str = "ar", digits: str = "western",
                  issues: int = 0, allow_draft: bool = False) -> Edition:
    """Pair the article's blocks with the PO's translations (``po`` from the same article bytes)."""
    from localize.review import reviewed

    entries = {entry.msgctxt: entry for entry in po if not entry.obsolete}
    texts: dict[int, list[str]] = {}
    drafts: set[int] = set()
    unreviewed = 0
    for number, entry in _block_entries(article, entries, source):
        if not reviewed(entry):
            unreviewed += 1
            drafts.add(number)
        texts.setdefault(number, []).append(entry.msgstr or entry.msgid)
    parts = tuple(Part(block, number, " ".join(texts.get(number, [])), number in drafts)
                  for number, block in enumerate(article.blocks, 1))
    draft = allow_draft and bool(unreviewed or issues)
    return Edition(article.slug, source, parts, article.metadata, locale, digits, unreviewed, issues,
                   len(entries), draft)


def _block_entries(article: Article, entries: dict, source: str) -> list[tuple[int, POEntry]]:
    """(block number, entry) for every segment of the article, in article order.

    The PO carries the segments: entries "<block>.1", "<block>.2", ... whose English, in that
    order, is the block's whole text (only white space between and around them), as
    ``segment_article`` cut it when ``translate`` wrote the PO from these very bytes.  Where the
    entries say so, the article is not segmented again; where they do not (an entry deleted or
    edited by hand), it is, to name the segment the PO lacks."""
    found = []
    for number, block in enumerate(article.blocks, 1):
        text, position, sentence = block.text, 0, 1
        while (entry := entries.get(f"{number}.{sentence}")) is not None:
            start = text.find(entry.msgid, position) if entry.msgid else -1
            if start < 0 or text[position:start].strip():  # not there, or words between
                return _segmented(article, entries, source)
            found.append((number, entry))
            position, sentence = start + len(entry.msgid), sentence + 1
        if text[position:].strip():
            return _segmented(article, entries, source)
    return found


def _segmented(article: Article, entries: dict, source: str) -> list[tuple[int, POEntry]]:
    """``_block_entries`` by segmenting the article: each segment's entry, or the error naming
    the first segment without one."""
    from localize.segment import segment_article

    found = []
    for segment in segment_article(article):
        entry = entries.get(segment.key)
        if entry is None or entry.msgid != segment.source:
            raise LocalizeError(source, f"the PO has no entry {segment.key} for {segment.source[:40]!r}",
                                "run `localize translate` on the article to update the PO, then review it")
        found.append((segment.block, entry))
    return found


def render(edition: Edition, fmt: str) -> str:
    """The edition as one page of the given format (see FORMATS)."""
    template = _environment().get_template(f"{fmt}.{'html' if fmt == 'bilingual' else fmt}.j2")
    return template.render(edition=edition, **_context(edition, fmt))


def _context(edition: Edition, fmt: str) -> dict:
    title = next((part for part in edition.parts if part.block.kind == "title"), edition.parts[0])
    context: dict[str, object] = {"title_ar": plain_text(title.arabic, title.block.inline),
               "title_en": plain_text(title.block.text, title.block.inline),
               "metadata": list(metadata_lines(edition)), "version": __version__,
               "banner": draft_counts(edition) if edition.draft else "", "DRAFT_EN": DRAFT_EN, "DRAFT_AR": DRAFT_AR,
               "page_lang": "en" if fmt == "bilingual" else "ar", "page_dir": "ltr" if fmt == "bilingual" else "rtl"}
    if fmt == "html":
        context["nodes"] = list(_nodes(edition.parts))
    elif fmt == "bilingual":
        context["parts"] = edition.parts
    else:
        context["lines"] = list(_text_lines(edition, markdown=fmt == "md"))
        context["front_matter"] = _front_matter(edition, context) if fmt == "md" else ""
    return context


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(loader=PackageLoader("localize.publish", "templates"), undefined=StrictUndefined,
                              autoescape=select_autoescape(["html.j2"], default=False),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["arabic_html"] = lambda part: html_fragment(part.arabic, part.block.inline, True)
    environment.filters["english_html"] = lambda part: html_fragment(part.block.text, part.block.inline, False)
    environment.filters["md"] = markdown_escape
    environment.globals["heading_level"] = heading_level
    return environment


# --- HTML ---------------------------------------------------------------------------------------------------------

def html_fragment(text: str, inline: tuple[Inline, ...], isolate: bool):
    """A block's text as safe inline HTML: markup restored from the placeholders, then sanitised."""
    import nh3
    from markupsafe import Markup, escape

    markup = {item.id: item.html_markup for item in inline}
    pieces = []
    for kind, value in placeholders(text, inline):
        if kind == "text":
            pieces.append(_isolate(value) if isolate else str(escape(value)))
        elif _inline_tag(markup[value][0]) in _INLINE_TAGS:  # a tag nh3 keeps, so never raw text
            pieces.append(markup[value][1 if kind == "close" else 0])
    cleaned = nh3.clean("".join(pieces), tags=set(_INLINE_TAGS), attributes=_ATTRIBUTES,
                        url_schemes=set(SAFE_SCHEMES), link_rel="noopener noreferrer")
    return Markup(cleaned)


def _inline_tag(start: str) -> str:
    """The element name of a start tag such as '<a href="...">'."""
    match = re.match(r"<([A-Za-z][\w-]*)", start)
    return match.group(1).lower() if match else ""


def _isolate(text: str) -> str:
    """Escape ``text`` and wrap its left-to-right runs in ``<bdi dir="ltr">``."""
    from markupsafe import escape

    out, position = [], 0
    for match in _LTR_RUN.finditer(text):
        out.append(str(escape(text[position:match.start()])))
        out.append(f'<bdi dir="ltr">{escape(match.group())}</bdi>')
        position = match.end()
    out.append(str(escape(text[position:])))
    return "".join(out)


def heading_level(block: Block) -> int:
    return 1 if block.kind == "title" else min(max(block.level, 2), 6)


def _nodes(parts: Iterable[Part]) -> Iterator[dict]:
    """Parts for the Arabic page, with runs of list items gathered into (nested) lists."""
    run: list[Part] = []
    for part in parts:
        if part.block.kind == "list_item":
            run.append(part)
            continue
        if run:
            yield from _lists(run)
            run = []
        yield {"type": "part", "part": part}
    if run:
        yield from _lists(run)


def _lists(items: list[Part]) -> list[dict]:
    """Nested lists: an item's deeper followers are its children; a new list where ordered changes."""
    base = min(item.block.level for item in items)
    lists: list[dict] = []
    index = 0
    while index < len(items):
        end = index + 1
        while end < len(items) and items[end].block.level > base:
            end += 1
        ordered = _ordered(items[index].block.marker)
        if not lists or lists[-1]["ordered"] != ordered:
            number = re.match(r"\d+", items[index].block.marker)  # (an ordered list's marker starts with one)
            start = int(number.group()) if number else 1
            lists.append({"type": "list", "ordered": ordered, "start": start, "items": []})
        children = _lists(items[index + 1:end]) if end > index + 1 else []
        lists[-1]["items"].append({"part": items[index], "children": children})
        index = end
    return lists


def _ordered(marker: str) -> bool:
    return bool(re.match(r"\d", marker))


# --- Markdown and text ----------------------------------------------------------------------------------------------

def _text_lines(edition: Edition, markdown: bool):
    """(prefix, text) per block for the Markdown and text editions; lists stay together,
    a nested item is indented under its parent's text."""
    previous: Block | None = None
    indents: list[int] = []  # indents[i]: where the text of the open item at depth i starts
    for part in edition.parts:
        block = part.block
        text = markdown_text(part.arabic, block.inline) if markdown else plain_text(part.arabic, block.inline)
        prefix = ""
        if block.kind in ("title", "heading") and markdown:
            prefix = "#" * heading_level(block) + " "
        elif block.kind == "quote":
            prefix = "> "
        elif block.kind == "list_item":
            depth = max(block.level, 1) - 1
            indents = indents[:depth] + [0] * (depth - len(indents))
            marker = block.marker if _ordered(block.marker) or not markdown else "-"
            indent = indents[-1] if indents else 0
            prefix = " " * indent + f"{marker or '-'} "
            indents.append(len(prefix))
        tight = previous is not None and previous.kind == "list_item" and block.kind == "list_item" and (
            _ordered(previous.marker) == _ordered(block.marker) or block.level > previous.level)
        yield {"prefix": prefix, "text": text, "tight": tight}
        previous = block


def _front_matter(edition: Edition, context: dict) -> str:
    """YAML front matter for static site generators (JSON strings are valid YAML); the article's
    path on the desk's disk is not the readers' business, so it is not there."""
    fields = {"title": context["title_ar"], "lang": "ar", "dir": "rtl"}
    fields.update({item["key"]: item["iso"] for item in context["metadata"] if item["iso"]})
    if edition.draft:
        fields["draft"] = True
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())


# --- numbers and dates ------------------------------------------------------------------------------------------------

def metadata_lines(edition: Edition):
    """The article's dates and author, labelled in both languages, for the page footer."""
    for key, (label_en, label_ar) in METADATA_LABELS.items():
        found = next((name for name in _METADATA_KEYS[key] if edition.metadata.get(name)), None)
        if found is None:
            continue
        value = str(edition.metadata[found])
        if key == "author":
            yield {"key": key, "iso": "", "label_en": label_en, "label_ar": label_ar, "en": value, "ar": value}
            continue
        moment = _parse_iso(value)
        english = edition.metadata.get(f"{found}_text") or (format_moment(moment, value, "en", "western")
                                                          if moment else value)
        arabic = format_moment(moment, value, edition.locale, edition.digits) if moment else value
        yield {"key": key, "iso": value if moment else "", "label_en": label_en, "label_ar": label_ar,
               "en": english, "ar": arabic}


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def format_moment(moment: datetime, iso: str, locale: str, digits: str) -> str:
    """A date (and time, if the ISO text has one) in the locale's long form, e.g.
    'الخميس، 7 ديسمبر 2017، 4:26 م'; a time is shown in the article's own offset."""
    from babel.dates import format_date, format_time, get_datetime_format

    date = format_date(moment, "full", locale=locale)
    if "T" in iso or " " in iso.strip():
        time = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
        pattern = str(get_datetime_format("full", locale=locale))  # "{1}، {0}" (Babel's annotation says a
        date = pattern.replace("{1}", date).replace("{0}", time)  # DateTimePattern; it is the str)
    return to_digits(date, digits)


def format_number(number: int, locale: str, digits: str) -> str:
    """Grouping and separators from Babel for the numbering system (٬ ٫ for Arabic-Indic)."""
    from babel.numbers import format_decimal

    return to_digits(format_decimal(number, locale=locale, numbering_system=DIGITS[digits]), digits)


def to_digits(text: str, digits: str) -> str:
    """Western digits as Arabic-Indic ones when asked: Babel picks the numbering system's
    symbols but writes Western digits, in dates and numbers alike."""
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


_SEGMENTS = {"zero": "مقطع", "one": "مقطع", "two": "مقطعين", "few": "مقاطع", "many": "مقطعًا", "other": "مقطع"}
_NOTES = {"zero": "ملاحظة", "one": "ملاحظة", "two": "ملاحظتان", "few": "ملاحظات", "many": "ملاحظةً",
          "other": "ملاحظة"}


def draft_counts(edition: Edition) -> dict:
    """The banner's counts in English, and in Arabic with the locale's digits and the noun
    form Arabic needs for each number (Babel's CLDR plural categories)."""
    from babel import Locale

    plural = Locale.parse(edition.locale).plural_form

    def number(value):
        return format_number(value, edition.locale, edition.digits)

    english = (f"{edition.unreviewed} of {edition.segments} segments not reviewed, "
               f"{edition.issues} issue{'s' if edition.issues != 1 else ''}")
    arabic = (f"{number(edition.unreviewed)} من {number(edition.segments)} {_SEGMENTS[plural(edition.segments)]} "
              f"لم تُراجع، {number(edition.issues)} {_NOTES[plural(edition.issues)]}")
    return {"en": english, "ar": arabic}


def check_locale(locale: str) -> str:
    """A Babel locale for Arabic (ar, ar_IQ, ar_SY, ...), or a one-line error."""
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        parsed = None
    if parsed is None or parsed.language != "ar":
        raise LocalizeError(f"--locale {locale}", "not a known Arabic locale", "use ar or one such as ar_IQ")
    return str(parsed)
