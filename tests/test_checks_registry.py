"""One registry of checks: every issue type has a message, a severity and whether it may be
accepted; a desk makes a type advisory in localize.toml, and check, publish and the page follow."""

import re

import polib
import pytest

from localize.checks import ISSUE_TYPES, REGISTRY, acceptable, describe
from localize.checks.qa import check
from localize.records import Issue


def test_every_type_a_check_reports_is_registered_with_a_message():
    samples = [("Iran sent 12 envoys to <1>Vienna</1> at https://x.org, a@b.org.", "أرسلت"),
               ("A (big) \"deal\"?", "A (big) \"deal\"? deal deal deal deal"),
               ("Hello <1>there</1>.", "</1>مرحبا<1>."), ("Short.", "نص طويل جدا جدا جدا جدا جدا جدا جدا جدا جدا جدا"),
               ("Text.", "نص\u202e\x07")]
    found = {issue.type for source, target in samples for issue in check(source, target)}
    assert found <= ISSUE_TYPES and len(found) >= 8
    for name in ISSUE_TYPES:
        line = describe(Issue(name, term="T", expected="E", found="F"))
        assert line.startswith(f"{name}: ") and "{" not in line


def test_a_reversed_pair_of_placeholders_is_an_issue():
    issues = check("Read <1>the plan</1>.", "</1>اقرأ الخطة<1>.")
    assert [describe(issue) for issue in issues] == [
        "misplaced-placeholder: </1> (an end before its start, or pairs crossed: the markup would break; put them "
        "in order)"]
    assert check("Read <1>the plan</1>.", "اقرأ <1>الخطة</1>.") == []
    assert [i.type for i in check("<1><2>a</2> b</1>.", "<1><2>أ</1> ب</2>.")] == ["misplaced-placeholder"]


def test_accept_is_offered_only_where_the_registry_allows():
    assert acceptable(Issue("length-ratio", term="x")) and not acceptable(Issue("unknown-ignore", term="x"))
    assert not acceptable(Issue("missing-term"))  # no term to accept it for
    assert {kind.severity for kind in REGISTRY.values()} == {"blocking"}  # the desk decides what is advisory


@pytest.fixture
def short_translation(project, run):
    (project / "a.txt").write_text("Title\n\nThe minister met the envoys in Baghdad today.\n")
    run("translate", "--no-mt", "a.txt")
    po = polib.pofile("translations/ar/a.po")
    po.find("Title").msgstr = "عنوان"
    po.find("The minister met the envoys in Baghdad today.").msgstr = "التقى."
    po.save()
    (project / "glossaries").mkdir()
    (project / "glossaries/news.csv").write_text("source,target,type,forbidden,variants,note\nIran,إيران,term,,,\n")
    return project


def test_an_advisory_type_is_shown_but_holds_nothing_back(short_translation, run):
    result = run("check")
    assert result.exit_code == 1 and "length-ratio" in result.stdout
    assert run("publish", "translations/ar/a.po").exit_code == 1
    (short_translation / "localize.toml").write_text('advisory = ["length-ratio"]\n')
    result = run("check")
    assert result.exit_code == 0
    assert re.search(r"length-ratio: the translation is [\d.]+ times the length of the English \(advisory\)",
                     result.stdout)
    assert run("publish", "translations/ar/a.po").exit_code == 0


def test_an_unknown_advisory_type_is_a_one_line_error(project, run):
    (project / "localize.toml").write_text('advisory = ["length-ration"]\n')
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr == ("Error: localize.toml:1: advisory = ['length-ration']: expected a list of issue types "
                             "(see `localize check --help`) (fix the setting in localize.toml)\n")
