"""Write the figures of docs/benchmarks.md that come from the benches' JSON (bench/results/*.json),
between the markers below, so that no figure there is typed by hand.

    .venv/bin/python docs/gen_benchmarks.py          # rewrite the generated part
    .venv/bin/python docs/gen_benchmarks.py --check  # exit 1 if it is not what the JSON says

A bench that writes JSON (commit, date, machine, rounds, min and median) gets a renderer here;
the figures of the benches that do not yet write JSON stay below the generated part."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGE = ROOT / "docs" / "benchmarks.md"
START = "<!-- generated from bench/results/*.json by docs/gen_benchmarks.py: do not edit by hand -->"
END = "<!-- end of the generated figures -->"


def terminology(data: dict) -> list[str]:
    lines = ["### Glossary alarms (`bench/terminology.py`)", "",
             f"Commit {data['commit']}, {data['date'][:10]}. Precision and recall of the glossary issues on the "
             "desk's cases (`tests/fixtures/terminology/`: `tune` and `holdout` written with the rules; `blind` by "
             "a terminologist who never saw the checker, scored once as written, then used for three general fixes, "
             "so no longer blind; `blind2`, where present, written later the same way and never tuned on), against "
             "two Arabic stemmers used as the matcher.", "",
             "| matcher | split | precision | recall | right message | false alarms | missed |",
             "|---|---|---|---|---|---|---|"]
    for name, splits in data["results"].items():
        for split, row in splits.items():
            if isinstance(row, dict):
                lines.append(f"| {name} | {split} | {row['precision']:.3f} | {row['recall']:.3f} | "
                             f"{row['right_message']:.3f} | {row['false_alarms']}/{row['correct']} | "
                             f"{row['errors'] - row['caught']}/{row['errors']} |")
    return [*lines, ""]


def house_paired(data: dict) -> list[str]:
    commits = data["commit"]
    title = data.get("title", "Before and after the house refactor")
    lines = [f"### {title} (`bench/house_paired.py`)", "",
             f"{commits['before'][:7]} against {commits['after'][:7]}, {data['date'][:10]}, {data['articles']} "
             f"articles, {data['rounds']} alternated rounds, each run a fresh process; CPU seconds (min / median), "
             "ratio after/before, peak memory of the process.", "",
             "| step | before CPU | after CPU | ratio (min / median) | peak MiB before → after |",
             "|---|---|---|---|---|"]
    for step, value in data["steps"].items():
        cpu, rss = value["cpu"], value.get("rss", {})
        memory = f"{rss['before']['peak']:.1f} → {rss['after']['peak']:.1f}" if "before" in rss else "-"
        lines.append(f"| {step} | {cpu['before']['min']:.3f} / {cpu['before']['median']:.3f} | "
                     f"{cpu['after']['min']:.3f} / {cpu['after']['median']:.3f} | "
                     f"{cpu['ratio_min']:.2f} / {cpu['ratio_median']:.2f} | {memory} |")
    return [*lines, ""]


def tables(data: dict) -> list[str]:
    """Any bench written with bench/record.py: its provenance, what it measures, and its tables."""
    where = data["machine"]
    script = data["bench"]
    if not (ROOT / "bench" / f"{script}.py").exists():
        script = script.removesuffix("_paired")  # (a bench's --before run: the same script)
    lines = [f"### {data['title']} (`bench/{script}.py`)", "",
             f"Commit {data['commit']}, {data['date'][:10]}, {where['cpus']} CPUs ({where['cpu_model'] or 'unknown'}), "
             f"Python {where['python']}: `{data['command']}`", "", data["about"], ""]
    for table in data["tables"]:
        lines += [f"**{table['title']}**", "", "| " + " | ".join(table["columns"]) + " |",
                  "|" + "---|" * len(table["columns"])]
        lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in table["rows"]]
        lines += ["", *([table["note"], ""] if table["note"] else [])]
    return lines


RENDERERS = {"terminology.json": terminology, "house_paired.json": house_paired, "session_paired.json": house_paired}
# the order of the page: the product's own jobs first, then its parts
ORDER = ["mt_throughput", "batch", "archive_scale", "serve", "status_paired", "approve_paired", "memory_index",
         "memory_index_paired", "memory_refresh_paired", "publish", "glossary_speed", "segment_speed", "articles", "draft_quality",
         "decoding_bound", "shards", "terminology", "session_paired", "house_paired"]


def generated() -> str:
    parts = ["## Figures from the benches' JSON", ""]
    paths = sorted(RESULTS.glob("*.json"),
                   key=lambda path: (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem))
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        render = RENDERERS.get(path.name, tables)
        parts += render(data)
    return "\n".join([START, *parts, END])


def page_text() -> str:
    text = PAGE.read_text(encoding="utf-8")
    block = generated()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        return before + block + rest.split(END, 1)[1]
    head, _, tail = text.partition("\n\n")
    return f"{head}\n\n{block}\n\n{tail}"


def main() -> None:
    text = page_text()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if text == PAGE.read_text(encoding="utf-8") else 1)
    PAGE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
