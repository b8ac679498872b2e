"""Glossary alarms that mean an error: precision and recall of ``localize check``'s glossary
issues on the desk's own terminology cases (tests/fixtures/terminology/cases.json: correct
translations that must raise nothing, real errors that must be caught), per split (``tune``:
the rules were written against these; ``holdout``: kept apart, never tuned on, though written by
the same hand as the rules; ``blind``: blind.json, 60 cases written by a terminologist who never
saw the checker's code, scored once as written), against two
real Arabic stemmers used as the matcher (Snowball's Arabic stemmer and NLTK's ISRI stemmer:
a term is present when every word of an approved form has a word of the same stem in the
translation, forbidden when a forbidden form's words do).

    .venv/bin/python bench/terminology.py [--json bench/results/terminology.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from localize.checks import GLOSSARY_ISSUES  # noqa: E402
from localize.checks.glossary import TermIndex, load_glossary, verify  # noqa: E402

FOLDER = ROOT / "tests" / "fixtures" / "terminology"
SPLITS = ("tune", "holdout", "blind", "blind2", "all")


def localize_verdicts(case: dict) -> list[str]:
    index = TermIndex(load_glossary(case["glossary"].encode(), case["id"]))
    return [issue.type for issue in verify(case["en"], case["ar"], index) if issue.type in GLOSSARY_ISSUES]


def stemmer_matcher(stem):
    """A verdict function that finds terms in the English as localize does, and judges the
    Arabic by stems: what a morphology library alone would give."""
    from localize.checks import arabic

    def words(text: str) -> list[str]:
        return [stem(word) for word in arabic.normalize(text).split() if word.strip(".,،؛:!؟?\"'()")]

    def present(form: str, stems: set[str]) -> bool:
        return all(stem(word.strip(".,،")) in stems for word in arabic.normalize(form).split())

    def verdicts(case: dict) -> list[str]:
        index = TermIndex(load_glossary(case["glossary"].encode(), case["id"]))
        stems = {word for word in words(case["ar"])}
        found = []
        for match in index.find(case["en"]):
            term = match.term
            if any(present(form, stems) for form in term.forbidden):
                found.append("forbidden-term")
            elif not any(present(form, stems) for form in term.accepted):
                found.append("missing-term")
        return found

    return verdicts


def score(cases: list[dict], verdicts) -> dict:
    errors = [case for case in cases if case["expect"] != "ok"]
    correct = [case for case in cases if case["expect"] == "ok"]
    found = {case["id"]: verdicts(case) for case in cases}
    caught = [case for case in errors if found[case["id"]]]
    false = [case for case in correct if found[case["id"]]]
    right = [case for case in caught if found[case["id"]][0] == case["expect"]]
    alarms = len(caught) + len(false)
    return {"cases": len(cases), "correct": len(correct), "errors": len(errors),
            "caught": len(caught), "false_alarms": len(false),
            "precision": round(len(caught) / alarms, 3) if alarms else 1.0,
            "recall": round(len(caught) / len(errors), 3) if errors else 1.0,
            "right_message": round(len(right) / len(caught), 3) if caught else 1.0,
            "false_alarm_ids": [case["id"] for case in false],
            "missed_ids": [case["id"] for case in errors if not found[case["id"]]],
            "wrong_message_ids": [case["id"] for case in caught if found[case["id"]][0] != case["expect"]]}


def matchers() -> dict:
    result = {"localize": localize_verdicts}
    try:
        import snowballstemmer

        stemmer = snowballstemmer.stemmer("arabic")
        result["snowball-arabic"] = stemmer_matcher(stemmer.stemWord)
    except ImportError:
        print("(snowballstemmer not installed: pip install snowballstemmer)", file=sys.stderr)
    try:
        from nltk.stem.isri import ISRIStemmer

        result["nltk-isri"] = stemmer_matcher(ISRIStemmer().stem)
    except ImportError:
        print("(nltk not installed: pip install nltk)", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "terminology.json"))
    args = parser.parse_args()
    cases = json.loads((FOLDER / "cases.json").read_text(encoding="utf-8"))
    for name in ("blind", "blind2"):  # written by terminologists who never saw the checker
        path = FOLDER / f"{name}.json"
        if path.is_file():
            cases += [{**case, "split": name} for case in json.loads(path.read_text(encoding="utf-8"))]
    report = {"bench": "terminology", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                       cwd=ROOT).stdout.strip(), "results": {}}
    for name, verdicts in matchers().items():
        started = time.perf_counter()
        report["results"][name] = {split: score([c for c in cases if split == "all" or c["split"] == split], verdicts)
                                   for split in SPLITS if split == "all" or any(c["split"] == split for c in cases)}
        report["results"][name]["seconds"] = round(time.perf_counter() - started, 3)
    print(f"{'matcher':<16} {'split':<8} {'precision':>9} {'recall':>7} {'message':>8}  false alarms / missed")
    for name, splits in report["results"].items():
        for split in (split for split in SPLITS if split in splits):
            row = splits[split]
            print(f"{name:<16} {split:<8} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['right_message']:>8.3f}  "
                  f"{row['false_alarms']}/{row['correct']} false, {row['errors'] - row['caught']}/{row['errors']} "
                  "missed")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
