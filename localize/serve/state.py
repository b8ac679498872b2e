"""What one review app holds between requests: the translations folder, the reviewer, the
access and CSRF tokens, and the glossary's index and issue finder (built on first use).

``create_app`` stores one ``ServeState`` in ``app.extensions["localize"]``; a view gets it
with ``current()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import abort, current_app

from localize.errors import LocalizeError

EXTENSION = "localize"  # the key in app.extensions


@dataclass
class ServeState:
    folder: Path  # the translations folder: only the POs found below it are served
    reviewer: str = ""  # who approves (the PO's Last-Translator, the approval note)
    token: str | None = None  # the access token every request needs, if any
    csrf: str = ""  # the page's token every state-changing request sends back
    glossary_files: tuple = ()
    _index: object = field(default=None, repr=False)
    _find: object = field(default=None, repr=False)

    def terms(self):
        """The glossary's term index, built once."""
        if self._index is None:
            from localize import pipeline

            self._index = pipeline.term_index(self.glossary_files, required=False)
        return self._index

    def finder(self):
        """``check``'s issue finder, built once (it gathers the glossary's do-not-translate words)."""
        if self._find is None:
            from localize import pipeline

            self._find = pipeline.issue_finder(self.terms())
        return self._find

    def catalogs(self) -> dict[str, Path]:
        """Every PO below the folder, by its path there (``ar/story.po``)."""
        from localize import pipeline

        folder = self.folder
        return {path.relative_to(folder).as_posix(): path for path in pipeline.po_files([folder])} \
            if folder.is_dir() else {}

    def po_path(self, name: str) -> Path:
        """The PO named ``name``; 404 if it is not one of ``catalogs()``."""
        path = self.catalogs().get(name)
        if path is None:
            abort(404, description=f"no PO {name} under {self.folder}")
        return path

    def load(self, name: str):
        """(path, the PO read); 404 as ``po_path``, 422 if it cannot be read."""
        from localize.catalog import read_po

        path = self.po_path(name)
        try:
            return path, read_po(path)
        except LocalizeError as error:
            abort(422, description=error.message)


def current() -> ServeState:
    """The state of the app handling this request."""
    return current_app.extensions[EXTENSION]
