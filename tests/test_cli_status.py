import json
import shutil

import polib

from conftest import SAMPLE


def _translated(run, project):
    shutil.copy(SAMPLE, project / "iran-imis.txt")
    run("translate", "--no-mt", "iran-imis.txt")
    path = project / "translations/ar/iran-imis.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po[1].msgstr = "علي خامنئي"  # reviewed
    po[2].msgstr, po[2].flags = "Calls for dismantling", ["fuzzy"]  # a draft left in English
    po.save(str(path))
    return path


def test_status_counts_review_progress_and_issues(run, project):
    _translated(run, project)
    result = run("status")
    assert result.exit_code == 0
    assert result.stdout == (
        "translations/ar/iran-imis.po: 28 segments, 1 reviewed, 1 draft, 26 untranslated, 2 issues; "
        "source unchanged\n"
        "total: 1 file, 28 segments, 1 reviewed (3% reviewed), 1 draft, 26 untranslated, 2 issues, "
        "0 sources changed or missing\n")


def test_status_says_when_the_source_changed_or_is_gone(run, project):
    _translated(run, project)
    article = project / "iran-imis.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert "source changed" in run("status").stdout
    article.unlink()
    report = json.loads(run("status", "--json").stdout)
    assert report["files"][0]["source_state"] == "missing"
    assert report["total"] == {"files": 1, "segments": 28, "reviewed": 1, "drafts": 1, "untranslated": 26,
                               "issues": 2, "issue_types": {"english-draft": 1, "length-ratio": 1},
                               "changed_sources": 1, "broken": 0}
    assert report["files"][0]["issue_types"] == {"english-draft": 1, "length-ratio": 1}


def test_one_broken_po_is_listed_as_broken_and_the_others_are_shown(run, project):
    path = _translated(run, project)
    good = project / "translations/ar/other.po"
    good.write_bytes(path.read_bytes())
    path.write_text(path.read_text(encoding="utf-8").replace('msgid "Ali Khamenei"', 'msgid "Ali Khamenei'),
                    encoding="utf-8")
    result = run("status")
    assert result.exit_code == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("translations/ar/other.po: 28 segments, 1 reviewed")
    assert lines[1].startswith("translations/ar/iran-imis.po: broken: translations/ar/iran-imis.po:")
    assert "unterminated string" in lines[1]
    assert lines[2].startswith("total: 2 files, 28 segments") and lines[2].endswith(
        ", 1 broken (fix or restore them; `localize check FILE` shows the same error)")
    report = json.loads(run("status", "--json").stdout)
    assert report["total"]["broken"] == 1 and report["broken"][0]["file"] == "translations/ar/iran-imis.po"
    assert [row["file"] for row in report["files"]] == ["translations/ar/other.po"]


def test_status_of_a_po_that_is_not_there_is_an_error(run, project):
    result = run("status", "nope.po")
    assert (result.exit_code, result.stderr) == (2, "Error: nope.po: no such file (check the path of the PO file)\n")


def _age(*paths, seconds=60):
    """Files last written a while ago: a fresh file's row is never kept (its time may not show a change)."""
    import os
    import time

    for path in paths:
        os.utime(path, ns=(time.time_ns() - seconds * 10**9,) * 2)


def test_status_keeps_rows_of_unchanged_pos_and_checks_again_what_changed(run, project):
    from localize.statuscache import NAME, StatusCache

    path = _translated(run, project)
    _age(path, project / "iran-imis.txt")
    first = run("status", "--json").stdout
    assert (project / "translations" / NAME).is_file()
    cache = StatusCache(project / "translations")
    assert cache.row(path)["reviewed"] == 1 and cache.computed == 0  # from the cache: nothing parsed
    assert run("status", "--json").stdout == first
    # the PO changes (a reviewer approves one more entry): its row is made again
    po = polib.pofile(str(path), wrapwidth=0)
    po[3].msgstr = "نص عربي"
    po.save(str(path))
    _age(path, seconds=30)
    assert json.loads(run("status", "--json").stdout)["total"]["reviewed"] == 2
    # the glossary changes: every row is checked again with it
    (project / "glossaries").mkdir(exist_ok=True)
    (project / "glossaries/news.csv").write_text("source,target,type,forbidden,variants,note\nIran,إيران,term,,,\n", encoding="utf-8")
    fresh = StatusCache(project / "translations")
    assert fresh.row(path)["reviewed"] == 2 and fresh.computed == 1


def test_a_fresh_po_is_never_trusted_by_its_time_and_a_broken_cache_is_ignored(run, project):
    from localize.statuscache import NAME, StatusCache

    path = _translated(run, project)  # written just now
    run("status")
    cache = StatusCache(project / "translations")
    cache.row(path)
    assert cache.computed == 1  # not kept: a change within the clock's resolution would not show
    (project / "translations" / NAME).write_bytes(b"\x00not json")
    result = run("status")
    assert result.exit_code == 0 and "1 reviewed" in result.stdout


def test_the_source_changing_is_seen_with_a_cached_row(run, project):
    path = _translated(run, project)
    _age(path, project / "iran-imis.txt")
    assert "source unchanged" in run("status").stdout
    article = project / "iran-imis.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert "source changed" in run("status").stdout


def test_an_archive_s_rows_are_written_in_rounds_and_read_one_at_a_time(run, project, monkeypatch):
    """40 POs with FLUSH 8: the cache never holds more than 8 rows it computed; the next run computes none, the
    JSON is the same text as the whole document dumped at once, and a PO deleted loses its row (when rows are
    next written)."""
    import sqlite3

    from localize import statuscache
    from localize.statuscache import NAME, StatusCache

    monkeypatch.setattr(statuscache, "FLUSH", 8)
    path = _translated(run, project)
    for number in range(39):
        (path.parent / f"copy-{number:02d}.po").write_bytes(path.read_bytes())
    _age(*path.parent.glob("*.po"), project / "iran-imis.txt")
    held = []
    original = StatusCache._write
    monkeypatch.setattr(StatusCache, "_write", lambda self: held.append(len(self._pending)) or original(self))
    first = run("status", "--json").stdout
    assert max(held) == 8 and sum(held) == 40
    report = json.loads(first)
    assert first == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    assert len(report["files"]) == 40 and report["total"]["reviewed"] == 40
    cache = StatusCache(project / "translations")
    assert all(cache.row(po)["reviewed"] == 1 for po in path.parent.glob("*.po")) and cache.computed == 0
    assert run("status", "--json").stdout == first
    (path.parent / "copy-00.po").unlink()  # (forgotten the next time a row is written: copy-01 changes)
    (path.parent / "copy-01.po").write_bytes(path.read_bytes() + b"\n")
    _age(path.parent / "copy-01.po")
    run("status")
    with sqlite3.connect(project / "translations" / NAME) as database:
        assert database.execute("SELECT count(*) FROM rows").fetchone() == (39,)


def test_the_list_of_articles_keeps_a_page_of_rows(run, project):
    """The review page's list over 250 POs: page 2 of 100, the last page for a page past the end, counts of all."""
    from localize.serve import create_app

    path = _translated(run, project)
    for number in range(249):
        (path.parent / f"copy-{number:03d}.po").write_bytes(path.read_bytes())
    client = create_app(str(project / "translations")).test_client()
    second = client.get("/?page=2").get_data(as_text=True)
    assert "copy-100.po" in second and "copy-199.po" in second and "copy-099.po" not in second
    assert "copy-200.po" not in second and "250" in second
    last = client.get("/?page=9").get_data(as_text=True)
    assert "iran-imis.po" in last and "copy-200.po" in last and "copy-199.po" not in last
    assert client.get("/?page=3").get_data(as_text=True) == last


def test_the_gitignore_an_older_init_wrote_gets_the_cache_s_new_name_once(tmp_path):
    """``localize init`` used to list the JSON status cache in translations/.gitignore: the SQLite cache adds its own
    name there once (else every project made before it shows the cache as a new file to commit); a .gitignore of the
    desk's own, or none, is left as it is."""
    from localize.statuscache import NAME, StatusCache

    old, own, none = (tmp_path / name for name in ("old", "own", "none"))
    for folder in (old, own, none):
        folder.mkdir()
    (old / ".gitignore").write_text(".localize-memory.sqlite\n.localize-status.json\n.localize.lock", encoding="utf-8")
    (own / ".gitignore").write_text("*.mo\n", encoding="utf-8")
    for _ in range(2):
        for folder in (old, own, none):
            StatusCache(folder).save()
            (folder / NAME).unlink()  # (a new cache file each time: the line is still added once)
    assert (old / ".gitignore").read_text(encoding="utf-8") == \
        f".localize-memory.sqlite\n.localize-status.json\n.localize.lock\n{NAME}\n"
    assert (own / ".gitignore").read_text(encoding="utf-8") == "*.mo\n"
    assert not (none / ".gitignore").exists()


def test_a_gitignore_saved_while_the_cache_adds_its_name_is_left_as_saved(tmp_path, monkeypatch):
    """The .gitignore is changed only if it still holds what was read: a person's save in between wins."""
    from localize import files
    from localize.statuscache import StatusCache

    ignore = tmp_path / ".gitignore"
    ignore.write_text(".localize-status.json\n", encoding="utf-8")
    commit = files.Staging.commit

    def saved_meanwhile(self):
        ignore.write_text(".localize-status.json\n*.mo\n", encoding="utf-8")
        commit(self)

    monkeypatch.setattr(files.Staging, "commit", saved_meanwhile)
    StatusCache(tmp_path).save()
    assert ignore.read_text(encoding="utf-8") == ".localize-status.json\n*.mo\n"
