import codecs

import pytest

from conftest import FIXTURES, SAMPLE
from localize.readers import detect_format, parse_article
from localize.readers.text import parse_date
from localize.records import slugify
from localize.errors import LocalizeError


def read(data: bytes, name="story.txt", **options):
    return parse_article(data, name, **options)


def test_sample_article_structure():
    article = read(SAMPLE.read_bytes(), "iran-imis.txt")
    kinds = [block.kind for block in article.blocks]
    assert article.title == "Iran blasts calls for disbanding IMIS, protecting its sacred cow"
    assert kinds[0] == "title" and kinds.count("title") == 1
    assert [b.text for b in article.blocks if b.kind == "heading"] == [
        "Ali Khamenei", "Iran enraged", "Shia leaders\u2019 ire aroused"]
    assert article.metadata["banner"] == "Iraq News - Local News - Baghdadpost"
    assert article.metadata["last_modified"] == "2017-12-07T16:26:00"
    texts = " ".join(block.text for block in article.blocks)
    assert "Last Modified" not in texts and "Baghdadpost" not in texts
    assert article.blocks[-1].text.endswith("they concluded.")
    assert len([b for b in article.blocks if b.kind == "paragraph"]) == 21


def test_block_lines_point_into_the_file():
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for block in read(SAMPLE.read_bytes(), "iran-imis.txt").blocks:
        assert lines[block.line - 1].strip().startswith(block.text[:20])


def test_first_line_is_the_title_without_a_banner():
    article = read(b"Iraq votes - a historic day\n\nParliament voted on a long law today, it said.\n")
    assert article.title == "Iraq votes - a historic day"
    assert "banner" not in article.metadata


def test_banner_needs_a_headline_after_it():
    article = read(b"World News - Middle East\n\nThe parliament voted on Monday on a law that brings "
                   b"the militias under the command of the prime minister, officials said.\n")
    assert article.title == "World News - Middle East"


def test_hard_wrapped_paragraphs_lists_and_quotes():
    article = read((FIXTURES / "wrapped.txt").read_bytes(), "wrapped.txt")
    assert [b.kind for b in article.blocks] == [
        "title", "paragraph", "paragraph", "list_item", "list_item", "list_item", "quote"]
    assert article.blocks[1].text == ("Parliament in Baghdad voted on Monday on a law that brings the "
                                      "militias under the command of the prime minister. The vote was 150-20.")
    assert article.blocks[3].text == "fighters get state salaries" and article.blocks[3].marker == "-"
    assert article.blocks[6].text == "\"This is a historic day,\" said the speaker. Others disagreed."
    assert article.metadata["last_modified"] == "2017-12-11T09:30:00"


@pytest.mark.parametrize("value,expected", [
    ("Thursday\u060c 07 December 2017 04:26 PM", "2017-12-07T16:26:00"),
    ("December 7, 2017", "2017-12-07"),  # a date alone stays a date
    ("2017-12-07 09:30", "2017-12-07T09:30:00"),
    ("sometime last week", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_unparsed_date_is_kept_as_written():
    article = read(b"Title\n\nSome text here.\n\nLast Modified: sometime last week\n")
    assert article.metadata["last_modified"] == "sometime last week"


def test_utf8_bom_is_accepted():
    article = read(codecs.BOM_UTF8 + "Title \u2013 here\n\nText.\n".encode())
    assert article.title == "Title \u2013 here"


def test_other_encodings_need_encoding_option():
    data = "Caf\u00e9 news\n\nThe caf\u00e9 reopened.\n".encode("cp1252")
    with pytest.raises(LocalizeError) as error:
        read(data)
    assert "not valid UTF-8" in error.value.message and "--encoding" in error.value.message
    assert read(data, encoding="cp1252").title == "Caf\u00e9 news"


@pytest.mark.parametrize("data,what", [
    (b"", "file is empty"),
    (b"  \n\n\t\n", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"Last Modified: 2017-12-07\n", "no article text"),
])
def test_unusable_input(data, what):
    with pytest.raises(LocalizeError) as error:
        read(data)
    assert what in error.value.message and error.value.where == "story.txt"


def test_unknown_encoding_name():
    with pytest.raises(LocalizeError, match="unknown encoding"):
        read(b"Title\n\nText.\n", encoding="klingon")


def test_format_detection_and_slug():
    assert detect_format("a.MD", "") == "md"
    assert detect_format("page", "<!DOCTYPE html><p>x</p>") == "html"
    assert detect_format("notes", "Plain words") == "txt"
    assert slugify("Iran IMIS (final)") == "iran-imis-final"
    assert read(b"T\n\nText.\n", "dir/My Story.txt").slug == "my-story"
