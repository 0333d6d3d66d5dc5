"""The Feedback tab in a real browser (headless Chromium, Playwright), on sessions saved in the
page's store the way a finished round saves them: summary first, scoring details hidden until
asked for, the scores chart numbered by session and never empty, thank-you drafts to send."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedback_sessions import WEAK_ID, ended_after_one, save_finished, three_sessions
from page_server import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright
from session_factory import strong_session

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from simulator.store import Store

pytestmark = pytest.mark.browser
WAIT_MS = 20_000

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page over three saved rounds: a strong one, one that ended after one interviewer, a weak one."""
    home = tmp_path_factory.mktemp("feedback-home")
    with Store(home / "sessions.db") as store:
        three_sessions(store)
    with running_app(home) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=WAIT_MS)  # a ceiling on two busy cores, not a measure
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    expect.set_options(timeout=5_000)


def open_feedback(browser: Browser, url: str) -> Page:
    """The page opened on a finished session's address, as after a reload: its Feedback tab shows."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    expect(page.get_by_role("tab", name="Feedback")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#feedback-summary h3").first).to_be_visible()
    return page


@pytest.fixture
def weak(browser: Browser, server: str) -> Iterator[Page]:
    page = open_feedback(browser, f"{server}?session={WEAK_ID}")
    yield page
    page.context.close()


def test_the_summary_comes_first_and_everything_else_is_folded(weak: Page) -> None:
    summary = weak.locator("#feedback-summary")
    expect(summary.locator("h3")).to_have_text(["Verdicts", "Three things to fix", "Round-one conflicts"])
    expect(summary.locator(".rt-verdict-list li")).to_have_count(3)
    expect(summary.locator(".rt-panel-verdict")).to_contain_text("Panel:")
    expect(summary.locator(".rt-fix")).to_have_count(3)
    for fix in summary.locator(".rt-fix").all():  # each fix quotes the answers that show it, with links
        expect(fix.locator(".rt-quote").first).to_be_visible()
        expect(fix.locator("a.rt-answer-link").first).to_be_visible()
    expect(summary.locator(".rt-conflicts")).to_contain_text("I led a team of four engineers")
    # The summary sits above the folds, and the folds start closed.
    summary_box = summary.bounding_box()
    folds_box = weak.locator("#answers-fold").bounding_box()
    assert summary_box and folds_box and summary_box["y"] < folds_box["y"]
    for fold in ("#answers", "#checklist", "#scorecards", "#debrief", "#thank-you"):
        expect(weak.locator(fold)).to_be_hidden()
    # The answers fold says how many answers it holds; each answer's question reads without opening it.
    expect(weak.locator("#answers-fold")).to_contain_text(re.compile(r"Every answer, graded \(\d+\)"))


def test_an_answer_link_opens_that_answer(weak: Page) -> None:
    link = weak.locator("#feedback-summary .rt-fix a.rt-answer-link").first
    target = link.get_attribute("href")
    assert target and target.startswith("#answer-")
    link.click()
    answer = weak.locator(target)
    expect(answer).to_be_visible()
    expect(answer).to_have_attribute("open", "")
    expect(answer.locator("blockquote")).to_be_in_viewport()
    expect(weak.locator(".rt-answer .rt-q").first).to_be_visible()  # questions show with answers folded


def test_scoring_details_stay_hidden_until_asked_for(weak: Page) -> None:
    feedback = weak.locator("#feedback")
    for fold in ("Every answer, graded", "Why each interviewer decided"):
        feedback.get_by_text(re.compile(f"^{fold}")).first.click()
    weak.locator(".rt-answer summary").first.click()
    rubric = weak.locator("#answers .rt-rubric").first
    debrief = weak.locator("#debrief")
    expect(debrief).to_contain_text("closed briskly and politely")
    figures = re.compile(r"\(\d\.\d\d\)|below 2\.8|averaged")
    expect(rubric).to_be_hidden()  # "offline/rules · star@1.0 consistency@1.0"
    expect(debrief).not_to_contain_text(figures, use_inner_text=True)  # what a reader sees
    weak.locator("#show-details input").check()
    expect(rubric).to_be_visible()
    expect(rubric).to_contain_text("star@")
    expect(debrief).to_contain_text(figures, use_inner_text=True)
    weak.locator("#show-details input").uncheck()
    expect(rubric).to_be_hidden()
    expect(debrief).not_to_contain_text(figures, use_inner_text=True)


def test_the_chart_shows_sessions_in_order_and_names_the_early_end(weak: Page) -> None:
    fold = weak.locator("#history-fold")
    expect(fold).to_be_visible()
    fold.get_by_text("Your scores across sessions").click()
    expect(weak.locator("#history-note")).to_contain_text(
        "Left out, as not comparable: session 2 (ended after 1 of 3 interviewers)."
    )
    chart = weak.locator("#history-chart")
    expect(chart.locator("svg, canvas").first).to_be_visible()
    # The x axis is the session's number, in order: 1 then 3 (2 was left out), never dates.
    x_axis = chart.locator("svg [aria-roledescription='axis']").first
    expect(x_axis).to_have_attribute(
        "aria-label", re.compile(r"^X-axis titled 'session.*discrete scale with 2 values: 1, 3$")
    )


def test_the_drafts_are_notes_a_person_would_send(weak: Page) -> None:
    weak.locator("#thank-you-fold").get_by_text("Thank-you notes").click()
    draft = weak.locator("#thank-you textarea")
    closings = []
    for name in ("Renata Okafor", "Jonah Brandt", "Helen Achterberg"):
        weak.locator("#thank-you-to input").click()
        weak.get_by_role("option", name=name).click()
        expect(draft).to_have_value(re.compile(rf"^Hi {name.split()[0]},"))
        text = draft.input_value()
        assert "…" not in text and "[" in text.split("\n")[-1]  # nothing cut; signed by the user
        closings.append(text.split("\n\n")[2])
    assert len(set(closings)) == 3, closings


def test_no_chart_when_no_session_can_be_charted(browser: Browser, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with Store(home / "sessions.db") as store:
        save_finished(
            store,
            ended_after_one(strong_session()),
            "onlyearly0001",
            "2025-05-07T09:00:00+00:00",
            "ended_early",
        )
    with running_app(home) as url:
        page = open_feedback(browser, f"{url}?session=onlyearly0001")
        expect(page.locator("#feedback-heading")).to_contain_text("ended early")
        expect(page.locator("#history-fold")).to_be_hidden()
        expect(page.locator("#history-chart")).to_be_hidden()
        page.context.close()
