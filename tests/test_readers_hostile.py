"""The readers on hostile and odd pages: one page never kills a night run, no story is lost silently.

Each section is one point of the issue: what comes out of ``parse_article`` and
``segment_article`` (the blocks and segments a translator gets), never a traceback.
"""

import random
import time

import pytest

from conftest import FIXTURES
from localize.errors import LocalizeError
from localize.publish import html_fragment
from localize.publish.text import markdown_text, plain_text
from localize.readers import detect_format, parse_article
from localize.segment import segment_article

PAGES = FIXTURES / "hostile_pages"
STORY = [
    "The foreign ministry said on Sunday that the talks in Vienna would resume next week after a pause of two months.",
    "Diplomats from the five remaining parties met in the Austrian capital to discuss the sequencing of steps.",
    "A senior official said the gaps were narrower than at any point since the talks began last spring.",
]


def page(body: str, head: str = "<title>Talks in Vienna to resume | Example News</title>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def story() -> str:
    return "".join(f"<p>{sentence}</p>" for sentence in STORY)


def texts(data: bytes, source: str = "page.html", **options) -> list[str]:
    """The segments a translator gets."""
    return [segment.source for segment in segment_article(parse_article(data, source, **options))]


def blocks(data: bytes, source: str = "page.html", **options):
    return parse_article(data, source, **options).blocks


# --- 1. a malformed page is read, or refused in one line: never a crash ---------------------------------------------

def test_an_empty_trailing_figcaption_is_no_crash():
    html = page(f"<article><h1>Talks in Vienna to resume</h1>{story()}"
                "<figure><img src='a.jpg'><figcaption></figcaption></figure></article>")
    assert texts(html) == ["Talks in Vienna to resume", *STORY]


ODD_PAGES = {
    "empty elements": "<h1></h1><p></p><figure></figure><figcaption></figcaption><table></table><li></li><a></a>",
    "nested figures": "<figure><figure><figcaption><figure><figcaption></figcaption></figure></figcaption>"
                      "</figure><figcaption>Outer caption.</figcaption></figure><p>Words of the story.</p>",
    "tables": "<table><caption></caption><tr><td><table><tr><th>Pos</th><td><p>Cell one.</p></td></tr></table>"
              "</td><td></td></tr><tbody></tbody></table><p>After the table.</p>",
    "no body": "<html><head><title>Only a title</title></head></html>",
    "only comments": "<!-- nothing --><!-- here -->",
    "comments in a body": "<html><body><!-- a --><p><!-- b --></p></body></html>",
    "a caption class on an empty block": "Word</1><dt class='caption'></dt>",
    "a heading of placeholders": "<h1>&lt;1&gt;</h1><h2><img src=x></h2><p>Text.</p>",
    "frames": "<frameset><frame src='a.html'></frameset>",
    "unclosed everything": "<div><p><b><i><a href='/x'>Words <figure><figcaption>Cap",
    "bad urls": "<link rel=canonical href='http://[bad'><base href='javascript:x'>"
                "<p><a href='http://[x'>one</a> <img src='http://[y'> two.</p>",
}


@pytest.mark.parametrize("name", sorted(ODD_PAGES))
def test_odd_structures_give_segments_or_a_one_line_error(name):
    _read_or_refuse(ODD_PAGES[name].encode(), "odd.html")


def _read_or_refuse(data: bytes, source: str):
    try:
        segments = segment_article(parse_article(data, source))
    except LocalizeError as error:  # a page without text is refused, with the file named
        assert error.message.startswith(f"{source}: ") and "\n" not in error.message
        assert "cannot read this" not in error.message, error.message  # the safety net caught a bug
        return None
    assert all(segment.source.strip() for segment in segments)
    return segments


_ELEMENTS = ["p", "div", "figure", "figcaption", "table", "tr", "td", "th", "ul", "ol", "li", "blockquote", "h1",
             "h2", "span", "a", "b", "img", "br", "noscript", "pre", "section", "article", "main", "aside", "dl",
             "dt", "dd", "summary", "details", "q", "caption", "font", "head", "body", "html", "title", "template"]
_ATTRIBUTES = ["", " class='caption'", " class='byline'", " href='/x'", " href='javascript:x()'", " hidden",
               " style='display:none'", " aria-hidden='true'", " src='i.png' alt='a'", " lang='ar'"]
_TEXTS = ["", " ", "Word", "A sentence here.", "&lt;1&gt;", "</1>", "By John Smith", "Share", ".", "* * *"]


def _odd_markup(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 4)):
        if depth > 5 or rng.random() < 0.4:
            parts.append(rng.choice(_TEXTS) if rng.random() < 0.9 else "<!-- c -->")
        else:
            tag = rng.choice(_ELEMENTS)
            closed = f"</{tag}>" if rng.random() < 0.9 else ""
            parts.append(f"<{tag}{rng.choice(_ATTRIBUTES)}>{_odd_markup(rng, depth + 1)}{closed}")
    return "".join(parts)


def test_random_odd_pages_never_crash():
    """A small fuzz run (fixed seed): any mix of the elements above is read or refused in one line."""
    rng = random.Random(20240614)
    for _ in range(120):
        markup = _odd_markup(rng)
        _read_or_refuse((f"<html><body>{markup}</body></html>" if rng.random() < 0.5 else markup).encode(), "f.html")


@pytest.mark.parametrize("text", ["[", "![](", "<1>", "</1> .", "---\ntitle: <2/>\n---\n", "> - > - [x", "```",
                                  "# \n\n* * *\n", "[a]: <>\n[a]", "\\", "<b>", "| a |\n|---|\n| [ |"])
@pytest.mark.parametrize("source", ["a.md", "a.txt"])
def test_odd_markdown_and_text_never_crash(text, source):
    _read_or_refuse(f"Title\n\n{text}\n".encode(), source)


def test_a_bug_in_a_reader_is_a_one_line_error_naming_the_page(monkeypatch):
    from localize.readers import html

    def broken(*args):
        raise IndexError("list index out of range")

    monkeypatch.setattr(html, "_Walker", broken)
    with pytest.raises(LocalizeError) as error:
        parse_article(page("<p>Text.</p>"), "night/page.html")
    assert error.value.message.startswith(
        "night/page.html: cannot read this HTML page (IndexError: list index out of range)")


def test_an_extractor_that_fails_leaves_the_story_to_our_own_rules(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'xpath'")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    assert texts(page(f"<article><h1>Talks in Vienna to resume</h1>{story()}</article>"))[1:] == STORY


# --- 2. a story kept in <noscript> ----------------------------------------------------------------------------------

def test_a_blogger_page_gives_its_story_from_noscript():
    article = parse_article((PAGES / "blogger.html").read_bytes(), "blogger.html")
    segments = [segment.source for segment in segment_article(article)]
    assert segments[0] == "Talks in Vienna to resume next week"
    assert STORY[0] + "<1/><2/>" in segments and STORY[2] + "<5/><6/>" in segments
    assert "Read <7>our report on the earlier round</7> for the background." in segments
    assert "No comments" not in segments and article.suspect == ""


def test_a_story_in_sight_is_not_replaced_by_noscript_prompts():
    noscript = "<noscript><p>Please enable JavaScript to view the comments powered by Disqus.</p></noscript>"
    html = page(f"<article><h1>Talks in Vienna to resume</h1>{story()}</article>{noscript}")
    assert texts(html) == ["Talks in Vienna to resume", *STORY]


def test_a_noscript_story_that_cannot_be_read_is_a_warning_not_silence():
    """<noscript> prose counts as the page's: a story left there (here in an <aside>) makes the page suspect."""
    hidden = "".join(f"<p>{sentence}</p>" for sentence in STORY * 3)
    html = page(f"<article><h1>Talks in Vienna to resume</h1><p>Posted today.</p></article>"
                f"<noscript><aside>{hidden}</aside></noscript>")
    assert parse_article(html, "page.html").suspect.startswith("the article keeps 2 of the ")


def test_the_segment_command_shows_the_noscript_story(run, project):
    (project / "blogger.html").write_bytes((PAGES / "blogger.html").read_bytes())
    result = run("segment", "blogger.html")
    assert (result.exit_code, result.stderr) == (0, "")
    assert f"  2.1  {STORY[0]}<1/><2/>\n" in result.stdout and "No comments" not in result.stdout


# --- 3. encodings the page declares ---------------------------------------------------------------------------------

ARABIC = "قالت وزارة الخارجية إن المحادثات ستستأنف الأسبوع المقبل."


def _legacy_page(declaration: str, codec: str, head: str = "") -> bytes:
    return (f"{declaration}\n<html xmlns='http://www.w3.org/1999/xhtml'><head>{head}<title>Talks</title></head>"
            f"<body><h1>Talks</h1><p>{ARABIC}</p></body></html>").encode(codec)


@pytest.mark.parametrize("declaration,codec,head", [
    ('<?xml version="1.0" encoding="windows-1256"?>', "cp1256", ""),
    ("<?xml version='1.0' encoding='ISO-8859-6'?>", "iso8859_6", ""),
    ("<!DOCTYPE html>", "cp1256", '<meta charset="windows-1256">'),
    ("<!DOCTYPE html>", "iso8859_6", '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'),
    ('<?xml version="1.0" encoding="utf-8"?>', "utf-8", ""),  # lxml refused a declaration on a str
])
def test_a_declared_encoding_is_read_without_encoding_option(declaration, codec, head):
    article = parse_article(_legacy_page(declaration, codec, head), "page.xhtml")
    assert [block.text for block in article.blocks] == ["Talks", ARABIC]
    # publish reads the article again with the encoding the PO records (X-Source-Encoding)
    again = parse_article(_legacy_page(declaration, codec, head), "page.xhtml", encoding=article.encoding)
    assert again.blocks == article.blocks


def test_encoding_option_wins_over_a_declaration():
    data = _legacy_page("<!DOCTYPE html>", "cp1256", '<meta charset="iso-8859-6">')
    article = parse_article(data, "page.html", encoding="cp1256")
    assert article.blocks[1].text == ARABIC and article.encoding == "cp1256"


def test_a_byte_order_mark_wins_over_a_declaration():
    data = b"\xef\xbb\xbf" + _legacy_page("<!DOCTYPE html>", "utf-8", '<meta charset="windows-1256">')
    article = parse_article(data, "page.html")
    assert article.blocks[1].text == ARABIC and article.encoding == "utf-8"


@pytest.mark.parametrize("charset", ["klingon", "x-user-defined", "rot13", "base64", "utf-7", "utf-16", ""])
def test_an_unknown_or_impossible_declared_encoding_falls_back_to_utf8(charset):
    data = _legacy_page("<!DOCTYPE html>", "utf-8", f'<meta charset="{charset}">')
    assert blocks(data)[1].text == ARABIC


def test_a_wrong_declaration_on_legacy_bytes_is_a_one_line_error():
    data = _legacy_page("<!DOCTYPE html>", "cp1256", '<meta charset="klingon">')
    with pytest.raises(LocalizeError, match=r"^page.html: not valid UTF-8 at byte \d+; it looks like cp1256"):
        parse_article(data, "page.html")


def test_an_xml_declaration_makes_a_file_without_suffix_html():
    assert detect_format("story", '<?xml version="1.0"?>\n<html><body></body></html>') == "html"


# --- 4. relative links made absolute --------------------------------------------------------------------------------

def _links(data: bytes) -> list[str]:
    paragraph = next(block for block in blocks(data) if block.inline)
    return [item.open for item in paragraph.inline]


LINKS = ("<p>See <a href='/world/'>world</a>, <a href='../old.html'>old</a>, <a href='#notes'>notes</a>, "
         "<a href='mailto:desk@example.com'>mail</a>, <a href='tel:+15551234'>call</a>, "
         "<a href='//cdn.example.com/a'>cdn</a>, <img src='img/p.jpg' alt='photo'> and "
         "<a href='https://example.org/y'>elsewhere</a>.</p>")


@pytest.mark.parametrize("head", ["<link rel='canonical' href='https://news.example.com/world/2019/talks.html'>",
                                  "<meta property='og:url' content='https://news.example.com/world/2019/talks.html'>"])
def test_relative_links_and_images_are_absolute_from_canonical_or_og_url(head):
    assert _links(page(f"<article><h1>Talks</h1>{LINKS}{story()}</article>", head)) == [
        '<a href="https://news.example.com/world/">', '<a href="https://news.example.com/world/old.html">',
        '<a href="#notes">', '<a href="mailto:desk@example.com">', '<a href="tel:+15551234">',
        '<a href="https://cdn.example.com/a">', '<img src="https://news.example.com/world/2019/img/p.jpg" alt="photo">',
        '<a href="https://example.org/y">']


def test_base_href_wins_and_is_itself_resolved():
    head = "<base href='/static/v2/'><link rel='canonical' href='https://news.example.com/world/talks.html'>"
    assert _links(page(f"<article><h1>Talks</h1><p>See <a href='a.html'>a</a>.</p>{story()}</article>", head)) == [
        '<a href="https://news.example.com/static/v2/a.html">']


def test_without_an_address_relative_links_stay_as_written():
    assert _links(page(f"<article><h1>Talks</h1><p>See <a href='a.html'>a</a>.</p>{story()}</article>")) == [
        '<a href="a.html">']


@pytest.mark.parametrize("href", ["javascript:void(0)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                  "vbscript:x", "data:text/html,<script>x</script>"])
def test_script_links_are_never_kept_as_links(href):
    paragraph = blocks(page(f"<h1>Talks</h1><p>Read <a href='{href}'>the report</a> now.</p>{story()}"))[1]
    assert (paragraph.text, paragraph.inline) == ("Read the report now.", ())


# --- 5. hidden content ---------------------------------------------------------------------------------------------

def test_hidden_content_is_dropped():
    html = page("<article><h1>Talks</h1><p>Shown first.</p><p style='display: none'>Hidden by style.</p>"
                "<p hidden>Hidden by attribute.</p><div aria-hidden='true'><p>A pull quote, repeated.</p></div>"
                "<p>Shown <span style='DISPLAY:NONE !important'>secret</span>again.</p>"
                f"<p style='visibility:hidden'>Invisible.</p><p hidden='until-found'>Found by search.</p>{story()}"
                "</article>")
    assert texts(html) == ["Talks", "Shown first.", "Shown again.", "Found by search.", *STORY]


def test_a_hidden_container_with_the_whole_story_is_kept():
    """An anti-flicker snippet hides the page until a script shows it: that is the story, not clutter."""
    html = page(f"<div style='display:none'><article><h1>Talks</h1>{story() * 3}</article></div>")
    assert texts(html)[1:4] == STORY


# --- 6. text that looks like a placeholder --------------------------------------------------------------------------

def test_literal_placeholders_never_collide_with_markup():
    html = page("<h1>Talks</h1><p>The filter &lt;1&gt; and <b>bold</b> a &lt;2/&gt; b &lt;<span>/3&gt;</span> end.</p>")
    paragraph = blocks(html)[1]
    assert paragraph.text == "The filter <1/> and <2>bold</2> a <3/> b <4/> end."
    literal = {item.id: item for item in paragraph.inline if item.id != 2}
    assert [item.description for item in literal.values()] == [
        f'text "{text}" (not markup: keep it as it is)' for text in ("<1>", "<2/>", "</3>")]
    assert plain_text(paragraph.text, paragraph.inline) == "The filter <1> and bold a <2/> b </3> end."
    assert str(html_fragment(paragraph.text, paragraph.inline, False)) == (
        "The filter <span>&lt;1&gt;</span> and <b>bold</b> a <span>&lt;2/&gt;</span> b <span>&lt;/3&gt;</span> end.")


@pytest.mark.parametrize("source,data", [
    ("a.txt", b"Title <1>\n\nThe text says </2> and <3/> here.\n"),
    ("a.md", b"# Title <1>\n\nThe text says \\</2> and <3/> here.\n"),
])
def test_literal_placeholders_in_text_and_markdown(source, data):
    title, paragraph = blocks(data, source)
    assert title.text == "Title <1/>" and plain_text(title.text, title.inline) == "Title <1>"
    assert paragraph.text == "The text says <1/> and <2/> here."
    assert plain_text(paragraph.text, paragraph.inline) == "The text says </2> and <3/> here."


def test_literal_placeholders_reach_the_markdown_edition():
    paragraph = blocks(page("<h1>Talks</h1><p>The filter &lt;1&gt; stays.</p>"))[1]
    assert markdown_text(paragraph.text, paragraph.inline) == "The filter \\<1\\> stays."


# --- 7. no word-less segments, no meaningless wrappers --------------------------------------------------------------

def test_word_less_segments_join_their_neighbour():
    html = page("<h1>Talks</h1><p><b>One sentence. </b> Two sentences here. <i>Three.</i> .</p>"
                "<p><img src='map.png'> The map shows it. \u2014</p><p>* * *</p>")
    assert texts(html) == ["Talks", "<1>One sentence. </1>", "Two sentences here.", "<2>Three.</2> .",
                           "<1/> The map shows it. \u2014", "* * *"]


def test_meaningless_wrappers_are_unwrapped_and_meaningful_ones_kept():
    html = page("<h1>Talks</h1><p>A <span class='x'>styled</span> <font color=red>red</font> <a name='n'>anchor</a> "
                "<span lang='fr'>mot</span> <span style='font-weight:700'>strong</span> <a href='/x'>link</a>.</p>")
    paragraph = blocks(html)[1]
    assert paragraph.text == "A styled red anchor <1>mot</1> <2>strong</2> <3>link</3>."


# --- 8. <pre> text counts for the lost-story warning ----------------------------------------------------------------

def test_a_story_in_pre_makes_the_page_suspect():
    prose = "\n\n".join(STORY * 3)
    article = parse_article(page(f"<h1>Talks in Vienna to resume</h1><p>Posted today.</p><pre>{prose}</pre>"),
                            "page.html")
    assert article.page_words >= 100
    assert article.suspect.startswith("the article keeps 2 of the ")


# --- 9. pathological sizes in linear time ---------------------------------------------------------------------------

@pytest.mark.parametrize("run", ["[", "[a", "![", "[\n"])
def test_deeply_nested_brackets_in_markdown_are_fast(run):
    started = time.perf_counter()
    segments = texts(f"# Title\n\nSome words {run * 4000}\n".encode(), "a.md")  # took 16-20 s
    assert time.perf_counter() - started < 5
    assert segments[1].startswith("Some words ") and segments[1].count("[") == 4000  # every bracket kept


def test_brackets_in_ordinary_markdown_stay_links():
    links = "".join(f"[link {n}](https://example.org/{n}) " for n in range(40))
    paragraph = blocks(f"# Title\n\n{links}and [an open one\n".encode(), "a.md")[1]
    assert len(paragraph.inline) == 40 and paragraph.text.endswith("and [an open one")


@pytest.mark.parametrize("source,data", [
    ("a.html", "<h1>T</h1><p>" + '<a href="/story">Story</a> here. ' * 10_000 + "</p>"),
    ("a.md", "# T\n\n" + "[Story](http://e.com/story) here. " * 10_000 + "\n"),
    ("b.html", "<h1>T</h1><p>" + '<span class="c"><a href="/s">x</a></span> y ' * 10_000 + "</p>"),
])
def test_ten_thousand_links_in_one_paragraph_are_read_in_seconds(source, data):
    started = time.perf_counter()
    segments = texts(data.encode(), source)
    assert time.perf_counter() - started < 10
    assert len(segments) in (2, 10_001)
