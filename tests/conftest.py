import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from localize.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT.parent / "shared" / "articles" / "iran-imis.txt"


def load_cases(name):
    return [tuple(case) for case in json.loads((FIXTURES / name).read_text(encoding="utf-8"))]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run():
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(arg) for arg in args], catch_exceptions=False)

    return invoke
