import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE, load_cases
from localize.readers import parse_article
from localize.segment import outline, segment_article, sentences, split


@pytest.mark.parametrize("text,expected", load_cases("golden_rules_en.json"))
def test_golden_rules(text, expected):
    """Every English case of the Pragmatic Segmenter golden rules."""
    assert sentences(text) == expected


@pytest.mark.parametrize("text,expected", load_cases("news_cases_en.json"))
def test_news_copy(text, expected):
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_block():
    text = "  Mr. Smith left.  He returned at 6 p.m. The end. "
    spans = split(text)
    assert [text[start:end] for start, end in spans] == [
        "Mr. Smith left.", "He returned at 6 p.m.", "The end."]
    assert spans[0] == (2, 17)


def test_blank_text_has_no_segments():
    assert split("") == []
    assert split(" \n\t ") == []


_PIECES = st.sampled_from([
    "Mr.", "U.S.", "a.m.", "Dec.", "No.", "I.", "E.", "1.", "2.)", "a.", "b.", "word", "Word",
    "The", "He", ".", "!", "?", "...", " . . . ", "\u2026", "\"", "\u201c", "\u201d", "'", "(", ")",
    "[", "]", "<1>", "</1>", "<2/>", "\u2022", "$1.5", "x@y.com", "https://a.b/c.html", "60,000",
    " ", "  ", "\n", "\t", "\u00a0", "\u0627\u0644\u0639\u0631\u0627\u0642",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=80))
def test_segments_and_whitespace_give_the_block_back(text):
    spans = split(text)
    rebuilt, position = [], 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        gap, segment = text[position:start], text[start:end]
        assert gap.strip() == "", "only whitespace lies between segments"
        assert segment == segment.strip() and segment
        rebuilt += [gap, segment]
        position = end
    assert text[position:].strip() == ""
    assert "".join(rebuilt) + text[position:] == text


def test_segment_article_keys_follow_blocks_and_sentences():
    article = parse_article(SAMPLE.read_bytes(), "iran-imis.txt")
    segments = segment_article(article)
    assert segments[0].key == "1.1" and segments[0].kind == "title"
    keys = [segment.key for segment in segments]
    assert len(keys) == len(set(keys))
    paragraph = [s for s in segments if s.block == 3]
    assert [s.key for s in paragraph] == ["3.1", "3.2", "3.3"]
    assert paragraph[2].source == "That is why Iran considers IMIS a sacred cow that should not be touched."
    last = [s.source for s in segments if s.block == len(article.blocks)]
    assert last == ["According to observers, Iran\u2019s sectarian plot in the Middle East will "
                    "have dire consequences in the future.",
                    "IMIS pose a threat to the region now and in the days to come, they concluded."]


def test_outline_lists_blocks_with_their_segments():
    article = parse_article(b"Title here\n\nOne. Two.\n", "a.txt")
    assert outline(article) == {
        "title": "Title here",
        "metadata": {},
        "blocks": [
            {"kind": "title", "line": 1, "text": "Title here", "segments": ["Title here"]},
            {"kind": "paragraph", "line": 3, "text": "One. Two.", "segments": ["One.", "Two."]},
        ],
    }
