"""The practice loops on the page in a real browser (Debian's Chromium, headless, via Playwright):
answer the last question again during the round and from Replay, drill what went worst from the
Feedback tab and run the drill again, drill one question from Replay."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from page_server import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # the first answer loads the grader's model
STATUS = "#status .rt-status"
WEAK = "We did some stuff."
STRONG = (
    "In 2023 I led the migration of our events store to partitioned Postgres: I wrote the plan, rewrote "
    "the six hottest queries myself and ran the cutover, and p95 latency fell from 800 to 120 milliseconds."
)
AGAIN = (
    "Last year I owned our on-call clean-up: I collected three months of pages, fixed the two noisiest "
    "alerts with their owners, and pages per week fell from 30 to 11."
)
PERSONA_IDS = ("hiring_manager", "team_member", "skip_level", "cross_functional")

if not __import__("pathlib").Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("page-home")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)  # every step here waits on grading, on a shared machine
    page.goto(server)
    yield page
    expect.set_options(timeout=5_000)  # Playwright's own default, for the tests that follow
    context.close()


def start_one_interviewer(page: Page) -> None:
    """The example job with only the hiring manager, ten minutes."""
    expect(page.locator("#job-title textarea, #job-title input").first).not_to_have_value("")
    for persona_id in PERSONA_IDS:
        box = page.locator(f"#panel-{persona_id} input[type=checkbox]")
        if box.is_checked() != (persona_id == "hiring_manager"):
            box.click()
        page.locator(f"#minutes-{persona_id} input").fill("10")
    page.locator("#start").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")


def send_answer(page: Page, text: str) -> None:
    users = page.locator('#chat [data-testid="user"]')
    before = users.count()
    page.locator("#answer textarea").fill(text)
    page.locator("#answer textarea").press("Enter")
    expect(users).to_have_count(before + 1)
    expect(page.locator("#answer textarea")).to_have_value("")


def end_interviewer(page: Page) -> None:
    page.locator("#end-interviewer").click()
    expect(page.locator(STATUS)).to_contain_text("The loop is over")


def answer_until_over(page: Page, text: str) -> None:
    for _ in range(12):
        if "The loop is over" in (page.locator(STATUS).text_content() or ""):
            return
        send_answer(page, text)
    raise AssertionError("the drill did not end")


def test_answer_again_during_the_round_and_from_replay(page: Page) -> None:
    start_one_interviewer(page)
    page.locator("#coaching input").check()
    send_answer(page, WEAK)
    question = page.locator('#chat [data-testid="bot"]').nth(1).locator(".rt-text").inner_text()

    page.locator("#redo-open").click()
    expect(page.locator("#redo-panel")).to_be_visible()
    expect(page.locator("#redo-question")).to_contain_text(question[:60])
    page.locator("#redo-answer textarea").fill(STRONG)
    page.locator("#redo-send").click()
    expect(page.locator("#notice")).to_contain_text("both attempts are kept, and your scores use the new one")
    expect(page.locator("#redo-panel")).to_be_hidden()

    answer = page.locator('#chat [data-testid="user"]').first
    expect(answer.locator(".rt-text").first).to_contain_text("p95 latency fell from 800 to 120")
    expect(answer).to_contain_text(re.compile(r"Answered again: this is attempt 2 · graded \d/5"))
    answer.locator(".rt-attempts summary").click()
    earlier = answer.locator(".rt-attempt-1")
    expect(earlier).to_contain_text(WEAK)
    expect(earlier).to_contain_text("Attempt 1 · not graded")  # the first attempt's own grade, beside

    end_interviewer(page)
    expect(page.locator("#feedback")).to_be_visible()
    page.locator("#answers-fold").click()
    card = page.locator("#answers .rt-attempts-card").first
    expect(card).to_contain_text("the scores use the latest attempt")
    expect(card).to_contain_text(WEAK)
    page.locator("#scorecards-fold").click()
    expect(page.locator("#scorecards")).to_contain_text(
        "scored on the latest attempt of 1 answer given again"
    )
    expect(page.locator("#drill-suggestion")).to_contain_text(
        "You gave 1 answer again: the scores use the latest"
    )

    # From Replay: the same answer (turn 3: intro, question, answer) given a third time.
    page.get_by_role("tab", name="Replay").click()
    page.locator("#refresh").click()
    page.locator('#sessions [data-testid="cell-0-0"]').click()
    page.locator("#open").click()
    expect(page.locator("#replay")).to_contain_text("Turn 1 of")
    page.locator("#replay-practice-fold").click()
    page.locator("#replay-redo-answer textarea").fill(AGAIN)
    page.locator("#replay-redo-send").click()
    expect(page.locator("#replay-practice-notice")).to_contain_text("is not one of your answers")
    expect(page.locator("#replay-redo-answer textarea")).to_have_value(AGAIN)  # nothing typed is lost
    page.locator("#replay-turn input").fill("3")
    page.locator("#replay-go").click()
    expect(page.locator("#replay")).to_contain_text("Turn 3 of")
    page.locator("#replay-redo-send").click()
    expect(page.locator("#replay-practice-notice")).to_contain_text("both attempts are kept")
    replay_card = page.locator("#replay .rt-attempts-card")
    expect(replay_card).to_contain_text("Latest (attempt 3)")
    expect(replay_card.locator(".rt-attempt")).to_have_count(2)
    expect(page.locator("#replay .rt-replay-left")).to_contain_text("pages per week fell from 30 to 11")

    # The question on screen, drilled on its own.
    page.locator("#replay-drill").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")
    expect(page.locator("#chat")).to_contain_text("This is a drill")
    expect(page.locator('#chat [data-testid="bot"]').nth(1)).to_contain_text(question[-50:])


def test_drill_what_went_worst_then_run_it_again(page: Page) -> None:
    start_one_interviewer(page)
    send_answer(page, STRONG)
    end_interviewer(page)
    expect(page.locator("#drill-suggestion")).to_contain_text("What went worst:")
    worst = page.locator("#drill-suggestion strong").inner_text()

    page.locator("#drill-weakest").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")
    expect(page.locator("#chat")).to_contain_text("This is a drill")
    answer_until_over(page, AGAIN)
    expect(page.locator("#chat")).not_to_contain_text("What questions do you have")
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#drill-suggestion")).to_contain_text(f"This was a drill of {worst}")
    expect(page.locator("#drill-weakest")).to_be_disabled()

    page.locator("#drill-again").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")
    expect(page.locator("#chat")).to_contain_text("This is a drill")
    page.get_by_role("tab", name="Replay").click()
    page.locator("#refresh").click()
    expect(page.locator("#sessions")).to_contain_text(re.compile(r"Drill \(.+\): Senior Backend Engineer"))


def test_a_drill_of_one_typed_question_from_the_setup_tab(page: Page) -> None:
    question = "Tell me about a release you had to roll back <b>fast</b>."
    expect(page.locator("#job-title textarea, #job-title input").first).not_to_have_value("")
    page.locator("#setup-drill-fold").click()
    page.locator("#setup-drill-start").click()
    expect(page.locator("#setup-drill-notice")).to_contain_text("Pick a competency, or type a question")
    page.locator("#setup-drill-question textarea, #setup-drill-question input").first.fill(question)
    page.locator("#setup-drill-start").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 1")
    asked = page.locator('#chat [data-testid="bot"]').nth(1)
    expect(asked).to_contain_text(question)  # exactly as typed, markup shown as text
    answer_until_over(page, STRONG)
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#drill-suggestion")).to_contain_text(f"This was a drill of “{question}”")
    expect(page.locator("#drill-again")).to_be_visible()
