"""HTML pages, parsed with lxml's HTML parser (libxml2).

Finding the article: the page is walked into candidate blocks (headings,
paragraphs, list items, quotes, captions: everything but scripts, styles,
forms' controls, navigation, asides and footers), and trafilatura, a
well-kept article extractor, says which of them are the story: a block is kept
when its words are a line of trafilatura's text (or, for a block trafilatura
split or joined, most of its word trigrams are).  Measured on 95 real news
pages (bench/articles.py) this beats both trafilatura's own text and our
earlier heuristics; when trafilatura finds nothing (a short page, a fragment),
the page's ``<article>``, else ``<main>``, else the element with the most
paragraph text is read instead.  Bylines become metadata, and page furniture
(captions' credits, "Report issue", "Embed", share prompts) is dropped.
What a browser hides is not read, a story kept in <noscript> is, and links are
made absolute (``html_page``).  The page is decoded before it gets here (its
declared encoding: ``readers.declared_encoding``); an XML declaration is ignored.

Inline elements become numbered placeholders that keep their original tags (a
<span> or <font> that only styles its text, and a link without a target, are
unwrapped); text that looks like a placeholder stays text (``literal``).
The parser never fetches anything from the network, and reads any depth
(lxml's ``huge_tree``: without it libxml2 drops what lies deeper than 255).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from html import escape
from itertools import pairwise

from lxml import etree
from lxml import html as lxml_html

from localize.errors import LocalizeError
from localize.readers import html_page
from localize.readers.literal import LiteralText, literal_block
from localize.records import Block

NOSCRIPT_STORY = 30  # words in <noscript>: the story of a page built by scripts, when the visible one is thinner
DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside",
             "iframe", "svg", "button", "select", "input", "textarea", "object", "embed",
             "canvas", "audio", "video", "pre", "head", "dialog", "menu", "label", "option")
_NEVER_SHOWN = ("script", "style", "template")  # not even prose of the page
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset(HEADINGS + (
    "p", "li", "blockquote", "figcaption", "div", "section", "article", "main", "header",
    "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th", "figure",
    "address", "hgroup", "hr", "details", "summary", "center", "body", "form", "fieldset"))
INLINE_NAMES = {"a": "link", "em": "emphasis", "i": "italic", "strong": "bold", "b": "bold",
                "u": "underline", "s": "strikethrough", "q": "quotation", "cite": "citation",
                "abbr": "abbreviation", "sup": "superscript", "sub": "subscript", "mark": "highlight",
                "small": "small print", "code": "code", "time": "time", "span": "span"}
MAX_EXTRACTED_BLOCKS = 2000
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
PROSE = 30  # words: a paragraph this long that readability-lxml holds and trafilatura cut is the story
_HELD_PROSE = 8  # words: a paragraph readability-lxml holds that may be the story trafilatura cut
_SHORT_BLOCK = 4  # words: a shorter block ("Advertisement", "Pos") is too short for word trigrams
_GAP = 2  # short blocks a story's span reaches across (an "Advertisement" between two containers)
_FEWEST_STORY_WORDS = 20  # words of trafilatura's text: fewer are no story
_LONGEST_BYLINE = 120  # characters
_EDGE = 3  # blocks at either end of the page where a byline may stand
_LONGEST_FURNITURE = 400  # characters: a longer block is no page furniture, whatever it starts with
_TITLE_LIKENESS = 0.3  # the share of an <h1>'s words in og:title or <title> that makes it the headline
_WORD = re.compile(r"\w+")
_TAGS_ONLY = re.compile(r"</?\d+/?>")
_CAPTION = re.compile(r"caption|credit", re.IGNORECASE)
_BYLINE = re.compile(r"^(?i:by|written by|words by|reporting by)\s+(?P<name>[A-Z][\w.'\u2019-]*"
                     r"(?:(?:\s+|,\s*|\s+(?i:and)\s+|\s*&\s*)[A-Z][\w.'\u2019-]*){0,8})"
                     r"\s*(?:(?:[,|\u00b7\u2022\u2013\u2014-]|\s(?i:for|of)\s).{0,60})?$")
_FURNITURE = re.compile(  # page furniture that extractors keep: whole blocks, short ones
    r"^(?:(?:media|image|video) (?:caption|copyright)|image (?:source|credit)|photo:|getty images$|"
    r"report (?:an )?issue|embed$|share(?: this)?(?: (?:article|story|page|on \w+|via \w+))?$|"
    r"(?:click|tap) (?:here )?to (?:share|tweet|email|print|subscribe)|advertisement$|skip (?:to|advert)|"
    r"read more|continue reading|you may also like|related (?:stories|articles|coverage|topics)|"
    r"(?:\d+ )?comments?$|tell us what you think|order reprints|print (?:article|this)|"
    r"an error has occurred|thank you\W*$|thanks for (?:signing up|reading)|have a tip\?|"
    r"write to .{1,60} at \S+@\S+$|follow us|listen:|download:).{0,200}$"
    r"|.{0,120}\b(?:subscribe|sign up)\b.{0,60}\b(?:newsletters?|inbox|e-?mails?)\b.{0,80}$",
    re.IGNORECASE)


def read_html(text: str, source: str) -> tuple[list[Block], dict, dict]:
    """The article's blocks, its metadata, and what the page holds besides (``Article.suspect``):
    the words of its prose (paragraphs of 12 words or more, hidden ones and <pre> text too), and
    how many of the kept paragraphs are teasers (right under a heading that is one link).

    A page built by scripts (Blogger) keeps its story for browsers without them in <noscript>:
    when that holds more words than the story found, the page is read again with it as text."""
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses a str that names its encoding
    document = _parse(text, source)
    fallback = html_page.noscript_words(document)
    read = _read(document)
    if fallback >= NOSCRIPT_STORY and _story_words(read[0]) < fallback:
        second = _read(_parse(text, source), noscript=True)
        if _story_words(second[0]) > _story_words(read[0]):
            read = second
    return read


def _read(document, noscript: bool = False) -> tuple[list[Block], dict, dict]:
    """One reading of the parsed page (changed as it goes); ``noscript``: its <noscript> as text."""
    if noscript:
        html_page.unwrap_noscript(document)
    metadata = _metadata(document)
    byline = next((e for e in document.iter() if isinstance(e.tag, str)
                   and re.search(r"byline", e.get("class", "") + " " + e.get("itemprop", ""), re.IGNORECASE)), None)
    if byline is not None and 0 < len(" ".join(byline.text_content().split())) < _LONGEST_BYLINE:
        metadata["byline"] = " ".join(byline.text_content().split())
    reference_titles = _reference_titles(document)
    base = html_page.base_url(document)
    _drop(document, _NEVER_SHOWN)
    page_words = html_page.page_words(document)  # all of the page's prose: asides, hidden text, <noscript> too
    _drop(document, ("noscript",))
    html_page.drop_hidden(document, page_words)
    original = copy.deepcopy(document)  # for the extractors: what a reader of the page sees
    _drop(document, DROP_TAGS)
    html_page.absolute_links(document, base)
    body = document.find("body")
    body = body if body is not None else document
    title_element = _title_element(document, reference_titles)
    walker = _Walker(title_element, _block_holders(body))
    walker.walk(body)
    candidates = [block for block in walker.blocks if block.kind != "title"]
    captions = {id(walker.blocks[n]) for n in walker.captions}
    # trafilatura's time grows faster than the page on long lists (4,000 items: 2 s):
    # a page with more blocks than any article is read with our own heuristics
    chosen = _safely_extracted(original, candidates, captions) if len(candidates) <= MAX_EXTRACTED_BLOCKS else None
    if chosen is None:
        root = _content_root(document)
        inside = _Walker(title_element, walker.holders)
        inside.walk(root)
        chosen = [block for block in inside.blocks if block.kind != "title"]
    blocks = _without_furniture(chosen, metadata)
    teasers = _teasers(walker.blocks, {id(block) for block in blocks})
    title = next((block for block in walker.blocks if block.kind == "title"), None)
    if title is None and blocks and blocks[0].kind == "heading" and reference_titles and \
            _words(blocks[0].text) == _words(reference_titles[0]):
        title = blocks.pop(0)  # the page's headline, in an <h2> or <h3> (a blog post's title), not twice
    elif title is None and reference_titles:
        title = literal_block("title", reference_titles[0], 0, source_markup=escape)
    if title is not None:
        blocks.insert(0, _unwrapped(title))
    return blocks, metadata, {"page_words": page_words, "teasers": teasers}


def _story_words(blocks: list[Block]) -> int:
    return sum(_word_count(_TAGS_ONLY.sub(" ", block.text)) for block in blocks if block.kind != "title")


def _safely_extracted(original, candidates: list[Block], captions: set) -> list[Block] | None:
    """``_extracted``, or None (our own heuristics) when an extractor fails on an odd page."""
    try:
        return _extracted(original, candidates, captions)
    except (LocalizeError, MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 (trafilatura and readability raise what their parsers raise)
        return None


def _parse(text: str, source: str):
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        document = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise LocalizeError(source, f"cannot parse HTML: {error}", "give a complete HTML page") from None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise LocalizeError(source, "elements nested more than 2,048 deep, where the HTML parser (libxml2) stops "
                            "and would drop the rest", "flatten the page, or give the article as text or Markdown")
    if document is None or document.find("body") is None and not document.text_content().strip():
        raise LocalizeError(source, "no article text found", "give an HTML page with an article in it")
    return document


def _metadata(document) -> dict:
    metadata: dict[str, str] = {}
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


def _drop(document, tags) -> None:
    for element in list(document.iter(*tags)):
        if element.getparent() is not None:
            element.drop_tree()


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(_TAGS_ONLY.sub(" ", text))]


def _extracted(original, candidates: list[Block], captions: set) -> list[Block] | None:
    """The candidate blocks that are the story, in page order; None when trafilatura finds none.

    trafilatura says which blocks hold the story (``_held``); readability-lxml
    then says where the story lies on the page: kept blocks outside its span
    (widened over the kept blocks right next to it) are teasers, newsletter
    prompts and lists of other stories, and are dropped.  Each of the two
    alone keeps more noise (bench/articles.py measures all three).
    """
    import trafilatura

    result = trafilatura.bare_extraction(copy.deepcopy(original), include_comments=False, include_tables=True)
    assert not isinstance(result, dict)  # a Document or None (as_dict=False is trafilatura 2's default)
    words = [_words(block.text) for block in candidates]  # each block's words, once
    kept = _held(result.text if result is not None and result.text else "", candidates, words)
    if kept is None or not any(kept):  # trafilatura's text is none of our blocks: our own rules decide
        return None
    span = _story_span(original, candidates, words, kept)
    if span is not None:
        (low, high), prose = span
        start = kept.index(True)
        known: set[tuple[str, ...]] = set()  # the trigrams of the story so far: prose that repeats it is a copy
        for block_words, keep in zip(words, kept, strict=True):
            if keep:
                known.update(_trigrams(block_words))
        fresh = set()
        for number in sorted(prose):
            grams = _trigrams(words[number])
            if id(candidates[number]) not in captions and sum(g in known for g in grams) < 0.5 * len(grams):
                fresh.add(number)
                known.update(grams)
        for number in fresh:  # long paragraphs after the story's start that trafilatura cut off
            if number > start and len(words[number]) >= PROSE:
                kept[number] = True
        number, gap = start - 1, 0  # an opening in a container of its own, just before the story
        while number >= 0 and (number in fresh or (gap < _GAP and len(words[number]) < _SHORT_BLOCK)):
            kept[number], gap = number in fresh, 0 if number in fresh else gap + 1
            number -= 1
        low, high = _widened(low, high, kept, words)
        kept = [keep and low <= number <= high for number, keep in enumerate(kept)]
    chosen = [block for block, keep in zip(candidates, kept, strict=True) if keep]
    return chosen or None


def _widened(low: int, high: int, kept: list[bool], words: list[list[str]]) -> tuple[int, int]:
    """The span grown over the held blocks next to it, across a gap of up to two short blocks
    (an "Advertisement" between the two containers a story is split into)."""
    def step(position: int, direction: int) -> int:
        while True:
            probe, gap = position + direction, 0
            while 0 <= probe < len(kept) and not kept[probe] and gap < _GAP \
                    and len(words[probe]) < _SHORT_BLOCK:
                probe, gap = probe + direction, gap + 1
            if not (0 <= probe < len(kept) and kept[probe]):
                return position
            position = probe
    return step(low, -1), step(high, 1)


def _held(story: str, candidates: list[Block], words: list[list[str]]) -> list[bool] | None:
    """Which candidates the extracted text holds.

    Each piece of that text is taken once (a page that repeats its story, for
    AMP or a print view, gives one copy).  A block is held when its words are
    one of the text's lines, or when most of its word trigrams are in the text
    (a block the extractor split at a <br> or joined with its neighbour).
    Short blocks (a table cell, "Pos", a one-word heading) whose words are in
    the text are held when they follow a held block, up to the next held block
    or the end of the page; quotes the text lacks (an embedded tweet) only when
    they lie between two held blocks.
    """
    lines = [line for line in map(_words, story.splitlines()) if line]
    if sum(map(len, lines)) < _FEWEST_STORY_WORDS:
        return None
    exact = Counter(" ".join(line) for line in lines)
    stream = [word for line in lines for word in line]  # trigrams across lines too: a <br> splits its lines
    trigrams = _trigrams(stream)
    flat = f" {' '.join(stream)} "
    kept: list = [None] * len(candidates)
    for number, block_words in enumerate(words):  # exact lines first, so they are not taken by
        key = " ".join(block_words)                 # a block that holds the whole story over again
        if not block_words:
            kept[number] = False
        elif exact[key] > 0:
            exact[key] -= 1
            trigrams.subtract(_trigrams(block_words))
            kept[number] = True
    quotes: set[int] = set()  # quotes the text does not hold: kept only between two held blocks
    for number, block in enumerate(candidates):
        if kept[number] is not None:
            continue
        if len(words[number]) >= _SHORT_BLOCK:
            grams = _trigrams(words[number])
            kept[number] = sum(min(n, trigrams[g]) for g, n in grams.items()) >= 0.8 * sum(grams.values())
            if kept[number]:
                trigrams.subtract(grams)
        elif f" {' '.join(words[number])} " not in flat:
            kept[number] = False
        if block.kind == "quote" and not kept[number]:
            kept[number] = None  # an embedded tweet or a quotation that the extractor left out
            quotes.add(number)
    return _decided(kept, quotes)


def _decided(kept: list, quotes: set[int]) -> list[bool]:
    """``kept`` with each undecided block (None: a short block in the text, a quote it lacks)
    held when the nearest decided blocks before and after it are held; at the end of the page,
    when the one before is held and it is no quote."""
    previous = [False] * len(kept)  # the nearest decided block before each one: was it held?
    for number in range(1, len(kept)):
        decided = kept[number - 1]
        previous[number] = previous[number - 1] if decided is None else decided
    following = None  # the end of the page: short blocks in the text up to it are the story's end
    for number in range(len(kept) - 1, -1, -1):
        if kept[number] is None:
            after = following if following is not None else number not in quotes
            kept[number] = previous[number] and after
        else:
            following = kept[number]
    return kept


def _story_span(original, candidates: list[Block], words: list[list[str]], kept: list[bool]):
    """The first and last candidate that readability-lxml's article holds, if it holds enough."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(original).summary()
    except (Unparseable, ValueError, etree.LxmlError):
        return None
    stream = _words(" ".join(lxml_html.fromstring(summary).itertext()))
    trigrams, flat = _trigrams(stream), f" {' '.join(stream)} "
    held = []
    for number, block_words in enumerate(words):
        if len(block_words) >= _SHORT_BLOCK:
            grams = _trigrams(block_words)
            if sum(n for g, n in grams.items() if g in trigrams) >= 0.8 * sum(grams.values()):
                held.append(number)
        elif block_words and f" {' '.join(block_words)} " in flat:
            held.append(number)
    if not held:
        return None
    held_words = sum(len(words[n]) for n in held)
    kept_words = sum(len(block_words) for block_words, keep in zip(words, kept, strict=True) if keep)
    if held_words < 0.5 * kept_words:
        return None
    prose = {n for n in held if candidates[n].kind == "paragraph" and len(words[n]) >= _HELD_PROSE}
    return (held[0], held[-1]), prose


def _trigrams(words: list[str]) -> Counter:
    return Counter(tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2)))


def _teasers(page: list[Block], kept: set) -> int:
    count = 0
    for before, block in pairwise(page):
        if id(block) in kept and block.kind == "paragraph" and before.kind in ("heading", "title"):
            match = re.fullmatch(r"<(\d+)>.*</\1>", before.text)
            if match:
                count += any(item.id == int(match[1]) and item.description.startswith("link")
                             for item in before.inline)
    return count


def _without_furniture(blocks: list[Block], metadata: dict) -> list[Block]:
    """The blocks less page furniture; a byline among the first or last three becomes metadata."""
    kept = []
    for number, block in enumerate(blocks):
        plain = " ".join(_TAGS_ONLY.sub(" ", block.text).split())
        edge = number < _EDGE or number >= len(blocks) - _EDGE
        if edge and len(plain) < _LONGEST_BYLINE and _BYLINE.match(plain):
            metadata.setdefault("byline", plain)
        elif not (len(plain) < _LONGEST_FURNITURE and _FURNITURE.match(plain)):
            kept.append(block)
    return kept


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
        return max(scores, key=scores.__getitem__)
    body = document.find("body")
    return body if body is not None else document


def _reference_titles(document) -> list[str]:
    """og:title and the <title> (without the site's name): what the page says its headline is."""
    titles = []
    for meta in document.iter("meta"):
        if (meta.get("property") or meta.get("name")) in ("og:title", "twitter:title") and meta.get("content"):
            titles.append(_site_name_cut(meta.get("content")))
    title = document.find(".//title")
    if title is not None and title.text_content().strip():
        titles.append(_site_name_cut(title.text_content()))
    return [t for t in dict.fromkeys(titles) if t]


def _site_name_cut(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.split(r"\s+[|\u2013\u2014:-]+\s+[^|\u2013\u2014-]+$", text)[0]


def _title_element(document, references: list[str]):
    """The <h1> that agrees with og:title or <title> (most of its words are theirs); else none.

    The first <h1> of a page is often the site's logo ("msn back to msn home
    news"); the headline is the one that shares the page title's words, even
    when the newsroom worded the two differently."""
    headings = [h for h in document.iter("h1") if h.text_content().strip()]
    if not references:
        return headings[0] if headings else None
    reference_words = [set(_words(reference)) for reference in references]

    def likeness(heading) -> float:
        words = _words(heading.text_content())
        if not words:
            return 0.0
        return max(sum(word in reference for word in words) / len(words) for reference in reference_words)

    best = max(headings, key=likeness, default=None)
    return best if best is not None and likeness(best) >= _TITLE_LIKENESS else None


def _unwrapped(title: Block) -> Block:
    """A title that is one link or one span as a whole ('<1>Headline</1>') is just its words."""
    text, inline = title.text, title.inline
    while inline and (match := re.fullmatch(rf"<{inline[0].id}>(.*)</{inline[0].id}>", text, re.DOTALL)):
        text, inline = match[1].strip(), inline[1:]
    return Block("title", text, title.line, title.level, title.marker, inline)


class _Walker:
    """Turns the content root into blocks, in document order."""

    def __init__(self, title_element, holders: set):
        self.title_element = title_element
        self.holders = holders
        self.blocks: list[Block] = []
        self.captions: set = set()  # the numbers of the blocks that are captions or credits
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
            added = self._add("quote" if quote or tag == "blockquote" else "paragraph", element)
            if added and (tag == "figcaption" or _CAPTION.search(element.get("class", ""))):
                self.captions.add(len(self.blocks) - 1)
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
            if isinstance(child.tag, str) and (child.tag in BLOCK_TAGS or child in self.holders):
                self._add_run(run, quote, run_line)
                self.walk(child, quote, depth)
                run, run_line = ([child.tail] if child.tail else []), child.sourceline or run_line
            else:
                run.append(child)
        self._add_run(run, quote, run_line)

    def _add_run(self, run, quote: bool, line: int) -> None:
        builder = LiteralText()
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

    def _add(self, kind: str, element, level: int = 0, marker: str = "") -> bool:
        """Add the element as a block if it has text; whether it had."""
        text, inline = _inline(element)
        if not _TAGS_ONLY.sub("", text).strip():
            return False
        self.blocks.append(Block(kind, text, element.sourceline or 0, level, marker, inline))
        return True


def _block_holders(root) -> set:
    """The elements with a block element inside (each found once: linear at any depth).

    An inline-looking element (a custom tag, a <span>, an <a>) that wraps
    paragraphs is a container, not a run of inline text."""
    holders: set = set()
    for element in root.iter(*BLOCK_TAGS):
        for ancestor in element.iterancestors():
            if ancestor in holders:
                break
            holders.add(ancestor)
    return holders


def _has_block_children(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)


def _inline(element) -> tuple[str, tuple]:
    builder = LiteralText()
    _inline_children(element, builder)
    return builder.build()


def _inline_children(element, builder: LiteralText) -> None:
    if element.text:
        builder.text(element.text)
    for child in element:
        _inline_element(child, builder)
        if child.tail:
            builder.text(child.tail)


def _inline_element(element, builder: LiteralText) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        builder.single("<br>", "line break")
    elif tag == "img":
        alt = element.get("alt", "")
        builder.single(_start_tag(element), f"image: {alt}" if alt else "image")
    elif _meaningless(element):
        _inline_children(element, builder)  # carries no meaning: keep only its text
    elif tag:
        description = INLINE_NAMES.get(tag, tag)
        if tag == "a" and element.get("href"):
            description = f"link to {element.get('href')}"
        number = builder.open(_start_tag(element), f"</{tag}>", description)
        _inline_children(element, builder)
        builder.close(number)


_MEANINGFUL_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)|font-style\s*:\s*(?:italic|oblique)"
                               r"|font-family\s*:[^;]*(?:mono|courier)|text-decoration[^;]*(?:underline|line-through)",
                               re.IGNORECASE)


def _meaningless(element) -> bool:
    """A wrapper a translator need not see: a <span> or <font> that only styles or classes its
    text (not one that sets its language, direction or a title, or makes it bold, italic, code),
    a link that goes nowhere (no href: an anchor, or a script link)."""
    tag = element.tag
    if tag == "a":
        return not (element.get("href") or "").strip()
    if tag not in ("span", "font"):
        return False
    if element.get("lang") or element.get("dir") or element.get("title"):
        return False
    face = (element.get("face") or "").lower()
    return not (_MEANINGFUL_STYLE.search(element.get("style") or "") or "mono" in face or "courier" in face)


def _start_tag(element) -> str:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    return f"<{element.tag}{attributes}>"
