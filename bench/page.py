"""The page in a real browser: how long it takes to start, and from sending an answer to the next
question appearing. Target: under 0.5 s per answer offline.

Runs `app.py` on a free port with a throwaway ROUNDTWO_HOME and drives headless Chromium
(Debian's, at /usr/bin/chromium) with Playwright. The answer latency is measured inside the page,
from the click on Send to the interviewer's next message in the chat.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port
from simulator.catalog import ROOT
from simulator.script import load_script

ANSWERS = 12
TARGET_SECONDS = 0.5

# Click Send and resolve with the milliseconds until a new interviewer message is in the chat.
_SEND_AND_TIME = """(before) => new Promise((resolve) => {
  const bots = () => document.querySelectorAll('#chat [data-testid="bot"]').length;
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (bots() > before) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.querySelector('#chat'), {childList: true, subtree: true, characterData: true});
  document.querySelector('#send').click();
})"""


def _serve(home: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "ROUNDTWO_HOME": str(home), "GRADIO_SERVER_PORT": str(port)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
        if time.perf_counter() - started > 90:
            proc.kill()
            raise RuntimeError("app.py did not start within 90 s")


def main() -> None:
    if not Path(CHROMIUM).exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    answers = load_script(ROOT / "examples" / "backend_engineer.yaml").answers
    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        proc, serve_seconds = _serve(Path(home), port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator("#start").wait_for()
                page.wait_for_function(
                    "() => document.querySelector('#job-title textarea, #job-title input')?.value"
                )
                load_seconds = time.perf_counter() - t0
                t1 = time.perf_counter()
                page.locator("#start").click()
                page.locator('#chat [data-testid="bot"]').first.wait_for()
                start_seconds = time.perf_counter() - t1
                latencies = []
                for text in answers[:ANSWERS]:
                    if "The loop is over" in page.locator("#status").inner_text():
                        break
                    page.locator("#answer textarea").fill(text)
                    before = page.locator('#chat [data-testid="bot"]').count()
                    latencies.append(page.evaluate(_SEND_AND_TIME, before) / 1000)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    median = statistics.median(latencies)
    worst = max(latencies)
    print(f"page start (process spawn to first HTTP 200): {serve_seconds:.2f} s")
    print(f"page load in the browser (to a filled setup form): {load_seconds:.2f} s")
    print(f"start button to the first interviewer's message: {start_seconds:.3f} s")
    print(
        f"answer sent to next question shown, over {len(latencies)} answers: median {median:.3f} s, "
        f"worst {worst:.3f} s; median is {median / TARGET_SECONDS:.2f}x of the {TARGET_SECONDS} s target"
    )


if __name__ == "__main__":
    main()
