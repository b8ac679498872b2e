"""Fuzzing: hostile articles and damaged review files through the real commands.

A short, bounded run is part of the suite. For a longer one:

    LOCALIZE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q

What must hold whatever the input: no traceback (every failure is
``Error: ...`` on one line, exit code 2), every PO the tool writes passes
``msgfmt --check`` and reads back to the same entries, and no reviewed
translation is ever lost: a damaged PO is either refused and left byte for
byte as it was, or every translation it holds is still in the file after the run.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from localize.cli import cli
from localize.catalog import read_po

EXAMPLES = int(os.environ.get("LOCALIZE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
MSGFMT = shutil.which("msgfmt")

# Text with what breaks naive tools: controls, <EOT>, line and paragraph separators,
# bidi overrides, markup characters, Arabic, NUL-free.
ODD = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12) | st.sampled_from(
    ["\x04", "\x0b", "\x0c", "\u2028", "\u2029", "\x85", "\u202e", "\r", "\\q", '"', "<1>", "</2>", "<3/>",
     "&amp;", "&#0;", "]]>", "`", "*", "[", "](", "#", "> ", "- ", "1. ", "---", "http://a.b/c.", "a@b.co",
     "12,000", "طهران", "\ufeff", "\ufffe"])
WORDS = st.lists(st.sampled_from(["The", "talks", "resumed", "in", "Vienna.", "Iran", "said", "U.S.", "Dr.",
                                  "3.5", "on", "Monday."]), min_size=1, max_size=8).map(" ".join)
TEXT = st.lists(WORDS | ODD, min_size=1, max_size=6).map("".join)
HTML_PIECE = st.one_of(
    TEXT.map(lambda t: f"<p>{t}</p>"),
    st.tuples(TEXT, TEXT).map(lambda p: f'<p>{p[0]} <a href="http://x.org/{p[1]}">{p[1]}</a> {p[0]}.</p>'),
    st.tuples(TEXT, TEXT).map(lambda p: f'<p>{p[0]}<img src="i.png" alt="{p[1]}"> {p[0]}</p>'),
    TEXT.map(lambda t: f"<p>Hello<script>x</script>{t}</p>"),
    TEXT.map(lambda t: f"<li>{t}</li>"), TEXT.map(lambda t: f"<h2>{t}</h2>"),
    TEXT.map(lambda t: f"<blockquote>{t}</blockquote>"), TEXT)
MD_PIECE = st.one_of(TEXT, TEXT.map(lambda t: f"- {t}"), TEXT.map(lambda t: f"## {t}"),
                     st.tuples(TEXT, TEXT).map(lambda p: f"{p[0]} [{p[1]}](http://x.org/{p[1]}) `{p[1]}` *{p[0]}*"),
                     TEXT.map(lambda t: f"> {t}"), TEXT.map(lambda t: f"![{t}](i.png)"))
ARTICLES = st.one_of(
    st.lists(HTML_PIECE, min_size=1, max_size=5).map(lambda ps: ("a.html", "<h1>Title</h1>" + "".join(ps))),
    st.lists(MD_PIECE, min_size=1, max_size=5).map(lambda ps: ("a.md", "# Title\n\n" + "\n\n".join(ps))),
    st.lists(TEXT, min_size=1, max_size=5).map(lambda ps: ("a.txt", "Title\n\n" + "\n\n".join(ps))),
)


def invoke(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"localize {' '.join(args)}: traceback") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exit_code == 2:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (args, result.stderr)
    return result


def msgfmt_accepts(path: Path) -> bool:
    if MSGFMT is None:
        return True
    return subprocess.run([MSGFMT, "--check", "-o", os.devnull, str(path)], capture_output=True).returncode == 0


def entries(po):
    return [(e.msgctxt, e.msgid, e.msgstr, e.comment, e.tcomment, tuple(e.flags), e.previous_msgid, e.obsolete)
            for e in po]


@pytest.fixture
def folder():
    """A fresh project folder per example (hypothesis runs many examples in one test)."""
    here = os.getcwd()
    path = Path(tempfile.mkdtemp(prefix="localize-fuzz-"))
    os.chdir(path)
    yield path
    os.chdir(here)
    shutil.rmtree(path, ignore_errors=True)


def fresh(folder: Path) -> None:
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


@FUZZ
@given(article=ARTICLES, translation=TEXT)
def test_any_article_gives_a_po_that_msgfmt_accepts_and_reads_back(folder, article, translation):
    fresh(folder)
    name, text = article
    (folder / name).write_text(text, encoding="utf-8", newline="")
    invoke("segment", name)
    result = invoke("translate", "--no-mt", name)
    event(f"translate: exit {result.exit_code}")
    target = folder / "translations/ar/a.po"
    if result.exit_code != 0:
        assert not target.exists()
        return
    assert msgfmt_accepts(target), target.read_text(encoding="utf-8")
    po = read_po(target)
    for entry in po:  # a reviewer types anything a PO editor lets them type
        entry.msgstr = translation.strip("\n") or "نص"
    target.write_text(po.__unicode__(), encoding="utf-8")
    typed = read_po(target) if msgfmt_accepts(target) else None
    again = invoke("translate", "--no-mt", name)
    if typed is None:  # what msgfmt rejects is refused and left alone
        assert again.exit_code == 2
        return
    assert again.exit_code == 0 and msgfmt_accepts(target)
    assert entries(read_po(target)) == entries(typed)
    invoke("status")
    invoke("publish", "--allow-draft", "--format", "html", "--format", "md", "translations/ar/a.po")


def reviewed_po(folder: Path) -> bytes:
    """A PO with reviewed entries, a draft, a translator comment and an obsolete entry."""
    (folder / "a.txt").write_text(
        "Talks resume\n\nThe talks resumed in Vienna. Iran sent a delegation.\n\n"
        "Dr. Smith said 12,000 people came. They left on Monday.\n", encoding="utf-8")
    assert invoke("translate", "--no-mt", "a.txt").exit_code == 0
    path = folder / "translations/ar/a.po"
    po = polib.pofile(str(path), wrapwidth=0)
    arabic = ["استئناف المحادثات", "استؤنفت المحادثات في فيينا.", "أرسلت إيران وفداً.",
              "قال د. سميث إن 12,000 شخص جاؤوا.", "غادروا يوم الاثنين."]
    for entry, text in zip(po, arabic):
        entry.msgstr = text
    po[2].flags.append("fuzzy")
    po[1].tcomment = "checked with the desk"
    po.append(polib.POEntry(msgctxt="9.9", msgid="An old sentence.", msgstr="جملة قديمة.", obsolete=True))
    po.save(str(path))
    return path.read_bytes()


MUTATIONS = st.lists(st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "truncate", "replace", "plural0", "plural", "swap"]),
    st.integers(0, 10_000), TEXT), min_size=1, max_size=3)


def mutate(text: str, mutations) -> str:
    lines = text.split("\n")
    for kind, position, extra in mutations:
        at = position % len(lines)
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, extra)
        elif kind == "truncate":
            joined = "\n".join(lines)
            lines = joined[:position % max(len(joined), 1)].split("\n")
        elif kind == "replace":
            lines[at] = lines[at][:len(lines[at]) // 2] + extra
        elif kind == "plural0":
            lines[at] = lines[at].replace("msgstr ", "msgstr[0] ")
        elif kind == "plural":
            lines[at] = lines[at].replace("msgstr ", 'msgid_plural "x"\nmsgstr[0] ')
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def lenient(text: str):
    """polib's own reading, with lines split on "\n" only, as msgfmt splits them."""
    parser = polib._POFileParser("")  # noqa: SLF001
    parser.fhandle = text.split("\n")
    return parser.parse()


@FUZZ
@given(mutations=MUTATIONS)
def test_a_damaged_po_is_refused_untouched_or_keeps_every_translation(folder, mutations):
    fresh(folder)
    original = reviewed_po(folder)
    path = folder / "translations/ar/a.po"
    damaged = mutate(original.decode("utf-8"), mutations)
    path.write_bytes(damaged.encode("utf-8"))
    before = path.read_bytes()
    try:  # what the file holds, read by polib alone (lenient, and independent of localize's reader)
        held = [text for e in lenient(damaged)
                for text in (e.msgstr, *e.msgstr_plural.values()) if text.strip()]
    except Exception:  # noqa: BLE001 (polib cannot read it: localize must refuse it)
        held = None
    result = invoke("translate", "--no-mt", "a.txt")
    event(f"exit {result.exit_code}" + (", polib cannot read it" if held is None else ""))
    if result.exit_code == 2:  # refused: left byte for byte as it was
        assert path.read_bytes() == before
        return
    assert held is not None, "localize read a PO that polib cannot"
    assert msgfmt_accepts(path)
    kept = [e.msgstr for e in read_po(path) if e.msgstr]
    assert all(text in kept for text in held), (held, kept)
