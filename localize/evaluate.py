"""Scoring a model and its settings on the desk's own reference translations.

References are (English, Arabic) pairs: the reviewed entries of PO files (a
folder of them, e.g. ``translations/``), or a TSV file of ``English<TAB>Arabic``
lines.  Every English is translated as ``localize translate`` would (same
engine, glossary names bound, retries), and the drafts are scored against the
references with sacreBLEU (chrF and BLEU on the whole set), with the share of
glossary name occurrences whose draft holds the approved form, the share of
drafts left in English, and the speed.
"""

from __future__ import annotations

import time
from pathlib import Path

from localize.errors import LocalizeError


def read_references(paths) -> list[tuple[str, str]]:
    """(English, Arabic) pairs of the given PO files, folders of them and TSV files; the same
    English once (its first reviewed translation)."""
    from localize import pipeline
    from localize.catalog import read_po
    from localize.memory.tm import units_from_catalog

    pairs: dict[str, str] = {}
    for argument in paths:
        path = Path(argument)
        if path.is_dir() or path.suffix.lower() == ".po":
            for po_path in pipeline.po_files([argument]):
                for unit in units_from_catalog(read_po(po_path), str(po_path)):
                    pairs.setdefault(" ".join(unit.source.split()), unit.target)
        else:
            for english, arabic in read_tsv(path):
                pairs.setdefault(" ".join(english.split()), arabic)
    if not pairs:
        raise LocalizeError(" ".join(map(str, paths)), "no reference translations found",
                            "give reviewed PO files (or a folder of them) or a TSV of English<TAB>Arabic lines")
    return list(pairs.items())


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """``English<TAB>Arabic`` lines (blank lines and lines starting with # skipped)."""
    from localize.files import decode_text, read_input

    text = decode_text(read_input(path, "reference file"), str(path))
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        english, tab, arabic = line.partition("\t")
        if not tab or "\t" in arabic or not english.strip() or not arabic.strip():
            raise LocalizeError(f"{path}:{number}", "expected English<TAB>Arabic",
                                "give one reference per line, the English and its Arabic separated by a tab")
        pairs.append((english.strip(), arabic.strip()))
    return pairs


def evaluate(pairs: list[tuple[str, str]], engine, terms=None) -> dict:
    """The scores of ``engine``'s drafts of the English of ``pairs`` against their Arabic."""
    import sacrebleu

    from localize.checks.qa import Context, english_draft

    sources = [english for english, _ in pairs]
    references = [arabic for _, arabic in pairs]
    started = time.perf_counter()
    drafts = engine.translate(sources, terms=terms)
    seconds = time.perf_counter() - started
    hypotheses = [draft.text for draft in drafts]
    context = Context(terms.latin_allowed() if terms else frozenset())
    held, names = names_held(sources, hypotheses, terms) if terms else (0, 0)
    english = sum(1 for source, text in zip(sources, hypotheses, strict=True) if english_draft(source, text, context))
    return {
        "segments": len(pairs),
        "chrf": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
        "bleu": round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2),
        "names": names, "names_held": held,
        "name_accuracy": round(held / names, 4) if names else None,
        "english_drafts": english, "english_share": round(english / len(pairs), 4),
        "seconds": round(seconds, 2), "segments_per_second": round(len(pairs) / max(seconds, 1e-9), 2),
    }


def names_held(sources: list[str], drafts: list[str], terms) -> tuple[int, int]:
    """(name occurrences whose draft holds the approved form, name occurrences): the glossary
    names and do-not-translate terms ``mt.bind`` finds in each English."""
    from localize.checks import arabic
    from localize.engines.local import bind

    held = total = 0
    for source, draft in zip(sources, drafts, strict=True):
        wanted: dict[str, int] = {}
        for _, _, form, _ in bind(source, terms):
            wanted[form] = wanted.get(form, 0) + 1
        normalized = arabic.normalize(draft)
        for form, count in wanted.items():
            present = draft.count(form) if form.isascii() else len(arabic.find_form(normalized, form))
            held += min(count, present)
            total += count
    return held, total
