"""The translate pipeline shared by ``translate``, ``batch``, ``check``, ``status``,
``publish`` and the review page: read an article and its PO, draft (memory, then
one engine call), find glossary and QA issues.  Nothing here prints: results
are returned, and what a person should hear of goes to a ``say`` callback, the
decoding's progress to a ``progress`` callback.  The commands in ``cli/`` only
parse options and print.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from dataclasses import dataclass, fields
from typing import NamedTuple

from localize.errors import LocalizeError, Stopped
from localize.wording import count


def load_article(path: str, fmt: str | None, encoding: str | None):
    from localize.readers import parse_article
    from localize.files import read_input

    return parse_article(read_input(path, "article"), path, fmt, encoding)


def expected(read: dict) -> dict:
    """{PO: the digest it must still have when it is written} from ``prepare``'s digests (a PO
    that was not there must still not be there): no reviewer's save is ever replaced."""
    from localize.files import ABSENT

    return {target: before or ABSENT for target, before in read.items()}


def draft(jobs, index, memory, drafter, trust: bool, progress=None, say=None) -> tuple[dict, dict]:
    """Fill the jobs' empty entries (memory first, then one engine call), and add the
    reviewer's notes (issues, close memory matches); machine and memory drafts per target.
    ``progress(done, total)`` while decoding; ``say(line)``: what the run tells a person."""
    from localize.catalog import annotate_drafts

    remembered = memory_drafts(jobs, memory, trust)
    stopped = None
    try:
        drafted = machine_drafts(jobs, drafter, index, progress, say) if drafter else {}
    except Stopped as error:  # the engine stopped partway: the jobs it finished are still worth writing
        stopped, drafted = error, error.counts[0]
        error.counts = (drafted, remembered)
    check = draft_check(index)
    finished = [po for target, po in jobs if stopped is None or target in stopped.complete]
    for po in finished:
        annotate_drafts(po, check)
    memory_notes(finished, memory)
    if stopped is not None:
        raise stopped
    return drafted, remembered


def memory_drafts(jobs, memory, trust: bool) -> dict:
    """Fill untranslated entries whose English the memory has; counts per target."""
    from localize.catalog import untranslated
    from localize.review import ReviewEntry

    counts: dict[Path, int] = {}
    wanted = [(target, entry) for target, po in jobs for entry in untranslated(po)]
    for (target, entry), unit in zip(wanted, memory.match_many([entry.msgid for _, entry in wanted]), strict=True):
        if unit is None:
            continue
        if trust:  # the project's choice: an exact reviewed match counts as reviewed
            entry.msgstr = unit.target
        else:
            ReviewEntry(entry).add_draft(unit.target, f"translation memory, exact match ({unit.origin})")
        if unit.ignores:  # the reviewer's decisions travel with the translation they were made on
            entry.tcomment = "\n".join(dict.fromkeys(filter(None, [*entry.tcomment.splitlines(), *unit.ignores])))
        counts[target] = counts.get(target, 0) + 1
    return counts


def memory_notes(pos, memory) -> None:
    """``#. memory NN%: English = Arabic`` for the entries of ``pos`` still to review (the memory's
    lookups of all of them made together)."""
    from localize.memory.tm import suggestion_note
    from localize.review import reviewed

    if not len(memory):
        return
    entries = [entry for po in pos for entry in po if not entry.obsolete and not reviewed(entry)]
    for entry, suggestions in zip(entries, memory.suggest_many([entry.msgid for entry in entries]), strict=True):
        notes = [suggestion_note(s) for s in suggestions]
        entry.comment = "\n".join(filter(None, [entry.comment, *notes]))


@dataclass(frozen=True)
class EngineSettings:
    """What makes the machine drafts: the engine and its options (``--engine`` ... ``--max-length``)."""

    engine: str = "argos"
    url: tuple[str, ...] | str | None = None  # a server, or a pool of them
    api_key: str | None = None
    concurrency: int = 4
    timeout: float = 120.0
    beam: int = 4
    device: str = "auto"
    threads: int = 0
    max_length: int = 256

    @classmethod
    def take(cls, options: dict) -> EngineSettings:
        """The settings among a command's ``options`` (taken out of the dict)."""
        return cls(**{field.name: options.pop(field.name) for field in fields(cls) if field.name in options})


def drafter(settings: EngineSettings, warn=None):
    """What makes the machine drafts, checked before any work: the installed model (an
    ``engines.local.Local``: loaded only when there is something to translate) or the
    LibreTranslate server at ``settings.url`` (``engines.remote.Remote``: it must answer and
    translate en->ar); ``warn(line)`` hears of what the server did that a person should know."""
    if settings.engine == "libretranslate":
        from localize.engines.remote import Remote

        remote = Remote(settings.url, settings.api_key, settings.concurrency, settings.timeout, warn=warn)
        remote.check()
        return remote
    from localize import models
    from localize.engines.local import Local, Options

    options = Options(beam_size=settings.beam, device=settings.device, threads=settings.threads,
                      max_decoding_length=settings.max_length)
    return Local(models.find(), options)


def machine_drafts(jobs, drafter, index=None, progress=None, say=None) -> dict:
    """Fill every untranslated entry of every job in one engine call; drafts per target."""
    import time

    from localize.catalog import untranslated
    from localize.review import ReviewEntry, one_line

    todo = [(target, entry) for target, po in jobs for entry in untranslated(po)]
    if not todo:
        return {}
    say = say or (lambda line: None)
    started = time.perf_counter()
    engine = drafter.open()
    stopped = None
    try:
        drafts = engine.translate([entry.msgid for _, entry in todo], progress, index)
    except Stopped as error:  # (a server gone partway) what was finished, and which jobs it completes
        stopped, drafts = error, [error.done.get(number) for number in range(len(todo))]
        error.complete = {target for target, _ in jobs} - {target for (target, _), draft in zip(todo, drafts,
                                                                                                 strict=True)
                                                           if draft is None}
    counts: dict[Path, int] = {}
    empty = 0
    for (target, entry), draft in zip(todo, drafts, strict=True):
        if draft is None or (stopped is not None and target not in stopped.complete):
            continue  # (not finished: its article is not written)
        if not draft.text:  # the model gave nothing: leave the entry for a translator
            empty += 1
            continue
        cut = f"; translated in {draft.pieces} pieces, too long for the model" if draft.pieces > 1 else ""
        names = f"; glossary names kept: {', '.join(draft.bound)}" if draft.bound else ""
        ReviewEntry(entry).add_draft(one_line(draft.text), engine.description + cut + names)  # no control characters
        counts[target] = counts.get(target, 0) + 1
    unique = len({entry.msgid for _, entry in todo})
    if stopped is not None:  # (the run says why it stopped; what was done is in its report)
        stopped.counts = (counts, {})
        raise stopped
    say(f"machine translation: {count(len(todo), 'segment')} ({unique} distinct) in "
        f"{time.perf_counter() - started:.1f} s with {engine.label}")
    if empty:
        say(f"warning: {engine.label} gave no translation for {count(empty, 'segment')} (an empty answer, "
            "or a segment over the server's --char-limit); they are left untranslated")
    return counts


def prepare(path: str, out: str, fmt, encoding, index, digests: dict, slug: str | None = None,
            suspects: dict | None = None):
    """Read an article and its existing PO, and build the new PO (nothing written yet).

    ``digests[target]`` gets the PO's hash as it was before it was read, for
    the write to compare with right before its rename (``expected``); ``suspects[target]``
    says why a web page's reading looks incomplete (see ``Article.suspect``).
    """
    from dataclasses import replace

    from localize.catalog import build_catalog, read_po
    from localize.files import check_file_name, digest
    from localize.checks.glossary import reviewer_notes
    from localize.segment import segment_article

    check_file_name(path)  # before anything is read: the PO records the name
    article = load_article(path, fmt, encoding)
    target = Path(out) / "ar" / f"{slug or article.slug}.po"
    digests[target] = digest(target)
    previous = read_po(target) if digests[target] is not None else None
    if previous is not None:
        check_owner(target, previous, path, article.sha256)
    if suspects is not None and article.suspect:
        suspects[target] = article.suspect
    segments = [replace(s, notes=tuple(reviewer_notes(s.source, index))) for s in segment_article(article)]
    return target, build_catalog(article, segments, project_path(path), previous)


def render_po(target, po, source: str) -> str:
    """The PO's text, or an error if it would be too large for localize to read back."""
    from localize.catalog import render
    from localize.files import MAX_PO_BYTES

    text = render(po)
    size = len(text.encode("utf-8"))
    if size > MAX_PO_BYTES:
        raise LocalizeError(source, f"its PO ({target}) would be {_size(size)}, over the {_size(MAX_PO_BYTES)} "
                            "a PO may have", "split the article; nothing was written")
    return text


def _size(size: int) -> str:
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"


def issue_finder(index):
    """``find(entry)``: the glossary and QA issues of one translated entry, less what a
    reviewer accepted on it (``# ignore: TYPE`` or ``# ignore: TYPE TERM``), plus an
    ``unknown-ignore`` issue for each ignore item that names no type or no term of the entry."""
    from localize.review import ignored_issues
    from localize.checks.glossary import verify
    from localize.checks.qa import Context
    from localize.checks.qa import check as qa_check
    from localize.records import Issue

    context = Context(index.latin_allowed())

    def find(entry):
        ignores = ignored_issues(entry)
        found = [*verify(entry.msgid, entry.msgstr, index), *qa_check(entry.msgid, entry.msgstr, context)]
        kept = [issue for issue in found
                if issue.type not in ignores.types and (issue.type, issue.term.lower()) not in ignores.terms]
        unknown = list(ignores.unknown)
        if ignores.terms:  # a term must be the entry's: a typo never silences anything
            held = {match.term.source.lower() for match in index.find(entry.msgid)}
            held.update(issue.term.lower() for issue in found)
            unknown += [f"{kind} {term}" for kind, term in sorted(ignores.terms) if term not in held]
        return kept + [Issue("unknown-ignore", term=item, found=item) for item in unknown]

    return find


def draft_check(index):
    """``check(entry)``: the ``issue:`` lines for a draft's ``#.`` comment.

    A glossary issue of a term the comment already names (``glossary: Iran =
    إيران``) is said on that line (``[draft: missing]``), so each term appears
    once per entry."""
    from localize.checks import GLOSSARY_ISSUES, describe
    from localize.checks.glossary import draft_verdict

    find = issue_finder(index)

    def check(entry):
        lines, comment = [], entry.comment.splitlines()
        for issue in find(entry):
            named = next((number for number, line in enumerate(comment)
                          if issue.type in GLOSSARY_ISSUES and line.startswith(f"glossary: {issue.term} =")), None)
            if named is None:
                lines.append(f"issue: {describe(issue)}")
            elif "[draft: " not in comment[named]:
                comment[named] += f" [draft: {draft_verdict(issue)}]"
        entry.comment = "\n".join(comment)
        return lines

    return check


def glossary_paths(files) -> list[str]:
    """The glossaries named (or set in localize.toml), or else glossaries/*.csv of the project."""
    from localize.project import current

    return list(files) or sorted(str(p) for p in Path(current().path("glossaries")).glob("*.csv"))


def translations_folder() -> str:
    """The project's PO folder (localize.toml's ``translations``), from the current folder."""
    from localize.project import current

    return current().path(current().setting("translations"))


def recorded_path(recorded: str) -> Path:
    """A path a PO recorded (relative to the project's root), from the current folder."""
    from localize.project import current

    return Path(current().path(recorded)) if recorded else Path("")


def term_index(files, required: bool):
    """The terms of the given glossaries, or of glossaries/*.csv in the current project."""
    from localize.files import read_input
    from localize.checks.glossary import TermIndex, load_glossary

    paths = glossary_paths(files)
    if required and not paths:
        raise LocalizeError("glossaries/", "no glossary found",
                            "put CSV glossaries in glossaries/ or pass --glossary FILE")
    terms = [term for path in paths for term in load_glossary(read_input(path, "glossary"), path)]
    return TermIndex(terms)


def entry_issues(po, index):
    """Glossary and QA issues of every translated entry of a PO: [(entry, issue)], less
    the issue types a reviewer accepted on the entry (``# ignore: TYPE``)."""
    from localize.catalog import translated_entries

    find = issue_finder(index)
    return [(entry, issue) for entry in translated_entries(po) for issue in find(entry)]


def status_row(po, index) -> dict:
    """One PO's review state, as ``localize status`` shows it (and the review page's index)."""
    from collections import Counter

    from localize.catalog import summary

    issues = [issue for _, issue in entry_issues(po, index)]
    types = Counter(issue.type for issue in issues)
    return {**summary(po), "issues": len(issues), "issue_types": dict(types.most_common()),
            "source": po.metadata.get("X-Source-File", ""), "source_state": source_state(po)}


def source_state(po) -> str:
    """unchanged, changed (re-run translate) or missing, from the hash the PO recorded."""
    from localize.files import digest

    source = recorded_path(po.metadata.get("X-Source-File", ""))
    if not source.name or not source.is_file():
        return "missing"
    return "unchanged" if digest(source) == po.metadata.get("X-Source-SHA256") else "changed"


def project_path(path: str) -> str:
    """The article's path as the PO records it: relative to the project's root, with '/'."""
    from localize.project import current

    return Path(os.path.relpath(os.path.abspath(path), current().root)).as_posix()


def check_owner(target, previous, path: str, sha256: str) -> None:
    """Refuse to rewrite a PO recorded for another article (same slug, other file).

    The PO is this article's when its ``X-Source-File`` is this file (compared as
    files, so from another folder too), or names no file that is still there while
    its hash is this article's (the article was moved or renamed)."""
    recorded = previous.metadata.get("X-Source-File", "")
    if not recorded:
        return  # not written by localize: nothing says whose it is
    here, there = Path(path), recorded_path(recorded)
    if there.exists():
        if here.exists() and os.path.samefile(here, there):
            return
    elif previous.metadata.get("X-Source-SHA256") == sha256 or not previous.metadata.get("X-Source-SHA256"):
        return
    raise LocalizeError(str(target), f"is the PO of {recorded} (X-Source-File), not of {project_path(path)}",
                        "rename one of the articles, or pass --out to write elsewhere; the PO was not changed")


def check_unique_targets(jobs) -> None:
    seen: dict[Path, str] = {}  # target: the article written there
    for target, po in jobs:
        source = po.metadata["X-Source-File"]
        if target in seen and seen[target] != source:
            raise LocalizeError(str(target), f"both {seen[target]} and {source} would be written here",
                                "rename one of the articles")
        seen[target] = source


def po_files(arguments) -> list[Path]:
    """The paths given, a folder's POs in its place (every folder below, as ``Path.rglob`` finds
    them), sorted as Paths sort: by their parts, compared once each, not a Path comparison each time."""
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths.extend(sorted(path.rglob("*.po"), key=lambda found: found.parts))
        else:
            paths.append(path)
    return paths


def load_translated_article(po_path, encoding: str | None = None):
    """A localize PO and the article it was made from: (po, article, source path).

    The article is found by the PO's X-Source-File (relative to the folder
    ``translate`` ran in) and must still have the bytes X-Source-SHA256 records.
    """
    from localize.catalog import read_po
    from localize.readers import parse_article

    po = read_po(po_path)
    source, recorded = po.metadata.get("X-Source-File", ""), po.metadata.get("X-Source-SHA256", "")
    if not source or not recorded:
        raise LocalizeError(str(po_path), "no X-Source-File / X-Source-SHA256 header, so not a PO written by localize",
                            "publish the PO that `localize translate ARTICLE` wrote")
    from localize.files import read_input

    path = recorded_path(source)
    if not path.is_file():
        raise LocalizeError(str(po_path), f"its article {source} (X-Source-File) is not there",
                            "put the article back, or run this in the project `localize translate` ran in")
    data = read_input(path, "article")
    if hashlib.sha256(data).hexdigest() != recorded:
        raise LocalizeError(source, f"changed since {po_path} was written",
                            f"run `localize translate {source}`, review the new segments, then publish")
    encoding = encoding or po.metadata.get("X-Source-Encoding") or None  # as translate read it
    return po, parse_article(data, source, po.metadata.get("X-Source-Format") or None, encoding), source


class Hold(NamedTuple):
    """One reason a PO cannot be published yet."""

    line: int  # the entry's line in the PO
    msgctxt: str
    msgid: str
    reason: str
    issue: bool  # a glossary or QA issue (else: not reviewed)


def unfinished(po, index) -> list[Hold]:
    """What stops a PO from being published: every segment not reviewed and every
    blocking glossary or QA issue (an advisory one holds nothing back), in file order."""
    from localize.review import reviewed
    from localize.checks import ADVISORY, describe, severity

    find, advisory = issue_finder(index), advisory_types()
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgstr:
            found.append(Hold(entry.linenum, entry.msgctxt, entry.msgid, "untranslated", False))
            continue
        if not reviewed(entry):
            found.append(Hold(entry.linenum, entry.msgctxt, entry.msgid, "not reviewed (fuzzy draft)", False))
        found.extend(Hold(entry.linenum, entry.msgctxt, entry.msgid, describe(issue), True)
                     for issue in find(entry) if severity(issue.type, advisory) != ADVISORY)
    return found


def advisory_types() -> frozenset:
    """The issue types the project's localize.toml makes advisory (shown, never holding a PO back)."""
    from localize.project import current

    return frozenset(current().setting("advisory"))
