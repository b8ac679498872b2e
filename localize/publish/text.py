"""A block's text, placeholders and all, as Markdown or plain text.

Markdown is escaped so that any text shows as written (no markup, raw HTML or
entities from an article or a translation), and inline elements come back as
Markdown only for what Markdown has (links with safe targets, emphasis, code,
images); other markup keeps just its text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from localize.records import Inline
from localize.segment import TAG

TAG_SPLIT = re.compile(f"({TAG})")
TAG_PARTS = re.compile(r"<(/?)(\d+)(/?)>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&])")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKDOWN_PAIRS = {"em": "*", "i": "*", "strong": "**", "b": "**", "s": "~~", "del": "~~", "code": "`"}


def placeholders(text: str, inline: tuple[Inline, ...]):
    """The translator's text as balanced events: ("text", str), ("open", n), ("close", n), ("single", n).

    Whatever the translator did with the placeholders, every word is kept and
    the markup is well formed: an unknown placeholder is dropped, a closing one
    with nothing open is dropped, closing an outer pair closes what was opened
    inside it, pairs left open are closed at the end, a standalone element
    written as a pair (``<3>...</3>``) counts once, a pair written as ``<1/>``
    is dropped.
    """
    pairs = {item.id for item in inline if item.close}
    singles = {item.id for item in inline if not item.close}
    open_ids: list[int] = []
    for token in TAG_SPLIT.split(text):
        tag = TAG_PARTS.fullmatch(token) if token else None
        if tag is None:
            if token:
                yield "text", token
            continue
        number = int(tag[2])
        if number in singles and not tag[1]:
            yield "single", number
        elif number in pairs and not tag[3] and not tag[1]:
            open_ids.append(number)
            yield "open", number
        elif number in pairs and not tag[3] and number in open_ids:
            while open_ids:
                inner = open_ids.pop()
                yield "close", inner
                if inner == number:
                    break
    for number in reversed(open_ids):
        yield "close", number


def plain_text(text: str, inline: tuple[Inline, ...] = ()) -> str:
    """A block's text without its markup; inline code keeps its text."""
    kept = {item.id: _element_text(*item.html_markup) for item in inline if not item.close}
    pieces = [value if kind == "text" else kept.get(value, "") if kind == "single" else ""
              for kind, value in placeholders(text, inline)]
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _element_text(start: str, end: str) -> str:
    """The text inside a standalone element (Markdown inline code is one); "" for <br>, <img>."""
    element = _element(start, end)
    return "" if element is None else element.text_content()


@lru_cache(maxsize=1024)
def _element(start: str, end: str):
    """One inline element's HTML parsed (read only), or None if lxml cannot read it."""
    import lxml.html

    try:
        element = lxml.html.fragment_fromstring(start + end)
    except Exception:  # lxml raises several types for markup it cannot read
        return None
    return element if isinstance(element.tag, str) else None


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written: no markup, no raw HTML, no entities."""
    return markdown_escape_start(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_text(text: str, inline: tuple[Inline, ...]) -> str:
    """A block's text as Markdown: links, emphasis, code and images restored, other markup dropped.

    The block is one line: line breaks in a translation are spaces (only a <br>
    placeholder breaks a line), so no translation can start a list, a code
    block or a rule."""
    markup = {item.id: _markdown_markup(*item.html_markup) for item in inline}
    pieces, links = [], 0  # links open: Markdown has no link inside a link, the inner one keeps its text
    for kind, value in placeholders(text, inline):
        if kind == "text":
            pieces.append(markdown_escape(re.sub(r"\s+", " ", value)))
        elif kind == "single":
            pieces.append(markup[value][0])
        elif markup[value][0] == "[":
            links += kind == "open"
            pieces.append(markup[value][kind == "close"] if links == 1 else "")
            links -= kind == "close"
        else:
            pieces.append(markup[value][kind == "close"])
    return markdown_escape_start("".join(pieces).strip())


def markdown_escape_start(text: str) -> str:
    """Escape what would make the start of a line (the block's, or one after a <br>) a list
    item or a setext heading's underline; a line never starts with spaces."""
    text = re.sub(r"\n[ \t]+", "\n", text)
    return re.sub(r"(?m)^(\d+)([.)])|^([-+=])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


@lru_cache(maxsize=1024)
def _markdown_markup(start: str, end: str) -> tuple[str, str]:
    """The Markdown for one inline element given as HTML, or ("", "") to keep only its text."""
    element = _element(start, end)
    tag = "" if element is None else element.tag
    if tag == "a" and end and _safe_url(element.get("href", "")):
        return "[", f"](<{_one_line_url(element.get('href'))}>)"
    if tag in _MARKDOWN_PAIRS and end:
        return _MARKDOWN_PAIRS[tag], _MARKDOWN_PAIRS[tag]
    if tag == "img" and _safe_url(element.get("src", "")):
        alt = markdown_escape(re.sub(r"\s+", " ", element.get("alt", "")))
        return f"![{alt}](<{_one_line_url(element.get('src'))}>)", ""
    if tag == "code" and not end:  # Markdown inline code kept whole as one placeholder
        code = re.sub(r"\s+", " ", element.text_content())  # a line break would end the block
        return (f"`` {code} ``" if "`" in code else f"`{code}`"), ""
    if tag == "br":
        return "\\\n", ""
    if tag == "span" and not end:  # page text that looks like a placeholder ("<1>"), kept as text
        return markdown_escape(element.text_content()), ""
    return "", ""


def _one_line_url(url: str) -> str:
    """A link target for ``<...>``: white space and angle brackets percent-encoded."""
    return re.sub(r"[\s<>]", lambda m: quote(m.group()), url)


def _safe_url(url: str) -> bool:
    """A link target that can only navigate: http(s), mailto, or relative."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    if not cleaned or "<" in cleaned or ">" in cleaned:
        return False
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return not scheme or scheme in SAFE_SCHEMES
