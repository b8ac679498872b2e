"""The review page's speed: a 200-segment article page and an approve round trip.

A project with the house glossary, a 200-segment article (sentences of the sample
article, varied) whose every segment has a fuzzy Arabic draft, and 50 reviewed
POs as memory, served by ``localize serve``'s application under waitress on
this machine; timed over HTTP (requests, one keep-alive session), as a browser
would see it, without the browser's own rendering:

- page: ``GET /po/ar/story.po`` (read the PO, glossary terms, issues and memory
  suggestions of every segment, render);
- approve: ``POST /api/po/ar/story.po/save`` with approve (take the folder lock,
  read the PO, check the entry, write the PO atomically, re-check the entry).

Rounds alternate page and approve; the bench prints min and median of each
against the goals (page < 1 s, approve < 200 ms).  There is no peer to run
side by side: Weblate, the nearest, needs a database server and a Django
deployment, and serves software strings.

    .venv/bin/python bench/serve.py [--rounds 20] [--segments 200]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def build(workdir: Path, segments: int) -> None:
    import polib

    from mt_throughput import make_articles

    (workdir / "glossaries").mkdir(parents=True)
    shutil.copy(ROOT / "glossaries" / "news.csv", workdir / "glossaries" / "news.csv")
    from localize.segment import sentences as split

    sentences, paragraphs, total = [], [], 1  # (the title is a segment)
    for text in make_articles(60, seed=11, paragraphs=(4, 10)):
        for paragraph in text.decode().split("\n\n")[1:]:
            if total < segments:
                paragraphs.append(paragraph)
                total += len(split(paragraph))
            sentences.append(paragraph)
    story = "\n\n".join(["Story under review"] + paragraphs)
    (workdir / "story.txt").write_text(story, encoding="utf-8")
    for number in range(50):
        (workdir / f"old-{number}.txt").write_text("\n\n".join(["Old story", *sentences[number::50][:4]]),
                                                   encoding="utf-8")
    localize = [sys.executable, "-m", "localize"]
    subprocess.run([*localize, "translate", "--no-mt", "story.txt",
                    *(f"old-{n}.txt" for n in range(50))], cwd=workdir, check=True, capture_output=True)
    for path in sorted((workdir / "translations/ar").glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = "مسودة عربية لهذا المقطع رقم 12 عن إيران والعراق."
            if path.stem == "story":
                entry.flags = ["fuzzy"]
        po.save(str(path))
    count = len(polib.pofile(str(workdir / "translations/ar/story.po")))
    print(f"article: {count} segments")


def main() -> None:
    import requests
    from waitress.server import create_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--segments", type=int, default=200)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    build(workdir, args.segments)
    import os

    os.chdir(workdir)
    from localize.serve import create_app

    server = create_server(create_app("translations", reviewer="bench"), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}"
    session = requests.Session()
    first = session.get(f"{url}/po/ar/story.po")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', first.text).group(1)
    todo = re.findall(r'data-key="([\d.]+)"\s+data-msgid="([^"]*)" data-tcomment="[^"]*" data-base-msgstr="([^"]*)"',
                      first.text)
    print(f"page: {len(first.content) / 1024:.0f} KiB, {len(todo)} segments")
    import html

    pages, approvals = [], []
    for number in range(args.rounds):  # alternating
        started = time.perf_counter()
        response = session.get(f"{url}/po/ar/story.po")
        pages.append(time.perf_counter() - started)
        assert response.status_code == 200
        key, msgid, base = todo[number % len(todo)]
        started = time.perf_counter()
        response = session.post(f"{url}/api/po/ar/story.po/save", headers={"X-CSRF-Token": csrf},
                                json={"msgctxt": key, "msgid": html.unescape(msgid),
                                      "msgstr": "ترجمة مراجعة رقم 12 عن إيران.", "approve": True,
                                      "base": {"msgstr": html.unescape(base), "fuzzy": True}})
        approvals.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    session.close()  # (before the server: a keep-alive channel left open makes waitress complain on close)
    server.close()
    for name, times, goal in ((f"page load (GET, {len(todo)} segments)", pages, 1.0), ("approve round trip (POST)", approvals, 0.2)):
        print(f"{name:32} min {min(times) * 1000:7.1f} ms, median {statistics.median(times) * 1000:7.1f} ms "
              f"(goal < {goal * 1000:.0f} ms: median at {statistics.median(times) / goal:.2f} of it)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
