"""The published pages in a real browser: headless Chromium (Debian's chromium and
chromium-driver, installed by .ci/run) lays them out; the test reads the computed
direction of the Arabic and English blocks and where they land on the page, and
saves screenshots in build/test-artifacts/ (or $LOCALIZE_ARTIFACTS).

Without Chromium the test is skipped, unless LOCALIZE_REQUIRE_BROWSER=1 (set by
.ci/run), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from test_publish import prepare, review

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("LOCALIZE_ARTIFACTS", Path(__file__).resolve().parents[1] / "build/test-artifacts"))


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("LOCALIZE_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        pytest.skip("no chromium/chromedriver on this machine")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1200,1000", "--lang=en-US"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


LAYOUT = """
const result = {};
const direction = el => getComputedStyle(el).direction;
const textBox = el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
result.arabic = [...document.querySelectorAll(arguments[0])].map(el => ({
  id: el.id || el.parentElement.id, direction: direction(el), align: getComputedStyle(el).textAlign,
  box: el.getBoundingClientRect().toJSON(), text: textBox(el).toJSON()}));
result.english = [...document.querySelectorAll(arguments[1])].map(el => ({
  direction: direction(el), box: el.getBoundingClientRect().toJSON()}));
result.isolated = [...document.querySelectorAll('bdi')].map(el => ({text: el.textContent, direction: direction(el)}));
result.banner = [...document.querySelectorAll('.draft-banner')].map(el => el.getBoundingClientRect().height);
return result;
"""


def open_page(browser, path: Path, arabic: str, english: str, screenshot: str) -> dict:
    browser.get(path.resolve().as_uri())
    layout = browser.execute_script(LAYOUT, arabic, english)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / screenshot))
    return layout


def test_the_arabic_page_lays_out_right_to_left(run, project, browser):
    po = prepare(run, project, "story.md", "story.ar.json")
    review(po, {"5.1": ""})  # one untranslated segment: its English sits in the Arabic list
    assert run("publish", "--allow-draft", "--format", "html", str(po)).exit_code == 0
    layout = open_page(browser, project / "editions/story.ar.html", "article h1, article h2, article p, article li",
                       "[lang=en]", "story.ar.png")
    assert len(layout["arabic"]) == 10
    assert {block["direction"] for block in layout["arabic"]} == {"rtl"}
    heading = next(block for block in layout["arabic"] if block["id"] == "b1")
    # Right-aligned: the short title's text ends at the right edge of its box, far from the left edge.
    assert abs(heading["text"]["right"] - heading["box"]["right"]) < 2
    assert heading["text"]["left"] - heading["box"]["left"] > 100
    assert {(item["text"], item["direction"]) for item in layout["isolated"]} >= {
        ("60,000", "ltr"), ("2014", "ltr"), ("https://example.com/x", "ltr"), ("Iraq rejected the call", "ltr")}
    assert len(layout["banner"]) == 1 and layout["banner"][0] > 20  # the draft banner is there and visible


def test_the_bilingual_page_puts_english_left_and_arabic_right(run, project, browser):
    po = prepare(run, project, "story.html", "story.html.ar.json")
    assert run("publish", "--format", "bilingual", str(po)).exit_code == 0
    layout = open_page(browser, project / "editions/story.bilingual.html", ".pair > .ar", ".pair > .en",
                       "story.bilingual.png")
    assert len(layout["arabic"]) == len(layout["english"]) == 5
    assert {block["direction"] for block in layout["arabic"]} == {"rtl"}
    assert {block["direction"] for block in layout["english"]} == {"ltr"}
    for arabic, english in zip(layout["arabic"], layout["english"]):
        assert english["box"]["right"] <= arabic["box"]["left"]  # side by side: English left, Arabic right
        assert abs(english["box"]["top"] - arabic["box"]["top"]) < 1  # block by block, on the same row
    assert layout["banner"] == []


PHONE = """
const box = el => el.getBoundingClientRect();
const pair = [...document.querySelectorAll('.pair')].find(p => p.querySelector('.ar') && p.id);
return {page: document.documentElement.scrollWidth, view: window.innerWidth, height: window.innerHeight,
        english: box(pair.querySelector('.en')).toJSON(), arabic: box(pair.querySelector('.ar')).toJSON(),
        banner: [...document.querySelectorAll('.draft-banner')].map(el => ({height: box(el).height,
                 position: getComputedStyle(el).position})),
        h1: document.querySelectorAll('h1').length};
"""


def test_the_bilingual_page_on_a_phone_is_one_column_and_no_wider_than_the_screen(run, project, browser):
    po = prepare(run, project, "story.html", "story.html.ar.json")
    long_url = "https://example.com/" + "a-very-long-path-segment-" * 8 + "end"
    review(project / po, {"3.1": f"انظر {long_url} للتفاصيل"}, reviewed=False)  # a draft: the banner shows
    assert run("publish", "--allow-draft", "--format", "bilingual", str(po)).exit_code == 0
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get((project / "editions/story.bilingual.html").resolve().as_uri())
        layout = browser.execute_script(PHONE)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(ARTIFACTS / "story.bilingual.390.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert layout["page"] <= layout["view"]  # the long URL wraps
    assert layout["arabic"]["top"] >= layout["english"]["bottom"] - 1  # one column: Arabic under English
    assert layout["arabic"]["width"] > 0.8 * layout["view"] - 40
    assert len(layout["banner"]) == 1 and layout["banner"][0]["position"] == "static"
    assert layout["banner"][0]["height"] < 0.12 * layout["height"]
    assert layout["h1"] == 1
