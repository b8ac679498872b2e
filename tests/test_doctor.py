"""localize doctor: one line per thing localize uses, exit 1 while the model or the glossary is missing."""

import json


def test_doctor_says_what_is_missing_and_what_is_there(run, project, model):
    result = run("doctor")
    assert result.exit_code == 1  # no glossary yet
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok  localize: ") and "PyTorch: not installed (not needed)" in result.stdout
    assert f"ok  model en->ar: {model.label} in {model.path}" in lines
    assert "no  glossary: none in glossaries/ (`localize init` writes a starter one); check runs the QA rules only" \
        in lines
    assert run("init").exit_code == 0
    result = run("doctor", "--json")
    rows = {row["what"]: row for row in json.loads(result.stdout)}
    assert result.exit_code == 0 and rows["glossary"]["ok"] and rows["argostranslate"]["detail"].startswith(
        "argos-translate-lt ")


def test_doctor_checks_a_server_when_asked(run, project):
    result = run("doctor", "--url", "http://127.0.0.1:9")
    assert result.exit_code == 1
    assert "no  translation server: http://127.0.0.1:9: cannot reach the LibreTranslate server" in result.stdout
