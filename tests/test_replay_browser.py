"""The Replay tab in a real browser: the list follows what happens (a round ending, an import, a
delete), a long session can be entered at any turn or interviewer, an imported copy says so, an
empty search says why, and the delete prompt names the session it would delete.

The page runs as a user runs it (tests/page_server.py). Its store is seeded before it starts with
sessions built turn by turn the way the orchestrator records them (tests/session_factory.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_ui_browser as ui
from held_events import HeldEvents
from page_server import running_app
from playwright.sync_api import Browser, Page, expect
from session_factory import strong_session

from simulator.models import Session
from simulator.session_json import dump_session
from simulator.store import Store

browser = ui.browser  # one Chromium for the module, as the page tests start it
pytestmark = pytest.mark.browser

LONG_ID = "a11ce0000001"  # three interviewers, 36 turns
LONG_JOB = "Replay Jump Engineer"
TWIN_IDS = ("7717a0000001", "7717a0000002")  # same job, same day, an hour apart
TWIN_JOB = "Twin Platform Engineer"
TWIN_TIMES = ("2025-05-07 09:15", "2025-05-07 10:15")  # as the list and the delete prompt show them


def titled(session_id: str, title: str, created_at: str = "2025-05-05T10:00:00+00:00") -> Session:
    """A finished three-interviewer session (36 turns) with its own id, job title and start time."""
    session = strong_session()
    job = session.job.model_copy(update={"title": title})
    return session.model_copy(update={"id": session_id, "job": job, "created_at": created_at})


def _seed(home: Path) -> None:
    with Store(home / "sessions.db") as store:
        store.create(titled(LONG_ID, LONG_JOB))
        for session_id, hour in zip(TWIN_IDS, ("09", "10"), strict=True):
            store.create(titled(session_id, TWIN_JOB, f"2025-05-07T{hour}:15:00+00:00"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("replay-home")
    _seed(home)
    with running_app(home) as url:
        yield url


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(ui.WAIT_MS)
    page.goto(server)
    yield page
    context.close()


def sessions_list(page: Page) -> str:
    return page.locator("#sessions").inner_text()


def search(page: Page, text: str) -> None:
    page.locator("#search textarea, #search input").first.fill(text)
    page.locator("#search textarea, #search input").first.press("Enter")


def pick(page: Page, session_id: str) -> None:
    """Pick a session in the list by clicking its row, as a user does."""
    page.locator("#sessions .virtual-row", has_text=session_id).first.locator("[data-testid$='-0']").click()
    expect(page.locator("#replay-pick input")).not_to_have_value("")


def open_session(page: Page, session_id: str, query: str) -> None:
    ui.tab(page, "Replay")
    search(page, query)
    expect(page.locator("#sessions")).to_contain_text(session_id)
    pick(page, session_id)
    page.locator("#open").click()
    expect(page.locator("#replay")).to_contain_text("Turn 1 of")


def import_file(page: Page, path: Path) -> None:
    """Upload a session file through the (folded) "Import a session" section of the Replay tab."""
    field = page.locator("#import-file input[type=file]")
    if not field.count():
        page.get_by_text("Import a session (JSON)").click()
    field.set_input_files(str(path))


def unfold(page: Page, elem_id: str) -> None:
    """Open a dropdown's list (a click on a dropdown that already has focus would not)."""
    field = page.locator(f"#{elem_id} input")
    field.blur()
    field.click()
    expect(page.locator(f"#{elem_id} [role=option]").first).to_be_visible()


def dropdown_options(page: Page, elem_id: str) -> list[str]:
    unfold(page, elem_id)
    texts = page.locator(f"#{elem_id} [role=option]").all_inner_texts()
    page.keyboard.press("Escape")
    return texts


# ---------------------------------------------------------------- (a) the list follows what happens


def test_the_list_shows_a_round_the_moment_it_ends(page: Page) -> None:
    ui.tab(page, "Replay")
    expect(page.locator("#sessions")).to_contain_text(LONG_JOB)  # the list as the page opened
    ui.tab(page, "Setup")
    # Typed and checked before Start: if the list later lacks it, the Setup form lost it, not the list.
    title = page.locator("#job-title textarea, #job-title input").first
    title.fill("Freshly Ended Analyst")
    expect(title).to_have_value("Freshly Ended Analyst")
    expect(page.locator("#job-pick input")).to_have_value("")  # no earlier job picked over it
    ui.start(page, only=("team_member",))
    expect(title).to_have_value("Freshly Ended Analyst")
    page.locator("#end-interviewer").click()
    expect(page.locator(ui.STATUS)).to_contain_text("The loop is over")
    ui.tab(page, "Replay")
    expect(page.locator("#sessions")).to_contain_text("Freshly Ended Analyst")
    assert "Freshly Ended Analyst" in " ".join(dropdown_options(page, "replay-pick"))


def test_a_visitor_who_leaves_before_the_feedback_lands_is_not_pulled_back(page: Page) -> None:
    """The Feedback tab opens itself when a round ends, but only for a visitor still on the
    Interview tab. Under load it used to land after the visitor had gone to Replay, and pulled them
    to Feedback (the list they were reading then hidden). Here the feedback is held until the
    visitor is on Replay, so it lands late every time."""
    ui.tab(page, "Feedback")  # drawn once, so its heading is there to say when the feedback has landed
    ui.tab(page, "Setup")
    page.locator("#job-title textarea, #job-title input").first.fill("Late Feedback Analyst")
    ui.start(page, only=("team_member",))
    slow_feedback = HeldEvents(page, "feedback-heading")
    page.locator("#end-interviewer").click()
    expect(page.locator(ui.STATUS)).to_contain_text("The loop is over")
    ui.tab(page, "Replay")
    expect(page.locator("#sessions")).to_contain_text("Late Feedback Analyst")
    slow_feedback.release()
    expect(page.locator("#feedback-heading")).to_contain_text("Late Feedback Analyst")  # it has landed
    # Still on Replay: the search field is there to use, and the list answers it.
    search(page, "Late Feedback")
    expect(page.locator("#sessions")).not_to_contain_text(TWIN_JOB)
    expect(page.locator("#sessions")).to_contain_text("Late Feedback Analyst")
    expect(page.get_by_role("tab", name="Replay")).to_have_attribute("aria-selected", "true")


def test_an_import_is_listed_even_after_a_search_that_would_hide_it(page: Page, tmp_path: Path) -> None:
    ui.tab(page, "Replay")
    search(page, "nothing is called this")
    expect(page.locator("#sessions-note")).to_contain_text("No sessions match")
    exported = tmp_path / "from-a-friend.json"
    exported.write_text(dump_session(titled("1a9f0e000001", "Shared Copy Lead")), encoding="utf-8")
    import_file(page, exported)
    expect(page.locator("#replay-notice")).to_contain_text("Imported as session")
    expect(page.locator("#sessions")).to_contain_text("Shared Copy Lead")
    expect(page.locator("#sessions-note")).to_have_text("")
    expect(page.locator("#search textarea, #search input").first).to_have_value("")
    # The Setup tab's "earlier session" picker lists it too, without a reload.
    ui.tab(page, "Setup")
    assert any("Shared Copy Lead" in o for o in dropdown_options(page, "round-one-session"))


def test_a_deleted_session_leaves_every_list_and_nothing_is_picked_in_its_place(
    page: Page, tmp_path: Path
) -> None:
    file = tmp_path / "soon-deleted.json"
    file.write_text(dump_session(titled("de1e7e000001", "Soon Deleted Designer")), encoding="utf-8")
    ui.tab(page, "Replay")
    import_file(page, file)
    expect(page.locator("#sessions")).to_contain_text("Soon Deleted Designer")
    ui.tab(page, "Setup")
    assert any("Soon Deleted Designer" in o for o in dropdown_options(page, "round-one-session"))
    ui.tab(page, "Replay")
    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    expect(page.locator("#replay-notice")).to_contain_text("Deleted session")
    expect(page.locator("#sessions")).not_to_contain_text("Soon Deleted Designer")
    expect(page.locator("#replay-pick input")).to_have_value("")
    ui.tab(page, "Setup")
    assert not any("Soon Deleted Designer" in o for o in dropdown_options(page, "round-one-session"))


# ---------------------------------------------------------------- (b) jump to a turn or an interviewer


def test_a_long_session_can_be_entered_at_any_turn_or_interviewer(page: Page) -> None:
    open_session(page, LONG_ID, LONG_JOB)
    expect(page.locator("#replay")).to_contain_text("Turn 1 of 36")
    turn = page.locator("#replay-turn input")
    turn.fill("20")
    page.locator("#replay-go").click()
    expect(page.locator("#replay")).to_contain_text("Turn 20 of 36")
    page.locator("#replay-next").click()  # stepping carries on from where the jump landed
    expect(page.locator("#replay")).to_contain_text("Turn 21 of 36")
    expect(turn).to_have_value("21")
    turn.fill("999")  # past the end: the last turn, not an error
    turn.press("Enter")
    expect(page.locator("#replay")).to_contain_text("Turn 36 of 36")

    choices = dropdown_options(page, "replay-interviewer")
    assert len(choices) == 3 and "from turn 15" in choices[1] and "from turn 27" in choices[2]
    unfold(page, "replay-interviewer")
    page.locator("#replay-interviewer [role=option]").nth(1).click()
    expect(page.locator("#replay")).to_contain_text("Turn 15 of 36")
    speaker = choices[1].split(" (from turn")[0]
    expect(page.locator("#replay .rt-replay-turn")).to_contain_text(speaker)


# ---------------------------------------------------------------- (c) an imported copy says so


def test_an_imported_copy_is_labelled_in_the_list_and_when_opened(page: Page, tmp_path: Path) -> None:
    file = tmp_path / "mentor-export.json"
    file.write_text(dump_session(titled("c0b1e5000001", "Labelled Copy Manager")), encoding="utf-8")
    ui.tab(page, "Replay")
    import_file(page, file)
    expect(page.locator("#replay-notice")).to_contain_text("Imported as session")
    row = page.locator("#sessions .virtual-row", has_text="Labelled Copy Manager")
    expect(row).to_contain_text("imported copy")
    # A session run here is not labelled.
    expect(page.locator("#sessions .virtual-row", has_text=LONG_JOB)).not_to_contain_text("imported copy")
    page.locator("#open").click()  # the import picked it
    label = page.locator("#replay .rt-imported")
    expect(label).to_contain_text("Imported copy: read from mentor-export.json")
    page.locator("#replay-next").click()
    expect(page.locator("#replay")).to_contain_text("Turn 2 of")
    expect(label).to_be_visible()  # on every turn, not only the first


# ---------------------------------------------------------------- (d) an empty search says so


def test_a_search_that_matches_nothing_says_so(page: Page) -> None:
    ui.tab(page, "Replay")
    search(page, "xyz")
    expect(page.locator("#sessions-note")).to_have_text(
        "No sessions match 'xyz'. Clear the search to see them all."
    )
    search(page, LONG_JOB)
    expect(page.locator("#sessions")).to_contain_text(LONG_JOB)
    expect(page.locator("#sessions-note")).to_have_text("")


# ---------------------------------------------------------------- (e) the delete prompt names the session


def test_the_delete_prompt_tells_two_sessions_of_one_job_apart(page: Page) -> None:
    ui.tab(page, "Replay")
    search(page, TWIN_JOB)
    expect(page.locator("#sessions .virtual-row", has_text=TWIN_JOB)).to_have_count(2)
    prompts = []
    for session_id, when in zip(TWIN_IDS, TWIN_TIMES, strict=True):
        pick(page, session_id)
        # The picker shows this session before Delete is pressed (the last one picked may still be showing).
        expect(page.locator("#replay-pick input")).to_have_value(re.compile(re.escape(when)))
        page.locator("#delete").click()
        prompt = page.locator("#confirm-text")
        expect(prompt).to_contain_text(session_id)
        prompts.append(prompt.inner_text())
        page.locator("#cancel-delete").click()
        expect(page.locator("#confirm-text")).to_be_hidden()
    first, second = prompts
    assert first != second
    for text, session_id, when in zip(prompts, TWIN_IDS, TWIN_TIMES, strict=True):
        assert session_id in text and when in text
        assert re.search(r"\d+ answers", text) and "with " in text
    # Kept, both of them.
    expect(page.locator("#sessions .virtual-row", has_text=TWIN_JOB)).to_have_count(2)
