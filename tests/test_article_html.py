import pytest

from conftest import FIXTURES
from localize.readers import parse_article
from localize.errors import LocalizeError


def page():
    return parse_article((FIXTURES / "article.html").read_bytes(), "article.html")


def test_article_content_only():
    blocks = page().blocks
    text = " ".join(b.text for b in blocks)
    for noise in ("Iraq News", "Local News", "Copyright", "Share on Facebook", "Related:",
                  "tracking", "injected", "color: red"):
        assert noise not in text
    assert [b.kind for b in blocks] == [
        "title", "paragraph", "heading", "paragraph", "quote", "list_item", "list_item"]
    assert blocks[0].text == "Iran blasts calls for disbanding IMIS"
    # the byline is the article's metadata, not a sentence to translate
    assert page().metadata["byline"] == "By Staff \u00b7 Dec. 7, 2017"
    assert "By Staff" not in text


def test_entities_are_decoded_and_whitespace_collapsed():
    paragraph = page().blocks[1]
    assert paragraph.text == ("Calls for dismantling the <1>Iranian Militias in Iraq and Syria</1> "
                              "(IMIS) have raised the ire of Iran. Tehran\u2019s reaction was swift & angry.")
    assert page().blocks[4].text == "\u201cCertainly, such plots will be foiled.\u201d"


def test_inline_tags_become_placeholders_that_keep_the_markup():
    paragraph = page().blocks[3]
    assert paragraph.text == "Shamkhani met <1>Sheikh Humam Hamoudi</1> in Tehran.<2/>He spoke for an hour."
    link, line_break = paragraph.inline
    assert (link.open, link.close) == ('<a href="https://example.org/hamoudi">', "</a>")
    assert line_break.open == "<br>" and line_break.close == ""


def test_lines_metadata_and_list_markers():
    article = page()
    assert article.blocks[0].line == 17
    assert article.metadata["published"] == "2017-12-07T16:26:00+03:00"
    assert article.metadata["lang"] == "en"
    assert article.blocks[5].marker == "-"


def test_without_article_element_the_densest_content_is_used():
    html = (b"<html><body><div class='menu'>Home News</div><div id='story'>"
            b"<h1>Headline</h1><p>First paragraph of the story.</p><p>Second one.</p></div>"
            b"<div>Other stuff</div></body></html>")
    blocks = parse_article(html, "page.html").blocks
    assert [b.text for b in blocks] == ["Headline", "First paragraph of the story.", "Second one."]


def test_page_title_is_the_fallback_title():
    html = b"<html><head><title>Iraq votes | Baghdad Post</title></head><body><p>Text.</p></body></html>"
    article = parse_article(html, "page.html")
    assert article.title == "Iraq votes"


def test_ordered_lists_and_nested_containers():
    html = (b"<article><h1>T</h1><div>Loose text <b>in</b> a div.<p>Para.</p>Tail text.</div>"
            b"<ol><li>One</li><li>Two</li></ol></article>")
    blocks = parse_article(html, "page.html").blocks
    assert [(b.kind, b.text, b.marker) for b in blocks] == [
        ("title", "T", ""), ("paragraph", "Loose text <1>in</1> a div.", ""), ("paragraph", "Para.", ""),
        ("paragraph", "Tail text.", ""), ("list_item", "One", "1."), ("list_item", "Two", "2.")]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    html = (f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
            f"<html><body><article><h1>T</h1><p>A &x; B</p></article></body></html>").encode()
    text = " ".join(b.text for b in parse_article(html, "page.html").blocks)
    assert "TOP-SECRET" not in text


@pytest.mark.parametrize("html", [
    b"<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>",
    b"<html><body>   </body></html>",
])
def test_page_without_article_text(html):
    with pytest.raises(LocalizeError, match="no article text"):
        parse_article(html, "page.html")


def test_a_page_whose_extracted_text_matches_none_of_its_blocks_keeps_its_paragraphs():
    # found by the fuzz harness: trafilatura's text matched no block, and the reader crashed
    page = ('<h1>Title</h1><p>0:0\ufbc30 <a href="http://x.org/The The">The The</a> 0:0\ufbc30.</p>'
            '<p>The The The The The The\U00018d09The <a href="http://x.org/The">The</a> The The The The The '
            'The\U00018d09The.</p>')
    article = parse_article(page.encode(), "a.html")
    assert [block.text for block in article.blocks][:2] == ["Title", "0:0\ufbc30 <1>The The</1> 0:0\ufbc30."]
    assert len(article.blocks) == 3
