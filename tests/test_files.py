import os

import pytest

from localize.errors import LocalizeError
from localize.files import MAX_INPUT_BYTES, read_input, write_atomic


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out" / "a.po"
    write_atomic(target, "first")
    write_atomic(target, "second \u0639\u0631\u0628\u064a")
    assert target.read_text(encoding="utf-8") == "second \u0639\u0631\u0628\u064a"
    assert os.listdir(target.parent) == ["a.po"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.po"
    target.write_text("reviewed work")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(LocalizeError, match="a.po: cannot write: disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "reviewed work"
    assert os.listdir(tmp_path) == ["a.po"]


def test_huge_input_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as stream:
        stream.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(LocalizeError, match="too large"):
        read_input(big, "article")
