import json
import os
import subprocess
import sys

import polib
import pytest

from conftest import FIXTURES, ROOT, SAMPLE
from localize import __version__
from localize.cli import cli


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"localize, version {__version__}\n"


def test_start_up_imports_nothing_heavy():
    """--help and --version must not pay for torch, stanza, ctranslate2 or the parsers."""
    code = ("import sys; from localize.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = {'torch', 'stanza', 'ctranslate2', 'argostranslate', 'sentencepiece', 'lxml', "
            "'babel', 'polib', 'markdown_it', 'jinja2', 'nh3'}\n"
            "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stderr.strip() == "[]"


def test_every_command_has_help_with_an_example(run):
    for name in cli.commands:
        result = run(name, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout, name
        assert "localize " + name in result.stdout


def test_every_command_is_documented():
    """Each command has its section in the command reference (docs/reference/, from --help) and is
    explained on a guide page of the documentation site; tests/test_docs.py checks the rest."""
    reference = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "reference").glob("*.md"))
    guides = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for name in cli.commands:
        assert f"## `localize {name}`" in reference, f"{name}: run .venv/bin/python docs/gen_reference.py"
        assert f"localize {name} " in guides, f"{name}: no guide page in docs/ explains it"


def test_segment_prints_blocks_and_segments(run):
    result = run("segment", SAMPLE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "banner: Iraq News - Local News - Baghdadpost" in lines
    assert "1 title (line 3)" in lines
    assert "  3.3  That is why Iran considers IMIS a sacred cow that should not be touched." in lines


def test_segment_json(run):
    result = run("segment", "--json", FIXTURES / "wrapped.txt")
    data = json.loads(result.stdout)
    assert set(data) == {"title", "metadata", "blocks"}
    assert data["title"] == "Iraq votes on militia law"
    assert data["metadata"]["last_modified"] == "2017-12-11T09:30:00"
    assert data["blocks"][1]["kind"] == "paragraph"
    assert data["blocks"][1]["segments"] == [
        "Parliament in Baghdad voted on Monday on a law that brings the militias under the command "
        "of the prime minister.", "The vote was 150-20."]
    assert all(set(b) >= {"kind", "text", "segments"} for b in data["blocks"])


def test_translate_no_mt_writes_the_po(run, project):
    article = project / "iran-imis.txt"
    article.write_bytes(SAMPLE.read_bytes())
    result = run("translate", "--no-mt", "iran-imis.txt")
    assert result.exit_code == 0
    assert result.stdout == "translations/ar/iran-imis.po: 28 segments, 0 translated\n"
    po = polib.pofile(str(project / "translations/ar/iran-imis.po"))
    assert po.metadata["X-Source-File"] == "iran-imis.txt"
    assert po[0].msgid.startswith("Iran blasts calls") and po[0].occurrences == [("iran-imis.txt", "3")]
    assert not list(project.glob("translations/ar/.*"))  # no temporary file left behind


def test_rerun_on_an_unchanged_article_changes_nothing(run, project, monkeypatch):
    (project / "a.txt").write_text("Title\n\nFirst sentence. Second sentence.\n")
    run("translate", "--no-mt", "a.txt")
    before = (project / "translations/ar/a.po").read_bytes()
    import localize.catalog
    from datetime import datetime, timezone
    later = datetime(2030, 1, 1, tzinfo=timezone.utc)
    original = localize.catalog.header
    monkeypatch.setattr(localize.catalog, "header", lambda a, p, now=None: original(a, p, later))
    run("translate", "--no-mt", "a.txt")
    assert (project / "translations/ar/a.po").read_bytes() == before
    (project / "a.txt").write_text("Title\n\nFirst sentence. Changed.\n")
    run("translate", "--no-mt", "a.txt")
    po = polib.pofile(str(project / "translations/ar/a.po"))
    assert po.metadata["POT-Creation-Date"].startswith("2030-01-01")


def test_translate_keeps_reviewed_translations(run, project):
    (project / "a.txt").write_text("Title\n\nFirst sentence. Second sentence.\n")
    run("translate", "--no-mt", "a.txt")
    path = project / "translations/ar/a.po"
    po = polib.pofile(str(path))
    po[1].msgstr = "الجملة الأولى."
    po.save(str(path))
    (project / "a.txt").write_text("Title\n\nA new opening. First sentence. Second sentence.\n")
    result = run("translate", "--no-mt", "--out", "translations", "a.txt")
    assert result.stdout == "translations/ar/a.po: 4 segments, 1 translated\n"
    again = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr) for e in again if e.msgstr] == [("First sentence.", "الجملة الأولى.")]


def test_translate_markdown_and_html_in_one_run(run, project):
    (project / "story.md").write_bytes((FIXTURES / "article.md").read_bytes())
    (project / "page.html").write_bytes((FIXTURES / "article.html").read_bytes())
    result = run("translate", "--no-mt", "story.md", "page.html")
    assert result.exit_code == 0
    assert result.stdout == ("translations/ar/story.po: 11 segments, 0 translated\n"
                             "translations/ar/page.po: 9 segments, 0 translated\n")
    page = polib.pofile(str(project / "translations/ar/page.po"))
    assert page.metadata["X-Source-Format"] == "html"
    assert page[0].msgid == "Iran blasts calls for disbanding IMIS"


def test_two_articles_with_one_slug_are_refused(run, project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    (project / "a.md").write_text("# Title\n\nText.\n")
    result = run("translate", "--no-mt", "a.txt", "a.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: translations/ar/a.po: both a.txt and a.md")
    assert not (project / "translations").exists()


def test_translate_without_a_model_says_how_to_install_one(run, project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    result = run("translate", "a.txt")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no English->Arabic model installed (run: localize models install, "
                             "or localize models install FILE)\n")
    assert not (project / "translations").exists()


BAD_INPUT = {
    "missing.txt": (None, "missing.txt: no such file"),
    "folder.txt": ("dir", "folder.txt: is a directory"),
    "empty.txt": (b"", "empty.txt: file is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "image.txt: binary file, not text"),
    "latin.txt": ("Caf\u00e9\n\nText.\n".encode("cp1252"), "latin.txt: not valid UTF-8 at byte 3"),
    "blank.html": (b"<html><body><nav>Menu</nav></body></html>", "blank.html: no article text found"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
@pytest.mark.parametrize("command", ["segment", "translate"])
def test_bad_input_is_one_line_exit_2_and_nothing_written(run, project, name, command):
    content, message = BAD_INPUT[name]
    if content == "dir":
        (project / name).mkdir()
    elif content is not None:
        (project / name).write_bytes(content)
    args = ["translate", "--no-mt", name] if command == "translate" else ["segment", name]
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (project / "translations").exists()


def test_bad_article_leaves_the_existing_po_untouched(run, project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    run("translate", "--no-mt", "a.txt")
    before = (project / "translations/ar/a.po").read_bytes()
    (project / "a.txt").write_bytes(b"\x00\x01binary")
    result = run("translate", "--no-mt", "a.txt")
    assert result.exit_code == 2
    assert (project / "translations/ar/a.po").read_bytes() == before


def test_invalid_existing_po_is_reported_and_left_alone(run, project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    po = project / "translations/ar/a.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "broken\n')
    result = run("translate", "--no-mt", "a.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: translations/ar/a.po:1: not a valid PO file: unterminated string")
    assert po.read_text() == 'msgid "broken\n'


def test_one_bad_article_stops_the_run_before_anything_is_written(run, project):
    (project / "good.txt").write_text("Title\n\nText.\n")
    (project / "bad.txt").write_bytes(b"")
    result = run("translate", "--no-mt", "good.txt", "bad.txt")
    assert result.exit_code == 2 and not (project / "translations").exists()


def test_encoding_option(run, project):
    (project / "latin.txt").write_bytes("Caf\u00e9 news\n\nThe caf\u00e9 reopened.\n".encode("cp1252"))
    result = run("segment", "--json", "--encoding", "cp1252", "latin.txt")
    assert json.loads(result.stdout)["title"] == "Caf\u00e9 news"


def test_console_script_runs_as_a_process(project):
    result = subprocess.run([sys.executable, "-m", "localize", "segment", str(SAMPLE)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0 and "1 title (line 3)" in result.stdout


@pytest.mark.parametrize("args,line", [
    (("translate",), "Error: localize translate: Missing argument 'ARTICLES...' (see `localize translate --help`)"),
    (("--bogus",), "Error: localize: No such option '--bogus' (see `localize --help`)"),
    (("models", "frob"), "Error: localize models: No such command 'frob' (see `localize models --help`)"),
    (("translate", "--beam", "99", "a.txt"), "Error: localize translate: Invalid value for '--beam': 99 is not in "
                                             "the range 1<=x<=32 (see `localize translate --help`)"),
])
def test_usage_errors_are_one_line(capsys, args, line):
    with pytest.raises(SystemExit) as stopped:
        cli.main(list(args), prog_name="localize")
    assert stopped.value.code == 2
    assert capsys.readouterr().err == line + "\n"


def test_models_install_takes_the_file_as_an_argument(run, argos_package):
    result = run("models", "install", str(argos_package))
    assert result.exit_code == 0 and result.stdout.startswith("installed translate-en_ar 1.0 (en->ar) in ")
