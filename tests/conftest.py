import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from localize.cli import cli

# Argos Translate reads its folders when first imported: give it empty ones, so
# no test sees (or writes to) the models of the machine, and point its package
# index at a closed local port, so no test can reach the network.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="localize-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_ARGOS_HOME / _name.lower())
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
os.environ.pop("ARGOS_PACKAGES_DIR", None)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT.parent / "shared" / "articles" / "iran-imis.txt"


def pytest_configure(config):
    """In CI (LOCALIZE_REQUIRE_GETTEXT=1) a missing msgfmt fails the run instead of skipping the
    tests that check every PO the tool writes with it."""
    import shutil

    if os.environ.get("LOCALIZE_REQUIRE_GETTEXT") == "1" and shutil.which("msgfmt") is None:
        raise pytest.UsageError("GNU gettext's msgfmt is required here (LOCALIZE_REQUIRE_GETTEXT=1): "
                                "apt-get install gettext")


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


@pytest.fixture(autouse=True)
def packages_dir(tmp_path_factory, monkeypatch):
    """Each test starts with no translation model installed."""
    folder = tmp_path_factory.mktemp("argos-packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def model_corpus() -> list[str]:
    """Text to train the test model's SentencePiece on: the sample article and Arabic terms."""
    import csv

    english = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(ROOT / "glossaries" / "news.csv", encoding="utf-8") as stream:
        arabic = [row["target"] for row in csv.DictReader(stream)]
    return english + arabic


@pytest.fixture(scope="session")
def argos_package(tmp_path_factory):
    """A genuine translate-en_ar .argosmodel with random weights (built once per session)."""
    from modelkit import build_package

    return build_package(tmp_path_factory.mktemp("model"), model_corpus())


@pytest.fixture
def model(argos_package):
    """The test model, installed in this test's packages folder."""
    from localize import models

    return models.install_file(argos_package)
