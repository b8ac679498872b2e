"""The review server at an archive's size: the list of articles, `localize status`, and a long
article's page, each against what it costs without the caches, in alternated rounds.

An archive of distinct news-length articles (10-30 sentences, generated from the sample
article's sentences with words varied: `mt_throughput.make_articles`), made into POs by one
`localize batch --no-mt`, then given Arabic text: every entry of half the POs approved, the
other half fuzzy drafts, with the house glossary (so the checks have work).  The archive is built
once (cached under $TMPDIR/serve-bench-archive-N) and the sizes share its files (hard links).

Cases, each over HTTP to `localize serve`'s application under waitress (requests, one
keep-alive session), as a browser sees it without its own rendering:

- list, cold: `GET /` with no status cache (what every request cost before the cache: each PO
  parsed and checked), then list, warm: the same request again (only stats; goal < 0.3 s at
  5,000 POs);
- `localize status`, cold (cache file removed) and warm, as child processes: CPU and peak memory;
- a 300-segment article (drafts on every segment, the archive as memory): its page rendered
  from nothing (a fresh app) and again (entries' HTML kept); and, with Chromium, the first
  contentful paint of the page against a static copy of the same bytes from the same server
  (goal: within 1.2x).

    .venv/bin/python bench/serve.py [--sizes 1000,5000,10000] [--rounds 3] [--segments 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from record import Rounds, Table, pair, print_tables, summary, write  # noqa: E402

LOCALIZE = [sys.executable, "-m", "localize"]
DRAFT = "قال مسؤولون في إيران إن المحادثات مع الولايات المتحدة ستستأنف يوم 12 في فيينا."
CHILD = """\
import atexit, runpy, sys, os
def _rss():
    with open('/proc/self/status') as f, open(os.environ['BENCH_RSS_FILE'], 'w') as out:
        out.write(next(line.split()[1] for line in f if line.startswith('VmHWM:')))
atexit.register(_rss)
sys.argv[0] = 'localize'
runpy.run_module('localize', run_name='__main__', alter_sys=True)
"""


def fill(path: Path, reviewed: bool) -> None:
    import polib

    po = polib.pofile(str(path), wrapwidth=0)
    for number, entry in enumerate(po):
        entry.msgstr = DRAFT if number % 3 else f"{DRAFT} ({number})"
        entry.flags = [] if reviewed else ["fuzzy"]
    po.save(str(path))


def archive(size: int) -> Path:
    """A project of ``size`` distinct articles and their POs, built once and kept."""
    from mt_throughput import make_articles

    home = Path(tempfile.gettempdir()) / f"serve-bench-archive-{size}"
    if (home / "built").exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    (home / "incoming").mkdir(parents=True)
    (home / "glossaries").mkdir()
    shutil.copy(ROOT / "glossaries" / "news.csv", home / "glossaries" / "news.csv")
    for number, text in enumerate(make_articles(size, seed=size, paragraphs=(4, 10))):
        (home / "incoming" / f"story-{number:05d}.txt").write_bytes(text)
    subprocess.run([*LOCALIZE, "batch", "incoming", "--no-mt"], cwd=home, check=True, capture_output=True)
    for number, path in enumerate(sorted((home / "translations").rglob("*.po"))):
        fill(path, reviewed=number % 2 == 0)
    old = time.time_ns() - 3600 * 10**9  # written an hour ago: settled (the caches trust their times)
    for path in [*home.rglob("*.po"), *(home / "incoming").iterdir()]:
        os.utime(path, ns=(old, old))
    (home / "built").touch()
    return home


def story(home: Path, segments: int) -> str:
    """The long article under review: ``segments`` segments of drafts, in the archive's project."""
    from mt_throughput import make_articles

    from localize.segment import sentences

    paragraphs, total = [], 1
    for text in make_articles(80, seed=11, paragraphs=(4, 10)):
        for paragraph in text.decode().split("\n\n")[1:]:
            if total < segments:
                paragraphs.append(paragraph)
                total += len(sentences(paragraph))
    (home / "story.txt").write_text("\n\n".join(["Story under review", *paragraphs]), encoding="utf-8")
    subprocess.run([*LOCALIZE, "translate", "--no-mt", "story.txt"], cwd=home, check=True, capture_output=True)
    path = home / "translations" / "ar" / "story.po"
    fill(path, reviewed=False)
    old = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(old, old))
    return "ar/story.po"


class Served:
    """``localize serve``'s app for the project at ``home`` under waitress, with a static copy
    route (``/static-copy``: the bytes given, as a file server would send them)."""

    def __init__(self, home: Path):
        import requests
        from waitress.server import create_server

        from localize.serve import create_app

        os.chdir(home)
        self.app = create_app("translations", reviewer="bench")
        self.copy = b""
        self.server = create_server(self._wsgi, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=self.server.run, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.session = requests.Session()

    def _wsgi(self, environ, start_response):
        if environ["PATH_INFO"] == "/static-copy":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(self.copy)))])
            return [self.copy]
        return self.app(environ, start_response)

    def get(self, path: str) -> bytes:
        response = self.session.get(self.url + path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response.content

    def close(self) -> None:
        self.session.close()
        self.server.close()


def status_run(home: Path) -> tuple[float, float, float]:
    """One `localize status` process: (wall, CPU, peak MiB)."""
    rss = Path(tempfile.mkstemp(prefix="bench-rss-")[1])
    env = dict(os.environ, BENCH_RSS_FILE=str(rss))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "status"], cwd=home, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, "localize status failed"
    peak = int(rss.read_text()) / 1024
    rss.unlink()
    return wall, usage.ru_utime + usage.ru_stime, peak


def forget(home: Path) -> None:
    from localize.statuscache import NAME

    (home / "translations" / NAME).unlink(missing_ok=True)


def at_size(size: int, rounds_count: int) -> tuple[Rounds, Rounds, int]:
    """(the list's rounds, status' rounds) at ``size`` POs."""
    home = archive(size)
    served = Served(home)
    pos = sum(1 for _ in (home / "translations").rglob("*.po"))
    listing, status = Rounds(rounds_count), Rounds(rounds_count)
    for case in listing.order(["list cold", "list warm"]):
        if case == "list cold":
            forget(home)
            served.close()
            served = Served(home)  # (a fresh app: nothing kept in memory either)
        else:
            served.get("/")  # (the cache filled, as after any first request)
        started = time.perf_counter()
        served.get("/")
        listing.add(case, time.perf_counter() - started)
    served.close()
    for case in status.order(["status cold", "status warm"]):
        if case == "status cold":
            forget(home)
        else:
            status_run(home)
        wall, cpu, peak = status_run(home)
        status.add(case, wall, cpu, peak)
    print(f"{size}: list cold {pair(summary(listing.wall['list cold']))} s, warm "
          f"{pair(summary(listing.wall['list warm']))} s; status cold {pair(summary(status.cpu['status cold']))} s "
          f"CPU, warm {pair(summary(status.cpu['status warm']))} s", flush=True)
    return listing, status, pos


def first_paint(served: Served, name: str, rounds_count: int) -> Rounds | None:
    """First contentful paint of the page and of its static copy, in Chromium (None without it)."""
    chromium, driver_path = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        print("no chromium/chromedriver: first paint not measured")
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    served.copy = served.get(f"/po/{name}")
    script = "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null;"
    rounds = Rounds(rounds_count)
    try:
        for case in rounds.order(["page", "static copy"]):
            driver.get("about:blank")
            driver.get(served.url + (f"/po/{name}" if case == "page" else "/static-copy"))
            from selenium.webdriver.support.ui import WebDriverWait

            rounds.add(case, WebDriverWait(driver, 30).until(lambda browser: browser.execute_script(script)) / 1000)
    finally:
        driver.quit()
    return rounds


def article(home: Path, segments: int, rounds_count: int) -> tuple[Rounds, Rounds | None, int]:
    name = story(home, segments)
    served = Served(home)
    pages = Rounds(rounds_count)
    for case in pages.order(["page, nothing kept", "page again"]):
        if case == "page, nothing kept":
            served.close()
            served = Served(home)
        else:
            served.get(f"/po/{name}")
        started = time.perf_counter()
        body = served.get(f"/po/{name}")
        pages.add(case, time.perf_counter() - started)
    count = body.count(b'<article class="entry')
    paint = first_paint(served, name, max(rounds_count * 2, 8))
    approve(served, name, body.decode(), pages, rounds_count * 4)
    served.close()
    return pages, paint, count


def approve(served: Served, name: str, page: str, rounds: Rounds, count: int) -> None:
    """Approve round trips (``POST /api/po/NAME/save``: lock, read, check, write, check again)."""
    import html
    import re

    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    todo = re.findall(r'data-key="([\d.]+)"\s+data-msgid="([^"]*)" data-tcomment="[^"]*" data-base-msgstr="([^"]*)"',
                      page)
    for number in range(min(count, len(todo))):
        key, msgid, base = todo[number]
        started = time.perf_counter()
        response = served.session.post(f"{served.url}/api/po/{name}/save", headers={"X-CSRF-Token": csrf},
                                       json={"msgctxt": key, "msgid": html.unescape(msgid),
                                             "msgstr": "ترجمة مراجعة رقم 12 عن إيران.", "approve": True,
                                             "base": {"msgstr": html.unescape(base), "fuzzy": True}})
        rounds.add("approve (POST save)", time.perf_counter() - started)
        assert response.status_code == 200, response.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--segments", type=int, default=300)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    here = os.getcwd()
    results, list_rows, status_rows = {}, [], []
    for size in sizes:
        listing, status, pos = at_size(size, options.rounds)
        cold, warm = summary(listing.wall["list cold"]), summary(listing.wall["list warm"])
        results[size] = {"pos": pos, "list": listing.summary(), "status": status.summary()}
        list_rows.append([f"{pos:,}", pair(cold), pair(warm), f"{cold['median'] / warm['median']:,.0f}x",
                          "yes" if size != 5000 or warm["median"] < 0.3 else "no"])
        status_rows.append([f"{pos:,}", pair(summary(status.cpu["status cold"])),
                            pair(summary(status.cpu["status warm"])),
                            f"{status.peak['status cold']:.1f} / {status.peak['status warm']:.1f}"])
    home = archive(sizes[0])
    pages, paint, count = article(home, options.segments, max(options.rounds, 5))
    os.chdir(here)
    page_rows = [[case, pair(summary(pages.wall[case]))] for case in pages.wall]
    tables = [
        Table("The list of articles (`GET /`), wall seconds over HTTP",
              ["POs", "cold: every PO read and checked (min / median)", "warm: from the status cache",
               "cold / warm (median)", "goal < 0.3 s at 5,000 met"], list_rows,
              note="Cold is what every request cost before the cache; warm is every request after the first "
                   "while no PO changes (a changed PO is read and checked again, alone). 100 rows a page."),
        Table("`localize status`, CPU seconds of the process", ["POs", "cold (no cache file)", "warm", "peak MiB cold / warm"],
              status_rows),
        Table(f"A {count}-segment article page (`GET /po/...`), wall seconds over HTTP, "
              f"{sizes[0]:,} POs of memory", ["case", "min / median"], page_rows,
              note="Nothing kept: a fresh app (parse, check, memory suggestions and render of every entry); "
                   "again: the PO unchanged, its entries' HTML kept by everything they show. Approve: a save "
                   "round trip (lock, read, check, write atomically, check again)."),
    ]
    data = {"title": "The review server at an archive's size", "sizes": results,
            "page": {"segments": count, "rounds": pages.summary()}}
    if paint is not None:
        ratio = paint.ratio("page", "static copy")
        data["first_paint"] = {"rounds": paint.summary(), "ratio": ratio}
        tables.append(Table("First contentful paint in headless Chromium (seconds)",
                            ["page", "min / median", "page / static copy (min / median)"],
                            [["the article page", pair(summary(paint.wall["page"])),
                              f"{ratio['min']:.2f} / {ratio['median']:.2f}"],
                             ["a static copy of its bytes", pair(summary(paint.wall["static copy"])), "1"]],
                            note="The same bytes from the same server; the goal is 1.2x."))
    print_tables(tables)
    write("serve", data, tables=tables,
          command=f"bench/serve.py --sizes {options.sizes} --rounds {options.rounds} --segments {options.segments}",
          about="The review server over HTTP (waitress, one keep-alive session) on distinct generated news-length "
                "articles (10-30 sentences each), half of them approved, half fuzzy drafts, the house glossary; "
                "cold and warm cases alternate. There is no peer to run side by side: Weblate, the nearest, needs a "
                "database server and a Django deployment, and serves software strings.")


if __name__ == "__main__":
    main()
