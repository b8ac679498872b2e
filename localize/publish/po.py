"""One PO's publish step, shared by ``localize publish`` and the review page's Publish button:
read the PO and its article, find what holds it back, and stage its editions.

Nothing is written here: the pages go to the caller's ``files.Staging`` (or ``FolderStaging``),
which the caller commits (every page of the run, or none)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, NamedTuple

from localize.errors import LocalizeError


class Held(NamedTuple):
    """A PO held back: its counts, and what holds it where the caller wants the details."""

    unreviewed: int
    issues: int
    holds: list  # pipeline.Hold, one per segment not reviewed and per blocking issue


class Options(NamedTuple):
    """How the editions are made (``localize publish``'s options)."""

    out: str
    formats: tuple = ("html",)
    allow_draft: bool = False
    locale: str = "ar"
    digits: str = "western"
    encoding: str | None = None
    details: bool = False  # keep every hold in ``Held.holds`` (--verbose, --json, the page)


class Spool:
    """Values (anything JSON can write) added one at a time and read back in order: kept in
    memory up to a quarter of a MiB, then in a temporary file, so a list of every PO of an
    archive keeps the memory flat."""

    def __init__(self) -> None:
        import io

        self.file: IO[bytes] = io.BytesIO()
        self.spilled = False

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    def close(self) -> None:
        self.file.close()

    def add(self, value) -> None:
        import json

        self.file.write(json.dumps(value).encode("ascii") + b"\n")  # (ASCII: any file name, even undecodable)
        if not self.spilled and self.file.tell() > _SPOOLED_IN_MEMORY:
            import tempfile

            spilled = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), or with the with block)
            self.file.seek(0)
            spilled.write(self.file.read())
            self.file, self.spilled = spilled, True

    def __iter__(self):
        import json

        self.file.seek(0)
        return (json.loads(line) for line in self.file)


_SPOOLED_IN_MEMORY = 1 << 18  # bytes a Spool keeps in memory before it goes to a file


class Run:
    """A publish run: each PO's editions staged in ``staging`` (a ``files.Staging`` or
    ``files.FolderStaging``) and listed, with what to say after each name, in a ``Spool``
    (``pages()``), so that a run over any number of POs keeps no list of them in memory."""

    def __init__(self, index, staging, options: Options):
        self.index, self.staging, self.options = index, staging, options
        self.listed = Spool()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exception) -> None:
        self.listed.close()

    def pages(self):
        """(page, what to say after its name) for every page staged so far, in order."""
        return ((page, note) for page, note in self.listed)

    def publish(self, path, check_only: bool = False):
        """(record, held) for the PO at ``path``: its editions staged unless it is held back
        (``held``: a ``Held``, else None) or ``check_only``; ``record`` (None when nothing was
        staged) says what was published."""
        from localize import pipeline
        from localize.publish import build_edition, draft_counts

        options = self.options
        po, article, source = pipeline.load_translated_article(path, options.encoding)
        found = pipeline.unfinished(po, self.index)
        held = None
        if found and not options.allow_draft:  # the details only where they are shown: memory stays flat
            held = Held(sum(not hold.issue for hold in found), sum(hold.issue for hold in found),
                        found if options.details else [])
        if held is not None or check_only:
            return None, held
        issues = sum(1 for hold in found if hold.issue)
        edition = build_edition(article, po, source, locale=options.locale, digits=options.digits, issues=issues,
                                allow_draft=options.allow_draft)
        note = f" (draft: {draft_counts(edition)['en']})" if edition.draft else ""
        record = {"po": str(path), "article": source, "files": [], "draft": edition.draft,
                  "segments": edition.segments, "unreviewed": edition.unreviewed, "issues": issues}
        record["files"] = self._stage(path, edition, note)
        return record, None

    def _stage(self, path, edition, note: str) -> list[str]:
        from localize.publish import SUFFIXES, render

        files = []
        for fmt in dict.fromkeys(self.options.formats):
            target = Path(self.options.out) / f"{Path(path).stem}{SUFFIXES[fmt]}"  # named as its PO: never shared
            if target in self.staging:
                raise LocalizeError(str(path), f"{target} would also be written for another PO",
                                    "publish the two articles to different --out folders")
            self.staging.add(target, render(edition, fmt))  # one page at a time: none is kept
            self.listed.add([str(target), note])
            files.append(target.as_posix())
        return files
