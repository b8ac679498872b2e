"""Quiet failures made loud, and hostile input that must give one line and exit 2 (no traceback,
no hang): unreadable folders in a batch, a TMX import over the memory's size limit, invisible
characters in glossary terms, CR-only and tightly written POs, odd encodings and settings."""

import os
import shutil
from pathlib import Path

import polib
import pytest

import localize.batch
from localize.catalog import read_po
from localize.files import MAX_INPUT_BYTES


def test_a_batch_names_the_folder_it_could_not_read_and_fails(run, project, monkeypatch):
    (project / "incoming/locked").mkdir(parents=True)
    (project / "incoming/a.txt").write_text("Title\n\nText.\n")
    (project / "incoming/locked/b.txt").write_text("Title\n\nText.\n")
    scandir = os.scandir

    def refusing(path):  # (tests run as root, which chmod cannot lock out)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(localize.batch.os, "scandir", refusing)
    result = run("batch", "--no-mt", "incoming", "--report", "report.json")
    assert result.exit_code == 1
    assert ("failed: incoming/locked: cannot read the folder (Permission denied); its articles were not looked "
            "at: check its permissions") in result.stdout.splitlines()
    assert (project / "translations/ar/a.po").exists()


def test_one_crashing_page_fails_alone_in_a_batch(run, project, monkeypatch):
    import localize.readers

    for name in ("a", "b", "c"):
        (project / f"{name}.txt").write_text(f"Title {name}\n\nText {name}.\n")
    parse = localize.readers.parse_article

    def crashing(data, path, *args, **kwargs):
        if path.endswith("b.txt"):
            raise IndexError("list index out of range")
        return parse(data, path, *args, **kwargs)

    monkeypatch.setattr(localize.readers, "parse_article", crashing)
    result = run("batch", "--no-mt", "a.txt", "b.txt", "c.txt")
    assert result.exit_code == 1
    assert "failed: b.txt: could not be read (IndexError: list index out of range); please report this as a bug" \
        in result.stdout
    assert sorted(os.listdir(project / "translations/ar")) == ["a.po", "c.po"]


def _tmx(units: int, text: str) -> bytes:
    body = "".join(f'<tu><tuv xml:lang="en"><seg>{text} {n}</seg></tuv><tuv xml:lang="ar"><seg>نص {n}</seg></tuv>'
                   "</tu>" for n in range(units))
    return f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>{body}</body></tmx>'\
        .encode()


def test_a_tmx_import_over_the_memory_limit_is_split_so_every_unit_is_used(run, project, monkeypatch):
    import localize.files

    monkeypatch.setattr(localize.files, "MAX_INPUT_BYTES", 40_000)  # the 20 MiB limit, scaled down
    (project / "desk.tmx").write_bytes(_tmx(400, "A sentence of the desk's memory"))
    result = run("tm", "import", "desk.tmx")
    assert result.exit_code == 0, result.stderr
    parts = sorted((project / "translations/tm").glob("*.tmx"))
    assert len(parts) > 1 and all(path.stat().st_size <= 40_000 for path in parts)
    assert sum(int(line.split(": ")[1].split()[0]) for line in result.stdout.splitlines()) == 400
    from localize.memory.tm import read_tmx

    assert sum(len(read_tmx(path.read_bytes(), path.name)) for path in parts) == 400
    (project / "desk.tmx").write_bytes(_tmx(3, "Short"))  # a smaller import of the same name replaces every part
    assert run("tm", "import", "--force", "desk.tmx").exit_code == 0
    assert [path.name for path in (project / "translations/tm").glob("*.tmx")] == ["desk.tmx"]
    assert MAX_INPUT_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("char,name", [("\u200f", "RIGHT-TO-LEFT MARK"), ("\u200c", "ZERO WIDTH NON-JOINER"),
                                       ("\u200b", "ZERO WIDTH SPACE"), ("\u200e", "LEFT-TO-RIGHT MARK"),
                                       ("\u00ad", "SOFT HYPHEN")])
def test_invisible_characters_in_a_glossary_are_reported_and_do_not_hide_terms(run, project, char, name):
    (project / "glossaries").mkdir()
    (project / "glossaries/news.csv").write_text(
        f"source,target,type,forbidden,variants,note\nIr{char}an,إير{char}ان,term,,,\n", encoding="utf-8")
    result = run("glossary", "check")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"glossaries/news.csv:2: 'Iran' had U+{ord(char):04X} {name} in the source")
    (project / "a.txt").write_text("Title\n\nIran spoke.\n")
    run("translate", "--no-mt", "a.txt")
    po = polib.pofile("translations/ar/a.po")
    po.find("Iran spoke.").msgstr = "تحدثت إيران."
    po.save()
    assert run("check", "--type", "missing-term").stdout.splitlines()[-1] == "0 issues in 1 file"
    po.find("Iran spoke.").msgstr = "تحدثت فارس."
    po.save()
    assert run("check", "--type", "missing-term").stdout.splitlines()[-1] == "1 issue in 1 file (missing-term 1)"


def test_a_control_character_in_a_glossary_is_one_line(run, project):
    (project / "g.csv").write_text("source,target,type,forbidden,variants,note\nIran\x04,إيران,term,,,\n")
    result = run("glossary", "export", "g.csv", "--out", "g.tbx")
    assert result.exit_code == 2 and not (project / "g.tbx").exists()
    assert result.stderr == ("Error: g.csv:2: a control character (U+0004) in the source column (remove it in a text "
                             "editor)\n")


def test_tm_export_of_a_control_character_names_the_entry(run, project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    run("translate", "--no-mt", "a.txt")
    po = polib.pofile("translations/ar/a.po", wrapwidth=0)
    po.find("Text.").msgstr = "نص\v"
    po.save()
    result = run("tm", "export", "out.tmx")
    assert result.exit_code == 2 and not (project / "out.tmx").exists()
    assert result.stderr == ("Error: translations/ar/a.po:2.1: a control character (U+000B) cannot be written to XML "
                             "(remove it from that entry in a PO editor; nothing was written)\n")


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_a_cr_only_po_shows_its_reviewed_entries(tmp_path):
    path = tmp_path / "mac.po"
    path.write_bytes((HEADER + 'msgctxt "1.1"\nmsgid "Title"\nmsgstr "عنوان"\n\n#, fuzzy\nmsgctxt "2.1"\n'
                      'msgid "Text."\nmsgstr "نص."\n').replace("\n", "\r").encode())
    po = read_po(path)
    assert [(e.msgid, e.msgstr, e.flags) for e in po] == [("Title", "عنوان", []), ("Text.", "نص.", ["fuzzy"])]
    assert po.metadata == {"Content-Type": "text/plain; charset=UTF-8"}


def test_po_forms_msgfmt_accepts_are_read(tmp_path):
    path = tmp_path / "tight.po"
    path.write_text(HEADER + '#,fuzzy\n#.note\n#|msgid"Old"\nmsgctxt"1.1"\nmsgid"Title"\nmsgstr"عنوان"\n\n'
                    '#~msgctxt"9"\n#~msgid"Gone"\n#~msgstr"ذهب"\n', encoding="utf-8")
    if shutil.which("msgfmt"):
        assert os.system(f"msgfmt --check -o /dev/null {path} 2>/dev/null") == 0
    entries = [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.comment, e.previous_msgid, e.obsolete) for e in read_po(path)]
    assert entries == [("1.1", "Title", "عنوان", ["fuzzy"], "note", "Old", 0), ("9", "Gone", "ذهب", [], "", None, 1)]


@pytest.mark.parametrize("encoding,what", [("punycode", "cannot be read as punycode"),
                                           ("base64", "'base64' is not a text encoding"),
                                           ("rot13", "'rot13' is not a text encoding")])
def test_encodings_that_are_not_for_files_are_one_line(run, project, encoding, what):
    (project / "a.txt").write_text("Title\n\nText.\n")
    result = run("translate", "--no-mt", "--encoding", encoding, "a.txt")
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: a.txt: {what}")
    assert len(result.stderr.splitlines()) == 1 and not (project / "translations").exists()


def test_a_deeply_nested_localize_toml_is_one_line(run, project):
    (project / "localize.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr == ("Error: localize.toml: not a localize.toml: nested too deeply (fix the file (see "
                             "docs/project.md for every setting))\n")


def test_models_remove_of_a_symlinked_package_removes_the_link_only(run, model, packages_dir, tmp_path):
    kept = tmp_path / "elsewhere"
    shutil.move(str(model.path), kept)
    Path(model.path).symlink_to(kept, target_is_directory=True)
    result = run("models", "remove")
    assert result.exit_code == 0, result.stderr
    assert not os.path.lexists(model.path) and (kept / "metadata.json").is_file()


def test_a_crash_on_one_article_is_one_line_not_a_traceback(run, project, monkeypatch):
    import localize.readers

    (project / "a.txt").write_text("Title\n\nText.\n")

    def crashing(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(localize.readers, "parse_article", crashing)
    monkeypatch.delenv("LOCALIZE_DEBUG", raising=False)
    result = run("translate", "--no-mt", "a.txt")
    assert result.exit_code == 2 and not (project / "translations").exists()
    assert result.stderr == ("Error: internal error (IndexError: list index out of range); nothing more was written: "
                             "please report this as a bug (LOCALIZE_DEBUG=1 shows the traceback)\n")
