import pytest

from localize.checks.arabic import find_form, normalize, normalize_with_offsets


def test_normalize_folds_spelling_variants():
    assert normalize("إِيرانُ") == normalize("ايران")
    assert normalize("أحمد") == normalize("إحمد") == normalize("آحمد") == "احمد"
    assert normalize("مصطفى") == normalize("مصطفي")
    assert normalize("الحكومة") == normalize("الحكومه")
    assert normalize("العـــراق") == "العراق"  # tatweel


def test_offsets_map_back_to_the_original():
    text = "وَالعِراقُ"
    normalized, offsets = normalize_with_offsets(text)
    assert normalized == "والعراق"
    assert text[offsets[0]:offsets[-1] + 1] == text[:-1]


@pytest.mark.parametrize("text,form,common", [
    ("زار الوزير العراق أمس", "العراق", False),
    ("وصل إلى بغداد وبالعراق", "العراق", False),
    ("للعراق دور كبير", "العراق", False),
    ("فالعراق يرفض", "العراق", False),
    ("والعراق يرفض", "العراق", False),
    ("قال لإيران", "إيران", False),
    ("وإيران ترفض", "إيران", False),
    ("بإيرانَ", "إيران", False),
    ("قادة الميليشيات", "ميليشيات", True),
    ("وللميليشيات دور", "ميليشيات", True),
    ("حكومته", "حكومة", True),
    ("قادة الميليشيات", "ميليشيا", True),        # a common noun's sound plural, derived by rule
    ("المجلسُ الأعلى  للأمن القومي", "المجلس الأعلى للأمن القومي", False),
])
def test_accepted_with_clitics_and_article(text, form, common):
    assert find_form(normalize(text), form, common)


@pytest.mark.parametrize("text,form,common", [
    ("الإيرانيون غاضبون", "إيران", False),      # Iranians is not Iran
    ("الحكومة السورية", "سورية", False),        # the adjective is not the name
    ("العراقي", "العراق", False),               # a nisba adjective
    ("الإيراني", "إيران", False),
    ("المجلس الأعلى", "المجلس الأعلى للأمن القومي", False),
])
def test_not_accepted(text, form, common):
    assert not find_form(normalize(text), form, common)


@pytest.mark.parametrize("model_words, draft", [
    ("هل قال ذلك?", "هل قال ذلك؟"),
    ("نعم؟? قال", "نعم؟ قال"),  # the doubled mark some models write
    ("أولا; ثانيا, ثالثا", "أولا؛ ثانيا، ثالثا"),
    ("بلغ العدد 1,200 شخص", "بلغ العدد 1,200 شخص"),  # a comma between digits is a number's
])
def test_drafts_take_arabic_punctuation(model_words, draft):
    from localize.checks.arabic import arabic_punctuation

    assert arabic_punctuation(model_words) == draft
