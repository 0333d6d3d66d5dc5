"""The page in a real browser: Debian's Chromium, headless, driven by Playwright.

One server (a subprocess of `app.py` on a free port, its data in a temporary ROUNDTWO_HOME) and
one browser for the module; each test opens its own browser context, like a separate visitor.
Screenshots land in tests/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from page_server import running_app
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
WAIT_MS = 15_000
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
# Answers for the example job; the first retells a round-one story with the team grown from 5 to 12.
STORIES = [
    "At Harbourline I'm the tech lead of a team of 12 engineers. Last year our tracking API's p95 latency "
    "was around 800 milliseconds at peak, because the events table had grown past a billion rows. I proposed "
    "monthly partitions, wrote the migration plan and rewrote the six hottest queries myself. We cut over with "
    "no downtime in October 2023 and p95 fell by 30%, to about 560 milliseconds.",
    "When a teammate's design review stalled for two weeks, I set up a thirty-minute session with both "
    "reviewers, wrote down the two options and their costs, and we agreed on one that day. The feature "
    "shipped a sprint later and the review template I wrote is still used by the team.",
    "In 2022 our on-call load doubled after a reorganisation. I collected three months of pages, showed that "
    "40% came from two noisy alerts, and fixed them with the owning team. Pages per week dropped from 30 to 11.",
    "Our support lead kept escalating the same billing bug. I sat with her team for a morning, found the "
    "reproduction they all knew, and fixed it; escalations on that topic went from weekly to zero.",
]
# A note the user wrote to the first interviewer, naming what the browser test told her.
OWN_NOTE = (
    "Hi Renata,\n\nThank you for your time today. I enjoyed telling you how p95 latency fell from 800 to "
    "120 milliseconds after we moved our events store to partitioned Postgres. I am still very interested "
    "in the role and glad to follow up on anything that helps.\n\nBest regards,\nSam"
)
STATUS = "#status .rt-status"  # the line itself, without Gradio's progress overlay
PERSONA_IDS = ("hiring_manager", "team_member", "skip_level", "cross_functional")

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("page-home")
    with running_app(home) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(
        timeout=WAIT_MS
    )  # a ceiling for two busy cores (grading can take seconds), not a measure
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    expect.set_options(timeout=5_000)


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(server)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# ---------------------------------------------------------------- driving the page


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def set_panel(page: Page, minutes: int = 3, only: tuple[str, ...] = PERSONA_IDS) -> None:
    for persona_id in PERSONA_IDS:
        box = page.locator(f"#panel-{persona_id} input[type=checkbox]")
        if box.is_checked() != (persona_id in only):
            box.click()
        page.locator(f"#minutes-{persona_id} input").fill(str(minutes))


def start(
    page: Page, title: str | None = None, minutes: int = 3, only: tuple[str, ...] = PERSONA_IDS
) -> None:
    expect(page.locator("#job-title textarea, #job-title input").first).not_to_have_value("")
    if title:
        page.locator("#job-title textarea, #job-title input").first.fill(title)
    set_panel(page, minutes, only)
    page.locator("#start").click()
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of", timeout=WAIT_MS)


def answer_box(page: Page) -> Locator:
    return page.locator("#answer textarea")


def send_answer(page: Page, text: str) -> None:
    """Type an answer and press Enter, as a user does; wait until it shows in the chat, graded."""
    users_before = page.locator('#chat [data-testid="user"]').count()
    answer_box(page).fill(text)
    answer_box(page).press("Enter")
    expect(page.locator('#chat [data-testid="user"]')).to_have_count(users_before + 1)


def finish_loop(page: Page, answers: list[str] | None = None) -> None:
    """Give each interviewer one answer (while answers last), then end them early, until the loop is over."""
    queue = list(answers or [])
    for _ in range(8):
        status = page.locator(STATUS).text_content() or ""  # the Feedback tab may already be in front
        if "The loop is over" in status:
            return
        if queue and "is asking you" in status:
            send_answer(page, queue.pop(0))
        progress = page.locator(STATUS).text_content() or ""
        page.locator("#end-interviewer").click()
        expect(page.locator(STATUS)).not_to_have_text(progress)
    raise AssertionError("the loop did not end")


def open_fold(page: Page, label: str) -> None:
    """Open one of the Feedback tab's folds (Gradio draws a fold's content once it opens)."""
    page.locator("#feedback").get_by_text(label, exact=True).click()


def chat_text(page: Page) -> str:
    return page.locator("#chat").inner_text()


# ---------------------------------------------------------------- tests


def test_a_whole_round_from_setup_to_feedback_and_replay(page: Page) -> None:
    shot(page, "1-setup")
    start(page, minutes=10)
    chat = page.locator("#chat")
    first_bot = page.locator('#chat [data-testid="bot"]').first
    expect(first_bot.locator(".rt-name")).not_to_be_empty()
    expect(first_bot.locator(".rt-avatar")).to_have_text(re.compile(r"^[A-Z]{1,2}$"))
    expect(page.locator(STATUS)).to_contain_text("of 10 min")

    # Shift+Enter is a new line; Enter sends.
    answer_box(page).fill("In 2023 I led the migration of our events store to partitioned Postgres.")
    answer_box(page).press("Shift+Enter")
    answer_box(page).type("I planned it, and p95 latency fell from 800 to 120 milliseconds.")
    assert "\n" in answer_box(page).input_value()
    answer_box(page).press("Enter")
    expect(answer_box(page)).to_have_value("")
    expect(chat.locator('[data-testid="user"]')).to_contain_text("p95 latency fell")
    expect(chat.locator(".rt-badge")).to_have_count(0)  # grades stay hidden unless coaching is on
    shot(page, "2-interview")

    page.locator("#move-on").click()
    expect(chat).to_contain_text("I'd like to move on.")
    finish_loop(page, STORIES)
    expect(chat.locator(".rt-divider")).to_have_count(3)  # three hand-offs, four interviewers
    expect(page.locator(STATUS)).to_contain_text("The loop is over")

    # The Feedback tab opens by itself at the end: the summary first, the rest folded below.
    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    expect(page.locator("#feedback-summary .rt-verdict-list li")).to_have_count(4)
    for fold in (
        "Scorecards and STAR chart",
        "Why each interviewer decided",
        "Round one, finding by finding",
    ):
        open_fold(page, fold)
    open_fold(page, "Second-round checklist")
    open_fold(page, "Thank-you notes")
    expect(page.locator("#scorecards .rt-card")).to_have_count(4)
    expect(page.locator("#debrief .rt-verdict")).to_have_count(4)
    expect(page.locator("#consistency")).not_to_be_empty()
    expect(page.locator("#checklist li").first).to_be_visible()
    expect(page.locator("#thank-you textarea")).not_to_have_value("")

    # The user's own note to the first interviewer is checked, and the checklist counts it.
    thank_you_item = page.locator("#checklist .rt-checklist > li", has_text="Thank-you notes sent")
    expect(thank_you_item).not_to_contain_text("Note to")
    page.locator("#thank-you-note textarea").fill(OWN_NOTE)
    page.locator("#thank-you-hours input").fill("3")
    page.locator("#thank-you-check").click()
    result = page.locator("#thank-you-result")
    expect(result).to_contain_text("Your note to Renata Okafor")
    expect(result).to_contain_text(re.compile(r"Specific \(passed\): names things from your conversation"))
    expect(result).to_contain_text("Timely (passed): sent 3 hours after the interview")
    expect(thank_you_item).to_contain_text("Note to Renata Okafor")
    with page.expect_download() as download_info:
        page.locator("#download-md").click()
    report = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Quillstone" in report
    with page.expect_download() as download_info:
        page.locator("#download-json").click()
    exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "roundtwo.session"
    shot(page, "3-feedback")

    tab(page, "Replay")
    page.locator("#refresh").click()
    expect(page.locator("#sessions")).to_contain_text("Senior Backend Engineer at Quillstone")
    page.locator('#sessions [data-testid="cell-0-0"]').click()
    expect(page.locator("#replay-pick input")).not_to_have_value("")
    page.locator("#open").click()
    expect(page.locator("#replay")).to_contain_text("Turn 1 of")
    for number in range(2, 5):  # a click while the last step is drawing is ignored (Gradio's "once")
        page.locator("#replay-next").click()
        expect(page.locator("#replay")).to_contain_text(f"Turn {number} of")
    page.locator("#replay-prev").click()
    expect(page.locator("#replay")).to_contain_text("Turn 3 of")
    page.locator("#regrade").click()
    expect(page.locator("#regrade-diff")).to_contain_text("Re-graded")
    shot(page, "4-replay")

    # A reload after the end brings the same session's feedback back.
    page.reload()
    expect(page.locator("#feedback-summary .rt-verdict-list li")).to_have_count(4)


def test_two_visitors_at_once_never_see_each_other(browser: Browser, server: str) -> None:
    pages = []
    for _ in range(2):
        context = browser.new_context()
        p = context.new_page()
        p.set_default_timeout(WAIT_MS)
        p.goto(server)
        pages.append(p)
    alpha, bravo = pages
    start(alpha, "Staff Engineer Alpha", minutes=30)
    start(bravo, "Data Analyst Bravo", minutes=30)
    send_answer(alpha, "Alpha answer: I rebuilt the deploy pipeline in 2021.")
    send_answer(bravo, "Bravo answer: I built the churn dashboard last spring.")
    assert "Alpha answer" in chat_text(alpha) and "Bravo answer" not in chat_text(alpha)
    assert "Bravo answer" in chat_text(bravo) and "Alpha answer" not in chat_text(bravo)
    alpha.locator("#end-loop").click()
    alpha.locator("#confirm-end-loop").click()
    expect(alpha.locator(STATUS)).to_contain_text("The loop is over")
    expect(bravo.locator(STATUS)).not_to_contain_text("The loop is over")
    send_answer(bravo, "Bravo again: still mine.")
    assert "Alpha" not in chat_text(bravo)
    for p in pages:
        p.context.close()


def test_a_reload_loses_nothing_and_the_session_resumes_from_replay(
    browser: Browser, page: Page, server: str
) -> None:
    start(page, "Platform Engineer Resume", minutes=30)
    send_answer(page, "Before the reload: I cut cloud costs by 30% in 2022.")
    page.reload()
    expect(page.locator("#chat")).to_contain_text("Before the reload", timeout=WAIT_MS)
    expect(page.locator(STATUS)).to_contain_text("interviewer 1 of 4")

    # A new visitor (no session in the address) resumes it from Replay.
    context = browser.new_context()
    other = context.new_page()
    other.set_default_timeout(WAIT_MS)
    other.goto(server)
    tab(other, "Replay")
    other.locator("#search textarea, #search input").first.fill("Platform Engineer Resume")
    other.locator("#search textarea, #search input").first.press("Enter")
    expect(other.locator("#sessions .virtual-row")).to_have_count(1)
    expect(other.locator("#sessions")).to_contain_text("in progress")
    other.locator('#sessions [data-testid="cell-0-0"]').click()
    other.locator("#resume").click()
    expect(other.locator("#chat")).to_contain_text("Before the reload")
    send_answer(other, "After resuming: the rest of the story.")
    expect(other.locator("#chat")).to_contain_text("After resuming")
    shot(other, "5-resumed")
    context.close()


def test_hostile_text_is_shown_inert(page: Page, tmp_path: Path) -> None:
    start(page, "Hostile Text Engineer", minutes=30)
    page.locator("#coaching input[type=checkbox]").check()
    send_answer(page, f"My answer {HOSTILE_SCRIPT} and {HOSTILE_IMG} end.")
    expect(page.locator("#chat .rt-coach")).to_have_count(1)  # coaching mode: the feedback shows at once
    chat = page.locator("#chat")
    expect(chat).to_contain_text(HOSTILE_SCRIPT)
    expect(chat).to_contain_text(HOSTILE_IMG)
    assert page.evaluate("() => window.__pwned") is None
    assert chat.locator("img[src=x]").count() == 0

    # An imported session carrying markup in its job and answers is inert in the list and replay.
    page.locator("#end-loop").click()
    page.locator("#confirm-end-loop").click()
    expect(page.locator(STATUS)).to_contain_text("The loop is over")
    session_id = page.evaluate("() => new URL(location.href).searchParams.get('session')")
    exported = json.loads(Path(_download(page)).read_text(encoding="utf-8"))
    exported["session"]["id"] = session_id + "x"
    exported["session"]["job"]["title"] = f"Evil {HOSTILE_IMG}"
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(exported), encoding="utf-8")
    tab(page, "Replay")
    page.get_by_text("Import a session (JSON)").click()
    page.locator("#import-file input[type=file]").set_input_files(str(evil))
    expect(page.locator("#replay-notice")).to_contain_text("Imported as session")
    expect(page.locator("#sessions")).to_contain_text(f"Evil {HOSTILE_IMG}")
    page.locator("#open").click()
    expect(page.locator("#replay")).to_contain_text("Turn 1 of")
    for _ in range(4):
        page.locator("#replay-next").click()
    assert page.evaluate("() => window.__pwned") is None
    shot(page, "6-hostile")

    # Deleting asks first; "Keep it" keeps it.
    page.locator("#delete").click()
    expect(page.locator("#confirm-text")).to_contain_text(f"Evil {HOSTILE_IMG}")
    page.locator("#cancel-delete").click()
    expect(page.locator("#confirm-delete")).to_be_hidden()
    expect(page.locator("#sessions")).to_contain_text("Evil")
    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    expect(page.locator("#replay-notice")).to_contain_text("Deleted session")
    expect(page.locator("#sessions")).not_to_contain_text("Evil")

    # A bad import is one line, not a crash.
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "roundtwo.session", "version": 1, "session": {', encoding="utf-8")
    page.locator("#import-file input[type=file]").set_input_files(str(broken))
    expect(page.locator("#replay-notice")).to_contain_text("broken.json: invalid JSON")


def _download(page: Page) -> str:
    with page.expect_download() as info:
        page.locator("#download-json").click()
    return str(info.value.path())


def test_limits_are_messages_not_crashes(page: Page) -> None:
    page.locator("#round-one textarea").fill("x" * 210_000)
    page.locator("#start").click()
    expect(page.locator("#setup-notice")).to_contain_text("the limit is 200 KB")
    page.locator("#round-one textarea").fill("Q: Team size?\nA: Five engineers.")
    expect(page.locator("#round-one-summary")).to_contain_text("Round one: 1 question with answers")
    start(page, "Limits Engineer", minutes=30)
    long_answer = "word " * 2_600
    answer_box(page).fill(long_answer)
    page.locator("#send").click()
    expect(page.locator("#notice")).to_contain_text("the limit is 2,500")
    assert answer_box(page).input_value() == long_answer  # nothing the user typed is thrown away


def test_an_unavailable_engine_is_one_line(page: Page) -> None:
    expect(page.locator("#engine-summary")).to_have_text("offline: no tokens, no cost")
    expect(page.locator("#engine-model")).to_be_hidden()
    page.locator("#engine input").click()
    page.get_by_role("option", name="openai").click()
    # No key in the environment: the reason shows before starting. The one key field is the
    # visitor's own (for their own base URL): masked, and empty (the server's key is never shown).
    expect(page.locator("#engine-summary")).to_contain_text("engine 'openai' needs OPENAI_API_KEY")
    expect(page.locator("#engine-model")).to_be_visible()
    expect(page.locator("#engine-base-url")).to_be_visible()
    expect(page.locator("#engine-settings input[type=password]")).to_have_count(1)
    expect(page.locator("#engine-api-key input[type=password]")).to_have_value("")
    page.locator("#start").click()
    expect(page.locator("#setup-notice")).to_contain_text("engine 'openai'")
    expect(page.get_by_role("tab", name="Setup")).to_have_attribute("aria-selected", "true")
