"""Setup and Interview safeguards in headless Chromium: what Setup remembers across a reload, the
confirm step before ending the loop, a stale second tab, grades hidden unless coaching, the
timeout field, streaming from the first line on Start, and the polish an assistive reader needs.

Each test opens its own browser context (its own localStorage), as a separate visitor would.
"""

from __future__ import annotations

import re

import pytest
import test_ui_browser as ui
from fake_openai_server import FakeOpenAIServer
from held_events import HeldEvents
from playwright.sync_api import Locator, Page, expect

from simulator.engines.settings import EngineSettings
from simulator.view_revision import STALE_LINE

# One server and one browser for this module, as the page tests start them.
server = ui.server
browser = ui.browser
page = ui.page
pytestmark = pytest.mark.browser
# A ceiling, not a measure: grading a long answer on two busy cores can take a while.
expect.set_options(timeout=60_000)

STREAMED_INTRO = (
    "Thanks for coming back in today. I have read your notes from the first round and I would like "
    "to start with the project you are proudest of this year."
)
VISITOR_KEY = "sk-visitor-typed-key-0042"


def field(page: Page, elem_id: str) -> Locator:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def choose_engine(page: Page, name: str) -> None:
    page.locator("#engine input").click()
    page.get_by_role("option", name=name).click()


def end_loop(page: Page) -> None:
    page.locator("#end-loop").click()
    page.locator("#confirm-end-loop").click()
    expect(page.locator(ui.STATUS)).to_contain_text("The loop is over")


# ---------------------------------------------------------------- Setup remembers


def test_setup_survives_a_reload_and_never_keeps_the_key(page: Page) -> None:
    choose_engine(page, "openai")
    field(page, "engine-model").fill("my-model")
    field(page, "engine-base-url").fill("http://127.0.0.1:9/v1")
    field(page, "engine-api-key").fill(VISITOR_KEY)
    field(page, "engine-timeout").fill("45")
    ui.tab(page, "Interview")
    page.locator("#coaching input[type=checkbox]").check()
    ui.tab(page, "Setup")
    field(page, "job-company").fill("Tallow & Finch")
    field(page, "job-level").fill("Mid")
    field(page, "job-description").fill("Own the weekly revenue dashboard with SQL and dbt.")
    field(page, "research-notes").fill("Moved the warehouse to BigQuery in 2024.")
    field(page, "job-title").fill("Analytics Engineer Memory")
    # The line under the job says what this browser keeps; it shows the last edit once it is kept.
    kept = page.locator("#setup-memory")
    expect(kept).to_contain_text("Analytics Engineer Memory at Tallow & Finch")
    expect(kept).to_contain_text("coaching on")
    expect(kept).to_contain_text("never your API key")

    page.reload()
    expect(field(page, "job-title")).to_have_value("Analytics Engineer Memory")
    expect(field(page, "job-company")).to_have_value("Tallow & Finch")
    expect(field(page, "job-level")).to_have_value("Mid")
    expect(field(page, "job-description")).to_have_value("Own the weekly revenue dashboard with SQL and dbt.")
    expect(field(page, "research-notes")).to_have_value("Moved the warehouse to BigQuery in 2024.")
    expect(page.locator("#engine input")).to_have_value("openai")
    expect(field(page, "engine-model")).to_have_value("my-model")
    expect(field(page, "engine-base-url")).to_have_value("http://127.0.0.1:9/v1")
    expect(field(page, "engine-timeout")).to_have_value("45")
    expect(field(page, "engine-api-key")).to_have_value("")  # typed again each visit, never kept
    assert VISITOR_KEY not in page.evaluate("() => JSON.stringify(window.localStorage)")
    ui.tab(page, "Interview")
    expect(page.locator("#coaching input[type=checkbox]")).to_be_checked()


def test_what_is_typed_before_the_remembered_setup_comes_back_is_kept(page: Page) -> None:
    """The last setup comes back from the server after the page is usable; on a busy machine a
    visitor can type first. Here it is held until they have, so it always comes back late: it fills
    only the fields they have not touched."""
    field(page, "job-title").fill("Remembered Title Engineer")
    field(page, "job-company").fill("Remembered & Co")
    expect(page.locator("#setup-memory")).to_contain_text("Remembered Title Engineer at Remembered & Co")
    slow_restore = HeldEvents(page, "job-pick")  # the page's first fill of the reuse picker brings it
    page.reload()
    field(page, "job-title").fill("Typed Before It Came Back")
    slow_restore.release()
    expect(field(page, "job-company")).to_have_value("Remembered & Co")  # it has come back
    expect(field(page, "job-title")).to_have_value("Typed Before It Came Back")
    expect(page.locator("#setup-memory")).to_contain_text("Typed Before It Came Back at Remembered & Co")
    page.locator("#start").click()  # Start reads what the form shows
    expect(page.locator("#chat")).to_be_visible()
    expect(page.locator(ui.STATUS)).to_contain_text("interviewer 1 of")
    page.reload()  # and that is what this browser keeps now
    expect(field(page, "job-title")).to_have_value("Typed Before It Came Back")
    expect(field(page, "job-company")).to_have_value("Remembered & Co")


def test_a_saved_profile_and_an_earlier_sessions_job_fill_the_job(page: Page) -> None:
    # An earlier session of another job, run to its end.
    field(page, "job-description").fill("Build the booking API on PostgreSQL and Kafka.")
    field(page, "research-notes").fill("Launched Dockside in 2024.")
    ui.start(page, "Earlier Job Engineer", minutes=30)
    end_loop(page)
    ui.tab(page, "Setup")

    field(page, "job-company").fill("Tallow & Finch")
    field(page, "job-description").fill("Own the weekly revenue dashboard with SQL and dbt.")
    field(page, "job-title").fill("Profiled Analyst")
    field(page, "profile-name").fill("Tallow analyst")
    page.locator("#save-profile").click()
    expect(page.locator("#profile-notice")).to_contain_text("Saved the profile “Tallow analyst”")

    page.goto(page.url.split("?")[0])  # a new visit from this browser: profiles outlive the page
    picker = page.locator("#job-pick input")
    picker.click()
    page.get_by_role("option", name=re.compile("Earlier Job Engineer")).click()
    expect(field(page, "job-title")).to_have_value("Earlier Job Engineer")
    expect(field(page, "job-description")).to_have_value("Build the booking API on PostgreSQL and Kafka.")
    expect(field(page, "research-notes")).to_have_value("Launched Dockside in 2024.")

    picker.click()
    page.get_by_role("option", name="Profile: Tallow analyst").click()
    expect(field(page, "job-title")).to_have_value("Profiled Analyst")
    expect(field(page, "job-company")).to_have_value("Tallow & Finch")
    page.locator("#delete-profile").click()
    expect(page.locator("#profile-notice")).to_contain_text("Deleted the profile “Tallow analyst”")
    picker.click()
    expect(page.get_by_role("option", name="Profile: Tallow analyst")).to_have_count(0)


# ---------------------------------------------------------------- the interview's safeguards


def test_ending_the_loop_asks_first(page: Page) -> None:
    ui.start(page, "Confirm End Engineer", minutes=30)
    page.locator("#end-loop").click()
    confirm = page.locator("#confirm-end-loop")
    expect(confirm).to_be_visible()
    expect(page.locator("#end-loop-question")).to_contain_text("End the whole loop now?")
    page.locator("#cancel-end-loop").click()
    expect(confirm).to_be_hidden()
    expect(page.locator(ui.STATUS)).to_contain_text("interviewer 1 of 4")
    ui.send_answer(page, "I cut our cloud bill by 30% in 2022 by rightsizing the clusters myself.")
    expect(page.locator(ui.STATUS)).not_to_contain_text("The loop is over")
    end_loop(page)
    expect(confirm).to_be_hidden()


def test_a_second_tab_on_the_same_session_is_told_it_is_stale(page: Page) -> None:
    ui.start(page, "Stale Tab Engineer", minutes=30)
    expect(page).to_have_url(re.compile(r"session="))
    second = page.context.new_page()
    second.set_default_timeout(ui.WAIT_MS)
    second.goto(page.url)
    expect(second.locator(ui.STATUS)).to_contain_text("interviewer 1 of 4")
    ui.send_answer(second, "From the second tab: I rebuilt the deploy pipeline in 2021.")

    typed = "From the first tab, which has not seen that answer."
    ui.answer_box(page).fill(typed)
    ui.answer_box(page).press("Enter")
    expect(page.locator("#notice")).to_have_text(STALE_LINE)
    expect(ui.answer_box(page)).to_have_value(typed)  # nothing typed is lost
    assert typed not in ui.chat_text(second)
    page.locator("#end-loop").click()
    page.locator("#confirm-end-loop").click()
    expect(page.locator("#notice")).to_have_text(STALE_LINE)
    expect(second.locator(ui.STATUS)).not_to_contain_text("The loop is over")

    page.reload()
    expect(page.locator("#chat")).to_contain_text("From the second tab")
    ui.send_answer(page, typed)
    expect(page.locator("#notice")).to_have_text("")
    second.close()


def test_a_reload_carries_on_without_pulling_back_a_visitor_who_went_elsewhere(page: Page) -> None:
    """A reload of a running session carries on in the Interview tab, and the page opens on Setup
    until the server has found the session. A visitor who has gone to another tab by then stays
    there: the session is held until they have."""
    ui.start(page, "Reload Carry On Engineer", minutes=30)
    expect(page).to_have_url(re.compile(r"session="))
    slow_carry_on = HeldEvents(page, "status")  # carrying on draws the Interview tab's status line
    page.reload()
    ui.tab(page, "Interview")  # drawn once (empty yet), so its status says when the session is back
    ui.tab(page, "Replay")
    slow_carry_on.release()
    expect(page.locator(ui.STATUS)).to_contain_text("interviewer 1 of")  # it is back
    search = field(page, "search")  # still on Replay: its search is there to use, and answers
    search.fill("Reload Carry On")
    search.press("Enter")
    expect(page.locator("#sessions")).to_contain_text("Reload Carry On Engineer")
    expect(page.get_by_role("tab", name="Replay")).to_have_attribute("aria-selected", "true")
    page.reload()  # a visitor still on Setup is taken to the interview, as before
    ui.send_answer(page, "I rebuilt our deploy pipeline in 2021 and cut release time by half.")


def test_grade_badges_hide_during_the_interview_unless_coaching(page: Page) -> None:
    ui.start(page, "Hidden Badges Engineer", minutes=30)
    ui.send_answer(page, ui.STORIES[0])
    chat = page.locator("#chat")
    expect(chat).to_contain_text("tech lead of a team of 12")
    expect(chat.locator(".rt-badge")).to_have_count(0)
    page.locator("#coaching input[type=checkbox]").check()
    expect(chat.locator(".rt-badge").first).to_contain_text(re.compile(r"graded"))
    expect(chat.locator(".rt-coach")).to_have_count(1)
    page.locator("#coaching input[type=checkbox]").uncheck()
    expect(chat.locator(".rt-badge")).to_have_count(0)
    ui.send_answer(page, ui.STORIES[1])
    expect(chat.locator(".rt-badge")).to_have_count(0)


# ---------------------------------------------------------------- model calls on the page


def test_the_timeout_field_is_checked_like_the_cli_and_used(page: Page) -> None:
    with FakeOpenAIServer("hang") as fake:
        choose_engine(page, "openai")
        timeout = field(page, "engine-timeout")
        expect(timeout).to_have_value(f"{EngineSettings.from_env().timeout:g}")  # ROUNDTWO_TIMEOUT or 20
        field(page, "engine-model").fill("fake-model")
        field(page, "engine-base-url").fill(fake.base_url)
        timeout.fill("0")
        page.locator("#start").click()
        expect(page.locator("#setup-notice")).to_contain_text(
            "timeout 0.0 must be more than 0 and at most 600 seconds"  # the CLI's --timeout 0 line
        )
        timeout.fill("1")
        expect(page.locator("#engine-summary")).to_contain_text("1s a call at most")
        ui.start(page, "Timeout Field Engineer", minutes=30)
        # The endpoint never answers: the first line falls back and says it waited the field's second.
        expect(page.locator("#chat .rt-turn-note").first).to_contain_text("within 1s")


def test_start_streams_the_first_interviewer_line(page: Page) -> None:
    with FakeOpenAIServer("slow-stream", text=STREAMED_INTRO, trickle_seconds=0.25) as fake:
        choose_engine(page, "openai")
        field(page, "engine-model").fill("fake-model")
        field(page, "engine-base-url").fill(fake.base_url)
        field(page, "job-title").fill("Streaming Start Engineer")
        ui.set_panel(page, minutes=30)
        page.locator("#start").click()
        # The Interview tab shows the line while it is still being spoken, before Start has finished.
        live = page.locator("#chat .rt-streaming")
        expect(live).to_be_visible()
        expect(live).to_contain_text("speaking…")
        expect(live).to_contain_text("Thanks for coming back")
        expect(page.locator(ui.STATUS)).to_contain_text("interviewer 1 of 4", timeout=60_000)
        expect(live).to_have_count(0)


# ---------------------------------------------------------------- polish and access

# Every character of a chat header or status line that starts a new line: a "·" there is stray.
STRAY_SEPARATORS_JS = """(selector) => {
  const stray = [];
  for (const box of document.querySelectorAll(selector)) {
    for (const el of box.querySelectorAll('*')) {
      if (getComputedStyle(el, '::before').content.includes('·')) stray.push('::before in ' + box.innerText);
    }
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let previousTop = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.width && !rect.height) continue;
        if (node.data[i] === '·' && previousTop !== null && rect.top > previousTop + 2) stray.push(box.innerText);
        previousTop = rect.top;
      }
    }
  }
  return stray;
}"""

# What the page's live regions announce, kept as it changes.
RECORD_ANNOUNCEMENTS_JS = """() => {
  window.__announced = [];
  const seen = () => document.querySelectorAll('[aria-live]').forEach((el) => {
    const text = (el.textContent || '').trim();
    if (text && el.closest('#chat') === null) window.__announced.push(text);
  });
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_no_stray_separators_ligatures_or_markup_reach_the_reader(page: Page) -> None:
    # A value out of range is one line under Start, not a pile of toasts.
    field(page, "minutes-hiring_manager").fill("200")
    page.locator("#start").click()
    expect(page.locator("#setup-notice")).to_contain_text("minutes must be between 3 and 120")
    field(page, "minutes-hiring_manager").fill("1")
    page.locator("#start").click()
    expect(page.locator("#setup-notice")).to_contain_text("minutes must be between 3 and 120")
    expect(page.locator('[data-testid="toast-body"]')).to_have_count(0)
    # "offline" is drawn letter by letter: no ligature joins its "ffl".
    for where in ("#engine-summary", "#job-title textarea"):
        assert "no-common-ligatures" in page.locator(where).first.evaluate(
            "(el) => getComputedStyle(el).fontVariantLigatures"
        )

    page.evaluate(RECORD_ANNOUNCEMENTS_JS)
    ui.start(page, "Accessible Names Engineer", minutes=30)
    ui.send_answer(page, ui.STORIES[2])
    # Each chat message is named by its words, not its markup.
    names = page.locator("#chat [aria-label]").evaluate_all(
        "(els) => els.map((el) => el.getAttribute('aria-label'))"
    )
    messages = [n for n in names if "tech lead" in n.lower() or "on-call" in n.lower() or "Okafor" in n]
    assert messages, names
    for name in names:
        assert "<" not in name and "rt-" not in name and "&lt;" not in name, name
    # The status announcer speaks words, never a translation key such as "common.complete".
    page.wait_for_function("() => window.__announced.includes('Done')", timeout=ui.WAIT_MS)
    announced = page.evaluate("() => window.__announced")
    assert not [a for a in announced if re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", a)], announced

    # On a phone, a wrapped header starts its second line with words, not with a separator.
    page.set_viewport_size({"width": 360, "height": 800})
    expect(page.locator("#chat .rt-speaker").first).to_be_visible()
    assert page.evaluate(STRAY_SEPARATORS_JS, "#chat .rt-speaker, #status .rt-status") == []
