"""Build tests/fixtures/news/ from Zyte's (Scrapinghub's) article-extraction-benchmark.

    python bench/news_corpus.py PATH/TO/article-extraction-benchmark

The benchmark (https://github.com/scrapinghub/article-extraction-benchmark, MIT
licence, commit 4a3bc97) holds 181 pages saved from real sites in November 2019
with each page's article body written out by people (ground-truth.json).  We
keep the English news pages, one per site (the first, by file name, with at
least 120 words), leaving out company pages, shops and personal blogs.  The
expected title of each page is its headline as the page shows it: the <h1>
closest to og:title/<title>, else og:title without the site's name; the few
pages where that rule is wrong are corrected by hand in TITLES below (each was
read in a browser).

    python bench/news_corpus.py --holdout PATH/TO/fundus

builds the held-out split, tests/fixtures/news-holdout/, that no rule of the reader is tuned on
(its README.md says where it comes from and how it was chosen): the English news pages of
fundus's parser tests (https://github.com/flairNLP/fundus, MIT licence), one page per site,
leaving out every site of tests/fixtures/news/.  Zyte's pages that are not in
tests/fixtures/news/ and Mozilla Readability's test pages stay out of both splits.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news"
HOLDOUT = HERE.parent / "news-holdout"
NOT_NEWS = {  # shops, company pages, personal blogs, paywall stubs (< 100 words of body)
    "blog.givewell.org", "jeongdongtheater.com", "my6sense.com", "theantijunecleaver.com",
    "vortexcannon.org", "www.ascom.com", "www.beachbodyondemand.com", "www.bigbrandsystem.com",
    "www.expapp.com", "www.inexhibit.com", "www.linknaija.com", "www.wsj.com", "www.jpost.com",
    "practicalhorsemanmag.com", "dealbreaker.com", "www.catchitkansas.com", "www.healthline.com"}
ENGLISH = 0.15  # a page is English when this share of its words are these stop words
MIN_WORDS = 120
STOPWORDS = set("the of and to in a is that for on with was as by it".split())
TITLES = {  # pages whose <h1> is not the headline: the headline as shown on the page
    "680c2848": "The Early Reviews For Google's Stadia Gaming Platform Are Here \u2014 And They're Not Great",
    "5f9c5ed5": "With shattered dreams, deportees return home from US",
    # the visible headline differs from og:title (the social-media title): the headline wins
    "ad826691": "Amazon discounts MacBooks from $700, AirPods 2 with wireless case $150, ecobee deals, more",
    "851498a2": "The Disappearance of John M. Ford",
    "bc13ff87": "Major WeWork layoffs to begin today",
    "776a1c04": "South Dakota says, 'Meth. We're On It,' and Twitter asks, Are you guys OK?",
}


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _title(document) -> str:
    og = next((m.get("content", "") for m in document.iter("meta") if m.get("property") == "og:title"), "")
    page = document.find(".//title")
    names = [n for n in (og.strip(), _text(page) if page is not None else "") if n]
    headings = [_text(h) for h in document.iter("h1") if _text(h)]
    if headings and names:
        best = max(headings, key=lambda h: max(difflib.SequenceMatcher(None, h.lower(), n.lower()).ratio()
                                               for n in names))
        if max(difflib.SequenceMatcher(None, best.lower(), n.lower()).ratio() for n in names) > 0.6:
            return best
    return re.split(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]+$", names[0])[0] if names else ""


def main(repository: str) -> None:
    source = Path(repository)
    truth = json.loads((source / "ground-truth.json").read_text())
    chosen: dict = {}
    for key, value in sorted(truth.items()):
        words = re.findall(r"\w+", value["articleBody"].lower())
        host = urlparse(value["url"]).netloc
        english = sum(w in STOPWORDS for w in words) / max(1, len(words)) > ENGLISH
        if english and len(words) >= MIN_WORDS and host not in NOT_NEWS and host not in chosen:
            chosen[host] = key
    if HERE.exists():
        shutil.rmtree(HERE)
    HERE.mkdir(parents=True)
    pages = {}
    for host, key in sorted(chosen.items()):
        raw = gzip.open(source / "html" / f"{key}.html.gz").read()
        document = lxml_html.document_fromstring(_decode(raw))
        labels = host.split(".")
        while labels[-1] in ("com", "org", "net", "co", "uk", "in", "ca", "info"):
            labels.pop()
        name = f"{labels[-1]}-{key[:8]}"
        shutil.copy(source / "html" / f"{key}.html.gz", HERE / f"{name}.html.gz")
        pages[name] = {"url": truth[key]["url"], "title": TITLES.get(key[:8], _title(document)),
                       "body": truth[key]["articleBody"]}
    (HERE / "expected.json").write_text(json.dumps(pages, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(pages)} pages from {len(chosen)} sites written to {HERE}")


def _site(host: str) -> str:
    """The site of a host name: its last two labels, three under a country's second level (co.uk)."""
    labels = host.lower().removeprefix("www.").split(".")
    second_level = labels[:-2] and labels[-2] in ("co", "com", "org", "net", "ac", "gov")
    return ".".join(labels[-3:] if second_level else labels[-2:])


def _all_shown(paragraphs: list[str], raw: bytes) -> bool:
    """Whether every paragraph's words occur, in order, in the page's text (scripts and styles aside)."""
    document = lxml_html.document_fromstring(_decode(raw))
    for hidden in document.xpath("//script|//style|//template"):
        hidden.drop_tree()
    page = " ".join(re.findall(r"\w+", document.text_content().lower()))
    return all(" ".join(re.findall(r"\w+", paragraph.lower())) in page for paragraph in paragraphs)


NOT_NEWS_HOLDOUT = {"WorldTruth"}  # an alternative-health site, not news


def holdout(repository: str) -> None:
    """tests/fixtures/news-holdout/ from fundus's parser tests (see README.md there).

    Each publisher's test holds one or more saved pages (PUBLISHER_YYYY_MM_DD.html.gz, listed with
    their URL in meta.info) and, in PUBLISHER.json, what the publisher's hand-written parser must
    extract from each, one entry per parser version (V1, V1_1, V2 ...: the versions in order
    go with the pages in date order).  We keep the newest page of each English publisher whose
    body has at least 120 words, all of them in the page's own text, leave out the sites of
    tests/fixtures/news/ and the pages that are not news, and keep the page's gzipped HTML as
    fundus saved it.  The expected title is
    fundus's title; the expected body is fundus's body (summary, then each section's headline
    and paragraphs), one paragraph a line.
    """
    data = Path(repository) / "tests" / "resources" / "parser" / "test_data"
    tuned = {_site(urlparse(page["url"]).netloc)
             for page in json.loads((HERE / "expected.json").read_text(encoding="utf-8")).values()}
    pages: dict = {}
    for expected_path in sorted(data.glob("*/*.json")):
        publisher, group = expected_path.stem, expected_path.parent
        meta = json.loads((group / "meta.info").read_text(encoding="utf-8"))
        versions = json.loads(expected_path.read_text(encoding="utf-8"))
        saved = sorted(group.glob(f"{publisher}_*.html.gz"))
        if not saved or len(saved) != len(versions) or publisher in NOT_NEWS_HOLDOUT:
            continue
        expected, html_path = versions[sorted(versions)[-1]], saved[-1]
        body = expected.get("body") or {}
        paragraphs = [*body.get("summary", []),
                      *(line for section in body.get("sections", [])
                        for line in (*section.get("headline", []), *section.get("paragraphs", [])))]
        words = re.findall(r"\w+", " ".join(paragraphs).lower())
        english = sum(w in STOPWORDS for w in words) / max(1, len(words)) > ENGLISH
        url = meta[html_path.name]["url"]
        host = urlparse(url).netloc
        if not english or len(words) < MIN_WORDS or _site(host) in tuned or not expected.get("title"):
            continue
        raw = html_path.read_bytes()
        if not _all_shown(paragraphs, gzip.decompress(raw)):
            continue
        labels = host.split(".")[:-1]  # the site's name: no top-level domain, no second level (co.uk)
        while len(labels) > 1 and labels[-1] in ("com", "org", "net", "co", "gov", "ac"):
            labels.pop()
        name = f"{labels[-1]}-{hashlib.sha256(raw).hexdigest()[:8]}"
        pages[name] = {"url": url, "title": expected["title"], "body": "\n".join(paragraphs),
                       "source": f"{group.name}/{html_path.name}"}
        pages[name]["_raw"] = raw
    HOLDOUT.mkdir(parents=True, exist_ok=True)
    for old in HOLDOUT.glob("*.html.gz"):
        old.unlink()
    for name, page in pages.items():
        (HOLDOUT / f"{name}.html.gz").write_bytes(page.pop("_raw"))
    (HOLDOUT / "expected.json").write_text(json.dumps(dict(sorted(pages.items())), indent=1, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
    print(f"{len(pages)} pages from {len({_site(urlparse(p['url']).netloc) for p in pages.values()})} sites "
          f"written to {HOLDOUT}")


if __name__ == "__main__":
    if sys.argv[1] == "--holdout":
        holdout(sys.argv[2])
    else:
        main(sys.argv[1])
