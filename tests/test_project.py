"""The project root (localize.toml, found upward like git) and its defaults."""

import os

import polib
import pytest

ARTICLE = "Talks resume\n\nThe talks resumed in Vienna. Iran sent a delegation.\n"
GLOSSARY = "source,target,type,forbidden,variants,note\nVienna,فيينا,,,,\n"


@pytest.fixture
def desk(run, project):
    """An initialised project with an article at its root and a subfolder to work from."""
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout == (
        "created localize.toml\ncreated translations/ar\ncreated glossaries\ncreated glossaries/news.csv\n"
        "created translations/.gitignore\n")
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "glossaries/news.csv").write_text(GLOSSARY, encoding="utf-8")
    (project / "incoming/today").mkdir(parents=True)
    return project


def test_init_writes_the_defaults_once(run, desk):
    assert "beam = 4" in (desk / "localize.toml").read_text(encoding="utf-8")
    # the memory's index is a cache: kept out of version control from the start
    assert (desk / "translations/.gitignore").read_text(encoding="utf-8").splitlines() == [
        ".localize-memory.sqlite", ".localize-memory.lock", ".localize-batch-state.json", ".localize-batch-state.lock",
        ".localize-status.sqlite", ".localize.lock"]
    result = run("init")
    assert result.exit_code == 2 and result.stderr == (
        "Error: localize.toml: already exists: this is a localize project (edit the file instead)\n")


def test_every_command_finds_the_root_from_a_subfolder(run, desk, monkeypatch):
    monkeypatch.chdir(desk / "incoming/today")
    result = run("translate", "--no-mt", "../../a.txt")
    assert result.exit_code == 0 and result.stdout == "../../translations/ar/a.po: 3 segments, 0 translated\n"
    po = polib.pofile(str(desk / "translations/ar/a.po"))
    assert po.metadata["X-Source-File"] == "a.txt"  # relative to the root, not to where it ran
    assert po.find("2.1", by="msgctxt").occurrences == [("a.txt", "3")]
    result = run("status")
    assert result.exit_code == 0 and result.stdout.startswith(
        "../../translations/ar/a.po: 3 segments, 0 reviewed, 0 drafts, 3 untranslated, 0 issues; source unchanged")
    catalog = polib.pofile(str(desk / "translations/ar/a.po"), wrapwidth=0)
    for entry, text in zip(catalog, ["استئناف المحادثات", "استؤنفت المحادثات في فيينا.", "أرسلت إيران وفداً."]):
        entry.msgstr = text
    catalog.save(str(desk / "translations/ar/a.po"))
    assert run("check").stdout == "0 issues in 1 file\n"  # the glossary of the root was found
    assert run("publish", "../../translations/ar").exit_code == 0
    assert (desk / "editions/a.ar.html").exists()
    monkeypatch.chdir(desk)
    assert run("translate", "--no-mt", "a.txt").exit_code == 0  # the same PO from the root
    assert polib.pofile(str(desk / "translations/ar/a.po")).find("2.1", by="msgctxt").msgstr


def test_the_file_sets_defaults_and_options_override_them(run, desk):
    (desk / "localize.toml").write_text('translations = "po"\neditions = "site"\nformats = ["html", "md"]\n'
                                        'digits = "arabic-indic"\nbeam = 2\n', encoding="utf-8")
    assert run("translate", "--no-mt", "a.txt").stdout == "po/ar/a.po: 3 segments, 0 translated\n"
    assert run("translate", "--no-mt", "--out", "other", "a.txt").stdout.startswith("other/ar/a.po:")
    result = run("publish", "--allow-draft", "po/ar/a.po")
    assert result.exit_code == 0 and sorted(os.listdir(desk / "site")) == ["a.ar.html", "a.ar.md"]
    assert run("publish", "--allow-draft", "--format", "txt", "--out", "x", "po/ar/a.po").exit_code == 0
    assert os.listdir(desk / "x") == ["a.ar.txt"]
    assert run("status").stdout.startswith("po/ar/a.po: 3 segments")


@pytest.mark.parametrize("content, message", [
    ('beam = 4\ndevice = "gpu\n', "localize.toml:2: not valid TOML"),
    ("beam = 4\ncolour = 1\n", "localize.toml:2: unknown setting 'colour' (the settings are: translations,"),
    ('beam = "fast"\n', "localize.toml:1: beam = 'fast': expected a whole number from 1 to 32"),
    ('formats = ["pdf"]\n', "localize.toml:1: formats = ['pdf']: expected a list of"),
    ('device = "gpu"\n', "localize.toml:1: device = 'gpu': expected \"auto\", \"cpu\" or \"cuda\""),
    ("\x00", "localize.toml: binary file, not text"),
    ('engine = "deepl"\n', "localize.toml:1: engine = 'deepl': expected \"argos\" (the installed model) or"),
    ('url = "mt.desk:5000"\n', "localize.toml:1: url = 'mt.desk:5000': expected a LibreTranslate server or a list of them"),
    ("concurrency = 0\n", "localize.toml:1: concurrency = 0: expected a whole number from 1 to 64"),
    ('api_key = "s3cret"\n', "localize.toml:1: an API key does not belong in localize.toml"),
])
def test_a_bad_localize_toml_is_one_line_naming_the_line(run, desk, content, message):
    (desk / "localize.toml").write_text(content, encoding="utf-8")
    result = run("status")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1


def test_a_fresh_project_checks_terms_from_the_first_minute(run, project):
    """init ships a starter glossary: translate then check works, and finds a house spelling."""
    assert run("init").exit_code == 0
    assert run("glossary", "check").stdout == "glossaries/news.csv: ok\n"
    (project / "a.txt").write_text("Syria talks\n\nThe talks on Syria resumed in Geneva.\n", encoding="utf-8")
    assert run("translate", "--no-mt", "a.txt").exit_code == 0
    import polib

    po = polib.pofile("translations/ar/a.po")
    po.find("The talks on Syria resumed in Geneva.").msgstr = "استؤنفت المحادثات بشأن سورية في جنيف."
    po.save()
    result = run("check")
    assert result.exit_code == 1 and "forbidden-term: Syria (found سورية, use سوريا)" in result.stdout
    assert result.stderr == ""

