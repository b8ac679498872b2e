"""The package stays clean under ruff and mypy (their settings: pyproject.toml's [tool.ruff] and
[tool.mypy]); run with this interpreter's own, as the test extras install them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "localize")
    assert result.returncode == 0, f"ruff check localize:\n{result.stdout}{result.stderr}"


def test_mypy_finds_nothing():
    result = _run("mypy", "localize")  # its cache: .mypy_cache (a later run checks what changed)
    assert result.returncode == 0, f"mypy localize:\n{result.stdout}{result.stderr}"
