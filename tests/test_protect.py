import pytest
from hypothesis import given
from hypothesis import strategies as st

from localize.engines.protect import mask_tokens, protect, restore


@pytest.mark.parametrize("text, values", [
    ("The <1>Foreign Ministry</1> said<2/> so.", ("<1>", "</1>", "<2/>")),
    ("Read https://example.com/a?b=1. Then stop.", ("https://example.com/a?b=1",)),
    ("(see www.gov.iq/news), he said", ("www.gov.iq/news",)),
    ("Write to press.office@un.org today.", ("press.office@un.org",)),
    ("On 12 May 2017, 1,200 people paid $3.5 million at 10:30.", ("12", "2017", "1,200", "3.5", "10:30")),
    ("The 1990s and the G20 summit", ("1990",)),
    ("No numbers here.", ()),
])
def test_protect_finds_placeholders_urls_emails_and_numbers(text, values):
    assert protect(text).values == values


@given(st.lists(st.sampled_from(list("ab 1.,:/<>@w") + ["<1>", "</1>", "http://x.y/z "])).map("".join))
def test_protect_keeps_every_character(text):
    protected = protect(text)
    rebuilt = protected.runs[0] + "".join(v + r for v, r in zip(protected.values, protected.runs[1:]))
    assert rebuilt == text


def test_a_segment_of_numbers_only_has_nothing_to_translate():
    assert not protect("2017").translatable
    assert not protect("<1>https://example.com</1>").translatable
    assert protect("In 2017").translatable


def _pieces(run):  # a stand-in tokenizer: words with SentencePiece's word-start mark
    return ["\u2581" + word for word in run.split()]


def test_mask_tokens_put_one_token_per_protected_item_with_its_spacing():
    protected = protect("Paid $5 (<1>now</1>).")
    runs = [_pieces(run) for run in protected.runs]
    tokens = mask_tokens(protected, runs, lambda piece: piece[1:])
    assert tokens == ["\u2581Paid", "\u2581$", "\u2985" "1" "\u2986", "\u2581(", "\u2985" "2" "\u2986",
                      "now", "\u2985" "3" "\u2986", ").", ]


def _decode(pieces):
    return "".join(pieces).replace("\u2581", " ").strip()


def test_restore_puts_values_back_where_the_model_left_the_masks():
    values = ("<1>", "</1>", "2017")
    tokens = ["\u2581\u0642\u0627\u0644", "\u2581\u2985" "1\u2986", "\u0627\u0644\u0648\u0632\u064a\u0631",
              "\u2985" "2\u2986", "\u2581\u0641\u064a", "\u2581\u2985" "3\u2986", "."]
    assert restore(tokens, values, _decode) == "\u0642\u0627\u0644 <1>\u0627\u0644\u0648\u0632\u064a\u0631</1> \u0641\u064a 2017."


def test_restore_keeps_a_repeated_mask_once_and_reads_masks_spelled_out_in_pieces():
    values = ("<1/>", "5")
    tokens = ["\u2581a", "\u2581\u2985" "1\u2986", "\u2581b", "\u2581\u2985" "1\u2986", "\u2581\u2985", "2", "\u2986"]
    assert restore(tokens, values, _decode) == "a <1/> b 5"


def test_bound_glossary_names_are_protected_unless_they_overlap_a_protected_item():
    text = "Officials in Iraq wrote to www.iraq.gov today."
    bound = [(13, 17, "العراق", "Iraq"), (27, 31, "العراق", "Iraq")]  # the second lies in the URL
    protected = protect(text, bound)
    assert protected.values == ("العراق", "www.iraq.gov")
    assert protected.runs == ("Officials in ", " wrote to ", " today.")
    assert restore(["\u2581في", "\u2581\u29851\u2986", "\u2581\u29852\u2986"], protected.values,
                   lambda pieces: "".join(pieces).replace("\u2581", " ").strip()) == "في العراق www.iraq.gov"


@pytest.mark.parametrize("draft, joined", [
    ("قال مسؤولون و العراق", "قال مسؤولون والعراق"),
    ("ذهب ل العراق", "ذهب للعراق"),  # ل + ال is written لل
    ("في العراق", "في العراق"),
    ("ومع العراق", "ومع العراق"),  # not a lone clitic
])
def test_a_lone_proclitic_is_joined_to_a_bound_name(draft, joined):
    from localize.engines.local import attach_clitic

    assert attach_clitic(draft, "العراق") == joined
