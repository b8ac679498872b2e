"""What of an HTML page its reader sees, and where its links point.

Content a browser hides (the ``hidden`` attribute, an inline ``display: none``,
short ``aria-hidden`` decoration) is dropped; <noscript> holds the story of a
page built by scripts (Blogger), read when the visible story is thinner; the
page's prose is counted, hidden or not, for the lost-story warning
(``Article.suspect``); relative links and images are made absolute from the
page's address (``<base href>``, else ``<link rel="canonical">``, else og:url)
and script links are no links.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urljoin, urlsplit

_WORD = re.compile(r"\w+")


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def noscript_words(document) -> int:
    """The words the page keeps in <noscript> in its body (for browsers without scripts)."""
    body = document.find("body")
    if body is None:
        return 0
    return sum(_word_count(_visible_text(element)) for element in body.iter("noscript")
               if not _looks_like_markup(element))


def unwrap_noscript(document) -> None:
    """<noscript> in the body read as the page's own content; in the head it holds only styles."""
    body = document.find("body")
    for element in list(body.iter("noscript")) if body is not None else []:
        if _looks_like_markup(element):
            element.drop_tree()
        elif element.getparent() is not None:
            element.drop_tag()


def _looks_like_markup(element) -> bool:
    """<noscript> whose content libxml2 kept as raw text ("<img src=..."): no prose in there."""
    return (element.text or "").lstrip().startswith("<")


def _visible_text(element) -> str:
    return " ".join(element.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::template)]"))


PROSE_PARAGRAPH = 12  # words: a shorter paragraph (a caption, a label, a teaser's line) is no prose


def page_words(document) -> int:
    """The words of the page's prose: its paragraphs of 12 words or more, <pre> text (split at
    blank lines), and <noscript> text outside paragraphs."""
    counts = [_word_count(paragraph.text_content()) for paragraph in document.iter("p")]
    for pre in document.iter("pre"):
        counts += [_word_count(chunk) for chunk in re.split(r"\n\s*\n", pre.text_content())]
    for element in document.iter("noscript"):
        if not _looks_like_markup(element) and next(element.iter("p", "pre"), None) is None:
            counts.append(_word_count(element.text_content()))
    return sum(count for count in counts if count >= PROSE_PARAGRAPH)


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*important\s*)?(?:;|$)",
                           re.IGNORECASE)
ARIA_HIDDEN_WORDS = 80  # aria-hidden on less is decoration, a pull quote or a duplicate; on more, maybe a story


def _hidden(element) -> bool:
    """Content a reader of the page never sees: the ``hidden`` attribute (not "until-found",
    which a search reveals), an inline ``display: none`` or ``visibility: hidden``; and short
    ``aria-hidden="true"`` content (icons, pull quotes repeating the story, share labels)."""
    hidden = element.get("hidden")
    if hidden is not None and hidden.strip().lower() != "until-found":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    return ((element.get("aria-hidden") or "").strip().lower() == "true" and next(element.iter("h1"), None) is None
            and _word_count(element.text_content()) < ARIA_HIDDEN_WORDS)


_FEWEST_WORDS = 100  # words of prose: on a page with fewer, no hidden container is taken for the story


def drop_hidden(document, total: int) -> None:
    """Hidden content dropped, but for a hidden container with most of the page's prose in it:
    that is the story, which a script shows (an anti-flicker snippet, a "read more" that opens)."""
    body = document.find("body")
    for element in list(body.iterdescendants() if body is not None else ()):
        if isinstance(element.tag, str) and element.getparent() is not None and _hidden(element):
            if total >= _FEWEST_WORDS and 2 * page_words(element) > total:  # (``total``: the page's, from page_words)
                continue
            element.drop_tree()


# --- links ------------------------------------------------------------------------------------------------------

def base_url(document) -> str | None:
    """What the page's relative links are relative to: its ``<base href>`` (which wins, as in a
    browser), resolved against the page's address (``<link rel="canonical">``, else og:url)."""
    addresses = [link.get("href") for link in document.iter("link")
                 if "canonical" in (link.get("rel") or "").lower().split()]
    addresses += [meta.get("content") for meta in document.iter("meta")
                  if (meta.get("property") or meta.get("name")) == "og:url"]
    page = next((address.strip() for address in addresses if address and _web_address(address.strip())), None)
    base = next((element.get("href").strip() for element in document.iter("base") if element.get("href")), None)
    if base:
        try:
            joined = urljoin(page or "", base)
        except ValueError:
            joined = ""
        if _web_address(joined):
            return joined
    return page


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


_SCRIPT_SCHEME = re.compile(r"(?:javascript|vbscript):", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # what browsers strip from a URL before reading its scheme


def absolute_links(document, base: str | None) -> None:
    """Links and images made absolute against ``base``; a script link is no link at all.

    mailto:, tel: and other absolute URLs stay as they are, and so does a link to a
    place on the page (``#notes``)."""
    for element in document.iter("a", "img"):
        name = "href" if element.tag == "a" else "src"
        value = element.get(name)
        if value is None:
            continue
        scheme = _URL_NOISE.sub("", value)
        if _SCRIPT_SCHEME.match(scheme) or (name == "href" and scheme[:5].lower() == "data:"):
            del element.attrib[name]
        elif base and value.strip() and not value.strip().startswith("#"):
            with contextlib.suppress(ValueError):  # a URL urllib cannot read ("http://[x"): left as written
                element.set(name, urljoin(base, value.strip()))
