"""A block's text, placeholders and all, as Markdown or plain text.

Markdown is escaped so that any text shows as written (no markup, raw HTML or
entities from an article or a translation), and inline elements come back as
Markdown only for what Markdown has (links with safe targets, emphasis, code,
images); other markup keeps just its text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from localize.article import Inline
from localize.segment import TAG

TAG_SPLIT = re.compile(f"({TAG})")
TAG_PARTS = re.compile(r"<(/?)(\d+)(/?)>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&])")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKDOWN_PAIRS = {"em": "*", "i": "*", "strong": "**", "b": "**", "s": "~~", "del": "~~", "code": "`"}


def plain_text(text: str, inline: tuple[Inline, ...] = ()) -> str:
    """A block's text without its markup; inline code keeps its text."""
    kept = {item.id: _element_text(*item.html_markup) for item in inline if not item.close}

    def replace(match):
        tag = TAG_PARTS.fullmatch(match.group())
        return kept.get(int(tag[2]), "") if tag[3] else ""

    return re.sub(r"\s+", " ", TAG_SPLIT.sub(replace, text)).strip()


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
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\d+)([.)])|^([-+])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def markdown_text(text: str, inline: tuple[Inline, ...]) -> str:
    """A block's text as Markdown: links, emphasis, code and images restored, other markup dropped."""
    markup = {item.id: _markdown_markup(*item.html_markup) for item in inline}
    pieces = []
    for token in TAG_SPLIT.split(text):
        tag = TAG_PARTS.fullmatch(token) if token else None
        if tag is None:
            pieces.append(markdown_escape(token))
        elif int(tag[2]) in markup:
            pieces.append(markup[int(tag[2])][1 if tag[1] else 0])
    return "".join(pieces).strip()


@lru_cache(maxsize=1024)
def _markdown_markup(start: str, end: str) -> tuple[str, str]:
    """The Markdown for one inline element given as HTML, or ("", "") to keep only its text."""
    element = _element(start, end)
    tag = "" if element is None else element.tag
    if tag == "a" and end and _safe_url(element.get("href", "")):
        return "[", f"](<{element.get('href')}>)"
    if tag in _MARKDOWN_PAIRS and end:
        return _MARKDOWN_PAIRS[tag], _MARKDOWN_PAIRS[tag]
    if tag == "img" and _safe_url(element.get("src", "")):
        return f"![{markdown_escape(element.get('alt', ''))}](<{element.get('src')}>)", ""
    if tag == "code" and not end:  # Markdown inline code kept whole as one placeholder
        code = element.text_content()
        return (f"`` {code} ``" if "`" in code else f"`{code}`"), ""
    if tag == "br":
        return "\\\n", ""
    return "", ""


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
