"""The page, in a real browser: a loop ended after the first interviewer shows "Not enough signal"
in the debrief and the checklist, never a hiring verdict."""

from __future__ import annotations

import pytest
import test_ui_browser as ui
from playwright.sync_api import Page, expect

# One server and one browser for this module, as the page tests start them.
server = ui.server
browser = ui.browser
page = ui.page
pytestmark = pytest.mark.browser
# A ceiling, not a measure: grading an answer on two busy cores can take a while.
GRADED_WITHIN_MS = 90_000


def send(page: Page, text: str) -> None:
    users_before = page.locator('#chat [data-testid="user"]').count()
    ui.answer_box(page).fill(text)
    ui.answer_box(page).press("Enter")
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(
        users_before + 1, timeout=GRADED_WITHIN_MS
    )
    expect(ui.answer_box(page)).to_have_value("", timeout=GRADED_WITHIN_MS)


def test_ending_the_loop_after_one_interviewer_shows_not_enough_signal(page: Page) -> None:
    ui.start(page, "Verdict Evidence Engineer", minutes=30)
    for story in ui.STORIES[1:4]:  # three strong, measured answers to the first interviewer
        expect(page.locator(ui.STATUS)).to_contain_text("is asking you", timeout=GRADED_WITHIN_MS)
        send(page, story)
    page.locator("#end-loop").click()
    page.locator("#confirm-end-loop").click()
    expect(page.locator(ui.STATUS)).to_contain_text("The loop is over", timeout=GRADED_WITHIN_MS)
    for fold in ("Why each interviewer decided", "Second-round checklist"):  # folded on the Feedback tab
        page.locator("#feedback").get_by_text(fold, exact=True).click()
    panel = page.locator("#debrief .rt-panel-verdict")
    expect(panel).to_contain_text(
        "Panel: Not enough signal (the loop ended early, after 1 of 4 interviewers)"
    )
    expect(panel).to_contain_text("Not enough signal for a panel verdict")
    expect(page.locator("#debrief")).not_to_contain_text("Panel: Strong hire")
    expect(page.locator("#debrief")).not_to_contain_text("Panel: Hire")
    enough = page.locator("#checklist .rt-checklist > li", has_text="Enough answers for a verdict")
    expect(enough).to_contain_text("not reached, the loop ended first")
