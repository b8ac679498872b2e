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


def test_an_undecodable_article_is_told_its_likely_encoding(run, project):
    (project / "utf16.txt").write_bytes("Talks in Vienna\n\nThe talks resumed on Sunday.\n".encode("utf-16-le"))
    result = run("segment", "utf16.txt")
    assert (result.exit_code, result.stderr) == (2, (
        "Error: utf16.txt: not UTF-8: it looks like UTF-16-LE text without a byte-order mark "
        "(name its encoding with --encoding utf-16-le)\n"))
    assert run("segment", "--encoding", "utf-16-le", "utf16.txt").exit_code == 0
    (project / "arabic.txt").write_bytes("\u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a \u0641\u064a "
                                         "\u0641\u064a\u064a\u0646\u0627\n\n\u0627\u0633\u062a\u0624\u0646\u0641\u062a "
                                         "\u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a.\n".encode("cp1256"))
    result = run("segment", "arabic.txt")
    assert result.exit_code == 2 and "it looks like cp1256 (Arabic, Windows)" in result.stderr
    assert "--encoding cp1256" in result.stderr


def test_staged_files_are_written_all_or_nothing(tmp_path):
    from localize.files import Staging

    kept = tmp_path / "editions/kept.ar.html"
    kept.parent.mkdir()
    kept.write_text("old page", encoding="utf-8")
    with Staging() as staging:  # a run that decides to write nothing (publish --strict)
        staging.add(kept, "new page")
        staging.add(tmp_path / "new/deeper/page.ar.html", "page")
    assert kept.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["editions", "kept.ar.html"]  # no folder made, no temp
    with pytest.raises(LocalizeError):
        with Staging() as staging:  # a failure half-way
            staging.add(tmp_path / "new/page.ar.html", "page")
            staging.add(tmp_path / "editions/kept.ar.html/x", "under a file")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["editions", "kept.ar.html"]
    with Staging() as staging:
        staging.add(kept, "new page")
        staging.add(tmp_path / "new/page.ar.html", "page")
        staging.commit()
    assert kept.read_text(encoding="utf-8") == "new page"
    assert (tmp_path / "new/page.ar.html").read_text(encoding="utf-8") == "page"
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_file_that_grew_after_its_size_was_read_is_read_whole_and_still_bounded(tmp_path, monkeypatch):
    """read_input reads what the size says and goes on when there is more (a file still being written, a
    /proc file that says 0): every byte up to the limit, and the limit still refused."""
    from localize import files

    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5000)
    real = files._stat
    monkeypatch.setattr(files, "_stat", lambda path, what: os.stat_result((*real(path, what)[:6], 10, 0, 0, 0)))
    assert files.read_input(path) == b"x" * 5000  # (the stat said 10 bytes)
    with pytest.raises(LocalizeError, match="too large"):
        files.read_input(path, limit=4096)


def test_a_folder_s_pos_are_those_rglob_finds_in_the_same_order(tmp_path, monkeypatch):
    """``pipeline.po_files`` sorts a folder's POs by their parts (not by comparing Paths): the same paths, in the
    same order, as sorted(folder.rglob("*.po")), hidden folders, odd names and symbolic links included."""
    from pathlib import Path

    from localize.pipeline import po_files

    top = tmp_path / "translations"
    for name in ("ar/b.po", "ar/a-b.po", "ar-x/a.po", "ar/sub/z.po", ".hidden/h.po", "ar/.po", "ar/A.PO", "ar/c.pot",
                 "a b/ü ñ.po", "ar/notes.txt", "deep/1/2/3/x.po"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text("", encoding="utf-8")
    (top / "folder.po").mkdir()  # (rglob names a folder that matches, and looks inside it)
    (top / "folder.po" / "in.po").write_text("", encoding="utf-8")
    (top / "linked").symlink_to(top / "ar")  # (a linked folder: rglob does not go in)
    (top / "ar" / "link.po").symlink_to(top / "ar" / "b.po")
    (top / "ar" / "dangling.po").symlink_to(top / "gone.po")
    for folder in (top, tmp_path / "translations/", Path(os.path.relpath(top))):
        assert po_files([folder]) == sorted(Path(folder).rglob("*.po"))
    monkeypatch.chdir(top)
    assert po_files(["."]) == sorted(Path(".").rglob("*.po"))
    assert po_files([top / "ar/b.po", top]) == [top / "ar/b.po", *sorted(top.rglob("*.po"))]
