"""The review page as an editor in a real browser (headless Chromium), keyboard only, at 390 px
and 1280 px: undo stays in its own field (also with the keys an Arabic layout sends: the
letter by its place, event.code), Use and Insert are undoable, the "unsaved" mark and the
warning before leaving, where the focus goes (on load, after Accept, after Use), approving
with open issues asks, send back, the live progress line and Publish, search and the issue
filter, the ? list of keys, bulk approval, placeholder chips and visible special spaces.
Skipped without Chromium, unless LOCALIZE_REQUIRE_BROWSER=1."""

from __future__ import annotations

import polib
import pytest

from test_publish_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)
from test_serve_browser import desk, serving, stop

ARTICLE = ("# Talks resume in Vienna\n\nIran sent a delegation to Vienna on Monday.\n\n"
           "Read the [full **plan**](https://example.org/plan) here.\n\nThe talks resumed in Vienna.\n\n"
           "Officials met twice.\n\nThe ministers spoke for an hour.\n")
IRAN = "Iran sent a delegation to Vienna on Monday."
LINK = "Read the <1>full <2>plan</2></1> here."
MET = "Officials met twice."
HOUR = "The ministers spoke for an hour."
DRAFTS = {IRAN: "أرسلت طهران وفدا إلى فيينا يوم الاثنين.",  # Iran missing: a blocking issue
          MET: "التقى المسؤولون مرتين."}  # no issue
WAIT = 10
WIDTHS = [390, 1280]


@pytest.fixture
def served(project, run):
    """A project with drafts, a reviewed memory entry and a link in the article, served on a free port."""
    desk(project, run, ARTICLE)
    story = polib.pofile(str(project / "translations/ar/story.po"), wrapwidth=0)
    for msgid, text in DRAFTS.items():
        story.find(msgid).msgstr, story.find(msgid).flags = text, ["fuzzy"]
    story.save(str(project / "translations/ar/story.po"))
    server, url = serving("Keyboard Test")
    yield project, url
    stop(server)


@pytest.fixture(params=WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def page(request, browser, served):  # noqa: F811
    """The article's page at the width, loaded: (browser, project)."""
    width = request.param
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
    project, url = served
    browser.get(f"{url}/po/ar/story.po")
    wait_for(browser, lambda: browser.execute_script("return !!document.getElementById('progress')"))
    yield browser, project
    browser.execute_script("window.onbeforeunload = null")
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def wait_for(browser, condition):  # noqa: F811
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT).until(lambda driver: condition())


def on_disk(project, msgid):
    return polib.pofile(str(project / "translations/ar/story.po")).find(msgid)


def entry(browser, msgid):  # noqa: F811
    return browser.find_element("css selector", f'article[data-msgid="{msgid}"]')


def field(browser, msgid):  # noqa: F811
    return entry(browser, msgid).find_element("css selector", "textarea")


def value(browser, msgid) -> str:  # noqa: F811
    return field(browser, msgid).get_property("value")


def active_entry(browser) -> str:  # noqa: F811
    return browser.execute_script("const e = document.activeElement.closest('article.entry'); "
                                  "return e ? e.dataset.msgid : null;")


def press(browser, *keys):  # noqa: F811
    """Keys pressed together (modifiers first), as a person presses them."""
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(browser)
    for key in keys[:-1]:
        chain.key_down(key)
    chain.send_keys(keys[-1])
    for key in reversed(keys[:-1]):
        chain.key_up(key)
    chain.perform()


def layout_key(browser, code, key, ctrl=False, alt=False, shift=False):  # noqa: F811
    """A key as an Arabic layout sends it (the place's code, the Arabic letter), to the focus."""
    browser.execute_script(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {code: arguments[0], key: arguments[1], "
        "ctrlKey: arguments[2], altKey: arguments[3], shiftKey: arguments[4], bubbles: true, cancelable: true}));",
        code, key, ctrl, alt, shift)


def trusted_key(browser, code, key, modifiers, keycode):  # noqa: F811
    """A key through Chromium's input pipeline (CDP): the browser's own default action runs unless refused."""
    for kind in ("rawKeyDown", "keyUp"):
        browser.execute_cdp_cmd("Input.dispatchKeyEvent", {"type": kind, "code": code, "key": key,
                                                           "modifiers": modifiers, "windowsVirtualKeyCode": keycode})


def tab_to(browser, css):  # noqa: F811
    """Press Tab until the focus is on an element matching css."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(40):
        if browser.execute_script("return document.activeElement.matches(arguments[0])", css):
            return browser.switch_to.active_element
        browser.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"Tab never reached {css}")


def accept_alert(browser, accept=True) -> str:  # noqa: F811
    from selenium.webdriver.support import expected_conditions

    alert = wait_for(browser, lambda: expected_conditions.alert_is_present()(browser))
    text = alert.text
    alert.accept() if accept else alert.dismiss()
    return text


def leaving_is_refused(browser) -> bool:  # noqa: F811
    return browser.execute_script("const e = new Event('beforeunload', {cancelable: true}); "
                                  "window.dispatchEvent(e); return e.defaultPrevented;")


# -- 1. edits land where they were typed ------------------------------------------------------

def test_undo_never_reaches_another_segment(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    assert active_entry(browser) == "Talks resume in Vienna"  # the first segment to review, on load
    browser.switch_to.active_element.send_keys("تستأنف المحادثات في فيينا")
    press(browser, Keys.CONTROL, Keys.ENTER)  # approved; on to the next to review
    wait_for(browser, lambda: active_entry(browser) == IRAN)
    typed = browser.switch_to.active_element
    typed.send_keys("اليوم")  # one word: one undo step
    for _ in range(4):  # more undos than this field has: never into the approved one
        press(browser, Keys.CONTROL, "z")
    layout_key(browser, "KeyZ", "ئ", ctrl=True)  # Ctrl+Z as an Arabic layout sends it
    trusted_key(browser, "KeyZ", "ئ", 2, 90)  # and through the browser's own pipeline
    assert value(browser, IRAN) == DRAFTS[IRAN] and active_entry(browser) == IRAN
    assert value(browser, "Talks resume in Vienna") == "تستأنف المحادثات في فيينا"
    layout_key(browser, "KeyY", "غ", ctrl=True)  # redo: the typed words back, in this field
    assert value(browser, IRAN) == DRAFTS[IRAN] + "اليوم"
    press(browser, Keys.CONTROL, Keys.SHIFT, "z")  # nothing more to redo
    typed.send_keys("!")
    assert value(browser, IRAN) == DRAFTS[IRAN] + "اليوم!" and active_entry(browser) == IRAN
    assert on_disk(project, "Talks resume in Vienna").msgstr == "تستأنف المحادثات في فيينا"


def test_use_and_insert_are_undoable_and_keep_the_focus(page):
    from selenium.webdriver.common.keys import Keys

    browser, _ = page
    field(browser, HOUR).send_keys("نص")
    press(browser, Keys.ALT, "1")  # use memory suggestion 1
    assert value(browser, HOUR) == "تحدث الوزراء لمدة ساعتين." and active_entry(browser) == HOUR
    press(browser, Keys.CONTROL, "z")
    assert value(browser, HOUR) == "نص"
    use = tab_to(browser, f'article[data-msgid="{HOUR}"] button.use')
    use.send_keys(Keys.ENTER)  # the button, by keyboard: the focus comes back to the field
    assert value(browser, HOUR) == "تحدث الوزراء لمدة ساعتين." and browser.switch_to.active_element == field(browser, HOUR)
    link = field(browser, LINK)
    link.send_keys("اقرأ ")
    press(browser, Keys.CONTROL, "1")  # insert placeable 1: <1>
    link.send_keys("الخطة")
    press(browser, Keys.CONTROL, "4")  # placeable 4: </1>
    assert value(browser, LINK) == "اقرأ <1>الخطة</1>"
    link.send_keys(Keys.BACKSPACE)  # next to a placeholder: the whole placeholder goes
    assert value(browser, LINK) == "اقرأ <1>الخطة"
    for expected in ("اقرأ <1>الخطة</1>", "اقرأ <1>الخطة", "اقرأ <1>", "اقرأ "):
        press(browser, Keys.CONTROL, "z")
        assert value(browser, LINK) == expected
    assert value(browser, HOUR) == "تحدث الوزراء لمدة ساعتين."


def test_unsaved_text_is_marked_and_leaving_asks(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    assert not leaving_is_refused(browser)
    target = entry(browser, MET)
    field(browser, MET).send_keys(" اليوم")
    mark = target.find_element("css selector", ".unsaved")
    assert mark.is_displayed() and mark.text.endswith("unsaved")
    assert leaving_is_refused(browser)
    press(browser, Keys.CONTROL, "s")  # save as draft
    wait_for(browser, lambda: not mark.is_displayed())
    assert not leaving_is_refused(browser) and on_disk(project, MET).msgstr == DRAFTS[MET] + " اليوم"
    assert "fuzzy" in on_disk(project, MET).flags


# -- 2. focus, keys by place ----------------------------------------------------------------

def test_focus_comes_back_after_accept_and_alt_n_works_under_an_arabic_layout(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    layout_key(browser, "KeyN", "ى", alt=True)  # Alt+N, Arabic layout: the next segment with issues
    wait_for(browser, lambda: active_entry(browser) == IRAN)
    accept = tab_to(browser, f'article[data-msgid="{IRAN}"] button.accept')
    accept.send_keys(Keys.ENTER)
    wait_for(browser, lambda: "ignore: missing-term Iran" in (on_disk(project, IRAN).tcomment or ""))
    wait_for(browser, lambda: browser.switch_to.active_element == field(browser, IRAN))
    revoke = tab_to(browser, f'article[data-msgid="{IRAN}"] button.revoke')  # the accepted issue, revoked
    revoke.send_keys(Keys.ENTER)
    wait_for(browser, lambda: "ignore:" not in (on_disk(project, IRAN).tcomment or ""))
    wait_for(browser, lambda: browser.switch_to.active_element == field(browser, IRAN))
    trusted_key(browser, "ArrowDown", "ArrowDown", 1, 40)  # Alt+Down: the next segment
    assert active_entry(browser) == LINK


# -- 3. approving with open issues asks; send back ----------------------------------------------

def test_approving_with_open_issues_asks_and_stays_to_review(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    field(browser, IRAN).send_keys(Keys.END)
    press(browser, Keys.CONTROL, Keys.ENTER)
    assert "missing-term: Iran" in accept_alert(browser, accept=False)
    assert "fuzzy" in on_disk(project, IRAN).flags and active_entry(browser) == IRAN  # not approved, still here
    press(browser, Keys.CONTROL, Keys.ENTER)
    accept_alert(browser)
    target = entry(browser, IRAN)
    wait_for(browser, lambda: "state-reviewed" in target.get_attribute("class"))
    assert target.find_element("css selector", ".badge").text == "reviewed with issues"
    assert "1 of 6 reviewed" in browser.find_element("id", "summary").text
    assert "History: approved by Keyboard Test" in target.text
    browser.find_element("css selector", '[data-filter="all"]').send_keys(Keys.ENTER)
    browser.find_element("css selector", '[data-filter="todo"]').send_keys(Keys.ENTER)
    assert target.is_displayed()  # still to review: publish refuses it
    field(browser, IRAN).click()
    press(browser, Keys.CONTROL, "u")  # needs work: back to review
    wait_for(browser, lambda: "state-draft" in target.get_attribute("class"))
    assert "fuzzy" in on_disk(project, IRAN).flags and "approved:" not in on_disk(project, IRAN).comment


def test_send_back_button_by_keyboard(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    field(browser, MET).click()
    press(browser, Keys.CONTROL, Keys.ENTER)  # no issue: no question
    target = entry(browser, MET)
    wait_for(browser, lambda: "state-reviewed" in target.get_attribute("class"))
    field(browser, MET).click()
    tab_to(browser, f'article[data-msgid="{MET}"] button.send-back').send_keys(Keys.ENTER)
    wait_for(browser, lambda: "state-draft" in target.get_attribute("class"))
    assert "fuzzy" in on_disk(project, MET).flags and browser.switch_to.active_element == field(browser, MET)


# -- 7. live progress, publish; 8. bulk approval, search, the ? list ------------------------------

def test_bulk_approval_asks_then_progress_and_publish_follow(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    bulk = browser.find_element("id", "bulk-approve")
    assert bulk.text == "Approve 1 draft with no issues…"  # MET; IRAN has an issue
    bulk.send_keys(Keys.ENTER)
    assert "Approve 1 draft" in accept_alert(browser, accept=False)
    assert "fuzzy" in on_disk(project, MET).flags
    bulk.send_keys(Keys.ENTER)
    accept_alert(browser)
    wait_for(browser, lambda: "fuzzy" not in on_disk(project, MET).flags)
    assert "fuzzy" in on_disk(project, IRAN).flags
    wait_for(browser, lambda: "1 of 6 reviewed" in browser.find_element("id", "summary").text)
    texts = {"Talks resume in Vienna": "تستأنف المحادثات في فيينا", IRAN: "أرسلت إيران وفدا إلى فيينا يوم الاثنين.",
             LINK: "اقرأ <1><2>الخطة</2> الكاملة</1> هنا.", "The talks resumed in Vienna.": "استؤنفت المحادثات في فيينا.",
             HOUR: "تحدث الوزراء لمدة ساعة."}
    for msgid, text in texts.items():
        box = field(browser, msgid)
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(text)
        press(browser, Keys.CONTROL, Keys.ENTER)
        wait_for(browser, lambda msgid=msgid: "state-reviewed" in entry(browser, msgid).get_attribute("class"))
    wait_for(browser, lambda: "6 of 6 reviewed" in browser.find_element("id", "summary").text)
    publish = browser.find_element("id", "publish")
    assert publish.is_displayed()
    publish.send_keys(Keys.ENTER)
    wait_for(browser, lambda: "published" in browser.find_element("id", "result").text)
    assert (project / "editions/story.ar.html").is_file() and (project / "editions/story.bilingual.html").is_file()


def test_search_and_issue_filter(page):
    from selenium.webdriver.common.keys import Keys

    browser, _ = page
    browser.find_element("css selector", '[data-filter="all"]').send_keys(Keys.ENTER)
    search = browser.find_element("id", "search")
    search.send_keys("مرتين")  # Arabic
    shown = lambda: [e.get_attribute("data-msgid") for e in browser.find_elements("css selector", "article.entry")
                     if e.is_displayed()]
    wait_for(browser, lambda: shown() == [MET])
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("vienna")  # English, any case
    wait_for(browser, lambda: shown() == ["Talks resume in Vienna", IRAN, "The talks resumed in Vienna."])
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.DELETE)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "issue-type")).select_by_value("missing-term")
    wait_for(browser, lambda: shown() == [IRAN])
    assert "1 of 6 segments shown" in browser.find_element("id", "shown").text


def test_the_keys_list_opens_with_question_mark_and_closes_with_escape(page):
    from selenium.webdriver.common.keys import Keys

    browser, _ = page
    start = browser.switch_to.active_element
    start.send_keys(Keys.ESCAPE)  # out of the field, onto its segment
    assert browser.switch_to.active_element.tag_name == "article"
    layout_key(browser, "Slash", "؟", shift=True)  # ? as an Arabic layout types it
    dialog = browser.find_element("id", "keys")
    wait_for(browser, dialog.is_displayed)
    for text in ("Ctrl+Enter", "Ctrl+Z", "Alt+N", "Ctrl+U", "Ctrl+B"):
        assert text in dialog.text
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(browser, lambda: not dialog.is_displayed())
    press(browser, Keys.CONTROL, "/")  # from anywhere
    wait_for(browser, dialog.is_displayed)
    layout_key(browser, "Escape", "Escape")
    wait_for(browser, lambda: not dialog.is_displayed())


# -- 4. and 6. placeholders and spaces a reviewer can read -------------------------------------

def test_placeholders_read_as_chips_and_special_spaces_show(page):
    browser, _ = page
    target = entry(browser, LINK)
    buttons = [" ".join(button.text.split()) for button in target.find_elements("css selector", "button[data-insert]")]
    assert buttons[0] == "<1> link to https://example.org/plan" and buttons[3] == "</1> end of link"
    field(browser, LINK).send_keys("اقرأ <1>الخطة</1>\u00a0هنا\u202fالآن")
    rendering = target.find_element("css selector", ".rendering")
    wait_for(browser, rendering.is_displayed)
    chips = rendering.find_elements("css selector", ".chip")
    assert [chip.find_element("css selector", ".tag").text for chip in chips] == ["<1>", "</1>"]
    assert "link to https://example.org/plan" in chips[0].text and "end of link" in chips[1].text
    assert {chip.value_of_css_property("direction") for chip in chips} == {"ltr"}
    assert chips[1].value_of_css_property("unicode-bidi") == "isolate"
    marks = [mark.get_attribute("aria-label") for mark in rendering.find_elements("css selector", ".ws")]
    assert marks == ["no-break space (U+00A0)", "narrow no-break space (U+202F)"]
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"serve-editor-{browser.execute_script('return innerWidth')}.png"))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_headers_never_break_inside_a_word(browser, served, width):  # noqa: F811
    project, url = served
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
    try:
        browser.get(f"{url}/")
        cells = browser.execute_script(
            "const row = document.querySelector('table.articles tbody tr');"
            "return {wide: document.documentElement.scrollWidth <= innerWidth,"
            " text: row.innerText,"
            " heads: [...document.querySelectorAll('th')].map(th => th.getBoundingClientRect().height)};")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert cells["wide"]
    if width < 500:  # a card: every number with its column's name
        for label in ("Reviewed", "Drafts", "Untranslated", "Issues", "Source"):
            assert label in cells["text"]
    else:  # one line each: no header broken inside a word
        assert max(cells["heads"]) < 2 * min(cells["heads"]) and "Reviewed" not in cells["text"]


def test_copy_source_comments_and_the_memory_search_by_keyboard(page):
    from selenium.webdriver.common.keys import Keys

    browser, project = page
    box = field(browser, HOUR)
    box.click()
    press(browser, Keys.CONTROL, "b")  # copy the English (one undo step)
    assert value(browser, HOUR) == HOUR
    press(browser, Keys.CONTROL, "z")
    assert value(browser, HOUR) == ""
    tab_to(browser, f'article[data-msgid="{HOUR}"] details.notes summary').send_keys(Keys.ENTER)  # open it
    note = tab_to(browser, f'article[data-msgid="{HOUR}"] textarea.note')
    note.send_keys("check the hour with the desk")
    summary = entry(browser, HOUR).find_element("css selector", "details.notes summary")
    assert "unsaved-note" in summary.get_attribute("class") and leaving_is_refused(browser)
    press(browser, Keys.CONTROL, "s")  # in a comment: saves the comment
    wait_for(browser, lambda: (on_disk(project, HOUR).tcomment or "") == "check the hour with the desk")
    wait_for(browser, lambda: "unsaved-note" not in summary.get_attribute("class"))
    memory = browser.find_element("css selector", "details.concordance summary")
    browser.execute_script("arguments[0].focus()", memory)
    memory.send_keys(Keys.ENTER)
    query = tab_to(browser, "#concordance-query")
    query.send_keys("ministers", Keys.ENTER)
    results = browser.find_element("id", "concordance-results")
    wait_for(browser, lambda: "تحدث الوزراء لمدة ساعتين." in results.text)
    assert "The ministers spoke for two hours." in results.text
