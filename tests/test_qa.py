"""Each QA check with cases it must flag and cases it must leave alone."""

import pytest

from localize.checks import describe
from localize.checks.qa import Context, check, normal_number

AR = "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631"  # "the minister said"


def types(source, target, context=Context()):
    return [(issue.type, issue.term) for issue in check(source, target, context)]


@pytest.mark.parametrize("english, arabic", [
    ("60,000 people", "\u0666\u0660\u066c\u0660\u0660\u0660 \u0634\u062e\u0635"),  # ٦٠٬٠٠٠
    ("60,000 people", "60000 \u0634\u062e\u0635"),
    ("3.5 million", "\u0663\u066b\u0665 \u0645\u0644\u064a\u0648\u0646"),  # ٣٫٥
    ("in 2017 and 2018", "\u0641\u064a 2018 \u0648 2017"),
    ("see <1>page 2</1>", "<1>\u0627\u0644\u0635\u0641\u062d\u0629 2</1> \u0627\u0646\u0638\u0631"),
])
def test_numbers_equal_in_any_digits_and_grouping_pass(english, arabic):
    assert [t for t in types(english, arabic) if "number" in t[0]] == []


def test_numbers_missing_or_changed_are_flagged():
    [changed, missing] = check("Killed 12 people in 2017", f"{AR} 2016")
    assert (changed.type, changed.term, changed.found) == ("changed-number", "12", "2016")
    assert (missing.type, missing.term) == ("missing-number", "2017")
    assert normal_number("\u0661\u0662\u066c\u0663\u0664\u0665") == "12345"
    assert normal_number("1,5") == "1,5"  # not a grouping: kept as written


def test_placeholders_urls_emails_missing_or_duplicated():
    source = "Read <1>this</1> at https://un.org or write to a@b.org"
    assert types(source, f"<1>{AR}</1> https://un.org a@b.org") == []
    assert types(source, f"{AR} https://un.org") == [
        ("missing-placeholder", "<1>"), ("missing-placeholder", "</1>"), ("missing-email", "a@b.org")]
    assert types(source, f"<1>{AR}</1> <1>x</1> https://un.org a@b.org")[:2] == [
        ("duplicated-placeholder", "<1>"), ("duplicated-placeholder", "</1>")]


def test_empty_and_untranslated():
    assert types("The minister spoke.", "  ") == [("empty-translation", "")]
    assert types("The minister spoke.", "The  minister spoke.")[0] == ("untranslated", "")
    assert types("2017", "2017") == []  # nothing to translate: a copy is right


def test_brackets_and_quotes():
    assert types('He said "no" (twice).', f"{AR} \u00ab\u0644\u0627\u00bb (\u0645\u0631\u062a\u064a\u0646).") == []
    assert ("unbalanced-brackets", "") in types("He said no (twice).", f"{AR} (\u0645\u0631\u062a\u064a\u0646.")
    assert ("unbalanced-quotes", "") in types("He said \u201cno\u201d.", f"{AR} \u00ab\u0644\u0627.")
    assert types("He said (twice.", f"{AR} (\u0645\u0631\u062a\u064a\u0646.") == []  # the English was already so


def test_latin_words_except_do_not_translate_terms_and_links():
    assert types("The BBC said", f"{AR} BBC") == [("latin-word", "BBC")]
    assert types("The BBC said", f"{AR} BBC", Context(frozenset({"bbc"}))) == []
    assert types("See https://bbc.com", f"{AR} https://bbc.com") == []


def test_question_marks():
    assert types("Why?", "\u0644\u0645\u0627\u0630\u0627?") == [("question-mark", "")]
    assert types("Why?", "\u0644\u0645\u0627\u0630\u0627\u061f") == []
    assert types("See https://x.org/?q=1", f"{AR} https://x.org/?q=1") == []


def test_extreme_length_ratios():
    english = "The minister said the talks would resume next week in Baghdad."
    assert types(english, "\u0646\u0639\u0645") == [("length-ratio", "")]
    assert ("length-ratio", "") in types(english, AR * 20)
    assert types(english, "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 "
                          "\u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a \u0633\u062a\u0633\u062a\u0623\u0646\u0641 "
                          "\u0627\u0644\u0623\u0633\u0628\u0648\u0639 \u0627\u0644\u0645\u0642\u0628\u0644 "
                          "\u0641\u064a \u0628\u063a\u062f\u0627\u062f.") == []
    assert types("Yes.", "\u0646\u0639\u0645 \u0628\u0627\u0644\u062a\u0623\u0643\u064a\u062f \u0647\u0630\u0627 "
                         "\u0635\u062d\u064a\u062d.") == []  # short sources are not judged


def test_every_issue_reads_as_one_line():
    for issue in check("In 2017, (<1>the BBC</1>) asked why?", "BBC ? (2016"):
        line = describe(issue)
        assert line.startswith(issue.type) and "\n" not in line


def test_a_draft_left_in_english_is_reported_once():
    from localize.checks.qa import check

    issues = check("The talks resumed in Vienna on Sunday.", "The talks resumed في فيينا on Sunday.")
    assert [issue.type for issue in issues] == ["english-draft"]  # not also a latin-word issue
    assert check("He visited www.example.com/news/today.", "زار www.example.com/news/today.") == []
    assert [i.type for i in check("She said Reuters reported it.", "قالت إن رويترز نقلت ذلك.")] == []


def test_words_repeated_in_a_row_are_reported_unless_the_english_repeats_them():
    from localize.checks.qa import check

    looped = check("He said the talks would go on.", "قال إن المحادثات قال إن قال إن قال إن")
    assert [(i.type, i.term) for i in looped] == [("repeated-words", "قال إن")]
    assert check("Bye, bye, bye, he sang.", "وداعا، وداعا، وداعا، غنى.") == []
    assert check("He said it.", "قال في في المدينة في البيت.") == []  # three, not in a row
