"""`localize models eval`: a model and its settings scored on the desk's own references."""

import json

import polib
import pytest

from localize.errors import LocalizeError
from localize.evaluate import evaluate, read_references
from localize.checks.glossary import Term, TermIndex
from localize.engines.local import Draft

REFERENCES = [
    ("The talks in Vienna resumed on Sunday after a pause of two months.",
     "استؤنفت المحادثات في فيينا يوم الأحد بعد توقف دام شهرين."),
    ("Officials in Iraq said the militia had left the city.",
     "قال مسؤولون في العراق إن الميليشيا غادرت المدينة."),
    ("Reuters reported that the vote in parliament was delayed again.",
     "ذكرت رويترز أن التصويت في البرلمان تأجل مرة أخرى."),
]
TERMS = TermIndex([Term("Iraq", "العراق"), Term("Reuters", "رويترز"), Term("militia", "ميليشيا")])


class Fixed:
    """An engine whose drafts are given: what the scores must make of them."""

    def __init__(self, drafts):
        self.drafts = drafts

    def translate(self, sources, terms=None):
        return [Draft(self.drafts.get(source, "")) for source in sources]


def test_references_scored_against_themselves_score_full_marks():
    scores = evaluate(REFERENCES, Fixed(dict(REFERENCES)), TERMS)
    assert scores["chrf"] == 100 and scores["bleu"] == 100
    assert (scores["names"], scores["names_held"], scores["name_accuracy"]) == (2, 2, 1.0)  # Iraq, Reuters
    assert scores["english_drafts"] == 0 and scores["segments"] == 3


def test_drafts_left_in_english_and_names_lost_are_counted():
    drafts = dict(REFERENCES)
    drafts[REFERENCES[2][0]] = REFERENCES[2][0]  # left in English: Reuters' Arabic is not there either
    scores = evaluate(REFERENCES, Fixed(drafts), TERMS)
    assert scores["english_drafts"] == 0  # the English itself is "untranslated", not an English draft
    drafts[REFERENCES[2][0]] = "Reuters reported that the vote was delayed في البرلمان."
    scores = evaluate(REFERENCES, Fixed(drafts), TERMS)
    assert scores["english_drafts"] == 1 and scores["english_share"] == round(1 / 3, 4)
    assert (scores["names"], scores["names_held"]) == (2, 1)
    assert 0 < scores["chrf"] < 100 and 0 < scores["bleu"] < 100
    assert evaluate(REFERENCES, Fixed({}), TERMS)["chrf"] == 0


def test_references_come_from_reviewed_po_entries_and_tsv_files(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
    po.append(polib.POEntry(msgctxt="1.1", msgid=REFERENCES[0][0], msgstr=REFERENCES[0][1]))
    po.append(polib.POEntry(msgctxt="2.1", msgid=REFERENCES[1][0], msgstr="مسودة", flags=["fuzzy"]))  # a draft
    po.append(polib.POEntry(msgctxt="3.1", msgid=REFERENCES[2][0], msgstr=""))
    (tmp_path / "translations/ar").mkdir(parents=True)
    po.save(str(tmp_path / "translations/ar/a.po"))
    tsv = tmp_path / "refs.tsv"
    tsv.write_text("# English\tArabic\n\n" + "\n".join("\t".join(pair) for pair in REFERENCES[1:]) + "\n",
                   encoding="utf-8")
    assert read_references([tmp_path / "translations"]) == [REFERENCES[0]]
    assert read_references([tmp_path / "translations", tsv]) == REFERENCES


@pytest.mark.parametrize("content, where", [
    ("The talks resumed.\n", "refs.tsv:1"),
    ("One\tواحد\nTwo\tاثنان\textra\n", "refs.tsv:2"),
    ("", "refs.tsv"),
])
def test_a_malformed_reference_file_is_a_one_line_error(tmp_path, content, where):
    (tmp_path / "refs.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(LocalizeError) as error:
        read_references([tmp_path / "refs.tsv"])
    assert error.value.where.endswith(where)


def test_models_eval_scores_the_installed_model_on_a_reference_file(run, project, model):
    (project / "refs.tsv").write_text("\n".join("\t".join(pair) for pair in REFERENCES) + "\n", encoding="utf-8")
    result = run("models", "eval", "refs.tsv", "--max-length", "24", "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["segments"] == 3 and 0 <= scores["chrf"] <= 100 and scores["segments_per_second"] > 0
    assert scores["model"] == model.label and scores["beam"] == 4
    text = run("models", "eval", "refs.tsv", "--max-length", "24", "--beam", "1")
    assert text.exit_code == 0 and "chrF" in text.stdout and "beam 1" in text.stdout
    broken = run("models", "eval", "missing.tsv")
    assert broken.exit_code == 2 and broken.stderr.startswith("Error: missing.tsv") and "Traceback" not in broken.output
