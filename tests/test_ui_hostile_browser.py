"""Hostile sessions in a real browser (Debian's Chromium through Playwright): nothing they hold runs.

Before the page starts, its store gets three sessions an attacker or an old build could leave:
- one imported with markup in every text field the import accepts (the same generated field list as
  tests/test_import_hostile.py), including the model-use figures the Feedback tab draws;
- one saved by an older build with 1e400 in a turn (stored as null), which no longer loads;
- one whose plan names an interviewer this install does not have, as markup that loads a remote image.
The page must show the payload as text, run none of it, fetch nothing, and keep working around them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_sample_session
from page_server import running_app
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_import_hostile import LEAVES, PAYLOAD, _put, _rich_export, _spots, _text

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from simulator.catalog import load_personas
from simulator.store import InvalidImport, Store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 15_000
EVIL_HOST = "evil.invalid"
REMOTE_IMG = f'<img src="http://{EVIL_HOST}/pixel.png" onerror="window.__xss=2">'
BROKEN_ID = "badc0ffee123"
BROKEN_TITLE = "Broken Session Engineer"
GHOST_ID = "9h05770000aa"
GHOST_TITLE = "Ghost Panel Engineer"

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


def _everywhere(scratch_db: Path) -> dict[str, Any]:
    """The sample session with the payload in every text field an import accepts."""
    personas = list(load_personas())
    data = _rich_export(build_sample_session())
    data["session"]["id"] = "hostile00001"
    with Store(scratch_db) as scratch:
        for path, kind in LEAVES:
            if kind != "text":
                continue
            trial = json.loads(json.dumps(data))
            _put(trial, next(_spots(trial["session"], path)), PAYLOAD)
            try:
                scratch.import_json(_text(trial), "trial.json", personas)
            except InvalidImport:
                continue  # a field the schema limits: the import refuses markup there
            _put(data, next(_spots(data["session"], path)), PAYLOAD)
    return data


def _seed(path: Path) -> str:
    """The three hostile sessions, as described above. Returns the hostile session's id."""
    hostile = _everywhere(path.with_name("scratch.db"))
    good = build_sample_session()
    with Store(path) as store:
        hostile_id = store.import_json(_text(hostile), "hostile.json", list(load_personas()))
        for session_id, title in ((BROKEN_ID, BROKEN_TITLE), (GHOST_ID, GHOST_TITLE)):
            job = good.job.model_copy(update={"title": title})
            status = "complete" if session_id == BROKEN_ID else "in_progress"
            store.create(good.model_copy(update={"id": session_id, "job": job, "status": status}))
    db = sqlite3.connect(path)
    (turn_text,) = db.execute(
        "SELECT turn FROM turns WHERE session_id = ? AND idx = 1", (BROKEN_ID,)
    ).fetchone()
    turn = json.loads(turn_text)
    turn["at_minute"] = None  # what 1e400 became in an older build
    db.execute("UPDATE turns SET turn = ? WHERE session_id = ? AND idx = 1", (json.dumps(turn), BROKEN_ID))
    (setup_text,) = db.execute("SELECT setup FROM sessions WHERE id = ?", (GHOST_ID,)).fetchone()
    setup = json.loads(setup_text)
    setup["plan"]["slots"][1]["persona_id"] = REMOTE_IMG
    db.execute("UPDATE sessions SET setup = ?, state = NULL WHERE id = ?", (json.dumps(setup), GHOST_ID))
    db.commit()
    db.close()
    return hostile_id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    home = tmp_path_factory.mktemp("hostile-home")
    hostile_id = _seed(home / "sessions.db")
    with running_app(home) as url:
        yield url, hostile_id


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser: Browser, server: tuple[str, str]) -> Iterator[tuple[Page, list[str]]]:
    """A fresh visitor; the list collects every request the page makes to the attacker's host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if EVIL_HOST in request.url else None)
    yield page, fetched
    context.close()


def _pick(page: Page, label: str) -> None:
    """Choose a session on Replay by text in its label ("date · job · verdict")."""
    page.get_by_role("tab", name="Replay").click()
    page.locator("#replay-pick input").click()
    page.get_by_role("option").filter(has_text=label).first.click()


def _no_script_ran(page: Page, fetched: list[str]) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator(f"img[src*='{EVIL_HOST}']").count() == 0
    assert fetched == []


def test_every_accepted_field_of_an_import_stays_inert_on_feedback_and_replay(
    visit: tuple[Page, list[str]], server: tuple[str, str]
) -> None:
    page, fetched = visit
    url, hostile_id = server
    page.goto(f"{url}?session={hostile_id}")
    heading = page.locator("#feedback-heading")
    expect(heading).to_contain_text(PAYLOAD)  # the job title and the model-use figures, as text
    expect(page.locator("#feedback")).to_contain_text(PAYLOAD)
    _no_script_ran(page, fetched)
    for name in ("Replay", "Interview"):
        page.get_by_role("tab", name=name).click()
    expect(page.locator("#chat")).to_contain_text(PAYLOAD)
    page.get_by_role("tab", name="Replay").click()
    expect(page.locator("#sessions")).to_contain_text(PAYLOAD)
    _pick(page, PAYLOAD)
    page.locator("#open").click()
    expect(page.locator("#replay")).to_contain_text("Turn 1 of")
    for number in range(2, 8):  # a click while the last step is drawing is ignored (Gradio's "once")
        page.locator("#replay-next").click()
        expect(page.locator("#replay")).to_contain_text(f"Turn {number} of")
    _no_script_ran(page, fetched)


def test_a_session_that_no_longer_loads_is_named_and_can_be_deleted(
    visit: tuple[Page, list[str]], server: tuple[str, str]
) -> None:
    page, fetched = visit
    url, hostile_id = server
    page.goto(f"{url}?session={hostile_id}")
    expect(page.locator("#feedback-heading")).to_contain_text(f"Left out of the chart: {BROKEN_ID}")
    page.goto(f"{url}?session={BROKEN_ID}")  # its own link: one line, the page keeps working
    page.get_by_role("tab", name="Replay").click()
    expect(page.locator("#sessions")).to_contain_text(BROKEN_ID)
    _pick(page, BROKEN_TITLE)
    page.locator("#show-feedback").click()
    expect(page.locator("#replay-notice")).to_contain_text(f"session {BROKEN_ID} cannot be read")
    expect(page.locator("#replay-notice")).not_to_contain_text("pydantic")
    page.locator("#delete").click()
    expect(page.locator("#confirm-text")).to_contain_text(BROKEN_TITLE)
    page.locator("#confirm-delete").click()
    expect(page.locator("#replay-notice")).to_contain_text(f"Deleted session {BROKEN_ID}")
    expect(page.locator("#sessions")).not_to_contain_text(BROKEN_ID)
    _no_script_ran(page, fetched)


def test_an_unknown_interviewer_in_a_plan_is_one_plain_line_and_loads_nothing(
    visit: tuple[Page, list[str]], server: tuple[str, str]
) -> None:
    page, fetched = visit
    url, _ = server
    page.goto(url)
    _pick(page, GHOST_TITLE)
    page.locator("#resume").click()
    notice = page.locator("#replay-notice")
    expect(notice).to_contain_text(f"session {GHOST_ID} cannot be read (plan.slots.1.persona_id")
    assert notice.inner_text().strip().count("\n") == 0 and "pydantic.dev" not in notice.inner_text()
    expect(page.locator(".toast-body")).to_have_count(0)  # a notice, not an error toast
    page.wait_for_timeout(500)  # time for an image request, were one made
    _no_script_ran(page, fetched)
