"""The desk's terminology cases (tests/fixtures/terminology/cases.json, built by cases.py there):
a correct translation raises no glossary alarm, an error is caught with the right message.
``bench/terminology.py`` reports precision and recall per split against two Arabic stemmers."""

import json
from pathlib import Path

import pytest

from localize.checks import GLOSSARY_ISSUES
from localize.checks.glossary import TermIndex, load_glossary, verify

FOLDER = Path(__file__).parent / "fixtures" / "terminology"
CASES = [case for name in ("cases.json", "blind.json", "blind2.json") if (FOLDER / name).is_file()
         for case in json.loads((FOLDER / name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case):
    index = TermIndex(load_glossary(case["glossary"].encode(), case["id"]))
    found = [issue.type for issue in verify(case["en"], case["ar"], index) if issue.type in GLOSSARY_ISSUES]
    if case["expect"] == "ok":
        assert found == [], f"false alarm on a correct translation: {case['en']} / {case['ar']}"
    else:
        assert found[:1] == [case["expect"]], f"{case['en']} / {case['ar']}: expected {case['expect']}"


def test_the_corpus_is_half_correct_half_errors_with_a_holdout():
    built = json.loads((FOLDER / "cases.json").read_text(encoding="utf-8"))
    assert len(built) >= 60
    assert abs(sum(case["expect"] == "ok" for case in built) * 2 - len(built)) <= len(built) // 5
    assert sum(case["split"] == "holdout" for case in built) >= len(built) // 3
