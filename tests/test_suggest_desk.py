"""``glossary suggest`` on the desk's copy: Arabic al- names whole, titles and datelines off,
"X and Y" split, U.S. whole, names that only ever start a sentence, recurring common nouns,
and an unreadable file skipped with one line."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE
from localize.checks.glossary import Term, TermIndex
from localize.checks.suggest import candidates

FIXTURES = Path(__file__).parent / "fixtures" / "suggest"
ARTICLES = ["baghdad-drones.txt", "beirut-ceasefire.md", "damascus-sharaa.txt"]
HEADER = "source,target,type,forbidden,variants,note\n"


@pytest.fixture
def desk(project):
    for name in ARTICLES:
        shutil.copy(FIXTURES / name, project / name)
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    (project / "news.csv").write_text(HEADER + "Baghdad,بغداد,term,,,\n", encoding="utf-8")
    return project


def suggest(run, *paths, least="1"):
    result = run("glossary", "suggest", "--glossary", "news.csv", "--min", least, "--limit", "500", "--json", *paths)
    assert result.exit_code == 0, result.output
    return {row["term"]: row for row in json.loads(result.stdout)}, result


def test_names_as_a_terminologist_would_enter_them(run, desk):
    found, _ = suggest(run, *ARTICLES, "iran-imis.txt")
    names = {term for term, row in found.items() if row["kind"] == "name"}
    # Arabic al- names whole, with or without the given names; "Al-Sudani" starting a sentence too
    assert {"Mohammed Shia al-Sudani", "al-Sudani", "Ahmed al-Sharaa", "al-Sharaa", "Asaad al-Shibani",
            "Bashar al-Assad", "Haider al-Abadi", "Nouri al-Maliki", "Ahmad al-Assadi"} <= names
    assert found["al-Sharaa"]["count"] == 3  # "Syria's al-Sharaa", "Al-Sharaa and ...", "al-Sharaa faces"
    assert not {"Sudani", "Sharaa", "Mohammed Shia", "Al-Sudani", "Al-Sharaa"} & set(found)
    # titles taken off: President, Prime Minister, Foreign Minister, Gen., Grand Ayatollah, Sheikh, Secretary of State
    assert {"Masoud Pezeshkian", "Joseph Aoun", "Nawaf Salam", "Fuad Hussein", "Yahya Rasool", "Ali al-Sistani",
            "Humam Hamoudi", "Rex Tillerson", "Tom Barrack", "Emmanuel Macron", "Ali Shamkhani"} <= names
    titles = ("President", "Minister", "Gen.", "Ayatollah", "Sheikh", "Secretary", "Mr.")
    assert not [name for name in names if any(title in name.split() for title in titles)]
    # "X and Y" are two names
    assert {"Israel", "Lebanon", "Syria", "Damascus"} <= names
    assert not [name for name in found if " and " in name]
    # datelines are no names
    assert not {"BAGHDAD", "BEIRUT", "DAMASCUS", "Reuters", "AP", "AFP"} & set(found)
    # U.S. whole
    assert found["U.S."]["kind"] == "acronym" and found["U.S."]["count"] == 6 and len(found["U.S."]["articles"]) == 3
    assert not {"U", "S", "U.S"} & set(found)
    assert "Baghdad" not in found  # the glossary has it


def test_a_name_that_only_ever_starts_a_sentence(run, desk):
    found, _ = suggest(run, *ARTICLES)
    hezbollah = found["Hezbollah"]
    assert (hezbollah["kind"], hezbollah["count"], hezbollah["articles"]) == ("name", 3, ["beirut-ceasefire.md"])
    assert hezbollah["example"].startswith("Hezbollah ")
    # capitalised only because they come first: English words, or written in lower case elsewhere
    assert not {"Despite", "Officials", "Several", "Jordan", "The", "Iraq's"} & set(found)


def test_recurring_common_nouns_are_proposed_as_terms(run, desk):
    found, result = suggest(run, *ARTICLES, "iran-imis.txt")
    terms = {term: row for term, row in found.items() if row["kind"] == "term"}
    assert terms["militia"]["count"] >= 10 and len(terms["militia"]["articles"]) == 4  # militias count too
    assert terms["prime minister"]["articles"] == ["baghdad-drones.txt", "beirut-ceasefire.md",
                                                   "damascus-sharaa.txt", "iran-imis.txt"]
    assert {"security forces", "drone strikes"} <= set(terms)
    assert "prime minister" in terms["prime minister"]["example"]
    assert not {"said", "the", "minister", "ceasefire", "despite", "according"} & set(terms)  # stop words; a
    # word mostly inside a proposed phrase; one article's word ("ceasefire" is only in Beirut's copy)
    text = run("glossary", "suggest", "--glossary", "news.csv", *ARTICLES, "iran-imis.txt").stdout
    assert "\nmilitia (term): " in text and "\nHezbollah (name): 3 times in 1 article (beirut-ceasefire.md)\n" in text


def test_the_real_article_alone(run, desk):
    found, _ = suggest(run, "iran-imis.txt", least="2")
    assert found["IMIS"]["kind"] == "acronym"
    assert found["militia"]["kind"] == "term" and found["militia"]["count"] >= 5  # recurs in the one article
    assert {"Emmanuel Macron", "Iran", "Tehran", "Shia"} <= set(found)
    assert not {"Iran-backed Shia", "Shia-dominated", "Facebook Saturday", "Certainly"} & set(found)


def test_glossary_terms_are_left_out_and_functions_read_pairs():
    index = TermIndex([Term("militia", "ميليشيا"), Term("Hezbollah", "حزب الله"), Term("U.S.", "الولايات المتحدة")])
    sentences = [("a.txt", "Hezbollah told the envoy that the militia would not disarm."),
                 ("b.txt", "Hezbollah rejected the plan, the U.S. envoy said, as militias regrouped."),
                 ("b.txt", "Iraqi Prime Minister Mohammed Shia al-Sudani met the U.S. envoy.")]
    found = {c.term: c for c in candidates(sentences, index)}
    assert not {"Hezbollah", "militia", "U.S."} & set(found)
    assert found["Mohammed Shia al-Sudani"].kind == "name"
    assert (found["envoy"].kind, found["envoy"].articles) == ("term", ["a.txt", "b.txt"])  # in both articles


def test_an_unreadable_file_is_reported_in_one_line_and_skipped(run, desk):
    (desk / "broken.txt").write_bytes(b"\x00\x01\xff\xfe not an article")
    found, result = suggest(run, "baghdad-drones.txt", "broken.txt", "beirut-ceasefire.md")
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("warning: skipped broken.txt: ")
    assert "Hezbollah" in found and "al-Sudani" in found  # the files around it were read
    folder = desk / "incoming"
    folder.mkdir()
    shutil.copy(desk / "broken.txt", folder / "broken.txt")
    shutil.copy(desk / "damascus-sharaa.txt", folder / "damascus-sharaa.txt")
    found, result = suggest(run, "incoming")
    assert result.stderr.startswith("warning: skipped incoming/broken.txt: ") and "al-Sharaa" in found
    alone = run("glossary", "suggest", "--glossary", "news.csv", "broken.txt")  # nothing read: an error
    assert alone.exit_code == 2 and alone.stderr.startswith("Error: broken.txt: ") and alone.stderr.count("\n") == 1
