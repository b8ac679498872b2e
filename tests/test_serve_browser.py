"""The review page in a real browser (headless Chromium, as the publish browser test): review
three segments with the keyboard and find them reviewed in the PO on disk, take a memory
suggestion, hit the conflict case, and lay the page out at 390 px and 1280 px (screenshots in
build/test-artifacts/).  Skipped without Chromium, unless LOCALIZE_REQUIRE_BROWSER=1."""

from __future__ import annotations

import threading

import polib
import pytest

from ltserver import free_port
from test_publish_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)

ARTICLE = ("# Talks resume in Vienna\n\nIran sent a delegation to Vienna on Monday.\n\n"
           "The talks resumed in Vienna.\n\nOfficials met twice.\n\nThe ministers spoke for an hour.\n")
GLOSSARY = "source,target,type,forbidden,variants,note\nIran,إيران,term,,,\nVienna,فيينا,term,,,\n"
WAIT = 10


def desk(project, run, article=ARTICLE):
    """The project: the glossary, the article's PO, and a reviewed memory entry (old.po)."""
    (project / "glossaries").mkdir()
    (project / "glossaries/news.csv").write_text(GLOSSARY, encoding="utf-8")
    (project / "old.md").write_text("# Old\n\nThe ministers spoke for two hours.\n", encoding="utf-8")
    (project / "story.md").write_text(article, encoding="utf-8")
    assert run("translate", "--no-mt", "old.md", "story.md").exit_code == 0
    old = polib.pofile(str(project / "translations/ar/old.po"), wrapwidth=0)
    for entry, text in zip(old, ("قديم", "تحدث الوزراء لمدة ساعتين."), strict=True):
        entry.msgstr = text
    old.save(str(project / "translations/ar/old.po"))


def serving(reviewer: str):
    """The review app on a free port of 127.0.0.1, in a thread: (server, its URL)."""
    from waitress.server import create_server

    from localize.serve import create_app

    server = create_server(create_app("translations", reviewer=reviewer), host="127.0.0.1", port=free_port(),
                           threads=4)
    server.thread = threading.Thread(target=server.run, daemon=True)
    server.thread.start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def stop(server) -> None:
    """Stop a server of ``serving``: its sockets closed by its own loop (closing them from this thread races the
    loop's select: EBADF in the server's thread), then its threads ended."""
    from waitress import wasyncore

    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    server.thread.join(10)
    server.task_dispatcher.shutdown()


@pytest.fixture
def served(project, run):
    """The project, with a PO and a reviewed memory entry, served by waitress on a free port."""
    desk(project, run)
    server, url = serving("Browser Test")
    yield project, url
    stop(server)


def wait_for(browser, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT).until(lambda driver: condition())


def entries(project):
    return {entry.msgid: entry for entry in polib.pofile(str(project / "translations/ar/story.po"))}


def test_three_segments_reviewed_with_the_keyboard_land_in_the_po(browser, served):
    from selenium.webdriver.common.keys import Keys

    project, url = served
    browser.get(f"{url}/po/ar/story.po")
    first = browser.find_element("css selector", "article.entry textarea")
    first.click()
    typed = ["تستأنف المحادثات في فيينا", "أرسلت إيران وفدا إلى فيينا يوم الاثنين.", "استؤنفت المحادثات في فيينا."]
    for text in typed:
        active = browser.switch_to.active_element
        assert active.tag_name == "textarea"
        entry = active.find_element("xpath", "./ancestor::article")
        active.send_keys(text)
        active.send_keys(Keys.CONTROL, Keys.ENTER)  # approve, and on to the next segment to review
        wait_for(browser, lambda: "state-reviewed" in entry.get_attribute("class"))
        wait_for(browser, lambda: browser.switch_to.active_element != active)
    found = entries(project)
    reviewed = [(msgid, entry.msgstr) for msgid, entry in found.items() if entry.msgstr and "fuzzy" not in entry.flags]
    assert reviewed == list(zip(["Talks resume in Vienna", "Iran sent a delegation to Vienna on Monday.",
                                 "The talks resumed in Vienna."], typed))
    assert polib.pofile(str(project / "translations/ar/story.po")).metadata["Last-Translator"] == "Browser Test"


def test_a_memory_suggestion_taken_with_one_click(browser, served):
    project, url = served
    browser.get(f"{url}/po/ar/story.po")
    button = browser.find_element("css selector", "button.use")
    entry = button.find_element("xpath", "./ancestor::article")
    assert "%" in entry.find_element("css selector", ".score").text
    button.click()
    assert entry.find_element("css selector", "textarea").get_property("value") == "تحدث الوزراء لمدة ساعتين."
    entry.find_element("css selector", "button.approve").click()
    wait_for(browser, lambda: "state-reviewed" in entry.get_attribute("class"))
    assert entries(project)["The ministers spoke for an hour."].msgstr == "تحدث الوزراء لمدة ساعتين."


def test_a_conflict_shows_the_other_version_and_saves_nothing(browser, served):
    project, url = served
    browser.get(f"{url}/po/ar/story.po")
    path = project / "translations/ar/story.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("Officials met twice.").msgstr = "التقى المسؤولون مرتين (من بويدت)."
    po.save(str(path))  # another reviewer, in Poedit, after the page loaded
    entry = browser.find_element("css selector", 'article[data-msgid="Officials met twice."]')
    entry.find_element("css selector", "textarea").send_keys("نص من المتصفح")
    entry.find_element("css selector", "button.approve").click()
    wait_for(browser, lambda: entry.find_elements("css selector", ".theirs"))
    assert "changed elsewhere" in entry.find_element("css selector", ".message").text
    assert "من بويدت" in entry.find_element("css selector", ".theirs").text
    assert entries(project)["Officials met twice."].msgstr == "التقى المسؤولون مرتين (من بويدت)."


def test_two_browser_tabs_on_one_article_never_lose_an_update(browser, served):
    project, url = served
    first = browser.current_window_handle
    browser.get(f"{url}/po/ar/story.po")
    browser.switch_to.new_window("tab")
    second = browser.current_window_handle
    browser.get(f"{url}/po/ar/story.po")
    try:
        selector = 'article[data-msgid="Officials met twice."]'
        browser.switch_to.window(first)
        entry = browser.find_element("css selector", selector)
        entry.find_element("css selector", "textarea").send_keys("التقى المسؤولون مرتين.")
        entry.find_element("css selector", "button.approve").click()
        wait_for(browser, lambda: "state-reviewed" in entry.get_attribute("class"))
        browser.switch_to.window(second)  # loaded before the first tab saved
        entry = browser.find_element("css selector", selector)
        entry.find_element("css selector", "textarea").send_keys("اجتمع المسؤولون مرتين.")
        entry.find_element("css selector", "button.approve").click()
        wait_for(browser, lambda: entry.find_elements("css selector", ".theirs"))
        assert "التقى المسؤولون مرتين." in entry.find_element("css selector", ".theirs").text
        other = browser.find_element("css selector", 'article[data-msgid="The talks resumed in Vienna."]')
        other.find_element("css selector", "textarea").send_keys("استؤنفت المحادثات في فيينا.")  # (no open issue)
        other.find_element("css selector", "button.approve").click()  # another segment: saved
        wait_for(browser, lambda: "state-reviewed" in other.get_attribute("class"))
    finally:
        browser.close()
        browser.switch_to.window(first)
    found = entries(project)
    assert found["Officials met twice."].msgstr == "التقى المسؤولون مرتين."
    assert found["The talks resumed in Vienna."].msgstr == "استؤنفت المحادثات في فيينا."


LAYOUT = """
const box = el => el.getBoundingClientRect();
const entry = document.querySelector('article.entry');
const english = box(entry.querySelector('.english')), arabic = box(entry.querySelector('.arabic'));
const textarea = entry.querySelector('textarea');
return {english: english.toJSON(), arabic: arabic.toJSON(), page: document.documentElement.scrollWidth,
        view: window.innerWidth, direction: getComputedStyle(textarea).direction,
        font: getComputedStyle(textarea).fontFamily};
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_readable_on_a_phone_and_side_by_side_on_a_laptop(browser, served, width):
    project, url = served
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
    try:
        browser.get(f"{url}/po/ar/story.po")
        layout = browser.execute_script(LAYOUT)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(ARTIFACTS / f"serve-{width}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert layout["page"] <= layout["view"]  # nothing wider than the screen
    assert layout["direction"] == "rtl" and "Naskh" in layout["font"]
    if width < 500:  # one column: the Arabic under the English
        assert layout["arabic"]["top"] >= layout["english"]["bottom"] - 1
    else:  # side by side
        assert abs(layout["arabic"]["top"] - layout["english"]["top"]) < 2
        assert layout["arabic"]["left"] >= layout["english"]["right"] - 1
