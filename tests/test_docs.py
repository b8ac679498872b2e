"""The documentation site (docs/, mkdocs.yml) against the commands themselves.

The command reference, docs/reference/*.md, is written by docs/gen_reference.py from every
command's --help and committed; these tests fail when a command or an option changed and
the pages were not written again, when a command has no example, and when the site does
not build with ``mkdocs build --strict`` (a broken link or anchor, a page left out of the nav).
"""

import importlib.util
import subprocess
import sys

import click
import pytest

from conftest import ROOT
from localize.cli import cli

REFERENCE = ROOT / "docs" / "reference"
REGENERATE = "run `.venv/bin/python docs/gen_reference.py` and commit docs/reference/"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "docs" / "gen_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def all_commands():
    """``(command path, context, command)`` for ``localize`` and every command and group below it."""
    generator = load_generator()
    return [pytest.param(ctx.command_path, ctx, command, id=ctx.command_path)
            for ctx, command in generator.walk(cli, generator.context(cli, "localize"))]


def reference_text():
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(REFERENCE.glob("*.md")))


def test_the_committed_reference_is_what_the_commands_say_now():
    pages = load_generator().render_pages()
    committed = {path.name: path.read_text(encoding="utf-8") for path in REFERENCE.glob("*.md")}
    assert sorted(committed) == sorted(pages), REGENERATE
    for name, text in pages.items():
        assert committed[name] == text, f"docs/reference/{name} is out of date: {REGENERATE}"


@pytest.mark.parametrize("path, ctx, command", all_commands())
def test_every_command_and_option_is_in_the_reference(path, ctx, command):
    text = reference_text()
    if path != "localize":
        assert f"## `{path}`" in text, f"{path} has no section in docs/reference/: {REGENERATE}"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            longest = max(param.opts + param.secondary_opts, key=len)
            assert longest in text, f"{path} {longest} is not in docs/reference/: {REGENERATE}"


@pytest.mark.parametrize("path, ctx, command", all_commands())
def test_every_command_has_an_example_in_its_help(path, ctx, command):
    help_text = command.get_help(ctx)
    assert "Example:" in help_text, f"`{path} --help` has no example"
    examples = help_text.split("Example:", 1)[1]
    assert path in examples, f"`{path} --help`'s example does not show {path}"


def test_the_site_builds_strictly(tmp_path):
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed: pip install -e '.[test]' (it is in the test extras)")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            check=False, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "reference" / "index.html").is_file()
    assert (tmp_path / "site" / "serve.png").is_file()


def test_the_benchmark_figures_are_what_the_benches_json_says():
    """docs/benchmarks.md's generated part is docs/gen_benchmarks.py's output from bench/results/*.json."""
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_benchmarks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, "run: .venv/bin/python docs/gen_benchmarks.py"
