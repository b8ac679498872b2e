"""Two runs at once, a reviewer saving mid-run, a writer killed mid-write."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import localize.pipeline
from conftest import ROOT
from localize.files import lock_folder

LOCALIZE = str(Path(sys.executable).with_name("localize"))


def test_a_second_run_on_the_same_folder_waits_for_the_first(project):
    (project / "a.txt").write_text("Title\n\nText.\n")
    with lock_folder("translations"):
        second = subprocess.Popen([LOCALIZE, "translate", "--no-mt", "a.txt"], cwd=project,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert second.poll() is None and not (project / "translations/ar/a.po").exists()
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert err == "waiting for another localize run writing translations ...\n"
    assert out == "translations/ar/a.po: 2 segments, 0 translated\n"


def test_the_lock_is_the_real_folder_whatever_the_path_or_tmpdir(project, monkeypatch, tmp_path_factory):
    (project / "a.txt").write_text("Title\n\nText.\n")
    (project / "translations").mkdir()
    os.symlink(project / "translations", project / "alias")
    other_tmp = tmp_path_factory.mktemp("other-tmp")
    with lock_folder("translations"):
        assert os.listdir(project / "translations") == [".localize.lock"]
        result = subprocess.run([LOCALIZE, "batch", "--no-mt", "--out", "alias", "a.txt"], cwd=project,
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "TMPDIR": str(other_tmp)})
        assert result.returncode == 2
        assert result.stderr == ("Error: alias: another localize run is writing this folder "
                                 "(wait for it to finish (a killed run holds no lock))\n")
    assert os.listdir(project / "translations") == []  # no lock file left behind
    result = subprocess.run([LOCALIZE, "translate", "--no-mt", "a.txt"], cwd=project, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "TMPDIR": str(other_tmp)})
    assert result.returncode == 0, result.stderr
    assert os.listdir(project / "translations") == ["ar"] and os.listdir(other_tmp) == []


def test_a_run_that_writes_nothing_leaves_no_folder(run, project):
    (project / "empty.txt").write_text("")
    assert run("translate", "--no-mt", "empty.txt").exit_code == 2
    assert not (project / "translations").exists()


def test_a_po_saved_by_a_reviewer_during_the_run_is_not_overwritten(run, project, monkeypatch):
    (project / "a.txt").write_text("Title\n\nText.\n")
    run("translate", "--no-mt", "a.txt")
    target = project / "translations/ar/a.po"
    saved = target.read_text(encoding="utf-8").replace('msgid "Text."\nmsgstr ""', 'msgid "Text."\nmsgstr "نص."')
    real = localize.pipeline.memory_drafts

    def reviewer_saves_meanwhile(*args):
        target.write_text(saved, encoding="utf-8")
        return real(*args)

    monkeypatch.setattr(localize.pipeline, "memory_drafts", reviewer_saves_meanwhile)
    (project / "a.txt").write_text("Title\n\nText. More text.\n")
    result = run("translate", "--no-mt", "a.txt")
    assert (result.exit_code, result.stderr) == (2, (
        "Error: translations/ar/a.po: changed on disk while this run was working (saved in an editor?) "
        "(nothing was written; run the command again)\n"))
    assert target.read_text(encoding="utf-8") == saved


WRITER = """
import sys
from localize.files import write_atomic
old, new = "A" * 4_000_000, "B" * 4_000_000
while True:
    write_atomic(sys.argv[1], new)
    write_atomic(sys.argv[1], old)
"""


def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_file(tmp_path):
    target = tmp_path / "story.po"
    target.write_text("A" * 4_000_000)
    for delay in (0.2, 0.35, 0.5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT)
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert target.read_text() in ("A" * 4_000_000, "B" * 4_000_000)
