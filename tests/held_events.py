"""A slow server on demand, for browser tests of races: the page's events that write to chosen
components are held on their way to the server until the test releases them. The visitor acts
first, every time, where in a loaded whole-suite run they only sometimes did.

An event is named by the components it writes to (their `elem_id`s), read from the page's own
Gradio config, so a test does not depend on the order events are wired in.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, Route

WAIT_SECONDS = 60  # a ceiling for a busy machine, not a measure

# The events (Gradio's dependency ids, sent as `fn_index` when one is queued) writing to any of
# the given components.
EVENTS_WRITING_TO_JS = """(elemIds) => {
  const config = window.gradio_config;
  const ids = new Set(
    config.components.filter((c) => elemIds.includes(c.props && c.props.elem_id)).map((c) => c.id)
  );
  return config.dependencies.filter((d) => d.outputs.some((o) => ids.has(o))).map((d) => d.id);
}"""


class HeldEvents:
    """Hold the events writing to `elem_ids` from now (the page must be open: its config names the
    events) until `release()`; others pass."""

    def __init__(self, page: Page, *elem_ids: str):
        self.page = page
        self.events: set[int] = set(page.evaluate(EVENTS_WRITING_TO_JS, list(elem_ids)))
        assert self.events, f"no event writes to {list(elem_ids)}"
        self.armed = True
        self.held: list[Route] = []
        page.route("**/queue/join*", self._on_join)

    def release(self, count: int = 1) -> None:
        """Once `count` events are held (a busy page may send them late), let them through in the
        order they were sent."""
        deadline = time.monotonic() + WAIT_SECONDS
        while len(self.held) < count:
            assert time.monotonic() < deadline, f"{len(self.held)} of {count} events held"
            self.page.wait_for_timeout(50)  # lets Playwright hand over the requests sent meanwhile
        assert len(self.held) == count, f"{len(self.held)} events held, not {count}"
        self.armed = False
        held, self.held = self.held, []
        for route in held:
            route.continue_()

    def _on_join(self, route: Route) -> None:
        if self.armed and route.request.method == "POST":
            body = route.request.post_data_json or {}
            if body.get("fn_index") in self.events:
                self.held.append(route)
                return
        route.continue_()
