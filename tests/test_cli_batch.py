"""`localize batch`: many articles, unattended."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib

from conftest import SAMPLE
from localize.files import lock_folder

LOCALIZE = str(Path(sys.executable).with_name("localize"))


def _incoming(project, count=3):
    folder = project / "incoming"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "iran-imis.txt")
    for number in range(count):
        (folder / "sub" / f"brief-{number}.md").write_text(
            f"# Brief {number}\n\nThe ministry said {number} envoys met on Monday. Talks go on.\n")
    (folder / "notes.json").write_text("{}")  # not an article: ignored
    return folder


def test_batch_prepares_every_article_and_reports_failures(run, project):
    folder = _incoming(project)
    (folder / "empty.txt").write_text("")
    (folder / "binary.html").write_bytes(b"\x00\x01\x02garbage")
    result = run("batch", "incoming", "--no-mt", "--report", "report.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["articles: 4 new, 0 updated, 0 unchanged, 2 failed",
                                              "drafts: 0 machine, 0 from memory; issues: 0"]
    assert "failed: incoming/empty.txt: file is empty (give an article with text in it)" in result.stdout
    assert sorted(p.name for p in (project / "translations/ar").iterdir()) == [
        "iran-imis.po", "sub-brief-0.po", "sub-brief-1.po", "sub-brief-2.po"]
    report = json.loads((project / "report.json").read_text())
    assert report["totals"]["segments"] == 28 + 3 * 3 and report["totals"]["failed"] == 2
    row = next(r for r in report["articles"] if r["file"] == "incoming/iran-imis.txt")
    assert (row["status"], row["po"], row["segments"]) == ("new", "translations/ar/iran-imis.po", 28)


def test_a_rerun_skips_unchanged_articles_and_redoes_changed_ones(run, project, model):
    folder = _incoming(project)
    first = run("batch", "incoming")
    assert first.exit_code == 0
    assert first.stderr.count("machine translation: ") == 1  # all articles in one engine batch
    assert "machine translation: 37 segments" in first.stderr
    before = (project / "translations/ar/iran-imis.po").read_bytes()
    (folder / "sub/brief-1.md").write_text("# Brief 1\n\nThe ministry said 1 envoy met on Tuesday. Talks go on.\n")
    second = run("batch", "incoming")
    assert second.stdout.startswith("articles: 0 new, 1 updated, 3 unchanged, 0 failed\n")
    assert "machine translation: 1 segment (1 distinct)" in second.stderr  # only the changed sentence
    assert (project / "translations/ar/iran-imis.po").read_bytes() == before


def test_shards_split_the_articles_between_them(run, project):
    _incoming(project, count=6)
    done = set()
    for shard in ("1/3", "2/3", "3/3"):
        run("batch", "incoming", "--no-mt", "--shard", shard, "--out", f"out{shard[0]}")
        names = {p.name for p in (project / f"out{shard[0]}/ar").glob("*.po")} if (project / f"out{shard[0]}").exists() else set()
        assert not names & done
        done |= names
    assert len(done) == 7
    bad = run("batch", "incoming", "--shard", "4/3")
    assert (bad.exit_code, bad.stderr) == (2, "Error: --shard 4/3: expected I/N with 1 <= I <= N (e.g. --shard 2/8)\n")


def test_a_second_batch_fails_at_once_and_a_killed_one_leaves_no_lock(run, project):
    _incoming(project, count=1)
    with lock_folder("translations"):
        started = time.monotonic()
        result = run("batch", "incoming", "--no-mt")
        assert result.exit_code == 2 and time.monotonic() - started < 5
        assert result.stderr == ("Error: translations: another localize run is writing this folder "
                                 "(wait for it to finish (a killed run holds no lock))\n")
    holder = subprocess.Popen([sys.executable, "-c", "import time; from localize.files import lock_folder\n"
                               "with lock_folder('translations'):\n    print('locked', flush=True); time.sleep(60)"],
                              cwd=project, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert run("batch", "incoming", "--no-mt").exit_code == 0


def test_shards_share_the_lock_and_keep_every_other_run_out(run, project):
    _incoming(project, count=2)
    with lock_folder("translations", shared=True):  # another shard of the same batch, running
        assert run("batch", "incoming", "--no-mt", "--shard", "1/2").exit_code == 0
        result = run("batch", "incoming", "--no-mt")  # a whole batch: not while shards run
        assert result.exit_code == 2 and "another localize run is writing this folder" in result.stderr
    with lock_folder("translations"):  # a translate or a whole batch running: shards fail at once
        result = run("batch", "incoming", "--no-mt", "--shard", "2/2")
        assert result.exit_code == 2 and "another localize run is writing this folder" in result.stderr
    assert run("batch", "incoming", "--no-mt", "--shard", "2/2").exit_code == 0


def test_an_interrupted_batch_keeps_what_it_wrote_and_the_next_run_continues(project, model, packages_dir):
    _incoming(project, count=5)
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages_dir)}
    batch = subprocess.Popen([LOCALIZE, "batch", "incoming", "--chunk", "1", "--threads", "1"], cwd=project,
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    written = project / "translations/ar"
    deadline = time.monotonic() + 60
    while not (written.exists() and len(list(written.glob("*.po"))) >= 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    batch.send_signal(signal.SIGINT)
    batch.wait(timeout=60)
    kept = {p.name: p.read_bytes() for p in written.glob("*.po")}
    assert 2 <= len(kept)
    again = subprocess.run([LOCALIZE, "batch", "incoming"], cwd=project, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    counts = again.stdout.splitlines()[0]
    assert counts == f"articles: {6 - len(kept)} new, 0 updated, {len(kept)} unchanged, 0 failed"
    assert all((written / name).read_bytes() == data for name, data in kept.items())


# --- same-name articles never share a PO (issue 13) -----------------------------------------------------------

def _same_names(project):
    for folder, text in (("a", "Talks resume\n\nThe talks resumed in Vienna.\n"),
                         ("b", "Storm warning\n\nA storm is coming to Basra.\n")):
        (project / "incoming" / folder).mkdir(parents=True)
        (project / "incoming" / folder / "story.txt").write_text(text, encoding="utf-8")


def test_same_name_articles_in_different_folders_get_their_own_po_across_chunks(run, project):
    _same_names(project)
    for _ in range(2):
        result = run("batch", "--no-mt", "--chunk", "1", "incoming")
        assert result.exit_code == 0, result.output
    ar = project / "translations/ar"
    assert sorted(p.name for p in ar.iterdir()) == ["a-story.po", "b-story.po"]
    assert polib.pofile(str(ar / "a-story.po")).metadata["X-Source-File"] == "incoming/a/story.txt"
    assert polib.pofile(str(ar / "b-story.po")).metadata["X-Source-File"] == "incoming/b/story.txt"
    assert result.stdout.startswith("articles: 0 new, 0 updated, 2 unchanged, 0 failed")


def test_a_po_recorded_for_another_article_is_never_rewritten(run, project):
    _same_names(project)
    assert run("translate", "--no-mt", "incoming/a/story.txt").exit_code == 0
    po = project / "translations/ar/story.po"
    before = po.read_bytes()
    result = run("translate", "--no-mt", "incoming/b/story.txt")
    assert result.exit_code == 2 and result.stderr == (
        "Error: translations/ar/story.po: is the PO of incoming/a/story.txt (X-Source-File), not of "
        "incoming/b/story.txt (rename one of the articles, or pass --out to write elsewhere; the PO was not "
        "changed)\n")
    result = run("batch", "--no-mt", "--chunk", "1", "incoming/a/story.txt", "incoming/b/story.txt")
    assert result.exit_code == 1
    assert "failed: translations/ar/story.po: is the PO of incoming/a/story.txt" in result.stdout
    result = run("translate", "--no-mt", "incoming/a/story.txt", "incoming/b/story.txt")
    assert result.exit_code == 2 and "is the PO of incoming/a/story.txt" in result.stderr
    assert po.read_bytes() == before


def test_a_moved_article_keeps_its_po(run, project):
    _same_names(project)
    assert run("translate", "--no-mt", "incoming/a/story.txt").exit_code == 0
    (project / "moved").mkdir()
    (project / "incoming/a/story.txt").rename(project / "moved/story.txt")
    assert run("translate", "--no-mt", "moved/story.txt").exit_code == 0
    assert polib.pofile(str(project / "translations/ar/story.po")).metadata["X-Source-File"] == "moved/story.txt"


def test_arabic_file_names_keep_their_letters(run, project):
    for name in ("خبر عاجل.txt", "تقرير.md"):
        (project / name).write_text("Title\n\nSome text here.\n", encoding="utf-8")
    assert run("batch", "--no-mt", ".").exit_code == 0
    assert sorted(p.name for p in (project / "translations/ar").iterdir()) == ["تقرير.po", "خبر-عاجل.po"]
    assert run("publish", "--allow-draft", "translations/ar/تقرير.po").exit_code == 0
    assert (project / "editions/تقرير.ar.html").exists()


# --- the night report (issue 13) ---------------------------------------------------------------------------------

def test_the_report_says_when_what_and_how_and_failures_are_printed_once(run, project, model):
    folder = _incoming(project, count=2)
    (folder / "empty.txt").write_text("")
    result = run("batch", "--chunk", "2", "--beam", "2", "--report", "report.json", "incoming")
    assert result.exit_code == 1
    assert result.stdout.count("empty.txt") == 1 and "empty.txt" not in result.stderr
    chunk_lines = [line for line in result.stderr.splitlines() if line.startswith("chunk ")]
    assert [line.split(":")[0] for line in chunk_lines] == ["chunk 1/2", "chunk 2/2"]
    assert chunk_lines[-1].startswith("chunk 2/2: 4/4 articles done, 34 segments in ")  # the empty one too
    assert chunk_lines[-1].endswith(" segments/s)")
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    run_info = report["run"]
    assert run_info["localize"] == "0.1.0" and run_info["model"]["name"] == "translate-en_ar"
    assert run_info["model"]["version"] == "1.0"
    assert run_info["options"]["beam"] == 2 and run_info["options"]["chunk"] == 2
    assert run_info["started"] <= run_info["ended"] and run_info["seconds"] > 0
    result = run("batch", "--all", "--no-mt", "--report", "report.json", "incoming")
    assert result.stdout.startswith("articles: 0 new, 0 updated, 3 redone, 0 unchanged, 1 failed\n")
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["redone"] == 3 and report["run"]["model"] is None
    assert {row["status"] for row in report["articles"]} == {"redone", "failed"}
    assert all(set(row) == {"file", "po", "status", "segments", "machine_drafts", "memory_drafts", "issues", "error",
                            "suspect"}
               for row in report["articles"])


def test_counts_are_in_correct_english(run, project):
    (project / "one.txt").write_text("Title\n", encoding="utf-8")
    result = run("translate", "--no-mt", "one.txt")
    assert result.stdout == "translations/ar/one.po: 1 segment, 0 translated\n"
    result = run("batch", "--all", "--no-mt", "one.txt")
    assert "redone: one.txt -> translations/ar/one.po: 1 segment, 0 machine drafts, 0 from memory, 0 issues" \
        in result.stderr


def test_batch_encoding_reads_the_legacy_articles_and_leaves_utf8_ones_alone(run, project):
    (project / "incoming").mkdir()
    arabic_quote = "Iran's envoy said: \u00ab\u0644\u0646 \u0646\u0642\u0628\u0644\u00bb, and left."
    (project / "incoming/legacy.txt").write_bytes(f"Talks in Vienna\n\n{arabic_quote}\n".encode("cp1256"))
    (project / "incoming/modern.txt").write_text("Caf\u00e9 talks\n\nThe caf\u00e9 opened.\n", encoding="utf-8")
    result = run("batch", "--no-mt", "incoming")
    assert result.exit_code == 1  # without --encoding the legacy file fails, and says what to do
    assert ("failed: incoming/legacy.txt: not valid UTF-8 at byte 36; it looks like cp1256 (Arabic, Windows) "
            "(name its encoding with --encoding cp1256, or convert it to UTF-8)") in result.stdout.splitlines()
    result = run("batch", "--no-mt", "--encoding", "cp1256", "incoming")
    assert result.exit_code == 0
    legacy = polib.pofile(str(project / "translations/ar/legacy.po"))
    assert legacy.metadata["X-Source-Encoding"] == "cp1256" and legacy[1].msgid == arabic_quote
    modern = polib.pofile(str(project / "translations/ar/modern.po"))
    assert modern.metadata["X-Source-Encoding"] == "utf-8" and modern[0].msgid == "Caf\u00e9 talks"


def test_a_rerun_trusts_recorded_sizes_and_times_only_while_both_files_are_as_recorded(run, project, monkeypatch):
    import os
    import time

    from localize import files
    from localize.batch import STATE

    (project / "incoming").mkdir()
    for name in ("a", "b", "c"):
        (project / f"incoming/{name}.txt").write_text(f"Story {name}\n\nThe envoy met {name} today.\n",
                                                      encoding="utf-8")
    assert run("batch", "--no-mt", "incoming").exit_code == 0
    old = time.time_ns() - 60 * 10**9  # settled files (a file changed in the last 2 s is not recorded)
    for path in [*(project / "incoming").iterdir(), *(project / "translations/ar").iterdir()]:
        os.utime(path, ns=(old, old))
    assert run("batch", "--no-mt", "incoming").stdout.startswith("articles: 0 new, 0 updated, 3 unchanged")
    assert (project / "translations" / STATE).is_file()

    real = files.read_input
    read = []
    monkeypatch.setattr(files, "read_input", lambda path, *a, **k: read.append(str(path)) or real(path, *a, **k))
    (project / "incoming/b.txt").write_text("Story b\n\nThe envoy met b and c today.\n", encoding="utf-8")
    reviewed = project / "translations/ar/c.po"
    reviewed.write_bytes(reviewed.read_bytes().replace(b'msgstr ""\n\n#', b'msgstr "\xd8\xaa"\n\n#', 1))
    result = run("batch", "--no-mt", "incoming")
    assert result.stdout.startswith("articles: 0 new, 1 updated, 2 unchanged")
    assert sorted({path for path in read if path.endswith(".txt")}) == ["incoming/b.txt", "incoming/c.txt"]
    (project / "translations" / STATE).write_text("{broken", encoding="utf-8")  # a broken state: read all
    read.clear()
    assert run("batch", "--no-mt", "incoming").stdout.startswith("articles: 0 new, 0 updated, 3 unchanged")
    assert len({path for path in read if path.endswith(".txt")}) == 3


def test_shards_at_once_keep_every_shards_state(project):
    """Four shards in four processes at once: the state file ends with every article (before, the
    last writer's share alone), so the next night reads none of them again."""
    import json
    import os
    import subprocess
    import sys
    import time

    from localize.batch import STATE

    (project / "incoming").mkdir()
    for number in range(40):
        (project / f"incoming/story-{number:02d}.txt").write_text(
            f"Story {number}\n\nThe envoy met {number} officials today.\n", encoding="utf-8")
    command = [sys.executable, "-m", "localize", "batch", "incoming", "--no-mt"]
    assert subprocess.run(command, cwd=project, capture_output=True).returncode == 0
    old = time.time_ns() - 60 * 10**9  # settled: the state records them
    for path in [*(project / "incoming").iterdir(), *(project / "translations/ar").iterdir()]:
        os.utime(path, ns=(old, old))
    (project / "translations" / STATE).unlink(missing_ok=True)
    shards = [subprocess.Popen([*command, "--shard", f"{i}/4"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE) for i in range(1, 5)]
    assert [shard.wait() for shard in shards] == [0, 0, 0, 0]
    state = json.loads((project / "translations" / STATE).read_text(encoding="utf-8"))["files"]
    assert len(state) == 40
    rerun = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert rerun.stdout.startswith("articles: 0 new, 0 updated, 40 unchanged")


def test_a_shard_merges_its_state_with_what_others_wrote_since_it_read_it(tmp_path):
    from localize.batch import read_state, write_state

    old = [1, 1, 1, 1]  # (stats of files written long ago)
    ours = {"row": {"file": "a.txt", "po": "ar/a.po", "status": "unchanged"}}
    write_state(str(tmp_path), {}, {"/x/a.txt": old}, [ours["row"]])  # shard 1
    write_state(str(tmp_path), {}, {"/x/b.txt": old}, [])  # shard 2 read the state before shard 1 wrote it
    assert set(read_state(str(tmp_path))) == {"/x/a.txt", "/x/b.txt"}
    failed = {"file": "/x/a.txt", "po": "ar/a.po", "status": "failed"}
    write_state(str(tmp_path), {"/x/a.txt": old}, {}, [failed])  # a failed article is dropped
    assert set(read_state(str(tmp_path))) == {"/x/b.txt"}


def test_sigterm_stops_a_batch_that_still_writes_its_report(project):
    """A scheduler's time limit (SIGTERM): the chunks done stay written, the report says the run was
    interrupted and which articles were not done, exit 2."""
    import json
    import signal
    import subprocess
    import sys

    (project / "incoming").mkdir()
    for number in range(400):
        (project / f"incoming/story-{number:03d}.txt").write_text(
            f"Story {number}\n\nThe envoy met {number} officials today. They spoke for an hour.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "localize", "batch", "incoming", "--no-mt", "--chunk", "5",
                             "--report", "report.json"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # (progress lines: one per article, one per chunk)
        if line.startswith("chunk 2/"):
            break
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "interrupted (SIGTERM or Ctrl+C); the run stopped" in err
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["stopped"] == "interrupted (SIGTERM or Ctrl+C)"
    done = [row for row in report["articles"] if row["status"] == "new"]
    assert len(done) >= 10 and report["totals"]["failed"] == 400 - len(done)
    assert all((project / row["po"]).is_file() for row in done)
