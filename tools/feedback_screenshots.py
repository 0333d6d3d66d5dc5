"""Take the README's Feedback tab screenshots from a real offline session.

    .venv/bin/python tools/feedback_screenshots.py

Runs the example script (examples/backend_engineer.yaml) with the offline engine into a throwaway
ROUNDTWO_HOME, serves app.py on a free port, opens the finished session in headless Chromium
(Debian's) and writes docs/feedback-summary.png (the top of the tab, as it opens) and
docs/feedback-details.png (an answer opened from a "thing to fix", scoring details shown).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from page_server import running_app  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

DOCS = ROOT / "docs"
WIDTH = 1280


def offline_session(home: Path) -> str:
    env = {**os.environ, "ROUNDTWO_HOME": str(home)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "--script", "examples/backend_engineer.yaml", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return str(json.loads(run.stdout)["id"])


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="roundtwo-shots-"))
    session_id = offline_session(home)
    expect.set_options(timeout=60_000)
    with running_app(home) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
        page.goto(f"{url}?session={session_id}")
        summary = page.locator("#feedback-summary")
        expect(summary.locator(".rt-fix").first).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / "feedback-summary.png"), full_page=False)
        page.locator("#show-details input").check()
        summary.locator("a.rt-answer-link").first.click()
        answer = page.locator(".rt-answer[open]").first
        expect(answer).to_be_in_viewport()
        page.wait_for_timeout(2500)  # the highlight fades
        page.screenshot(path=str(DOCS / "feedback-details.png"), full_page=False)
        browser.close()
    print(f"wrote {DOCS / 'feedback-summary.png'} and {DOCS / 'feedback-details.png'}")


if __name__ == "__main__":
    main()
