"""The candidate's own questions on the page, in headless Chromium: a real question gets an answer,
"no more questions" closes that interviewer's slot instead of being answered as a question."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from page_server import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
STATUS = "#status .rt-status"
PERSONA_IDS = ("hiring_manager", "team_member", "skip_level", "cross_functional")
CANDIDATE = '#chat [data-testid="user"]'
INTERVIEWER = '#chat [data-testid="bot"]'

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with running_app(tmp_path_factory.mktemp("page-home")) as url, sync_playwright() as pw:
        browser: Browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        yield page
        browser.close()


def start_two_interviewers(page: Page) -> None:
    expect(page.locator("#job-title textarea, #job-title input").first).not_to_have_value("")
    for persona_id in PERSONA_IDS:
        box = page.locator(f"#panel-{persona_id} input[type=checkbox]")
        if box.is_checked() != (persona_id in ("hiring_manager", "team_member")):
            box.click()
        page.locator(f"#minutes-{persona_id} input").fill("10")
    page.locator("#start").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 2")


def say(page: Page, text: str) -> None:
    before = page.locator(CANDIDATE).count()
    page.locator("#answer textarea").fill(text)
    page.locator("#answer textarea").press("Enter")
    expect(page.locator(CANDIDATE)).to_have_count(before + 1)


def test_questions_are_answered_and_no_more_questions_ends_the_slot(page: Page) -> None:
    start_two_interviewers(page)
    for _ in range(6):  # skipping questions brings the first interviewer to the candidate's questions
        if "takes your questions" in (page.locator(STATUS).text_content() or ""):
            break
        status = page.locator(STATUS).text_content() or ""
        page.locator("#move-on").click()
        expect(page.locator(STATUS)).not_to_have_text(status)
    expect(page.locator(STATUS)).to_contain_text("takes your questions")
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 2")

    bots = page.locator(INTERVIEWER).count()
    say(page, "How big is the team I would join?")
    expect(page.locator(INTERVIEWER)).not_to_have_count(bots)
    expect(page.locator(STATUS)).to_contain_text("takes your questions")  # the floor stays open

    say(page, "Thanks, no more questions from me.")
    # The slot closes: the next interviewer takes over, and nothing answers "no more questions" as a question.
    expect(page.locator(STATUS)).to_contain_text("interviewer 2 of 2")
    chat = page.locator("#chat").inner_text()
    tail = chat[chat.rindex("no more questions from me") :]
    assert "half-answer" not in tail
    assert "good question" not in tail.lower()
