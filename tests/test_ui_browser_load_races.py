"""What the page does while its first loads are still on their way, in headless Chromium.

On a busy machine the page is usable before the server has answered its load events: the Replay
list comes back late. These tests hold those answers
until the visitor has acted and check what the browser ends up showing: a search made before the
list first arrived is what the list shows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import test_ui_browser as ui
from held_events import WAIT_SECONDS
from page_server import running_app
from playwright.sync_api import Browser, Frame, Locator, Page, Route, expect
from session_factory import strong_session

from simulator.store import Store

browser = ui.browser  # one Chromium for the module, as the page tests start it
pytestmark = pytest.mark.browser

# Keeps the ids of the events whose result has reached the page (Gradio's `process_completed`
# messages on its event stream), so a test can wait for an answer that changes nothing visible.
SPY_COMPLETED = """(() => {
  window.__completed = [];
  const fetchFirst = window.fetch;
  window.fetch = async function (...args) {
    const response = await fetchFirst.apply(this, args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (!url.includes("/queue/data") || !response.body) return response;
    const [mine, theirs] = response.body.tee();
    (async () => {
      const reader = mine.getReader();
      const decoder = new TextDecoder();
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        const blocks = text.split("\\n\\n");
        text = blocks.pop();
        for (const line of blocks.join("\\n").split("\\n")) {
          if (!line.startsWith("data:")) continue;
          try {
            const message = JSON.parse(line.slice(5));
            if (message.msg === "process_completed") window.__completed.push(message.event_id);
          } catch (error) {}
        }
      }
    })();
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})();"""
# After a result arrives the page applies it on a later turn of its event loop, then draws it.
APPLIED_JS = (
    "() => new Promise((done) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done))))"
)
FOUND_TITLE = "Lighthouse Ledger Analyst"
OTHER_TITLE = "Orchard Pipeline Engineer"
# The load events writing to a component: the page's own first fill of it.
LOAD_EVENTS_WRITING_TO_JS = """(elemId) => {
  const config = window.gradio_config;
  const ids = new Set(config.components.filter((c) => c.props && c.props.elem_id === elemId).map((c) => c.id));
  return config.dependencies
    .filter((d) => d.outputs.some((o) => ids.has(o)) && d.targets.some((t) => t[1] === "load"))
    .map((d) => d.id);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("load-races-home")
    with Store(home / "sessions.db") as store:
        for number, title in enumerate((FOUND_TITLE, OTHER_TITLE), start=1):
            session = strong_session()
            job = session.job.model_copy(update={"title": title})
            store.create(session.model_copy(update={"id": f"10ad0000000{number}", "job": job}))
    with running_app(home) as url:
        yield url


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SPY_COMPLETED)
    page = context.new_page()
    page.set_default_timeout(ui.WAIT_MS)
    page.goto(server)
    yield page
    context.close()


def field(page: Page, elem_id: str) -> Locator:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


class HeldLoad:
    """Holds the page's load event that fills `elem_id` (from the next page load) until released."""

    def __init__(self, page: Page, elem_id: str):
        self.events = set(page.evaluate(LOAD_EVENTS_WRITING_TO_JS, elem_id))
        assert self.events, f"no load event writes to #{elem_id}"
        self.held: list[Route] = []
        # Only the next document's event: on a busy machine the page loaded before may send its own
        # late, and held, it fails as the reload discards that page (the test then read no answer).
        self.armed = False
        self.main_frame = page.main_frame
        page.on("framenavigated", self._on_navigated)
        page.route("**/queue/join*", self._on_join)

    def _on_navigated(self, frame: Frame) -> None:
        self.armed = self.armed or frame == self.main_frame

    def _on_join(self, route: Route) -> None:
        body = route.request.post_data_json or {} if route.request.method == "POST" else {}
        if self.armed and body.get("fn_index") in self.events and not self.held:
            self.held.append(route)
            return
        route.continue_()

    def release(self, page: Page) -> str:
        """Let it through; its event id, to wait for its result with `landed`."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not self.held:  # a busy page may send it late
            assert time.monotonic() < deadline, "the load event was never sent"
            page.wait_for_timeout(50)  # lets Playwright hand over the requests sent meanwhile
        route = self.held[0]
        route.continue_()
        response = route.request.response()
        assert response is not None and response.ok, "the load event was refused"
        return str(response.json()["event_id"])


def landed(page: Page, event_id: str) -> None:
    """Wait until the event's result has reached the page and been drawn."""
    page.wait_for_function("(id) => window.__completed.includes(id)", arg=event_id)
    page.evaluate(APPLIED_JS)


def test_a_search_made_before_the_list_first_arrives_is_what_the_list_shows(page: Page) -> None:
    sessions = page.locator("#sessions")
    slow_list = HeldLoad(page, "sessions")
    page.reload()
    ui.tab(page, "Replay")
    box = field(page, "search")
    box.fill("Lighthouse")
    box.press("Enter")
    expect(sessions).to_contain_text(FOUND_TITLE)
    expect(sessions).not_to_contain_text(OTHER_TITLE)
    landed(page, slow_list.release(page))  # the list's own first fill, after the search's
    expect(box).to_have_value("Lighthouse")
    expect(sessions).to_contain_text(FOUND_TITLE)
    expect(sessions).not_to_contain_text(OTHER_TITLE)
    box.fill("")
    box.press("Enter")  # cleared: every session again
    expect(sessions).to_contain_text(OTHER_TITLE)
