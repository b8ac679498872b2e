"""HTML pages, parsed with lxml's HTML parser (libxml2).

The article is the page's ``<article>`` (the one with the most text), else its
``<main>``, else the element holding the most paragraph text.  Scripts, styles,
navigation, footers, asides, forms and share/related/comment boxes are left
out.  Headings, paragraphs, list items, block quotes and captions become
blocks; inline elements become numbered placeholders that keep their original
tags.  The parser never fetches anything from the network.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree
from lxml import html as lxml_html

from localize.records import Block, InlineText
from localize.errors import LocalizeError

DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form",
             "iframe", "svg", "button", "select", "input", "textarea", "object", "embed",
             "canvas", "audio", "video", "pre", "head", "dialog", "menu")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset(HEADINGS + (
    "p", "li", "blockquote", "figcaption", "div", "section", "article", "main", "header",
    "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th", "figure",
    "address", "hgroup", "hr", "details", "summary", "center", "body"))
INLINE_NAMES = {"a": "link", "em": "emphasis", "i": "italic", "strong": "bold", "b": "bold",
                "u": "underline", "s": "strikethrough", "q": "quotation", "cite": "citation",
                "abbr": "abbreviation", "sup": "superscript", "sub": "subscript", "mark": "highlight",
                "small": "small print", "code": "code", "time": "time", "span": "span"}
_NOISE = re.compile(r"(^|[-_ ])(share|sharing|social|related|comments?|advert\w*|ads?|promo|"
                    r"newsletter|subscribe|cookies?|breadcrumbs?|sidebar|menu|navbar)($|[-_ ])",
                    re.IGNORECASE)


def read_html(text: str, source: str) -> tuple[list[Block], dict]:
    document = _parse(text, source)
    metadata = _metadata(document)
    page_title = _page_title(document)
    _drop_noise(document)
    root = _content_root(document)
    title_element = _title_element(document, root)
    walker = _Walker(title_element)
    if title_element is not None and not _contains(root, title_element):
        walker.blocks.append(Block("title", _inline(title_element)[0], title_element.sourceline or 0))
    walker.walk(root)
    blocks = walker.blocks
    if page_title and not any(block.kind == "title" for block in blocks):
        blocks.insert(0, Block("title", page_title, 0))
    return blocks, metadata


def _parse(text: str, source: str):
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        document = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise LocalizeError(source, f"cannot parse HTML: {error}", "give a complete HTML page") from None
    if document is None or document.find("body") is None and not document.text_content().strip():
        raise LocalizeError(source, "no article text found", "give an HTML page with an article in it")
    return document


def _metadata(document) -> dict:
    metadata = {}
    names = {"article:published_time": "published", "article:modified_time": "last_modified",
             "author": "author", "og:site_name": "site", "description": "description"}
    for meta in document.iter("meta"):
        key = names.get(meta.get("property") or meta.get("name") or "")
        if key and meta.get("content"):
            metadata.setdefault(key, meta.get("content").strip())
    time = next(document.iter("time"), None)
    if time is not None and time.get("datetime"):
        metadata.setdefault("published", time.get("datetime"))
    if document.get("lang"):
        metadata["lang"] = document.get("lang")
    return metadata


def _drop_noise(document) -> None:
    for element in list(document.iter(*DROP_TAGS)):
        element.drop_tree()
    for element in list(document.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
        if element.tag not in ("body", "article", "main") and _NOISE.search(marks):
            element.drop_tree()


def _content_root(document):
    articles = list(document.iter("article"))
    if articles:
        return max(articles, key=lambda element: len(element.text_content()))
    main = next(document.iter("main"), None)
    if main is None:
        main = next((e for e in document.iter() if e.get("role") == "main"), None)
    if main is not None:
        return main
    scores: dict = {}
    for paragraph in document.iter("p"):
        parent = paragraph.getparent()
        scores[parent] = scores.get(parent, 0) + len(paragraph.text_content().strip())
    if scores:
        return max(scores, key=scores.get)
    body = document.find("body")
    return body if body is not None else document


def _title_element(document, root):
    heading = next(root.iter("h1"), None)
    if heading is None:
        heading = next(document.iter("h1"), None)
    return heading if heading is not None and heading.text_content().strip() else None


def _page_title(document) -> str:
    title = document.find(".//title")
    if title is None or not title.text_content().strip():
        return ""
    text = re.sub(r"\s+", " ", title.text_content()).strip()
    return re.split(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]+$", text)[0]


def _contains(root, element) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors()) or element is root


class _Walker:
    """Turns the content root into blocks, in document order."""

    def __init__(self, title_element):
        self.title_element = title_element
        self.blocks: list[Block] = []
        self.numbers: dict = {}  # <ol> -> {<li>: its number}

    def walk(self, element, quote: bool = False, depth: int = 0) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HEADINGS:
            kind = "title" if element is self.title_element else "heading"
            self._add(kind, element, level=int(tag[1]))
        elif tag == "li" and not _has_block_children(element):
            self._add("list_item", element, level=depth, marker=self._list_marker(element))
        elif tag in ("p", "figcaption", "dt", "dd", "summary") or (
                tag == "blockquote" and not _has_block_children(element)):
            self._add("quote" if quote or tag == "blockquote" else "paragraph", element)
        else:
            self._walk_mixed(element, quote or tag == "blockquote", depth + (tag in ("ul", "ol")))

    def _list_marker(self, element) -> str:
        """'3.' for the third item of an <ol> (each list numbered once: 5,000 items stay linear), else '-'."""
        parent = element.getparent()
        if parent is None or parent.tag != "ol":
            return "-"
        if parent not in self.numbers:
            self.numbers[parent] = {item: n for n, item in enumerate(parent.iterchildren("li"), 1)}
        return f"{self.numbers[parent][element]}."

    def _walk_mixed(self, element, quote: bool, depth: int) -> None:
        """A container: loose inline content between block children is a paragraph."""
        run = [element.text] if element.text else []
        run_line = element.sourceline or 0
        for child in element:
            if isinstance(child.tag, str) and child.tag in BLOCK_TAGS | set(HEADINGS):
                self._add_run(run, quote, run_line)
                self.walk(child, quote, depth)
                run, run_line = ([child.tail] if child.tail else []), child.sourceline or run_line
            else:
                run.append(child)
        self._add_run(run, quote, run_line)

    def _add_run(self, run, quote: bool, line: int) -> None:
        builder = InlineText()
        for item in run:
            if isinstance(item, str):
                builder.text(item)
            else:
                _inline_element(item, builder)
                if item.tail:
                    builder.text(item.tail)
        text, inline = builder.build()
        if _TAGS_ONLY.sub("", text).strip():
            self.blocks.append(Block("quote" if quote else "paragraph", text, line, inline=inline))

    def _add(self, kind: str, element, level: int = 0, marker: str = "") -> None:
        text, inline = _inline(element)
        if _TAGS_ONLY.sub("", text).strip():
            self.blocks.append(Block(kind, text, element.sourceline or 0, level, marker, inline))


_TAGS_ONLY = re.compile(r"</?\d+/?>")


def _has_block_children(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)


def _inline(element) -> tuple[str, tuple]:
    builder = InlineText()
    _inline_children(element, builder)
    return builder.build()


def _inline_children(element, builder: InlineText) -> None:
    if element.text:
        builder.text(element.text)
    for child in element:
        _inline_element(child, builder)
        if child.tail:
            builder.text(child.tail)


def _inline_element(element, builder: InlineText) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        builder.single("<br>", "line break")
    elif tag == "img":
        alt = element.get("alt", "")
        builder.single(_start_tag(element), f"image: {alt}" if alt else "image")
    elif tag in ("span", "font") and not element.attrib:
        _inline_children(element, builder)  # carries no meaning: keep only its text
    elif tag:
        description = INLINE_NAMES.get(tag, tag)
        if tag == "a" and element.get("href"):
            description = f"link to {element.get('href')}"
        number = builder.open(_start_tag(element), f"</{tag}>", description)
        _inline_children(element, builder)
        builder.close(number)


def _start_tag(element) -> str:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    return f"<{element.tag}{attributes}>"
