"""What a file is: its format and, when it is not UTF-8, its likely encoding."""

from __future__ import annotations

import re
from pathlib import PurePath

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
           ".html": "html", ".htm": "html", ".xhtml": "html"}


def detect_format(path: str, text: str) -> str:
    suffix = PurePath(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if re.match(r"\s*(?:<\?xml[^>]*>\s*)?(<!doctype html|<html|<head|<body|<article)", text, re.IGNORECASE):
        return "html"
    return "txt"


